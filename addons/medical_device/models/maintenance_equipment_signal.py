from odoo import api, fields, models


class MaintenanceEquipment(models.Model):
    """What the daily jobs last signalled on a device, so that an activity
    marked done does not come back until the data changes."""

    _inherit = "maintenance.equipment"  # pylint: disable=consider-merging-classes-inherited

    dm_ce_signalled = fields.Char(
        string="CE deadline signalled",
        readonly=True,
        copy=False,
        help="The CE deadline the daily job last signalled for this device.",
    )
    dm_digest_ids = fields.Many2many(
        "dm.activity.digest",
        "dm_activity_digest_device_rel",
        "device_id",
        "digest_id",
        string="Digests",
        readonly=True,
        copy=False,
        check_company=True,
    )

    @api.model
    def _dm_client_protected_fields(self):
        # Only the daily jobs set what they signalled: a client that cleared or
        # forged it would repeat or silence a warning.
        return super()._dm_client_protected_fields() | {
            "dm_ce_signalled",
            "dm_digest_ids",
        }
