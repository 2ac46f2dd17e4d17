"""A throwaway model that uses dm.workflow.mixin alone, to test the mixin
without any business rule of the suite (as OCA does with its tester models)."""

from odoo import api, fields, models

ENGINEER = "medical_device.group_dm_engineer"


class DmWorkflowTester(models.Model):
    _name = "dm.workflow.tester"
    _description = "Workflow tester"
    _inherit = ["dm.workflow.mixin"]

    _dm_transitions = {
        ("draft", "confirmed"): (),
        ("confirmed", "done"): (ENGINEER,),
        ("confirmed", "draft"): (),
    }
    _dm_protected_fields = ("certificate_ref",)
    _dm_frozen_states = ("done",)
    _dm_always_writable = ("note",)
    _dm_editable_states = {"amount": ("draft",)}
    _dm_state_stamps = {"done": ("done_by_id", "done_on")}
    _dm_deletable_states = ("draft",)

    name = fields.Char()
    state = fields.Selection(
        [("draft", "Draft"), ("confirmed", "Confirmed"), ("done", "Done")],
        default="draft",
        required=True,
    )
    amount = fields.Integer()
    note = fields.Char()
    ready = fields.Boolean()
    certificate_ref = fields.Char()
    done_by_id = fields.Many2one("res.users")
    done_on = fields.Datetime()
    double = fields.Integer(compute="_compute_double", store=True)
    editable_double = fields.Integer(
        compute="_compute_double", store=True, readonly=False
    )
    user_login = fields.Char(related="done_by_id.login")

    @api.depends("amount")
    def _compute_double(self):
        for record in self:
            record.double = record.editable_double = record.amount * 2

    def _dm_state_missing(self, new_state):
        return ["readiness"] if new_state == "done" and not self.ready else []

    def action_done(self):
        return self._dm_set_state("done")
