"""Browser test: the technician reads a device's MDS2 form into proposals, the
RSSI accepts one answer and refuses another with its reason."""

import base64
from pathlib import Path

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

SAMPLE = (
    Path(__file__).resolve().parents[1]
    / "data/samples/mds2/volumat8_mds2_hn1-2019.xlsx"
)


@tagged("post_install", "-at_install", "dm_browser")
class TestMds2Tour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rssi = new_test_user(
            cls.env, login="tour_mds2_rssi", groups="medical_device.group_dm_rssi"
        )
        cls.technician = new_test_user(
            cls.env,
            login="tour_mds2_tech",
            groups="medical_device.group_dm_technician",
        )
        cls.device = cls.env["maintenance.equipment"].create(
            {
                "name": "Tour MDS2 Pump",
                "serial_no": "TOUR-MDS2-1",
                "is_medical_device": True,
                "is_connected": True,
                "acquisition_mode": "purchase",
                "antivirus": "hospital",
                "last_patch_date": fields.Date.today(),
                "remote_maintenance_channel": "hospital_bastion",
                "network_zone": "VLAN 42",
                "mds2_document": base64.b64encode(SAMPLE.read_bytes()),
                "mds2_filename": "tour_mds2.xlsx",
            }
        )

    def test_technician_reads_rssi_decides(self):
        url = f"/odoo/maintenance.equipment/{self.device.id}"
        self.start_tour(url, "dm_cyber_mds2_read_tour", login="tour_mds2_tech")
        proposals = self.device.mds2_proposal_ids
        self.assertEqual(set(proposals.mapped("state")), {"proposed"})
        self.assertIn("antivirus", proposals.mapped("field_name"))
        self.start_tour(url, "dm_cyber_mds2_decide_tour", login="tour_mds2_rssi")
        by_field = {p.field_name: p for p in self.device.mds2_proposal_ids}
        self.assertEqual(
            (by_field["antivirus"].state, by_field["antivirus"].decided_by_id),
            ("accepted", self.rssi),
        )
        self.assertEqual(self.device.antivirus, "none")
        self.assertEqual(
            (by_field["usb_locked"].state, by_field["usb_locked"].refusal_reason),
            ("refused", "Our units have open USB ports"),
        )
        self.assertFalse(self.device.usb_locked)
