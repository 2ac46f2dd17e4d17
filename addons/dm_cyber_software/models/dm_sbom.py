from odoo import api, fields, models


class DmSbom(models.Model):
    """The SBOM of a software version: it applies to the devices the version
    is currently installed on."""

    _inherit = "dm.sbom"

    target_kind = fields.Selection(
        selection_add=[("software_version", "Software version")],
        ondelete={"software_version": "set null"},
    )
    software_version_id = fields.Many2one(
        "dm.software.version",
        string="Software version",
        index=True,
        ondelete="restrict",
        check_company=True,
        tracking=True,
        help="For an SBOM of a software version: the devices it is currently "
        "installed on have these components.",
    )

    @api.depends("software_version_id")
    def _compute_target_kind(self):
        return super()._compute_target_kind()

    def _dm_target_kinds(self):
        kinds = super()._dm_target_kinds()
        if self.software_version_id:
            kinds.append("software_version")
        return kinds

    @api.model
    def _dm_target_labels(self):
        return [*super()._dm_target_labels(), self.env._("a software version")]

    @api.model
    def _dm_target_fields(self):
        return (*super()._dm_target_fields(), "software_version_id")

    @api.constrains("software_version_id")
    def _check_dm_target_version(self):
        self._check_dm_target()

    def _dm_devices(self, shared_only=False):
        devices = super()._dm_devices(shared_only=shared_only)
        # sudo: see dm.sbom._dm_devices (which devices a version runs on does
        # not depend on who asks).
        versions = self.sudo().filtered("active").software_version_id
        if versions:
            installs = (
                self.env["dm.software.install"]
                .sudo()
                .search([("version_id", "in", versions.ids), ("state", "=", "current")])
            )
            devices |= installs.equipment_ids
        return devices
