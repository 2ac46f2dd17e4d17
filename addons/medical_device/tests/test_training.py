import importlib.util
from datetime import timedelta
from pathlib import Path

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from ..models.dm_reception import RECEPTION_CRITERIA
from ..tools import training
from .common import MedicalDeviceCase

MIGRATION = (
    Path(__file__).parent.parent
    / "migrations"
    / "19.0.2.3.0"
    / "post-training-from-sessions.py"
)


@tagged("post_install", "-at_install")
class TestTrainingRegister(MedicalDeviceCase):
    """The register of trained users (HAS), as the roles that act on it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["dm.training.session"])
        cls.Session = cls.env["dm.training.session"]
        cls.manufacturer = cls.env["res.partner"].create({"name": "Pump Maker"})
        cls.icu = cls.env["hr.department"].create({"name": "ICU"})
        cls.oncology = cls.env["hr.department"].create({"name": "Oncology"})
        Employee = cls.env["hr.employee"]
        cls.nurse_icu = Employee.create(
            {"name": "Nurse ICU", "department_id": cls.icu.id}
        )
        cls.nurse_onco = Employee.create(
            {"name": "Nurse Oncology", "department_id": cls.oncology.id}
        )
        cls.company_b = cls.env["res.company"].create({"name": "Hôpital Beta"})
        cls.engineer_b = new_test_user(
            cls.env,
            login="test_dm_training_engineer_b",
            groups="medical_device.group_dm_engineer",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )

    def pump(self, **overrides):
        vals = {
            "model": "Volumat Agilia",
            "manufacturer_id": self.manufacturer.id,
            "serial_no": f"PUMP-{len(self.Equipment.search([]))}",
        }
        vals.update(overrides)
        return self.create_device(**vals)

    def session(self, user="technician", **overrides):
        vals = {
            "device_model": "Volumat Agilia",
            "manufacturer_id": self.manufacturer.id,
            "session_date": self.today,
            "validity_months": 12,
            "trainer_kind": "supplier",
            "trainer_name": "Supplier trainer",
            "attendee_ids": [Command.set(self.nurse_icu.ids)],
        }
        vals.update(overrides)
        # None: the key is left out (the server's default applies).
        vals = {k: v for k, v in vals.items() if v is not None}
        return self.Session.with_user(self.users[user]).create(vals)

    # ------------------------------------------------------------ roles
    def test_technicians_and_engineers_record_other_roles_read(self):
        for role in ("technician", "engineer"):
            session = self.session(role)
            session.with_user(self.users[role]).write({"content": "Alarms"})
            self.assertEqual(session.content, "Alarms")
        session = self.session()
        for role in ("pharmacist", "rssi", "dpo", "auditor"):
            Session = self.Session.with_user(self.users[role])
            self.assertEqual(Session.browse(session.id).device_model, "Volumat Agilia")
            with self.assertRaises(AccessError):
                Session.create({"device_model": "Volumat Agilia"})
            with self.assertRaises(AccessError):
                Session.browse(session.id).write({"content": "forged"})
            with self.assertRaises(AccessError):
                Session.browse(session.id).unlink()
        with self.assertRaises(AccessError):
            self.Session.with_user(self.users["internal"]).browse(session.id).read(
                ["device_model"]
            )
        self.assertFalse(session.content)

    def test_other_company_sees_nothing(self):
        session = self.session()
        Session = self.Session.with_user(self.engineer_b)
        self.assertFalse(Session.search([("id", "=", session.id)]))
        with self.assertRaises(AccessError):
            Session.browse(session.id).read(["device_model"])
        Attendance = self.env["dm.training.attendance"].with_user(self.engineer_b)
        self.assertFalse(Attendance.search([("session_id", "=", session.id)]))
        # Nor attendees of another hospital on its own sessions.
        with self.assertRaises(UserError):
            Session.create(
                {
                    "device_model": "Volumat Agilia",
                    "company_id": self.company_b.id,
                    "attendee_ids": [Command.set(self.nurse_icu.ids)],
                }
            )

    def test_a_session_with_attendees_is_archived_not_deleted(self):
        session = self.session()
        with self.assertRaisesRegex(UserError, "archive it"):
            session.with_user(self.users["engineer"]).unlink()
        session.with_user(self.users["technician"]).action_archive()
        self.assertFalse(session.active)
        empty = self.session(attendee_ids=[])
        empty.with_user(self.users["technician"]).unlink()
        self.assertFalse(empty.exists())

    # ------------------------------------------------------------ validity
    def test_expiry_from_date_and_validity_never_from_the_client(self):
        held = self.today - timedelta(days=30)
        session = self.session(session_date=held, validity_months=6)
        self.assertEqual(session.expiry_date, training.expiry_date(held, 6))
        technician = self.users["technician"]
        with self.assertRaises(UserError):
            session.with_user(technician).write({"expiry_date": "2099-01-01"})
        with self.assertRaises(UserError):
            self.session(expiry_date="2099-01-01", validity_months=1)
        forged = self.session(expiry_date=False, validity_months=1)
        self.assertEqual(forged.expiry_date, training.expiry_date(self.today, 1))
        self.assertEqual(session.expiry_date, training.expiry_date(held, 6))

    def test_validity_defaults_from_the_model_then_the_setting(self):
        self.env["ir.config_parameter"].set_param(
            "medical_device.training_validity_months", 18
        )
        first = self.session(device_model="Other pump", validity_months=None)
        self.assertEqual(first.validity_months, 18)
        first.write({"validity_months": 36})
        second = self.session(device_model="OTHER PUMP ", validity_months=None)
        self.assertEqual(second.validity_months, 36)

    def test_a_session_names_a_model_or_a_device(self):
        with self.assertRaises(ValidationError):
            self.session(device_model=False)
        device = self.pump(model="Held pump")
        held = self.session(device_model=None, equipment_id=device.id)
        self.assertEqual(held.device_model, "Held pump")
        # The device keeps the session in its history.
        notes = device.message_ids.filtered(lambda m: "Training session of" in m.body)
        self.assertEqual(len(notes), 1)
        self.assertIn("1 user(s) trained on Held pump", notes.body)

    # ------------------------------------------------------------ trained users
    def test_trained_users_of_a_device_from_valid_sessions_of_its_model(self):
        device = self.pump()
        other_maker = self.pump(
            manufacturer_id=self.env["res.partner"].create({"name": "Other"}).id
        )
        self.assertFalse(device.dm_trained_employee_ids)
        self.session(device_model="  volumat AGILIA ")
        self.session(
            attendee_ids=[Command.set(self.nurse_onco.ids)],
            session_date=self.today - timedelta(days=400),
        )
        self.session(
            attendee_ids=[Command.set(self.nurse_onco.ids)],
            session_date=self.today + timedelta(days=3),
        )
        self.env.invalidate_all()
        self.assertEqual(device.dm_trained_employee_ids, self.nurse_icu)
        self.assertEqual(device.dm_trained_count, 1)
        self.assertEqual(len(device.dm_training_session_ids), 3)
        self.assertFalse(other_maker.dm_trained_employee_ids)
        Equipment = self.Equipment.with_user(self.users["auditor"])
        self.assertEqual(
            Equipment.search([("dm_trained_employee_ids", "in", self.nurse_icu.ids)]),
            device,
        )
        self.assertFalse(
            Equipment.search([("dm_trained_employee_ids", "in", self.nurse_onco.ids)])
        )
        self.assertEqual(
            Equipment.search(
                [
                    ("id", "in", (device | other_maker).ids),
                    ("dm_trained_employee_ids", "=", False),
                ]
            ),
            other_maker,
        )
        self.assertIn(
            device,
            Equipment.search([("dm_trained_employee_ids", "ilike", "Nurse ICU")]),
        )

    def test_devices_in_service_without_trained_user_in_their_service(self):
        device = self.device_in_service(
            model="Volumat Agilia",
            manufacturer_id=self.manufacturer.id,
            equipment_assign_to="department",
            department_id=self.icu.id,
        )
        # Its reception's session trained a user of no department of its own.
        gap = [("dm_training_gap", "=", True), ("id", "=", device.id)]
        Equipment = self.Equipment.with_user(self.users["engineer"])
        self.assertTrue(Equipment.search(gap))
        self.session(attendee_ids=[Command.set(self.nurse_onco.ids)])
        self.env.invalidate_all()
        self.assertTrue(Equipment.search(gap))
        self.assertTrue(device.dm_training_gap)
        self.session()
        self.env.invalidate_all()
        self.assertFalse(Equipment.search(gap))
        self.assertFalse(device.dm_training_gap)
        self.assertTrue(
            Equipment.search([("dm_training_gap", "=", False), ("id", "=", device.id)])
        )

    def test_trainings_expiring_within_the_setting(self):
        self.env["ir.config_parameter"].set_param(
            "medical_device.training_expiry_warning_days", 30
        )
        soon = self.session(
            session_date=self.today - timedelta(days=340), validity_months=12
        )
        later = self.session(attendee_ids=[Command.set(self.nurse_onco.ids)])
        Attendance = self.env["dm.training.attendance"].with_user(self.users["auditor"])
        expiring = Attendance.search([("training_status", "=", "expiring")])
        self.assertIn(soon, expiring.session_id)
        self.assertNotIn(later, expiring.session_id)
        row = Attendance.search([("session_id", "=", soon.id)])
        self.assertEqual(row.employee_id, self.nurse_icu)
        self.assertEqual(row.department_id, self.icu)
        self.assertEqual(row.expiry_date, soon.expiry_date)
        self.assertEqual(row.training_status, "expiring")
        with self.assertRaises(AccessError):
            Attendance.create({"session_id": soon.id})

    def test_daily_digest_of_the_trainings_expiring_per_department(self):
        self.env["ir.config_parameter"].set_param(
            "medical_device.training_expiry_warning_days", 30
        )
        soon = self.session(
            session_date=self.today - timedelta(days=340), validity_months=12
        )
        self.session(
            session_date=self.today - timedelta(days=345),
            validity_months=12,
            attendee_ids=[Command.set((self.nurse_icu | self.nurse_onco).ids)],
        )
        Attendance = self.env["dm.training.attendance"]
        activities = Attendance._cron_training_expiry()
        digests = self.env["dm.activity.digest"].browse(activities.mapped("res_id"))
        icu = digests.filtered(lambda d: d.department_id == self.icu)
        # One digest for the department, not one per training or device.
        self.assertEqual(len(icu), 1)
        self.assertEqual(icu.kind, "training_expiry")
        self.assertEqual(icu.device_count, 2)
        self.assertEqual(icu.site, "ICU")
        self.assertIn("2 training(s), ICU", icu.display_name)
        activity = activities.filtered(lambda a: a.res_id == icu.id)
        self.assertTrue(
            activity.user_id.has_group("medical_device.group_dm_engineer"),
        )
        self.assertIn(self.company, activity.user_id.company_ids)
        self.assertEqual(
            len(digests.filtered(lambda d: d.department_id == self.oncology)), 1
        )
        # Signalled once: a second run adds nothing.
        self.assertFalse(Attendance._cron_training_expiry())
        self.assertEqual(soon.dm_expiry_signalled, soon.expiry_date)
        action = icu.with_user(self.users["engineer"]).action_open_devices()
        self.assertEqual(action["res_model"], "dm.training.attendance")
        rows = Attendance.with_user(self.users["engineer"]).search(
            action["domain"] + [("training_status", "=", "expiring")]
        )
        self.assertEqual(rows.employee_id, self.nurse_icu)
        # A client cannot forge or clear what was signalled.
        with self.assertRaises(UserError):
            soon.with_user(self.users["engineer"]).write({"dm_expiry_signalled": False})

    # ------------------------------------------------------------ reception
    def received(self):
        device = self.pump()
        device.with_user(self.users["technician"]).action_to_reception()
        device.write(self._regulatory_vals())
        return device

    def reception(self, device, **overrides):
        vals = {
            "equipment_id": device.id,
            **self.pieu_syringe_pump,
            **dict.fromkeys(RECEPTION_CRITERIA, True),
        }
        vals.update(overrides)
        return self.env["dm.reception"].with_user(self.users["technician"]).create(vals)

    def test_reception_training_comes_from_a_session(self):
        device = self.received()
        reception = self.reception(device)
        self.assertFalse(reception.check_training_done)
        reception.action_submit()
        with self.assertRaisesRegex(UserError, "training session"):
            reception.with_user(self.users["engineer"]).action_accept()
        session = self.session()
        self.assertEqual(reception.training_session_id, session)
        self.assertTrue(reception.check_training_done)
        reception.with_user(self.users["technician"]).action_submit()
        reception.with_user(self.users["engineer"]).action_accept()
        self.assertEqual(reception.state, "accepted")
        # History: the decided report keeps its training when the session goes.
        session.with_user(self.users["technician"]).action_archive()
        self.assertTrue(reception.check_training_done)
        self.assertEqual(reception.training_session_id, session)
        self.assertTrue(reception._dm_training_met())

    def test_a_session_held_for_the_device_counts_before_the_model(self):
        device = self.received()
        model_session = self.session(session_date=self.today - timedelta(days=5))
        held = self.session(equipment_id=device.id, device_model="Volumat Agilia")
        reception = self.reception(device)
        self.assertEqual(reception.training_session_id, held)
        held.with_user(self.users["technician"]).action_archive()
        self.assertEqual(reception.training_session_id, model_session)

    def test_clients_cannot_tick_the_training(self):
        device = self.received()
        technician = self.users["technician"]
        Reception = self.env["dm.reception"].with_user(technician)
        with self.assertRaisesRegex(UserError, "register of trained users"):
            self.reception(device, check_training_done=True)
        session = self.session(attendee_ids=[])
        with self.assertRaisesRegex(UserError, "register of trained users"):
            self.reception(device, training_session_id=session.id)
        reception = Reception.with_context(
            default_check_training_done=True,
            default_training_session_id=session.id,
        ).create({"equipment_id": device.id})
        self.assertFalse(reception.check_training_done)
        self.assertFalse(reception.training_session_id)
        for role in ("technician", "engineer"):
            with self.assertRaisesRegex(UserError, "register of trained users"):
                reception.with_user(self.users[role]).write(
                    {"check_training_done": True}
                )
            with self.assertRaisesRegex(UserError, "register of trained users"):
                reception.with_user(self.users[role]).write(
                    {"training_session_id": session.id}
                )
        self.assertFalse(reception.check_training_done)
        # A session without attendees trains nobody.
        self.assertFalse(reception._dm_find_training_session())
        reception.write(
            dict.fromkeys(RECEPTION_CRITERIA, True) | self.pieu_syringe_pump
        )
        reception.with_user(technician).action_submit()
        with self.assertRaisesRegex(UserError, "training session"):
            reception.with_user(self.users["engineer"]).action_accept()
        self.assertEqual(reception.state, "draft")
        self.assertFalse(device.reception_accepted)

    def test_an_expired_session_does_not_meet_the_reception(self):
        device = self.received()
        self.session(session_date=self.today - timedelta(days=400), validity_months=12)
        reception = self.reception(device)
        self.assertFalse(reception.check_training_done)
        items = {i["field"]: i["met"] for i in reception._criteria_checklist()}
        self.assertFalse(items["training_session_id"])

    def test_migration_keeps_decided_receptions(self):
        device = self.received()
        decided = self.reception(device)
        draft = self.reception(self.received())
        # As an upgraded database holds them: boxes ticked by hand.
        self.env.cr.execute(
            "UPDATE dm_reception SET check_training_done = true, state = %s "
            "WHERE id = %s",
            ["accepted", decided.id],
        )
        self.env.cr.execute(
            "UPDATE dm_reception SET check_training_done = true WHERE id = %s",
            [draft.id],
        )
        self.env.invalidate_all()
        spec = importlib.util.spec_from_file_location("training_migration", MIGRATION)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "19.0.2.2.0")
        self.env.invalidate_all()
        self.assertEqual(decided.state, "accepted")
        self.assertTrue(decided.check_training_done)
        self.assertEqual(draft.state, "draft")
        self.assertFalse(draft.check_training_done)
        self.assertIn("register of trained users", draft.message_ids[:1].body)
