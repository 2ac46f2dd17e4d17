"""Generation of the operations of medical devices' plans, batched: by the
daily cron and by "generate now", as the roles that would do it, with OCA's
dates and horizon, without duplicates, and a bounded number of queries."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import MedicalDeviceCase


@tagged("post_install", "-at_install")
class TestPlanGeneration(MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Plan = cls.env["maintenance.plan"]
        cls.Request = cls.env["maintenance.request"]
        cls.today = fields.Date.today()
        cls.maker = cls.env["res.partner"].create({"name": "Gen maker"})

    def fleet(self, prefix, count, model="GEN-100"):
        """Devices of an existing fleet, in service (as the import makes
        them), each with a six-monthly QC of its own."""
        devices = self.Equipment.sudo().create(
            [
                {
                    "name": f"{prefix} {index}",
                    "serial_no": f"{prefix}-{index}",
                    "is_medical_device": True,
                    "lifecycle_state": "in_service",
                    "model": model,
                    "manufacturer_id": self.maker.id,
                }
                for index in range(count)
            ]
        )
        self.Plan.sudo().create(
            [
                {
                    "name": "Internal QC",
                    "equipment_id": device.id,
                    "dm_nature": "qc_internal",
                    "interval": 6,
                    "interval_step": "month",
                    "maintenance_plan_horizon": 6,
                    "planning_step": "month",
                    "dm_performer": "internal",
                }
                for device in devices
            ]
        )
        return devices

    def model_plan(self, model="GEN-100"):
        return self.Plan.with_user(self.users["engineer"]).create(
            {
                "name": "Yearly maintenance",
                "dm_model_name": model,
                "dm_model_manufacturer_id": self.maker.id,
                "dm_nature": "preventive",
                "interval": 1,
                "interval_step": "year",
                "dm_performer": "internal",
            }
        )

    def operations(self, devices):
        return self.Request.search([("equipment_id", "in", devices.ids)])

    def test_cron_then_button_create_each_operation_once(self):
        self.model_plan()
        devices = self.fleet("GEN", 3)
        self.env["maintenance.equipment"]._cron_generate_requests()
        first = self.operations(devices)
        # Two plans per device, each now and at its horizon (OCA's dates).
        self.assertEqual(len(first), 3 * 4)
        for device in devices:
            got = sorted(
                (r.operation_nature, r.request_date)
                for r in first.filtered(lambda r, d=device: r.equipment_id == d)
            )
            self.assertEqual(
                got,
                sorted(
                    [
                        ("preventive", self.today),
                        ("preventive", self.today + relativedelta(years=1)),
                        ("qc_internal", self.today),
                        ("qc_internal", self.today + relativedelta(months=6)),
                    ]
                ),
            )
        # The technician's "generate now", then the cron again: nothing new.
        plans_ = devices.maintenance_plan_ids
        plans_.with_user(self.users["technician"]).button_manual_request_generation()
        self.env["maintenance.equipment"]._cron_generate_requests()
        self.assertEqual(self.operations(devices), first)
        # Each operation: its activity and its chatter line, as core gives.
        self.assertEqual(len(first.activity_ids), len(first))
        self.assertTrue(all(r.message_ids for r in first))

    def test_generate_now_as_each_role(self):
        devices = self.fleet("GNB", 2)
        plans_ = devices.maintenance_plan_ids
        for role in ("pharmacist", "auditor", "rssi", "dpo"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                plans_.with_user(self.users[role]).button_manual_request_generation()
        self.assertFalse(self.operations(devices))
        # The engineer's button on the model's plan generates its devices'.
        model_plan = self.model_plan()
        model_plan.with_user(self.users["engineer"]).button_manual_request_generation()
        generated = self.operations(devices)
        self.assertEqual(set(generated.mapped("operation_nature")), {"preventive"})
        self.assertEqual(len(generated), 4)
        self.assertEqual(generated.create_uid, self.users["engineer"])
        # Followed by whom core says (owner), reminded by an activity.
        self.assertIn(
            self.users["engineer"].partner_id, generated[0].message_partner_ids
        )
        self.assertEqual(len(generated.activity_ids), len(generated))

    def test_operations_follow_the_last_done_and_skip_the_past(self):
        devices = self.fleet("GNL", 1)
        plan = devices.maintenance_plan_ids
        done_stage = self.env["maintenance.stage"].search(
            [("done", "=", True)], limit=1
        )
        last = self.today - relativedelta(months=8)
        self.Request.with_user(self.users["technician"]).create(
            {
                "name": "QC done",
                "equipment_id": devices.id,
                "maintenance_plan_id": plan.id,
                "operation_nature": "qc_internal",
                "request_date": last,
                "stage_id": done_stage.id,
            }
        )
        plan.write({"start_maintenance_date": last})
        # OCA's next date: the last done plus six months, overdue.
        self.assertEqual(plan.next_maintenance_date, last + relativedelta(months=6))
        plan.with_user(self.users["technician"]).button_manual_request_generation()
        new = plan.maintenance_ids.filtered(lambda r: not r.stage_id.done)
        # The overdue date is not created (OCA); the next one in the horizon is.
        self.assertEqual(new.mapped("request_date"), [last + relativedelta(months=12)])
        self.assertEqual(plan.next_maintenance_date, new.request_date)

    def test_plans_not_generating(self):
        """No performer, not in service, no interval: nothing."""
        devices = self.fleet("GNN", 4)
        plans_ = devices.maintenance_plan_ids.sorted("id")
        plans_[0].sudo().write({"dm_performer": False})
        # Setup: a device back in reception (not a path the gates allow).
        self.env.cr.execute(
            "UPDATE maintenance_equipment SET lifecycle_state = 'reception' "
            "WHERE id = %s",
            [devices[1].id],
        )
        devices.invalidate_recordset()
        plans_[2].sudo().write({"interval": 0})
        self.env["maintenance.equipment"]._cron_generate_requests()
        plans_.with_user(self.users["technician"]).button_manual_request_generation()
        self.assertEqual(self.operations(devices).equipment_id, devices[3])

    def test_queries_do_not_grow_with_the_fleet(self):
        """The cron's queries for 5 devices and for 20 are the same: one
        grouped query and one create per 1,000 plans."""

        def generation_queries(prefix, count):
            devices = self.fleet(prefix, count, model=f"{prefix}-M")
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            plans_ = self.Plan.sudo().search([("equipment_id", "in", devices.ids)])
            created = plans_._dm_generate_requests()
            self.env.flush_all()
            self.assertEqual(len(created), 2 * count)
            return self.env.cr.sql_log_count - before

        generation_queries("GQW", 2)  # warm-up
        small = generation_queries("GQS", 5)
        large = generation_queries("GQL", 20)
        self.assertLessEqual(large, small + 2, f"5: {small}, 20: {large}")
        devices = self.fleet("GQC", 10, model="GQC-M")
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(40):
            self.Plan.sudo().search(
                [("equipment_id", "in", devices.ids)]
            )._dm_generate_requests()
            self.env.flush_all()
        # A second run: a few queries, nothing created.
        self.env.invalidate_all()
        with self.assertQueryCount(6):
            again = (
                self.Plan.sudo()
                .search([("equipment_id", "in", devices.ids)])
                ._dm_generate_requests()
            )
        self.assertFalse(again)

    def test_queries_do_not_grow_for_a_user_with_an_employee(self):
        """hr_maintenance subscribes each operation's employee's user (the
        creating user's employee) one operation at a time, a query each: the
        generation subscribes them once per batch, by the cron (sudo, as a
        user with an employee, as the bench's admin) and by the technician's
        "generate now". Three times the devices, the same queries; every
        operation is followed by the employee's user all the same."""
        technician = self.users["technician"]
        self.env["hr.employee"].create(
            {"name": "Generating technician", "user_id": technician.id}
        )
        runs = {
            "cron": lambda plans_: (
                plans_.with_user(technician).sudo()._dm_generate_requests()
            ),
            "generate now": lambda plans_: plans_.with_user(
                technician
            ).button_manual_request_generation(),
        }
        for label, run in runs.items():
            with self.subTest(run=label):

                def generation_queries(prefix, count, run=run):
                    devices = self.fleet(prefix, count, model=f"{prefix}-M")
                    plans_ = self.Plan.search([("equipment_id", "in", devices.ids)])
                    self.env.flush_all()
                    self.env.invalidate_all()
                    before = self.env.cr.sql_log_count
                    run(plans_)
                    self.env.flush_all()
                    queries = self.env.cr.sql_log_count - before
                    created = self.operations(devices)
                    self.assertEqual(len(created), 2 * count)
                    self.assertEqual(created.employee_id.user_id, technician)
                    for request in created.sudo():
                        self.assertIn(
                            technician.partner_id, request.message_partner_ids
                        )
                    return queries

                prefix = "GH" if label == "cron" else "GB"
                generation_queries(f"{prefix}W", 2)  # warm-up
                small = generation_queries(f"{prefix}S", 5)
                large = generation_queries(f"{prefix}L", 15)
                self.assertLessEqual(large, small + 2, f"5: {small}, 15: {large}")

    def test_next_date_is_computed_for_many_plans_at_once(self):
        devices = self.fleet("GND", 6)
        plans_ = devices.maintenance_plan_ids
        start = self.today - timedelta(days=10)
        self.env.flush_all()
        with self.assertQueryCount(8):
            plans_.sudo().write({"start_maintenance_date": start})
            self.env.flush_all()
        self.assertEqual(
            set(plans_.mapped("next_maintenance_date")),
            {start + relativedelta(months=6)},
        )

    def test_a_client_context_does_not_skip_the_followers(self):
        """The operations' followers are added once per batch after core's
        create: a client passing the key that defers them still gets them."""
        device = self.fleet("GNF", 1)
        technician, engineer = self.users["technician"], self.users["engineer"]
        request = (
            self.Request.with_user(technician)
            .with_context(dm_followers_later=True)
            .create(
                {
                    "name": "Check",
                    "equipment_id": device.id,
                    "owner_user_id": engineer.id,
                }
            )
        )
        self.assertIn(engineer.partner_id, request.sudo().message_partner_ids)
        request.with_user(technician).with_context(dm_followers_later="x").write(
            {"user_id": technician.id}
        )
        self.assertIn(technician.partner_id, request.sudo().message_partner_ids)
