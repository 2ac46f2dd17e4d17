"""Continuity when a cyberattack hits (issue 16): the plan a device follows
(its own, else its model's), the very critical connected devices without a
plan or with a plan not exercised within the settings' period (computed and
searched alike, counted in the RSSI's and the engineer's dashboard), the
continuity sheet of a service, and the attacks of the roles a hospital would
fear, read back from the database."""

from datetime import timedelta

import psycopg2

from odoo import Command, fields
from odoo.addons.medical_device.tests.common import MedicalDeviceCase
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

PARAM = "dm_cyber.continuity_exercise_days"
FLAGS = ["cyber_continuity_missing", "cyber_continuity_stale"]
PLAN_FIELDS = [
    "name",
    "equipment_id",
    "dm_model_name",
    "degraded_mode",
    "max_downtime_hours",
    "last_exercised_on",
    "company_id",
    "plan_scope",
    "department_id",
    "active",
]


class ContinuityCase(MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(PARAM, 365)
        cls.today = fields.Date.context_today(cls.env["dm.continuity.plan"])
        cls.other_company = cls.env["res.company"].create({"name": "Clinique PCA"})
        cls.other_rssi = new_test_user(
            cls.env,
            login="test_pca_rssi_b",
            groups="medical_device.group_dm_rssi",
            company_id=cls.other_company.id,
            company_ids=[Command.set(cls.other_company.ids)],
        )
        cls.ge = cls.env["res.partner"].create(
            {"name": "GE Healthcare PCA", "is_company": True}
        )
        cls.siemens = cls.env["res.partner"].create(
            {"name": "Siemens PCA", "is_company": True}
        )
        cls.emergency = cls.env["hr.department"].create({"name": "Urgences PCA"})
        cls.Plan = cls.env["dm.continuity.plan"]
        cls.dev = {}
        for key, model, maker, connected, pieu, company in (
            ("own", "Revolution EVO", cls.ge, True, cls.pieu_ct, cls.company),
            ("model", "revolution evo ", cls.ge, True, cls.pieu_ct, cls.company),
            ("none", "Somatom X", cls.siemens, True, cls.pieu_ct, cls.company),
            ("offline", "Somatom X", cls.siemens, False, cls.pieu_ct, cls.company),
            ("pump", "Agilia", cls.ge, True, cls.pieu_syringe_pump, cls.company),
            ("other", "Revolution EVO", cls.ge, True, cls.pieu_ct, cls.other_company),
        ):
            # sudo: only imports (superuser) bring a device past acquisition.
            cls.dev[key] = cls.Equipment.sudo().create(
                cls._acquisition_vals(
                    name=f"PCA {key}",
                    serial_no=f"PCA-{key}",
                    model=model,
                    manufacturer_id=maker.id,
                    lifecycle_state="in_service",
                    is_connected=connected,
                    company_id=company.id,
                    equipment_assign_to="department",
                    department_id=cls.emergency.id if company == cls.company else False,
                    antivirus="hospital",
                    **pieu,
                )
            )
        rssi = cls.Plan.with_user(cls.users["rssi"])
        cls.own_plan = rssi.create(
            {
                "name": "CT of the emergency department",
                "equipment_id": cls.dev["own"].id,
                "degraded_mode": "Send the patients to the CT of radiology.",
                "degraded_mode_network": "Images burnt on DVD, read on the console.",
                "fallback_equipment_ids": [Command.set(cls.dev["none"].ids)],
                "restore_procedure": "Reinstall from the supplier's image.",
                "config_backup": "Exported monthly to the biomedical share.",
                "data_backup": "PACS holds the images.",
                "restorer_user_id": cls.users["engineer"].id,
                "restorer_partner_id": cls.ge.id,
                "max_downtime_hours": 4,
                "last_exercised_on": cls.today - timedelta(days=30),
            }
        )
        cls.model_plan = rssi.create(
            {
                "name": "Revolution EVO scanners",
                "dm_model_name": "  Revolution EVO  ",
                "dm_model_manufacturer_id": cls.ge.id,
                "degraded_mode": "Radiology's CT, then the partner hospital.",
                "max_downtime_hours": 8,
                "last_exercised_on": cls.today - timedelta(days=730),
            }
        )
        cls.devices = cls.Equipment.browse([d.id for d in cls.dev.values()])

    def flags(self, device, user="rssi"):
        device = device.with_user(self.users[user]) if user else device
        device.invalidate_recordset()
        return (
            device.cyber_continuity_plan_id,
            device.cyber_continuity_missing,
            device.cyber_continuity_stale,
        )

    def searched(self, fname, value=True):
        return self.Equipment.sudo().search(
            [("id", "in", self.devices.ids), (fname, "=", value)]
        )


@tagged("post_install", "-at_install")
class TestContinuityPlan(ContinuityCase):
    def test_device_plan_before_model_plan(self):
        self.assertEqual(self.model_plan.dm_model_name, "Revolution EVO")
        self.assertEqual(self.own_plan.plan_scope, "device")
        self.assertEqual(self.model_plan.plan_scope, "model")
        self.assertEqual(self.own_plan.department_id, self.emergency)
        # its own plan, though a plan of its model exists
        self.assertEqual(self.flags(self.dev["own"])[0], self.own_plan)
        # a plan of its model, matched trimmed and case-insensitively
        self.assertEqual(self.flags(self.dev["model"])[0], self.model_plan)
        self.assertFalse(self.flags(self.dev["none"])[0])
        # another hospital's device of the same model does not follow it
        self.assertFalse(self.flags(self.dev["other"], user=None)[0])
        self.assertEqual(
            self.model_plan.covered_equipment_ids, self.dev["model"], "not 'own'"
        )
        # the manufacturer's model plan before a plan naming no manufacturer
        generic = self.Plan.with_user(self.users["engineer"]).create(
            {"name": "Any Revolution EVO", "dm_model_name": "REVOLUTION EVO"}
        )
        self.assertEqual(self.flags(self.dev["model"])[0], self.model_plan)
        self.model_plan.with_user(self.users["rssi"]).action_archive()
        self.assertEqual(self.flags(self.dev["model"])[0], generic)
        # a plan archived no longer applies: the device falls back on its model's
        self.own_plan.with_user(self.users["rssi"]).action_archive()
        self.assertEqual(self.flags(self.dev["own"])[0], generic)
        # a device of another manufacturer does not follow the manufacturer's plan
        self.model_plan.with_user(self.users["rssi"]).action_unarchive()
        self.dev["model"].sudo().manufacturer_id = self.siemens
        self.assertEqual(self.flags(self.dev["model"])[0], generic)
        # wildcards are letters: "Revolution%" is no pattern
        generic.with_user(self.users["rssi"]).dm_model_name = "Revolution%"
        self.assertFalse(self.flags(self.dev["model"])[0])

    def test_missing_and_stale_flags_follow_the_settings_period(self):
        self.assertEqual(self.flags(self.dev["own"])[1:], (False, False))
        self.assertEqual(self.flags(self.dev["model"])[1:], (False, True))
        self.assertEqual(self.flags(self.dev["none"])[1:], (True, False))
        # not connected, not very critical: not followed
        self.assertEqual(self.flags(self.dev["offline"])[1:], (False, False))
        self.assertEqual(self.flags(self.dev["pump"])[1:], (False, False))
        # the other hospital's scanner has no plan of its hospital either
        self.assertEqual(
            self.searched("cyber_continuity_missing"),
            self.dev["none"] | self.dev["other"],
        )
        self.assertEqual(self.searched("cyber_continuity_stale"), self.dev["model"])
        # a longer period: exercised two years ago is within three years
        self.env["ir.config_parameter"].sudo().set_param(PARAM, 1095)
        self.assertEqual(self.flags(self.dev["model"])[1:], (False, False))
        self.assertFalse(self.searched("cyber_continuity_stale"))
        self.assertFalse(self.model_plan.exercise_overdue)
        # a shorter one: exercised a month ago is too old
        self.env["ir.config_parameter"].sudo().set_param(PARAM, 7)
        self.assertEqual(self.flags(self.dev["own"])[1:], (False, True))
        self.assertEqual(
            self.searched("cyber_continuity_stale"), self.dev["own"] | self.dev["model"]
        )
        overdue = self.Plan.search(
            [("exercise_overdue", "=", True), ("id", "in", [self.own_plan.id])]
        )
        self.assertEqual(overdue, self.own_plan)
        # never exercised is not exercised within the period
        self.env["ir.config_parameter"].sudo().set_param(PARAM, 365)
        self.own_plan.with_user(self.users["engineer"]).last_exercised_on = False
        self.assertEqual(self.flags(self.dev["own"])[1:], (False, True))
        # exercised today: covered again
        self.own_plan.with_user(self.users["engineer"]).last_exercised_on = self.today
        self.assertEqual(self.flags(self.dev["own"])[1:], (False, False))

    def test_searches_agree_with_the_compute(self):
        """Every operator a client may send gives the devices the compute
        flags, and their complement."""
        self.env["ir.config_parameter"].sudo().set_param(PARAM, 365)
        devices = self.devices.sudo()
        devices.invalidate_recordset()
        for fname in FLAGS:
            flagged = devices.filtered(fname)
            with self.subTest(fname=fname):
                self.assertEqual(self.searched(fname, True), flagged)
                self.assertEqual(self.searched(fname, False), devices - flagged)
                self.assertEqual(
                    self.Equipment.sudo().search(
                        [("id", "in", devices.ids), (fname, "!=", True)]
                    ),
                    devices - flagged,
                )
        with_plan = devices.filtered("cyber_continuity_plan_id")
        for domain, expected in (
            ([("cyber_continuity_plan_id", "!=", False)], with_plan),
            ([("cyber_continuity_plan_id", "=", False)], devices - with_plan),
            (
                [("cyber_continuity_plan_id", "=", self.model_plan.id)],
                self.dev["model"],
            ),
            (
                [("cyber_continuity_plan_id", "not in", [self.model_plan.id])],
                devices - self.dev["model"],
            ),
        ):
            with self.subTest(domain=domain):
                self.assertEqual(
                    self.Equipment.sudo().search([("id", "in", devices.ids), *domain]),
                    expected,
                )

    def test_settings_period(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.dm_cyber_continuity_exercise_days, 365)
        settings.dm_cyber_continuity_exercise_days = 90
        settings.execute()
        self.assertEqual(self.env["ir.config_parameter"].sudo().get_param(PARAM), "90")
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create(
                {"dm_cyber_continuity_exercise_days": 0}
            )

    def test_constraints(self):
        rssi = self.Plan.with_user(self.users["rssi"])
        with self.assertRaises(ValidationError):
            rssi.create({"name": "Nothing"})
        with self.assertRaises(ValidationError):
            rssi.create(
                {
                    "name": "Both",
                    "equipment_id": self.dev["none"].id,
                    "dm_model_name": "Somatom X",
                }
            )
        with self.assertRaises(ValidationError):
            rssi.create(
                {
                    "name": "Tomorrow",
                    "equipment_id": self.dev["none"].id,
                    "last_exercised_on": self.today + timedelta(days=1),
                }
            )
        for vals in (
            {"name": "Second plan", "equipment_id": self.dev["own"].id},
            {
                "name": "Second model plan",
                "dm_model_name": "REVOLUTION evo",
                "dm_model_manufacturer_id": self.ge.id,
            },
        ):
            with (
                self.subTest(vals=vals),
                mute_logger("odoo.sql_db"),
                self.assertRaises(psycopg2.IntegrityError),
                self.env.cr.savepoint(),
            ):
                rssi.create(vals)
                self.env.flush_all()
        # archived, the old plan makes room for a new one
        self.own_plan.with_user(self.users["rssi"]).action_archive()
        self.env.flush_all()  # the end of the archiving request
        rssi.create({"name": "New plan", "equipment_id": self.dev["own"].id})
        self.env.flush_all()

    def test_copy_for_another_device(self):
        rssi = self.own_plan.with_user(self.users["rssi"])
        # a copy is for another device or model: not the same one twice
        with self.assertRaises(ValidationError):
            rssi.copy()
        copy = rssi.copy({"equipment_id": self.dev["none"].id})
        self.assertEqual(copy.degraded_mode, self.own_plan.degraded_mode)
        self.assertFalse(copy.last_exercised_on, "a copy has not been exercised")
        self.assertEqual(self.flags(self.dev["none"])[:2], (copy, False))
        self.assertEqual(self.flags(self.dev["none"])[2], True)
        with self.assertRaises(AccessError):
            self.own_plan.with_user(self.users["technician"]).copy(
                {"equipment_id": self.dev["offline"].id}
            )

    def test_tracking_of_the_plan(self):
        self.flush_tracking()
        self.own_plan.with_user(self.users["engineer"]).write(
            {
                "last_exercised_on": self.today,
                "max_downtime_hours": 6,
                "degraded_mode": "Radiology's CT.",
            }
        )
        tracked = self.tracked_fields(self.own_plan)
        for fname in ("last_exercised_on", "max_downtime_hours", "degraded_mode"):
            self.assertIn(fname, tracked)

    def test_sheet_of_a_service(self):
        lines = self.Plan.with_user(self.users["technician"])._dm_sheet_lines(
            self.emergency
        )
        names = [line["device"].name for line in lines]
        # connected or with a plan; the very critical first; not the offline CT
        # without a plan
        self.assertEqual(names, ["PCA model", "PCA none", "PCA own", "PCA pump"])
        by_name = {line["device"].name: line for line in lines}
        self.assertEqual(by_name["PCA own"]["plan"], self.own_plan)
        self.assertTrue(by_name["PCA none"]["missing"])
        self.assertTrue(by_name["PCA model"]["stale"])
        self.assertFalse(by_name["PCA pump"]["plan"])
        self.assertEqual(
            self.own_plan.with_user(self.users["auditor"])._dm_continuity_departments(),
            self.emergency,
        )


@tagged("post_install", "-at_install")
class TestContinuityDashboard(ContinuityCase):
    def cyber_figures(self, user):
        panels = self.env["dm.dashboard"].with_user(user).get_panels()
        panel = next((p for p in panels if p["key"] == "cyber"), None)
        return panel and {f["code"]: f for f in panel["figures"]}

    def test_figures_for_the_rssi_and_the_engineer(self):
        expected = {
            "cyber_continuity_missing": self.dev["none"],
            "cyber_continuity_stale": self.dev["model"],
        }
        for role in ("rssi", "engineer"):
            figures = self.cyber_figures(self.users[role])
            Equipment = self.Equipment.with_user(self.users[role])
            for code, devices in expected.items():
                with self.subTest(role=role, code=code):
                    figure = figures[code]
                    listed = Equipment.search(figure["action"]["domain"])
                    self.assertEqual(figure["value"], len(listed))
                    # the demo fleet may add its own: ours are all listed
                    self.assertLessEqual(devices, listed)
                    self.assertFalse((listed & self.devices) - devices)
        for role in ("technician", "pharmacist", "dpo", "auditor"):
            with self.subTest(role=role):
                self.assertIsNone(self.cyber_figures(self.users[role]))

    def test_another_hospital_counts_its_own(self):
        figures = self.cyber_figures(self.other_rssi)
        listed = self.Equipment.with_user(self.other_rssi).search(
            figures["cyber_continuity_missing"]["action"]["domain"]
        )
        self.assertEqual(listed, self.dev["other"])
        self.assertEqual(figures["cyber_continuity_stale"]["value"], 0)

    def test_queries_do_not_grow_with_the_fleet(self):
        Dashboard = self.env["dm.dashboard"].with_user(self.users["rssi"])
        Dashboard.get_panels()  # warm the caches

        def queries():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            Dashboard.get_panels()
            return self.env.cr.sql_log_count - before

        small = queries()
        # sudo: only imports bring a device past acquisition.
        self.Equipment.sudo().create(
            [
                self._acquisition_vals(
                    name=f"PCA more {index}",
                    serial_no=f"PCA-MORE-{index}",
                    model="Revolution EVO" if index % 2 else "Nobody's model",
                    manufacturer_id=self.ge.id,
                    lifecycle_state="in_service",
                    is_connected=True,
                    antivirus="hospital",
                    **self.pieu_ct,
                )
                for index in range(10)
            ]
        )
        self.env.flush_all()
        self.assertEqual(queries(), small)


@tagged("post_install", "-at_install")
class TestContinuityAttacks(ContinuityCase):
    def snapshot(self, records, fnames):
        records.invalidate_recordset()
        return records.sudo().with_context(active_test=False).read(fnames)

    def assertRefusedUnchanged(self, records, fnames, call, error=UserError):
        before = self.snapshot(records, fnames)
        with self.assertRaises(error):
            call()
        self.assertEqual(self.snapshot(records, fnames), before)

    def test_readers_cannot_write_create_or_delete(self):
        for role in ("technician", "pharmacist", "dpo", "auditor"):
            plan = self.own_plan.with_user(self.users[role])
            with self.subTest(role=role):
                self.assertEqual(plan.degraded_mode, self.own_plan.degraded_mode)
                self.assertRefusedUnchanged(
                    self.own_plan,
                    PLAN_FIELDS,
                    lambda plan=plan: plan.write(
                        {"last_exercised_on": self.today, "degraded_mode": "None"}
                    ),
                    AccessError,
                )
                self.assertRefusedUnchanged(
                    self.own_plan, PLAN_FIELDS, plan.action_archive, AccessError
                )
                self.assertRefusedUnchanged(
                    self.own_plan, PLAN_FIELDS, plan.unlink, AccessError
                )
                with self.assertRaises(AccessError):
                    self.Plan.with_user(self.users[role]).create(
                        {"name": "Forged", "equipment_id": self.dev["none"].id}
                    )
        internal = self.users["internal"]
        with self.assertRaises(AccessError):
            self.own_plan.with_user(internal).read(["degraded_mode"])
        self.assertFalse(self.Plan.search([("name", "=", "Forged")]))

    def test_a_plan_is_archived_not_deleted(self):
        for role in ("rssi", "engineer"):
            with self.subTest(role=role):
                self.assertRefusedUnchanged(
                    self.own_plan,
                    PLAN_FIELDS,
                    self.own_plan.with_user(self.users[role]).unlink,
                    AccessError,
                )

    def test_computed_and_fixed_fields_are_not_a_clients(self):
        rssi = self.own_plan.with_user(self.users["rssi"])
        for vals in (
            {"plan_scope": "model"},
            {"department_id": self.env["hr.department"].create({"name": "X"}).id},
            {"equipment_id": self.dev["none"].id},
            {"company_id": self.other_company.id},
        ):
            with self.subTest(vals=vals):
                self.assertRefusedUnchanged(
                    self.own_plan, PLAN_FIELDS, lambda vals=vals: rssi.write(vals)
                )
        self.assertEqual(self.dev["own"].department_id, self.emergency)
        # a forged context default sets no computed field
        forged = self.Plan.with_user(self.users["rssi"]).with_context(
            default_plan_scope="model",
            default_department_id=self.env["hr.department"].create({"name": "Y"}).id,
        )
        plan = forged.create(
            {"name": "Forged scope", "equipment_id": self.dev["none"].id}
        )
        self.assertEqual(
            plan.sudo().read(["plan_scope", "department_id"])[0]["plan_scope"], "device"
        )
        self.assertEqual(plan.sudo().department_id, self.emergency)

    def test_device_flags_cannot_be_forged(self):
        """The flags are read from the plans: a client writing them, or a
        context default at creation, changes nothing."""
        device = self.dev["none"]
        for role in ("rssi", "engineer", "technician"):
            with self.subTest(role=role):
                # refused by the devices' rulebook: a computed field is not a
                # client's to write
                with self.assertRaises(UserError):
                    device.with_user(self.users[role]).write(
                        {
                            "cyber_continuity_missing": False,
                            "cyber_continuity_plan_id": self.own_plan.id,
                        }
                    )
                self.assertEqual(
                    self.flags(device, user=None), (self.Plan, True, False)
                )
        self.assertEqual(
            self.searched("cyber_continuity_missing"),
            self.dev["none"] | self.dev["other"],
        )
        new = (
            self.Equipment.sudo()
            .with_context(
                default_cyber_continuity_plan_id=self.own_plan.id,
                default_cyber_continuity_missing=False,
            )
            .create(
                self._acquisition_vals(
                    name="PCA forged",
                    serial_no="PCA-FORGED",
                    lifecycle_state="in_service",
                    is_connected=True,
                    antivirus="hospital",
                    **self.pieu_ct,
                )
            )
        )
        self.assertEqual(self.flags(new, user=None), (self.Plan, True, False))


@tagged("post_install", "-at_install")
class TestContinuityMultiCompany(ContinuityCase):
    def test_another_hospital_sees_nothing(self):
        Plan = self.Plan.with_user(self.other_rssi)
        self.assertFalse(
            Plan.search([]).filtered(lambda p: p.company_id != self.other_company)
        )
        self.assertFalse(
            Plan.search([("id", "in", [self.own_plan.id, self.model_plan.id])])
        )
        with self.assertRaises(AccessError):
            self.own_plan.with_user(self.other_rssi).read(["degraded_mode"])
        with self.assertRaises(AccessError):
            self.own_plan.with_user(self.other_rssi).write({"degraded_mode": "x"})
        # nor through a hostile allowed_company_ids
        with self.assertRaises(AccessError):
            Plan.with_context(
                allowed_company_ids=[self.other_company.id, self.company.id]
            ).search([])

    def test_no_plan_across_hospitals(self):
        rssi = self.Plan.with_user(self.users["rssi"])
        # a device of another hospital
        with self.assertRaises(UserError):
            rssi.create({"name": "Cross", "equipment_id": self.dev["other"].id})
        # in another hospital's name
        with self.assertRaises(UserError):
            rssi.create(
                {
                    "name": "Cross company",
                    "dm_model_name": "Somatom X",
                    "company_id": self.other_company.id,
                }
            )
        # a fallback device of another hospital
        with self.assertRaises(UserError):
            self.own_plan.with_user(self.users["rssi"]).write(
                {"fallback_equipment_ids": [Command.link(self.dev["other"].id)]}
            )
        # B's own model plan covers B's device only
        plan_b = self.Plan.with_user(self.other_rssi).create(
            {"name": "B scanners", "dm_model_name": "Revolution EVO"}
        )
        self.assertEqual(plan_b.company_id, self.other_company)
        self.assertEqual(self.flags(self.dev["other"], user=None)[0], plan_b)
        self.assertEqual(self.flags(self.dev["model"])[0], self.model_plan)
        self.assertEqual(plan_b.sudo().covered_equipment_ids, self.dev["other"])
