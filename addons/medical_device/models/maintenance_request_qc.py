from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import qc

# What a control's measures or its result hold in place: the register says
# which device and plan it controlled, and it stays in the register.
QC_LOCKED_FIELDS = {"equipment_id", "maintenance_plan_id", "archive"}


class MaintenanceRequest(models.Model):
    """A quality-control operation records its measures against the plan's
    tests; its result follows from them (see ``tools/qc.py``) and no client
    sets another. A non-compliant control of a mandatory quality control
    stops the device's use until a compliant control of the same plan."""

    _inherit = "maintenance.request"  # pylint: disable=consider-merging-classes-inherited

    dm_qc_measure_ids = fields.One2many(
        "dm.qc.measure",
        "request_id",
        string="Quality-control measures",
        groups="medical_device.group_dm_auditor",
    )
    dm_qc_test_ids = fields.One2many(
        related="maintenance_plan_id.dm_qc_test_ids",
        string="Tests of the plan",
        groups="medical_device.group_dm_auditor",
    )
    operation_result = fields.Selection(
        selection_add=[("out_of_tolerance", "Out of tolerance")],
        ondelete={"out_of_tolerance": "set null"},
        compute="_compute_operation_result",
        store=True,
        readonly=False,
        help="For a control of a plan with tests, it follows from the measures "
        "(QATrack+ tolerances): compliant when every test is within tolerance; "
        "out of tolerance when one is beyond its tolerance but within its "
        "action level (a warning: the device stays in use); non-compliant when "
        "one is beyond its action level (a mandatory control then suspends the "
        "device's use until a compliant control of the plan).",
    )
    dm_qc_result_derived = fields.Boolean(
        string="Result from measures",
        compute="_compute_dm_qc_result_derived",
        help="The control's plan has tests: its result follows from its measures.",
    )
    dm_qc_reported_on = fields.Datetime(
        string="Non-compliance reported on",
        readonly=True,
        copy=False,
        help="When the engineer (and, if the ANSM decision asks it, the "
        "pharmacist) were told of this non-compliant control.",
    )

    @api.depends(
        "dm_qc_measure_ids.status",
        "dm_qc_measure_ids.test_id",
        "maintenance_plan_id.dm_qc_test_ids.active",
    )
    def _compute_operation_result(self):
        for request in self:
            derived = request._dm_qc_derived_result()
            if derived is not None:
                request.operation_result = derived or False
            else:
                # No test, no measure: the result recorded by hand stays.
                request.operation_result = request.operation_result or False

    @api.depends("maintenance_plan_id")
    def _compute_dm_qc_result_derived(self):
        for request in self:
            request.dm_qc_result_derived = request._origin._dm_qc_has_tests()

    def _dm_qc_derived_result(self):
        """The result its measures give (None: no measure, no test); the
        latest measure of each test counts."""
        self.ensure_one()
        # sudo: the result follows from every measure, whatever the user reads.
        request = self.sudo()
        tests = request.maintenance_plan_id.dm_qc_test_ids.filtered("active")
        measures = request.dm_qc_measure_ids
        if not measures and not tests:
            return None
        if not measures:
            return False
        latest = {}
        for measure in measures.sorted(lambda m: (m.measured_on, m.id)):
            latest[measure.test_id.id] = measure.status
        return qc.control_result(latest, tests.ids) or False

    def _dm_qc_has_tests(self):
        # sudo: see _dm_qc_derived_result.
        return bool(
            self.sudo().dm_qc_measure_ids
            or self.sudo().maintenance_plan_id.dm_qc_test_ids.filtered("active")
        )

    # ------------------------------------------------------------ gates
    def _dm_history_locked_fields(self):
        locked = super()._dm_history_locked_fields()
        # sudo: the register decides, whatever the user may read.
        request = self.sudo()
        if request.dm_qc_measure_ids:
            locked |= QC_LOCKED_FIELDS
        if request.id and request._dm_qc_failed_plans():
            locked |= QC_LOCKED_FIELDS | {
                "use_stopped_on",
                "use_resumed_on",
                "operation_result",
            }
        return locked

    def _dm_qc_failed_plans(self):
        """The plans whose use stop this control holds."""
        self.ensure_one()
        # sudo: the plan's failed control is the server's.
        return (
            self.env["maintenance.plan"]
            .sudo()
            .with_context(active_test=False)
            .search([("dm_failed_control_id", "=", self.id)])
        )

    def _dm_qc_check_result(self, vals):
        """A control of a plan with tests has the result of its measures:
        refuse any other a client gives (or leaves by a default)."""
        for request in self:
            if not request._dm_qc_has_tests():
                continue
            derived = request._dm_qc_derived_result() or False
            given = vals.get("operation_result", request.operation_result) or False
            if given != derived or (request.operation_result or False) != derived:
                raise UserError(
                    self.env._(
                        "%(request)s: the result of a quality control follows "
                        "from its measures against the plan's tolerances; it "
                        "cannot be set by hand.",
                        request=request.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        requests = super().create(vals_list)
        if not self.env.su:
            for request, vals in zip(requests, vals_list, strict=True):
                request._dm_qc_check_result(vals)
        # sudo: the server's reaction (use stopped, people told).
        requests.sudo().maintenance_plan_id._dm_qc_react()
        return requests

    def write(self, vals):
        plans_before = self.sudo().maintenance_plan_id
        result = super().write(vals)
        if not self.env.su and (
            "operation_result" in vals or "maintenance_plan_id" in vals
        ):
            self._dm_qc_check_result(vals)
        # sudo: see create.
        (plans_before | self.sudo().maintenance_plan_id)._dm_qc_react()
        return result

    def _dm_history_reasons(self):
        reasons = super()._dm_history_reasons()
        # sudo: every measure counts, whatever the user may read.
        if self.sudo().dm_qc_measure_ids:
            reasons.append(self.env._("quality-control measures"))
        return reasons
