"""Import of safety notices (dm.vigilance.notice.import): all the notices of
a file or none, every error reported with its line number."""

import base64
import pathlib

from odoo.exceptions import UserError
from odoo.tools import file_open

from .test_vigilance import VigilanceCase

SAMPLES = "medical_device/data/samples/"


def sample(name):
    with file_open(SAMPLES + name, "rb") as handle:
        return handle.read()


class TestNoticeImport(VigilanceCase):
    def run_import(self, data, user="pharmacist", file_format="csv"):
        wizard = (
            self.env["dm.vigilance.notice.import"]
            .with_user(self.users[user])
            .create({"file": base64.b64encode(data), "file_format": file_format})
        )
        return wizard.action_import()

    def test_sample_imports_every_notice(self):
        action = self.run_import(sample("dm_vigilance_notice_sample.csv"))
        notices = self.Notice.search(action["domain"])
        self.assertEqual(
            sorted(notices.mapped("name")), ["ANSM-2026-0042", "FSN-2026-SP-01"]
        )
        ansm = notices.filtered(lambda n: n.name == "ANSM-2026-0042")
        self.assertEqual(ansm.source, "ansm")
        self.assertEqual(ansm.required_action, "replace_part")
        self.assertEqual(ansm.lot_ranges, "L2301-L2399\nL2450")
        self.assertEqual(str(ansm.deadline), "2026-03-31")
        self.assertIn("Replace the valve", ansm.description)
        self.assertEqual(ansm.manufacturer_id.name, "Dräger")
        self.assertEqual(ansm.state, "draft")
        self.assertEqual(ansm.create_uid, self.pharmacist)
        # The manufacturer is found again, not duplicated.
        self.run_import(
            sample("dm_vigilance_notice_sample.csv")
            .replace(b"FSN-2026", b"FSN-2027")
            .replace(b"ANSM-2026", b"ANSM-2027")
        )
        self.assertEqual(
            self.env["res.partner"].search_count([("name", "=", "Fresenius Kabi")]), 1
        )
        # Matched like any notice.
        ansm.action_match()
        self.assertTrue(ansm.action_ids)

    def test_errors_have_line_numbers_and_nothing_is_imported(self):
        before = self.Notice.search_count([])
        with self.assertRaises(UserError) as caught:
            self.run_import(sample("dm_vigilance_notice_bad.csv"))
        message = str(caught.exception)
        self.assertIn("Line 3, deadline: next week is not a date", message)
        self.assertIn("Line 4, name: The notice has no reference.", message)
        self.assertEqual(self.Notice.search_count([]), before)
        # A file read, but a notice refused: still nothing imported, and the
        # line of that notice named.
        good = sample("dm_vigilance_notice_bad.csv").splitlines()
        data = b"\n".join([good[0], good[1], good[4]])
        with self.assertRaises(UserError) as caught:
            self.run_import(data)
        self.assertRegex(str(caught.exception), r"Line 3: .*SN2000-SN1000")
        self.assertEqual(self.Notice.search_count([]), before)
        self.assertFalse(self.Notice.search([("name", "=", "FSN-OK-1")]))
        # A reference already there: refused with its line.
        self.notice(name="FSN-OK-1")
        with self.assertRaises(UserError) as caught:
            self.run_import(b"\n".join([good[0], good[1]]))
        self.assertIn("Line 2:", str(caught.exception))

    def test_unknown_columns_and_formats(self):
        with self.assertRaisesRegex(UserError, "Line 1, colour: Unknown column colour"):
            self.run_import(b"name;title;colour\nA;B;red\n")
        with self.assertRaisesRegex(UserError, "holds no notice"):
            self.run_import(b"name;title\n")

    def test_only_the_pharmacist_imports(self):
        for user in ("technician", "auditor"):
            with self.assertRaises(UserError):
                self.run_import(sample("dm_vigilance_notice_sample.csv"), user=user)
        self.assertFalse(self.Notice.search([("name", "=", "FSN-2026-SP-01")]))


REPO_SAMPLES = pathlib.Path(__file__).resolve().parents[3] / "data" / "samples"


class TestNoticeImportFormats(VigilanceCase):
    """The XML (against its XSD) and openFDA files of data/samples/ through
    the wizard, as the pharmacist: every notice of a good file, none of a bad
    one, each error with its line (XML) or record (openFDA)."""

    run_import = TestNoticeImport.run_import

    def repo_sample(self, name):
        return (REPO_SAMPLES / name).read_bytes()

    def test_xml_file_imports_every_notice(self):
        action = self.run_import(
            self.repo_sample("vigilance_notices.xml"), file_format="xml"
        )
        notices = self.Notice.search(action["domain"])
        self.assertEqual(len(notices), 3)
        zoll = notices.filtered(lambda n: n.name == "FSN-ZOLL-2026-004")
        self.assertEqual(zoll.required_action, "software_update")
        self.assertEqual(zoll.manufacturer_id.name, "ZOLL")
        self.assertIn("DEF-ZX-018000", zoll.serial_ranges)
        self.assertEqual(zoll.create_uid, self.pharmacist)

    def test_openfda_file_imports_every_recall(self):
        action = self.run_import(
            self.repo_sample("openfda_device_recall.json"), file_format="openfda"
        )
        notices = self.Notice.search(action["domain"])
        self.assertEqual(len(notices), 6)
        self.assertEqual(set(notices.mapped("source")), {"other"})
        self.assertIn("Z-0171-2011", notices.mapped("name"))

    def test_malformed_files_import_nothing(self):
        before = self.Notice.search_count([])
        for name, file_format, where in (
            ("vigilance_notices_malformed.xml", "xml", r"Line \d+"),
            ("openfda_device_recall_malformed.json", "openfda", r"Record \d+"),
        ):
            with self.subTest(file=name):
                with self.assertRaisesRegex(UserError, where):
                    self.run_import(self.repo_sample(name), file_format=file_format)
                self.assertEqual(self.Notice.search_count([]), before)
