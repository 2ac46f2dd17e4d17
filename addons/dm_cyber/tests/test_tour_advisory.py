"""Browser test (issue 16): the RSSI imports an advisory, sees the affected
devices ranked, marks one mitigated with how, and creates an update campaign
from the rest."""

import base64
from pathlib import Path

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

SAMPLE = (
    Path(__file__).resolve().parents[1]
    / "data/samples/advisories/icsma_perfusio_volumat.json"
)


@tagged("post_install", "-at_install", "dm_browser")
class TestAdvisoryTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rssi = new_test_user(
            cls.env,
            login="tour_advisory_rssi",
            groups="medical_device.group_dm_rssi",
        )
        maker = cls.env["res.partner"].create(
            {"name": "Perfusio Medical", "is_company": True}
        )

        def pump(name, serial, firmware, exposed):
            return cls.env["maintenance.equipment"].create(
                {
                    "name": name,
                    "serial_no": serial,
                    "is_medical_device": True,
                    "is_connected": True,
                    "acquisition_mode": "purchase",
                    "manufacturer_id": maker.id,
                    "model": "Volumat 8",
                    "firmware_version": firmware,
                    "antivirus": "hospital",
                    "internet_access": exposed,
                    "patient_data": exposed,
                    "last_patch_date": fields.Date.today(),
                    "remote_maintenance_channel": "hospital_bastion",
                    "network_zone": "VLAN 42",
                }
            )

        cls.icu = pump("Tour Volumat ICU", "TOUR-ADV-1", "4.01.00", True)
        cls.ward = pump("Tour Volumat Ward", "TOUR-ADV-2", "V4.02.03", False)
        cls.fixed = pump("Tour Volumat Fixed", "TOUR-ADV-3", "4.03.00", True)
        cls.env["ir.attachment"].with_user(cls.rssi).create(
            {
                "name": SAMPLE.name,
                "datas": base64.b64encode(SAMPLE.read_bytes()),
                "mimetype": "application/json",
            }
        )

    def test_rssi_imports_ranks_mitigates_and_plans(self):
        self.start_tour(
            "/odoo/action-dm_cyber.dm_advisory_action",
            "dm_cyber_advisory_tour",
            login="tour_advisory_rssi",
        )
        advisory = self.env["dm.advisory"].search([("name", "=", "ICSMA-25-105-01")])
        self.assertEqual(len(advisory), 1)
        lines = self.env["dm.vulnerability"].search([("advisory_id", "=", advisory.id)])
        # One line per affected pump, none for the fixed firmware, none doubled
        # by the second match.
        self.assertEqual(lines.equipment_id, self.icu | self.ward)
        self.assertEqual(len(lines), 2)
        by_device = {line.equipment_id: line for line in lines}
        self.assertGreater(by_device[self.icu].priority, by_device[self.ward].priority)
        mitigated = by_device[self.ward]
        self.assertEqual(mitigated.status, "mitigated")
        self.assertIn("biomedical VLAN", mitigated.status_note)
        self.assertEqual(mitigated.decided_by_id, self.rssi)
        self.assertEqual(by_device[self.icu].status, "affected")
        campaign = self.env["dm.cyber.campaign"].search(
            [("target_equipment_ids", "in", self.icu.ids)]
        )
        self.assertEqual(len(campaign), 1)
        self.assertEqual(campaign.line_ids.equipment_id, self.icu)
        self.assertEqual(campaign.create_uid, self.rssi)
