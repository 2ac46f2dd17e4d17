"""The declaration summary of an incident as printed (wkhtmltopdf with the
running server's stylesheets, read back with pdftotext): the hospital's
header, the fields of the ANSM form, the device as it was when reported."""

from odoo.tests import HttpCase, tagged

from .common import MedicalDeviceCase
from .pdf_text import pdf_pages, pdftotext_available, squeezed

REPORT = "medical_device.action_report_dm_vigilance_incident"
HOSPITAL = "Centre Hospitalier Test Vigilance"
UDI = "(01)03760123450010(11)220829(10)L2208A(21)PDF-MV-1"


@tagged("post_install", "-at_install", "dm_http")
class TestVigilancePdf(MedicalDeviceCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.name = HOSPITAL
        cls.report = cls.env["ir.actions.report"]

    def setUp(self):
        super().setUp()
        if self.report.get_wkhtmltopdf_state() != "ok" or not pdftotext_available():
            self.skipTest("wkhtmltopdf and pdftotext (poppler-utils) are needed")

    def test_declaration_summary_has_the_ansm_fields(self):
        device = self.device_in_service(
            serial_no="PDF-MV-1",
            udi_carrier=UDI,
            trade_name="Agilia SP MC",
            common_name="Syringe pump",
        )
        incident = (
            self.env["dm.vigilance.incident"]
            .with_user(self.users["technician"])
            .create(
                {
                    "equipment_id": device.id,
                    "service": "Intensive care",
                    "patient_consequence": "serious_deterioration",
                    "description": "Unexpected bolus when the syringe was changed.",
                    "actions_taken": "Pump set aside with its syringe and line.",
                }
            )
        )
        pharmacist = self.users["pharmacist"]
        incident.with_user(pharmacist).write(
            {"ansm_reference": "R2611042", "ansm_declaration_date": "2026-11-30"}
        )
        incident.with_user(pharmacist).action_declare()
        # The device changes after the incident: the summary names it as it was.
        device.with_user(self.users["engineer"]).write(
            {"udi_carrier": "(01)03760123450010(10)L9999Z(21)PDF-MV-1"}
        )
        pdf, kind = (
            self.report.with_user(pharmacist)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT, incident.ids)
        )
        self.assertEqual(kind, "pdf")
        text = "\n".join(pdf_pages(pdf))
        self.assertIn(HOSPITAL, text)
        self.assertLess(text.index(HOSPITAL), text.index(incident.name))
        for expected in (
            "Reporting establishment",
            "Matériovigilance correspondent",
            pharmacist.name,
            "Syringe pump",
            "Agilia SP MC",
            "03760123450010",
            "L2208A",
            "Intensive care",
            "Serious deterioration of health",
            "Unexpected bolus",
            "Pump set aside",
            "R2611042",
        ):
            with self.subTest(expected=expected):
                self.assertIn(squeezed(expected), squeezed(text))
        self.assertNotIn("L9999Z", text)
        self.assertIn("☑ Yes", text)
