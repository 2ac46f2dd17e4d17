from odoo import api, fields, models


class MaintenanceRequest(models.Model):
    """``hr_maintenance`` (installed with ``hr``, which the register of trained
    users needs) computes a request's "Created by User" from its employee,
    False for a device not assigned to an employee with a user. The suite
    keeps it what it was without HR: the user who created the request, unless
    the employee's user is known; and writable as before (OCA plans set it)."""

    _inherit = "maintenance.request"  # pylint: disable=consider-merging-classes-inherited

    owner_user_id = fields.Many2one(readonly=False)

    @api.depends("employee_id")
    def _compute_owner(self):
        before = {request: request._origin.owner_user_id for request in self}
        result = super()._compute_owner()
        for request in self:
            if not request.owner_user_id:
                request.owner_user_id = before[request] or self.env.user
        return result
