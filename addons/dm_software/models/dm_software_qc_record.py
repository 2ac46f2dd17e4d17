from odoo import api, fields, models
from odoo.addons.medical_device.tools import reader_text as rt
from odoo.exceptions import ValidationError
from odoo.tools.translate import LazyTranslate

from .dm_software import PHARMACIST_GROUP, REGULATORY
from .dm_software_qc_plan import OVERDUE_ACTIVITY

_lt = LazyTranslate(__name__)

FAILED_ACTIVITY = "dm_software.mail_activity_type_dm_software_qc_failed"
# What a control measured: frozen once recorded.
MEASURE_FIELDS = {
    "plan_id",
    "date",
    "checked_by_id",
    "cases_checked",
    "discordances",
    "threshold",
}


class DmSoftwareQcRecord(models.Model):
    """One quality control of an AI software's results by its users: cases
    checked, discordances, pass or fail against the plan's threshold."""

    _name = "dm.software.qc.record"
    _description = "Quality control of AI results"
    _inherit = ["mail.thread", "dm.workflow.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    # The workflow (dm.workflow.mixin): what was measured is history; only a
    # pharmacist or an engineer archives (or restores) a control.
    _dm_state_field = "active"
    _dm_state_writable = True
    _dm_transitions = {(True, False): REGULATORY, (False, True): REGULATORY}
    _dm_editable_states = dict.fromkeys(MEASURE_FIELDS, ())
    _dm_deletable_states = ()

    plan_id = fields.Many2one(
        "dm.software.qc.plan",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
    )
    software_id = fields.Many2one(related="plan_id.software_id", store=True, index=True)
    company_id = fields.Many2one(
        related="plan_id.company_id", store=True, index=True, precompute=True
    )
    active = fields.Boolean(default=True, tracking=True)
    date = fields.Date(default=fields.Date.context_today, required=True)
    checked_by_id = fields.Many2one(
        "res.users",
        string="Checked by",
        default=lambda self: self.env.user,
        required=True,
    )
    cases_checked = fields.Integer(required=True)
    discordances = fields.Integer(
        required=True,
        default=0,
        help="Cases where the user's conclusion differs from the AI's result.",
    )
    threshold = fields.Float(
        string="Threshold (max. discordance %)",
        readonly=True,
        help="The plan's acceptance threshold when the control was recorded.",
    )
    discordance_rate = fields.Float(
        string="Discordance (%)", compute="_compute_result", store=True
    )
    result = fields.Selection(
        [("pass", "Pass"), ("fail", "Fail")],
        compute="_compute_result",
        store=True,
        index=True,
        tracking=True,
    )
    below_sample = fields.Boolean(
        string="Fewer cases than planned", compute="_compute_result", store=True
    )
    comment = fields.Text(tracking=True)

    # ------------------------------------------------------------ computes
    @api.depends("cases_checked", "discordances", "threshold", "plan_id.sample_size")
    def _compute_result(self):
        for record in self:
            rate, result, below_sample = record._measured_result()
            record.discordance_rate = rate
            record.result = result
            record.below_sample = below_sample

    def _measured_result(self):
        """Discordance rate, result and short sample, from what was measured
        (gates read this rather than the stored result)."""
        self.ensure_one()
        cases = self.cases_checked
        rate = 100.0 * self.discordances / cases if cases > 0 else 0.0
        result = "pass" if cases > 0 and rate <= self.threshold else "fail"
        return rate, result, cases < self.plan_id.sample_size

    @api.depends("software_id", "date")
    def _compute_display_name(self):
        for record in self:
            record.display_name = self.env._(
                "QC of %(software)s, %(date)s",
                software=record.software_id.name or "",
                date=fields.Date.to_string(record.date) or "",
            )

    @api.constrains("cases_checked", "discordances")
    def _check_counts(self):
        for record in self:
            if record.cases_checked <= 0:
                raise ValidationError(
                    self.env._("A quality control checks at least one case.")
                )
            if not 0 <= record.discordances <= record.cases_checked:
                raise ValidationError(
                    self.env._(
                        "The discordances (%(discordances)s) are between 0 and the "
                        "cases checked (%(cases)s).",
                        discordances=record.discordances,
                        cases=record.cases_checked,
                    )
                )

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        plans = self.env["dm.software.qc.plan"]
        for vals in vals_list:
            self._dm_check_create_input(vals)
            plan = plans.browse(vals.get("plan_id"))
            # The threshold is the plan's, never the client's: a result is judged
            # by the rule in force when it was recorded.
            vals["threshold"] = plan.max_discordance_rate
        records = super().create(vals_list)
        for record in records:
            record._after_control()
        return records

    # ------------------------------------------------------------ workflow
    def _dm_frozen_message(self, fnames):
        return self.env._(
            "A quality control is part of the history: record a new one "
            "rather than changing what was measured."
        )

    def _dm_role_message(self, old_state, new_state, state_field=None):
        return self.env._(
            "A pharmacist or a biomedical engineer archives a quality control."
        )

    def _dm_history_message(self, reasons):
        return self.env._(
            "Quality controls are part of the history: archive them instead of "
            "deleting them."
        )

    # ------------------------------------------------------------ follow-up
    def _after_control(self):
        """Close the overdue reminder; on failure alert the referent and the
        pharmacists, and suspend the use if the plan says so."""
        self.ensure_one()
        plan = self.plan_id
        # sudo: the reminders belong to the plan's responsible, whoever records.
        # Removed, not marked done: the control is the record; a "done"
        # message would repeat the reminder in the recorder's language.
        plan.sudo().activity_unlink([OVERDUE_ACTIVITY])
        if self._measured_result()[1] != "fail":
            return
        software = self.software_id
        # Reader texts: each referent and pharmacist reads them in their own
        # language, dates in its format.
        summary = rt.msg(
            _lt("AI quality control failed: %(software)s"), software=software.name
        )
        note = rt.msg(
            _lt(
                "Failed quality control %(plan)s, %(date)s: %(discordances)s "
                "discordances in %(cases)s cases (%(rate)s, threshold %(threshold)s)."
            ),
            plan=plan.name,
            date=rt.date(self.date),
            discordances=self.discordances,
            cases=self.cases_checked,
            rate=rt.join([rt.number(self.discordance_rate), "%"], " "),
            threshold=rt.join([rt.number(self.threshold), "%"], " "),
        )
        software._schedule_for(
            software.referent_id | software._role_users(PHARMACIST_GROUP),
            FAILED_ACTIVITY,
            summary,
            note,
        )
        # sudo: see _schedule_for; the note is posted whoever recorded.
        software.sudo()._dm_post_note(note)
        if plan.suspend_on_failure and software.lifecycle_state == "in_use":
            # sudo: the plan suspends the use itself, whoever records the failed
            # control (a user may not move the lifecycle).
            software.sudo()._dm_set_state("suspended")
            software.sudo()._dm_post_note(
                rt.msg(
                    _lt(
                        "Use suspended automatically: the plan %(plan)s suspends "
                        "the software when a control fails."
                    ),
                    plan=plan.name,
                )
            )
