"""The continuity sheet of a service, printed by wkhtmltopdf with the
stylesheets of the running server and read back with pdftotext: every device
of the service with its degraded modes, fallback devices, maximum downtime,
who restores and the last exercise; a very critical device without a plan
says so; printed from the service and from the list of plans alike."""

from datetime import date, timedelta

from odoo import Command
from odoo.addons.medical_device.tests.common import MedicalDeviceCase
from odoo.addons.medical_device.tests.pdf_text import (
    pdf_pages,
    pdftotext_available,
    squeezed,
)
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

REPORT = "dm_cyber.action_report_dm_continuity_sheet"
REPORT_PLANS = "dm_cyber.action_report_dm_continuity_sheet_plans"
HOSPITAL = "Centre Hospitalier Test Continuite"
DEGRADED = "Send the emergencies to the partner hospital's scanner"
NETWORK = "Stand-alone acquisition, images burnt on DVD"


@tagged("post_install", "-at_install", "dm_http")
class TestContinuitySheetPdf(MedicalDeviceCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.name = HOSPITAL
        cls.report = cls.env["ir.actions.report"]
        cls.service = cls.env["hr.department"].create({"name": "Imagerie PDF"})
        cls.other_service = cls.env["hr.department"].create({"name": "Blocs PDF"})
        cls.supplier = cls.env["res.partner"].create(
            {"name": "Scanner Service SAS", "is_company": True}
        )

        def device(name, service, **extra):
            # sudo: only imports (superuser) bring a device past acquisition.
            return cls.Equipment.sudo().create(
                cls._acquisition_vals(
                    name=name,
                    serial_no=f"PDF-{name}",
                    lifecycle_state="in_service",
                    is_connected=True,
                    antivirus="hospital",
                    equipment_assign_to="department",
                    department_id=service.id,
                    **{**cls.pieu_ct, **extra},
                )
            )

        cls.ct = device("CT Continuity", cls.service, model="Revolution PDF")
        cls.mri = device("MRI Without Plan", cls.service, model="Vida PDF")
        cls.fallback = device("Ultrasound Fallback", cls.other_service)
        cls.elsewhere = device("Anaesthesia Elsewhere", cls.other_service)
        cls.plan = (
            cls.env["dm.continuity.plan"]
            .with_user(cls.users["rssi"])
            .create(
                {
                    "name": "Emergency CT plan",
                    "equipment_id": cls.ct.id,
                    "degraded_mode": DEGRADED,
                    "degraded_mode_network": NETWORK,
                    "fallback_equipment_ids": [Command.set(cls.fallback.ids)],
                    "restorer_partner_id": cls.supplier.id,
                    "restorer_user_id": cls.users["engineer"].id,
                    "max_downtime_hours": 4,
                    "last_exercised_on": date.today() - timedelta(days=20),
                }
            )
        )

    def setUp(self):
        super().setUp()
        if self.report.get_wkhtmltopdf_state() != "ok" or not pdftotext_available():
            self.skipTest("wkhtmltopdf and pdftotext (poppler-utils) are needed")

    def render(self, user, report, ids):
        pdf, kind = (
            self.report.with_user(self.users[user])
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, ids)
        )
        self.assertEqual(kind, "pdf")
        return squeezed("\n".join(pdf_pages(pdf)))

    def test_sheet_of_a_service(self):
        text = self.render("technician", REPORT, self.service.ids)
        self.assertIn(squeezed(HOSPITAL), text)
        self.assertIn(squeezed("Continuity sheet: Imagerie PDF"), text)
        for value in (
            "CT Continuity",
            DEGRADED,
            NETWORK,
            "Ultrasound Fallback",
            "Scanner Service SAS",
            self.users["engineer"].name,
            "4.0 h",
            "Emergency CT plan",
            "MRI Without Plan",
            "No continuity plan.",
            "A very critical connected device needs one.",
        ):
            with self.subTest(value=value):
                self.assertIn(squeezed(value), text)
        # only this service's devices
        self.assertNotIn(squeezed("Anaesthesia Elsewhere"), text)

    def test_sheets_from_the_plans(self):
        text = self.render("engineer", REPORT_PLANS, self.plan.ids)
        self.assertIn(squeezed("Continuity sheet: Imagerie PDF"), text)
        self.assertIn(squeezed(DEGRADED), text)
        self.assertNotIn(squeezed("Blocs PDF"), text)

    def test_only_medical_device_roles_print_it(self):
        with self.assertRaises(AccessError):
            self.render("internal", REPORT, self.service.ids)
