from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import MedicalDeviceCase, pieu_levels


@tagged("post_install", "-at_install")
class TestQc(MedicalDeviceCase):
    """Results against tolerances, suspension on a failed or lapsed mandatory
    quality control, return to use, overdue plans and the engineer's
    override, as each role would over RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Plan = cls.env["maintenance.plan"]
        cls.Request = cls.env["maintenance.request"]
        cls.Measure = cls.env["dm.qc.measure"]
        cls.Override = cls.env["dm.qc.override"]
        cls.done_stage = cls.env["maintenance.stage"].search(
            [("done", "=", True)], limit=1
        )
        cls.requirement = cls.env.ref(
            "medical_device.dm_plan_requirement_mammography_internal"
        )

    # ------------------------------------------------------------ helpers
    def fresh(self, device):
        """The device as a new RPC call reads it (its statuses are computed
        from the plans and controls at each read)."""
        self.env.invalidate_all()
        return device

    def mammograph(self, serial="MAM-1", **overrides):
        vals = {
            **self._acquisition_vals(serial_no=serial, name="Mammograph"),
            **self._regulatory_vals(),
            "is_ionising": True,
            "imaging_modality": "mammography",
            "lifecycle_state": "in_service",
            **self.pieu_ct,
            **overrides,
        }
        # sudo: a device already in service, as a data load brings it.
        return self.Equipment.sudo().create(vals).sudo(False)

    def qc_plan(self, device, user="technician", **overrides):
        vals = {
            "name": "Monthly internal QC",
            "equipment_id": device.id,
            "dm_nature": "qc_internal",
            "interval": 1,
            "interval_step": "month",
            "dm_tolerance_days": 7,
            "dm_performer": "internal",
        }
        vals.update(overrides)
        plan = self.Plan.with_user(self.users[user]).create(vals)
        tests = self.env["dm.qc.test"].with_user(self.users[user])
        self.dose = tests.create(
            {
                "plan_id": plan.id,
                "name": "Mean glandular dose",
                "unit": "mGy",
                "reference": 1.6,
                "tolerance_type": "percent",
                "tolerance": 10,
                "action_level": 25,
            }
        )
        self.cnr = tests.create(
            {
                "plan_id": plan.id,
                "name": "CNR",
                "reference": 8.0,
                "tolerance": 0.5,
                "action_level": 1.0,
            }
        )
        return plan

    def control(self, plan, dose=None, cnr=None, done=False, user="technician"):
        request = self.Request.with_user(self.users[user]).create(
            {
                "name": "QC",
                "equipment_id": plan.equipment_id.id,
                "maintenance_plan_id": plan.id,
                "maintenance_type": "preventive",
            }
        )
        measures = self.Measure.with_user(self.users[user])
        for test, value in ((self.dose, dose), (self.cnr, cnr)):
            if value is not None:
                measures.create(
                    {"request_id": request.id, "test_id": test.id, "value": value}
                )
        if done:
            request.write({"stage_id": self.done_stage.id})
        return request

    # ------------------------------------------------------------ results
    def test_result_follows_the_measures(self):
        device = self.mammograph()
        plan = self.qc_plan(device)
        self.assertEqual(self.control(plan, 1.65, 8.2).operation_result, "compliant")
        self.assertEqual(
            self.control(plan, 1.9, 8.2).operation_result, "out_of_tolerance"
        )
        failed = self.control(plan, 1.65, 6.5)
        self.assertEqual(failed.operation_result, "non_compliant")
        # A test missing: no result yet.
        self.assertFalse(self.control(plan, 1.65).operation_result)
        # The measure keeps the limits of its time and its status.
        measure = failed.dm_qc_measure_ids.filtered(lambda m: m.test_id == self.cnr)
        self.assertEqual(measure.status, "action")
        self.assertEqual((measure.reference, measure.action_level), (8.0, 1.0))
        self.dose.with_user(self.users["technician"]).write({"reference": 1.7})
        self.assertEqual(failed.dm_qc_measure_ids.mapped("reference"), [1.6, 8.0])

    def test_forged_result_is_refused(self):
        device = self.mammograph()
        plan = self.qc_plan(device)
        failed = self.control(plan, 2.2, 8.0)
        self.assertEqual(failed.operation_result, "non_compliant")
        for user in ("technician", "engineer"):
            with self.subTest(user=user), self.assertRaises(UserError):
                failed.with_user(self.users[user]).write(
                    {"operation_result": "compliant"}
                )
        self.assertEqual(failed.operation_result, "non_compliant")
        # A new control declared compliant without measures, by value or by a
        # context default, done at once: refused.
        tech = self.Request.with_user(self.users["technician"])
        vals = {
            "name": "QC",
            "equipment_id": device.id,
            "maintenance_plan_id": plan.id,
            "stage_id": self.done_stage.id,
        }
        with self.assertRaises(UserError):
            tech.create({**vals, "operation_result": "compliant"})
        with self.assertRaises(UserError):
            tech.with_context(default_operation_result="compliant").create(vals)
        # Measures and a forged result in one write: refused too.
        pending = self.control(plan)
        with self.assertRaises(UserError):
            pending.with_user(self.users["technician"]).write(
                {
                    "dm_qc_measure_ids": [
                        (0, 0, {"test_id": self.dose.id, "value": 2.5}),
                        (0, 0, {"test_id": self.cnr.id, "value": 8.0}),
                    ],
                    "operation_result": "compliant",
                }
            )
        self.assertFalse(pending.dm_qc_measure_ids)
        self.assertTrue(self.fresh(device).dm_use_suspended)

    def test_measure_limits_are_the_servers(self):
        device = self.mammograph()
        plan = self.qc_plan(device)
        request = self.control(plan)
        measures = self.Measure.with_user(self.users["technician"])
        with self.assertRaises(UserError):
            measures.create(
                {
                    "request_id": request.id,
                    "test_id": self.dose.id,
                    "value": 2.5,
                    "action_level": 100,
                }
            )
        measure = measures.with_context(
            default_action_level=100, default_reference=2.5, default_status="ok"
        ).create({"request_id": request.id, "test_id": self.dose.id, "value": 2.5})
        self.assertEqual((measure.reference, measure.action_level), (1.6, 25))
        self.assertEqual(measure.status, "action")
        with self.assertRaises(UserError):
            measure.write({"status": "ok"})
        # A measure of another plan's test is refused.
        other = self.qc_plan(self.mammograph("MAM-2"))
        with self.assertRaises(ValidationError):
            measures.create(
                {
                    "request_id": request.id,
                    "test_id": other.dm_qc_test_ids[0].id,
                    "value": 1,
                }
            )

    def test_only_the_register_keepers_record_measures(self):
        device = self.mammograph()
        plan = self.qc_plan(device)
        request = self.control(plan)
        for role in ("pharmacist", "rssi", "dpo", "auditor"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                self.Measure.with_user(self.users[role]).create(
                    {"request_id": request.id, "test_id": self.dose.id, "value": 1.6}
                )
            # Every role reads them.
            self.assertEqual(
                self.Measure.with_user(self.users[role]).search_count(
                    [("request_id", "=", request.id)]
                ),
                0,
            )

    # ------------------------------------------------------------ suspension
    def test_non_compliance_suspends_and_tells_the_engineer(self):
        self.requirement.sudo().notify_pharmacist = True
        device = self.mammograph()
        plan = self.qc_plan(device)
        self.control(plan, 1.6, 8.0, done=True)
        self.assertFalse(self.fresh(device).dm_use_suspended)
        failed = self.control(plan, 2.3, 8.0)
        self.assertTrue(self.fresh(device).dm_use_suspended)
        self.assertIn(failed.name, device.dm_use_suspension_reason)
        self.assertTrue(failed.use_stopped_on)
        self.assertTrue(failed.dm_qc_reported_on)
        self.assertEqual(plan.dm_failed_control_id, failed)
        self.assertIn(
            device,
            self.Equipment.search([("dm_use_suspended", "=", True)]),
        )
        assignees = failed.sudo().activity_ids.user_id
        self.assertIn(self.users["engineer"], assignees)
        self.assertIn(self.users["pharmacist"], assignees)
        self.assertNotIn(self.users["technician"], assignees)

    def test_pharmacist_is_told_only_when_the_decision_says_so(self):
        self.requirement.sudo().notify_pharmacist = False
        device = self.mammograph()
        plan = self.qc_plan(device)
        failed = self.control(plan, 2.3, 8.0)
        assignees = failed.sudo().activity_ids.user_id
        self.assertIn(self.users["engineer"], assignees)
        self.assertNotIn(self.users["pharmacist"], assignees)

    def test_a_non_mandatory_qc_does_not_suspend(self):
        device = self.mammograph(is_ionising=False, imaging_modality=False)
        self.assertFalse(device.quality_control_obligatory)
        plan = self.qc_plan(device)
        self.control(plan, 2.3, 8.0)
        self.assertEqual(plan.dm_failed_control_id.operation_result, "non_compliant")
        self.assertFalse(self.fresh(device).dm_use_suspended)

    def test_return_to_use_only_after_a_compliant_control(self):
        device = self.mammograph()
        plan = self.qc_plan(device)
        failed = self.control(plan, 2.3, 8.0)
        tech = self.users["technician"]
        engineer = self.users["engineer"]
        now = fields.Datetime.now()
        # No route back by the failed control itself.
        for user in (tech, engineer):
            for vals in (
                {"use_resumed_on": now},
                {"use_stopped_on": False},
                {"archive": True},
                {"maintenance_plan_id": False},
            ):
                with (
                    self.subTest(user=user.login, vals=vals),
                    self.assertRaises(UserError),
                ):
                    failed.with_user(user).write(vals)
        measure = failed.dm_qc_measure_ids[0]
        with self.assertRaises(UserError):
            measure.with_user(tech).write({"value": 1.6})
        with self.assertRaises(UserError):
            measure.with_user(engineer).unlink()
        with self.assertRaises(UserError):
            self.Measure.with_user(tech).create(
                {"request_id": failed.id, "test_id": self.dose.id, "value": 1.6}
            )
        with self.assertRaises(UserError):
            failed.with_user(engineer).unlink()
        # Nor by the device's obligations.
        with self.assertRaises(UserError):
            device.with_user(engineer).write({"is_ionising": False})
        self.assertTrue(device.quality_control_obligatory)
        # Nor by the plan: its nature and device are its controls'.
        with self.assertRaises(UserError):
            plan.with_user(tech).write({"dm_nature": "preventive"})
        self.assertTrue(self.fresh(device).dm_use_suspended)
        self.assertFalse(failed.use_resumed_on)
        # An out-of-tolerance control, or a compliant one not done: still out.
        self.control(plan, 1.9, 8.0, done=True)
        pending = self.control(plan, 1.6, 8.0)
        self.assertTrue(self.fresh(device).dm_use_suspended)
        # Done: back in use, the failed control's use resumed.
        pending.with_user(tech).write({"stage_id": self.done_stage.id})
        self.assertFalse(self.fresh(device).dm_use_suspended)
        self.assertFalse(plan.dm_failed_control_id)
        self.assertTrue(failed.use_resumed_on)

    # ------------------------------------------------------------ overdue
    def overdue_plan(self, device, nature="qc_internal", days_late=10):
        """A plan whose first operation was due long enough ago."""
        start = fields.Date.today() - timedelta(days=7 + days_late)
        plan = self.qc_plan(device, dm_nature=nature, start_maintenance_date=start)
        self.assertTrue(plan.dm_overdue)
        return plan

    def test_overdue_plan_marks_the_device(self):
        device = self.mammograph()
        on_time = self.mammograph("MAM-2")
        self.qc_plan(on_time)
        plan = self.overdue_plan(device)
        self.assertTrue(self.fresh(device).dm_control_overdue)
        self.assertFalse(self.fresh(on_time).dm_control_overdue)
        overdue = self.Equipment.search([("dm_control_overdue", "=", True)])
        self.assertIn(device, overdue)
        self.assertNotIn(on_time, overdue)
        self.assertIn(
            on_time, self.Equipment.search([("dm_control_overdue", "=", False)])
        )
        # The computed dates are the server's.
        for fname, value in (
            ("dm_overdue_after", fields.Date.today() + timedelta(days=100)),
            ("dm_due_date", fields.Date.today()),
            ("dm_failed_control_id", False),
        ):
            with self.subTest(field=fname), self.assertRaises(UserError):
                plan.with_user(self.users["engineer"]).write({fname: value})
        # A control done: the next is due a period later.
        self.control(plan, 1.6, 8.0, done=True)
        self.assertFalse(plan.dm_overdue)
        self.assertFalse(self.fresh(device).dm_control_overdue)

    def test_overdue_preventive_does_not_suspend(self):
        device = self.mammograph()
        self.overdue_plan(device, nature="preventive")
        self.assertTrue(self.fresh(device).dm_control_overdue)
        self.assertFalse(self.fresh(device).dm_use_suspended)

    def test_overdue_mandatory_qc_suspends_until_done(self):
        device = self.mammograph()
        plan = self.overdue_plan(device)
        self.assertTrue(self.fresh(device).dm_use_suspended)
        self.assertIn(plan.name, device.dm_use_suspension_reason)
        self.control(plan, 1.6, 8.0, done=True)
        self.assertFalse(self.fresh(device).dm_use_suspended)

    def test_override_by_an_engineer_with_a_reason(self):
        device = self.mammograph()
        plan = self.overdue_plan(device)
        overrides = self.Override.with_user(self.users["engineer"])
        with self.assertRaises(UserError):
            overrides.create({"plan_id": plan.id, "reason": "  "})
        with self.assertRaises(ValidationError):
            overrides.create(
                {
                    "plan_id": plan.id,
                    "reason": "Visit booked",
                    "expiry_date": fields.Date.today() + timedelta(days=400),
                }
            )
        override = overrides.with_context(
            default_engineer_id=self.users["technician"].id,
            default_due_date=fields.Date.today() + timedelta(days=365),
        ).create({"plan_id": plan.id, "reason": "External body booked next week"})
        self.assertEqual(override.engineer_id, self.users["engineer"])
        self.assertEqual(override.due_date, plan.dm_due_date)
        self.assertTrue(override.dm_valid)
        self.assertFalse(self.fresh(device).dm_use_suspended)
        self.assertTrue(self.fresh(device).dm_control_overdue)
        self.assertIn(device, self.Equipment.search([("dm_use_suspended", "=", False)]))
        self.assertIn(override, self.Override.search([("dm_valid", "=", True)]))
        # Tracked, and noted on the device.
        self.assertIn("External body booked", device.message_ids[0].body)
        # Its reason and period are kept as given.
        for vals in ({"reason": "other"}, {"expiry_date": fields.Date.today()}):
            with self.assertRaises(UserError):
                override.write(vals)
        with self.assertRaises(UserError):
            override.unlink()
        # Withdrawn (archived, tracked): suspended again.
        override.write({"active": False})
        self.assertIn("active", self.tracked_fields(override))
        self.assertTrue(self.fresh(device).dm_use_suspended)

    def test_override_ends_with_the_control_done(self):
        device = self.mammograph()
        plan = self.overdue_plan(device)
        override = self.Override.with_user(self.users["engineer"]).create(
            {"plan_id": plan.id, "reason": "Visit booked"}
        )
        self.control(plan, 1.6, 8.0, done=True)
        self.assertFalse(override.dm_valid)
        self.assertFalse(override.dm_current)

    def test_only_engineers_override(self):
        device = self.mammograph()
        plan = self.overdue_plan(device)
        for role in ("technician", "pharmacist", "rssi", "dpo", "auditor", "internal"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                self.Override.with_user(self.users[role]).create(
                    {"plan_id": plan.id, "reason": "Please"}
                )
        self.assertFalse(self.Override.search([("plan_id", "=", plan.id)]))
        self.assertTrue(self.fresh(device).dm_use_suspended)
        override = self.Override.with_user(self.users["engineer"]).create(
            {"plan_id": plan.id, "reason": "Visit booked"}
        )
        with self.assertRaises(AccessError):
            override.with_user(self.users["technician"]).write({"active": False})
        self.assertTrue(override.active)

    def test_no_override_without_a_lapse(self):
        device = self.mammograph()
        plan = self.qc_plan(device)
        with self.assertRaises(UserError):
            self.Override.with_user(self.users["engineer"]).create(
                {"plan_id": plan.id, "reason": "Just in case"}
            )

    # ------------------------------------------------------------ model plans
    def test_model_plan_tests_reach_its_devices(self):
        device = self.mammograph(model="MAMMO-X")
        model_plan = self.Plan.with_user(self.users["engineer"]).create(
            {
                "name": "Model QC",
                "dm_model_name": "MAMMO-X",
                "dm_nature": "qc_internal",
                "interval": 1,
                "interval_step": "month",
                "dm_performer": "internal",
            }
        )
        test = (
            self.env["dm.qc.test"]
            .with_user(self.users["engineer"])
            .create(
                {
                    "plan_id": model_plan.id,
                    "name": "Dose",
                    "reference": 1.6,
                    "tolerance": 0.1,
                    "action_level": 0.3,
                }
            )
        )
        derived = device.maintenance_plan_ids.filtered("dm_model_plan_id")
        copy = derived.dm_qc_test_ids
        self.assertEqual(copy.model_test_id, test)
        self.assertEqual((copy.reference, copy.action_level), (1.6, 0.3))
        test.with_user(self.users["engineer"]).write({"action_level": 0.4})
        self.assertEqual(copy.action_level, 0.4)
        # The technician changes the model's tests neither there nor on the
        # device's plan that follows it.
        with self.assertRaises(AccessError):
            test.with_user(self.users["technician"]).write({"action_level": 1})
        with self.assertRaises(UserError):
            copy.with_user(self.users["technician"]).write({"action_level": 1})
        with self.assertRaises(UserError):
            copy.with_user(self.users["technician"]).write({"model_test_id": False})
        self.assertEqual(copy.action_level, 0.4)

    # ------------------------------------------------------------ queries
    def test_statuses_search_in_a_bounded_number_of_queries(self):
        def count_queries(size, start):
            devices = self.Equipment.browse()
            for index in range(size):
                device = self.mammograph(f"Q-{start + index}")
                self.overdue_plan(device, nature="preventive")
                devices |= device
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            overdue = self.Equipment.search([("dm_control_overdue", "=", True)])
            suspended = self.Equipment.search([("dm_use_suspended", "=", True)])
            searched = self.env.cr.sql_log_count - before
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            devices.mapped("dm_use_suspended")
            computed = self.env.cr.sql_log_count - before
            self.assertTrue(devices <= overdue)
            self.assertFalse(devices & suspended)
            return searched, computed

        count_queries(1, 200)  # caches of the rules and groups
        small = count_queries(3, 0)
        large = count_queries(30, 100)
        self.assertEqual(small, large)
        self.assertLessEqual(large[0], 2)
        self.assertLessEqual(large[1], 6)

    def test_dashboard_counts_the_moderate_devices_overdue(self):
        dashboard = self.env["dm.dashboard"].with_user(self.users["engineer"])
        clock = dashboard._dm_clock()
        before = dashboard._dm_indicator_mod_control_overdue(clock)["value"]
        moderate = pieu_levels(self.env, 1, 2, 1, 2)
        device = self.mammograph("MOD-1", is_ionising=False, **moderate)
        self.assertEqual(device.pieu_criticality, "moderate")
        self.overdue_plan(device, nature="preventive")
        self.env.invalidate_all()
        result = dashboard._dm_indicator_mod_control_overdue(clock)
        self.assertEqual(result["value"], before + 1)
        self.assertIn(device, self.Equipment.search(result["domain"]))
        late = dashboard._dm_indicator_mod_devices_late_rate(clock)
        self.assertIn(device, self.Equipment.search(late["domain"]))

    def test_trend_chart_data(self):
        device = self.mammograph()
        plan = self.qc_plan(device)
        self.control(plan, 1.65, 8.2, done=True)
        self.control(plan, 2.3, 8.0)
        data = self.Equipment.with_user(self.users["auditor"]).get_qc_trends(
            device.id, self.dose.id
        )
        self.assertEqual([t["id"] for t in data["tests"]], [self.dose.id, self.cnr.id])
        self.assertEqual([p["value"] for p in data["points"]], [1.65, 2.3])
        self.assertEqual([p["status"] for p in data["points"]], ["ok", "action"])
        point = data["points"][0]
        self.assertAlmostEqual(point["tolerance_high"], 1.76)
        self.assertAlmostEqual(point["action_low"], 1.2)
        self.assertEqual(data["unit"], "mGy")
        devices = self.Equipment.with_user(self.users["auditor"]).get_qc_trend_devices()
        self.assertIn(device.id, [d["id"] for d in devices])
        # A user who may not read the device gets nothing of it.
        with self.assertRaises(AccessError):
            self.Equipment.with_user(self.users["internal"]).get_qc_trends(device.id)
