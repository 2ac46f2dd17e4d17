"""Tests of the pure fleet import functions (plain unittest, run by pytest)."""

import io
import unittest
from datetime import date, datetime

from odoo.addons.medical_device.tools import fleet_import as fi

HEADERS = ["N° série", "Désignation", "Classe", "UDI", "Date de mise en service"]
MAPPING = {
    "n serie": "serial_no",
    "designation": "name",
    "classe": "dm_risk_class",
    "udi": "udi_carrier",
    "date de mise en service": "commissioning_date",
    "marque": "manufacturer",
    "fabricant": "manufacturer",
    "marquage ce": "ce_regime",
    "organisme notifie": "notified_body_number",
    "criticite p": "pieu_p",
    "connecte": "is_connected",
}
UDI_OK = "(01)03760123450010(11)210315(21)SN1"


def csv_bytes(rows, sep=";", encoding="cp1252", bom=False):
    text = "\r\n".join(sep.join(row) for row in rows) + "\r\n"
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def parse(row, headers=None):
    columns, _ignored = fi.resolve_columns(headers or list(row), MAPPING)
    return fi.parse_row(row, columns)


class TestHeaders(unittest.TestCase):
    def test_normalize_header(self):
        self.assertEqual(fi.normalize_header("N° série"), "n serie")
        self.assertEqual(fi.normalize_header("  N°  SÉRIE "), "n serie")
        self.assertEqual(
            fi.normalize_header("Date d'acquisition"), "date d acquisition"
        )
        self.assertEqual(
            fi.normalize_header("Pare-feu fournisseur"), "pare feu fournisseur"
        )
        self.assertEqual(fi.normalize_header("Criticité_P"), "criticite p")
        self.assertEqual(fi.normalize_header(None), "")

    def test_resolve_columns_reports_unknown_headers(self):
        columns, ignored = fi.resolve_columns(
            ["N° Série", "Commentaire", "DÉSIGNATION"], MAPPING
        )
        self.assertEqual(columns, [("N° Série", "serial_no"), ("DÉSIGNATION", "name")])
        self.assertEqual(ignored, ["Commentaire"])

    def test_targets_have_a_field(self):
        for target in fi.TARGETS:
            self.assertTrue(fi.target_field(target))
        self.assertEqual(fi.target_field("manufacturer"), "manufacturer_id")
        self.assertEqual(fi.target_field("serial_no"), "serial_no")


class TestReading(unittest.TestCase):
    rows = [HEADERS, ["SN1", "Pousse-seringue réa", "IIb", "", "02/04/2021"]]

    def test_windows_1252_semicolon(self):
        data = csv_bytes(self.rows)
        with self.assertRaises(UnicodeDecodeError):
            data.decode("utf-8")
        table = fi.read_table(data, "export.csv")
        self.assertEqual(table.encoding, "cp1252")
        self.assertEqual(table.delimiter, ";")
        self.assertEqual(table.headers, HEADERS)
        self.assertEqual(
            list(fi.read_rows(data, "export.csv")),
            [
                (
                    2,
                    {
                        "N° série": "SN1",
                        "Désignation": "Pousse-seringue réa",
                        "Classe": "IIb",
                        "UDI": None,
                        "Date de mise en service": "02/04/2021",
                    },
                )
            ],
        )

    def test_utf8_with_bom_and_comma(self):
        data = csv_bytes(self.rows, sep=",", encoding="utf-8", bom=True)
        table = fi.read_table(data, "export.csv")
        self.assertEqual((table.encoding, table.delimiter), ("utf-8-sig", ","))
        self.assertEqual(table.headers[0], "N° série")

    def test_utf8_without_bom(self):
        table = fi.read_table(csv_bytes(self.rows, encoding="utf-8"), "x.csv")
        self.assertEqual(table.encoding, "utf-8")
        self.assertEqual(next(table.rows)[1][1], "Pousse-seringue réa")

    def test_encodings(self):
        self.assertEqual(fi.detect_encoding("é".encode()), "utf-8")
        self.assertEqual(fi.detect_encoding("é".encode("cp1252")), "cp1252")
        self.assertEqual(fi.detect_encoding(b"\xef\xbb\xbfa"), "utf-8-sig")
        self.assertEqual(fi.detect_encoding(b"\x81"), "latin-1")  # not in cp1252
        self.assertEqual(fi.decode_bytes("N° série".encode("cp1252"))[0], "N° série")

    def test_semicolon_file_with_decimal_commas(self):
        data = csv_bytes([["N° série", "P"], ["SN1", "0,01"], ["SN2", "0,1"]])
        table = fi.read_table(data, "x.csv")
        self.assertEqual(table.delimiter, ";")
        self.assertEqual([v for _n, v in table.rows], [["SN1", "0,01"], ["SN2", "0,1"]])

    def test_empty_rows_skipped_numbers_kept(self):
        data = csv_bytes([HEADERS, [";;;;"], ["SN9", "", "", "", ""]])
        self.assertEqual([number for number, _row in fi.read_rows(data, "x.csv")], [3])
        self.assertEqual(fi.count_rows(data, "x.csv"), 1)

    def test_duplicate_headers_kept_apart(self):
        data = csv_bytes([["Service", "Service"], ["Réa", "Bloc"]])
        self.assertEqual(
            fi.read_table(data, "x.csv").headers, ["Service", "Service (2)"]
        )

    def test_xlsx(self):
        import openpyxl

        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(HEADERS)
        sheet.append([123456, "Moniteur", "IIa", None, datetime(2021, 4, 2)])
        sheet.append([None, None, None, None, None])
        sheet.append(["SN2", "ECG", "2a", UDI_OK, 44288])
        buffer = io.BytesIO()
        workbook.save(buffer)
        data = buffer.getvalue()
        self.assertTrue(fi.is_xlsx(data, "export.bin"))
        rows = list(fi.read_rows(data, "export.xlsx"))
        self.assertEqual([number for number, _row in rows], [2, 4])
        self.assertEqual(fi.count_rows(data, "export.xlsx"), 3)  # from its dimension
        vals, errors = parse(rows[0][1], HEADERS)
        self.assertEqual(errors, [])
        self.assertEqual(vals["serial_no"], "123456")
        self.assertEqual(vals["commissioning_date"], date(2021, 4, 2))
        vals, errors = parse(rows[1][1], HEADERS)
        self.assertEqual(errors, [])
        self.assertEqual(vals["commissioning_date"], date(2021, 4, 2))  # Excel serial
        self.assertEqual(vals["udi_serial"], "SN1")


class TestValues(unittest.TestCase):
    def test_dates(self):
        for value, expected in [
            ("02/04/2021", date(2021, 4, 2)),
            ("2/4/2021", date(2021, 4, 2)),
            ("02-04-21", date(2021, 4, 2)),
            ("02.04.1999", date(1999, 4, 2)),
            ("2021-04-02", date(2021, 4, 2)),
            ("2021-04-02 00:00:00", date(2021, 4, 2)),
            ("44288", date(2021, 4, 2)),
            (44288.0, date(2021, 4, 2)),
            (datetime(2021, 4, 2, 10, 30), date(2021, 4, 2)),
        ]:
            with self.subTest(value=value):
                self.assertEqual(fi.parse_date(value), expected)
        for value in ("31/02/2021", "2021", "demain", "13/13/2020"):
            with self.subTest(value=value), self.assertRaises(fi.ParseError) as caught:
                fi.parse_date(value)
            self.assertEqual(caught.exception.code, "bad_date")

    def test_booleans(self):
        for value in ("oui", "OUI", "Yes", "1", "x", "X", "vrai", True, 1):
            self.assertIs(fi.parse_bool(value), True, value)
        for value in ("non", "No", "0", "faux", "N", False, 0):
            self.assertIs(fi.parse_bool(value), False, value)
        with self.assertRaises(fi.ParseError):
            fi.parse_bool("peut-être")

    def test_numbers(self):
        self.assertEqual(fi.parse_float("0,01"), 0.01)
        self.assertEqual(fi.parse_float("1 234,50 €"), 1234.5)
        self.assertEqual(fi.parse_float("1.234,50"), 1234.5)
        self.assertEqual(fi.parse_float("1,234.50"), 1234.5)
        self.assertEqual(fi.parse_float(3), 3.0)
        for value in ("beaucoup", "nan", "inf", float("nan")):
            with self.subTest(value=value), self.assertRaises(fi.ParseError):
                fi.parse_float(value)

    def test_risk_classes(self):
        for value, expected in [
            ("I", "i"),
            ("classe I", "i"),
            ("Is", "is"),
            ("I stérile", "is"),
            ("Im", "im"),
            ("Ir", "ir"),
            ("IIa", "iia"),
            ("2a", "iia"),
            ("Classe IIa", "iia"),
            ("II a", "iia"),
            ("classe IIb", "iib"),
            ("2B", "iib"),
            ("III", "iii"),
            ("Classe 3", "iii"),
            ("DMDIV classe B", "ivd_b"),
            ("IVD classe A", "ivd_a"),
            ("ivd_c", "ivd_c"),
            ("D", "ivd_d"),
        ]:
            with self.subTest(value=value):
                self.assertEqual(fi.parse_risk_class(value), expected)
        for value in (
            "Classe IV",
            "IIc",
            "DMDIV classe IIa",
            "Liste A",
            "?",
            "=1",
            "+IIa",
            "@III",
            "=B",
        ):
            with self.subTest(value=value), self.assertRaises(fi.ParseError) as caught:
                fi.parse_risk_class(value)
            self.assertEqual(caught.exception.code, "unknown_class")
            self.assertEqual(caught.exception.params, {"value": value})

    def test_ce_regimes(self):
        for value, expected in [
            ("MDR", "mdr"),
            ("Règlement (UE) 2017/745", "mdr"),
            ("RDM", "mdr"),
            ("93/42/CEE", "mdd"),
            ("DM-MDD", "mdd"),
            ("Directive 93/42/CEE", "mdd"),
            ("AIMDD", "aimdd"),
            ("90/385/CEE", "aimdd"),
            ("IVDR", "ivdr"),
            ("2017/746", "ivdr"),
            ("98/79/CE", "ivdd"),
            ("IVDD", "ivdd"),
        ]:
            with self.subTest(value=value):
                self.assertEqual(fi.parse_ce_regime(value), expected)
        for value in ("Oui", "CE", "2017"):
            with self.subTest(value=value), self.assertRaises(fi.ParseError):
                fi.parse_ce_regime(value)

    def test_lifecycle(self):
        for value, expected in [
            ("En service", "in_service"),
            ("EN SERVICE", "in_service"),
            ("Actif", "in_service"),
            ("En panne", "in_service"),
            ("Réformé", "disposed"),
            ("Réformée", "disposed"),
            ("Rebut", "disposed"),
            ("En cours de réforme", "disposal"),
            ("A réformer", "disposal"),
            ("En réception", "reception"),
            ("En commande", "acquisition"),
        ]:
            with self.subTest(value=value):
                self.assertEqual(fi.parse_lifecycle(value), expected)
        with self.assertRaises(fi.ParseError):
            fi.parse_lifecycle("Perdu")

    def test_choices(self):
        self.assertEqual(fi.parse_value("acquisition_mode", "Achat"), "purchase")
        self.assertEqual(fi.parse_value("acquisition_mode", "Location"), "rental")
        self.assertEqual(fi.parse_value("acquisition_mode", "Prêt"), "loan")
        self.assertEqual(
            fi.parse_value("acquisition_mode", "Mise à disposition"), "loan"
        )
        self.assertEqual(fi.parse_value("acquisition_mode", "Don"), "donation")
        self.assertEqual(fi.parse_value("dm_kind", "DMDIV"), "dmdiv")
        self.assertEqual(fi.parse_value("dm_kind", "DM implantable actif"), "dmia")

    def test_notified_body(self):
        self.assertEqual(fi.parse_notified_body("0123"), "0123")
        self.assertEqual(fi.parse_notified_body(123), "0123")  # Excel lost the 0
        self.assertEqual(fi.parse_notified_body("CE 0459"), "0459")
        with self.assertRaises(fi.ParseError):
            fi.parse_notified_body("12345")

    def test_codes(self):
        self.assertEqual(fi.parse_value("emdn", "z12030101"), "Z12030101")
        with self.assertRaises(fi.ParseError) as caught:
            fi.parse_value("emdn", "E1234")
        self.assertEqual(caught.exception.params["udi_code"], "emdn_format")


class TestRows(unittest.TestCase):
    def test_valid_row(self):
        vals, errors = parse(
            {
                "N° série": "SN1",
                "Désignation": "Pousse-seringue",
                "Classe": "classe IIb",
                "UDI": UDI_OK,
                "Date de mise en service": "02/04/2021",
                "Marque": None,
                "Fabricant": "Fresenius Kabi",
                "Criticité P": "0,1",
                "Connecté": "Oui",
            }
        )
        self.assertEqual(errors, [])
        self.assertEqual(
            vals,
            {
                "serial_no": "SN1",
                "name": "Pousse-seringue",
                "dm_risk_class": "iib",
                "udi_carrier": UDI_OK,
                "udi_di": "03760123450010",
                "udi_lot": False,
                "udi_serial": "SN1",
                "commissioning_date": date(2021, 4, 2),
                "manufacturer": "Fresenius Kabi",  # the first non-empty column
                "pieu_p": 0.1,
                "is_connected": True,
            },
        )
        self.assertEqual(fi.row_key(vals), ("serial_no", "SN1"))

    def test_placeholder_names_are_empty(self):
        vals, errors = parse({"N° série": "A1", "Marque": "-", "Fabricant": "Zoll"})
        self.assertEqual(errors, [])
        self.assertEqual(vals["manufacturer"], "Zoll")
        vals, _errors = parse({"N° série": "A1", "Marque": "?"})
        self.assertNotIn("manufacturer", vals)

    def test_ivd_class_makes_a_dmdiv(self):
        vals, errors = parse({"N° série": "A1", "Classe": "DMDIV classe C"})
        self.assertEqual(errors, [])
        self.assertEqual(vals["dm_kind"], "dmdiv")

    def test_regulatory_inconsistency(self):
        _vals, errors = parse(
            {"N° série": "A1", "Classe": "IIa", "Marquage CE": "IVDR"}
        )
        self.assertEqual(
            [(column, code) for column, code, _params in errors],
            [("Classe", "class_kind"), ("Marquage CE", "regime_class")],
        )
        _vals, errors = parse({"N° série": "A1", "Classe": "IIa", "Marquage CE": "MDD"})
        self.assertEqual(errors, [])

    def test_row_keys(self):
        self.assertEqual(fi.row_key({"serial_no": "S"}), ("serial_no", "S"))
        self.assertEqual(
            fi.row_key({"udi_di": "D", "udi_serial": "S", "udi_lot": "L"}),
            ("udi_serial", "D", "S"),
        )
        self.assertEqual(
            fi.row_key({"udi_di": "D", "udi_serial": False, "udi_lot": "L"}),
            ("udi_lot", "D", "L"),
        )
        self.assertIsNone(fi.row_key({"name": "No key"}))


class TestHostileCells(unittest.TestCase):
    """Files as a penetration tester or a damaged export would give them."""

    def test_huge_cell_rejected_before_any_parsing(self):
        huge = "S" * 300_000
        vals, errors = parse({"N° série": huge, "Désignation": "Pompe"})
        self.assertNotIn("serial_no", vals)
        self.assertEqual(
            [(column, code) for column, code, _params in errors],
            [("N° série", "too_long")],
        )
        text = fi.format_error(*errors[0][1:])
        self.assertIn(str(fi.MAX_CELL_LENGTH), text)
        self.assertNotIn(huge[:1000], text)  # the value is not echoed
        # At the limit, the cell is read.
        vals, errors = parse({"N° série": "S" * fi.MAX_CELL_LENGTH})
        self.assertEqual((errors, len(vals["serial_no"])), ([], fi.MAX_CELL_LENGTH))

    def test_utf8_with_a_bad_byte_stays_utf8(self):
        """One byte that is not UTF-8 in a UTF-8 file: still read as UTF-8 (the
        headers are found), the byte shows as U+FFFD and its cell is reported
        with its row and column."""
        data = csv_bytes(
            [HEADERS, ["SN1", "Pompe à perfusion", "IIb", "", ""]], encoding="utf-8"
        )
        data += "SN2;Moniteur é".encode() + b"\xe9" + b"tage;IIa;;\r\n"
        self.assertEqual(fi.detect_encoding(data), "utf-8")
        table = fi.read_table(data, "x.csv")
        self.assertEqual(table.headers, HEADERS)
        rows = list(table.rows)
        self.assertEqual(rows[0][1][1], "Pompe à perfusion")
        self.assertEqual(rows[1][1][1], "Moniteur é\ufffdtage")
        columns, _ignored = fi.resolve_columns(table.headers, MAPPING)
        row = dict(zip(table.headers, rows[1][1], strict=False))
        _vals, errors = fi.parse_row(row, columns)
        self.assertEqual(
            [(column, code) for column, code, _params in errors],
            [("Désignation", "bad_byte")],
        )
        self.assertIn("UTF-8", fi.format_error(*errors[0][1:]))
        # With a BOM, a bad byte is replaced as well, never a switch.
        self.assertEqual(fi.detect_encoding(b"\xef\xbb\xbfa;\xe9\r\n"), "utf-8-sig")
        self.assertEqual(fi.decode_bytes(b"\xef\xbb\xbfa;\xe9")[0], "a;\ufffd")

    def test_windows_1252_with_accents_kept(self):
        data = csv_bytes([HEADERS, ["SN1", "Pompe à perfusion éèê", "IIb", "", ""]])
        self.assertEqual(fi.detect_encoding(data), "cp1252")
        table = fi.read_table(data, "x.csv")
        self.assertEqual(next(table.rows)[1][1], "Pompe à perfusion éèê")
