from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import qc
from .maintenance_plan import SYNC_KEY

# What a device's test takes from its model's test while its plan follows it.
SYNCED_TEST_FIELDS = (
    "name",
    "sequence",
    "unit",
    "reference",
    "tolerance_type",
    "tolerance",
    "action_level",
    "active",
)


class DmQcTest(models.Model):
    """A test of a quality-control plan, as QATrack+ has them: what is
    measured, in which unit, its reference value, its tolerance and its
    action level (absolute or in percent of the reference). A control of the
    plan records one measure per test; its result follows from them.

    The tests of a device model's plan are the tests of the plans of its
    devices (copied, as the model-plan sync does for the plan's other
    fields); who may change a test is who may change its plan."""

    _name = "dm.qc.test"
    _inherit = ["dm.workflow.mixin"]
    _description = "Quality-control test"
    _order = "plan_id, sequence, id"
    _check_company_auto = True

    _dm_state_field = None
    _dm_protected_fields = ("model_test_id",)
    _dm_create_only_fields = ("plan_id",)

    plan_id = fields.Many2one(
        "maintenance.plan",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="plan_id.company_id", store=True, index=True, string="Company"
    )
    equipment_id = fields.Many2one(
        related="plan_id.equipment_id", store=True, index=True, string="Device"
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    name = fields.Char(
        string="Test",
        required=True,
        help="What is measured, e.g. mean glandular dose at the reference phantom.",
    )
    unit = fields.Char(help="The unit of the measures, e.g. mGy, %, mm.")
    reference = fields.Float(
        string="Reference value",
        digits=(16, 4),
        help="The expected value (baseline) the measures are compared with.",
    )
    tolerance_type = fields.Selection(
        qc.TOLERANCE_TYPES,
        string="Limits in",
        required=True,
        default="absolute",
        help="Absolute limits are in the test's unit; percent limits are a "
        "share of the reference value.",
    )
    tolerance = fields.Float(
        digits=(16, 4),
        help="Largest deviation from the reference that is within tolerance: a "
        "measure within it is OK; a control whose measures are all OK is "
        "compliant.",
    )
    action_level = fields.Float(
        string="Action level",
        digits=(16, 4),
        help="Largest deviation still acceptable: a measure beyond the tolerance "
        "but within the action level makes the control out of tolerance (a "
        "warning, the device stays in use); beyond the action level the control "
        "is non-compliant (a mandatory control then suspends the device's use).",
    )
    model_test_id = fields.Many2one(
        "dm.qc.test",
        string="Model's test",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
        copy=False,
        check_company=True,
        help="The test of the device model's plan this test follows.",
    )
    measure_count = fields.Integer(compute="_compute_measure_count", string="Measures")

    @api.constrains("tolerance", "action_level", "tolerance_type", "reference")
    def _check_limits(self):
        for test in self:
            if test.tolerance < 0 or test.action_level < test.tolerance:
                raise ValidationError(
                    self.env._(
                        "%(test)s: the action level (%(action)s) must be at least "
                        "the tolerance (%(tolerance)s), and neither negative.",
                        test=test.name,
                        action=test.action_level,
                        tolerance=test.tolerance,
                    )
                )
            if test.tolerance_type == "percent" and not test.reference:
                raise ValidationError(
                    self.env._(
                        "%(test)s: limits in percent need a reference value "
                        "other than zero.",
                        test=test.name,
                    )
                )

    def _compute_measure_count(self):
        counts = dict(
            self.env["dm.qc.measure"]._read_group(
                [("test_id", "in", self.ids)], ["test_id"], ["__count"]
            )
        )
        for test in self:
            test.measure_count = counts.get(test, 0)

    def _dm_limits(self):
        """``(reference, tolerance, action level, type)`` as measures keep them."""
        self.ensure_one()
        return (self.reference, self.tolerance, self.action_level, self.tolerance_type)

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        tests = super().create(vals_list)
        tests._dm_sync_model_tests()
        return tests

    def write(self, vals):
        result = super().write(vals)
        if not (self.env.su and self.env.context.get(SYNC_KEY)):
            self._dm_sync_model_tests()
        return result

    def _dm_sync_model_tests(self):
        # sudo: the server's copies of a model's tests, whose change was
        # checked as its user (an engineer).
        model_plans = self.sudo().plan_id.filtered("dm_is_model_plan")
        if model_plans:
            model_plans._dm_sync_derived()

    # ------------------------------------------------------------ workflow
    def _dm_check_open_for_change(self):
        result = super()._dm_check_open_for_change()
        # Who may change a test is who may change its plan.
        # sudo: the plan's rulebook reads it whatever the user reads.
        self.sudo().plan_id.with_env(self.env)._dm_check_open_for_change()
        for test in self:
            plan = test.sudo().plan_id
            if test.sudo().model_test_id and not plan.dm_overridden:
                raise UserError(
                    self.env._(
                        "%(test)s follows the plan of the device model: change "
                        "the model's plan, or make the device's plan its own "
                        "first (untick it follows the model).",
                        test=test.name,
                    )
                )
        return result

    def _dm_history_reasons(self):
        reasons = super()._dm_history_reasons()
        # sudo: every measure counts, whatever the user may read.
        if (
            self.env["dm.qc.measure"]
            .sudo()
            .search_count([("test_id", "=", self.id)], limit=1)
        ):
            reasons.append(self.env._("measures recorded"))
        return reasons

    def _dm_history_message(self, reasons):
        return self.env._(
            "%(test)s has %(reasons)s, kept in the maintenance register: it "
            "cannot be deleted, archive it instead.",
            test=self.display_name,
            reasons=", ".join(reasons),
        )
