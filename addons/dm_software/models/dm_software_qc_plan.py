from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.addons.medical_device.tools import reader_text as rt
from odoo.exceptions import UserError, ValidationError
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

OVERDUE_ACTIVITY = "dm_software.mail_activity_type_dm_software_qc_due"


class DmSoftwareQcPlan(models.Model):
    """How the users check the results of an AI software (HAS certification,
    criterion on professional-use DMN): method, frequency, sample, threshold."""

    _name = "dm.software.qc.plan"
    _description = "Quality control plan of AI results"
    _inherit = ["mail.thread", "mail.activity.mixin", "dm.workflow.mixin"]
    _order = "software_id, id"
    _check_company_auto = True

    # dm.workflow.mixin: no steps; its computed dates are not written by
    # clients; a plan with controls keeps its software and is archived, not
    # deleted.
    _dm_state_field = None

    name = fields.Char(required=True, tracking=True)
    software_id = fields.Many2one(
        "dm.software",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        related="software_id.company_id", store=True, index=True, precompute=True
    )
    active = fields.Boolean(default=True, tracking=True)
    method = fields.Text(
        required=True,
        tracking=True,
        help="How results are checked, e.g. double reading of a random sample of "
        "cases by a radiologist, compared with the AI's findings.",
    )
    frequency_interval = fields.Integer(
        string="Every", default=1, required=True, tracking=True
    )
    frequency_unit = fields.Selection(
        [("days", "Days"), ("weeks", "Weeks"), ("months", "Months")],
        string="Unit",
        default="months",
        required=True,
        tracking=True,
    )
    sample_size = fields.Integer(
        string="Cases per control", default=30, required=True, tracking=True
    )
    max_discordance_rate = fields.Float(
        string="Acceptance threshold (max. discordance %)",
        default=5.0,
        required=True,
        tracking=True,
        help="A control passes when the share of cases where the user disagrees "
        "with the AI is at most this percentage.",
    )
    responsible_id = fields.Many2one(
        "res.users",
        required=True,
        tracking=True,
        check_company=True,
        help="Who performs the controls; reminded when one is overdue.",
    )
    suspend_on_failure = fields.Boolean(
        string="Suspend use on failure",
        tracking=True,
        help="A failed control suspends the use of the software at once.",
    )
    date_start = fields.Date(
        string="Start", default=fields.Date.context_today, required=True
    )
    record_ids = fields.One2many("dm.software.qc.record", "plan_id", "Controls")
    last_qc_date = fields.Date(
        string="Last control", compute="_compute_dates", store=True
    )
    next_qc_date = fields.Date(
        string="Next control due", compute="_compute_dates", store=True, index=True
    )
    qc_overdue = fields.Boolean(
        string="Overdue", compute="_compute_qc_overdue", search="_search_qc_overdue"
    )

    # ------------------------------------------------------------ computes
    @api.depends(
        "record_ids.date",
        "record_ids.active",
        "date_start",
        "frequency_interval",
        "frequency_unit",
    )
    def _compute_dates(self):
        for plan in self:
            dates = [d for d in plan.record_ids.filtered("active").mapped("date") if d]
            plan.last_qc_date = max(dates) if dates else False
            start = plan.last_qc_date or plan.date_start
            plan.next_qc_date = start and start + plan._period()

    def _period(self):
        self.ensure_one()
        return relativedelta(**{self.frequency_unit: self.frequency_interval or 0})

    def _overdue_domain(self):
        return [
            ("next_qc_date", "<", fields.Date.context_today(self)),
            ("software_id.lifecycle_state", "=", "in_use"),
        ]

    @api.depends_context("tz")
    def _compute_qc_overdue(self):
        today = fields.Date.context_today(self)
        for plan in self:
            plan.qc_overdue = bool(
                plan.active
                and plan.next_qc_date
                and plan.next_qc_date < today
                and plan.software_id.lifecycle_state == "in_use"
            )

    def _search_qc_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on 'Overdue'."))
        overdue = self.search(self._overdue_domain())
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", overdue.ids)]

    # ------------------------------------------------------------ constraints
    @api.constrains("frequency_interval", "sample_size", "max_discordance_rate")
    def _check_values(self):
        for plan in self:
            if plan.frequency_interval <= 0 or plan.sample_size <= 0:
                raise ValidationError(
                    self.env._(
                        "%(plan)s: the frequency and the number of cases must be "
                        "positive.",
                        plan=plan.display_name,
                    )
                )
            if not 0 <= plan.max_discordance_rate <= 100:
                raise ValidationError(
                    self.env._(
                        "%(plan)s: the acceptance threshold is a percentage "
                        "between 0 and 100.",
                        plan=plan.display_name,
                    )
                )

    # ------------------------------------------------------------ workflow
    def _dm_history_locked_fields(self):
        # The recorded controls are the software's (their software is the
        # plan's): moving the plan would move them, failures included.
        if self.with_context(active_test=False).record_ids:
            return {"software_id"}
        return set()

    def _dm_history_reasons(self):
        reasons = super()._dm_history_reasons()
        if self.with_context(active_test=False).record_ids:
            reasons.append(self.env._("quality controls"))
        return reasons

    def _dm_history_message(self, reasons):
        return self.env._(
            "Quality controls were recorded under this plan: archive it "
            "instead of deleting it."
        )

    # ------------------------------------------------------------ overdue
    @api.model
    def _cron_check_overdue(self):
        """Daily: an activity for the responsible of each overdue plan (one at a
        time: none while the previous reminder is open)."""
        today = fields.Date.context_today(self)

        def values(plan):
            # Reader texts: in the responsible's language (see
            # mail.activity._dm_schedule_once).
            return {
                "summary": rt.msg(
                    _lt("Quality control of %(software)s overdue"),
                    software=plan.software_id.name,
                ),
                "note": rt.msg(
                    _lt("%(plan)s: the control was due on %(date)s (%(cases)s cases)."),
                    plan=plan.name,
                    date=rt.date(plan.next_qc_date),
                    cases=plan.sample_size,
                ),
                "user_id": plan.responsible_id.id,
                "date_deadline": today,
            }

        return self.env["mail.activity"]._dm_schedule_once(
            self.search(self._overdue_domain()),
            self.env.ref(OVERDUE_ACTIVITY),
            values,
        )

    def action_new_record(self):
        self.ensure_one()
        # Only for a user who may read the record (see docs/security.md).
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Quality control"),
            "res_model": "dm.software.qc.record",
            "view_mode": "form",
            "target": "new",
            "context": {"default_plan_id": self.id},
        }
