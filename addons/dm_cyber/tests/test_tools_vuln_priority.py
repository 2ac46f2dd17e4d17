"""The priority of a device's vulnerability (plain unittest, run by pytest)."""

import unittest

from odoo.addons.dm_cyber.tools import vuln_priority as vp


class TestVulnPriority(unittest.TestCase):
    def test_parts(self):
        # log4j on an infusion pump with patient data, EPSS 0.94, KEV.
        parts = vp.priority_parts(10.0, True, 0.94, False, True, 0.1)
        self.assertEqual(
            parts,
            [
                ("cvss", 40),
                ("known_exploited", 30),
                ("epss_high", 15),
                ("patient_data", 5),
            ],
        )
        self.assertEqual(vp.priority(10.0, True, 0.94, False, True, 0.1), 90)
        self.assertEqual(vp.priority_level(90), "critical")

    def test_order(self):
        # Exploited beats a higher CVSS that nobody exploits.
        exploited = vp.priority(7.5, True, 0.02, False, False)
        severe = vp.priority(9.8, False, 0.02, False, False)
        self.assertGreater(exploited, severe)
        # Exposure breaks ties between the same CVE on two devices.
        self.assertGreater(
            vp.priority(7.5, True, 0.0, True, False),
            vp.priority(7.5, True, 0.0, False, True),
        )
        self.assertGreater(
            vp.priority(7.5, True, 0.0, False, True),
            vp.priority(7.5, True, 0.0, False, False),
        )

    def test_epss_threshold(self):
        self.assertFalse(vp.epss_high(0.099, 0.1))
        self.assertTrue(vp.epss_high(0.1, 0.1))
        self.assertFalse(vp.epss_high(0.0, 0.0))
        self.assertFalse(vp.epss_high(None, 0.1))
        self.assertEqual(vp.priority(0, False, 0.5, False, False, 0.6), 0)
        self.assertEqual(vp.priority(0, False, 0.5, False, False, 0.4), 15)
        self.assertTrue(vp.exploitable(True, 0.0, 0.1))
        self.assertTrue(vp.exploitable(False, 0.2, 0.1))
        self.assertFalse(vp.exploitable(False, 0.05, 0.1))

    def test_closed_and_bounds(self):
        self.assertEqual(vp.priority(10.0, True, 1.0, True, True, is_open=False), 0)
        self.assertEqual(vp.priority(10.0, True, 1.0, True, True), 100)
        self.assertEqual(vp.priority(12.0, False, 0, False, False), 40)
        self.assertEqual(vp.priority(None, False, None, False, False), 0)
        self.assertFalse(vp.priority_level(0))
        self.assertEqual(vp.priority_level(1), "low")
        self.assertEqual(vp.priority_level(30), "medium")
        self.assertEqual(vp.priority_level(50), "high")
        self.assertEqual(vp.priority_level(69), "high")
