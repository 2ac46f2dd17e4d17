"""No cyber rating and no cyber watch before the matrix is answered: a
connected device whose antivirus question is unanswered is "Not assessed",
whatever its lifecycle step."""

from datetime import date

from odoo.addons.medical_device.tests.common import MedicalDeviceCase
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..models.maintenance_equipment import MATRIX_ANSWERED_FIELDS


@tagged("post_install", "-at_install")
class TestCyberNotAssessed(MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.os_xp = cls.env.ref("dm_cyber.dm_os_windows_xp")
        cls.alert = cls.env.ref("dm_cyber.mail_activity_type_dm_cyber_alert")

    def alerts(self, device):
        return device.activity_ids.filtered(lambda a: a.activity_type_id == self.alert)

    def test_unanswered_matrix_is_not_assessed_then_rated_once_answered(self):
        # A technician declares the device connected during acquisition, with
        # every risky answer a blank matrix implies (never patched, XP, internet).
        device = self.create_device(
            user="technician",
            serial_no="NA-1",
            is_connected=True,
            acq_cyber_questionnaire=True,
            os_version_id=self.os_xp.id,
            internet_access=True,
        )
        self.assertEqual(device.lifecycle_state, "acquisition")
        self.assertEqual(
            (device.cyber_risk_level, device.cyber_risk_score), ("not_assessed", 0)
        )
        self.assertIn("Not assessed", device.cyber_risk_explanation)
        # Other answers alone do not make an assessment.
        device.with_user(self.users["technician"]).write(
            {"remote_maintenance_channel": "uncontrolled"}
        )
        self.assertEqual(device.cyber_risk_level, "not_assessed")
        self.assertFalse(device.cyber_risk_score)
        # Answered (as the RSSI; "None" is an answer): rated from every answer,
        # the blanks included (never patched, no MDS2...).
        device.with_user(self.users["rssi"]).write({"antivirus": "none"})
        self.assertEqual(device.cyber_risk_level, "critical")
        self.assertGreater(device.cyber_risk_score, 70)
        self.assertIn("Operating system out of support", device.cyber_risk_explanation)
        # Unanswering brings it back to not assessed.
        device.with_user(self.users["rssi"]).write({"antivirus": False})
        self.assertEqual(
            (device.cyber_risk_level, device.cyber_risk_score), ("not_assessed", 0)
        )

    def test_not_connected_stays_without_level(self):
        device = self.create_device(serial_no="NA-OFF")
        self.assertFalse(device.cyber_risk_level)

    def test_answered_fields_are_the_documented_ones(self):
        self.assertEqual(MATRIX_ANSWERED_FIELDS, ["antivirus"])

    def test_watch_skips_unassessed_devices_and_follows_answered_ones(self):
        common = {
            "is_connected": True,
            "acq_cyber_questionnaire": True,
            "os_version_id": self.os_xp.id,
            "last_patch_date": date(2020, 1, 1),
        }
        unanswered = self.create_device(user="technician", serial_no="NA-W1", **common)
        answered = self.create_device(
            user="technician",
            serial_no="NA-W2",
            antivirus="hospital",
            **common,
        )
        self.assertEqual(unanswered.cyber_risk_level, "not_assessed")
        self.assertNotEqual(answered.cyber_risk_level, "not_assessed")
        Equipment = self.env["maintenance.equipment"]
        created = Equipment._cron_cyber_watch()
        self.assertIn(answered.id, created.mapped("res_id"))
        self.assertNotIn(unanswered.id, created.mapped("res_id"))
        self.assertFalse(self.alerts(unanswered), "no watch before the matrix")
        self.assertEqual(len(self.alerts(answered)), 1)
        # What the RSSI sees of it: the answered device only.
        rssi_activities = (
            self.env["mail.activity"]
            .with_user(self.users["rssi"])
            .search(
                [
                    ("res_model", "=", "maintenance.equipment"),
                    ("res_id", "in", (unanswered | answered).ids),
                    ("activity_type_id", "=", self.alert.id),
                ]
            )
        )
        self.assertEqual(rssi_activities.mapped("res_id"), answered.ids)
        # Once the matrix is answered, the next run follows the device up.
        unanswered.with_user(self.users["rssi"]).write({"antivirus": "none"})
        created = Equipment._cron_cyber_watch()
        self.assertEqual(created.mapped("res_id"), unanswered.ids)

    def test_the_rssi_cannot_forge_the_level(self):
        device = self.create_device(
            user="technician",
            serial_no="NA-F",
            is_connected=True,
            acq_cyber_questionnaire=True,
        )
        for role in ("rssi", "technician"):
            with self.subTest(role=role), self.assertRaises(UserError):
                device.with_user(self.users[role]).write({"cyber_risk_level": "low"})
        self.assertEqual(device.cyber_risk_level, "not_assessed")
