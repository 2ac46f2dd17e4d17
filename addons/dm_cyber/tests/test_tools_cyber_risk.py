"""Tests of the pure cyber risk functions (plain unittest, run by pytest)."""

import unittest
from datetime import date, timedelta

from odoo.addons.dm_cyber.tools import cyber_risk

WEIGHTS = {
    "os_obsolete": 40,
    "internet_access": 20,
    "antivirus_none": 20,
    "remote_uncontrolled": 20,
    "patch_outdated": 15,
    "os_unknown": 10,
    "patient_data": 10,
    "default_accounts": 10,
    "antivirus_vendor": 5,
    "not_domain_joined": 5,
    "no_vendor_firewall": 5,
    "usb_unlocked": 5,
    "no_mds2": 5,
}
THRESHOLDS = (30, 50, 70)


def answers(**overrides):
    values = {
        "os_recorded": True,
        "os_obsolete": False,
        "antivirus": "hospital",
        "domain_joined": True,
        "internet_access": False,
        "patient_data": False,
        "vendor_firewall": False,
        "usb_locked": False,
        "default_accounts_changed": False,
        "patch_outdated": False,
        "remote_channel": "none",
        "mds2_received": False,
    }
    values.update(overrides)
    return values


class TestCyberRiskFunctions(unittest.TestCase):
    def test_obsolete_os_with_internet_and_patient_data_is_critical(self):
        score, level, reasons = cyber_risk.assess(
            answers(os_obsolete=True, internet_access=True, patient_data=True),
            WEIGHTS,
            THRESHOLDS,
        )
        self.assertEqual(level, "critical")
        self.assertEqual(reasons[0], ("os_obsolete", 40))
        self.assertGreaterEqual(score, 70)

    def test_well_kept_device_is_low(self):
        score, level, _reasons = cyber_risk.assess(answers(), WEIGHTS, THRESHOLDS)
        self.assertEqual(level, "low")
        self.assertLess(score, 30)

    def test_levels_and_thresholds(self):
        self.assertEqual(cyber_risk.risk_level(29, *THRESHOLDS), "low")
        self.assertEqual(cyber_risk.risk_level(30, *THRESHOLDS), "medium")
        self.assertEqual(cyber_risk.risk_level(50, *THRESHOLDS), "high")
        self.assertEqual(cyber_risk.risk_level(70, *THRESHOLDS), "critical")
        with self.assertRaises(ValueError):
            cyber_risk.risk_level(10, 50, 30, 70)

    def test_zero_weight_factor_is_no_reason(self):
        _score, _level, reasons = cyber_risk.assess(
            answers(internet_access=True), {**WEIGHTS, "internet_access": 0}, THRESHOLDS
        )
        self.assertNotIn("internet_access", dict(reasons))

    def test_dates(self):
        today = date(2026, 11, 23)
        self.assertTrue(cyber_risk.is_obsolete(date(2025, 10, 14), today))
        self.assertFalse(cyber_risk.is_obsolete(date(2032, 1, 13), today))
        self.assertFalse(cyber_risk.is_obsolete(None, today))
        self.assertTrue(cyber_risk.patch_outdated(None, 180, today))
        self.assertTrue(
            cyber_risk.patch_outdated(today - timedelta(days=181), 180, today)
        )
        self.assertFalse(
            cyber_risk.patch_outdated(today - timedelta(days=180), 180, today)
        )

    def test_level_raised(self):
        self.assertTrue(cyber_risk.level_raised("medium", "high"))
        self.assertTrue(cyber_risk.level_raised(False, "critical"))
        self.assertFalse(cyber_risk.level_raised("critical", "high"))
        self.assertFalse(cyber_risk.level_raised("high", "high"))
