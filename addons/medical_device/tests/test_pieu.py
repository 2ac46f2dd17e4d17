from datetime import timedelta
from unittest.mock import patch

from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..tools import pieu
from .common import MedicalDeviceCase


@tagged("post_install", "-at_install")
class TestPieuOnDevices(MedicalDeviceCase):
    def test_ct_scanner_and_syringe_pump_from_the_seed(self):
        ct = self.create_device(name="CT scanner", serial_no="CT-1", **self.pieu_ct)
        self.assertAlmostEqual(ct.pieu_score, 0.0003)
        self.assertEqual(ct.pieu_criticality, "very_critical")
        pump = self.create_device(serial_no="SP-1", **self.pieu_syringe_pump)
        self.assertEqual(pump.pieu_score, 12)
        self.assertEqual(pump.pieu_criticality, "low")

    def test_incomplete_factors_leave_criticality_empty(self):
        device = self.create_device(pieu_p_id=self.pieu_ct["pieu_p_id"])
        self.assertFalse(device.pieu_criticality)

    def test_threshold_change_in_settings_recomputes_devices(self):
        pump = self.create_device(serial_no="SP-2", **self.pieu_syringe_pump)
        self.assertEqual(pump.pieu_criticality, "low")
        settings = self.env["res.config.settings"].create(
            {"dm_pieu_very_critical_below": 1.0, "dm_pieu_low_above": 20.0}
        )
        settings.execute()
        self.assertEqual(pump.pieu_criticality, "moderate")

    def test_scale_value_change_recomputes_devices(self):
        pump = self.create_device(serial_no="SP-3", **self.pieu_syringe_pump)
        level_i = self.env["dm.pieu.level"].browse(self.pieu_syringe_pump["pieu_i_id"])
        level_i.with_user(self.users["engineer"]).write({"value": 0.5})
        self.assertEqual(pump.pieu_score, 3)
        self.assertEqual(pump.pieu_criticality, "moderate")

    def test_only_engineers_edit_the_scales(self):
        level = self.env.ref("medical_device.dm_pieu_level_e_1")
        for role in ("technician", "pharmacist", "auditor"):
            with self.assertRaises(AccessError, msg=role):
                level.with_user(self.users[role]).write({"value": 1.5})

    @mute_logger("odoo.sql_db")
    def test_scale_value_must_be_positive(self):
        with self.assertRaises(IntegrityError):
            self.env["dm.pieu.level"].create(
                {"factor": "p", "value": 0, "name": "Zero"}
            )

    def test_criticality_change_is_tracked(self):
        device = self.create_device(serial_no="SP-4", **self.pieu_syringe_pump)
        self.flush_tracking()
        device.write({"pieu_i_id": self.pieu_ct["pieu_i_id"]})
        tracked = self.tracked_fields(device)
        self.assertIn("pieu_i_id", tracked)
        self.assertIn("pieu_criticality", tracked)

    def test_no_tracking_of_computed_fields_while_addons_install(self):
        """Installing an addon computes its new stored fields on the whole
        fleet while the registry loads: no chatter message on each device."""
        device = self.create_device(serial_no="SP-5", **self.pieu_syringe_pump)
        self.assertEqual(device.pieu_criticality, pieu.LOW)  # 1 x 2 x 3 x 2
        self.flush_tracking()
        params = self.env["ir.config_parameter"].sudo()

        def recompute_with_low_above(value):
            params.set_param("medical_device.pieu_low_above", value)
            self.Equipment._recompute_stored(
                ["pieu_criticality"], [("id", "=", device.id)], track=True
            )
            self.env.flush_all()

        with patch.object(self.registry, "ready", False):
            recompute_with_low_above(100.0)
        self.assertEqual(device.pieu_criticality, pieu.MODERATE)
        self.assertNotIn("pieu_criticality", self.tracked_fields(device))
        recompute_with_low_above(10.0)  # the registry is ready again
        self.assertEqual(device.pieu_criticality, pieu.LOW)
        self.assertIn("pieu_criticality", self.tracked_fields(device))


@tagged("post_install", "-at_install")
class TestCriticalityDashboard(MedicalDeviceCase):
    def test_downtime_and_overdue_preventive(self):
        ct = self.create_device(name="CT scanner", serial_no="CT-DASH", **self.pieu_ct)
        now = fields.Datetime.now()
        Request = self.env["maintenance.request"]
        Request.create(
            {
                "name": "Tube failure",
                "equipment_id": ct.id,
                "maintenance_type": "corrective",
                "request_date": fields.Date.today() - timedelta(days=3),
                "use_stopped_on": now - timedelta(hours=48),
                "use_resumed_on": now - timedelta(hours=24),
            }
        )
        Request.create(
            {
                "name": "Yearly preventive",
                "equipment_id": ct.id,
                "maintenance_type": "preventive",
                "schedule_date": now - timedelta(days=10),
            }
        )
        Request.create(
            {
                "name": "Next preventive",
                "equipment_id": ct.id,
                "maintenance_type": "preventive",
                "schedule_date": now + timedelta(days=30),
            }
        )
        self.env.flush_all()
        row = (
            self.env["dm.criticality.report"]
            .with_user(self.users["auditor"])
            .search([("equipment_id", "=", ct.id)])
        )
        self.assertEqual(row.pieu_criticality, "very_critical")
        self.assertEqual(row.corrective_count, 1)
        self.assertAlmostEqual(row.downtime_hours, 24, delta=0.1)
        self.assertAlmostEqual(row.unavailability_rate, 24 / (365 * 24) * 100, places=2)
        self.assertEqual(row.preventive_overdue_count, 1)
        self.assertEqual(row.preventive_planned_count, 1)

    def test_dashboard_is_for_medical_device_roles(self):
        with self.assertRaises(AccessError):
            self.env["dm.criticality.report"].with_user(self.users["internal"]).search(
                []
            )
