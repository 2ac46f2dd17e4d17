from odoo import api, fields, models


class MaintenanceEquipment(models.Model):
    """``hr_maintenance`` (installed with ``hr``, which the register of trained
    users needs) computes an equipment's owner from the employee or the
    department it is assigned to, False when they have no user. The suite
    keeps the owner it had when HR gives none, and the field writable as
    before."""

    _inherit = "maintenance.equipment"  # pylint: disable=consider-merging-classes-inherited

    owner_user_id = fields.Many2one(readonly=False)

    @api.depends("employee_id", "department_id", "equipment_assign_to")
    def _compute_owner(self):
        before = {device: device._origin.owner_user_id for device in self}
        result = super()._compute_owner()
        for device in self:
            if not device.owner_user_id and before[device]:
                device.owner_user_id = before[device]
        return result
