"""Tests of the pure continuity functions (plain unittest, run by pytest)."""

import unittest
from datetime import date

from odoo.addons.dm_cyber.tools import continuity

TODAY = date(2026, 6, 15)


class TestContinuityTools(unittest.TestCase):
    def test_exercise_limit_and_within(self):
        self.assertEqual(continuity.exercise_limit(TODAY, 365), date(2025, 6, 15))
        self.assertTrue(continuity.exercised_within(date(2025, 6, 15), TODAY, 365))
        self.assertFalse(continuity.exercised_within(date(2025, 6, 14), TODAY, 365))
        self.assertFalse(continuity.exercised_within(False, TODAY, 365))
        self.assertTrue(continuity.exercised_within(TODAY, TODAY, 0))
        # A negative period is no period: only today's exercise counts.
        self.assertEqual(continuity.exercise_limit(TODAY, -5), TODAY)

    def test_status(self):
        recent, old = date(2026, 1, 1), date(2024, 6, 1)
        status = continuity.continuity_status
        self.assertEqual(status(False, False, False, TODAY, 365), "out_of_scope")
        self.assertEqual(status(False, True, old, TODAY, 365), "out_of_scope")
        self.assertEqual(status(True, False, False, TODAY, 365), "missing")
        self.assertEqual(status(True, True, False, TODAY, 365), "stale")
        self.assertEqual(status(True, True, old, TODAY, 365), "stale")
        self.assertEqual(status(True, True, old, TODAY, 1000), "covered")
        self.assertEqual(status(True, True, recent, TODAY, 365), "covered")

    def test_normalise_model(self):
        self.assertEqual(
            continuity.normalise_model("  Revolution EVO \t"), "Revolution EVO"
        )
        self.assertIs(continuity.normalise_model("   "), False)
        self.assertIs(continuity.normalise_model(False), False)
