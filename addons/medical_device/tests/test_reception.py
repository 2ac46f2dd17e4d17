import io

from PyPDF2 import PdfFileReader

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import MedicalDeviceCase


@tagged("post_install", "-at_install")
class TestReception(MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.device = cls.Equipment.with_user(cls.users["engineer"]).create(
            cls._acquisition_vals(serial_no="SP-REC-1", **cls._regulatory_vals())
        )
        cls.device.with_user(cls.users["technician"]).action_to_reception()

    def test_reception_gets_a_reference_and_the_device_pieu(self):
        self.device.write(self.pieu_ct)
        reception = (
            self.env["dm.reception"]
            .with_user(self.users["technician"])
            .create({"equipment_id": self.device.id})
        )
        self.assertRegex(reception.name, r"^PV/\d{4}/\d{4}$")
        self.assertEqual(reception.pieu_p_id.id, self.pieu_ct["pieu_p_id"])
        self.assertEqual(reception.state, "draft")

    def test_only_an_engineer_decides(self):
        reception = self.reception_ready(self.device)
        for role in ("technician", "pharmacist", "rssi", "dpo", "auditor"):
            with self.assertRaises(AccessError, msg=role):
                reception.with_user(self.users[role]).action_accept()
        reception.with_user(self.users["engineer"]).action_accept()
        self.assertEqual(reception.state, "accepted")
        self.assertEqual(reception.decided_by_id, self.users["engineer"])
        self.assertTrue(self.device.reception_accepted)
        self.assertEqual(self.device.pieu_criticality, "low")

    def test_decision_cannot_be_written_directly(self):
        reception = self.reception_ready(self.device)
        for role in ("technician", "engineer"):
            with self.assertRaisesRegex(UserError, "Accept and Reject"):
                reception.with_user(self.users[role]).write({"state": "accepted"})
            with self.assertRaisesRegex(UserError, "Accept and Reject"):
                reception.with_user(self.users[role]).with_context(
                    dm_reception_decision=True
                ).write({"state": "accepted", "decided_by_id": self.users[role].id})
        with self.assertRaisesRegex(UserError, "created to decide"):
            self.env["dm.reception"].with_user(self.users["engineer"]).create(
                {"equipment_id": self.device.id, "state": "accepted"}
            )
        self.assertEqual(reception.state, "draft")
        self.assertFalse(self.device.reception_accepted)

    def test_accept_needs_every_criterion_and_pieu(self):
        reception = self.reception_ready(self.device)
        session = reception.training_session_id
        reception.write({"check_documentation": False})
        # The user training is the register's: without its session, it is missing.
        session.with_user(self.users["technician"]).action_archive()
        with self.assertRaisesRegex(
            UserError, "Documentation in French, a training session"
        ):
            reception.with_user(self.users["engineer"]).action_accept()
        reception.write({"check_documentation": True})
        session.with_user(self.users["technician"]).action_unarchive()
        reception.write({"pieu_u_id": False})
        with self.assertRaisesRegex(UserError, "four PIEU"):
            reception.with_user(self.users["engineer"]).action_accept()
        self.assertEqual(reception.state, "draft")

    def test_reject_needs_a_comment_and_keeps_the_device_in_reception(self):
        reception = self.reception_ready(self.device)
        engineer = self.users["engineer"]
        with self.assertRaisesRegex(UserError, "why"):
            reception.with_user(engineer).action_reject()
        reception.with_user(self.users["technician"]).write(
            {"decision_comment": "Missing French manual"}
        )
        reception.with_user(engineer).action_reject()
        self.assertEqual(reception.state, "rejected")
        with self.assertRaisesRegex(UserError, "reception report accepted"):
            self.device.with_user(self.users["technician"]).action_put_in_service()

    def test_decided_reception_is_frozen_and_kept(self):
        reception = self.reception_ready(self.device)
        reception.with_user(self.users["engineer"]).action_accept()
        with self.assertRaisesRegex(UserError, "already decided"):
            reception.with_user(self.users["engineer"]).write({"notes": "<p>late</p>"})
        with self.assertRaisesRegex(UserError, "already decided"):
            reception.with_user(self.users["engineer"]).action_reject()
        with self.assertRaisesRegex(UserError, "device history"):
            reception.with_user(self.users["engineer"]).unlink()

    def test_auditor_reads_but_cannot_create(self):
        reception = self.reception_ready(self.device)
        auditor = self.users["auditor"]
        self.assertEqual(reception.with_user(auditor).name, reception.name)
        with self.assertRaises(AccessError):
            self.env["dm.reception"].with_user(auditor).create(
                {"equipment_id": self.device.id}
            )
        with self.assertRaises(AccessError):
            self.env["dm.reception"].with_user(self.users["internal"]).search([])

    def test_receptions_of_another_company_are_invisible(self):
        other_company = self.env["res.company"].create({"name": "CHU Annexe"})
        other_device = self.Equipment.create(
            self._acquisition_vals(serial_no="SP-OTHER", company_id=other_company.id)
        )
        other_reception = self.env["dm.reception"].create(
            {"equipment_id": other_device.id}
        )
        self.assertEqual(other_reception.company_id, other_company)
        visible = (
            self.env["dm.reception"]
            .with_user(self.users["engineer"])
            .search([("id", "=", other_reception.id)])
        )
        self.assertFalse(visible)

    def test_pv_report_renders(self):
        reception = self.reception_ready(self.device)
        reception.with_user(self.users["engineer"]).action_accept()
        report = self.env["ir.actions.report"]
        html, _ = report._render_qweb_html(
            "medical_device.action_report_dm_reception", reception.ids
        )
        html = html.decode()
        self.assertIn("SP-REC-1", html)
        self.assertIn("Documentation in French", html)
        self.assertIn(reception.name, html)

        if report.get_wkhtmltopdf_state() != "ok":
            self.skipTest("wkhtmltopdf is not installed")
        # wkhtmltopdf fetches the stylesheets from report.url: point it at a closed
        # local port so it never waits on a server that does not answer.
        self.env["ir.config_parameter"].sudo().set_param(
            "report.url", "http://127.0.0.1:9"
        )
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            "medical_device.action_report_dm_reception", reception.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        text = "".join(
            page.extract_text() for page in PdfFileReader(io.BytesIO(pdf)).pages
        )
        self.assertIn("SP-REC-1", text)
