"""The colour of a dashboard figure against its target, and the availability
rate (tools/dashboard.py, pure functions)."""

from odoo.tests import BaseCase

from ..tools import dashboard as d


class TestToolsDashboard(BaseCase):
    def test_lower_is_better(self):
        cases = [(0, d.SUCCESS), (2, d.SUCCESS), (3, d.WARNING), (5, d.WARNING)]
        cases += [(5.01, d.DANGER), (100, d.DANGER)]
        for value, state in cases:
            with self.subTest(value=value):
                self.assertEqual(
                    d.indicator_state(value, 2, 5, d.LOWER_IS_BETTER), state
                )

    def test_higher_is_better(self):
        cases = [(100, d.SUCCESS), (98, d.SUCCESS), (97.9, d.WARNING)]
        cases += [(95, d.WARNING), (94.99, d.DANGER), (0, d.DANGER)]
        for value, state in cases:
            with self.subTest(value=value):
                self.assertEqual(
                    d.indicator_state(value, 98, 95, d.HIGHER_IS_BETTER), state
                )

    def test_no_value_or_no_target_is_muted(self):
        self.assertEqual(d.indicator_state(None, 0, 1, d.LOWER_IS_BETTER), d.MUTED)
        self.assertEqual(d.indicator_state(7, 0, 1, d.NO_TARGET), d.MUTED)

    def test_availability_rate(self):
        self.assertIsNone(d.availability_rate(10, 0))
        self.assertEqual(d.availability_rate(0, 3), 100.0)
        self.assertAlmostEqual(d.availability_rate(87.6, 1), 99.0)
        self.assertAlmostEqual(d.availability_rate(876, 10), 99.0)
        # More downtime than hours (overlapping requests) never reads below 0.
        self.assertEqual(d.availability_rate(20000, 1), 0.0)

    def test_ratio_percent(self):
        self.assertIsNone(d.ratio_percent(1, 0))
        self.assertEqual(d.ratio_percent(1, 4), 25.0)
