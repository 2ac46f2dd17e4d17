from odoo import fields, models


class DmApprovalRejectWizard(models.TransientModel):
    _name = "dm.approval.reject.wizard"
    _inherit = ["dm.input.guard"]
    _description = "Reject approvals with a comment"

    approval_ids = fields.Many2many("dm.approval", string="Approvals", required=True)
    comment = fields.Text(required=True, help="Why the approval is rejected.")

    def action_reject(self):
        # sudo: the lines the wizard holds, also those the user may not read
        # (another company's), which the decision then refuses instead of
        # skipping them silently; the decision is checked as the user.
        approvals = self.sudo().approval_ids.with_env(self.env)
        approvals.action_reject(self.comment)
        return {"type": "ir.actions.act_window_close"}
