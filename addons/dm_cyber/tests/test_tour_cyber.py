"""Browser test: the RSSI filters obsolete OS and approves a network connection."""

from odoo import fields
from odoo.addons.medical_device.models.dm_reception import RECEPTION_CRITERIA
from odoo.addons.medical_device.tests.common import pieu_levels, train_device
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install", "dm_browser")
class TestRssiTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rssi = new_test_user(
            cls.env, login="tour_rssi", groups="medical_device.group_dm_rssi"
        )
        technician = new_test_user(
            cls.env,
            login="tour_cyber_tech",
            groups="medical_device.group_dm_technician",
        )
        common = {
            "is_medical_device": True,
            "is_connected": True,
            "acquisition_mode": "purchase",
            "acq_ce_checked": True,
            "acq_training_planned": True,
            "acq_cyber_questionnaire": True,
            "acq_data_protection_clauses": True,
            "antivirus": "none",
            "internet_access": True,
            "patient_data": True,
            "last_patch_date": fields.Date.today(),
            "remote_maintenance_channel": "supplier_vpn",
            "network_zone": "VLAN 42",
            "dm_risk_class": "iia",
            "ce_regime": "mdr",
            "notified_body_number": "0459",
            "ce_certificate_ref": "CE-TOUR",
        }
        Equipment = cls.env["maintenance.equipment"]
        cls.device = Equipment.create(
            {
                **common,
                "name": "Tour XP Ultrasound",
                "serial_no": "TOUR-XP-1",
                "os_version_id": cls.env.ref("dm_cyber.dm_os_windows_xp").id,
            }
        )
        Equipment.create(
            {
                **common,
                "name": "Tour Supported Monitor",
                "serial_no": "TOUR-W10-1",
                "os_version_id": cls.env.ref(
                    "dm_cyber.dm_os_windows_10_iot_enterprise_ltsc_2021"
                ).id,
            }
        )
        device = cls.device.with_user(technician)
        device.action_request_approvals()
        cls.device._dm_current_line("rssi_cyber_answers").sudo(False).with_user(
            cls.rssi
        ).action_approve()
        device.action_to_reception()
        train_device(cls.env, cls.device)
        reception = cls.env["dm.reception"].create(
            {
                "equipment_id": cls.device.id,
                **pieu_levels(cls.env, 1, 2, 3, 2),
                **dict.fromkeys(RECEPTION_CRITERIA, True),
            }
        )
        reception.with_user(technician).action_submit()
        reception.with_user(cls.env.ref("base.user_admin")).action_accept()

    def test_rssi_approves_the_network_connection(self):
        line = self.device._dm_current_line("rssi_network_connection")
        self.assertEqual(line.state, "pending")
        self.start_tour("/odoo/dm-cyber", "dm_cyber_rssi_tour", login="tour_rssi")
        line = self.device._dm_current_line("rssi_network_connection")
        self.assertEqual((line.state, line.reviewer_id), ("approved", self.rssi))
        self.device.with_user(self.env.ref("base.user_admin")).action_put_in_service()
        self.assertEqual(self.device.lifecycle_state, "in_service")
