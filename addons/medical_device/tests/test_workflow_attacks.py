from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import MedicalDeviceCase

# An AccessError is a UserError: refused either way.
REFUSED = UserError


@tagged("post_install", "-at_install")
class TestWorkflowAttacks(MedicalDeviceCase):
    """The three ways round the gates (context defaults on create, writable
    computed fields, the medical-device flag), tried as the role a hospital
    would fear, with a read back that nothing changed."""

    def read_back(self, record):
        record.invalidate_recordset()
        return record.sudo().with_context(active_test=False)

    def devices_named(self, name):
        return (
            self.Equipment.sudo()
            .with_context(active_test=False)
            .search([("name", "=", name)])
        )

    # ------------------------------------------------------------ 1. context
    def test_technician_cannot_create_a_device_past_reception(self):
        Equipment = self.Equipment.with_user(self.users["technician"])
        for state in ("in_service", "disposal", "disposed"):
            with self.subTest(state=state):
                # A forged default is dropped: the device starts in acquisition.
                device = Equipment.with_context(default_lifecycle_state=state).create(
                    self._acquisition_vals(name="Defaulted", serial_no=state)
                )
                self.assertEqual(self.read_back(device).lifecycle_state, "acquisition")
                with self.assertRaisesRegex(UserError, "Acquisition or Reception"):
                    Equipment.create(
                        self._acquisition_vals(
                            name="Forged", serial_no=f"F-{state}", lifecycle_state=state
                        )
                    )
        self.assertFalse(self.devices_named("Forged"))

    def test_context_cannot_forge_udi_parts(self):
        device = (
            self.Equipment.with_user(self.users["technician"])
            .with_context(default_udi_di="09999999999999", default_udi_serial="X")
            .create(self._acquisition_vals())
        )
        device = self.read_back(device)
        self.assertFalse(device.udi_di)
        self.assertFalse(device.udi_serial)

    def test_technician_cannot_create_a_decided_reception(self):
        device = self.create_device()
        device.with_user(self.users["technician"]).action_to_reception()
        Reception = self.env["dm.reception"].with_user(self.users["technician"])
        reception = Reception.with_context(
            default_state="accepted",
            default_decided_by_id=self.users["engineer"].id,
            default_decided_on="2026-01-01 00:00:00",
        ).create({"equipment_id": device.id})
        reception = self.read_back(reception)
        self.assertEqual(reception.state, "draft")
        self.assertFalse(reception.decided_by_id)
        self.assertFalse(reception.decided_on)
        with self.assertRaises(UserError):
            Reception.create({"equipment_id": device.id, "state": "accepted"})
        with self.assertRaises(UserError):
            reception.with_user(self.users["technician"]).copy({"state": "accepted"})
        self.assertFalse(self.read_back(device).reception_accepted)
        with self.assertRaisesRegex(UserError, "reception report accepted"):
            device.with_user(self.users["technician"]).action_put_in_service()

    def test_action_context_does_not_leak_into_approval_lines(self):
        device = self.create_device()
        device.with_user(self.users["technician"]).action_to_reception()
        reception = self.reception_ready(device)
        reception.with_user(self.users["technician"]).with_context(
            default_state="approved", default_reviewer_id=self.users["engineer"].id
        ).action_request_approvals()
        lines = self.env["dm.approval"].search(
            [("res_model", "=", "dm.reception"), ("res_id", "=", reception.id)]
        )
        self.assertEqual(set(lines.mapped("state")), {"pending"})
        self.assertFalse(lines.reviewer_id)

    # ------------------------------------------------------------ 2. computed
    def test_stored_computed_fields_are_not_writable(self):
        device = self.create_device()
        device.with_user(self.users["technician"]).action_to_reception()
        device.write(self._regulatory_vals(dm_risk_class="iib"))
        before = self.read_back(device).read(
            [
                "reception_accepted",
                "pieu_criticality",
                "pieu_score",
                "ce_next_deadline",
                "maintenance_obligatory",
                "udi_di",
            ]
        )[0]
        forged = {
            "reception_accepted": True,
            "pieu_criticality": "low",
            "pieu_score": 99.0,
            "ce_next_deadline": "2099-01-01",
            "maintenance_obligatory": False,
            "quality_control_obligatory": True,
            "udi_di": "09999999999999",
            "udi_issuer": "gs1",
        }
        for role in ("technician", "engineer", "pharmacist"):
            for fname, value in forged.items():
                with self.subTest(role=role, field=fname), self.assertRaises(UserError):
                    device.with_user(self.users[role]).write({fname: value})
        self.assertEqual(self.read_back(device).read(list(before))[0], before)
        with self.assertRaisesRegex(UserError, "reception report accepted"):
            device.with_user(self.users["technician"]).action_put_in_service()

    def test_reception_related_fields_do_not_write_through(self):
        device = self.create_device()
        device.with_user(self.users["technician"]).action_to_reception()
        reception = self.env["dm.reception"].with_user(self.users["technician"])
        reception = reception.create({"equipment_id": device.id})
        for vals in ({"serial_no": "HIJACKED"}, {"dm_risk_class": "i"}):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                reception.write(vals)
        self.assertEqual(self.read_back(device).serial_no, "SP-0001")

    # ------------------------------------------------------------ 3. the flag
    def test_flag_off_then_on_cannot_skip_the_gates(self):
        device = self.create_device()
        device.with_user(self.users["technician"]).action_to_reception()
        for role in ("technician", "pharmacist", "rssi", "auditor"):
            with self.subTest(role=role), self.assertRaises(REFUSED):
                device.with_user(self.users[role]).write(
                    {"is_medical_device": False, "dm_flag_reason": "not a DM"}
                )
        engineer_device = device.with_user(self.users["engineer"])
        with self.assertRaisesRegex(UserError, "reason"):
            engineer_device.write({"is_medical_device": False})
        with self.assertRaisesRegex(UserError, "history"):
            engineer_device.write(
                {"is_medical_device": False, "dm_flag_reason": "not a DM"}
            )
        device = self.read_back(device)
        self.assertTrue(device.is_medical_device)
        self.assertEqual(device.lifecycle_state, "reception")

    def test_flag_off_cannot_dispose_or_delete_a_device_in_service(self):
        device = self.device_in_service()
        engineer_device = device.with_user(self.users["engineer"])
        with self.assertRaises(UserError):
            engineer_device.write(
                {"is_medical_device": False, "dm_flag_reason": "wrong entry"}
            )
        with self.assertRaises(UserError):
            engineer_device.write({"lifecycle_state": "disposed"})
        with self.assertRaises(UserError):
            engineer_device.unlink()
        device = self.read_back(device)
        self.assertTrue(device.is_medical_device and device.active)
        self.assertEqual(device.lifecycle_state, "in_service")

    def test_flag_on_only_at_the_start_of_the_lifecycle(self):
        printer = self.Equipment.with_user(self.users["technician"]).create(
            {"name": "Printer", "is_medical_device": False}
        )
        # Not a medical device: its lifecycle field is not gated...
        printer.with_user(self.users["technician"]).write(
            {"lifecycle_state": "in_service"}
        )
        # ...so it cannot become one past reception.
        with self.assertRaisesRegex(UserError, "acquisition or reception"):
            printer.with_user(self.users["engineer"]).write(
                {"is_medical_device": True, "dm_flag_reason": "it is a DM"}
            )
        with self.assertRaises(AccessError):
            printer.with_user(self.users["technician"]).write(
                {"is_medical_device": True, "lifecycle_state": "acquisition"}
            )
        self.assertFalse(self.read_back(printer).is_medical_device)

    def test_engineer_switches_the_flag_with_a_tracked_reason(self):
        device = self.create_device()
        self.flush_tracking()
        device.with_user(self.users["engineer"]).write(
            {"is_medical_device": False, "dm_flag_reason": "Office printer"}
        )
        self.assertFalse(self.read_back(device).is_medical_device)
        tracked = self.tracked_fields(device)
        self.assertIn("is_medical_device", tracked)
        self.assertIn("dm_flag_reason", tracked)

    # ------------------------------------------------------------ roles
    def test_wrong_roles_cannot_move_the_lifecycle(self):
        device = self.device_in_service()
        for role in ("technician", "pharmacist", "rssi", "dpo", "auditor"):
            for vals in (
                {"lifecycle_state": "disposal"},
                {"lifecycle_state": "disposed"},
            ):
                with self.subTest(role=role, vals=vals), self.assertRaises(REFUSED):
                    device.with_user(self.users[role]).write(vals)
        with self.assertRaises(REFUSED):
            device.with_user(self.users["internal"]).action_request_disposal()
        self.assertEqual(self.read_back(device).lifecycle_state, "in_service")

    def test_history_is_not_deleted(self):
        device = self.create_device()
        device.with_user(self.users["technician"]).action_to_reception()
        reception = self.reception_ready(device)
        reception.with_user(self.users["engineer"]).action_accept()
        for record in (device, reception):
            with self.subTest(model=record._name), self.assertRaises(UserError):
                record.with_user(self.users["engineer"]).unlink()
            self.assertTrue(self.read_back(record).exists())
