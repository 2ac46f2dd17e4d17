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
