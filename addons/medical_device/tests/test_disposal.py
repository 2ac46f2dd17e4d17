"""The base disposal, part of the device's lifecycle (medical_device).

CI installs dm_cyber too, which inserts the erasure steps between the
engineer's confirmation and Ready. These tests check the base contract through
the public actions, as the role that would call them, on a device that holds
no data: without dm_cyber the confirmation leads straight to Ready; with it,
the only extra step for such a device is the engineer's no-data statement,
which ``pass_erasure_step`` takes when (and only when) the disposal is at the
erasure step. The base step rules themselves are checked by calling
medical_device's own methods (``BaseDisposal``), which dm_cyber overrides.
"""

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..models.dm_disposal import DmDisposal as BaseDisposal
from ..tools import checklist
from .common import MedicalDeviceCase


@tagged("post_install", "-at_install")
class TestBaseDisposal(MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Disposal = cls.env["dm.disposal"]

    def request(self, device, user="technician", **overrides):
        vals = {
            "equipment_id": device.id,
            "reason": "beyond_repair",
            "destination": "destruction",
        }
        vals.update(overrides)
        return self.Disposal.with_user(self.users[user]).create(vals)

    def pass_erasure_step(self, disposal):
        """With dm_cyber, a device without data needs the engineer's no-data
        statement; without it, there is no such step."""
        if disposal.state == "erasure":
            disposal.with_user(self.users["engineer"]).action_state_no_data(
                "Mechanical bed: no memory, no data."
            )

    def preventive(self, device):
        return self.env["maintenance.request"].create(
            {
                "name": "Annual preventive",
                "equipment_id": device.id,
                "maintenance_type": "preventive",
                "recurring_maintenance": True,
                "repeat_interval": 1,
                "repeat_unit": "year",
                "repeat_type": "forever",
                "schedule_date": fields.Datetime.now() + relativedelta(months=1),
            }
        )

    def test_engineer_confirms_and_disposes_without_erasure(self):
        device = self.device_in_service(serial_no="BD-0001")
        preventive = self.preventive(device)
        disposal = self.request(device)
        self.assertEqual(disposal.state, "draft")
        self.assertEqual(disposal.requested_by_id, self.users["technician"])
        technician = self.users["technician"]
        engineer = self.users["engineer"]
        with self.assertRaises(AccessError):
            disposal.with_user(technician).action_confirm()
        self.assertEqual(disposal.state, "draft")

        disposal.with_user(engineer).action_confirm()
        self.assertEqual(device.lifecycle_state, "disposal")
        self.assertEqual(disposal.confirmed_by_id, engineer)
        self.pass_erasure_step(disposal)
        self.assertEqual(disposal.state, "ready")

        with self.assertRaises(AccessError):
            disposal.with_user(technician).action_dispose()
        with self.assertRaises(AccessError):
            device.with_user(technician).write({"lifecycle_state": "disposed"})
        with self.assertRaisesRegex(UserError, "not edited"):
            disposal.with_user(technician).write({"state": "done"})
        self.assertEqual(device.lifecycle_state, "disposal")

        disposal.with_user(engineer).action_dispose()
        self.assertEqual(device.lifecycle_state, "disposed")
        self.assertFalse(device.active, "archived, still searchable")
        self.assertEqual(disposal.state, "done")
        self.assertEqual(disposal.disposed_by_id, engineer)
        self.assertEqual(
            disposal.retention_until, fields.Date.today() + relativedelta(years=5)
        )
        self.assertTrue(preventive.archive)
        self.assertFalse(preventive.recurring_maintenance)
        self.assertEqual(device.current_disposal_id, disposal)
        # The one delete rule: nobody deletes the device or its disposal.
        for user in (engineer, self.env.ref("base.user_admin")):
            with self.assertRaisesRegex(UserError, "cannot be deleted"):
                device.with_user(user).unlink()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            device.sudo().unlink()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            disposal.sudo().unlink()
        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            disposal.with_user(engineer).write({"reason": "replaced"})
        self.assertTrue(device.exists() and disposal.exists())

    def test_base_steps(self):
        """medical_device's own step rules, whatever extends them: a confirmed
        request is ready, and needs only its reason and destination (and the
        recycler's name and certificate for a recycler)."""
        device = self.device_in_service(serial_no="BD-0002")
        disposal = self.request(device, destination="recycler", reason=False)
        self.assertEqual(BaseDisposal._dm_confirmed_state(disposal), "ready")
        missing = checklist.missing(BaseDisposal._disposal_checklist(disposal))
        for expected in (
            "disposal reason",
            "confirmation of the disposal",
            "name of the WEEE recycler",
            "recycler's certificate number",
        ):
            self.assertTrue([m for m in missing if expected in m], expected)
        disposal.with_user(self.users["engineer"]).write(
            {"reason": "obsolete", "destination": "destruction"}
        )
        disposal.with_user(self.users["engineer"]).action_confirm()
        self.assertEqual(
            checklist.missing(BaseDisposal._disposal_checklist(disposal)), []
        )
        self.assertIn("ready", self.Disposal._open_states())
        self.assertNotIn("done", self.Disposal._open_states())

    def test_direct_write_to_disposed_needs_the_disposal(self):
        device = self.device_in_service(serial_no="BD-0003")
        engineer = self.users["engineer"]
        with self.assertRaisesRegex(UserError, "confirmed by a biomedical engineer"):
            device.with_user(engineer).write({"lifecycle_state": "disposal"})
        disposal = self.request(device, reason=False)
        disposal.with_user(engineer).action_confirm()
        with self.assertRaisesRegex(UserError, "disposal reason"):
            device.with_user(engineer).action_mark_disposed()
        self.assertEqual(device.lifecycle_state, "disposal")

    def test_request_action_and_cancel(self):
        device = self.device_in_service(serial_no="BD-0004")
        with self.assertRaises(AccessError):
            device.with_user(self.users["technician"]).action_request_disposal()
        action = device.with_user(self.users["engineer"]).action_request_disposal()
        disposal = self.Disposal.browse(action["res_id"])
        self.assertNotEqual(disposal.state, "draft")
        self.assertEqual(device.lifecycle_state, "disposal")
        with self.assertRaisesRegex(UserError, "already has a disposal request"):
            self.request(device)
        with self.assertRaises(AccessError):
            disposal.with_user(self.users["technician"]).action_cancel()
        disposal.with_user(self.users["engineer"]).action_cancel()
        self.assertEqual(disposal.state, "cancelled")
        self.assertEqual(device.lifecycle_state, "in_service")
        self.assertEqual(self.request(device).state, "draft")

    def test_context_cannot_forge_the_step(self):
        device = self.device_in_service(serial_no="BD-0005")
        disposal = (
            self.Disposal.with_user(self.users["technician"])
            .with_context(
                default_state="done",
                default_confirmed_by_id=self.users["engineer"].id,
                default_disposed_on=fields.Date.today(),
            )
            .create({"equipment_id": device.id, "reason": "obsolete"})
        )
        self.assertEqual(disposal.state, "draft")
        self.assertFalse(disposal.confirmed_by_id)
        self.assertFalse(disposal.disposed_on)

    def test_one_delete_rule_counts_every_history(self):
        """Approvals and disposals count, for any device; maintenance requests
        and the lifecycle, for medical devices (plain equipment keeps the
        core's rules)."""
        device = self.create_device(serial_no="BD-0006")
        rule = {
            "key": "test_rule",
            "step": "test",
            "role": "rssi",
            "name": "Test",
            "fields": [],
            "condition": lambda d: True,
        }
        device.with_user(self.users["engineer"])._dm_create_line(rule)
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            device.sudo().unlink()
        printer = self.Equipment.create({"name": "Printer"})
        printer.write({"lifecycle_state": "reception"})
        printer.write({"lifecycle_state": "in_service"})
        printer.unlink()
        self.assertFalse(printer.exists())
