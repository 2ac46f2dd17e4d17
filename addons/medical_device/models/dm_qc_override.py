from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import qc

ENGINEER = "medical_device.group_dm_engineer"
# Longest an override may last: the engineer renews it, with a reason, after.
MAX_OVERRIDE_DAYS = 90


class DmQcOverride(models.Model):
    """An engineer's decision to keep a device in use while its mandatory
    quality control is overdue, with its reason: tracked, kept, and ended by
    the control done (the plan's due date moves on) or at its expiry date.
    Only engineers give one; nobody changes its reason afterwards."""

    _name = "dm.qc.override"
    _inherit = ["dm.workflow.mixin", "mail.thread"]
    _description = "Use kept despite an overdue quality control"
    _order = "create_date desc, id desc"
    _check_company_auto = True

    _dm_state_field = None
    _dm_protected_fields = ("engineer_id", "due_date")
    _dm_create_only_fields = ("plan_id", "reason", "expiry_date")

    plan_id = fields.Many2one(
        "maintenance.plan",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
        tracking=True,
        domain="[('dm_nature', 'in', ('qc_internal', 'qc_external')), "
        "('equipment_id', '!=', False)]",
    )
    equipment_id = fields.Many2one(
        related="plan_id.equipment_id", store=True, index=True, string="Device"
    )
    company_id = fields.Many2one(
        related="plan_id.company_id", store=True, index=True, string="Company"
    )
    reason = fields.Text(
        required=True,
        tracking=True,
        help="Why the device stays in use although its mandatory control is "
        "overdue (e.g. the accredited body's visit is booked, no substitute "
        "device).",
    )
    expiry_date = fields.Date(
        string="Valid until",
        required=True,
        tracking=True,
        default=lambda self: fields.Date.context_today(self) + timedelta(days=30),
        help="The override ends on this day at the latest, or as soon as the "
        "control is done.",
    )
    engineer_id = fields.Many2one("res.users", readonly=True, tracking=True)
    due_date = fields.Date(
        string="For the control due on",
        readonly=True,
        help="The due date of the plan the override was given for: a control "
        "done moves it, and the override ends.",
    )
    active = fields.Boolean(default=True, tracking=True)
    dm_current = fields.Boolean(
        string="For the pending control",
        compute="_compute_dm_current",
        store=True,
        index=True,
        help="The plan still waits for the control the override was given for.",
    )
    dm_valid = fields.Boolean(
        string="In force",
        compute="_compute_dm_valid",
        search="_search_dm_valid",
    )

    @api.depends("due_date", "plan_id.dm_due_date")
    def _compute_dm_current(self):
        for override in self:
            override.dm_current = bool(
                override.due_date and override.due_date == override.plan_id.dm_due_date
            )

    @api.depends("dm_current", "expiry_date", "active")
    @api.depends_context("tz")
    def _compute_dm_valid(self):
        today = fields.Date.context_today(self)
        for override in self:
            override.dm_valid = qc.override_valid(
                override.due_date,
                override.plan_id.dm_due_date,
                override.expiry_date,
                today,
                override.active,
            )

    def _search_dm_valid(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        today = fields.Date.context_today(self)
        domain = [
            ("active", "=", True),
            ("dm_current", "=", True),
            ("expiry_date", ">=", today),
        ]
        return domain if (operator == "=") == value else ["!", "&", "&", *domain]

    @api.constrains("expiry_date")
    def _check_expiry(self):
        today = fields.Date.context_today(self)
        for override in self:
            if not (
                today <= override.expiry_date <= today + timedelta(MAX_OVERRIDE_DAYS)
            ):
                raise ValidationError(
                    self.env._(
                        "An override lasts from today to at most %(days)s days.",
                        days=MAX_OVERRIDE_DAYS,
                    )
                )

    # ------------------------------------------------------------ workflow
    @api.model
    def _dm_complete_create_vals(self, vals):
        # Who decided, and for which pending control (the server's).
        plan = self.env["maintenance.plan"].sudo().browse(vals.get("plan_id"))
        vals["engineer_id"] = self.env.uid
        vals["due_date"] = plan.exists().dm_due_date

    @api.model_create_multi
    def create(self, vals_list):
        # Malformed values get the guard's message before anything reads them.
        for vals in vals_list:
            self._dm_check_create_input(vals)
        if not self.env.su and not self.env.user.has_group(ENGINEER):
            raise AccessError(self._dm_engineer_only_message())
        for vals in vals_list:
            if not (vals.get("reason") or "").strip():
                raise UserError(
                    self.env._(
                        "Give the reason why the device stays in use although "
                        "its mandatory quality control is overdue."
                    )
                )
        overrides = super().create(vals_list)
        for override in overrides:
            # sudo: the check reads the plan, whatever the user may read.
            plan = override.sudo().plan_id
            # The superuser (a data load, an import) records a decision taken.
            if not self.env.su and not (plan.dm_qc_mandatory and plan.dm_overdue):
                raise UserError(
                    self.env._(
                        "%(plan)s is not a mandatory quality control overdue: "
                        "there is no suspension to override.",
                        plan=plan.display_name,
                    )
                )
            # sudo: the note is the server's record of the decision.
            plan.equipment_id._dm_qc_note_override(override.sudo())
        return overrides

    def _dm_engineer_only_message(self):
        return self.env._(
            "Only %(roles)s may keep a device in use while its mandatory "
            "quality control is overdue.",
            roles=self._dm_group_names((ENGINEER,)),
        )

    def _dm_check_open_for_change(self):
        result = super()._dm_check_open_for_change()
        if self and not self.env.user.has_group(ENGINEER):
            raise AccessError(self._dm_engineer_only_message())
        return result

    def _dm_history_reasons(self):
        return [*super()._dm_history_reasons(), self.env._("a decision on record")]

    def _dm_history_message(self, reasons):
        return self.env._(
            "The override %(override)s is %(reasons)s: archive it to end it.",
            override=self.display_name,
            reasons=", ".join(reasons),
        )

    @api.depends("equipment_id", "create_date")
    def _compute_display_name(self):
        for override in self:
            override.display_name = override.sudo().equipment_id.display_name or ""
