from odoo import api, fields, models


class MaintenanceEquipment(models.Model):
    """A device also has the components of the software versions currently
    installed on it."""

    _inherit = "maintenance.equipment"

    # The installations' own relation, read from the device's side.
    dm_software_install_ids = fields.Many2many(
        "dm.software.install",
        "dm_software_install_equipment_rel",
        "equipment_id",
        "install_id",
        string="Software installations",
        readonly=True,
        check_company=True,
    )

    @api.depends("dm_software_install_ids.state", "dm_software_install_ids.version_id")
    def _compute_sbom_received(self):
        return super()._compute_sbom_received()

    def _dm_sboms_by_device(self):
        result = super()._dm_sboms_by_device()
        devices = self.filtered("id")
        if not devices:
            return result
        # sudo: which versions run on the caller's devices decides which SBOMs
        # apply; the SBOMs themselves are read as the caller. Three queries.
        installs = (
            self.env["dm.software.install"]
            .sudo()
            .search_fetch(
                [("state", "=", "current"), ("equipment_ids", "in", devices.ids)],
                ["version_id", "equipment_ids"],
            )
        )
        if not installs:
            return result
        Sbom = self.env["dm.sbom"]
        sboms = Sbom.search_fetch(
            [
                ("active", "=", True),
                ("software_version_id", "in", installs.version_id.ids),
            ],
            ["software_version_id"],
        )
        by_version = {
            version.id: found
            for version, found in sboms.grouped("software_version_id").items()
        }
        for install in installs:
            found = by_version.get(install.version_id.id)
            if not found:
                continue
            for device_id in install.equipment_ids.ids:
                if device_id in result:
                    result[device_id] |= found.with_env(Sbom.env)
        return result
