"""Attacks on the adverse-event declarations, as an RPC client would make
them: forged identity of the device, ``default_*`` keys, writing the step,
the stamps or the computed fields, declaring without the role, reaching
another hospital's incidents. Each refusal is read back: nothing changed."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import MedicalDeviceCase

UDI = "(01)03760123450010(11)220829(10)L2208A(21)ATK-SERIAL-1"


@tagged("post_install", "-at_install")
class TestVigilanceIncidentAttacks(MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Incident = cls.env["dm.vigilance.incident"]
        cls.other_company = cls.env["res.company"].create({"name": "Clinique Autre"})
        cls.other_pharmacist = new_test_user(
            cls.env,
            login="test_dm_other_pharmacist",
            groups="medical_device.group_dm_pharmacist",
            company_id=cls.other_company.id,
            company_ids=[(6, 0, [cls.other_company.id])],
        )

    def setUp(self):
        super().setUp()
        self.device = self.device_in_service(serial_no="ATK-SERIAL-1", udi_carrier=UDI)
        self.technician = self.users["technician"]

    def vals(self, **extra):
        return {
            "equipment_id": self.device.id,
            "description": "Alarm did not sound.",
            **extra,
        }

    def count(self):
        return self.Incident.sudo().search_count(
            [("equipment_id", "=", self.device.id)]
        )

    def test_forged_identity_on_create_is_refused(self):
        for fname, value in (
            ("udi_di", "09999999999999"),
            ("lot", "FAKE-LOT"),
            ("serial_no", "FAKE-SN"),
            ("state", "declared"),
            ("declarant_id", self.users["pharmacist"].id),
            ("name", "MV/FAKE"),
            ("stop_request_id", 1),
        ):
            with self.subTest(field=fname), self.assertRaises(UserError):
                self.Incident.with_user(self.technician).create(
                    self.vals(**{fname: value})
                )
        self.assertEqual(self.count(), 0)

    def test_default_keys_do_not_reach_protected_fields(self):
        incident = (
            self.Incident.with_user(self.technician)
            .with_context(
                default_udi_di="09999999999999",
                default_lot="FAKE-LOT",
                default_serial_no="FAKE-SN",
                default_state="closed",
                default_declarant_id=self.users["pharmacist"].id,
                default_name="MV/FAKE",
            )
            .create(self.vals())
        )
        self.assertEqual(incident.udi_di, "03760123450010")
        self.assertEqual(incident.lot, "L2208A")
        self.assertEqual(incident.serial_no, "ATK-SERIAL-1")
        self.assertEqual(incident.state, "draft")
        self.assertFalse(incident.declarant_id)
        self.assertNotEqual(incident.name, "MV/FAKE")

    def test_default_declaration_keys_from_a_technician_are_refused(self):
        # Fields only the pharmacist sets: their default keys are refused like
        # values, not slipped in by the ORM's defaults.
        for fname, value in (
            ("ansm_reference", "R-FAKE"),
            ("ansm_declaration_date", "2026-11-30"),
            ("manufacturer_conclusion", "Nothing to see."),
        ):
            with self.subTest(field=fname), self.assertRaises(AccessError):
                self.Incident.with_user(self.technician).with_context(
                    **{f"default_{fname}": value}
                ).create(self.vals())
        self.assertEqual(self.count(), 0)
        # The pharmacist may.
        incident = (
            self.Incident.with_user(self.users["pharmacist"])
            .with_context(default_ansm_reference="R26-200")
            .create(self.vals())
        )
        self.assertEqual(incident.ansm_reference, "R26-200")

    def test_writing_the_step_stamps_identity_or_device_is_refused(self):
        incident = self.Incident.with_user(self.technician).create(self.vals())
        other_device = self.device_in_service(serial_no="ATK-SERIAL-2")
        for fname, value in (
            ("state", "declared"),
            ("udi_di", "09999999999999"),
            ("lot", "FAKE"),
            ("serial_no", "FAKE"),
            ("declarant_id", self.technician.id),
            ("declared_on", "2026-01-01 00:00:00"),
            ("closed_by_id", self.technician.id),
            ("equipment_id", other_device.id),
            ("use_stopped_on", "2026-01-01 00:00:00"),
            ("company_id", self.other_company.id),
            ("reported_by_id", self.users["pharmacist"].id),
        ):
            with self.subTest(field=fname), self.assertRaises(UserError):
                incident.with_user(self.technician).write({fname: value})
        incident.invalidate_recordset()
        self.assertEqual(incident.state, "draft")
        self.assertEqual(incident.lot, "L2208A")
        self.assertEqual(incident.equipment_id, self.device)
        self.assertEqual(incident.reported_by_id, self.technician)
        self.assertFalse(incident.declarant_id)

    def test_pharmacist_cannot_write_the_step_either(self):
        incident = self.Incident.with_user(self.technician).create(
            self.vals(patient_consequence="death")
        )
        with self.assertRaises(UserError):
            incident.with_user(self.users["pharmacist"]).write({"state": "closed"})
        self.assertEqual(incident.state, "draft")

    def test_technician_declaring_over_rpc(self):
        incident = self.Incident.with_user(self.technician).create(self.vals())
        incident.with_user(self.users["pharmacist"]).write(
            {"ansm_reference": "R26-100", "ansm_declaration_date": "2026-11-30"}
        )
        with self.assertRaises(AccessError):
            incident.with_user(self.technician).action_declare()
        with self.assertRaises(AccessError):
            incident.with_user(self.technician)._dm_set_state("declared")
        self.assertEqual(incident.state, "draft")

    def test_auditor_reads_and_changes_nothing(self):
        incident = self.Incident.with_user(self.technician).create(self.vals())
        auditor = self.users["auditor"]
        self.assertEqual(
            incident.with_user(auditor).description, "Alarm did not sound."
        )
        with self.assertRaises(AccessError):
            incident.with_user(auditor).write({"description": "Changed"})
        with self.assertRaises(AccessError):
            incident.with_user(auditor).action_stop_use()
        self.assertEqual(incident.description, "Alarm did not sound.")

    def test_other_company_sees_nothing(self):
        incident = self.Incident.with_user(self.technician).create(self.vals())
        other = self.Incident.with_user(self.other_pharmacist)
        self.assertFalse(other.search([("id", "=", incident.id)]))
        with self.assertRaises(AccessError):
            incident.with_user(self.other_pharmacist).read(["description"])
        with self.assertRaises(AccessError):
            incident.with_user(self.other_pharmacist).action_declare()
        # Nor reports an incident on another hospital's device.
        with self.assertRaises(AccessError):
            other.create(self.vals())
        self.assertEqual(self.count(), 1)
        # Nor gets an activity for it.
        self.Incident.with_user(self.technician).create(
            self.vals(patient_consequence="death")
        )
        self.assertFalse(
            self.env["mail.activity"].search(
                [
                    ("res_model", "=", "dm.vigilance.incident"),
                    ("user_id", "=", self.other_pharmacist.id),
                ]
            )
        )

    def test_only_medical_devices(self):
        equipment = self.Equipment.create({"name": "Coffee machine"})
        with self.assertRaisesRegex(UserError, "not a medical device"):
            self.Incident.with_user(self.technician).create(
                {"equipment_id": equipment.id, "description": "Too hot."}
            )
