import ast
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.addons.medical_device.tests.common import MedicalDeviceCase
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestCyberMatrix(MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.os_xp = cls.env.ref("dm_cyber.dm_os_windows_xp")
        cls.os_w10_iot = cls.env.ref(
            "dm_cyber.dm_os_windows_10_iot_enterprise_ltsc_2021"
        )
        cls.os_w7 = cls.env.ref("dm_cyber.dm_os_windows_7")

    def matrix(self, **overrides):
        values = {
            "is_connected": True,
            "acq_cyber_questionnaire": True,
            "acq_data_protection_clauses": True,
            "os_version_id": self.os_w10_iot.id,
            "antivirus": "hospital",
            "domain_joined": True,
            "internet_access": False,
            "last_patch_date": fields.Date.today(),
            "remote_maintenance_channel": "hospital_bastion",
            "network_zone": "VLAN 120 biomedical",
        }
        values.update(overrides)
        return values

    def connected_device(self, **overrides):
        return self.create_device(**self.matrix(**overrides))

    def test_obsolete_os_internet_patient_data_is_critical_and_explained(self):
        device = self.connected_device(
            serial_no="US-XP",
            os_version_id=self.os_xp.id,
            internet_access=True,
            patient_data=True,
        )
        self.assertTrue(device.cyber_os_obsolete)
        self.assertEqual(device.cyber_risk_level, "critical")
        self.assertIn("Operating system out of support", device.cyber_risk_explanation)
        self.assertIn("Internet access", device.cyber_risk_explanation)

    def test_domain_joined_hospital_antivirus_patched_is_low(self):
        device = self.connected_device(serial_no="MON-1")
        self.assertFalse(device.cyber_os_obsolete)
        self.assertFalse(device.cyber_patch_outdated)
        self.assertEqual(device.cyber_risk_level, "low")

    def test_not_connected_has_no_cyber_level(self):
        device = self.create_device(serial_no="PLAIN")
        self.assertFalse(device.cyber_risk_level)

    def test_weights_and_thresholds_are_editable_data(self):
        device = self.connected_device(serial_no="W-1", internet_access=True)
        self.assertEqual(
            (device.cyber_risk_score, device.cyber_risk_level), (45, "medium")
        )
        factor = self.env.ref("dm_cyber.dm_cyber_risk_factor_internet_access")
        factor.with_user(self.users["rssi"]).write({"weight": 40})
        self.assertEqual(
            (device.cyber_risk_score, device.cyber_risk_level), (65, "high")
        )
        settings = self.env["res.config.settings"].create(
            {
                "dm_cyber_risk_medium_from": 10,
                "dm_cyber_risk_high_from": 20,
                "dm_cyber_risk_critical_from": 60,
            }
        )
        settings.execute()
        self.assertEqual(device.cyber_risk_level, "critical")

    def test_os_end_of_support_change_recomputes_devices(self):
        device = self.connected_device(serial_no="EOS-1")
        self.assertFalse(device.cyber_os_obsolete)
        self.os_w10_iot.with_user(self.users["rssi"]).write(
            {"end_of_support": fields.Date.today() - timedelta(days=1)}
        )
        self.assertTrue(device.cyber_os_obsolete)
        self.assertTrue(self.os_w10_iot.is_obsolete)

    def test_network_addresses_are_checked(self):
        device = self.connected_device(serial_no="NET-ADDR")
        with self.assertRaisesRegex(ValidationError, "IPv4 or IPv6"):
            device.write({"ip_address": "10.0.300.1"})
        with self.assertRaisesRegex(ValidationError, "MAC address"):
            device.write({"mac_address": "00:1A:2B:3C:4D"})
        device.write({"ip_address": "10.20.30.40", "mac_address": "00:1A:2B:3C:4D:5E"})

    def test_matrix_answers_are_tracked(self):
        device = self.connected_device(serial_no="TRACK")
        self.flush_tracking()
        device.with_user(self.users["rssi"]).write(
            {"antivirus": "none", "internet_access": True}
        )
        tracked = self.tracked_fields(device)
        self.assertIn("antivirus", tracked)
        self.assertIn("internet_access", tracked)

    # ------------------------------------------------------------ hand-over to IT
    def bring_to_reception(self, device):
        device.with_user(self.users["technician"]).action_request_approvals()
        device._dm_current_line("rssi_cyber_answers").with_user(
            self.users["rssi"]
        ).action_approve()
        device.with_user(self.users["technician"]).action_to_reception()
        reception = self.reception_ready(device)
        reception.with_user(self.users["engineer"]).action_accept()

    def test_reception_hands_the_matrix_to_the_rssi(self):
        device = self.connected_device(serial_no="HAND-1")
        self.bring_to_reception(device)
        line = device._dm_current_line("rssi_network_connection")
        self.assertEqual(line.state, "pending")
        self.assertIn("VLAN 120 biomedical", line.data_summary)
        rssi_activities = line.sudo().activity_ids.filtered(
            lambda a: a.user_id == self.users["rssi"]
        )
        self.assertTrue(rssi_activities)
        with self.assertRaisesRegex(UserError, "Network connection"):
            device.with_user(self.users["technician"]).action_put_in_service()
        line.with_user(self.users["rssi"]).action_approve()
        device.with_user(self.users["technician"]).action_put_in_service()
        self.assertEqual(device.lifecycle_state, "in_service")

    def test_incomplete_matrix_blocks_service(self):
        device = self.connected_device(serial_no="INC-1", network_zone=False)
        self.bring_to_reception(device)
        device._dm_current_line("rssi_network_connection").with_user(
            self.users["rssi"]
        ).action_approve()
        self.assertFalse(device.cyber_matrix_complete)
        with self.assertRaisesRegex(UserError, "complete cyber matrix.*Network zone"):
            device.with_user(self.users["technician"]).write(
                {"lifecycle_state": "in_service"}
            )
        device.with_user(self.users["rssi"]).write({"network_zone": "VLAN 7"})
        device.with_user(self.users["technician"]).action_put_in_service()

    def in_service_device(self, **overrides):
        device = self.connected_device(**overrides)
        self.bring_to_reception(device)
        device._dm_current_line("rssi_network_connection").with_user(
            self.users["rssi"]
        ).action_approve()
        device.with_user(self.users["technician"]).action_put_in_service()
        return device

    def test_risk_raised_to_high_reopens_the_rssi_review(self):
        device = self.in_service_device(serial_no="REOPEN-1")
        approved = device._dm_current_line("rssi_network_connection")
        self.assertEqual(device.cyber_risk_level, "low")

        device.with_user(self.users["technician"]).write({"usb_locked": True})
        self.assertEqual(device._dm_current_line("rssi_network_connection"), approved)

        device.with_user(self.users["technician"]).write(
            {"internet_access": True, "antivirus": "none", "patient_data": True}
        )
        self.assertIn(device.cyber_risk_level, ("high", "critical"))
        reopened = device._dm_current_line("rssi_network_connection")
        self.assertNotEqual(reopened, approved)
        self.assertEqual(reopened.state, "pending")
        self.assertFalse(approved.active)
        self.assertEqual(device.lifecycle_state, "in_service")

    def test_risk_raised_in_reception_reopens_the_rssi_review(self):
        """The matrix worsens after the RSSI approved the connection but before
        the device goes in service: the RSSI reviews it again."""
        device = self.connected_device(serial_no="REOPEN-REC")
        self.bring_to_reception(device)
        approved = device._dm_current_line("rssi_network_connection")
        approved.with_user(self.users["rssi"]).action_approve()
        self.assertEqual(device.lifecycle_state, "reception")

        device.with_user(self.users["technician"]).write(
            {"internet_access": True, "antivirus": "none", "patient_data": True}
        )
        self.assertIn(device.cyber_risk_level, ("high", "critical"))
        reopened = device._dm_current_line("rssi_network_connection")
        self.assertNotEqual(reopened, approved)
        self.assertFalse(approved.active)
        self.assertEqual(
            (reopened.state, reopened.requested_by_id),
            ("pending", self.users["technician"]),
        )
        with self.assertRaisesRegex(UserError, "Network connection"):
            device.with_user(self.users["technician"]).action_put_in_service()
        self.assertEqual(device.lifecycle_state, "reception")

    def test_risk_raised_to_medium_only_does_not_reopen(self):
        device = self.in_service_device(serial_no="REOPEN-2")
        approved = device._dm_current_line("rssi_network_connection")
        device.write({"antivirus": "none"})
        self.assertEqual(device.cyber_risk_level, "medium")
        self.assertEqual(device._dm_current_line("rssi_network_connection"), approved)

    # ------------------------------------------------------------ daily watch
    def test_cyber_watch_creates_one_activity_per_device_and_no_duplicate(self):
        obsolete = self.connected_device(
            serial_no="CRON-XP", os_version_id=self.os_w7.id
        )
        old_patch = self.connected_device(
            serial_no="CRON-PATCH", last_patch_date=date(2020, 1, 1)
        )
        fine = self.connected_device(serial_no="CRON-OK")
        self.os_w7.obsolescence_notified = False
        Equipment = self.env["maintenance.equipment"]
        activity_type = self.env.ref("dm_cyber.mail_activity_type_dm_cyber_alert")

        def alerts(device):
            return device.activity_ids.filtered(
                lambda a: a.activity_type_id == activity_type
            )

        Equipment._cron_cyber_watch()
        self.assertEqual(len(alerts(obsolete)), 1)
        self.assertEqual(len(alerts(old_patch)), 1)
        self.assertFalse(alerts(fine))
        rssi_group = self.env.ref("medical_device.group_dm_rssi")
        self.assertIn(alerts(obsolete).user_id, rssi_group.all_user_ids)
        self.assertTrue(self.os_w7.obsolescence_notified)
        Equipment._cron_cyber_watch()
        self.assertEqual(len(alerts(obsolete)), 1, "no duplicate on re-run")
        self.assertEqual(len(alerts(old_patch)), 1)

    def test_cyber_watch_refreshes_date_dependent_answers(self):
        device = self.connected_device(serial_no="CRON-DATE")
        self.assertFalse(device.cyber_patch_outdated)
        with freeze_time(fields.Date.today() + timedelta(days=400)):
            self.env["maintenance.equipment"]._cron_cyber_watch()
            self.assertTrue(device.cyber_patch_outdated)

    def test_it_queries_are_shared_filters(self):
        filters = self.env["ir.filters"].search(
            [("model_id", "=", "maintenance.equipment"), ("name", "=like", "IT: %")]
        )
        self.assertEqual(len(filters), 6)
        self.assertFalse(filters.user_ids, "shared with everyone")
        obsolete = self.connected_device(serial_no="Q-XP", os_version_id=self.os_xp.id)
        domain = ast.literal_eval(
            self.env.ref("dm_cyber.filter_it_older_than_windows_10").domain
        )
        self.assertIn(obsolete, self.env["maintenance.equipment"].search(domain))
