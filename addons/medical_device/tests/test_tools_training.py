import datetime

from odoo.tests import BaseCase, tagged

from ..tools import training

D = datetime.date


@tagged("post_install", "-at_install")
class TestToolsTraining(BaseCase):
    def test_add_months_keeps_the_day_or_ends_the_month(self):
        self.assertEqual(training.add_months(D(2026, 3, 15), 12), D(2027, 3, 15))
        self.assertEqual(training.add_months(D(2026, 1, 31), 1), D(2026, 2, 28))
        self.assertEqual(training.add_months(D(2028, 1, 31), 1), D(2028, 2, 29))
        self.assertEqual(training.add_months(D(2026, 11, 30), 3), D(2027, 2, 28))
        self.assertEqual(training.add_months(D(2026, 12, 1), 1), D(2027, 1, 1))

    def test_expiry_is_the_day_before_the_anniversary(self):
        self.assertEqual(training.expiry_date(D(2026, 3, 15), 12), D(2027, 3, 14))
        self.assertEqual(training.expiry_date(D(2026, 3, 1), 1), D(2026, 3, 31))
        self.assertEqual(training.expiry_date(D(2024, 2, 29), 12), D(2025, 2, 27))
        # No validity: the training does not expire; no date: no expiry.
        self.assertIsNone(training.expiry_date(D(2026, 3, 15), 0))
        self.assertIsNone(training.expiry_date(D(2026, 3, 15), None))
        self.assertIsNone(training.expiry_date(D(2026, 3, 15), -3))
        self.assertIsNone(training.expiry_date(None, 12))

    def test_status_by_days_left(self):
        today = D(2026, 6, 1)
        status = training.training_status
        self.assertEqual(status(None, today, 30), "valid")
        self.assertEqual(status(D(2026, 5, 31), today, 30), "expired")
        self.assertEqual(status(today, today, 30), "expiring")
        self.assertEqual(status(D(2026, 7, 1), today, 30), "expiring")
        self.assertEqual(status(D(2026, 7, 2), today, 30), "valid")
        self.assertEqual(status(D(2026, 6, 2), today, 0), "valid")
        self.assertEqual(status(today, today, -5), "expiring")

    def test_valid_on_a_day(self):
        held, expiry = D(2026, 3, 15), D(2027, 3, 14)
        self.assertFalse(training.is_valid_on(held, expiry, D(2026, 3, 14)))
        self.assertTrue(training.is_valid_on(held, expiry, held))
        self.assertTrue(training.is_valid_on(held, expiry, expiry))
        self.assertFalse(training.is_valid_on(held, expiry, D(2027, 3, 15)))
        self.assertTrue(training.is_valid_on(held, None, D(2040, 1, 1)))
        self.assertFalse(training.is_valid_on(None, None, held))
