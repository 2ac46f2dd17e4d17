from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import MedicalDeviceCase


@tagged("post_install", "-at_install")
class TestPlans(MedicalDeviceCase):
    """Plans of devices and of device models, their generation, the mandatory
    plans of the rules and the gate at in-service, as each role would."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Plan = cls.env["maintenance.plan"]
        cls.maker = cls.env["res.partner"].create({"name": "Pump maker"})
        cls.other_maker = cls.env["res.partner"].create({"name": "Other maker"})
        cls.oqc = cls.env["res.partner"].create({"name": "Accredited QC body"})

    def model_plan(self, user="engineer", **overrides):
        vals = {
            "name": "Manufacturer's yearly maintenance",
            "dm_model_name": "PX-100",
            "dm_model_manufacturer_id": self.maker.id,
            "dm_nature": "preventive",
            "interval": 1,
            "interval_step": "year",
            "dm_performer": "internal",
            "dm_source": "manufacturer",
            "dm_source_reference": "Service manual, chapter 6",
        }
        vals.update(overrides)
        return self.Plan.with_user(self.users[user]).create(vals)

    def device_plan(self, device, user="technician", **overrides):
        vals = {
            "name": "Preventive maintenance",
            "equipment_id": device.id,
            "dm_nature": "preventive",
            "interval": 1,
            "interval_step": "month",
            "maintenance_plan_horizon": 3,
            "planning_step": "month",
            "dm_performer": "internal",
        }
        vals.update(overrides)
        return self.Plan.with_user(self.users[user]).create(vals)

    def pump(self, serial, model="PX-100", maker=None, **overrides):
        return self.create_device(
            serial_no=serial,
            model=model,
            manufacturer_id=(maker or self.maker).id,
            **overrides,
        )

    # ------------------------------------------------------------ model plans
    def test_model_plan_applies_to_every_device_of_the_model(self):
        first = self.pump("PX-1")
        same_other_case = self.pump("PX-2", model="px-100")
        other_model = self.pump("PX-3", model="PX-200")
        other_maker = self.pump("PX-4", maker=self.other_maker)
        model_plan = self.model_plan()
        self.assertEqual(
            model_plan.dm_derived_plan_ids.equipment_id, first | same_other_case
        )
        derived = first.maintenance_plan_ids
        self.assertEqual(derived.dm_model_plan_id, model_plan)
        self.assertEqual((derived.interval, derived.interval_step), (1, "year"))
        self.assertEqual(derived.dm_source_reference, "Service manual, chapter 6")
        self.assertFalse(other_model.maintenance_plan_ids)
        self.assertFalse(other_maker.maintenance_plan_ids)
        # A device of the model received later, or renamed to it, follows it.
        later = self.pump("PX-5")
        self.assertEqual(later.maintenance_plan_ids.dm_model_plan_id, model_plan)
        other_model.with_user(self.users["technician"]).write({"model": "PX-100"})
        self.assertEqual(other_model.maintenance_plan_ids.dm_model_plan_id, model_plan)
        # A device no longer of the model stops following it.
        later.with_user(self.users["technician"]).write({"model": "PX-300"})
        self.assertFalse(later.maintenance_plan_ids)

    def test_device_overrides_its_model_plan(self):
        follower = self.pump("PX-1")
        overrider = self.pump("PX-2")
        model_plan = self.model_plan()
        own = overrider.maintenance_plan_ids
        own.with_user(self.users["technician"]).write(
            {"interval": 6, "interval_step": "month"}
        )
        self.assertTrue(own.dm_overridden)
        model_plan.with_user(self.users["engineer"]).write(
            {"interval": 2, "dm_tolerance_days": 20}
        )
        self.assertEqual(follower.maintenance_plan_ids.interval, 2)
        self.assertEqual(follower.maintenance_plan_ids.dm_tolerance_days, 20)
        self.assertEqual((own.interval, own.interval_step), (6, "month"))
        self.assertFalse(own.dm_tolerance_days)
        # Following the model again brings its values back.
        own.with_user(self.users["technician"]).write({"dm_overridden": False})
        self.assertEqual((own.interval, own.interval_step), (2, "year"))
        # Archiving the model's plan archives the plans that follow it.
        model_plan.with_user(self.users["engineer"]).write({"active": False})
        self.assertFalse(follower.maintenance_plan_ids)

    def test_a_forged_sync_key_changes_nothing(self):
        """The server's sync key, passed by a client, neither lets a device's
        plan change without becoming its own nor keeps a model's plan from
        its devices."""
        follower = self.pump("PX-1")
        overrider = self.pump("PX-2")
        model_plan = self.model_plan()
        own = overrider.maintenance_plan_ids
        forged = {"dm_plan_sync": True}
        own.with_user(self.users["technician"]).with_context(**forged).write(
            {"interval": 6, "interval_step": "month"}
        )
        self.assertTrue(own.dm_overridden)
        model_plan.with_user(self.users["engineer"]).with_context(**forged).write(
            {"interval": 2, "dm_tolerance_days": 20}
        )
        self.assertEqual(follower.maintenance_plan_ids.interval, 2)
        self.assertEqual(follower.maintenance_plan_ids.dm_tolerance_days, 20)
        self.assertEqual((own.interval, own.interval_step), (6, "month"))

    def test_only_the_engineer_sets_a_model_plan(self):
        for role in ("technician", "pharmacist", "rssi", "auditor", "internal"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                self.model_plan(user=role)
        model_plan = self.model_plan()
        for role in ("technician", "pharmacist", "auditor"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                model_plan.with_user(self.users[role]).write({"interval": 3})
        # Every role reads it.
        for role in ("technician", "pharmacist", "auditor", "dpo", "rssi"):
            self.assertEqual(model_plan.with_user(self.users[role]).interval, 1)

    def test_only_technicians_keep_a_device_plan(self):
        device = self.pump("PX-1")
        plan = self.device_plan(device)
        for role in ("pharmacist", "rssi", "auditor", "maintenance_manager"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                self.device_plan(device, user=role, dm_nature="calibration")
            with self.subTest(role=role), self.assertRaises(AccessError):
                plan.with_user(self.users[role]).write({"interval": 2})
        self.assertEqual(plan.with_user(self.users["auditor"]).dm_nature, "preventive")
        plan.with_user(self.users["engineer"]).write({"interval": 2})
        self.assertEqual(plan.interval, 2)

    def test_server_fields_are_not_a_client_s(self):
        device = self.pump("PX-1")
        plan = self.device_plan(device)
        model_plan = self.model_plan(dm_model_name="Other")
        requirement = self.env.ref("medical_device.dm_plan_requirement_maintenance")
        technician = self.users["technician"]
        other = self.pump("PX-2")
        forged = (
            {"equipment_id": other.id},
            {"dm_model_plan_id": model_plan.id},
            {"dm_requirement_id": requirement.id},
            {"next_maintenance_date": "2000-01-01"},
            {"maintenance_count": 5},
        )
        for vals in forged:
            with self.subTest(vals=vals), self.assertRaises(UserError):
                plan.with_user(technician).write(vals)
        with self.assertRaises(UserError):
            self.device_plan(
                device, dm_nature="calibration", dm_requirement_id=requirement.id
            )
        # A default in the context is dropped, not applied.
        forged_default = (
            self.Plan.with_user(technician)
            .with_context(default_dm_requirement_id=requirement.id)
            .create(
                {
                    "name": "Calibration",
                    "equipment_id": device.id,
                    "dm_nature": "calibration",
                }
            )
        )
        self.assertFalse(forged_default.dm_requirement_id)

    def test_a_plan_with_operations_is_archived_not_deleted(self):
        device = self.device_in_service(serial_no="PX-1", model="PX-100")
        plan = self.device_plan(device)
        plan.with_user(self.users["technician"]).button_manual_request_generation()
        self.assertTrue(plan.maintenance_ids)
        with self.assertRaises(UserError):
            plan.with_user(self.users["engineer"]).unlink()

    # ------------------------------------------------------------ generation
    def test_generation_by_button_and_cron_without_duplicates(self):
        device = self.device_in_service(serial_no="PX-1", model="PX-100")
        plan = self.device_plan(
            device,
            dm_nature="safety_check",
            dm_performer="contractor",
            dm_contractor_id=self.oqc.id,
        )
        plan.with_user(self.users["technician"]).button_manual_request_generation()
        requests = plan.maintenance_ids
        # Monthly over a 3-month horizon: this month's and the next three.
        self.assertGreaterEqual(len(requests), 3)
        self.assertEqual(set(requests.mapped("operation_nature")), {"safety_check"})
        self.assertEqual(
            set(requests.mapped("performer_employer")), {"Accredited QC body"}
        )
        self.assertEqual(set(requests.mapped("maintenance_type")), {"preventive"})
        self.assertEqual(len(set(requests.mapped("schedule_date"))), len(requests))
        # A second run, by the button or the cron, creates nothing.
        plan.with_user(self.users["technician"]).button_manual_request_generation()
        self.env["maintenance.equipment"]._cron_generate_requests()
        plan.invalidate_recordset()
        self.assertEqual(plan.maintenance_ids, requests)

    def test_cron_generates_through_the_devices_of_a_model(self):
        model_plan = self.model_plan()
        in_service = self.device_in_service(
            serial_no="PX-1", model="PX-100", manufacturer_id=self.maker.id
        )
        received = self.pump("PX-2")
        # The model's plan meets the pump's maintenance obligation: no proposal.
        self.assertEqual(in_service.maintenance_plan_ids.dm_model_plan_id, model_plan)
        self.env["maintenance.equipment"]._cron_generate_requests()
        requests = self.env["maintenance.request"].search(
            [("equipment_id", "in", (in_service | received).ids)]
        )
        # The model's plan creates nothing itself; the device in service gets
        # its yearly operation; the device not yet in service nothing.
        self.assertFalse(model_plan.maintenance_ids)
        self.assertEqual(requests.equipment_id, in_service)
        self.assertEqual(
            len(requests), 2
        )  # this year's and next year's (horizon 1 year)
        self.env["maintenance.equipment"]._cron_generate_requests()
        model_plan.with_user(self.users["engineer"]).button_manual_request_generation()
        self.assertEqual(
            self.env["maintenance.request"].search_count(
                [("equipment_id", "in", (in_service | received).ids)]
            ),
            len(requests),
        )

    def test_a_proposal_without_performer_generates_nothing(self):
        device = self.device_in_service(serial_no="PX-1", model="PX-100")
        plan = self.device_plan(device, dm_performer=False)
        plan.with_user(self.users["technician"]).button_manual_request_generation()
        self.env["maintenance.equipment"]._cron_generate_requests()
        self.assertFalse(plan.maintenance_ids)

    def test_generation_refused_to_roles_that_do_not_keep_plans(self):
        device = self.device_in_service(serial_no="PX-1", model="PX-100")
        plan = self.device_plan(device)
        for role in ("pharmacist", "auditor", "rssi"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                plan.with_user(self.users[role]).button_manual_request_generation()
        self.assertFalse(plan.maintenance_ids)

    # ------------------------------------------------------------ mandatory plans
    def mammograph(self):
        device = self.create_device(
            name="Mammograph",
            serial_no="MG-1",
            model="MG",
            is_ionising=True,
            imaging_modality="mammography",
        )
        device.with_user(self.users["technician"]).action_to_reception()
        return device

    def test_mandatory_plans_are_proposed_at_reception(self):
        device = self.mammograph()
        proposals = device.maintenance_plan_ids
        by_nature = {p.dm_nature: p for p in proposals}
        self.assertEqual(set(by_nature), {"preventive", "qc_internal", "qc_external"})
        # The strictest obligation of each nature: the ANSM decision's.
        self.assertEqual(
            (by_nature["qc_internal"].interval, by_nature["qc_internal"].interval_step),
            (1, "month"),
        )
        self.assertEqual(
            by_nature["qc_external"].dm_requirement_id,
            self.env.ref("medical_device.dm_plan_requirement_mammography_external"),
        )
        self.assertEqual(by_nature["qc_external"].dm_source, "ansm")
        # Done by the hospital's team, but the external control, which waits
        # for its accredited body.
        self.assertEqual(by_nature["qc_internal"].dm_performer, "internal")
        self.assertEqual(by_nature["preventive"].dm_performer, "internal")
        self.assertFalse(by_nature["qc_external"].dm_performer)
        # Proposing again adds nothing.
        device.with_user(self.users["technician"]).action_propose_plans()
        self.assertEqual(device.maintenance_plan_ids, proposals)
        # A device with no obligation gets none.
        plain = self.create_device(serial_no="PX-9", dm_risk_class="iia")
        plain.with_user(self.users["technician"]).action_to_reception()
        self.assertFalse(plain.maintenance_plan_ids)

    def test_no_service_without_the_mandatory_plans(self):
        device = self.mammograph()
        reception = self.reception_ready(device, pieu=self.pieu_ct)
        reception.with_user(self.users["engineer"]).action_accept()
        technician = self.users["technician"]
        with self.assertRaisesRegex(UserError, "external quality control"):
            device.with_user(technician).action_put_in_service()
        self.assertEqual(device.lifecycle_state, "reception")
        # The form's next-step panel lists the same plan, on the plans' tab.
        panel = device.with_user(technician).dm_next_step
        plan_items = [i for i in panel["items"] if i["field"] == "maintenance_plan_ids"]
        self.assertTrue(plan_items)
        self.assertIn(
            "external quality control",
            " ".join(i["label"] for i in plan_items if not i["met"]),
        )
        self.assertFalse(panel["ready"])
        plans_ = device.maintenance_plan_ids
        external = plans_.filtered(lambda p: p.dm_nature == "qc_external")
        # The hospital's team is no accredited body.
        external.with_user(technician).write({"dm_performer": "internal"})
        with self.assertRaisesRegex(UserError, "external quality control"):
            device.with_user(technician).action_put_in_service()
        # Nor does a missing internal control pass.
        internal = plans_.filtered(lambda p: p.dm_nature == "qc_internal")
        internal.with_user(technician).write({"interval": 2})
        with self.assertRaisesRegex(UserError, "internal quality control"):
            device.with_user(technician).action_put_in_service()
        internal.with_user(technician).write({"interval": 1})
        # A yearly external control is longer than the ANSM decision allows.
        external.with_user(technician).write(
            {
                "dm_performer": "contractor",
                "dm_contractor_id": self.oqc.id,
                "interval": 1,
                "interval_step": "year",
            }
        )
        with self.assertRaisesRegex(UserError, "external quality control"):
            device.with_user(technician).action_put_in_service()
        external.with_user(technician).write({"interval": 6, "interval_step": "month"})
        self.assertFalse(device.dm_plans_missing)
        device.with_user(technician).action_put_in_service()
        self.assertEqual(device.lifecycle_state, "in_service")

    def test_model_plan_meets_the_maintenance_obligation(self):
        self.model_plan()
        device = self.device_in_service(
            serial_no="PX-1", model="PX-100", manufacturer_id=self.maker.id
        )
        self.assertEqual(device.lifecycle_state, "in_service")
        # The class IIb pump's maintenance obligation is met by its model's plan.
        self.assertEqual(
            device.maintenance_plan_ids.dm_model_plan_id.dm_model_name, "PX-100"
        )

    def test_gate_cannot_be_bypassed(self):
        device = self.mammograph()
        reception = self.reception_ready(device, pieu=self.pieu_ct)
        reception.with_user(self.users["engineer"]).action_accept()
        technician = self.users["technician"]
        forged_context = {
            "dm_plan_sync": True,
            "default_dm_performer": "internal",
            "tracking_disable": True,
            "install_mode": True,
        }
        with self.assertRaises(UserError):
            device.with_user(technician).with_context(
                **forged_context
            ).action_put_in_service()
        with self.assertRaises(UserError):
            device.with_user(technician).with_context(**forged_context).write(
                {"lifecycle_state": "in_service"}
            )
        # The obligation flags are computed: no client writes them.
        for flag in ("quality_control_obligatory", "maintenance_obligatory"):
            with self.subTest(flag=flag), self.assertRaises(UserError):
                device.with_user(technician).write({flag: False})
        # A plan claiming to meet an obligation is not one.
        with self.assertRaises(UserError):
            self.device_plan(
                device,
                dm_nature="qc_internal",
                dm_requirement_id=self.env.ref(
                    "medical_device.dm_plan_requirement_mammography_internal"
                ).id,
            )
        # Only the rules' editor changes the rules.
        requirement = self.env.ref(
            "medical_device.dm_plan_requirement_mammography_internal"
        )
        for role in ("technician", "pharmacist", "auditor"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                requirement.with_user(self.users[role]).write({"active": False})
        self.assertEqual(device.lifecycle_state, "reception")

    def test_a_device_in_service_keeps_its_mandatory_plans(self):
        self.model_plan()
        device = self.device_in_service(
            serial_no="PX-1", model="PX-100", manufacturer_id=self.maker.id
        )
        plan = device.maintenance_plan_ids
        technician = self.users["technician"]
        with self.assertRaisesRegex(UserError, "it needs"):
            plan.with_user(technician).write({"active": False})
        with self.assertRaisesRegex(UserError, "it needs"):
            plan.with_user(technician).write({"dm_performer": False})
        with self.assertRaisesRegex(UserError, "it needs"):
            plan.with_user(self.users["engineer"]).unlink()
        # Nor by changing what its obligations depend on.
        with self.assertRaisesRegex(UserError, "it needs"):
            device.with_user(self.users["engineer"]).write({"is_ionising": True})
        self.assertTrue(plan.active)
        # A second plan of the nature may take over.
        self.device_plan(device, interval=6)
        plan.with_user(technician).write({"active": False})
        self.assertFalse(plan.active)

    def test_disposal_stops_the_plans(self):
        device = self.device_in_service(serial_no="PX-1", model="PX-100")
        plan = self.device_plan(device)
        technician, engineer = self.users["technician"], self.users["engineer"]
        plan.with_user(technician).button_manual_request_generation()
        requests = plan.maintenance_ids
        self.assertTrue(requests)
        disposal = (
            self.env["dm.disposal"]
            .with_user(technician)
            .create(
                {
                    "equipment_id": device.id,
                    "reason": "beyond_repair",
                    "destination": "destruction",
                }
            )
        )
        disposal.with_user(engineer).action_confirm()
        if disposal.state == "erasure":
            disposal.with_user(engineer).action_state_no_data("No memory, no data.")
        disposal.with_user(engineer).action_dispose()
        self.assertEqual(device.lifecycle_state, "disposed")
        self.assertFalse(plan.active)
        self.assertTrue(all(requests.mapped("archive")))
        self.env["maintenance.equipment"]._cron_generate_requests()
        self.assertEqual(
            self.env["maintenance.request"]
            .with_context(active_test=False)
            .search_count([("maintenance_plan_id", "=", plan.id)]),
            len(requests),
        )

    def test_technician_cannot_turn_a_plan_into_a_model_plan(self):
        # A plan without equipment (OCA's plans applied by a domain), made by
        # a Maintenance manager, then named after a device model.
        plan = self.Plan.with_user(self.users["technician"]).create(
            {
                "name": "Plan by domain",
                "maintenance_team_id": self.env.ref(
                    "maintenance.equipment_team_maintenance"
                ).id,
                "generate_with_domain": True,
                "generate_domain": "[]",
            }
        )
        with self.assertRaises(AccessError):
            plan.with_user(self.users["technician"]).write({"dm_model_name": "PX-100"})
        self.assertFalse(plan.dm_is_model_plan)

    def test_a_plan_by_domain_leaves_the_medical_devices_out(self):
        device = self.device_in_service(serial_no="PX-1", model="PX-100")
        other = self.env["maintenance.equipment"].create(
            {"name": "Office printer", "serial_no": "PR-1"}
        )
        plan = self.Plan.create(
            {
                "name": "Plan by domain",
                "maintenance_team_id": self.env.ref(
                    "maintenance.equipment_team_maintenance"
                ).id,
                "generate_with_domain": True,
                "generate_domain": f"[('id', 'in', {[device.id, other.id]})]",
            }
        )
        plan.button_manual_request_generation()
        self.assertEqual(plan.maintenance_ids.equipment_id, other)
