from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import MedicalDeviceCase


@tagged("post_install", "-at_install")
class TestLifecycle(MedicalDeviceCase):
    def test_new_device_starts_in_acquisition(self):
        device = self.create_device()
        self.assertEqual(device.lifecycle_state, "acquisition")

    def test_kanban_shows_all_five_columns_even_empty(self):
        # The kanban asks with read_group_expand, as the web client does.
        result = self.Equipment.with_context(read_group_expand=True).web_read_group(
            [("id", "=", 0)], ["lifecycle_state"], ["__count"]
        )
        columns = [group["lifecycle_state"] for group in result["groups"]]
        self.assertEqual(
            columns, ["acquisition", "reception", "in_service", "disposal", "disposed"]
        )

    def test_reception_needs_acquisition_data(self):
        device = self.create_device(acq_ce_checked=False, acq_training_planned=False)
        with self.assertRaisesRegex(UserError, "CE marking check.*training"):
            device.with_user(self.users["technician"]).action_to_reception()
        self.assertEqual(device.lifecycle_state, "acquisition")

    def test_connected_device_needs_cyber_answers_and_data_clauses(self):
        device = self.create_device(is_connected=True)
        technician = self.users["technician"]
        with self.assertRaisesRegex(UserError, "cybersecurity answers"):
            device.with_user(technician).write({"lifecycle_state": "reception"})
        device.write({"acq_cyber_questionnaire": True})
        with self.assertRaisesRegex(UserError, "data-protection clauses"):
            device.with_user(technician).write({"lifecycle_state": "reception"})
        device.write({"acq_data_protection_clauses": True})
        device.with_user(technician).action_request_approvals()
        device._dm_current_line("rssi_cyber_answers").with_user(
            self.users["rssi"]
        ).action_approve()
        device.with_user(technician).write({"lifecycle_state": "reception"})
        self.assertEqual(device.lifecycle_state, "reception")

    def test_put_in_service_checks_every_precondition_over_rpc_write(self):
        device = self.create_device()
        technician = self.users["technician"]
        device.with_user(technician).action_to_reception()
        with self.assertRaises(UserError) as caught:
            device.with_user(technician).write({"lifecycle_state": "in_service"})
        message = str(caught.exception)
        for missing in ("risk class", "CE regime", "PIEU", "reception report"):
            self.assertIn(missing, message)
        self.assertEqual(device.lifecycle_state, "reception")

        device.write(self._regulatory_vals(notified_body_number=False))
        with self.assertRaisesRegex(UserError, "notified body number"):
            device.with_user(technician).action_put_in_service()

        reception = self.reception_ready(device)
        with self.assertRaisesRegex(UserError, "accepted by a biomedical engineer"):
            device.with_user(technician).action_put_in_service()

        reception.with_user(self.users["engineer"]).action_accept()
        device.with_user(technician).action_put_in_service()
        self.assertEqual(device.lifecycle_state, "in_service")
        self.assertTrue(device.commissioning_date)

    def test_class_i_device_needs_no_notified_body(self):
        device = self.create_device()
        device.with_user(self.users["technician"]).action_to_reception()
        reception = self.reception_ready(device)
        device.write(
            {
                "dm_risk_class": "i",
                "notified_body_number": False,
                "ce_certificate_ref": False,
            }
        )
        reception.with_user(self.users["engineer"]).action_accept()
        device.with_user(self.users["technician"]).action_put_in_service()
        self.assertEqual(device.lifecycle_state, "in_service")

    def test_transition_is_tracked_with_author(self):
        device = self.device_in_service()
        self.assertIn("lifecycle_state", self.tracked_fields(device))
        tracked = device.sudo().message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "lifecycle_state"
        )
        new_values = tracked.mapped("new_value_char")
        self.assertIn("Reception", new_values)
        self.assertIn("In service", new_values)
        in_service = tracked.filtered(lambda t: t.new_value_char == "In service")
        self.assertEqual(
            in_service.mail_message_id.author_id, self.users["technician"].partner_id
        )

    def test_illegal_jumps_are_refused(self):
        device = self.create_device(serial_no="SP-JUMP")
        engineer = self.users["engineer"]
        for target in ("in_service", "disposal", "disposed"):
            with self.assertRaisesRegex(UserError, "cannot move from"):
                device.with_user(engineer).write({"lifecycle_state": target})
        device = self.device_in_service()
        with self.assertRaisesRegex(UserError, "cannot move from"):
            device.with_user(engineer).write({"lifecycle_state": "acquisition"})

    def test_roles_that_may_not_move_the_lifecycle(self):
        device = self.device_in_service()
        for role in ("technician", "pharmacist", "rssi"):
            with self.assertRaises(AccessError, msg=role):
                device.with_user(self.users[role]).action_request_disposal()
        for role in ("auditor", "dpo", "internal"):
            with self.assertRaises(AccessError, msg=role):
                device.with_user(self.users[role]).write(
                    {"lifecycle_state": "disposal"}
                )
        self.assertEqual(device.lifecycle_state, "in_service")

    def test_maintenance_manager_without_dm_role_cannot_move_a_device(self):
        device = self.create_device()
        with self.assertRaises(AccessError):
            device.with_user(self.users["maintenance_manager"]).action_to_reception()

    def test_engineer_disposes_then_device_is_read_only(self):
        device = self.device_in_service()
        engineer = self.users["engineer"]
        device.with_user(engineer).action_request_disposal()
        device.with_user(engineer).action_cancel_disposal()
        self.assertEqual(device.lifecycle_state, "in_service")
        device.with_user(engineer).action_request_disposal()
        disposal = device.current_disposal_id
        disposal.with_user(engineer).write(
            {"reason": "obsolete", "destination": "destruction"}
        )
        if disposal.state == "erasure":  # dm_cyber gates disposal on erasure proof
            disposal.with_user(engineer).action_state_no_data("No data on this pump.")
        device.with_user(engineer).action_mark_disposed()
        self.assertEqual(device.lifecycle_state, "disposed")

        with self.assertRaisesRegex(UserError, "read-only"):
            device.with_user(engineer).write({"name": "Renamed"})
        with self.assertRaisesRegex(UserError, "read-only"):
            device.with_user(engineer).write({"dm_risk_class": "iii"})
        device.with_user(engineer).write({"archive_note": "Records in archive room B"})
        device.with_user(engineer).action_archive()
        self.assertFalse(device.active)
        self.assertEqual(device.name, "Syringe pump")

    def test_create_past_reception_is_refused_to_users(self):
        with self.assertRaisesRegex(UserError, "starts in Acquisition or Reception"):
            self.create_device(lifecycle_state="in_service", **self._regulatory_vals())
        with self.assertRaisesRegex(UserError, "acquisition mode"):
            self.create_device(
                user="technician", lifecycle_state="reception", acquisition_mode=False
            )
        device = self.create_device(user="technician", lifecycle_state="reception")
        self.assertEqual(device.lifecycle_state, "reception")

    def test_non_medical_equipment_has_no_regulatory_gate(self):
        printer = self.Equipment.create({"name": "Printer", "is_medical_device": False})
        printer.write({"lifecycle_state": "reception"})
        printer.write({"lifecycle_state": "in_service"})
        self.assertEqual(printer.lifecycle_state, "in_service")

    def test_multi_record_write_is_all_or_nothing(self):
        ready = self.create_device(serial_no="SP-READY")
        not_ready = self.create_device(serial_no="SP-NOT-READY", acquisition_mode=False)
        both = (ready | not_ready).with_user(self.users["technician"])
        with self.assertRaisesRegex(UserError, "acquisition mode"):
            both.write({"lifecycle_state": "reception"})
        self.assertEqual(ready.lifecycle_state, "acquisition")
        self.assertEqual(not_ready.lifecycle_state, "acquisition")

    def test_device_with_history_is_archived_not_deleted(self):
        fresh = self.create_device(serial_no="SP-FRESH")
        fresh.with_user(self.users["engineer"]).unlink()
        self.assertFalse(fresh.exists())

        device = self.device_in_service()
        with self.assertRaisesRegex(UserError, "archive it instead"):
            device.with_user(self.users["engineer"]).unlink()
        received = self.create_device(serial_no="SP-RECEIVED")
        self.env["maintenance.request"].create(
            {"name": "Broken screen", "equipment_id": received.id}
        )
        with self.assertRaisesRegex(UserError, "archive it instead"):
            received.unlink()
        self.assertTrue(device.exists() and received.exists())

    def test_auditor_and_internal_user_cannot_change_devices(self):
        device = self.create_device()
        for role in ("auditor", "internal", "dpo"):
            with self.assertRaises(AccessError, msg=role):
                device.with_user(self.users[role]).write({"location": "Ward 3"})
        self.assertEqual(
            self.Equipment.with_user(self.users["auditor"]).search_count(
                [("id", "=", device.id)]
            ),
            1,
            "the auditor reads every device, followed or not",
        )
