from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import qc
from .maintenance_request import REGISTER_KEEPERS

# What a measure keeps of its test when it is recorded: later changes of the
# test leave the register (and the trend chart's bands) as they were.
LIMIT_FIELDS = ("reference", "tolerance", "action_level", "tolerance_type", "unit")


class DmQcMeasure(models.Model):
    """A measure of a quality-control test recorded by a control (a
    maintenance request of the test's plan): its value, when it was measured,
    and its status against the test's limits as they were then. The
    control's result follows from its measures.

    Technicians and engineers record them; a control done, or one already
    non-compliant, keeps its measures as they are (a new control of the plan
    is the way back to use)."""

    _name = "dm.qc.measure"
    _inherit = ["dm.workflow.mixin"]
    _description = "Quality-control measure"
    _order = "measured_on desc, id desc"
    _check_company_auto = True
    _rec_name = "test_id"

    _dm_state_field = None
    # Copied from the test by the server when the measure is recorded.
    _dm_protected_fields = LIMIT_FIELDS
    _dm_create_only_fields = ("request_id", "test_id")

    request_id = fields.Many2one(
        "maintenance.request",
        string="Control",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
    )
    test_id = fields.Many2one(
        "dm.qc.test",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="request_id.company_id", store=True, index=True, string="Company"
    )
    equipment_id = fields.Many2one(
        related="request_id.equipment_id", store=True, index=True, string="Device"
    )
    plan_id = fields.Many2one(
        related="test_id.plan_id", store=True, index=True, string="Plan"
    )
    value = fields.Float(required=True, digits=(16, 4))
    measured_on = fields.Datetime(
        string="Measured on", required=True, default=fields.Datetime.now, index=True
    )
    note = fields.Char()
    unit = fields.Char(readonly=True)
    reference = fields.Float(string="Reference value", digits=(16, 4), readonly=True)
    tolerance_type = fields.Selection(
        qc.TOLERANCE_TYPES, string="Limits in", readonly=True
    )
    tolerance = fields.Float(digits=(16, 4), readonly=True)
    action_level = fields.Float(string="Action level", digits=(16, 4), readonly=True)
    status = fields.Selection(
        qc.MEASURE_STATUSES,
        compute="_compute_status",
        store=True,
        index=True,
        help="Within tolerance: OK. Beyond the tolerance but within the action "
        "level: a warning, the control is out of tolerance. Beyond the action "
        "level: the control is non-compliant.",
    )
    deviation = fields.Float(
        compute="_compute_status",
        store=True,
        digits=(16, 2),
        help="The gap to the reference, in the unit or in percent (as the limits).",
    )
    tolerance_low = fields.Float(compute="_compute_bands", digits=(16, 4))
    tolerance_high = fields.Float(compute="_compute_bands", digits=(16, 4))
    action_low = fields.Float(compute="_compute_bands", digits=(16, 4))
    action_high = fields.Float(compute="_compute_bands", digits=(16, 4))

    @api.depends("value", "reference", "tolerance", "action_level", "tolerance_type")
    def _compute_status(self):
        for measure in self:
            if not measure.tolerance_type:
                measure.status = False
                measure.deviation = 0.0
                continue
            measure.status = qc.evaluate(
                measure.value,
                measure.reference,
                measure.tolerance,
                measure.action_level,
                measure.tolerance_type,
            )
            measure.deviation = qc.deviation(
                measure.value, measure.reference, measure.tolerance_type
            )

    @api.depends("reference", "tolerance", "action_level", "tolerance_type")
    def _compute_bands(self):
        for measure in self:
            low_a, low_t, high_t, high_a = qc.bands(
                measure.reference,
                measure.tolerance,
                measure.action_level,
                measure.tolerance_type or "absolute",
            )
            measure.action_low, measure.tolerance_low = low_a, low_t
            measure.tolerance_high, measure.action_high = high_t, high_a

    @api.constrains("request_id", "test_id")
    def _check_test_of_plan(self):
        for measure in self:
            # sudo: the check reads the plan, whatever the user may read.
            request = measure.sudo().request_id
            if measure.sudo().test_id.plan_id != request.maintenance_plan_id:
                raise ValidationError(
                    self.env._(
                        "%(test)s is not a test of the plan of %(request)s.",
                        test=measure.sudo().test_id.name,
                        request=request.display_name,
                    )
                )

    # ------------------------------------------------------------ workflow
    @api.model
    def _dm_complete_create_vals(self, vals):
        # The limits of the test as they are now (sudo: the server's copy).
        test = self.env["dm.qc.test"].sudo().browse(vals.get("test_id"))
        if test.exists():
            vals.update(
                {
                    "unit": test.unit,
                    "reference": test.reference,
                    "tolerance": test.tolerance,
                    "action_level": test.action_level,
                    "tolerance_type": test.tolerance_type,
                }
            )

    def _dm_check_open_for_change(self):
        result = super()._dm_check_open_for_change()
        user = self.env.user
        if self and not any(user.has_group(g) for g in REGISTER_KEEPERS):
            raise AccessError(
                self.env._(
                    "Only %(roles)s may record the quality-control measures of "
                    "%(device)s.",
                    roles=self._dm_group_names(REGISTER_KEEPERS),
                    device=", ".join(self.sudo().equipment_id.mapped("display_name")),
                )
            )
        # sudo: the control's stage decides, whatever the user reads.
        for request in self.sudo().request_id:
            if request.stage_id.done:
                raise UserError(
                    self.env._(
                        "%(request)s is done: its measures are kept in the "
                        "maintenance register as recorded. Record a new "
                        "control of the plan instead.",
                        request=request.display_name,
                    )
                )
        return result

    @api.model
    def _dm_check_not_failed(self, requests, new_tests=None):
        """Refuse a change of the measures of a non-compliant control: they
        stand in the register, and only a new compliant control of the plan
        brings the device back to use (checked before the change, on the
        result as it was). ``new_tests``: ``{request id: test ids}`` of new
        measures; a test not measured yet may still be recorded, so that the
        control is complete."""
        # sudo: the result decides, whatever the user may read.
        for request in requests.sudo():
            if request.operation_result != qc.NON_COMPLIANT:
                continue
            if new_tests is not None:
                measured = set(request.dm_qc_measure_ids.test_id.ids)
                tests = new_tests.get(request.id, [])
                if not measured & set(tests) and len(set(tests)) == len(tests):
                    continue
            raise UserError(
                self.env._(
                    "%(request)s is non-compliant: its measures stand in the "
                    "maintenance register. The device returns to use after "
                    "a new, compliant control of the plan.",
                    request=request.display_name,
                )
            )

    def _dm_check_client_write(self, vals):
        result = super()._dm_check_client_write(vals)
        self._dm_check_not_failed(self.request_id)
        return result

    @api.model_create_multi
    def create(self, vals_list):
        # Malformed values get the guard's message before anything reads them.
        for vals in vals_list:
            self._dm_check_create_input(vals)
        if not self.env.su:
            default = self.env.context.get("default_request_id")
            new_tests = {}
            for vals in vals_list:
                request_id = vals.get("request_id") or default
                if isinstance(request_id, int):
                    new_tests.setdefault(request_id, []).append(vals.get("test_id"))
            self._dm_check_not_failed(
                self.env["maintenance.request"].browse(list(new_tests)).exists(),
                new_tests,
            )
        measures = super().create(vals_list)
        # sudo: the server's reaction on the plans (use stopped, people told).
        measures.sudo().plan_id._dm_qc_react()
        return measures

    def write(self, vals):
        result = super().write(vals)
        self.sudo().plan_id._dm_qc_react()
        return result

    def _dm_history_reasons(self):
        reasons = super()._dm_history_reasons()
        request = self.sudo().request_id
        if request.stage_id.done:
            reasons.append(self.env._("its control done"))
        if request.operation_result == qc.NON_COMPLIANT:
            reasons.append(self.env._("its control non-compliant"))
        return reasons

    def _dm_history_message(self, reasons):
        return self.env._(
            "The measure %(measure)s has %(reasons)s, kept in the maintenance "
            "register: it cannot be deleted.",
            measure=self.display_name,
            reasons=", ".join(reasons),
        )
