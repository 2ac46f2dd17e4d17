"""Tests of the plan columns of a fleet import (plain unittest, run by pytest)."""

import unittest
from datetime import date

from odoo.addons.medical_device.tools import fleet_import as fi
from odoo.addons.medical_device.tools import fleet_import_plans as fp

TODAY = date(2026, 12, 1)


class TestParsePeriodicity(unittest.TestCase):
    def test_french_english_words_and_numbers(self):
        cases = {
            "12 mois": (1, "year"),
            "1 an": (1, "year"),
            "2 ans": (2, "year"),
            "annuelle": (1, "year"),
            "Annuel": (1, "year"),
            "6 months": (6, "month"),
            "6 mois": (6, "month"),
            "semestriel": (6, "month"),
            "Semestrielle": (6, "month"),
            "trimestriel": (3, "month"),
            "quarterly": (3, "month"),
            "mensuel": (1, "month"),
            "hebdomadaire": (1, "week"),
            "24": (2, "year"),
            "18": (18, "month"),
            "3": (3, "month"),
            "tous les 6 mois": (6, "month"),
            "Tous les ans": (1, "year"),
            "every 2 years": (2, "year"),
            "1,5 an": (18, "month"),
            "1.5 years": (18, "month"),
            "2 fois par an": (6, "month"),
            "2x/an": (6, "month"),
            "twice a year": (6, "month"),
            "1/an": (1, "year"),
            "4 fois par an": (3, "month"),
            "52 semaines": (52, "week"),
            "2 sem.": (2, "week"),
            "90 jours": (90, "day"),
            "30 j": (30, "day"),
            "  12  MOIS ": (1, "year"),
            "6m": (6, "month"),
            "bisannuelle": (2, "year"),
            "Quinquennal": (5, "year"),
        }
        for text, expected in cases.items():
            with self.subTest(text=text):
                self.assertEqual(fp.parse_periodicity(text), expected)

    def test_excel_numbers_are_months(self):
        self.assertEqual(fp.parse_periodicity(12.0), (1, "year"))
        self.assertEqual(fp.parse_periodicity(6), (6, "month"))
        self.assertEqual(fp.parse_periodicity(36.0), (3, "year"))

    def test_bad_periodicities(self):
        for value in (
            "0",
            "0 mois",
            "-6",
            "-1 an",
            "12,5",
            "1.5 mois",
            "tous les",
            "parfois",
            "12 heures",
            "5 fois par an",
            "0 fois par an",
            "11 ans",
            "999999999999",
            "",
            "mp",
            True,
            float("nan"),
            float("inf"),
            2.5,
        ):
            with self.subTest(value=value):
                with self.assertRaises(fi.ParseError) as caught:
                    fp.parse_periodicity(value)
                self.assertEqual(caught.exception.code, "bad_periodicity")

    def test_ten_years_is_the_longest(self):
        self.assertEqual(fp.parse_periodicity("10 ans"), (10, "year"))
        self.assertEqual(fp.parse_periodicity("120"), (10, "year"))
        with self.assertRaises(fi.ParseError):
            fp.parse_periodicity("121")


class TestNatureAndResult(unittest.TestCase):
    def test_natures(self):
        cases = {
            "MP": "preventive",
            "Maintenance préventive": "preventive",
            "Preventive maintenance": "preventive",
            "CQ": "qc_internal",
            "CQ interne": "qc_internal",
            "Contrôle qualité interne": "qc_internal",
            "CQE": "qc_external",
            "Contrôle qualité externe (organisme agréé)": "qc_external",
            "External QC": "qc_external",
            "Sécurité électrique": "safety_check",
            "Electrical safety check": "safety_check",
            "Étalonnage": "calibration",
            "Métrologie": "calibration",
        }
        for text, expected in cases.items():
            with self.subTest(text=text):
                self.assertEqual(fp.parse_plan_nature(text), expected)
        with self.assertRaises(fi.ParseError) as caught:
            fp.parse_plan_nature("Maintenance corrective")
        self.assertEqual(caught.exception.code, "unknown_plan_nature")

    def test_results(self):
        cases = {
            "Conforme": "compliant",
            "OK": "compliant",
            "conforme avec réserves": "compliant",
            "Non conforme": "non_compliant",
            "NC": "non_compliant",
            "non-conforme": "non_compliant",
            "Hors tolérance": "non_compliant",
            "Sans objet": "not_applicable",
            "N/A": "not_applicable",
        }
        for text, expected in cases.items():
            with self.subTest(text=text):
                self.assertEqual(fp.parse_operation_result(text), expected)
        with self.assertRaises(fi.ParseError) as caught:
            fp.parse_operation_result("peut-être")
        self.assertEqual(caught.exception.code, "unknown_operation_result")


class TestRowPlans(unittest.TestCase):
    def test_several_plans_per_row(self):
        vals = {
            "plan_preventive_periodicity": (1, "year"),
            "plan_preventive_last_date": date(2026, 3, 10),
            "plan_qc_internal_periodicity": (6, "month"),
            "plan_qc_internal_last_date": date(2026, 9, 1),
            "plan_qc_internal_last_result": "compliant",
        }
        plans, errors = fp.row_plans(vals, TODAY)
        self.assertEqual(errors, [])
        self.assertEqual(
            plans,
            [
                fp.PlanRow("preventive", 1, "year", date(2026, 3, 10)),
                fp.PlanRow("qc_internal", 6, "month", date(2026, 9, 1), "compliant"),
            ],
        )
        self.assertEqual(plans[0].start_date(), date(2026, 3, 10))

    def test_generic_columns_and_their_nature(self):
        vals = {"plan_periodicity": (1, "year"), "plan_next_date": date(2027, 2, 1)}
        plans, errors = fp.row_plans(vals, TODAY)
        self.assertEqual(errors, [])
        self.assertEqual(plans[0].nature, "preventive")
        self.assertEqual(plans[0].start_date(), date(2027, 2, 1))
        vals["plan_nature"] = "calibration"
        self.assertEqual(fp.row_plans(vals, TODAY)[0][0].nature, "calibration")
        # The same plan twice (own and generic columns) is one plan.
        vals["plan_calibration_periodicity"] = (1, "year")
        vals["plan_calibration_next_date"] = date(2027, 2, 1)
        self.assertEqual(len(fp.row_plans(vals, TODAY)[0]), 1)

    def test_no_plan_columns_no_plan(self):
        self.assertEqual(fp.row_plans({"serial_no": "X"}, TODAY), ([], []))
        self.assertEqual(fp.row_plans({"plan_nature": "preventive"}, TODAY), ([], []))

    def test_errors_reject_every_plan_of_the_row(self):
        cases = [
            (
                {"plan_qc_internal_last_date": date(2026, 1, 1)},
                ("plan_qc_internal_last_date", "plan_without_periodicity"),
            ),
            (
                {
                    "plan_preventive_periodicity": (1, "year"),
                    "plan_preventive_last_result": "compliant",
                },
                ("plan_preventive_last_result", "result_without_date"),
            ),
            (
                {
                    "plan_preventive_periodicity": (1, "year"),
                    "plan_preventive_last_date": date(2027, 1, 1),
                },
                ("plan_preventive_last_date", "date_in_future"),
            ),
            (
                {
                    "plan_preventive_periodicity": (1, "year"),
                    "plan_periodicity": (2, "year"),
                },
                ("plan_periodicity", "plan_twice"),
            ),
        ]
        for vals, (target, code) in cases:
            with self.subTest(code=code):
                vals = {"plan_qc_external_periodicity": (1, "year"), **vals}
                plans, errors = fp.row_plans(vals, TODAY)
                self.assertEqual(plans, [])
                self.assertEqual([(t, c) for t, c, _p in errors], [(target, code)])
                text = fi.error_text(code, errors[0][2], fp.TARGETS)
                self.assertNotIn("%(", text)

    def test_parse_row_reads_plan_columns(self):
        targets = fi.BASE_TARGETS | fp.TARGETS
        columns = [
            ("N° série", "serial_no"),
            ("Périodicité MP", "plan_preventive_periodicity"),
            ("Dernière maintenance", "plan_preventive_last_date"),
            ("Périodicité CQ", "plan_qc_internal_periodicity"),
        ]
        row = {
            "N° série": "SN1",
            "Périodicité MP": "12 mois",
            "Dernière maintenance": "15/03/2026",
            "Périodicité CQ": "tous les jamais",
        }
        vals, errors = fi.parse_row(row, columns, targets)
        self.assertEqual(vals["plan_preventive_periodicity"], (1, "year"))
        self.assertEqual(vals["plan_preventive_last_date"], date(2026, 3, 15))
        self.assertEqual(
            [(c, code) for c, code, _p in errors],
            [("Périodicité CQ", "bad_periodicity")],
        )
        self.assertIn(
            "tous les jamais is not a periodicity",
            fi.error_text(errors[0][1], errors[0][2], targets),
        )
