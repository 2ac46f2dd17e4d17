"""Adverse-event declarations: the device's identity captured when reported,
the steps draft → declared → closed and what each needs, the urgent activity
of a serious incident, the stop of use through the maintenance register."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import MedicalDeviceCase

UDI = "(01)03760123450010(11)220829(10)L2208A(21)MV-SERIAL-1"


@tagged("post_install", "-at_install")
class TestVigilanceIncident(MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Incident = cls.env["dm.vigilance.incident"]

    def setUp(self):
        super().setUp()
        self.device = self.device_in_service(
            serial_no="MV-SERIAL-1", udi_carrier=UDI, trade_name="Agilia SP MC"
        )

    def report(self, user="technician", **vals):
        values = {
            "equipment_id": self.device.id,
            "description": "Unexpected bolus when the syringe was changed.",
            "service": "ICU",
        }
        values.update(vals)
        return self.Incident.with_user(self.users[user]).create(values)

    def test_identity_captured_and_kept(self):
        incident = self.report()
        self.assertEqual(incident.state, "draft")
        self.assertTrue(incident.name.startswith("MV/"))
        self.assertEqual(incident.udi_di, "03760123450010")
        self.assertEqual(incident.lot, "L2208A")
        self.assertEqual(incident.serial_no, "MV-SERIAL-1")
        self.assertEqual(incident.trade_name, "Agilia SP MC")
        self.assertEqual(incident.dm_risk_class, "iib")
        self.assertEqual(incident.reported_by_id, self.users["technician"])
        # The device changes afterwards: the incident keeps what it was.
        self.device.with_user(self.users["engineer"]).write(
            {"udi_carrier": "(01)03760123450010(10)L9999Z(21)OTHER-1"}
        )
        self.assertEqual(self.device.udi_lot, "L9999Z")
        incident.invalidate_recordset()
        self.assertEqual(incident.lot, "L2208A")
        self.assertEqual(incident.serial_no, "MV-SERIAL-1")

    def test_every_dm_role_reports_a_draft(self):
        for role in ("technician", "engineer", "pharmacist", "rssi", "dpo"):
            with self.subTest(role=role):
                self.assertEqual(self.report(role).state, "draft")
        for role in ("auditor", "internal"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                self.report(role)

    def test_reporter_edits_the_draft_not_the_declaration(self):
        incident = self.report()
        incident.with_user(self.users["technician"]).write(
            {"description": "Bolus of 2 ml when the syringe was changed."}
        )
        with self.assertRaises(AccessError):
            incident.with_user(self.users["technician"]).write(
                {"ansm_reference": "R26-001"}
            )
        incident.with_user(self.users["pharmacist"]).write(
            {"ansm_reference": "R26-001", "ansm_declaration_date": "2026-11-30"}
        )
        incident.with_user(self.users["pharmacist"]).action_declare()
        # Declared: the report is the pharmacist's.
        with self.assertRaises(AccessError):
            incident.with_user(self.users["technician"]).write(
                {"description": "Rewritten after the declaration."}
            )
        self.assertEqual(
            incident.description, "Bolus of 2 ml when the syringe was changed."
        )

    def test_declare_needs_the_ansm_reference_and_date(self):
        incident = self.report()
        pharmacist = self.users["pharmacist"]
        with self.assertRaisesRegex(UserError, "ANSM reference"):
            incident.with_user(pharmacist).action_declare()
        self.assertEqual(incident.state, "draft")
        incident.with_user(pharmacist).write({"ansm_reference": "R26-002"})
        with self.assertRaisesRegex(UserError, "declaration to the ANSM"):
            incident.with_user(pharmacist).action_declare()
        incident.with_user(pharmacist).write({"ansm_declaration_date": "2026-11-30"})
        incident.with_user(pharmacist).action_declare()
        self.assertEqual(incident.state, "declared")
        self.assertEqual(incident.declarant_id, pharmacist)
        self.assertTrue(incident.declared_on)

    def test_close_needs_the_manufacturer_conclusion_then_frozen(self):
        incident = self.report()
        pharmacist = self.users["pharmacist"]
        incident.with_user(pharmacist).write(
            {"ansm_reference": "R26-003", "ansm_declaration_date": "2026-11-30"}
        )
        incident.with_user(pharmacist).action_declare()
        with self.assertRaisesRegex(UserError, "manufacturer's conclusion"):
            incident.with_user(pharmacist).action_close()
        incident.with_user(pharmacist).write(
            {"manufacturer_conclusion": "Syringe not seated; user training."}
        )
        incident.with_user(pharmacist).action_close()
        self.assertEqual(incident.state, "closed")
        self.assertEqual(incident.closed_by_id, pharmacist)
        with self.assertRaises(UserError):
            incident.with_user(pharmacist).write({"ansm_reference": "R26-XXX"})
        self.assertEqual(incident.ansm_reference, "R26-003")

    def test_technician_may_not_declare_nor_close(self):
        incident = self.report()
        incident.with_user(self.users["pharmacist"]).write(
            {"ansm_reference": "R26-004", "ansm_declaration_date": "2026-11-30"}
        )
        for role in ("technician", "engineer", "auditor"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                incident.with_user(self.users[role]).action_declare()
        self.assertEqual(incident.state, "draft")

    def test_serious_incident_alerts_the_pharmacists(self):
        second = self.users["pharmacist"].copy({"login": "test_dm_pharmacist_2"})
        self.env["res.lang"]._activate_lang("fr_FR")
        second.lang = "fr_FR"
        incident = self.report(patient_consequence="serious_deterioration")
        self.assertTrue(incident.is_serious)
        activities = incident.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref(
                    "medical_device.mail_activity_type_dm_vigilance_incident"
                )
            )
        )
        # Every pharmacist of the company (the database may hold others),
        # and only pharmacists.
        self.assertLessEqual(
            {self.users["pharmacist"].id, second.id}, set(activities.user_id.ids)
        )
        pharmacists = self.env.ref("medical_device.group_dm_pharmacist").all_user_ids
        self.assertLessEqual(activities.user_id, pharmacists)
        self.assertEqual(len(activities), len(activities.user_id))
        english = activities.filtered(lambda a: a.user_id == self.users["pharmacist"])
        self.assertIn("Serious incident to declare", english.summary)
        # Writing again does not add more activities.
        incident.with_user(self.users["technician"]).write({"service": "ICU 2"})
        self.assertEqual(len(incident.activity_ids), len(activities))
        # Declaring marks them done.
        incident.with_user(self.users["pharmacist"]).write(
            {"ansm_reference": "R26-005", "ansm_declaration_date": "2026-11-30"}
        )
        incident.with_user(self.users["pharmacist"]).action_declare()
        self.assertFalse(incident.activity_ids.filtered(lambda a: a.active))

    def test_non_serious_gives_no_activity_until_marked_serious(self):
        incident = self.report()
        self.assertFalse(incident.is_serious)
        self.assertFalse(incident.activity_ids)
        # A near miss: the reporter ticks it.
        incident.with_user(self.users["technician"]).write({"is_serious": True})
        self.assertIn(self.users["pharmacist"], incident.activity_ids.user_id)

    def test_serious_consequence_cannot_be_unticked(self):
        incident = self.report(patient_consequence="death")
        with self.assertRaisesRegex(UserError, "serious"):
            incident.with_user(self.users["technician"]).write({"is_serious": False})

    def test_stop_use_through_the_register(self):
        incident = self.report()
        incident.with_user(self.users["pharmacist"]).action_stop_use()
        request = incident.stop_request_id
        self.assertTrue(request)
        self.assertEqual(request.equipment_id, self.device)
        self.assertTrue(request.use_stopped_on)
        self.assertFalse(request.use_resumed_on)
        with self.assertRaisesRegex(UserError, "already stopped"):
            incident.with_user(self.users["technician"]).action_stop_use()
        # It resumes only through the register: not the pharmacist, not the
        # auditor; the technician records it.
        for role in ("pharmacist", "auditor"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                request.with_user(self.users[role]).write(
                    {"use_resumed_on": request.use_stopped_on}
                )
        request.with_user(self.users["technician"]).write(
            {"use_resumed_on": request.use_stopped_on}
        )
        self.assertTrue(incident.use_resumed_on)
        self.assertIn(
            incident.name,
            " ".join(self.device.message_ids.mapped("body")),
        )

    def test_stop_use_refused_to_other_roles(self):
        incident = self.report()
        for role in ("rssi", "dpo", "auditor"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                incident.with_user(self.users[role]).action_stop_use()
        self.assertFalse(incident.stop_request_id)

    def test_device_shows_its_incidents_and_keeps_them(self):
        incident = self.report()
        self.assertEqual(self.device.incident_count, 1)
        action = self.device.with_user(self.users["auditor"]).action_view_incidents()
        self.assertEqual(self.Incident.search(action["domain"]), incident)
        self.assertIn("incidents", " ".join(self.device._dm_history_reasons()))

    def test_declared_incident_is_not_deleted(self):
        draft = self.report()
        draft.with_user(self.users["pharmacist"]).unlink()
        incident = self.report()
        incident.with_user(self.users["pharmacist"]).write(
            {"ansm_reference": "R26-006", "ansm_declaration_date": "2026-11-30"}
        )
        incident.with_user(self.users["pharmacist"]).action_declare()
        with self.assertRaises(UserError):
            incident.with_user(self.users["pharmacist"]).unlink()
        with self.assertRaises(AccessError):
            self.report().with_user(self.users["technician"]).unlink()

    def test_next_step_panel(self):
        incident = self.report()
        panel = incident.with_user(self.users["technician"]).dm_next_step
        self.assertEqual(panel["button"]["name"], "action_declare")
        self.assertTrue(panel["blockers"], "the technician is told who declares")
        self.assertFalse(panel["ready"])
        incident.with_user(self.users["pharmacist"]).write(
            {"ansm_reference": "R26-007", "ansm_declaration_date": "2026-11-30"}
        )
        incident.invalidate_recordset()
        panel = incident.with_user(self.users["pharmacist"]).dm_next_step
        self.assertTrue(panel["ready"])
        self.assertEqual({item["page"] for item in panel["items"]}, {"declaration"})
