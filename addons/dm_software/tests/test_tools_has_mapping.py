"""The HAS mapping's rows and XLSX file (plain unittest, run by pytest)."""

import io
import unittest

import openpyxl

from odoo.addons.dm_software.tools import has_mapping


class TestHasMapping(unittest.TestCase):
    def test_ce_marking(self):
        self.assertEqual(
            has_mapping.ce_marking("MDR", "0459", "CERT-1"), "MDR 0459 CERT-1"
        )
        self.assertEqual(has_mapping.ce_marking("MDR", False, "CERT-1"), "MDR CERT-1")
        self.assertEqual(has_mapping.ce_marking("MDD"), "MDD")
        # No regime: no marking, whatever else is known.
        self.assertEqual(has_mapping.ce_marking(False, "0459", "CERT-1"), "")
        self.assertEqual(has_mapping.ce_marking(None), "")

    def test_header_in_english_by_default(self):
        rows = has_mapping.mapping_rows([])
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0][0], "Software")
        self.assertEqual(rows[0][-1], "Result")
        self.assertEqual(len(rows[0]), len(has_mapping.COLUMNS))
        self.assertIn("In-house (art. 5(5))", rows[0])

    def test_rows(self):
        rows = has_mapping.mapping_rows(
            [
                {
                    "software": "Chest X-ray triage",
                    "publisher": False,
                    "version": "1.0",
                    "ce_marking": "MDR 0459",
                    "in_house": False,
                    "contains_ai": True,
                    "services": False,
                    "trained_users": ["Ann", "Bob"],
                    "last_qc": False,
                },
                {"software": "PACS", "trained_users": []},
            ]
        )
        self.assertEqual(len(rows), 3)
        first = dict(zip(rows[0], rows[1], strict=True))
        self.assertEqual(first["Software"], "Chest X-ray triage")
        self.assertEqual(first["Publisher"], "")
        self.assertEqual(first["CE marking"], "MDR 0459")
        self.assertEqual(first["In-house (art. 5(5))"], "No")
        self.assertEqual(first["Contains AI"], "Yes")
        # False (an empty Odoo field) is an empty cell, not "No".
        self.assertEqual(first["Services"], "")
        self.assertEqual(first["Trained users"], "Ann, Bob")
        self.assertEqual(first["Last quality control"], "")
        self.assertEqual(first["Risk class"], "")
        second = dict(zip(rows[0], rows[2], strict=True))
        self.assertEqual(second["Contains AI"], "No")
        self.assertEqual(second["Trained users"], "")

    def test_translate(self):
        rows = has_mapping.mapping_rows(
            [{"software": "PACS", "in_house": True}],
            translate=lambda template: f"<{has_mapping.render(template)}>",
        )
        self.assertEqual(rows[0][0], "<Software>")
        self.assertEqual(rows[1][0], "PACS")
        self.assertEqual(rows[1][rows[0].index("<In-house (art. 5(5))>")], "<Yes>")

    def test_xlsx_content(self):
        rows = has_mapping.mapping_rows([{"software": "PACS", "contains_ai": True}])
        content = has_mapping.xlsx_content(rows, "DMN mapping")
        book = openpyxl.load_workbook(io.BytesIO(content))
        sheet = book.active
        self.assertEqual(sheet.title, "DMN mapping")
        self.assertEqual(sheet.cell(1, 1).value, "Software")
        self.assertTrue(sheet.cell(1, 1).font.bold)
        self.assertEqual(sheet.cell(2, 1).value, "PACS")
        self.assertEqual(sheet.freeze_panes, "A2")
