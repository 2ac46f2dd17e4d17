"""Bad input, fuzzed (hypothesis): the UDI parser and the code checks take
any value, the spreadsheet cells any text. Plain unittest, run by pytest.

Each property runs a bounded number of examples (no example database, no
deadline: the whole lot stays far below a minute); the examples run are
counted and recorded as the ``fuzz`` figure. Each bug the fuzzing found is
kept as an ``@example``.
"""

import csv
import io
import time
import unittest
import zipfile
from datetime import date

import openpyxl
import xlsxwriter
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl.utils.escape import unescape

from odoo.addons.medical_device.tools import udi
from odoo.addons.medical_device.tools.spreadsheet import (
    QUOTE,
    csv_row,
    safe_cell,
    starts_a_formula,
    write_xlsx_row,
)

from .figures import record_figure

TODAY = date(2026, 1, 15)
FUZZ = settings(database=None, deadline=None, max_examples=150)
FEW = settings(database=None, deadline=None, max_examples=40)
# Excel's limit: xlsxwriter cuts a longer text there.
XLSX_MAX_TEXT = 32767
# Any value a client, a scanner or a spreadsheet may hand over.
ANY_VALUE = st.one_of(
    st.text(),
    st.binary(max_size=40),
    st.integers(),
    st.floats(),
    st.none(),
    st.booleans(),
    st.lists(st.text(max_size=4), max_size=3),
    st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
)
# Texts shaped like carriers, to reach the parser's depths.
CARRIER_ALPHABET = "0123456789()]CdeQ+$/%*.- \x1dABSZ"
CARRIERS = st.one_of(
    st.text(CARRIER_ALPHABET, max_size=80),
    st.builds(
        lambda prefix, rest: prefix + rest,
        st.sampled_from(["(01)", "01", "]d2", "]C1", "]Q3", "+", "*+", "]e0"]),
        st.text(CARRIER_ALPHABET, max_size=60),
    ),
)
# What a database text may hold (PostgreSQL refuses NUL and lone surrogates
# in its texts, so they never reach an export), hostile starts included.
FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠", "﹦", "⁺"]
CELL_CHARS = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
HOSTILE_TEXTS = st.one_of(
    st.text(CELL_CHARS),
    st.builds(
        lambda prefix, rest: prefix + rest,
        st.sampled_from(FORMULA_STARTS),
        st.text(CELL_CHARS),
    ),
    st.sampled_from(
        [
            '=HYPERLINK("http://evil.example","click")',
            "=cmd|' /C calc'!A0",
            '＝HYPERLINK("http://evil.example")',
            "\x1b[31m=1",
            "\u202e=1+1",
            " =1",
        ]
    ),
    # Huge: beyond Excel's limit of a cell.
    st.builds(
        lambda c, n: c * n, st.sampled_from(["=", "é", "x"]), st.integers(1, 70000)
    ),
)
NUMBERS = st.one_of(
    st.integers(-(10**15), 10**15),
    st.floats(-1e6, 1e6).map(lambda x: round(x, 3)),
)


class FuzzCase(unittest.TestCase):
    """Counts the examples run, recorded as the ``fuzz`` figure."""

    examples = 0

    @classmethod
    def count(cls):
        cls.examples += 1

    @classmethod
    def tearDownClass(cls):
        record_figure("fuzz", examples=cls.examples)
        super().tearDownClass()


def parse(value):
    return udi.parse_udi(value, today=TODAY)


class TestFuzzUdi(FuzzCase):
    def check_parse(self, value):
        """A result or a UdiError (a ValueError) with a message, nothing else;
        a result parses again from its normalised form to itself."""
        self.count()
        try:
            data = parse(value)
        except udi.UdiError as error:
            self.assertIn(error.code, udi.MESSAGES)
            self.assertTrue(str(error))
            return
        self.assertIsInstance(data, udi.UdiData)
        self.assertIn(data.issuer, ("gs1", "hibcc"))
        self.assertTrue(data.di)
        self.assertEqual(parse(data.normalized), data)

    @FUZZ
    @given(ANY_VALUE)
    # Found by the fuzzing: bytes and numbers raised TypeError.
    @example(b"(01)03760123450010")
    @example(3760123450010)
    @example(["(01)03760123450010"])
    def test_any_value(self, value):
        self.check_parse(value)

    @FUZZ
    @given(CARRIERS)
    @example("+A123BJC5D6E71/$$3251231LOT1")
    @example("]d2" + "\x1d" * 50)
    def test_carrier_like_texts(self, value):
        self.check_parse(value)

    @FEW
    @given(
        st.sampled_from(["(01)", "01", "+", "(01)03760123450010(21)", "]d201"]),
        st.sampled_from(["9", "1", "A", "(", "\x1d", "é"]),
        st.integers(1000, 300_000),
    )
    def test_huge_carriers(self, prefix, char, size):
        self.check_parse(prefix + char * size)

    def test_million_digits_parse_in_linear_time(self):
        """Found by the fuzzing: a raw GS1 string of fixed-length fields
        searched for a GS to its end at each field (3 s for a million
        digits); it now stops at the field's length."""

        def seconds(size):
            best = None
            for _attempt in range(2):
                start = time.monotonic()
                with self.assertRaises(udi.UdiError):
                    parse("01" + "1" * size)
                elapsed = time.monotonic() - start
                best = elapsed if best is None else min(best, elapsed)
            return best

        # Linear: four times the digits, about four times the time (it was
        # sixteen times).
        self.assertLess(seconds(800_000) / seconds(200_000), 8)

    @FUZZ
    @given(ANY_VALUE | CARRIERS, st.sampled_from([None, "gs1", "hibcc", "iccbba"]))
    @example(b"B-0123", None)
    @example(12345678, "gs1")
    def test_code_checks(self, value, issuer):
        """Basic UDI-DI, EMDN, check characters: a result or a ValueError,
        and a checked code checks again to itself."""
        self.count()
        checks = [
            lambda v: udi.validate_basic_udi_di(v, issuer),
            udi.validate_emdn_code,
            udi.gmn_check_chars,
            udi.hibc_check_char,
            udi.gtin_check_digit,
        ]
        for check in checks:
            try:
                result = check(value)
            except ValueError:
                continue
            if check in (udi.validate_emdn_code, checks[0]):
                self.assertEqual(check(result), result)
        self.assertIn(udi.is_valid_gtin(value), (True, False))


class TestFuzzSpreadsheet(FuzzCase):
    def assertSafe(self, original, written):
        """Never a formula start; the value itself, or behind one quote."""
        self.assertFalse(starts_a_formula(written), repr(written[:20]))
        self.assertIn(written, (original, QUOTE + original))

    def test_full_width_signs_are_neutralised(self):
        """The decision on the full-width (and small) forms of the formula
        signs: a spreadsheet that normalises its input (NFKC) reads them as
        ``=``, ``+``, ``-``, ``@``: they are quoted as well."""
        for text in ("＝1+1", "＋33 1", "－2", "＠SUM(A1)", "﹦1", "⁺1", "₌1"):
            with self.subTest(text=text):
                self.assertEqual(safe_cell(text), QUOTE + text)
        for text in ("１２", "Ａ=1", "'＝1", "−2"):
            with self.subTest(text=text):
                self.assertEqual(safe_cell(text), text)

    @FUZZ
    @given(st.lists(st.one_of(HOSTILE_TEXTS, NUMBERS, st.none(), st.dates())))
    @example(['＝HYPERLINK("http://x")', "＠A1", "－1", "＋1"])
    @example(["a\x00b", "\r=1", "=\n1"])
    def test_csv_file(self, values):
        """The CSV the exports write (``;``, UTF-8 with BOM) reads back with
        as many cells, each the value or the value behind a quote."""
        self.count()
        output = io.StringIO()
        writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
        writer.writerow(csv_row(values))
        content = ("\ufeff" + output.getvalue()).encode("utf-8")
        text = content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
        cells = rows[0] if rows else []
        if values:
            self.assertEqual(len(cells), len(values))
        for value, cell in zip(values, cells, strict=False):
            if isinstance(value, str):
                self.assertSafe(value, cell)
            elif isinstance(value, date):
                self.assertEqual(cell, value.isoformat())
            elif value is None:
                self.assertEqual(cell, "")
            else:
                self.assertEqual(cell, str(value))

    @FEW
    @given(
        st.lists(
            st.lists(st.one_of(HOSTILE_TEXTS, NUMBERS), min_size=1, max_size=4),
            min_size=1,
            max_size=4,
        )
    )
    @example([["＝1+1", "\x01=1", "=" * 40000]])
    def test_xlsx_file(self, rows):
        """The XLSX the exports write opens with openpyxl, holds no formula,
        and gives back each text (behind a quote when hostile; cut at
        Excel's limit of 32,767 characters)."""
        self.count()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet("Sheet")
        for index, row in enumerate(rows):
            write_xlsx_row(sheet, index, row)
        workbook.close()
        content = output.getvalue()
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            self.assertNotIn("<f>", archive.read("xl/worksheets/sheet1.xml").decode())
        book = openpyxl.load_workbook(io.BytesIO(content))
        read = list(book.active.iter_rows(values_only=True))
        for row, cells in zip(rows, read, strict=False):
            for value, cell in zip(row, cells, strict=False):
                if isinstance(value, str) and value:
                    written = unescape(cell)
                    self.assertFalse(starts_a_formula(written))
                    self.assertIn(
                        written,
                        (value[:XLSX_MAX_TEXT], (QUOTE + value)[:XLSX_MAX_TEXT]),
                    )
                elif not isinstance(value, str):
                    self.assertEqual(cell, value)
