"""Bad input, fuzzed (hypothesis): the HAS mapping's XLSX file with hostile
values in every column (plain unittest, run by pytest)."""

import io
import unittest
import zipfile

import openpyxl
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl.utils.escape import unescape

from odoo.addons.dm_software.tools import has_mapping
from odoo.addons.medical_device.tests.figures import record_figure
from odoo.addons.medical_device.tools.spreadsheet import QUOTE, starts_a_formula

# What a database text may hold (no NUL, no lone surrogate), formula starts
# often first.
TEXTS = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00")),
    st.builds(
        lambda prefix, rest: prefix + rest,
        st.sampled_from(["=", "+", "-", "@", "\t", "\r", "＝", "＠"]),
        st.text(max_size=20),
    ),
)
SOFTWARES = st.lists(
    st.fixed_dictionaries(
        {
            key: st.one_of(TEXTS, st.booleans(), st.lists(TEXTS, max_size=3))
            for key in has_mapping.COLUMNS
        }
    ),
    max_size=4,
)


class TestFuzzHasMapping(unittest.TestCase):
    examples = 0

    @classmethod
    def tearDownClass(cls):
        record_figure("fuzz", examples=cls.examples)
        super().tearDownClass()

    @settings(database=None, deadline=None, max_examples=40)
    @given(SOFTWARES)
    @example([dict.fromkeys(has_mapping.COLUMNS, '=HYPERLINK("http://x","y")')])
    @example([dict.fromkeys(has_mapping.COLUMNS, "＝1+1")])
    def test_no_cell_is_a_formula(self, softwares):
        type(self).examples += 1
        rows = has_mapping.mapping_rows(softwares)
        content = has_mapping.xlsx_content(rows, "DMN")
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            self.assertNotIn("<f>", archive.read("xl/worksheets/sheet1.xml").decode())
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        read = list(sheet.iter_rows(values_only=True))
        self.assertEqual(len(read), len(rows))
        for row, cells in zip(rows, read, strict=True):
            for value, cell in zip(row, cells, strict=False):
                if isinstance(value, str) and value:
                    written = unescape(cell)
                    self.assertFalse(starts_a_formula(written), repr(written[:20]))
                    self.assertIn(written, (value, QUOTE + value))
