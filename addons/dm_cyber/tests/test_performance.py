"""Query counts that must not grow with the fleet: the lifecycle kanban's first
page and the daily cyber watch (the benchmark, `make bench`, times them at
100,000 devices)."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.addons.medical_device.tests.common import MedicalDeviceCase
from odoo.addons.medical_device.tests.web_client import action_kanban_first_page
from odoo.tests import tagged

KANBAN_ACTION = "medical_device.maintenance_equipment_action_medical_devices"
# A page of the kanban, whatever the number of devices: the groups, the
# records of each open group (one search each), their fields and activities,
# the progress bars; the assigned employee and department hr_maintenance puts
# on every card (installed with hr, which the register of trained users needs);
# the QC statuses of the cards (control overdue, use suspended), read from the
# plans, controls and overrides of the page's devices at once.
KANBAN_QUERIES = 21
# The daily cyber watch, for up to a thousand devices to flag.
# +1 (issue 13): the UPDATE that remembers the cyber states signalled.
# +1 (issue 13, reader texts): the recipients' languages, for one summary per
# language.
CYBER_WATCH_QUERIES = 37


@tagged("post_install", "-at_install")
class TestFleetScaleQueries(MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.os_w7 = cls.env.ref("dm_cyber.dm_os_windows_7")
        cls.Equipment = cls.env["maintenance.equipment"]
        # Versions already past their end of support were notified before.
        cls.Equipment._cron_cyber_watch()

    def make_fleet(self, prefix, count):
        """Connected devices on an obsolete OS, spread over the lifecycle, as
        an import (superuser, no chatter) creates them."""
        states = ["acquisition", "in_service", "in_service", "disposal"]
        # sudo: only imports create devices past reception (see the import).
        return (
            self.Equipment.sudo()
            .with_context(tracking_disable=True, mail_create_nolog=True)
            .create(
                [
                    {
                        "name": f"{prefix} {index}",
                        "serial_no": f"{prefix}-{index:05d}",
                        "is_medical_device": True,
                        "lifecycle_state": states[index % len(states)],
                        "is_connected": True,
                        "os_version_id": self.os_w7.id,
                        "last_patch_date": date(2020, 1, 1),
                        "antivirus": "none",
                    }
                    for index in range(count)
                ]
            )
        )

    def test_kanban_first_page_queries_do_not_grow_with_the_fleet(self):
        engineer_env = self.env(user=self.users["engineer"])
        page = action_kanban_first_page(engineer_env, KANBAN_ACTION)
        self.assertIn("pieu_criticality", page.specification)
        self.assertIn("activity_ids", page.specification)
        for prefix, count in (("KB-S", 12), ("KB-L", 400)):
            self.make_fleet(prefix, count)
            self.Equipment._cron_cyber_watch()  # activities on the cards
            page()  # warm the caches of the registry (rules, views, groups)
            self.env.invalidate_all()
            with self.assertQueryCount(KANBAN_QUERIES):
                result = page()
            in_service = next(
                group
                for group in result["groups"]
                if group["lifecycle_state"] == "in_service"
            )
            self.assertLessEqual(len(in_service["__records"]), 80)
        self.assertEqual(len(in_service["__records"]), 80, "the first page only")
        self.assertGreaterEqual(in_service["__count"], 206)

    def test_cyber_watch_queries_do_not_grow_with_the_fleet(self):
        alert = self.env.ref("dm_cyber.mail_activity_type_dm_cyber_alert")
        self.make_fleet("CW-W", 2)
        self.Equipment._cron_cyber_watch()  # warm the registry's caches
        for prefix, count in (("CW-S", 5), ("CW-L", 60)):
            devices = self.make_fleet(prefix, count)
            self.env.invalidate_all()
            with self.assertQueryCount(CYBER_WATCH_QUERIES):
                created = self.Equipment._cron_cyber_watch()
            self.assertEqual(len(created), count)
            self.assertEqual(created.mapped("res_id"), devices.ids)
            self.assertEqual(created.activity_type_id, alert)
        self.assertFalse(self.Equipment._cron_cyber_watch(), "never twice")

    def test_end_of_support_change_is_one_note_not_a_message_per_device(self):
        devices = self.make_fleet("EOS", 12)
        self.flush_tracking()
        self.assertTrue(all(devices.mapped("cyber_os_obsolete")))
        scores = devices.mapped("cyber_risk_score")

        def device_messages():
            return self.env["mail.message"].search_count(
                [("model", "=", devices._name), ("res_id", "in", devices.ids)]
            )

        before = device_messages()
        self.os_w7.end_of_support = date(2099, 1, 1)
        self.flush_tracking()
        self.assertFalse(any(devices.mapped("cyber_os_obsolete")))
        self.assertTrue(
            all(
                new < old
                for new, old in zip(
                    devices.mapped("cyber_risk_score"), scores, strict=True
                )
            )
        )
        self.assertEqual(device_messages(), before, "no tracking per device")
        note = self.env["mail.message"].search(
            [("subject", "=", "End of support of Windows 7 changed")]
        )
        self.assertEqual(len(note), 1)
        self.assertIn("the cyber risk of", note.body)
        self.assertIn(self.users["rssi"].partner_id, note.partner_ids)

    def test_daily_watch_keeps_the_risk_history_of_the_devices_it_changes(self):
        """Reference changes skip per-device tracking; the daily job does not:
        the few devices whose answers the date changed keep their history."""
        # sudo: as an import creates devices of an existing fleet.
        device = (
            self.Equipment.sudo()
            .create(
                {
                    "name": "Patched monitor",
                    "serial_no": "WATCH-TRACK",
                    "is_medical_device": True,
                    "lifecycle_state": "in_service",
                    "is_connected": True,
                    "os_version_id": self.env.ref(
                        "dm_cyber.dm_os_windows_10_iot_enterprise_ltsc_2021"
                    ).id,
                    "antivirus": "hospital",
                    "domain_joined": False,
                    "patient_data": True,
                    "vendor_firewall": True,
                    "usb_locked": True,
                    "default_accounts_changed": True,
                    "mds2_date": fields.Date.today(),
                    "remote_maintenance_channel": "none",
                    "last_patch_date": fields.Date.today(),
                }
            )
            .sudo(False)
        )
        self.flush_tracking()
        self.assertEqual(device.cyber_risk_level, "low")
        with freeze_time(fields.Date.today() + timedelta(days=400)):
            self.Equipment._cron_cyber_watch()
            self.assertTrue(device.cyber_patch_outdated)
            self.assertNotEqual(device.cyber_risk_level, "low")
            self.assertIn("cyber_risk_level", self.tracked_fields(device))

    def test_matrix_lists_every_level_in_its_order(self):
        self.make_fleet("ORDER", 3)
        action = self.env.ref("dm_cyber.maintenance_equipment_action_cyber")
        self.assertIn("'read_group_expand': True", action.context)
        Equipment = self.Equipment.with_context(read_group_expand=True)
        rows, columns = Equipment.formatted_read_grouping_sets(
            [("is_medical_device", "=", True)],
            [["pieu_criticality"], ["cyber_risk_level"]],
            ["__count"],
        )
        self.assertEqual(
            [group["cyber_risk_level"] for group in columns][:4],
            ["low", "medium", "high", "critical"],
        )
        self.assertEqual(
            [group["pieu_criticality"] for group in rows][:3],
            ["very_critical", "moderate", "low"],
        )
