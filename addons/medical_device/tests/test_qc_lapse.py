"""A mandatory quality control overdue (lapsed) suspends the device's use
as a state computed at each read, not as a use stop recorded in the
register: nothing happens at the moment the tolerance window ends, and an
engineer's override or the control done ends it. No operation gets a
``use_stopped_on`` for it; what reads "out of use now" reads the suspension
too (the dashboard's very critical devices unavailable)."""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import MedicalDeviceCase


@tagged("post_install", "-at_install")
class TestQcLapse(MedicalDeviceCase):
    def mammograph(self, serial):
        vals = {
            **self._acquisition_vals(serial_no=serial, name="Mammograph"),
            **self._regulatory_vals(),
            "is_ionising": True,
            "imaging_modality": "mammography",
            "lifecycle_state": "in_service",
            **self.pieu_ct,
        }
        # sudo: a device already in service, as a data load brings it.
        return self.Equipment.sudo().create(vals).sudo(False)

    def test_a_lapse_suspends_without_a_stop_and_counts_unavailable(self):
        dashboard = self.env["dm.dashboard"].with_user(self.users["engineer"])
        clock = dashboard._dm_clock()
        before = dashboard._dm_indicator_vc_unavailable(clock)["value"]
        device = self.mammograph("LAPSE-1")
        self.assertEqual(device.pieu_criticality, "very_critical")
        plan = (
            self.env["maintenance.plan"]
            .with_user(self.users["engineer"])
            .create(
                {
                    "name": "Monthly internal QC",
                    "equipment_id": device.id,
                    "dm_nature": "qc_internal",
                    "interval": 1,
                    "interval_step": "month",
                    "dm_tolerance_days": 7,
                    "dm_performer": "internal",
                    "start_maintenance_date": fields.Date.today() - timedelta(days=20),
                }
            )
        )
        self.env.invalidate_all()
        self.assertTrue(plan.dm_overdue)
        self.assertTrue(device.dm_use_suspended)
        # No use stop recorded on any operation of the device.
        requests = (
            self.env["maintenance.request"]
            .with_context(active_test=False)
            .search([("equipment_id", "=", device.id)])
        )
        self.assertFalse(requests.filtered("use_stopped_on"))
        # Unavailable now, on the dashboard.
        result = dashboard._dm_indicator_vc_unavailable(clock)
        self.assertEqual(result["value"], before + 1)
        self.assertIn(device, self.Equipment.search(result["domain"]))
        # The engineer's override keeps it in use: no longer unavailable.
        self.env["dm.qc.override"].with_user(self.users["engineer"]).create(
            {"plan_id": plan.id, "reason": "Visit booked"}
        )
        self.env.invalidate_all()
        self.assertFalse(device.dm_use_suspended)
        result = dashboard._dm_indicator_vc_unavailable(clock)
        self.assertEqual(result["value"], before)
