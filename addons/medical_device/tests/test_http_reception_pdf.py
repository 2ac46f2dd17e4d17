"""The printed PV as the hospital files it, rendered by wkhtmltopdf with the
stylesheets of the running server (an HTTP test: the assets are served) and
read back with pdftotext: the hospital's name and logo on top, the decision
and the signatures on one page, the PIEU score as a person writes it, nothing
cut at the right edge, and text that can be searched."""

import subprocess
import tempfile

from odoo.tests import HttpCase, tagged

from .common import MedicalDeviceCase, pieu_levels
from .pdf_text import (
    pdf_columns,
    pdf_pages,
    pdf_words,
    pdftotext_available,
    squeezed,
)

REPORT = "medical_device.action_report_dm_reception"
HOSPITAL = "Centre Hospitalier Test Saint-Exupery"
# A serial without spaces or hyphens, longer than its cell is wide.
LONG_SERIAL = "SN" + "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ" * 2


@tagged("post_install", "-at_install", "dm_http")
class TestReceptionPdf(MedicalDeviceCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.company.name = HOSPITAL
        cls.report = cls.env["ir.actions.report"]

    def setUp(self):
        super().setUp()
        if self.report.get_wkhtmltopdf_state() != "ok" or not pdftotext_available():
            self.skipTest("wkhtmltopdf and pdftotext (poppler-utils) are needed")

    def render(self, reception, user="engineer"):
        pdf, kind = (
            self.report.with_user(self.users[user])
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT, reception.ids)
        )
        self.assertEqual(kind, "pdf")
        return pdf

    def accepted(self, serial, pieu, notes=None, reader_lang="en_US"):
        device = self.create_device(serial_no=serial)
        device.with_user(self.users["technician"]).action_to_reception()
        reception = self.reception_ready(device, pieu=pieu)
        reception.received_by_id.lang = reader_lang
        if notes:
            reception.notes = notes
        reception.with_user(self.users["engineer"]).action_accept()
        return reception

    def test_header_carries_the_hospital_name_and_logo(self):
        reception = self.accepted("PDF-HEAD-1", self.pieu_syringe_pump)
        pdf = self.render(reception)
        first_page = pdf_pages(pdf)[0]
        self.assertIn(HOSPITAL, first_page)
        # the hospital's name comes before the title of the document
        self.assertLess(first_page.index(HOSPITAL), first_page.index(reception.name))
        with tempfile.NamedTemporaryFile(suffix=".pdf") as source:
            source.write(pdf)
            source.flush()
            images = subprocess.run(
                ["pdfimages", "-list", "-f", "1", "-l", "1", source.name],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.splitlines()[2:]
        self.assertTrue(images, "the company's logo is printed on the first page")

    def test_scores_read_as_written(self):
        # syringe pump: 1 x 2 x 3 x 2 = 12, not "12,0000"
        pump = self.accepted(
            "PDF-SCORE-12", self.pieu_syringe_pump, reader_lang="fr_FR"
        )
        text = "\n".join(pdf_pages(self.render(pump)))
        self.assertRegex(text, r"(?m)^\s*12\s*$|\s12\s")
        self.assertNotIn("12,0000", text)
        self.assertNotIn("12.0000", text)
        # CT scanner: 0.01 x 0.01 x 3 x 1, in the reader's decimal point
        scanner = self.accepted(
            "PDF-SCORE-CT",
            pieu_levels(self.env, "0_01", "0_01", 3, 1),
            reader_lang="fr_FR",
        )
        text = "\n".join(pdf_pages(self.render(scanner)))
        self.assertIn("0,0003", text)

    def test_no_factors_reads_not_assessed_not_zero(self):
        device = self.create_device(serial_no="PDF-NO-PIEU")
        device.with_user(self.users["technician"]).action_to_reception()
        reception = (
            self.env["dm.reception"]
            .with_user(self.users["technician"])
            .create({"equipment_id": device.id})
        )
        text = "\n".join(pdf_pages(self.render(reception)))
        self.assertIn("Not assessed", text)
        self.assertNotIn("0.0000", text)

    def test_decision_and_signatures_stay_together(self):
        # Remarks long enough to push the decision to the end of page 1.
        notes = "".join(
            f"<p>Remark {n}: the accessories were checked one by one.</p>"
            for n in range(1, 19)
        )
        reception = self.accepted("PDF-KEEP-1", self.pieu_syringe_pump, notes=notes)
        pages = pdf_pages(self.render(reception))
        self.assertGreater(len(pages), 1, "the remarks fill the first page")
        signature = [
            i for i, page in enumerate(pages) if "Signature of the receiver" in page
        ]
        self.assertEqual(len(signature), 1)
        page = pages[signature[0]]
        # the whole decision table is on the signatures' page
        for label in (
            "Decision",
            "Biomedical engineer",
            "Comment",
            "Accepted",
            "Signature of the biomedical engineer",
        ):
            self.assertIn(label, page)

    def test_nothing_cut_at_the_right_edge(self):
        reception = self.accepted(LONG_SERIAL, self.pieu_syringe_pump)
        pdf = self.render(reception)
        columns = [squeezed(column) for column in pdf_columns(pdf)]
        self.assertTrue(any(LONG_SERIAL in column for column in columns))
        words = pdf_words(pdf)
        self.assertGreater(len(words), 100, "the text of the PV can be searched")
        for page, width, word, _x_min, x_max in words:
            with self.subTest(page=page, word=word):
                self.assertLessEqual(x_max, width - 10)
