from odoo.addons.medical_device.tests.common import MedicalDeviceCase
from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_cyber_matrix import TestCyberMatrix


@tagged("post_install", "-at_install")
class TestCyberDeviceAttacks(MedicalDeviceCase):
    """What the IT API, the exports and the RSSI's review believe about a device
    is computed from its matrix: no role writes it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.os_xp = cls.env.ref("dm_cyber.dm_os_windows_xp")
        cls.os_w10_iot = cls.env.ref(
            "dm_cyber.dm_os_windows_10_iot_enterprise_ltsc_2021"
        )

    matrix = TestCyberMatrix.matrix
    connected_device = TestCyberMatrix.connected_device

    def test_cyber_flags_are_not_writable_by_any_role(self):
        device = self.connected_device(
            serial_no="US-XP", os_version_id=self.os_xp.id, internet_access=True
        )
        fnames = [
            "cyber_risk_level",
            "cyber_risk_score",
            "cyber_os_obsolete",
            "cyber_patch_outdated",
            "cyber_matrix_complete",
            "mds2_received",
        ]
        before = device.read(fnames)[0]
        forged = {
            "cyber_risk_level": "low",
            "cyber_risk_score": 0,
            "cyber_os_obsolete": False,
            "cyber_patch_outdated": False,
            "cyber_matrix_complete": True,
            "mds2_received": True,
        }
        for role in ("rssi", "technician", "engineer"):
            for fname, value in forged.items():
                with self.subTest(role=role, field=fname), self.assertRaises(UserError):
                    device.with_user(self.users[role]).write({fname: value})
        with self.assertRaises(UserError):
            self.Equipment.with_user(self.users["technician"]).create(
                self._acquisition_vals(serial_no="US-2", cyber_risk_level="low")
            )
        device.invalidate_recordset()
        self.assertEqual(device.read(fnames)[0], before)
        self.assertEqual(device.cyber_risk_level, "critical")
