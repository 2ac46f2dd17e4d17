from odoo import api, fields, models


class DmSoftwareVersion(models.Model):
    _inherit = "dm.software.version"

    dm_sbom_ids = fields.One2many(
        "dm.sbom",
        "software_version_id",
        string="SBOMs",
        readonly=True,
        help="The SBOMs of this version: they apply to the devices it is "
        "currently installed on.",
    )
    dm_sbom_count = fields.Integer(
        string="Number of SBOMs", compute="_compute_dm_sbom_count"
    )

    @api.depends("dm_sbom_ids")
    def _compute_dm_sbom_count(self):
        for version in self:
            version.dm_sbom_count = len(version.dm_sbom_ids)

    def action_view_dm_sboms(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dm_cyber.dm_sbom_action"
        )
        action["domain"] = [("software_version_id", "=", self.id)]
        action["context"] = {
            "default_software_version_id": self.id,
            "default_company_id": self.company_id.id,
        }
        return action
