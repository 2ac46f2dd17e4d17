"""MDS2 forms (ANSI/NEMA HN 1-2019) read into proposals for the cyber
matrix (plain unittest, run by pytest)."""

import importlib.util
import io
import unittest
from pathlib import Path

from openpyxl import Workbook

from odoo.addons.dm_cyber.tools import mds2
from odoo.addons.dm_cyber.tools.mds2 import Mds2Error, Proposal, proposals, read_mds2
from odoo.tools.translate import LazyGettext

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples" / "mds2"


def _generator():
    spec = importlib.util.spec_from_file_location(
        "make_mds2_sample", SAMPLES / "make_mds2_sample.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATOR = _generator()


def form_with(answers, notes=None):
    """The sample form with some answers changed: ``{id: answer}`` or
    ``{id: (answer, note)}``; ``None`` removes the question."""
    sections = []
    for title, rows in GENERATOR.SECTIONS:
        kept = []
        for row in rows:
            if row[0] in answers:
                change = answers[row[0]]
                if change is None:
                    continue
                answer, note = change if isinstance(change, tuple) else (change, row[3])
                row = (row[0], row[1], answer, note, *row[4:])
            kept.append(row)
        sections.append((title, kept))
    return read_mds2(
        GENERATOR.build(sections, notes if notes is not None else GENERATOR.NOTES)
    )


def by_field(found):
    return {p.field_name: p for p in found}


def workbook(rows, title="Form"):
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


class TestRead(unittest.TestCase):
    def test_sample(self):
        form = read_mds2((SAMPLES / "volumat8_mds2_hn1-2019.xlsx").read_bytes())
        self.assertEqual(len(form.answers), 44)
        self.assertEqual(form.manufacturer, "Perfusio Medical SAS")
        self.assertEqual(form.device_model, "Volumat 8")
        self.assertEqual(form.document_id, "PM-MDS2-0042 rev. C")
        self.assertEqual(form.release_date, "2025-03-14")
        csup2 = form.get("CSUP-2")
        self.assertEqual((csup2.value, csup2.note), ("yes", "Wind River Linux LTS 21"))
        self.assertEqual((csup2.sheet, csup2.row), ("MDS2", 22))
        self.assertTrue(
            csup2.question.startswith("Does the device contain an Operating System?")
        )
        rmot = form.get("RMOT-1")
        self.assertEqual(rmot.value, "yes")
        self.assertEqual(
            rmot.detail, "site-to-site IPsec VPN to Perfusio service centre"
        )
        # The form's own misspelling SHAD-15 is SAHD-15.
        self.assertEqual(form.value("SAHD-15"), "yes")
        self.assertEqual(form.value("DOC-11.1"), "n/a")
        self.assertIsNone(form.get("PAUT-1"))

    def test_sample_proposals(self):
        form = read_mds2((SAMPLES / "volumat8_mds2_hn1-2019.xlsx").read_bytes())
        self.assertEqual(
            proposals(form),
            [
                Proposal(
                    "os_version_id",
                    "Wind River Linux LTS 21",
                    "CSUP-2",
                    "Yes — Wind River Linux LTS 21",
                ),
                Proposal(
                    "antivirus",
                    "none",
                    "MLDP-2",
                    "No — Application allow-listing and a read-only root file system "
                    "replace anti-malware software.",
                ),
                Proposal(
                    "patient_data",
                    True,
                    "MPII-1",
                    "Yes — Patient identifier and weight, received from the PDMS.",
                ),
                Proposal("is_connected", True, "CONN-1.2.1", "Yes"),
                Proposal("internet_access", False, "CONN-4", "No"),
                Proposal("vendor_firewall", True, "NAUT-2", "Yes"),
                Proposal("usb_locked", True, "CONN-1.2.2", "No"),
                Proposal(
                    "remote_maintenance_channel",
                    "supplier_vpn",
                    "RMOT-1",
                    "Yes, site-to-site IPsec VPN to Perfusio service centre",
                ),
                Proposal("patch_installer", "vendor", "CSUP-2.2", "Yes"),
                Proposal("patch_remote", True, "CSUP-2.3", "Yes"),
                Proposal("third_party_patches_allowed", False, "CSUP-2.4", "No"),
                Proposal("vendor_notifies_updates", True, "CSUP-7", "Yes"),
            ],
        )
        # Plain tuples for the model layer.
        field_name, value, question_id, _text = proposals(form)[1]
        self.assertEqual(
            (field_name, value, question_id), ("antivirus", "none", "MLDP-2")
        )
        self.assertEqual(
            [a.question_id for a in mds2.patching_answers(form)],
            [
                "CSUP-1",
                "CSUP-2.1",
                "CSUP-2.2",
                "CSUP-2.3",
                "CSUP-2.4",
                "CSUP-7",
                "CSUP-8",
            ],
        )

    def test_parse_answer(self):
        for text, expected in [
            ("Yes", ("yes", "")),
            ("yes, LDAP", ("yes", "LDAP")),
            ("Yes,optional", ("yes", "optional")),
            ("No", ("no", "")),
            ("No: No end-of-life components", ("no", "No end-of-life components")),
            ("N/A", ("n/a", "")),
            ("NA", ("n/a", "")),
            ("N/A: No default accounts", ("n/a", "No default accounts")),
            ("See Note", ("see_note", "")),
            ("____", (None, "")),
            ("", (None, "")),
            (None, (None, "")),
            ("Nothing to declare", (None, "Nothing to declare")),
            ("Perfusio Medical SAS", (None, "Perfusio Medical SAS")),
        ]:
            with self.subTest(text=text):
                self.assertEqual(mds2.parse_answer(text), expected)

    def test_question_ids(self):
        self.assertEqual(mds2.normalize_question_id(" mldp - 2.1 "), "MLDP-2.1")
        self.assertEqual(mds2.normalize_question_id("SHAD-15"), "SAHD-15")
        self.assertEqual(mds2.normalize_question_id("AUDT-2.8.1"), "AUDT-2.8.1")
        for text in ("MLDP", "ABCD-1", "MLDP-2.", "Note 1", None, "DOC-1 extra"):
            self.assertIsNone(mds2.normalize_question_id(text), text)

    def test_without_headers_and_moved_columns(self):
        """A manufacturer's own layout: no header row, an empty first column,
        question ids in column B."""
        data = workbook(
            [
                ["", "Manufacturer Disclosure Statement for Medical Device Security"],
                [
                    "",
                    "MPII-1",
                    "Can this device display… personally identifiable information?",
                    "No",
                ],
                [
                    "",
                    "MLDP-2",
                    "Does the device support the use of anti-malware software?",
                    "Yes",
                ],
                [
                    "",
                    "MLDP-2.3",
                    "Does the device documentation allow the owner/operator to "
                    "install or update anti-malware software?",
                    "Yes",
                    "McAfee ENS validated",
                ],
                [
                    "",
                    "RMOT-1",
                    "Does the device permit remote service connections?",
                    "No",
                ],
            ]
        )
        form = read_mds2(data)
        self.assertEqual(form.get("MLDP-2.3").note, "McAfee ENS validated")
        self.assertEqual(
            {(p.field_name, p.value, p.source_question_id) for p in proposals(form)},
            {
                ("patient_data", False, "MPII-1"),
                ("antivirus", "hospital", "MLDP-2.3"),
                ("remote_maintenance_channel", "none", "RMOT-1"),
            },
        )

    def test_ids_quoted_in_questions_are_not_rows(self):
        form = form_with({})
        # MLDP-3 quotes MLDP-2 in its question: MLDP-2 keeps its own answer.
        self.assertEqual(form.get("MLDP-2").value, "no")
        self.assertEqual(form.get("MLDP-3").value, "yes")


class TestProposals(unittest.TestCase):
    def test_antivirus(self):
        self.assertEqual(
            by_field(proposals(form_with({"MLDP-2": "Yes", "MLDP-2.1": "Yes"})))[
                "antivirus"
            ][1:3],
            ("vendor", "MLDP-2.1"),
        )
        self.assertEqual(
            by_field(proposals(form_with({"MLDP-2": "Yes", "MLDP-2.3": "Yes"})))[
                "antivirus"
            ][1:3],
            ("hospital", "MLDP-2.3"),
        )
        self.assertEqual(
            by_field(proposals(form_with({"MLDP-2": "Yes", "CSUP-4": "Yes"})))[
                "antivirus"
            ][1:3],
            ("vendor", "CSUP-4"),
        )
        # Supported, but neither shipped nor installable: no proposal.
        self.assertNotIn("antivirus", by_field(proposals(form_with({"MLDP-2": "Yes"}))))

    def test_network(self):
        found = by_field(proposals(form_with({"CONN-6": "Yes"})))
        self.assertEqual(found["internet_access"][1:3], (True, "CONN-6"))
        offline = {"CONN-1.2.1": "No", "CONN-1.1.1": "No", "CONN-3": "No"}
        found = by_field(proposals(form_with(offline)))
        self.assertEqual(found["is_connected"][1:3], (False, "CONN-3"))
        # One question unanswered: "not connected" is not proposed.
        found = by_field(proposals(form_with(dict(offline, **{"CONN-3": "____"}))))
        self.assertNotIn("is_connected", found)
        found = by_field(proposals(form_with({"CONN-1.2.2": "Yes", "NAUT-2": "No"})))
        self.assertNotIn("usb_locked", found)
        self.assertEqual(found["vendor_firewall"][1:3], (False, "NAUT-2"))

    def test_remote_service(self):
        found = by_field(proposals(form_with({"RMOT-1": "No"})))
        self.assertEqual(found["remote_maintenance_channel"].value, "none")
        found = by_field(
            proposals(
                form_with({"RMOT-1": ("Yes", "Through the hospital's bastion only")})
            )
        )
        self.assertEqual(found["remote_maintenance_channel"].value, "hospital_bastion")
        # Remote service, channel not said: the RSSI answers.
        self.assertNotIn(
            "remote_maintenance_channel",
            by_field(proposals(form_with({"RMOT-1": "Yes"}))),
        )

    def test_patching(self):
        def installer(answers):
            found = by_field(proposals(form_with(answers)))
            return found["patch_installer"][1:3] if "patch_installer" in found else None

        # No software to update: nothing else of the section applies.
        self.assertEqual(
            installer({"CSUP-1": "No", "CSUP-2.2": "N/A", "CSUP-8": "N/A"}),
            ("none", "CSUP-1"),
        )
        self.assertEqual(installer({"CSUP-8": "Yes"}), ("automatic", "CSUP-8"))
        self.assertEqual(
            installer({"CSUP-2.1": "Yes", "CSUP-2.2": "No"}), ("hospital", "CSUP-2.1")
        )
        # The manufacturer's service required, whatever the documentation says.
        self.assertEqual(
            installer({"CSUP-2.1": "Yes", "CSUP-2.2": "Yes"}), ("vendor", "CSUP-2.2")
        )
        self.assertIsNone(installer({"CSUP-2.1": "No", "CSUP-2.2": "No"}))
        found = by_field(
            proposals(form_with({"CSUP-2.3": "No", "CSUP-2.4": "Yes", "CSUP-7": "N/A"}))
        )
        self.assertEqual(found["patch_remote"][1:3], (False, "CSUP-2.3"))
        self.assertEqual(found["third_party_patches_allowed"][1:3], (True, "CSUP-2.4"))
        self.assertNotIn("vendor_notifies_updates", found)

    def test_operating_system(self):
        found = by_field(
            proposals(
                form_with({"CSUP-2": ("Yes, Windows 10 IoT Enterprise LTSC 2019", "")})
            )
        )
        self.assertEqual(
            found["os_version_id"].value, "Windows 10 IoT Enterprise LTSC 2019"
        )
        self.assertNotIn(
            "os_version_id", by_field(proposals(form_with({"CSUP-2": ("Yes", "")})))
        )
        self.assertNotIn(
            "os_version_id", by_field(proposals(form_with({"CSUP-2": ("No", "")})))
        )
        # SaMD: the operating system it contains.
        found = by_field(
            proposals(
                form_with({"CSUP-2": None, "DOC-11.1": ("Yes", "Ubuntu 22.04 LTS")})
            )
        )
        self.assertEqual(found["os_version_id"][1:3], ("Ubuntu 22.04 LTS", "DOC-11.1"))

    def test_unanswered_form_proposes_nothing(self):
        blank = {
            row[0]: ("", "") for _title, rows in GENERATOR.SECTIONS for row in rows
        }
        self.assertEqual(proposals(form_with(blank, notes=[])), [])


class TestErrors(unittest.TestCase):
    def assertMds2Error(self, data, code):
        with self.assertRaises(Mds2Error) as caught:
            read_mds2(data)
        self.assertEqual(caught.exception.code, code, str(caught.exception))
        self.assertIsInstance(caught.exception.template, LazyGettext)
        return caught.exception

    def test_not_a_workbook(self):
        self.assertMds2Error(b"", "empty")
        self.assertMds2Error(
            b"Question ID;Question\nMLDP-2;Anti-malware?;Yes\n", "not_workbook"
        )
        self.assertMds2Error(b"PK\x03\x04" + b"\x00" * 100, "not_workbook")
        with self.assertRaises(TypeError):
            read_mds2("MLDP-2")

    def test_no_questions(self):
        self.assertMds2Error(
            workbook([["Device", "Volumat 8"], ["Antivirus", "No"]]), "no_questions"
        )

    def test_duplicate_answers(self):
        data = workbook(
            [
                ["Question ID", "Question", "", "See note"],
                ["MLDP-2", "Anti-malware?", "No"],
                ["MLDP-2", "Anti-malware?", "Yes"],
            ]
        )
        error = self.assertMds2Error(data, "duplicate_question")
        self.assertEqual(
            error.params, {"question": "MLDP-2", "first": "No", "second": "Yes"}
        )
        # The same answer repeated (a form printed with its pages' headers) is fine.
        same = workbook(
            [["MLDP-2", "Anti-malware?", "No"], ["MLDP-2", "Anti-malware?", "No"]]
        )
        self.assertEqual(read_mds2(same).value("MLDP-2"), "no")


class TestMatchOsVersion(unittest.TestCase):
    CANDIDATES = [
        (1, "Microsoft", "Windows 10 IoT Enterprise LTSC 2019"),
        (2, "Wind River", "VxWorks 6.9"),
        (3, "Wind River", "Linux LTS 21"),
        (4, "Vendor A", "Embedded Linux"),
        (5, "Vendor B", "Embedded Linux"),
    ]

    def test_name_or_vendor_and_name(self):
        match = mds2.match_os_version
        self.assertEqual(
            match("Windows 10 IoT Enterprise LTSC 2019", self.CANDIDATES), 1
        )
        self.assertEqual(
            match("microsoft  windows 10 iot enterprise ltsc 2019", self.CANDIDATES), 1
        )
        self.assertEqual(match("Wind River Linux LTS 21", self.CANDIDATES), 3)
        self.assertEqual(match("Wind River VxWorks, 6.9", self.CANDIDATES), 2)

    def test_no_match(self):
        match = mds2.match_os_version
        self.assertIsNone(match("Windows 10", self.CANDIDATES))
        self.assertIsNone(match("VxWorks 7", self.CANDIDATES))
        self.assertIsNone(match("", self.CANDIDATES))
        self.assertIsNone(match("Linux", []))
        # Two vendors' "Embedded Linux": the text does not say which.
        self.assertIsNone(match("Embedded Linux", self.CANDIDATES))
        self.assertEqual(match("Vendor B Embedded Linux", self.CANDIDATES), 5)
