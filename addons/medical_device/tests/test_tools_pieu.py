"""Tests of the pure PIEU functions (plain unittest, run by pytest)."""

import unittest

from odoo.addons.medical_device.tools import pieu


class TestPieuFunctions(unittest.TestCase):
    def test_seed_examples(self):
        ct_score = pieu.pieu_score(0.01, 0.01, 3, 1)
        self.assertAlmostEqual(ct_score, 0.0003)
        self.assertEqual(pieu.pieu_criticality(ct_score, 1, 10), pieu.VERY_CRITICAL)
        pump_score = pieu.pieu_score(1, 2, 3, 2)
        self.assertEqual(pump_score, 12)
        self.assertEqual(pieu.pieu_criticality(pump_score, 1, 10), pieu.LOW)

    def test_bounds_are_moderate(self):
        self.assertEqual(pieu.pieu_criticality(1, 1, 10), pieu.MODERATE)
        self.assertEqual(pieu.pieu_criticality(10, 1, 10), pieu.MODERATE)
        self.assertEqual(pieu.pieu_criticality(0.999, 1, 10), pieu.VERY_CRITICAL)
        self.assertEqual(pieu.pieu_criticality(10.001, 1, 10), pieu.LOW)

    def test_missing_factor_gives_no_score(self):
        self.assertIsNone(pieu.pieu_score(1, None, 3, 2))
        self.assertIsNone(pieu.pieu_criticality(None, 1, 10))

    def test_inverted_thresholds_are_refused(self):
        with self.assertRaises(ValueError):
            pieu.pieu_criticality(5, 10, 1)
