"""Tests of the pure regulatory functions (plain unittest, run by pytest)."""

import unittest
from datetime import date

from odoo.addons.medical_device.tools import regulatory


class TestRegulatoryFunctions(unittest.TestCase):
    def test_class_and_kind(self):
        self.assertTrue(regulatory.class_allowed_for_kind("dmdiv", "ivd_c"))
        self.assertFalse(regulatory.class_allowed_for_kind("dm", "ivd_c"))
        self.assertFalse(regulatory.class_allowed_for_kind("dmdiv", "iia"))
        self.assertFalse(regulatory.class_allowed_for_kind("dmia", "iib"))
        self.assertTrue(regulatory.class_allowed_for_kind("dmia", "iii"))

    def test_notified_body(self):
        self.assertTrue(regulatory.notified_body_required("mdr", "is"))
        self.assertTrue(regulatory.notified_body_required("ivdr", "ivd_b"))
        self.assertFalse(regulatory.notified_body_required("mdr", "i"))
        self.assertFalse(regulatory.notified_body_required("ivdr", "ivd_a"))
        self.assertFalse(regulatory.notified_body_required("mdd", "iib"))
        self.assertTrue(regulatory.is_valid_notified_body_number("0123"))
        for wrong in ("123", "01234", "12a4", "", None):
            self.assertFalse(regulatory.is_valid_notified_body_number(wrong), wrong)

    def test_obligations(self):
        self.assertEqual(
            regulatory.maintenance_obligations("iib", False), (True, False)
        )
        self.assertEqual(
            regulatory.maintenance_obligations("iii", False), (True, False)
        )
        self.assertEqual(
            regulatory.maintenance_obligations("iia", False), (False, False)
        )
        self.assertEqual(regulatory.maintenance_obligations("iia", True), (True, True))

    def test_first_matching_rule_wins(self):
        rules = [
            {
                "ce_regime": "mdd",
                "risk_class": "iib",
                "implantable_only": True,
                "deadline": date(2027, 12, 31),
            },
            {
                "ce_regime": "mdd",
                "risk_class": "iib",
                "implantable_only": False,
                "deadline": date(2028, 12, 31),
            },
            {
                "ce_regime": "aimdd",
                "risk_class": False,
                "implantable_only": False,
                "deadline": date(2027, 12, 31),
            },
        ]
        deadline = regulatory.transition_deadline
        self.assertEqual(deadline(rules, "mdd", "iib", True), date(2027, 12, 31))
        self.assertEqual(deadline(rules, "mdd", "iib", False), date(2028, 12, 31))
        self.assertEqual(deadline(rules, "aimdd", "iii", True), date(2027, 12, 31))
        self.assertIsNone(deadline(rules, "mdr", "iib", False))
        self.assertIsNone(deadline(rules, "mdd", "i", False))
