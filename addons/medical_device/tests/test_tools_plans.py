from datetime import date

from odoo.tests import BaseCase, tagged

from ..tools import plans


@tagged("post_install", "-at_install")
class TestToolsPlans(BaseCase):
    def test_period_days(self):
        self.assertEqual(plans.period_days(12, "month"), plans.period_days(1, "year"))
        self.assertLess(plans.period_days(52, "week"), plans.period_days(1, "year"))
        self.assertIsNone(plans.period_days(0, "year"))
        self.assertIsNone(plans.period_days(-1, "month"))
        self.assertIsNone(plans.period_days(1, "fortnight"))

    def test_plan_meets_nature_period_and_performer(self):
        monthly_qc = ("qc_internal", 1, "month")
        self.assertTrue(
            plans.plan_meets(("qc_internal", 1, "month", "internal"), monthly_qc)
        )
        self.assertTrue(
            plans.plan_meets(("qc_internal", 2, "week", "contractor"), monthly_qc)
        )
        # Longer than required, another nature, or nobody to do it.
        self.assertFalse(
            plans.plan_meets(("qc_internal", 2, "month", "internal"), monthly_qc)
        )
        self.assertFalse(
            plans.plan_meets(("qc_external", 1, "month", "contractor"), monthly_qc)
        )
        self.assertFalse(
            plans.plan_meets(("qc_internal", 1, "month", False), monthly_qc)
        )
        # No period required: any plan with a period.
        any_period = ("preventive", 0, "year")
        self.assertTrue(
            plans.plan_meets(("preventive", 3, "year", "internal"), any_period)
        )
        self.assertFalse(
            plans.plan_meets(("preventive", 0, "year", "internal"), any_period)
        )
        # An external control is an accredited body's.
        external = ("qc_external", 6, "month")
        self.assertTrue(
            plans.plan_meets(("qc_external", 6, "month", "contractor"), external)
        )
        self.assertFalse(
            plans.plan_meets(("qc_external", 6, "month", "internal"), external)
        )

    def test_requirement_applies(self):
        applies = plans.requirement_applies
        self.assertTrue(applies("maintenance", False, True, False, False))
        self.assertFalse(applies("maintenance", False, False, True, "ct"))
        self.assertTrue(applies("quality_control", False, True, True, False))
        self.assertTrue(applies("quality_control", "ct", True, True, "ct"))
        self.assertFalse(applies("quality_control", "ct", True, True, "mammography"))
        self.assertFalse(applies("quality_control", "ct", True, False, "ct"))

    # ------------------------------------------------------------ dates (OCA)
    def test_next_maintenance_date(self):
        today = date(2026, 12, 1)
        start = date(2025, 3, 15)
        # The first operation not done wins.
        self.assertEqual(
            plans.next_maintenance_date(
                start, date(2027, 1, 1), date(2027, 3, 1), 1, "year", today
            ),
            date(2027, 1, 1),
        )
        # Else the last operation plus the interval, even when past (overdue).
        self.assertEqual(
            plans.next_maintenance_date(
                start, None, date(2025, 6, 1), 1, "year", today
            ),
            date(2026, 6, 1),
        )
        # Else the start, moved by intervals to today or later.
        self.assertEqual(
            plans.next_maintenance_date(start, None, None, 6, "month", today),
            date(2027, 3, 15),
        )
        self.assertEqual(
            plans.next_maintenance_date(today, None, None, 1, "week", today), today
        )
        self.assertIsNone(
            plans.next_maintenance_date(None, None, None, 1, "year", today)
        )

    def test_dates_to_generate(self):
        today = date(2026, 12, 1)
        # No operation yet: from the next date, up to today plus the horizon.
        self.assertEqual(
            plans.dates_to_generate(today, None, 6, "month", 6, "month", today),
            [today, date(2027, 6, 1)],
        )
        # From the furthest operation on; those before today are not created.
        self.assertEqual(
            plans.dates_to_generate(
                None, date(2026, 9, 1), 1, "month", 3, "month", today
            ),
            [date(2026, 12, 1), date(2027, 1, 1), date(2027, 2, 1), date(2027, 3, 1)],
        )
        self.assertEqual(
            plans.dates_to_generate(
                None, date(2025, 1, 10), 1, "month", 1, "month", today
            ),
            [date(2026, 12, 10)],
        )
        # Past the horizon already: nothing (a second run creates nothing).
        self.assertEqual(
            plans.dates_to_generate(
                today, date(2027, 6, 1), 6, "month", 6, "month", today
            ),
            [],
        )
        # A plan step left empty is a year, as in OCA.
        self.assertEqual(
            plans.dates_to_generate(today, None, 1, False, 1, False, today),
            [today, date(2027, 12, 1)],
        )
        self.assertEqual(
            plans.dates_to_generate(None, None, 1, "year", 1, "year", today), []
        )
