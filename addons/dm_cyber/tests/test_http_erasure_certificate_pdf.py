"""The certificate of sanitisation as filed for years, rendered by wkhtmltopdf
with the stylesheets of the running server and read back with pdftotext: long
serial numbers, hashes and tool versions are wrapped inside their cells, never
cut at the right edge; the hospital's name heads it; its text can be searched."""

from odoo import fields
from odoo.addons.medical_device.tests.common import MedicalDeviceCase
from odoo.addons.medical_device.tests.pdf_text import (
    pdf_columns,
    pdf_pages,
    pdf_words,
    pdftotext_available,
    squeezed,
)
from odoo.tests import HttpCase, tagged

REPORT = "dm_cyber.action_report_dm_erasure_certificate"
HOSPITAL = "Centre Hospitalier Test Saint-Exupery"
# Longer than their cells are wide, without spaces to break on.
DEVICE_SERIAL = "CONSOLE" + "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ" * 2
MEDIUM_SERIAL = "WDWCC4N7KJ2P9XS3Z9NB0K612345A" + "9f86d081884c7d659a2feaa0c55ad015" * 2
TOOL_VERSION = "BlanccoDriveEraser7.11.2build20240517x86_64UEFISecureBootSigned"


@tagged("post_install", "-at_install", "dm_http")
class TestErasureCertificatePdf(MedicalDeviceCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.name = HOSPITAL
        cls.report = cls.env["ir.actions.report"]
        cls.recycler = cls.env["res.partner"].create(
            {"name": "Recyclage DEEE Sud", "is_company": True}
        )

    def setUp(self):
        super().setUp()
        if self.report.get_wkhtmltopdf_state() != "ok" or not pdftotext_available():
            self.skipTest("wkhtmltopdf and pdftotext (poppler-utils) are needed")

    def disposed(self):
        """A device holding patient data, its two media sanitised, verified,
        signed off and disposed of: the certificate is issued."""
        device = self.device_in_service(
            serial_no=DEVICE_SERIAL, patient_data=True, data_hosting="device"
        )
        disposal = (
            self.env["dm.disposal"]
            .with_user(self.users["technician"])
            .create(
                {
                    "equipment_id": device.id,
                    "reason": "obsolete",
                    "destination": "recycler",
                    "recipient_id": self.recycler.id,
                    "recycler_certificate_ref": "DEEE-2026-0042",
                }
            )
        )
        disposal.with_user(self.users["engineer"]).action_confirm()
        Medium = self.env["dm.erasure.medium"].with_user(self.users["technician"])
        media = (
            ("ssd", MEDIUM_SERIAL, "sampling"),
            ("removable_card", "SD-1", "visual"),
        )
        for media_type, serial, verification in media:
            medium = Medium.create(
                {
                    "disposal_id": disposal.id,
                    "media_type": media_type,
                    "serial_no": serial,
                }
            )
            medium.write(
                {
                    "executed_on": fields.Date.today(),
                    "result": "success",
                    "verification_method": verification,
                    "sanitiser_name": "Julien Moreau",
                    "sanitiser_title": "Biomedical technician",
                    "tool": "Blancco Drive Eraser",
                    "tool_version": TOOL_VERSION,
                }
            )
            medium.action_record_execution()
        disposal.with_user(self.users["technician"]).action_submit_verification()
        disposal.with_user(self.users["rssi"]).action_verify()
        disposal.with_user(self.users["dpo"]).action_sign_off()
        disposal.with_user(self.users["engineer"]).action_dispose()
        return disposal

    def test_nothing_is_cut_at_the_right_edge(self):
        disposal = self.disposed()
        pdf, kind = (
            self.report.with_user(self.users["engineer"])
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT, disposal.ids)
        )
        self.assertEqual(kind, "pdf")
        pages = pdf_pages(pdf)
        self.assertIn(HOSPITAL, pages[0])
        columns = [squeezed(column) for column in pdf_columns(pdf)]
        for value in (DEVICE_SERIAL, MEDIUM_SERIAL, TOOL_VERSION):
            with self.subTest(value=value):
                self.assertTrue(any(value in column for column in columns))
        words = pdf_words(pdf)
        self.assertGreater(len(words), 100, "the certificate's text can be searched")
        for page, width, word, _x_min, x_max in words:
            with self.subTest(page=page, word=word):
                self.assertLessEqual(x_max, width - 10)
        # the sign-off and the signatures are on one page
        signature = [
            i for i, page in enumerate(pages) if "Data protection officer" in page
        ]
        self.assertEqual(len(signature), 1)
        self.assertIn("Verification and sign-off", pages[signature[0]])
