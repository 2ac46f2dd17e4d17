"""The SBOM of a software version applies to the devices the version is
currently installed on: their components, their "SBOM received", the
version's form."""

from odoo import Command, fields
from odoo.addons.dm_cyber.tests.test_sbom import (
    MONITOR_SPDX_TAG,
    MONITOR_XML,
    PUMP_JSON,
    SbomCase,
    b64,
    sample,
)
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestSoftwareVersionSbom(SbomCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.software = cls.env["dm.software"].create(
            {
                "name": "Pump drug library manager",
                "is_medical_device": True,
                "intended_purpose": "Drug libraries of the infusion pumps.",
                "referent_id": cls.users["engineer"].id,
            }
        )
        cls.version = cls.env["dm.software.version"].create(
            {"software_id": cls.software.id, "version": "3.2"}
        )
        cls.next_version = cls.env["dm.software.version"].create(
            {"software_id": cls.software.id, "version": "3.3"}
        )
        cls.site = cls.env["dm.software.site"].create({"name": "SBOM site"})
        cls.other_site = cls.env["dm.software.site"].create({"name": "SBOM site 2"})

    def install(self, version, devices, state="current", site=None):
        # The engine's own record (the Install wizard writes it in sudo).
        return self.env["dm.software.install"].create(
            {
                "version_id": version.id,
                "software_id": self.software.id,
                "site_id": (site or self.site).id,
                "equipment_ids": [Command.set(devices.ids)],
                "install_date": fields.Date.today(),
                "mode": "on_site",
                "state": state,
            }
        )

    def version_sbom(self, version=None, filename=MONITOR_SPDX_TAG, user="rssi"):
        return self.Sbom.with_user(self.users[user]).create(
            {
                "name": "Drug library manager SBOM",
                "document": b64(sample(filename)),
                "filename": filename,
                "software_version_id": (version or self.version).id,
            }
        )

    def test_components_of_the_installed_version(self):
        pump, other_pump = self.pumps[:2]
        sbom = self.version_sbom()
        self.assertEqual(sbom.target_kind, "software_version")
        self.assertFalse(pump._dm_sbom_components())
        self.assertFalse(pump.sbom_received)
        install = self.install(self.version, pump | self.monitor)
        self.assertEqual(pump._dm_sbom_components(), sbom.component_ids)
        self.assertTrue(pump.sbom_received)
        self.assertTrue(self.monitor.sbom_received)
        self.assertFalse(other_pump.sbom_received)
        self.assertEqual(set(sbom._dm_devices().ids), {pump.id, self.monitor.id})
        # With the device's own and its model's.
        model_sbom = self.model_sbom()
        own = self.sbom(MONITOR_XML, equipment_id=pump.id)
        self.assertEqual(
            pump._dm_sbom_components(),
            sbom.component_ids | model_sbom.component_ids | own.component_ids,
        )
        self.assertEqual(pump.dm_sbom_count, 3)
        by_device = (pump | other_pump)._dm_sbom_components_by_device()
        self.assertEqual(by_device[other_pump.id], model_sbom.component_ids)
        # Replaced by a version without an SBOM: its components go.
        install.write({"state": "replaced"})
        install.flush_recordset()
        self.install(self.next_version, self.monitor)
        self.assertFalse(self.monitor.sbom_received)
        self.assertEqual(
            pump._dm_sbom_components(), model_sbom.component_ids | own.component_ids
        )

    def test_version_sbom_added_or_archived_after_the_install(self):
        self.install(self.version, self.monitor)
        self.assertFalse(self.monitor.sbom_received)
        sbom = self.version_sbom(user="engineer")
        self.assertTrue(self.monitor.sbom_received)
        sbom.with_user(self.users["rssi"]).write({"active": False})
        self.assertFalse(self.monitor.sbom_received)
        sbom.with_user(self.users["rssi"]).write({"active": True})
        self.assertTrue(self.monitor.sbom_received)
        # Moved to another version: no more on the monitor.
        sbom.with_user(self.users["rssi"]).write(
            {"software_version_id": self.next_version.id}
        )
        self.assertFalse(self.monitor.sbom_received)

    def test_exactly_one_of_three_targets(self):
        with self.assertRaisesRegex(ValidationError, "a software version"):
            self.Sbom.with_user(self.users["rssi"]).create(
                {
                    "name": "Two targets",
                    "document": b64(sample(PUMP_JSON)),
                    "software_version_id": self.version.id,
                    "equipment_id": self.monitor.id,
                }
            )
        sbom = self.version_sbom()
        with self.assertRaisesRegex(ValidationError, "exactly one of"):
            sbom.with_user(self.users["rssi"]).write({"dm_model_name": "Volumat 8"})

    def test_version_form_and_roles(self):
        sbom = self.version_sbom()
        self.assertEqual(self.version.dm_sbom_count, 1)
        action = self.version.with_user(self.users["pharmacist"]).action_view_dm_sboms()
        self.assertEqual(
            self.Sbom.with_user(self.users["pharmacist"]).search(action["domain"]),
            sbom,
        )
        for role in ("technician", "pharmacist", "dpo", "auditor"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                self.version_sbom(user=role)

    def test_batch_with_installs_in_constant_queries(self):
        self.version_sbom()
        many = self.Equipment.create(
            [
                self._acquisition_vals(serial_no=f"SBOM-SW-{n}", model="SW model")
                for n in range(40)
            ]
        )
        self.install(self.version, many[:20] | self.pumps[:1])
        self.install(self.next_version, many[20:], site=self.other_site)
        self.env.flush_all()
        counts = []
        for devices in (self.pumps, self.pumps | many):
            self.env.invalidate_all()
            devices = devices.browse(devices.ids)
            start = self.env.cr.sql_log_count
            by_device = devices._dm_sbom_components_by_device()
            counts.append(self.env.cr.sql_log_count - start)
        self.assertEqual(counts[0], counts[1])
        self.assertLessEqual(counts[0], 10)
        self.assertEqual(len(by_device[many[0].id]), 2)
        self.assertFalse(by_device[many[30].id])

    def test_matching_finds_the_devices_of_a_version_sbom(self):
        sbom = self.version_sbom()
        self.install(self.version, self.pumps[:2])
        self.install(self.next_version, self.monitor, site=self.other_site)
        found = self.env["dm.vulnerability"]._dm_vuln_sbom_devices(sbom)
        self.assertEqual(set(found[sbom.id]), set(self.pumps[:2].ids))
