from odoo import fields, models


class MaintenanceEquipment(models.Model):
    _inherit = "maintenance.equipment"

    dm_software_ids = fields.Many2many(
        "dm.software",
        "dm_software_equipment_rel",
        "equipment_id",
        "software_id",
        string="Software",
        check_company=True,
        help="Software that runs on this device or drives it (DMIL).",
    )
