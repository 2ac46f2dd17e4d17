from datetime import date

from dateutil.relativedelta import relativedelta

from odoo.tests import BaseCase, tagged

from ..tools import qc


@tagged("post_install", "-at_install")
class TestToolsQc(BaseCase):
    """Tolerance evaluation (QATrack+ levels), a control's result, the failed
    control of a plan, due dates and overrides: pure functions."""

    def test_absolute_levels_are_inclusive_and_symmetric(self):
        evaluate = qc.evaluate
        self.assertEqual(evaluate(10.0, 10.0, 1.0, 2.0), qc.OK)
        self.assertEqual(evaluate(11.0, 10.0, 1.0, 2.0), qc.OK)
        self.assertEqual(evaluate(9.0, 10.0, 1.0, 2.0), qc.OK)
        self.assertEqual(evaluate(11.5, 10.0, 1.0, 2.0), qc.TOLERANCE)
        self.assertEqual(evaluate(8.0, 10.0, 1.0, 2.0), qc.TOLERANCE)
        self.assertEqual(evaluate(12.01, 10.0, 1.0, 2.0), qc.ACTION)
        self.assertEqual(evaluate(7.9, 10.0, 1.0, 2.0), qc.ACTION)
        # A float's rounding does not make a value on the limit fail.
        self.assertEqual(evaluate(0.1 + 0.2, 0.0, 0.3, 0.5), qc.OK)

    def test_percent_levels(self):
        self.assertEqual(qc.evaluate(1.76, 1.6, 10, 25, "percent"), qc.OK)
        self.assertEqual(qc.evaluate(1.9, 1.6, 10, 25, "percent"), qc.TOLERANCE)
        self.assertEqual(qc.evaluate(2.05, 1.6, 10, 25, "percent"), qc.ACTION)
        self.assertEqual(qc.evaluate(-1.1, -1.0, 10, 20, "percent"), qc.OK)
        self.assertAlmostEqual(qc.deviation(2.0, 1.6, "percent"), 25.0)
        self.assertIsNone(qc.deviation(1.0, 0.0, "percent"))

    def test_bad_limits_are_refused(self):
        with self.assertRaises(ValueError):
            qc.evaluate(1.0, 1.0, 2.0, 1.0)
        with self.assertRaises(ValueError):
            qc.evaluate(1.0, 1.0, -1.0, 1.0)
        with self.assertRaises(ValueError):
            qc.evaluate(1.0, 0.0, 5, 10, "percent")
        with self.assertRaises(ValueError):
            qc.evaluate(1.0, 1.0, None, 1.0)

    def test_bands(self):
        self.assertEqual(qc.bands(10.0, 1.0, 2.0), (8.0, 9.0, 11.0, 12.0))
        low_a, low_t, high_t, high_a = qc.bands(2.0, 10, 25, "percent")
        self.assertAlmostEqual(low_a, 1.5)
        self.assertAlmostEqual(low_t, 1.8)
        self.assertAlmostEqual(high_t, 2.2)
        self.assertAlmostEqual(high_a, 2.5)

    def test_control_result(self):
        result = qc.control_result
        self.assertEqual(result({1: qc.OK, 2: qc.OK}, [1, 2]), qc.COMPLIANT)
        self.assertEqual(
            result({1: qc.OK, 2: qc.TOLERANCE}, [1, 2]), qc.OUT_OF_TOLERANCE
        )
        self.assertEqual(
            result({1: qc.TOLERANCE, 2: qc.ACTION}, [1, 2]), qc.NON_COMPLIANT
        )
        # A test missing: no result yet, unless one already fails.
        self.assertIsNone(result({1: qc.OK}, [1, 2]))
        self.assertEqual(result({1: qc.ACTION}, [1, 2]), qc.NON_COMPLIANT)
        self.assertIsNone(result({}, []))

    def test_failed_control_needs_a_later_compliant_control_done(self):
        failed = qc.failed_control
        self.assertIsNone(failed([]))
        self.assertEqual(
            failed([(1, qc.COMPLIANT, True), (2, qc.NON_COMPLIANT, True)]), 2
        )
        # Out of tolerance or not done does not clear it.
        self.assertEqual(
            failed(
                [
                    (2, qc.NON_COMPLIANT, True),
                    (3, qc.OUT_OF_TOLERANCE, True),
                    (4, qc.COMPLIANT, False),
                ]
            ),
            2,
        )
        self.assertIsNone(
            failed([(2, qc.NON_COMPLIANT, True), (5, qc.COMPLIANT, True)])
        )
        self.assertEqual(
            failed(
                [
                    (2, qc.NON_COMPLIANT, True),
                    (5, qc.COMPLIANT, True),
                    (6, qc.NON_COMPLIANT, False),
                ]
            ),
            6,
        )

    def test_due_date_and_overdue(self):
        year = relativedelta(years=1)
        start = date(2025, 1, 1)
        self.assertIsNone(qc.due_date([], None, None, start))
        self.assertEqual(qc.due_date([], None, year, start), start)
        self.assertEqual(
            qc.due_date([], date(2025, 3, 1), year, start), date(2026, 3, 1)
        )
        self.assertEqual(
            qc.due_date([date(2025, 6, 1), None], date(2025, 3, 1), year, start),
            date(2025, 6, 1),
        )
        last = qc.overdue_after(date(2026, 3, 1), 30)
        self.assertEqual(last, date(2026, 3, 31))
        self.assertIsNone(qc.overdue_after(None, 30))
        self.assertFalse(qc.is_overdue(last, date(2026, 3, 31)))
        self.assertTrue(qc.is_overdue(last, date(2026, 4, 1)))
        self.assertFalse(qc.is_overdue(None, date(2026, 4, 1)))

    def test_override_validity(self):
        due, today = date(2026, 1, 1), date(2026, 2, 1)
        valid = qc.override_valid
        self.assertTrue(valid(due, due, date(2026, 2, 1), today))
        self.assertFalse(valid(due, due, date(2026, 1, 31), today))
        # The control done moved the plan's due date: the override ended.
        self.assertFalse(valid(due, date(2027, 1, 1), date(2026, 3, 1), today))
        self.assertFalse(valid(due, due, date(2026, 3, 1), today, active=False))
        self.assertFalse(valid(None, None, date(2026, 3, 1), today))
