"""Browser test: an engineer opens the criticality dashboard, finds its three
panels by criticality, and a figure opens the list of the records it counts."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import pieu_levels


@tagged("post_install", "-at_install", "dm_browser")
class TestDashboardTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.login = "dash_tour_engineer"
        new_test_user(
            cls.env,
            login=cls.login,
            password=cls.login,
            groups="medical_device.group_dm_engineer",
        )
        # sudo: only imports (superuser) bring a device past acquisition.
        device = (
            cls.env["maintenance.equipment"]
            .sudo()
            .create(
                {
                    "name": "Tour moderate device",
                    "is_medical_device": True,
                    "serial_no": "DASH-TOUR-1",
                    "lifecycle_state": "in_service",
                    **pieu_levels(cls.env, 1, 2, 1, 2),
                }
            )
        )
        now = fields.Datetime.now()
        Request = cls.env["maintenance.request"].sudo()
        for name, when in (
            ("Tour overdue preventive", now - timedelta(days=12)),
            ("Tour preventive ahead", now + timedelta(days=12)),
        ):
            Request.create(
                {
                    "name": name,
                    "equipment_id": device.id,
                    "maintenance_type": "preventive",
                    "schedule_date": when,
                }
            )

    def test_dashboard_tour(self):
        self.start_tour(
            "/odoo/dm-dashboard", "medical_device_dashboard_tour", login=self.login
        )
