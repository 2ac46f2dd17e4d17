"""Tests of the safety notice readers (plain unittest, run by pytest): CSV, XML
against the XSD, openFDA device recalls, the code_info extractor, ranges.

The samples are the files shipped in the repository's data/samples/."""

import codecs
import io
import json
import unittest
from datetime import date, datetime
from pathlib import Path

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from odoo.addons.medical_device.tools import udi
from odoo.addons.medical_device.tools import vigilance_read as vr
from odoo.addons.medical_device.tools.vigilance_read_codeinfo import extract_code_info
from odoo.addons.medical_device.tools.vigilance_read_common import MESSAGES
from odoo.addons.medical_device.tools.vigilance_read_openfda import (
    required_action,
    title_of,
)
from odoo.addons.medical_device.tools.vigilance_read_xml import NAMESPACE, XSD_PATH
from odoo.tools.translate import LazyGettext

SAMPLES = Path(__file__).resolve().parents[3] / "data" / "samples"

FR_HEADERS = (
    "Référence;Source;Date de réception;Fabricant;Titre;Gravité;Action requise;"
    "Date limite;UDI-DI;Modèles;Lots;Numéros de série;Versions logicielles;"
    "Fabriqué du;Fabriqué au"
)
EN_HEADERS = (
    "Reference,Source,Date received,Manufacturer,Title,Severity,Required action,"
    "Deadline,UDI-DI,Models,Lots,Serial numbers,Software versions,"
    "Manufactured from,Manufactured to"
)
FR_ROW = (
    "FSN-1;Avis de sécurité fabricant;02/03/2026;Dräger;Évita : capteur;Élevée;"
    "Mise à jour logicielle;30/04/2026;03760123450010;Evita V300;L100 à L199;"
    "SN1000 - SN1999;2.1.0;01/01/2019;31/12/2022"
)
EN_ROW = (
    "FSN-1,manufacturer_fsn,2026-03-02,Dräger,Évita : capteur,high,"
    "software update,2026-04-30,03760123450010,Evita V300,L100 to L199,"
    "SN1000-SN1999,2.1.0,2019-01-01,2022-12-31"
)
EXPECTED = {
    "name": "FSN-1",
    "source": "manufacturer_fsn",
    "date_received": date(2026, 3, 2),
    "manufacturer": "Dräger",
    "title": "Évita : capteur",
    "severity": "high",
    "required_action": "software_update",
    "deadline": date(2026, 4, 30),
    "udi_di_list": "03760123450010",
    "model_list": "Evita V300",
    "lot_ranges": "L100-L199",
    "serial_ranges": "SN1000-SN1999",
    "software_versions": "2.1.0",
    "manufacture_date_from": date(2019, 1, 1),
    "manufacture_date_to": date(2022, 12, 31),
    "line": 2,
}


def sample(name):
    path = SAMPLES / name
    if not path.exists():
        raise unittest.SkipTest("the repository's data/samples folder is not here")
    return path.read_bytes()


def csv_bytes(lines, encoding="utf-8", bom=False, newline="\r\n"):
    data = (newline.join(lines) + newline).encode(encoding)
    return codecs.BOM_UTF8 + data if bom else data


def read_errors(data, file_format):
    """``[(line, code)]`` of the NoticeReadError the file raises."""
    with unittest.TestCase().assertRaises(vr.NoticeReadError) as caught:
        vr.read_notices(data, file_format)
    codes = {id(template): code for code, template in MESSAGES.items()}
    return [
        (line, codes.get(id(template), template))
        for line, template, _params in caught.exception.errors
    ]


def xml(body, declaration=True):
    head = '<?xml version="1.0" encoding="UTF-8"?>\n' if declaration else ""
    return (f'{head}<notices xmlns="{NAMESPACE}">\n{body}</notices>\n').encode()


class TestCsv(unittest.TestCase):
    def test_french_headers_semicolons_bom(self):
        data = csv_bytes([FR_HEADERS, FR_ROW], bom=True)
        self.assertEqual(vr.read_notices(data, "csv"), [EXPECTED])

    def test_english_headers_commas_no_bom(self):
        data = csv_bytes([EN_HEADERS, EN_ROW], newline="\n")
        self.assertEqual(vr.read_notices(data, "csv"), [EXPECTED])

    def test_windows_1252(self):
        data = csv_bytes([FR_HEADERS, FR_ROW], encoding="cp1252")
        with self.assertRaises(UnicodeDecodeError):
            data.decode("utf-8")
        self.assertEqual(vr.read_notices(data, "csv"), [EXPECTED])

    def test_a_spreadsheet_saved_as_xlsx_is_read_too(self):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(["Référence", "Titre", "Date limite", "Lots"])
        sheet.append(["FSN-1", "Évita", datetime(2026, 4, 30), "L1\nL2"])
        buffer = io.BytesIO()
        workbook.save(buffer)
        self.assertEqual(
            vr.read_notices(buffer.getvalue(), "csv"),
            [
                {
                    "name": "FSN-1",
                    "title": "Évita",
                    "deadline": date(2026, 4, 30),
                    "lot_ranges": "L1\nL2",
                    "line": 2,
                }
            ],
        )

    def test_technical_headers_and_values(self):
        data = csv_bytes(
            [
                "name;title;source;severity;required_action;udi_di_list;date_received",
                "N-1;T;other;critical;replace_part;3760123450010;2026-01-31",
            ]
        )
        [notice] = vr.read_notices(data, "csv")
        self.assertEqual(notice["source"], "other")
        self.assertEqual(notice["severity"], "critical")
        self.assertEqual(notice["required_action"], "replace_part")
        # A GTIN-13 is written on 14 digits.
        self.assertEqual(notice["udi_di_list"], "03760123450010")
        self.assertEqual(notice["date_received"], date(2026, 1, 31))

    def test_words_of_the_choices(self):
        cases = [
            ("ANSM", "critique", "quarantaine", ("ansm", "critical", "quarantine")),
            (
                "interne",
                "faible",
                "pour information",
                ("internal", "low", "information"),
            ),
            ("Autre", "Moyenne", "Retour", ("other", "medium", "return")),
            ("FSN", "Haute", "Contrôle", ("manufacturer_fsn", "high", "inspect")),
            (
                "fabricant",
                "moderate",
                "Replacement",
                ("manufacturer_fsn", "medium", "replace_part"),
            ),
        ]
        for source, severity, action, expected in cases:
            data = csv_bytes(
                [
                    "Référence;Titre;Source;Gravité;Action requise",
                    f"R;T;{source};{severity};{action}",
                ]
            )
            [notice] = vr.read_notices(data, "csv")
            got = (notice["source"], notice["severity"], notice["required_action"])
            self.assertEqual(got, expected, (source, severity, action))

    def test_lists_and_ranges(self):
        hibcc = "+H123PROD1" + udi.hibc_check_char("+H123PROD1")
        data = csv_bytes(
            [
                "Reference,Title,Lots,Serial numbers,Models,UDI-DI",
                'R,T,"L1 | L2; L3, L1","SN1000 to SN1999\nSN2000..SN2999\n'
                'SN5 - SN9\nMON-IV-7700 - MON-IV-7799\nOML30522-01 to OML30522-09",'
                '"Evita V300, Infinity\nPerseus A500",'
                f'"(01)03760123450010(21)SN1|{hibcc}"',
            ]
        )
        [notice] = vr.read_notices(data, "csv")
        self.assertEqual(notice["lot_ranges"], "L1\nL2\nL3")
        self.assertEqual(
            notice["serial_ranges"].splitlines(),
            [
                "SN1000-SN1999",
                "SN2000-SN2999",
                "SN5-SN9",
                # A bound with a dash of its own: a spaced range.
                "MON-IV-7700 - MON-IV-7799",
                "OML30522-01 - OML30522-09",
            ],
        )
        for line in notice["serial_ranges"].splitlines():
            self.assertIsNotNone(vr.split_range(line), line)
        # Model names may hold commas: only lines, | and ; separate them.
        self.assertEqual(notice["model_list"], "Evita V300, Infinity\nPerseus A500")
        # A UDI carrier gives its DI, a HIBCC one too.
        self.assertEqual(notice["udi_di_list"], "03760123450010\nH123PROD1")

    def test_description_keeps_its_lines(self):
        data = csv_bytes(
            ["Reference;Title;Description", 'R;T;"First line.\n  Second line.  "']
        )
        [notice] = vr.read_notices(data, "csv")
        self.assertEqual(notice["description"], "First line.\nSecond line.")

    def test_rows_are_numbered_as_a_spreadsheet_shows_them(self):
        data = csv_bytes(
            [
                "Reference;Title;Description",
                'R1;T1;"a\nb\nc"',
                "",
                "R2;T2;",
                "R3;;",
            ]
        )
        self.assertEqual(read_errors(data, "csv"), [(5, "required_title")])
        data = csv_bytes(["Reference;Title;Description", 'R1;T1;"a\nb\nc"', "R2;T2;"])
        self.assertEqual([n["line"] for n in vr.read_notices(data, "csv")], [2, 3])

    def test_empty_cells_are_left_out(self):
        data = csv_bytes([EN_HEADERS, "R,,,,T,,,,,,,,,,"])
        self.assertEqual(
            vr.read_notices(data, "csv"), [{"name": "R", "title": "T", "line": 2}]
        )

    def test_sample(self):
        notices = vr.read_notices(sample("vigilance_notices.csv"), "csv")
        self.assertEqual([n["line"] for n in notices], [2, 3, 4, 5, 6])
        self.assertEqual(
            [n["name"] for n in notices],
            [
                "FSN-FK-2026-031",
                "ANSM-2026-0412",
                "FSN-PH-2026-007",
                "INT-2026-002",
                "FSN-BB-2026-011",
            ],
        )
        first, second, third, _fourth, fifth = notices
        self.assertEqual(first["software_versions"], "3.2.0-3.4.1")
        self.assertEqual(first["required_action"], "software_update")
        self.assertEqual(len(first["description"].splitlines()), 3)
        self.assertEqual(second["model_list"], "Evita V300\nPerseus A500")
        self.assertEqual(second["source"], "ansm")
        self.assertEqual(second["manufacture_date_to"], date(2022, 12, 31))
        self.assertEqual(
            vr.split_range(third["serial_ranges"]), ("MON-IV-7700", "MON-IV-7799")
        )
        self.assertEqual(fifth["lot_ranges"], "24A1001-24A1099\n24B2001")

    def test_malformed_sample_reports_every_error_with_its_line(self):
        self.assertEqual(
            read_errors(sample("vigilance_notices_malformed.csv"), "csv"),
            [
                (3, "unknown_source"),
                (4, "bad_date"),
                (5, "required_title"),
                (6, "unknown_action"),
                (7, "duplicate_reference"),
                (8, "bad_gtin"),
                (9, "window_order"),
                (10, "required_reference"),
            ],
        )

    def test_messages_name_the_line_and_the_column(self):
        with self.assertRaises(vr.NoticeReadError) as caught:
            vr.read_notices(sample("vigilance_notices_malformed.csv"), "csv")
        messages = caught.exception.messages()
        self.assertEqual(len(messages), 8)
        self.assertEqual(
            messages[1],
            "Line 4, Deadline: 31/02/2026 is not a date (expected dd/mm/yyyy or "
            "yyyy-mm-dd).",
        )
        self.assertIn(
            "Line 7, Reference: The reference fsn-2026-100 is already used by the "
            "notice on line 2",
            messages[4],
        )
        self.assertEqual(str(caught.exception), "\n".join(messages))
        for _line, template, _params in caught.exception.errors:
            self.assertIsInstance(template, LazyGettext)

    def test_unknown_missing_and_duplicate_columns(self):
        data = csv_bytes(["Référence;Commentaire;Ref;Gravité", "R;x;R;low"])
        self.assertEqual(
            read_errors(data, "csv"),
            [
                (1, "unknown_column"),
                (1, "duplicate_column"),
                (1, "missing_title_column"),
            ],
        )
        data = csv_bytes(["Titre", "T"])
        self.assertEqual(read_errors(data, "csv"), [(1, "missing_reference_column")])

    def test_a_value_under_no_header_is_an_error(self):
        # A trailing separator (an empty column) is fine; a value there is not.
        data = csv_bytes(["Reference;Title;", "R1;T1;", "R2;T2;lost"])
        self.assertEqual(read_errors(data, "csv"), [(3, "extra_cell")])
        data = csv_bytes(["Reference;Title", "R1;T1;lost"])
        self.assertEqual(read_errors(data, "csv"), [(2, "extra_cell")])

    def test_too_long_values_are_errors_not_cut(self):
        data = csv_bytes(
            [
                "Reference;Title;Lots",
                f"{'R' * 65};T;",
                f"R2;{'T' * 501};",
                f"R3;T;L1|{'9' * 201}",
            ]
        )
        self.assertEqual(
            read_errors(data, "csv"),
            [(2, "too_long"), (3, "too_long"), (4, "too_long")],
        )

    def test_a_bad_byte_is_reported(self):
        data = "Référence;Titre\nR1;Évita\n".encode() + b"R2;caf\xe9 cr\xe8me\n"
        self.assertEqual(read_errors(data, "csv"), [(3, "bad_byte")])

    def test_empty_files(self):
        for data in (
            b"",
            b"  \r\n",
            codecs.BOM_UTF8,
            b"Reference;Title\r\n",
            b"Reference;Title\n;\n",
        ):
            self.assertEqual(read_errors(data, "csv"), [(0, "empty")], data)


class TestXml(unittest.TestCase):
    def test_sample(self):
        notices = vr.read_notices(sample("vigilance_notices.xml"), "xml")
        self.assertEqual([n["line"] for n in notices], [4, 25, 40])
        zoll, siemens, roche = notices
        self.assertEqual(zoll["name"], "FSN-ZOLL-2026-004")
        self.assertEqual(zoll["date_received"], date(2026, 2, 23))
        # The scanned UDI carrier gives its DI.
        self.assertEqual(zoll["udi_di_list"], "00847946029418")
        self.assertEqual(
            vr.split_range(zoll["serial_ranges"]), ("DEF-ZX-018000", "DEF-ZX-018999")
        )
        self.assertEqual(zoll["software_versions"], "02.30.00-02.35.02")
        self.assertTrue(zoll["description"].startswith("Sur les défibrillateurs de"))
        self.assertEqual(len(zoll["description"].splitlines()), 3)
        self.assertEqual(siemens["required_action"], "quarantine")
        self.assertEqual(siemens["manufacture_date_from"], date(2021, 1, 1))
        self.assertEqual(siemens["manufacture_date_to"], date(2023, 6, 30))
        self.assertEqual(roche["lot_ranges"], "471203\n471250-471299\n472-118-B")
        self.assertNotIn("description", roche)

    def test_malformed_sample_reports_the_schema_errors_with_their_lines(self):
        with self.assertRaises(vr.NoticeReadError) as caught:
            vr.read_notices(sample("vigilance_notices_malformed.xml"), "xml")
        errors = caught.exception.errors
        self.assertEqual([e[0] for e in errors], [9, 10, 12, 19])
        self.assertTrue(all(e[1] is MESSAGES["xml_schema"] for e in errors))
        messages = caught.exception.messages()
        self.assertIn("'urgent'", messages[0])
        self.assertIn("2026-02-30", messages[1])
        self.assertIn("title", messages[2])
        self.assertIn("colour", messages[3])
        # The namespace is left out of the messages.
        self.assertNotIn(NAMESPACE, "\n".join(messages))

    def test_value_errors_point_to_their_element(self):
        data = xml(
            "<notice>\n"  # 3
            "<reference>N-1</reference><title>T</title>\n"  # 4
            "<scope>\n"  # 5
            "<udi_di>03760123450010</udi_di>\n"  # 6
            "<udi_di>03760123450011</udi_di>\n"  # 7
            '<manufacture_date from="2024-06-30" to="2024-01-01"/>\n'  # 8
            "</scope>\n"
            "</notice>\n"
            "<notice>\n"  # 11
            "<reference>n-1</reference><title>Same reference</title>\n"  # 12
            "</notice>\n"
            "<notice>\n"
            "<reference>N-3</reference><title>Bad carrier</title>\n"
            "<scope><udi_di>(01)12345</udi_di></scope>\n"  # 16
            "</notice>\n"
        )
        self.assertEqual(
            read_errors(data, "xml")[:3],
            [(7, "bad_gtin"), (8, "window_order"), (12, "duplicate_reference")],
        )
        self.assertEqual(read_errors(data, "xml")[3][0], 16)

    def test_schema_and_value_errors_of_different_notices_are_all_reported(self):
        data = xml(
            "<notice><reference>N-1</reference><title>T</title>\n"  # 3
            "<severity>urgent</severity></notice>\n"  # 4
            "<notice><reference>N-2</reference><title>T</title>\n"  # 5
            "<deadline>2026-01-01</deadline><scope>\n"  # 6
            "<udi_di>03760123450011</udi_di></scope></notice>\n"  # 7
        )
        self.assertEqual(read_errors(data, "xml"), [(4, "xml_schema"), (7, "bad_gtin")])

    def test_comments_and_cdata_in_values(self):
        data = xml(
            "<notice><reference>N-1</reference>"
            "<title>Pump <!-- model? -->alarm</title>"
            "<description><![CDATA[Check <valve> & seal.]]></description>"
            "</notice>\n"
        )
        [notice] = vr.read_notices(data, "xml")
        self.assertEqual(notice["title"], "Pump alarm")
        self.assertEqual(notice["description"], "Check <valve> & seal.")

    def test_not_well_formed(self):
        data = xml(
            "<notice>\n<reference>N-1</reference>\n<title>T</titel>\n</notice>\n"
        )
        errors = read_errors(data, "xml")
        self.assertEqual(errors[0], (5, "xml_syntax"))

    def test_wrong_namespace_or_root(self):
        data = b'<notices xmlns="urn:other"><notice/></notices>'
        self.assertEqual(read_errors(data, "xml"), [(1, "xml_schema")])
        data = f'<notice xmlns="{NAMESPACE}"><reference>R</reference></notice>'
        self.assertEqual(read_errors(data.encode(), "xml"), [(1, "xml_schema")])
        # A root without any notice does not follow the schema.
        self.assertEqual(read_errors(xml(""), "xml"), [(2, "xml_schema")])

    def test_external_entity_is_refused(self):
        data = (
            '<?xml version="1.0"?>\n'
            '<!DOCTYPE notices [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
            f'<notices xmlns="{NAMESPACE}"><notice><reference>&xxe;</reference>'
            "<title>T</title></notice></notices>\n"
        ).encode()
        with self.assertRaises(vr.NoticeReadError) as caught:
            vr.read_notices(data, "xml")
        self.assertEqual(caught.exception.errors[0][:2], (0, MESSAGES["xml_dtd"]))
        self.assertNotIn("root:", str(caught.exception))

    def test_entity_expansion_and_external_dtd_are_refused(self):
        laughs = (
            '<?xml version="1.0"?>\n<!DOCTYPE notices [\n<!ENTITY a "aaaaaaaaaa">\n'
            + "".join(
                f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n'
                for i in range(8)
            )
            + f']>\n<notices xmlns="{NAMESPACE}"><notice><reference>&i;</reference>'
            "<title>T</title></notice></notices>\n"
        )
        self.assertEqual(read_errors(laughs.encode(), "xml"), [(0, "xml_dtd")])
        external = (
            '<?xml version="1.0"?>\n'
            '<!DOCTYPE notices SYSTEM "http://127.0.0.1:9/notices.dtd">\n'
            f'<notices xmlns="{NAMESPACE}"><notice><reference>R</reference>'
            "<title>T</title></notice></notices>\n"
        )
        self.assertEqual(read_errors(external.encode(), "xml"), [(0, "xml_dtd")])

    def test_the_xsd_is_a_valid_schema_of_its_namespace(self):
        tree = etree.parse(str(XSD_PATH))
        etree.XMLSchema(tree)
        self.assertEqual(tree.getroot().get("targetNamespace"), NAMESPACE)

    def test_empty(self):
        self.assertEqual(read_errors(b"", "xml"), [(0, "empty")])
        self.assertEqual(read_errors(b"\n  \n", "xml"), [(0, "empty")])


class TestOpenFda(unittest.TestCase):
    def test_sample(self):
        notices = vr.read_notices(sample("openfda_device_recall.json"), "openfda")
        self.assertEqual([n["line"] for n in notices], [1, 2, 3, 4, 5, 6])
        self.assertEqual({n["source"] for n in notices}, {"other"})
        self.assertTrue(all("date_received" not in n for n in notices))
        self.assertEqual(
            [n["required_action"] for n in notices],
            [
                "replace_part",
                "return",
                "replace_part",
                "quarantine",
                "software_update",
                "inspect",
            ],
        )
        siemens, kci, linet, integra, kavo, bd = notices
        self.assertEqual(siemens["name"], "Z-0171-2011")
        self.assertEqual(siemens["manufacturer"], "Siemens Medical Solutions USA, Inc")
        self.assertEqual(
            siemens["title"],
            "Mobilett XP and Mobilett XP Hybrid, Mobile radiology device",
        )
        self.assertEqual(siemens["model_list"], "1818363\n1818454")
        description = siemens["description"]
        self.assertIn(
            "Reason for recall: Units not equipped with protective plastic cover",
            description,
        )
        self.assertIn("Recall initiated: 2010-10-04", description)
        self.assertIn("Device: System, X-Ray, Mobile (class 2, Radiology)", description)
        self.assertIn("510(k): K033238", description)
        self.assertEqual(kci["serial_ranges"], "0550037-0559399")
        self.assertEqual(linet["lot_ranges"].splitlines()[0], "PPB1155-PPB1174")
        self.assertEqual(len(linet["model_list"].splitlines()), 3)
        self.assertTrue(linet["title"].endswith("…"))
        self.assertLessEqual(len(linet["title"]), 120)
        self.assertEqual(len(integra["udi_di_list"].splitlines()), 4)
        self.assertEqual(kavo["software_versions"], "2.1.0\n2.1.1")
        self.assertEqual(len(bd["serial_ranges"].splitlines()), 7)

    def test_malformed_sample(self):
        self.assertEqual(
            read_errors(sample("openfda_device_recall_malformed.json"), "openfda"),
            [
                (2, "required_reference"),
                (3, "bad_date"),
                (4, "json_record"),
                (5, "required_title"),
            ],
        )

    def test_messages_name_the_record(self):
        with self.assertRaises(vr.NoticeReadError) as caught:
            vr.read_notices(sample("openfda_device_recall_malformed.json"), "openfda")
        self.assertEqual(
            caught.exception.messages()[1],
            "Record 3, event_date_initiated: 2026-13-45 is not a date (expected "
            "dd/mm/yyyy or yyyy-mm-dd).",
        )

    def test_not_json(self):
        data = b'{"results": [\n  {"product_res_number": "Z-1"\n  ]}'
        with self.assertRaises(vr.NoticeReadError) as caught:
            vr.read_notices(data, "openfda")
        [(line, template, params)] = caught.exception.errors
        self.assertEqual((line, template), (0, MESSAGES["json_syntax"]))
        self.assertEqual(params["json_line"], 3)
        self.assertEqual(
            read_errors(b"\xff\xfe{\x00}", "openfda"), [(0, "json_encoding")]
        )

    def test_shapes(self):
        record = {
            "product_res_number": "Z-1",
            "product_description": "Pump",
            "code_info": "Lot 12345",
        }
        for payload in ([record], record, {"meta": {}, "results": [record]}):
            data = json.dumps(payload).encode()
            [notice] = vr.read_notices(data, "openfda")
            self.assertEqual(notice["lot_ranges"], "12345")
        for payload in (42, "text", {"meta": {}}, {"results": {"a": 1}}):
            data = json.dumps(payload).encode()
            self.assertEqual(read_errors(data, "openfda"), [(0, "json_shape")], payload)
        for payload in ([], {"results": []}):
            data = json.dumps(payload).encode()
            self.assertEqual(read_errors(data, "openfda"), [(0, "empty")])
        self.assertEqual(read_errors(b"", "openfda"), [(0, "empty")])

    def test_enforcement_record(self):
        record = {
            "recall_number": "Z-1603-2023",
            "classification": "Class I",
            "recalling_firm": "IMMUNDIAGNOSTIK, Inc",
            "product_description": "IDK Lactoferrin ELISA. P/N: K6870",
            "reason_for_recall": "Marketed without a 510k",
            "recall_initiation_date": "20230327",
            "report_date": "20230524",
            "code_info": "UDI: (01) 04050598000582 PN K6870/Lot Numbers:  220706 "
            "Exp. 05/04/2024;  221122 Exp. 06/07/2024.",
        }
        [notice] = vr.read_notices(
            json.dumps({"results": [record]}).encode(), "openfda"
        )
        self.assertEqual(notice["name"], "Z-1603-2023")
        self.assertEqual(notice["severity"], "critical")
        self.assertEqual(notice["required_action"], "information")
        self.assertEqual(notice["udi_di_list"], "04050598000582")
        self.assertEqual(notice["lot_ranges"], "220706\n221122")
        self.assertIn("Recall initiated: 2023-03-27", notice["description"])

    def test_title(self):
        self.assertEqual(title_of({"reason_for_recall": "Leak"}), "Leak")
        self.assertIsNone(title_of({}))
        title = title_of({"product_description": "Infusion pump " * 20})
        # Cut between two words, within the length.
        self.assertLessEqual(len(title), 120)
        self.assertTrue(title.endswith("pump…"), title)


class TestCodeInfo(unittest.TestCase):
    """Strings as the openFDA device recall records write them."""

    cases = [
        (
            "Model numbers 1818363 and 1818454",
            {"model_list": ["1818363", "1818454"]},
        ),
        (
            "Serial numbers 0550037 through 0559399.",
            {"serial_ranges": ["0550037-0559399"]},
        ),
        (
            "Serial Numbers: AP0447, AP0448, AP0458 & AP0463.",
            {"serial_ranges": ["AP0447", "AP0448", "AP0458", "AP0463"]},
        ),
        ("Serial Numbers: SN1000 - SN1999", {"serial_ranges": ["SN1000-SN1999"]}),
        ("Lot Numbers: 123, 456", {"lot_ranges": ["123", "456"]}),
        (
            "Catalogue #809600, Lot #978933 & 978934",
            {"lot_ranges": ["978933", "978934"]},
        ),
        ("Lot 5008762, Exp 11/30/16.", {"lot_ranges": ["5008762"]}),
        (
            "1) UDI-DI: Product Code: AHCV18A, Lots 980221 (exp. 01/20/2023) and "
            "974221 (exp. 01/25/2023)  2) UDI-DI: Product Code: AHCV18B, Lots 868221",
            {"lot_ranges": ["980221", "974221", "868221"]},
        ),
        (
            "Model/Catalog Number: 409-375 UDI code: (01)00844505000772(10)122927"
            "(17)310301 Lot Number: 122927",
            {
                "model_list": ["409-375"],
                "udi_di_list": ["00844505000772"],
                "lot_ranges": ["122927"],
            },
        ),
        (
            "Product Code 3032, UDI 10381780268468; \nProduct Code 3055, UDI "
            "10381780268505; \n",
            {"udi_di_list": ["10381780268468", "10381780268505"]},
        ),
        ("UDI-DI: (01)00844505000773", {}),  # wrong check digit
        (
            "Model Number 4BCPPB-3XCZ0002 (Lot Numbers PPB1155 - PPB1174, PPB1194 - "
            "PPB1213);    Model Number 4BCPPB-CCZ0008, Lot Number PPB1446 - PPB1449",
            {
                "model_list": ["4BCPPB-3XCZ0002", "4BCPPB-CCZ0008"],
                "lot_ranges": ["PPB1155-PPB1174", "PPB1194-PPB1213", "PPB1446-PPB1449"],
            },
        ),
        (
            "Sterile lot numbers: 0204B 0204D 0504F. EXP DATES 2/1/08-5/1/04",
            {"lot_ranges": ["0204B", "0204D", "0504F"]},
        ),
        ("versions 2.1.0 and 2.1.1", {"software_versions": ["2.1.0", "2.1.1"]}),
        ("Software Version: 3.2.1", {"software_versions": ["3.2.1"]}),
        (
            "Serial Numbers:\nSerial Number \n96278\n96887\n66027",
            {"serial_ranges": ["96278", "96887", "66027"]},
        ),
        (
            "Serial numbers (Domestic units): 724 215 765",
            {"serial_ranges": ["724", "215", "765"]},
        ),
        (
            "Catalog #s 090035-00, 090035-03.  Serial Numbers:  350305, 350306",
            {"serial_ranges": ["350305", "350306"]},
        ),
        (
            "Product Number: 69420-8351-1 Lot Number: U701SF1 UDI Code: N/A",
            {"lot_ranges": ["U701SF1"]},
        ),
        ("S/N: 12345 to 12399", {"serial_ranges": ["12345-12399"]}),
        # Nothing a hospital could match on, or lists that are not closed.
        ("All units produced", {}),
        ("Lots begin with: 15AMLB, 15BMLB, 15CMLB.", {}),
        (
            "All units sold in Japan (All serial numbers with 7- or 9- followed by 4 "
            "numbers; e.g. 7-xxxx or 9-xxxx).",
            {},
        ),
        ("Software version 3.2 and lower", {}),
        ("Serial numbers 1200 and higher", {}),
        ("Lots 100, 101 excluded", {}),
        ("Catalog Number: CO-02 UDI-DI Code: No UDI Codes provided", {}),
        ("", {}),
    ]

    def test_realistic_strings(self):
        for text, expected in self.cases:
            found = {
                key: values for key, values in extract_code_info(text).items() if values
            }
            self.assertEqual(found, expected, text)

    def test_ranges_read_back(self):
        found = extract_code_info("Serial numbers MON-IV-7700 to MON-IV-7799")
        [line] = found["serial_ranges"]
        self.assertEqual(vr.split_range(line), ("MON-IV-7700", "MON-IV-7799"))


class TestRequiredAction(unittest.TestCase):
    def test_strongest_clear_action(self):
        cases = [
            ("Customers were told to quarantine all affected units.", "quarantine"),
            ("Discontinue use of the affected pumps immediately.", "quarantine"),
            ("Do not use the device; a replacement will be sent.", "quarantine"),
            ("Remove affected product from inventory and return it.", "quarantine"),
            ("Customers were asked to return all affected product.", "return"),
            ("Return the completed response form to the firm.", "information"),
            ("A field engineer will replace the battery pack.", "replace_part"),
            ("The firm will retrofit all units with a new bracket.", "replace_part"),
            ("A software update (version 2.1.2) will be installed.", "software_update"),
            ("Technicians will upgrade the device firmware.", "software_update"),
            ("Users should inspect the tubing before each use.", "inspect"),
            ("Check the affected devices for cracks.", "inspect"),
            ("The labeling was revised; users were informed.", "information"),
            ("", "information"),
            (None, "information"),
        ]
        for text, expected in cases:
            self.assertEqual(required_action(text), expected, text)


class TestRanges(unittest.TestCase):
    def test_split_range(self):
        cases = {
            "SN1000-SN1999": ("SN1000", "SN1999"),
            "SN1000 - SN1999": ("SN1000", "SN1999"),
            "0550037-0559399": ("0550037", "0559399"),
            "MON-IV-7700-MON-IV-7799": ("MON-IV-7700", "MON-IV-7799"),
            "OML30522-01 - OML30522-09": ("OML30522-01", "OML30522-09"),
            "2.1.0-2.3.4": ("2.1.0", "2.3.4"),
            "SN999-SN1000": ("SN999", "SN1000"),
            "OML30522-01": None,  # a lot with a dash
            "409-375": None,  # numbers going down: one value
            "A100-B200": None,  # not the same shape
            "SN1000": None,
            "A - B - C": None,
        }
        for line, expected in cases.items():
            self.assertEqual(vr.split_range(line), expected, line)

    def test_join_and_normalize(self):
        self.assertEqual(vr.join_range("SN1", "SN9"), "SN1-SN9")
        self.assertEqual(vr.join_range("A-1", "A-9"), "A-1 - A-9")
        self.assertEqual(vr.join_range("SN9", "SN1"), "SN9 - SN1")
        self.assertEqual(vr.join_range("L-1", "M-9"), "L-1 - M-9")
        for text in ("SN1 to SN9", "SN1 à SN9", "SN1..SN9", "SN1 – SN9", "SN1 - SN9"):
            self.assertEqual(vr.normalize_range(text), "SN1-SN9", text)
        self.assertEqual(vr.normalize_range("  OML30522-01 "), "OML30522-01")


class TestReadNotices(unittest.TestCase):
    def test_unknown_format(self):
        with self.assertRaises(ValueError):
            vr.read_notices(b"x", "xlsx")

    def test_errors_are_sorted_and_the_file_is_named_in_records(self):
        error = vr.NoticeReadError(
            [(3, MESSAGES["required_title"], {}), (1, MESSAGES["json_record"], {})],
            "openfda",
        )
        self.assertEqual([e[0] for e in error.errors], [1, 3])
        self.assertEqual(
            error.messages(),
            [
                "Record 1: The record is not a JSON object.",
                "Record 3: The notice has no title.",
            ],
        )
        error = vr.NoticeReadError([(0, MESSAGES["empty"], {})], "csv")
        self.assertEqual(error.messages(), ["The file holds no notice."])


FUZZ = settings(database=None, deadline=None, max_examples=40)
HEADER_LINE = "Référence;Titre;Lots;Numéros de série;UDI-DI;Date limite;Gravité\n"
IDENTIFIERS = st.text("ABCSNZ0123456789-./", min_size=1, max_size=12).filter(
    lambda t: t.strip() == t
)


class TestFuzz(unittest.TestCase):
    """Any bytes give notices or a NoticeReadError, never another exception."""

    def check(self, data, file_format):
        try:
            notices = vr.read_notices(data, file_format)
        except vr.NoticeReadError as error:
            self.assertTrue(error.errors)
            for line, template, params in error.errors:
                self.assertIsInstance(line, int)
                self.assertIsInstance(template, LazyGettext)
                self.assertIsInstance(params, dict)
            self.assertTrue(all(error.messages()))
            return
        for notice in notices:
            self.assertTrue(notice["name"] and notice["title"])
            self.assertLessEqual(set(notice), {*vr.KEYS, "line"})

    @FUZZ
    @given(st.binary(max_size=300), st.sampled_from(vr.FORMATS))
    def test_any_bytes(self, data, file_format):
        self.check(data, file_format)

    @FUZZ
    @given(st.text(';\n"x0123456789/-AéSN ,|\r\x00', max_size=200))
    def test_csv_rows(self, rows):
        self.check((HEADER_LINE + rows).encode(), "csv")

    @FUZZ
    @given(st.text("<>/=\"' nticeforaml0123-&;!\n", max_size=200))
    def test_xml_text(self, body):
        self.check(xml(body), "xml")

    @FUZZ
    @given(
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            lambda children: (
                st.lists(children, max_size=3)
                | st.dictionaries(
                    st.sampled_from(
                        [
                            "results",
                            "product_res_number",
                            "product_description",
                            "code_info",
                            "event_date_initiated",
                            "action",
                            "openfda",
                        ]
                    ),
                    children,
                    max_size=4,
                )
            ),
            max_leaves=12,
        )
    )
    def test_json_values(self, payload):
        self.check(json.dumps(payload).encode(), "openfda")

    @FUZZ
    @given(st.text(max_size=200))
    def test_code_info_never_fails(self, text):
        found = extract_code_info(text)
        for values in found.values():
            for value in values:
                self.assertTrue(any(c.isdigit() for c in value), value)

    @FUZZ
    @given(IDENTIFIERS, IDENTIFIERS)
    def test_a_joined_range_reads_back(self, low, high):
        self.assertEqual(vr.split_range(vr.join_range(low, high)), (low, high))
