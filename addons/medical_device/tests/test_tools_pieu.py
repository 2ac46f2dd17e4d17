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


class TestFormatPieuScore(unittest.TestCase):
    """The score printed on the PV and shown in lists reads as a person would
    write it: "6", not "6,0000"; "0,0001", not "0,00"."""

    def test_whole_scores_have_no_decimals(self):
        self.assertEqual(pieu.format_pieu_score(6.0, ","), "6")
        self.assertEqual(pieu.format_pieu_score(27.0), "27")

    def test_decimals_as_many_as_the_score_has(self):
        self.assertEqual(pieu.format_pieu_score(1.5, ","), "1,5")
        self.assertEqual(pieu.format_pieu_score(0.0001, ","), "0,0001")
        self.assertEqual(pieu.format_pieu_score(0.02, "."), "0.02")
        # float noise does not print: 0.1 * 0.1 * 3 * 2
        self.assertEqual(pieu.format_pieu_score(0.1 * 0.1 * 3 * 2, ","), "0,06")

    def test_tiny_scores_never_read_zero(self):
        self.assertEqual(pieu.format_pieu_score(0.0001 * 0.01, ","), "0,000001")
        self.assertEqual(pieu.format_pieu_score(0.0), "0")

    def test_no_score_is_none(self):
        self.assertIsNone(pieu.format_pieu_score(None))
        self.assertIsNone(pieu.format_pieu_score(False))
