from dateutil.relativedelta import relativedelta

from odoo import _lt, api, fields, models

from ..tools import qc
from ..tools import reader_text as rt
from .maintenance_plan import SYNC_KEY

ENGINEER = "medical_device.group_dm_engineer"
PHARMACIST = "medical_device.group_dm_pharmacist"
# What the recorded controls of a plan depend on: they stay its controls.
QC_PLAN_LOCKED_FIELDS = {"dm_nature", "equipment_id"}


class MaintenancePlan(models.Model):
    """Quality-control tests of a plan, the plan's due date and tolerance
    window (overdue), and the control that keeps its device out of use.
    Every figure here is computed from the plan's operations and measures:
    no client writes it."""

    _inherit = "maintenance.plan"  # pylint: disable=consider-merging-classes-inherited

    dm_qc_test_ids = fields.One2many(
        "dm.qc.test",
        "plan_id",
        string="Quality-control tests",
        groups="medical_device.group_dm_auditor",
        help="What each control of the plan measures, with its reference, "
        "tolerance and action level (QATrack+). A device model's tests are "
        "the tests of its devices' plans.",
    )
    dm_due_date = fields.Date(
        string="Due on",
        compute="_compute_dm_due",
        store=True,
        help="When the next operation is due: the earliest operation generated "
        "and not done, else the last one done plus the period, else the start "
        "date.",
    )
    dm_overdue_after = fields.Date(
        string="Overdue after",
        compute="_compute_dm_due",
        store=True,
        index=True,
        help="The due date plus the tolerance window: after this day the plan is "
        "overdue.",
    )
    dm_overdue = fields.Boolean(
        string="Control overdue",
        compute="_compute_dm_overdue",
        search="_search_dm_overdue",
        help="The plan is past its due date and its tolerance window.",
    )
    dm_failed_control_id = fields.Many2one(
        "maintenance.request",
        string="Failed control",
        compute="_compute_dm_failed_control",
        store=True,
        index="btree_not_null",
        help="The last non-compliant control of the plan not followed by a "
        "compliant control done: for a mandatory quality control, the device "
        "is out of use until then.",
    )
    dm_qc_mandatory = fields.Boolean(
        string="Mandatory quality control",
        compute="_compute_dm_qc_mandatory",
        help="A quality-control plan of a device whose quality control is "
        "obligatory (arrêté of 3 March 2003, ANSM decisions): a non-compliance "
        "or a lapse suspends the device's use.",
    )

    # ------------------------------------------------------------ computes
    @api.depends(
        "interval",
        "interval_step",
        "start_maintenance_date",
        "dm_tolerance_days",
        "dm_is_model_plan",
        "maintenance_ids.stage_id.done",
        "maintenance_ids.request_date",
        "maintenance_ids.close_date",
        "maintenance_ids.archive",
    )
    def _compute_dm_due(self):
        """Two grouped reads for the whole batch: the earliest open operation
        and the last one done of each plan."""
        ids = [p.id for p in self if isinstance(p.id, int)]
        open_dates, done_dates = {}, {}
        if ids:
            # sudo: the due date follows every operation, whatever the user reads.
            requests = self.env["maintenance.request"].sudo()
            base = [("maintenance_plan_id", "in", ids), ("archive", "=", False)]
            open_dates = dict(
                requests._read_group(
                    [*base, ("stage_id.done", "=", False)],
                    ["maintenance_plan_id"],
                    ["request_date:min"],
                )
            )
            done_dates = dict(
                requests._read_group(
                    [*base, ("stage_id.done", "=", True)],
                    ["maintenance_plan_id"],
                    ["close_date:max"],
                )
            )
        for plan in self:
            period = None
            if plan.interval > 0 and not plan.dm_is_model_plan and plan.equipment_id:
                period = relativedelta(**{f"{plan.interval_step}s": plan.interval})
            origin = plan._origin
            due = qc.due_date(
                [open_dates.get(origin)],
                done_dates.get(origin),
                period,
                plan.start_maintenance_date,
            )
            plan.dm_due_date = due
            plan.dm_overdue_after = qc.overdue_after(due, plan.dm_tolerance_days)

    @api.depends("dm_overdue_after", "active")
    @api.depends_context("tz")
    def _compute_dm_overdue(self):
        today = fields.Date.context_today(self)
        for plan in self:
            plan.dm_overdue = plan.active and qc.is_overdue(
                plan.dm_overdue_after, today
            )

    def _search_dm_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        today = fields.Date.context_today(self)
        positive = (operator == "=") == value
        domain = [("active", "=", True), ("dm_overdue_after", "<", today)]
        if positive:
            return domain
        return ["!", "&", *domain]

    @api.depends(
        "maintenance_ids.operation_result",
        "maintenance_ids.stage_id.done",
        "maintenance_ids.archive",
    )
    def _compute_dm_failed_control(self):
        for plan in self:
            # sudo: every control of the plan counts, whatever the user reads.
            controls = plan.sudo().with_context(active_test=False).maintenance_ids
            controls = controls.filtered(lambda r: not r.archive).sorted("id")
            failed = qc.failed_control(
                (r.id, r.operation_result, r.stage_id.done) for r in controls
            )
            plan.dm_failed_control_id = failed or False

    @api.depends("dm_nature", "equipment_id.quality_control_obligatory")
    def _compute_dm_qc_mandatory(self):
        for plan in self:
            plan.dm_qc_mandatory = bool(
                plan.dm_nature in qc.QC_NATURES
                and plan.sudo().equipment_id.quality_control_obligatory
            )

    # ------------------------------------------------------------ gates
    def _dm_history_locked_fields(self):
        locked = super()._dm_history_locked_fields()
        # sudo: the register decides, whatever the user may read.
        measures = self.env["dm.qc.measure"].sudo()
        if self.sudo().dm_failed_control_id or measures.search_count(
            [("plan_id", "=", self.id)], limit=1
        ):
            locked |= QC_PLAN_LOCKED_FIELDS
        return locked

    # ------------------------------------------------------------ model plans
    def _dm_sync_derived(self, devices=None):
        result = super()._dm_sync_derived(devices)
        self._dm_sync_tests()
        return result

    def _dm_sync_tests(self):
        """The plans that follow each model's plan get its tests: created,
        brought in line, archived when the model's test is (measures keep the
        limits they were recorded with)."""
        # sudo: the devices' tests are the server's copies of the model's.
        tests_model = (
            self.env["dm.qc.test"]
            .sudo()
            .with_context(**{SYNC_KEY: True, "active_test": False})
        )
        plan_model = self.env["maintenance.plan"].sudo().with_context(active_test=False)
        for model_plan in self.sudo().filtered("dm_is_model_plan"):
            model_tests = tests_model.search([("plan_id", "=", model_plan.id)])
            derived_plans = plan_model.search(
                [
                    ("dm_model_plan_id", "=", model_plan.id),
                    ("dm_overridden", "=", False),
                ]
            )
            if not derived_plans:
                continue
            copies = tests_model.search(
                [
                    ("plan_id", "in", derived_plans.ids),
                    ("model_test_id", "in", model_tests.ids),
                ]
            )
            by_key = {(t.plan_id.id, t.model_test_id.id): t for t in copies}
            to_create = []
            for test in model_tests:
                values = {
                    fname: test._fields[fname].convert_to_write(test[fname], test)
                    for fname in (
                        "name",
                        "sequence",
                        "unit",
                        "reference",
                        "tolerance_type",
                        "tolerance",
                        "action_level",
                        "active",
                    )
                }
                for plan in derived_plans:
                    copy = by_key.get((plan.id, test.id))
                    if copy is None:
                        to_create.append(
                            {**values, "plan_id": plan.id, "model_test_id": test.id}
                        )
                    elif any(copy[f] != test[f] for f in values):
                        copy.write(values)
            if to_create:
                tests_model.create(to_create)

    # ------------------------------------------------------------ reaction
    def _dm_qc_react(self):
        """After a control or a measure changed: stop the use on a new
        non-compliance of a mandatory quality control and tell the engineers
        (and the pharmacist when the ANSM decision asks for a declaration);
        resume it on the failed controls a compliant control has cleared."""
        # sudo: the server's reaction, checked by the change that caused it.
        # Only quality-control plans have controls that fail (the generation
        # of preventive operations pays nothing here).
        qc_plans = (
            self.sudo()
            .exists()
            .filtered(lambda p: p.dm_nature in qc.QC_NATURES and p.equipment_id)
        )
        if not qc_plans:
            return
        self.env.flush_all()
        now = fields.Datetime.now()
        for plan in qc_plans:
            failed = plan.dm_failed_control_id
            if failed and plan.dm_qc_mandatory and not failed.dm_qc_reported_on:
                values = {"dm_qc_reported_on": now}
                if not failed.use_stopped_on:
                    values["use_stopped_on"] = now
                failed.write(values)
                plan._dm_qc_tell(failed)
            cleared = plan.with_context(active_test=False).maintenance_ids.filtered(
                lambda r, f=failed: (
                    r.operation_result == qc.NON_COMPLIANT
                    and r.use_stopped_on
                    and not r.use_resumed_on
                    and r.dm_qc_reported_on
                    and (not f or r.id < f.id)
                    and r != f
                )
            )
            if cleared:
                cleared.write({"use_resumed_on": now})
                for request in cleared:
                    plan.equipment_id._dm_post_note(
                        rt.msg(
                            _lt(
                                "Use resumed: a compliant control of %(plan)s "
                                "followed the non-compliance of %(request)s."
                            ),
                            plan=rt.record(plan._name, plan.id, plan.name),
                            request=rt.record(request._name, request.id, request.name),
                        )
                    )

    def _dm_qc_requirements(self):
        """The obligations this plan's nature meets on its device."""
        self.ensure_one()
        device = self.equipment_id
        requirements = self.env["dm.plan.requirement"].sudo()._dm_applicable(device)
        return requirements.filtered(lambda r: r.nature == self.dm_nature)

    def _dm_qc_tell(self, failed):
        """Note on the device and the control; an activity for each engineer of
        the device's hospital and, when an obligation says so, each
        pharmacist, in their own language."""
        device = self.equipment_id
        note = rt.msg(
            _lt(
                "Use suspended: the mandatory quality control %(request)s is "
                "non-compliant (%(plan)s). The device returns to use after a "
                "compliant control of the plan."
            ),
            request=rt.record(failed._name, failed.id, failed.name),
            plan=rt.record(self._name, self.id, self.name),
        )
        device._dm_post_note(note)
        failed._dm_post_note(note)
        approvals = self.env["dm.approval"]
        summary = rt.msg(
            _lt("Non-compliant quality control: %(device)s"),
            device=rt.record(device._name, device.id, device.name),
        )
        for user in approvals._group_members(ENGINEER, device.company_id):
            failed._dm_activity_schedule(
                user,
                summary=summary,
                note=note,
                act_type_xmlid="mail.mail_activity_data_todo",
            )
        declare = self._dm_qc_requirements().filtered("notify_pharmacist")
        if declare:
            pharmacist_note = rt.msg(
                _lt(
                    "%(request)s is non-compliant and %(reference)s asks for a "
                    "declaration: check whether it must be reported to the ANSM "
                    "(matériovigilance)."
                ),
                request=rt.record(failed._name, failed.id, failed.name),
                reference=rt.value(
                    declare[0]._name,
                    declare[0].id,
                    "source_reference" if declare[0].source_reference else "name",
                    declare[0].source_reference or declare[0].name,
                ),
            )
            for user in approvals._group_members(PHARMACIST, device.company_id):
                failed._dm_activity_schedule(
                    user,
                    summary=summary,
                    note=pharmacist_note,
                    act_type_xmlid="mail.mail_activity_data_todo",
                )
