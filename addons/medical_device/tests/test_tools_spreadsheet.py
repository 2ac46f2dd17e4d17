"""Spreadsheet cells never run as formulas (plain unittest, run by pytest)."""

import csv
import io
import unittest
import zipfile
from datetime import date, datetime

import openpyxl
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils.escape import unescape

from odoo.addons.medical_device.tools.spreadsheet import (
    FORMULA_PREFIXES,
    QUOTE,
    csv_row,
    safe_cell,
    write_xlsx_row,
)

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
# Texts, with formula characters often at their start.
TEXTS = st.one_of(
    st.text(),
    st.builds(
        lambda prefix, rest: prefix + rest, st.sampled_from(FORMULA_PREFIXES), st.text()
    ),
    st.sampled_from(HOSTILE),
)
# Characters an XLSX file can hold and give back unchanged.
XML_TEXTS = st.one_of(
    st.text(st.characters(exclude_categories=("Cs", "Cc", "Co", "Cn"))),
    st.builds(
        lambda prefix, rest: prefix + rest,
        st.sampled_from(FORMULA_PREFIXES),
        st.text(st.characters(exclude_categories=("Cs", "Cc", "Co", "Cn"))),
    ),
    st.sampled_from(HOSTILE),
)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**15), max_value=10**15),
    # Rounded: an XLSX file keeps 16 significant digits.
    st.floats(min_value=-1e6, max_value=1e6).map(lambda x: round(x, 3)),
)


def readable(test, original, written):
    """``written`` is ``original``, or ``original`` behind one quote, and
    does not start with a formula character."""
    test.assertFalse(written.startswith(FORMULA_PREFIXES), repr(written))
    test.assertIn(written, (original, QUOTE + original))
    if original.startswith(FORMULA_PREFIXES):
        test.assertEqual(written, QUOTE + original)


def xlsx(rows, date_format=False):
    """The rows written by ``write_xlsx_row``: (XLSX bytes, openpyxl rows)."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = workbook.add_worksheet("Sheet")
    fmt = workbook.add_format({"num_format": "yyyy-mm-dd"}) if date_format else None
    for index, row in enumerate(rows):
        write_xlsx_row(sheet, index, row, date_format=fmt)
    workbook.close()
    content = output.getvalue()
    book = openpyxl.load_workbook(io.BytesIO(content))
    # xlsxwriter escapes control characters (``\r`` as ``_x000D_``), as Excel
    # does; openpyxl leaves them escaped.
    return content, [
        tuple(unescape(cell) if isinstance(cell, str) else cell for cell in row)
        for row in book.active.iter_rows(values_only=True)
    ]


def sheet_xml(content):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


class TestSafeCell(unittest.TestCase):
    def test_hostile_values(self):
        for value in HOSTILE:
            with self.subTest(value=value):
                self.assertEqual(safe_cell(value), QUOTE + value)

    def test_harmless_values_unchanged(self):
        for value in ("", "ICU, room 3", "'=1", " =1", "10.1.2.3", "2020-01-15"):
            with self.subTest(value=value):
                self.assertEqual(safe_cell(value), value)

    def test_numbers_dates_booleans_stay_typed(self):
        for value in (-5, -2.5, 0, 3, True, False, None, date(2020, 1, 15)):
            with self.subTest(value=value):
                self.assertIs(safe_cell(value), value)

    @settings(max_examples=500, deadline=None)
    @given(TEXTS)
    def test_no_text_starts_a_formula(self, value):
        readable(self, value, safe_cell(value))

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.one_of(TEXTS, NUMBERS), max_size=6))
    def test_csv_cells(self, values):
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerow(
            csv_row(values)
        )
        buffer.seek(0)
        cells = next(csv.reader(buffer, delimiter=";")) if values else []
        self.assertEqual(len(cells), len(values))
        for value, cell in zip(values, cells, strict=True):
            if isinstance(value, str):
                readable(self, value, cell)
            else:
                # A negative number stays a number: no quote.
                self.assertEqual(cell, str(value))

    def test_csv_dates_in_iso_format(self):
        self.assertEqual(csv_row([date(2020, 1, 15), "-1"]), ["2020-01-15", "'-1"])


class TestXlsx(unittest.TestCase):
    def test_hostile_values_are_texts(self):
        content, rows = xlsx([HOSTILE])
        self.assertNotIn("<f>", sheet_xml(content))
        self.assertEqual(list(rows[0]), [QUOTE + value for value in HOSTILE])

    def test_types_kept(self):
        _content, rows = xlsx(
            [[-5, 2.5, True, date(2020, 1, 15), "", None, "x", float("inf")]],
            date_format=True,
        )
        self.assertEqual(
            list(rows[0]),
            [-5, 2.5, True, datetime(2020, 1, 15), None, None, "x", "inf"],
        )
        # Without a date format, a date is its ISO text.
        _content, rows = xlsx([[date(2020, 1, 15)]])
        self.assertEqual(rows[0][0], "2020-01-15")

    @settings(max_examples=60, deadline=None)
    @given(st.lists(st.lists(st.one_of(XML_TEXTS, NUMBERS), min_size=1), min_size=1))
    def test_no_cell_is_a_formula(self, rows):
        content, read = xlsx(rows)
        self.assertNotIn("<f>", sheet_xml(content))
        for row, cells in zip(rows, read, strict=False):
            for value, cell in zip(row, cells, strict=False):
                if isinstance(value, str) and value:
                    readable(self, value, cell)
                elif not isinstance(value, str):
                    self.assertEqual(cell, value)

    def test_formula_prefixes_are_owasp(self):
        self.assertEqual(set(FORMULA_PREFIXES), set("=+-@\t\r"))
