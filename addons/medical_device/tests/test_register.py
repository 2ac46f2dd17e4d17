from datetime import timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import MedicalDeviceCase


@tagged("post_install", "-at_install")
class TestMaintenanceRegister(MedicalDeviceCase):
    def test_register_lists_who_when_nature_result(self):
        device = self.device_in_service()
        request = (
            self.env["maintenance.request"]
            .with_user(self.users["technician"])
            .create(
                {
                    "name": "Annual preventive maintenance",
                    "equipment_id": device.id,
                    "maintenance_type": "preventive",
                    "performed_by": "Luc Bernard",
                    "performer_employer": "CHU biomedical department",
                    "operation_result": "compliant",
                }
            )
        )
        self.assertEqual(request.operation_nature, "preventive")
        self.assertTrue(request.is_medical_device)
        action = device.action_view_register()
        rows = self.env["maintenance.request"].search(action["domain"])
        self.assertEqual(rows, request)
        self.assertEqual(
            self.env["maintenance.request"]
            .with_user(self.users["auditor"])
            .search_count([("id", "=", request.id)]),
            1,
        )

    def test_use_cannot_resume_before_it_stops(self):
        device = self.device_in_service()
        now = fields.Datetime.now()
        with self.assertRaisesRegex(ValidationError, "cannot resume before"):
            self.env["maintenance.request"].create(
                {
                    "name": "Failure",
                    "equipment_id": device.id,
                    "use_stopped_on": now,
                    "use_resumed_on": now - timedelta(hours=1),
                }
            )
        with self.assertRaisesRegex(ValidationError, "after it was stopped"):
            self.env["maintenance.request"].create(
                {"name": "Failure", "equipment_id": device.id, "use_resumed_on": now}
            )
