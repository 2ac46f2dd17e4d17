"""Tests of the pure Python UDI parser (plain unittest, run by pytest)."""

import contextlib
import dataclasses
import unittest
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.addons.medical_device.tools import messages, udi

TODAY = date(2025, 6, 1)
GS = "\x1d"


def parse(carrier, today=TODAY):
    return udi.parse_udi(carrier, today=today)


def with_check(body):
    """HIBCC body + check char (hibc_check_char is pinned by public vectors)."""
    return body + udi.hibc_check_char(body)


class UdiErrorMixin:
    def assertUdiError(self, carrier, code, params=None, today=TODAY):
        with self.assertRaises(udi.UdiError) as caught:
            udi.parse_udi(carrier, today=today)
        self.assertEqual(caught.exception.code, code, str(caught.exception))
        if params is not None:
            self.assertEqual(
                {k: caught.exception.params.get(k) for k in params}, params
            )
        return caught.exception


class TestGs1(UdiErrorMixin, unittest.TestCase):
    def test_gs_separated(self):
        data = parse("01100504283830771725123110LOT1" + GS + "21SN42")
        self.assertEqual(data.issuer, "gs1")
        self.assertEqual(data.di, "10050428383077")
        self.assertEqual(data.expiry_date, date(2025, 12, 31))
        self.assertEqual(data.lot, "LOT1")
        self.assertEqual(data.serial, "SN42")
        self.assertIsNone(data.manufacture_date)
        self.assertEqual(
            data.normalized, "(01)10050428383077(17)251231(10)LOT1(21)SN42"
        )

    def test_gs_after_fixed_length_field_and_at_end_is_tolerated(self):
        data = parse("0110050428383077" + GS + "17251231" + GS + "10LOT1" + GS)
        self.assertEqual((data.lot, data.expiry_date), ("LOT1", date(2025, 12, 31)))

    def test_variable_field_order(self):
        data = parse("011005042838307721SN42" + GS + "10LOT1" + GS + "11240115")
        self.assertEqual((data.lot, data.serial), ("LOT1", "SN42"))
        self.assertEqual(data.manufacture_date, date(2024, 1, 15))
        self.assertEqual(
            data.normalized, "(01)10050428383077(11)240115(10)LOT1(21)SN42"
        )

    def test_parenthesized(self):
        data = parse("(01)10050428383077(17)251231(10)LOT1")
        self.assertEqual(data.di, "10050428383077")
        self.assertEqual(data.lot, "LOT1")
        self.assertEqual(data.normalized, "(01)10050428383077(17)251231(10)LOT1")

    def test_parenthesized_with_spaces_and_canonical_order(self):
        data = parse("  (10) LOT1 (17) 251231 (01) 10050428383077 \n")
        self.assertEqual(data.normalized, "(01)10050428383077(17)251231(10)LOT1")

    def test_symbology_prefixes(self):
        raw = "01095060001343521720122510ABC123"
        for prefix in ("]C1", "]d2", "]Q3", "]e0"):
            with self.subTest(prefix=prefix):
                data = parse(prefix + raw)
                self.assertEqual(data.di, "09506000134352")
                self.assertEqual(data.expiry_date, date(2020, 12, 25))
                self.assertEqual(data.lot, "ABC123")

    def test_other_symbology_prefix_with_parentheses(self):
        self.assertEqual(parse("]d1(01)09506000134352").di, "09506000134352")

    def test_optional_ais_are_accepted(self):
        data = parse("(01)10050428383077(240)REF-12(30)12(10)L1")
        self.assertEqual(data.lot, "L1")
        self.assertEqual(data.normalized, "(01)10050428383077(10)L1(240)REF-12(30)12")

    def test_day_00_expiry_is_last_day_of_month(self):
        self.assertEqual(
            parse("(01)10050428383077(17)250200").expiry_date, date(2025, 2, 28)
        )
        self.assertEqual(
            parse("(01)10050428383077(17)240200").expiry_date, date(2024, 2, 29)
        )
        self.assertEqual(
            parse("(01)10050428383077(17)251100").normalized,
            "(01)10050428383077(17)251100",
        )

    def test_day_00_production_date_means_the_month(self):
        # GS1 General Specifications: "if it is not necessary to specify the
        # day, the day field can be filled with two zeros"; only expiry dates
        # read 00 as the last day, a production month starts on its first day.
        data = parse("(01)10050428383077(11)250100")
        self.assertEqual(data.manufacture_date, date(2025, 1, 1))
        self.assertUdiError(
            "(01)10050428383077(11)251300",
            "gs1_bad_date",
            {"ai": "11", "value": "251300"},
        )

    def test_century_window(self):
        today = date(2026, 1, 1)
        gtin = "(01)10050428383077(17)"
        self.assertEqual(parse(gtin + "760101", today).expiry_date.year, 2076)
        self.assertEqual(parse(gtin + "770101", today).expiry_date.year, 1977)
        self.assertEqual(
            parse(gtin + "990101", date(2000, 6, 1)).expiry_date.year, 1999
        )

    def test_default_today(self):
        self.assertEqual(
            udi.parse_udi("(01)10050428383077(17)251231").expiry_date.month, 12
        )

    def test_wrong_gtin_check_digit(self):
        error = self.assertUdiError(
            "(01)10050428383078(17)251231",
            "gs1_gtin_check",
            {"expected": "7", "found": "8", "gtin": "10050428383078"},
        )
        self.assertIn("check digit", str(error))
        self.assertIn("expected 7, found 8", str(error))

    def test_gtin_length_and_charset(self):
        self.assertUdiError("(01)1005042838307", "gs1_gtin_length", {"length": "13"})
        self.assertUdiError("01123", "gs1_gtin_length", {"gtin": "123"})
        self.assertUdiError("(01)1005042838307A", "gs1_not_numeric", {"ai": "01"})

    def test_unknown_ai(self):
        self.assertUdiError("(01)10050428383077(99)ABC", "gs1_unknown_ai", {"ai": "99"})
        self.assertUdiError("011005042838307799ABC", "gs1_unknown_ai", {"ai": "99"})
        self.assertUdiError(
            "]C10110050428383077241ABC", "gs1_unknown_ai", {"ai": "241"}
        )

    def test_lot_and_serial_length(self):
        self.assertEqual(parse("(01)10050428383077(10)" + "L" * 20).lot, "L" * 20)
        self.assertUdiError(
            "(01)10050428383077(10)" + "L" * 21,
            "gs1_field_too_long",
            {"ai": "10", "max": "20"},
        )
        self.assertUdiError(
            "011005042838307721" + "S" * 21,
            "gs1_field_too_long",
            {"ai": "21", "max": "20"},
        )

    def test_bad_dates(self):
        for value in ("251340", "251301", "250230", "2512", "25123A"):
            with self.subTest(value=value):
                self.assertUdiError(
                    "(01)10050428383077(17)" + value,
                    "gs1_bad_date",
                    {"ai": "17"},
                )
        self.assertUdiError(
            "(01)10050428383077(17)251340",
            "gs1_bad_date",
            {"ai": "17", "value": "251340"},
        )

    def test_missing_gtin(self):
        self.assertUdiError("(17)251231(10)LOT1", "gs1_missing_gtin")
        self.assertUdiError("]C117251231", "gs1_missing_gtin")

    def test_empty_field_bad_char_duplicate_syntax(self):
        self.assertUdiError("(01)10050428383077(10)", "gs1_empty_field", {"ai": "10"})
        self.assertUdiError("(01)10050428383077(10)AB#C", "gs1_bad_char", {"char": "#"})
        self.assertUdiError(
            "(01)10050428383077(10)A(10)B", "gs1_duplicate_ai", {"ai": "10"}
        )
        self.assertEqual(parse("(01)10050428383077(10)A(10)A").lot, "A")
        self.assertUdiError("(01)10050428383077(1", "gs1_syntax")
        self.assertUdiError("(AB)12", "gs1_syntax")
        self.assertUdiError("(01)10050428383077(30)1A", "gs1_not_numeric", {"ai": "30"})

    def test_gtin_helpers(self):
        self.assertEqual(udi.gtin_check_digit("1005042838307"), 7)
        self.assertEqual(udi.gtin_check_digit("0950600013435"), 2)
        self.assertTrue(udi.is_valid_gtin("10050428383077"))
        self.assertFalse(udi.is_valid_gtin("10050428383078"))
        # EAN-13 and EAN-8 textbook examples
        self.assertTrue(udi.is_valid_gtin("4006381333931"))
        self.assertTrue(udi.is_valid_gtin("96385074"))
        for bad in (None, "", "1005042838307", "1005042838307A", "\u0661" * 14):
            self.assertFalse(udi.is_valid_gtin(bad))
        with self.assertRaises(ValueError):
            udi.gtin_check_digit("12A")


class TestHibcc(UdiErrorMixin, unittest.TestCase):
    # Public vectors: ANSI/HIBC 2.6 examples as reproduced in the zint and
    # tc-lib-barcode test suites, and real labels from the test suite of the
    # brixion/bardecoder PHP library. Their check characters agree with ours.
    PUBLIC_VECTORS = (
        # carrier, di, lot, serial, expiry, manufacture
        ("+A123BJC5D6E71G", "A123BJC5D6E71", None, None, None, None),
        (
            "+A99912345/$$52001510X33",
            "A99912345",
            "10X3",
            None,
            date(2020, 1, 15),
            None,
        ),
        (
            "+A99912345/$$52001510X3/16D20111212/S77DEFG457",
            "A99912345",
            "10X3",
            "77DEFG45",
            date(2020, 1, 15),
            date(2011, 12, 12),
        ),
        (
            "+A99912345/$10X3/16D20111231/14D202001313",
            "A99912345",
            "10X3",
            None,
            date(2020, 1, 31),
            date(2011, 12, 31),
        ),
        (
            "+A99912349/$10X3/16D20111231/14D20200131/Q500Z",
            "A99912349",
            "10X3",
            None,
            date(2020, 1, 31),
            date(2011, 12, 31),
        ),
        (
            "+J123AQ3451/$$3231231BC34567/S4012R",
            "J123AQ3451",
            "BC34567",
            "4012",
            date(2023, 12, 31),
            None,
        ),
        (
            "+J014652230580/$$3220909K010025/16D20200311Z",
            "J014652230580",
            "K010025",
            None,
            date(2022, 9, 9),
            date(2020, 3, 11),
        ),
        (
            "*+D002606030421/$$323101700056020/16D20201020Z*",
            "D002606030421",
            "00056020",
            None,
            date(2023, 10, 17),
            date(2020, 10, 20),
        ),
        (
            "+D002624225011/$$705224372/16D202201195",
            "D002624225011",
            "05224372",
            None,
            None,
            date(2022, 1, 19),
        ),
        (
            "+EDMG2203430/$$0723244375H",
            "EDMG2203430",
            "244375",
            None,
            date(2023, 7, 31),
            None,
        ),
        (
            "+E1652101109/$$9000063260831L01656I",
            "E1652101109",
            "L01656",
            None,
            date(2026, 8, 31),
            None,
        ),
        (
            "+E2513079NL1/$$90001020331222021050425-1P",
            "E2513079NL1",
            "2021050425-1",
            None,
            date(2022, 3, 31),
            None,
        ),
        (
            "+EOROCDF366A01501/$$900001122321007217",
            "EOROCDF366A01501",
            "2100721",
            None,
            date(2023, 12, 31),
            None,
        ),
        ("+E235817C19/$$9000067101822%", "E235817C19", "101822", None, None, None),
        (
            "+E490HE21KL1/$+HEK13044/16D20220531/Q1$",
            "E490HE21KL1",
            None,
            "HEK13044",
            None,
            date(2022, 5, 31),
        ),
        (
            "+A123ABCDEFGHI1234567891/$$420020216LOT123456789012345"
            "/SXYZ456789012345678/16D20130202$",
            "A123ABCDEFGHI1234567891",
            "LOT123456789012345",
            "XYZ456789012345678",
            date(2020, 2, 2),
            date(2013, 2, 2),
        ),
    )

    def test_public_vectors(self):
        for carrier, di, lot, serial, expiry, manufacture in self.PUBLIC_VECTORS:
            with self.subTest(carrier=carrier):
                data = parse(carrier)
                self.assertEqual(data.issuer, "hibcc")
                self.assertEqual(
                    (
                        data.di,
                        data.lot,
                        data.serial,
                        data.expiry_date,
                        data.manufacture_date,
                    ),
                    (di, lot, serial, expiry, manufacture),
                )
                self.assertEqual(data.normalized, carrier.strip("*"))
                self.assertEqual(parse(data.normalized), data)

    def test_check_char_public_values(self):
        self.assertEqual(udi.hibc_check_char("+A123BJC5D6E71"), "G")
        self.assertEqual(udi.hibc_check_char("+$$52001510X3G"), "D")
        self.assertEqual(udi.hibc_check_char("+A99912345/$$52001510X3"), "3")
        with self.assertRaises(udi.UdiError) as caught:
            udi.hibc_check_char("+a")
        self.assertEqual(caught.exception.code, "hibcc_charset")

    def test_primary_only(self):
        data = parse("+A123BJC5D6E71G")
        self.assertEqual(data.di, "A123BJC5D6E71")
        self.assertIsNone(data.lot)
        self.assertIsNone(data.expiry_date)
        self.assertEqual(data.normalized, "+A123BJC5D6E71G")

    def test_wrapping_and_symbology_prefix(self):
        for carrier in (
            " *+A123BJC5D6E71G* \r\n",
            "]C0+A123BJC5D6E71G",
            "+A123BJC5D6E71G\n",
        ):
            with self.subTest(carrier=carrier):
                self.assertEqual(parse(carrier).normalized, "+A123BJC5D6E71G")

    def test_space_check_character(self):
        # '+A123BD0': 41+10+1+2+3+11+13+0 = 81, 81 % 43 = 38, the value of space
        for carrier in ("+A123BD0 ", "+A123BD0_", "*+A123BD0 *", "  +A123BD0 \n"):
            with self.subTest(carrier=carrier):
                data = parse(carrier)
                self.assertEqual(data.di, "A123BD0")
                self.assertEqual(data.normalized, "+A123BD0 ")
        self.assertUdiError("+A123BD0", "hibcc_check", {"expected": "_", "found": "0"})

    def test_wrong_check_character(self):
        error = self.assertUdiError(
            "+A123BJC5D6E71H", "hibcc_check", {"expected": "G", "found": "H"}
        )
        self.assertIn("check character", str(error))
        self.assertUdiError(
            "+A99912345/$$52001510X34",
            "hibcc_check",
            {"expected": "3", "found": "4"},
        )

    def test_lic_starting_with_digit(self):
        # '+1ABC1231': 41+1+10+11+12+1+2+3+1 = 82, 82 % 43 = 39, i.e. '$'
        self.assertUdiError("+1ABC1231$", "hibcc_lic", {"lic": "1ABC"})

    def test_primary_structure(self):
        self.assertUdiError(with_check("+A1"), "hibcc_lic", {"lic": "A1"})
        self.assertUdiError(
            with_check("+A123ABC"), "hibcc_primary", {"primary": "A123ABC"}
        )
        self.assertUdiError(with_check("+A1231"), "hibcc_primary")
        self.assertEqual(parse(with_check("+A123" + "P" * 18 + "1")).di[-1], "1")
        self.assertUdiError(with_check("+A123" + "P" * 19 + "1"), "hibcc_primary")

    def test_dollar_dollar_3_expiry_and_lot(self):
        data = parse(with_check("+H123ABC01234567890/$$3251231LOT-42.A"))
        self.assertEqual(data.di, "H123ABC01234567890")
        self.assertEqual(data.expiry_date, date(2025, 12, 31))
        self.assertEqual(data.lot, "LOT-42.A")
        self.assertIsNone(data.serial)

    def test_serial_and_dates(self):
        data = parse(with_check("+H123ABC0/$$3251231L1/S SN 9/16D20240229/Q3"))
        self.assertEqual(data.serial, " SN 9")
        self.assertEqual(data.manufacture_date, date(2024, 2, 29))
        data = parse(with_check("+H123ABC0/S123/14D20270131"))
        self.assertEqual((data.serial, data.lot), ("123", None))
        self.assertEqual(data.expiry_date, date(2027, 1, 31))

    def test_secondary_flags(self):
        cases = {
            "$L1": ("L1", None, None),
            "$+S1": (None, "S1", None),
            "$$1225L1": ("L1", None, date(2025, 12, 31)),
            "$$0224L1": ("L1", None, date(2024, 2, 29)),
            "$$2123125L1": ("L1", None, date(2025, 12, 31)),
            "$$3251231": (None, None, date(2025, 12, 31)),
            "$$425123123L1": ("L1", None, date(2025, 12, 31)),
            "$$524366L1": ("L1", None, date(2024, 12, 31)),
            "$$62500123L1": ("L1", None, date(2025, 1, 1)),
            "$$7L1": ("L1", None, None),
            "$$+1225S1": (None, "S1", date(2025, 12, 31)),
            "$$+3251231S1": (None, "S1", date(2025, 12, 31)),
            "$$+7S1": (None, "S1", None),
            "$$8053251231L1": ("L1", None, date(2025, 12, 31)),
            "$$9000107L1": ("L1", None, None),
            "25001L1": ("L1", None, date(2025, 1, 1)),
        }
        for secondary, expected in cases.items():
            with self.subTest(secondary=secondary):
                data = parse(with_check("+H123ABC0/" + secondary))
                self.assertEqual((data.lot, data.serial, data.expiry_date), expected)

    def test_lot_and_serial_in_two_segments(self):
        data = parse(with_check("+H123ABC0/$$3251231L1/$$+3251231S1"))
        self.assertEqual((data.lot, data.serial), ("L1", "S1"))
        self.assertUdiError(
            with_check("+H123ABC0/$$3251231L1/14D20251130"),
            "hibcc_duplicate",
            {"value": "14D20251130"},
        )
        self.assertEqual(
            parse(with_check("+H123ABC0/$$3251231L1/14D20251231")).lot, "L1"
        )

    def test_bad_dates(self):
        cases = {
            "$$3251340L1": ("251340", "YYMMDD"),
            "$$1325L1": ("1325", "MMYY"),
            "$$2023025L1": ("023025", "MMDDYY"),
            "$$42512312400": ("25123124", "YYMMDDHH"),
            "$$525366L1": ("25366", "YYJJJ"),
            "$$525000L1": ("25000", "YYJJJ"),
            "$$6250012400": ("2500124", "YYJJJHH"),
            "16D20250229": ("20250229", "YYYYMMDD"),
            "14D2025123": ("2025123", "YYYYMMDD"),
            "$$3ABCDEFL1": ("ABCDEF", "YYMMDD"),
        }
        for secondary, (value, fmt) in cases.items():
            with self.subTest(secondary=secondary):
                self.assertUdiError(
                    with_check("+H123ABC0/" + secondary),
                    "hibcc_bad_date",
                    {"value": value, "format": fmt},
                )

    def test_lot_too_long(self):
        self.assertEqual(parse(with_check("+H123ABC0/$" + "L" * 18)).lot, "L" * 18)
        self.assertUdiError(
            with_check("+H123ABC0/$$3251231" + "L" * 19),
            "hibcc_field_too_long",
            {"max": "18"},
        )
        self.assertUdiError(
            with_check("+H123ABC0/S" + "9" * 19), "hibcc_field_too_long"
        )

    def test_syntax_errors(self):
        for secondary in ("$", "$+", "$$", "$$A12", "$$7", "$$8A1", "S", "Q1A", ""):
            with self.subTest(secondary=secondary):
                self.assertUdiError(
                    with_check("+H123ABC0/" + secondary), "hibcc_syntax"
                )
        self.assertUdiError(
            with_check("+H123ABC0/$L1/X12"),
            "hibcc_unknown_field",
            {"value": "X12"},
        )
        self.assertUdiError("+", "hibcc_syntax")

    def test_other_refusals(self):
        self.assertUdiError("+a123bjc5d6e71g", "hibcc_charset", {"char": "a"})
        self.assertUdiError("+$$02231162074ZA", "hibcc_secondary_only")
        self.assertUdiError("+/EO5232013", "unknown_format")


class TestParseUdiGeneral(UdiErrorMixin, unittest.TestCase):
    def test_empty_and_unknown(self):
        for carrier in ("", "   ", "\n", None):
            with self.subTest(carrier=carrier):
                self.assertUdiError(carrier, "empty")
        self.assertUdiError("ABC", "unknown_format", {"value": "ABC"})
        self.assertUdiError("12345678", "unknown_format")
        error = self.assertUdiError("X" * 100, "unknown_format")
        self.assertLess(len(error.params["value"]), 50)

    def test_error_shape(self):
        error = self.assertUdiError("(01)10050428383078", "gs1_gtin_check")
        self.assertIsInstance(error, ValueError)
        self.assertTrue(all(isinstance(v, str) for v in error.params.values()))
        self.assertEqual(
            str(udi.UdiError("no_such_code")), "Invalid UDI (no_such_code)."
        )

    def test_udi_data_is_frozen(self):
        data = parse("(01)10050428383077")
        with self.assertRaises(dataclasses.FrozenInstanceError):
            data.lot = "X"


class TestBasicUdiDi(unittest.TestCase):
    def assertCode(self, value, code, issuer=None):
        with self.assertRaises(udi.UdiError) as caught:
            udi.validate_basic_udi_di(value, issuer=issuer)
        self.assertEqual(caught.exception.code, code)
        return caught.exception

    def test_charset_and_length(self):
        self.assertEqual(
            udi.validate_basic_udi_di(" 0614141MODEL42AB "), "0614141MODEL42AB"
        )
        self.assertEqual(udi.validate_basic_udi_di("A" * 25), "A" * 25)
        error = self.assertCode("A" * 26, "basic_udi_di_length")
        self.assertEqual(error.params["length"], "26")
        self.assertCode("0614141model", "basic_udi_di_charset")
        self.assertCode("0614141-M", "basic_udi_di_charset")
        self.assertCode("", "empty")
        self.assertCode(None, "empty")

    def test_too_short(self):
        """ABC is no Basic UDI-DI: the shortest an issuing entity assigns has 6
        characters (HIBCC)."""
        for value in ("A", "ABC", " ABCDE "):
            with self.subTest(value=value):
                error = self.assertCode(value, "basic_udi_di_short")
                self.assertEqual(error.params["min"], "6")
        self.assertEqual(udi.validate_basic_udi_di("ABCDEF"), "ABCDEF")

    def test_gs1_check_characters(self):
        # GS1 GMN reference test vectors (gs1/gmn-helpers), upper case only
        for value in ("12345ANJ", "12345678901234567890123NT"):
            self.assertEqual(udi.validate_basic_udi_di(value, issuer="gs1"), value)
        self.assertEqual(udi.gmn_check_chars("1987654Ad4X4bL5ttr2310c"), "2K")
        error = self.assertCode("12345ANK", "basic_udi_di_check", issuer="gs1")
        self.assertEqual(
            (error.params["expected"], error.params["found"]), ("NJ", "NK")
        )
        self.assertCode("X2345ANJ", "basic_udi_di_gs1_format", issuer="gs1")
        self.assertCode("12345NJ", "basic_udi_di_gs1_format", issuer="gs1")
        self.assertEqual(udi.validate_basic_udi_di("12345ANK"), "12345ANK")


class TestEmdn(unittest.TestCase):
    def test_valid(self):
        for value, expected in {
            "Z12010101": "Z12010101",
            "C0102": "C0102",
            " c0102 ": "C0102",
            "Z": "Z",
            "A01": "A01",
            "Z120101010101": "Z120101010101",
        }.items():
            with self.subTest(value=value):
                self.assertEqual(udi.validate_emdn_code(value), expected)

    def test_invalid(self):
        for value in (
            "Z1",
            "I12",
            "E01",
            "O01",
            "X01",
            "C01A2",
            "Z12010101010101",
            "1",
        ):
            with self.subTest(value=value):
                with self.assertRaises(udi.UdiError) as caught:
                    udi.validate_emdn_code(value)
                self.assertEqual(caught.exception.code, "emdn_format")
        with self.assertRaises(udi.UdiError) as caught:
            udi.validate_emdn_code("  ")
        self.assertEqual(caught.exception.code, "empty")


class _FakeEnv:
    """Stands for an env whose language has no translation: records what it
    is asked to translate."""

    def __init__(self):
        self.sources = []

    def _(self, source, *args, **kwargs):
        self.sources.append(source)
        return messages.render(source, kwargs)


class TestMessages(unittest.TestCase):
    def test_every_code_is_translated_with_the_same_english_text(self):
        for code, template in udi.MESSAGES.items():
            with self.subTest(code=code):
                english = messages.render(template)
                names = {part.split(")s")[0] for part in english.split("%(")[1:]}
                error = udi.UdiError(code, {name: f"<{name}>" for name in names})
                env = _FakeEnv()
                self.assertEqual(messages.error_message(env, error), str(error))
                self.assertEqual(env.sources, [template])

    def test_fallbacks(self):
        env = _FakeEnv()
        error = udi.UdiError("no_such_code", {"x": "1"})
        self.assertEqual(messages.error_message(env, error), str(error))
        error = udi.UdiError("gs1_bad_date", {"ai": "17"})
        self.assertEqual(messages.error_message(env, error), str(error))


# ---------------------------------------------------------------- properties

FUZZ_ALPHABET = "0123456789()]Cd+$/\x1dABZ"
SAFE = "ABCXYZ0123456789-."
HIBC_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-."


def _raises_only_udi_error(carrier):
    with contextlib.suppress(udi.UdiError):
        udi.parse_udi(carrier, today=TODAY)


@st.composite
def valid_gtins(draw):
    body = draw(st.text("0123456789", min_size=13, max_size=13))
    return body + str(udi.gtin_check_digit(body))


class TestProperties(unittest.TestCase):
    @settings(max_examples=300, deadline=None)
    @given(st.text())
    def test_arbitrary_text_only_raises_udi_error(self, carrier):
        _raises_only_udi_error(carrier)

    @settings(max_examples=300, deadline=None)
    @given(st.text(FUZZ_ALPHABET, max_size=60))
    def test_parser_alphabet_only_raises_udi_error(self, carrier):
        _raises_only_udi_error(carrier)
        _raises_only_udi_error("]C1" + carrier)
        _raises_only_udi_error("01" + carrier)

    @settings(max_examples=300, deadline=None)
    @given(
        st.sampled_from(["+", "+A123BJC5D6E71/", "+H123ABC0/$$", "*+"]),
        st.text("0123456789ABZ$/+.-% *_", max_size=40),
    )
    def test_hibcc_like_text_only_raises_udi_error(self, prefix, rest):
        _raises_only_udi_error(prefix + rest)
        body = prefix + rest
        if all(c in udi.HIBC_CHARSET for c in body):
            _raises_only_udi_error(body + udi.hibc_check_char(body))

    @staticmethod
    def _raw(fields):
        """Element string with GS after each variable-length field but the last."""
        return "".join(
            ai + value + (GS if ai in ("10", "21") and i < len(fields) - 1 else "")
            for i, (ai, value) in enumerate(fields)
        )

    @settings(max_examples=300, deadline=None)
    @given(
        gtin=valid_gtins(),
        expiry=st.dates(date(2000, 1, 1), date(2074, 12, 31)),
        manufacture=st.none() | st.dates(date(1980, 1, 1), date(2025, 6, 1)),
        lot=st.text(SAFE, min_size=1, max_size=20),
        serial=st.none() | st.text(SAFE, min_size=1, max_size=20),
        order=st.randoms(use_true_random=False),
    )
    def test_gs1_round_trip(self, gtin, expiry, manufacture, lot, serial, order):
        fields = [("01", gtin), ("17", expiry.strftime("%y%m%d")), ("10", lot)]
        if manufacture:
            fields.append(("11", manufacture.strftime("%y%m%d")))
        if serial:
            fields.append(("21", serial))
        order.shuffle(fields)
        parenthesized = "".join(f"({ai}){value}" for ai, value in fields)
        from_parentheses = parse(parenthesized)
        self.assertEqual(parse("]d2" + self._raw(fields)), from_parentheses)
        gtin_first = sorted(fields, key=lambda field: field[0] != "01")
        self.assertEqual(parse(self._raw(gtin_first)), from_parentheses)
        self.assertEqual(
            (
                from_parentheses.di,
                from_parentheses.expiry_date,
                from_parentheses.manufacture_date,
                from_parentheses.lot,
                from_parentheses.serial,
            ),
            (gtin, expiry, manufacture, lot, serial),
        )
        self.assertEqual(parse(from_parentheses.normalized), from_parentheses)

    @settings(max_examples=300, deadline=None)
    @given(
        gtin=valid_gtins(),
        position=st.integers(0, 13),
        delta=st.integers(1, 9),
    )
    def test_single_digit_change_of_gtin_is_rejected(self, gtin, position, delta):
        digit = str((int(gtin[position]) + delta) % 10)
        changed = gtin[:position] + digit + gtin[position + 1 :]
        self.assertTrue(udi.is_valid_gtin(gtin))
        self.assertFalse(udi.is_valid_gtin(changed))
        with self.assertRaises(udi.UdiError) as caught:
            parse("(01)" + changed)
        self.assertEqual(caught.exception.code, "gs1_gtin_check")

    @settings(max_examples=300, deadline=None)
    @given(
        lic=st.tuples(
            st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
            st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=3, max_size=3),
        ),
        product=st.text(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=18
        ),
        uom=st.sampled_from("0123456789"),
        expiry=st.none() | st.dates(date(2000, 1, 1), date(2074, 12, 31)),
        lot=st.none() | st.text(HIBC_SAFE, min_size=1, max_size=18),
        serial=st.none() | st.text(HIBC_SAFE, min_size=1, max_size=18),
    )
    def test_hibcc_round_trip(self, lic, product, uom, expiry, lot, serial):
        primary = "".join(lic) + product + uom
        segments = []
        if expiry:
            segments.append("$$3" + expiry.strftime("%y%m%d") + (lot or ""))
        elif lot:
            segments.append("$" + lot)
        if serial:
            segments.append("S" + serial)
        carrier = with_check("+" + "/".join([primary, *segments]))
        data = parse(carrier)
        self.assertEqual(
            (data.di, data.lot, data.serial, data.expiry_date),
            (primary, lot, serial, expiry),
        )
        self.assertEqual(parse(data.normalized), data)


if __name__ == "__main__":
    unittest.main()
