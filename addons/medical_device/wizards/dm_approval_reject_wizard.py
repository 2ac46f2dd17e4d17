from odoo import fields, models


class DmApprovalRejectWizard(models.TransientModel):
    """The decision on approvals, with a comment: optional to approve,
    required to reject (the engine checks it)."""

    _name = "dm.approval.reject.wizard"
    _inherit = ["dm.input.guard"]
    _description = "Decide on approvals with a comment"

    approval_ids = fields.Many2many("dm.approval", string="Approvals", required=True)
    decision = fields.Selection(
        [("approve", "Approve"), ("reject", "Reject")],
        default="reject",
        required=True,
    )
    comment = fields.Text(help="Why the approval is rejected (required to reject).")
    data_summary = fields.Text(
        string="Data to approve",
        compute="_compute_data_summary",
        help="The values of the approval, as they were when requested.",
    )

    def _compute_data_summary(self):
        for wizard in self:
            # sudo: see action_reject; the values of the lines the user decides.
            lines = wizard.sudo().approval_ids.with_env(self.env)
            wizard.data_summary = "\n\n".join(
                f"{line.display_name}\n{line.data_summary}" for line in lines
            )

    def _approvals(self):
        # sudo: the lines the wizard holds, also those the user may not read
        # (another company's), which the decision then refuses instead of
        # skipping them silently; the decision is checked as the user.
        return self.sudo().approval_ids.with_env(self.env)

    def action_reject(self):
        self._approvals().action_reject(self.comment)
        return {"type": "ir.actions.act_window_close"}

    def action_approve(self):
        self._approvals().action_approve(self.comment)
        return {"type": "ir.actions.act_window_close"}
