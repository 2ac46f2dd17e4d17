from odoo import api, fields, models


class MaintenanceEquipment(models.Model):
    """The cyber state the watch last signalled on a device."""

    _inherit = "maintenance.equipment"  # pylint: disable=consider-merging-classes-inherited

    dm_cyber_signalled = fields.Char(
        string="Cyber state signalled",
        readonly=True,
        copy=False,
        help="The cyber state (OS, end of support, last patch) the daily watch "
        "last signalled for this device.",
    )

    def _dm_cyber_signal_key(self):
        """What the watch signals: a new key (another OS, a patch, a flag that
        changed) signals the device again."""
        self.ensure_one()
        return "|".join(
            str(value)
            for value in (
                self.os_version_id.id,
                self.cyber_os_obsolete,
                self.last_patch_date,
                self.cyber_patch_outdated,
            )
        )

    @api.model
    def _dm_client_protected_fields(self):
        # Only the daily watch sets what it signalled.
        return super()._dm_client_protected_fields() | {"dm_cyber_signalled"}
