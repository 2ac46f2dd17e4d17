"""The disposal's "next step" panel, with the erasure steps: what it lists as
missing is what the server refuses, as the role who clicks."""

from odoo import fields
from odoo.addons.medical_device.tests.common import MedicalDeviceCase
from odoo.exceptions import UserError
from odoo.tests import tagged


def gate_missing(message):
    return message.split("Missing: ", 1)[1].rstrip(".").split("; ")


def panel_missing(panel):
    return [item["label"] for item in panel["items"] if not item["met"]]


@tagged("post_install", "-at_install")
class TestNextStepDisposal(MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Disposal = cls.env["dm.disposal"]
        cls.Medium = cls.env["dm.erasure.medium"]
        cls.recycler = cls.env["res.partner"].create(
            {"name": "Recyclage DEEE Nord", "is_company": True}
        )

    def panel(self, record, user):
        record = record.with_user(self.users[user])
        record.invalidate_recordset(["dm_next_step"])
        return record.dm_next_step

    def confirmed(self, serial, **overrides):
        device = self.device_in_service(
            serial_no=serial, patient_data=True, data_hosting="device"
        )
        vals = {
            "equipment_id": device.id,
            "reason": "obsolete",
            "destination": "recycler",
            "recipient_id": self.recycler.id,
            "recycler_certificate_ref": "DEEE-2026-0099",
            **overrides,
        }
        disposal = self.Disposal.with_user(self.users["technician"]).create(vals)
        panel = self.panel(disposal, "engineer")
        self.assertEqual(panel["button"]["name"], "action_confirm")
        self.assertTrue(panel["ready"], panel)
        self.assertTrue(self.panel(disposal, "technician")["blockers"])
        disposal.with_user(self.users["engineer"]).action_confirm()
        return disposal

    def execute(self, medium):
        medium = medium.with_user(self.users["technician"])
        medium.write(
            {
                "executed_on": fields.Date.today(),
                "result": "success",
                "verification_method": "sampling",
                "sanitiser_name": "Julien Moreau",
                "sanitiser_title": "Biomedical technician",
                "tool": "Blancco Drive Eraser",
                "tool_version": "7.9",
            }
        )
        medium.action_record_execution()

    def test_erasure_steps_list_what_the_server_refuses(self):
        disposal = self.confirmed("NSD-0001")
        self.assertEqual(disposal.state, "erasure")
        technician = self.users["technician"]

        # No plan yet.
        panel = self.panel(disposal, "technician")
        self.assertEqual(panel["button"]["name"], "action_submit_verification")
        missing = panel_missing(panel)
        self.assertEqual(len(missing), 1)
        self.assertEqual(panel["items"][-1]["page"], "erasure")
        with self.assertRaises(UserError) as caught:
            disposal.with_user(technician).action_submit_verification()
        self.assertEqual(gate_missing(str(caught.exception)), missing)

        # A medium planned, filled but not recorded: the panel says which.
        medium = self.Medium.with_user(technician).create(
            {"disposal_id": disposal.id, "media_type": "ssd", "serial_no": "SSD-NS"}
        )
        panel = self.panel(disposal, "technician")
        missing = panel_missing(panel)
        self.assertEqual(len(missing), 1)
        self.assertIn("Record the erasure", missing[0])
        with self.assertRaises(UserError) as caught:
            disposal.with_user(technician).action_submit_verification()
        self.assertEqual(gate_missing(str(caught.exception)), missing)

        # The request's own data are part of the step.
        disposal.with_user(self.users["engineer"]).write({"recipient_id": False})
        missing = panel_missing(self.panel(disposal, "technician"))
        self.assertIn("the name of the WEEE recycler", missing)
        with self.assertRaises(UserError) as caught:
            disposal.with_user(technician).action_submit_verification()
        self.assertEqual(gate_missing(str(caught.exception)), missing)
        disposal.with_user(self.users["engineer"]).write(
            {"recipient_id": self.recycler.id}
        )

        self.execute(medium)
        panel = self.panel(disposal, "technician")
        self.assertEqual(panel_missing(panel), [])
        self.assertTrue(panel["ready"])
        disposal.with_user(technician).action_submit_verification()
        self.assertEqual(disposal.state, "verification")

        # The RSSI's verification: only the RSSI may take it.
        panel = self.panel(disposal, "rssi")
        self.assertEqual(panel["button"]["name"], "action_verify")
        self.assertTrue(panel["ready"], panel)
        blocked = self.panel(disposal, "dpo")
        self.assertFalse(blocked["ready"])
        with self.assertRaises(Exception) as caught:
            disposal.with_user(self.users["dpo"]).action_verify()
        self.assertEqual(str(caught.exception), blocked["blockers"][0])
        disposal.with_user(self.users["rssi"]).action_verify()

        panel = self.panel(disposal, "dpo")
        self.assertEqual(panel["button"]["name"], "action_sign_off")
        self.assertTrue(panel["ready"], panel)

        # The device's panel in Disposal: the disposal's checklist, whose
        # missing sign-off the device's gate refuses.
        device = disposal.equipment_id
        panel = self.panel(device, "engineer")
        self.assertEqual(panel["button"]["name"], "action_mark_disposed")
        missing = panel_missing(panel)
        self.assertEqual(len(missing), 1)
        self.assertIn("pending", missing[0])
        with self.assertRaises(UserError) as caught:
            device.with_user(self.users["engineer"]).action_mark_disposed()
        self.assertEqual(gate_missing(str(caught.exception)), missing)
        # Who may read the device but not its disposal sees no step.
        self.assertFalse(
            self.env["dm.disposal"]
            .with_user(self.users["maintenance_manager"])
            .has_access("read")
        )
        self.assertFalse(self.panel(device, "maintenance_manager"))

        disposal.with_user(self.users["dpo"]).action_sign_off()
        self.assertEqual(disposal.state, "ready")
        panel = self.panel(disposal, "engineer")
        self.assertEqual(panel["button"]["name"], "action_dispose")
        self.assertEqual(panel_missing(panel), [])
        self.assertTrue(panel["ready"], panel)
        self.assertTrue(self.panel(device, "engineer")["ready"])
        disposal.with_user(self.users["engineer"]).action_dispose()
        self.assertEqual(disposal.state, "done")
        self.assertFalse(self.panel(disposal, "engineer"))

    def test_no_data_statement(self):
        device = self.device_in_service(serial_no="NSD-0002")
        disposal = self.Disposal.with_user(self.users["technician"]).create(
            {
                "equipment_id": device.id,
                "reason": "obsolete",
                "destination": "destruction",
            }
        )
        disposal.with_user(self.users["engineer"]).action_confirm()
        self.assertFalse(disposal.holds_data)
        # The device's step is the disposal's: shown to who may read it only.
        self.assertEqual(
            self.panel(device, "engineer")["button"]["name"], "action_mark_disposed"
        )
        self.assertFalse(self.panel(device, "maintenance_manager"))
        panel = self.panel(disposal, "engineer")
        self.assertEqual(panel["button"]["name"], "action_state_no_data")
        missing = panel_missing(panel)
        self.assertIn("the no-data statement", missing)
        with self.assertRaises(UserError):
            disposal.with_user(self.users["engineer"]).action_state_no_data()
        disposal.with_user(self.users["engineer"]).write(
            {"no_data_statement": "A mechanical bed: no electronics."}
        )
        panel = self.panel(disposal, "engineer")
        self.assertEqual(panel_missing(panel), [])
        self.assertTrue(panel["ready"])
        disposal.with_user(self.users["engineer"]).action_state_no_data()
        self.assertEqual(disposal.state, "ready")

    def test_panel_is_refused_to_client_writes(self):
        disposal = self.confirmed("NSD-0003")
        with self.assertRaises(UserError):
            disposal.with_user(self.users["engineer"]).write(
                {"dm_next_step": {"ready": True}}
            )
        self.assertIn(
            "dm_next_step",
            disposal.with_user(self.users["engineer"]).dm_readonly_fields,
        )
