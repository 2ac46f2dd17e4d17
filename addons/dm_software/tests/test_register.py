import base64
import io
import zipfile

import openpyxl

from odoo.addons.medical_device.tools.spreadsheet import FORMULA_PREFIXES
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import AI_NODULE_DETECTOR, PACS_VIEWER, SoftwareCase


@tagged("post_install", "-at_install")
class TestRegister(SoftwareCase):
    def test_access_by_role(self):
        for role in ("technician", "pharmacist", "engineer"):
            software = self.create_software(user=role, name=f"Software {role}")
            self.assertEqual(software.create_uid, self.users[role])
            self.assertEqual(software.lifecycle_state, "request")
            self.assertEqual(software.qualification_state, "to_qualify")
        software = self.create_software()
        for role in ("auditor", "rssi", "dpo", "internal", "referent"):
            user = self.users[role]
            self.assertEqual(software.with_user(user).name, "Chest X-ray triage")
            with self.assertRaises(AccessError, msg=role):
                self.create_software(user=role)
            with self.assertRaises(AccessError, msg=role):
                software.with_user(user).write({"services": "Radiology"})

    def test_regulatory_fields_are_tracked(self):
        software = self.create_software()
        self.flush_tracking()
        software.with_user(self.users["pharmacist"]).write(
            {
                "ce_regime": "mdr",
                "notified_body_number": "0459",
                "intended_purpose": "New purpose",
                "hosting": "supplier_cloud",
            }
        )
        self.qualify(software, AI_NODULE_DETECTOR)
        tracked = self.tracked_fields(software)
        for fname in (
            "ce_regime",
            "notified_body_number",
            "intended_purpose",
            "hosting",
            "is_medical_device",
            "dm_risk_class",
            "qualification_state",
        ):
            self.assertIn(fname, tracked)

    def test_udi_codes_reuse_the_device_parser(self):
        software = self.create_software(udi_di="10050428383077")
        self.assertEqual(software.udi_di, "10050428383077")
        software.with_user(self.users["pharmacist"]).write(
            {"udi_di": "(01)10050428383077(10)LOT1"}
        )
        self.assertEqual(software.udi_di, "10050428383077")
        with self.assertRaisesRegex(ValidationError, "check digit"):
            software.with_user(self.users["pharmacist"]).write(
                {"udi_di": "10050428383078"}
            )
        with self.assertRaisesRegex(ValidationError, "14 digits"):
            software.with_user(self.users["pharmacist"]).write({"udi_di": "12345"})
        software.with_user(self.users["pharmacist"]).write(
            {"basic_udi_di": " 0123456softwareab "}
        )
        self.assertEqual(software.basic_udi_di, "0123456SOFTWAREAB")
        with self.assertRaisesRegex(ValidationError, "Basic UDI-DI"):
            software.with_user(self.users["pharmacist"]).write(
                {"basic_udi_di": "A" * 26}
            )
        with self.assertRaisesRegex(ValidationError, "4 digits"):
            software.with_user(self.users["pharmacist"]).write(
                {"notified_body_number": "12A4"}
            )

    def test_ce_regime_must_fit_the_class(self):
        software = self.create_software()
        self.qualify(software, AI_NODULE_DETECTOR)
        with self.assertRaisesRegex(ValidationError, "does not fit"):
            software.with_user(self.users["pharmacist"]).write({"ce_regime": "ivdr"})

    def test_history_is_archived_not_deleted(self):
        draft = self.create_software(name="Mistake")
        draft.with_user(self.users["engineer"]).unlink()
        software = self.create_software()
        self.qualify(software, PACS_VIEWER)
        with self.assertRaisesRegex(UserError, "archive it"):
            software.with_user(self.users["engineer"]).unlink()
        software.with_user(self.users["engineer"]).action_archive()
        self.assertFalse(software.active)
        site = self.env["dm.software.site"].create({"name": "Annex"})
        received = self.received_software()
        self.install(self.validated_version(received, "9.0"), site=site)
        with self.assertRaisesRegex(UserError, "archive it"):
            site.with_user(self.users["engineer"]).unlink()

    def test_dm_software_filter(self):
        dm_software = self.create_software(name="Nodule AI")
        self.qualify(dm_software, AI_NODULE_DETECTOR)
        pacs = self.create_software(name="PACS")
        self.qualify(pacs, PACS_VIEWER)
        found = self.Software.with_user(self.users["auditor"]).search(
            [("is_medical_device", "=", True), ("id", "in", (dm_software | pacs).ids)]
        )
        self.assertEqual(found, dm_software)

    def test_multi_company(self):
        other_company = self.env["res.company"].create({"name": "Other hospital"})
        software = self.create_software()
        foreign = self.Software.sudo().create(
            {"name": "Foreign software", "company_id": other_company.id}
        )
        visible = self.Software.with_user(self.users["auditor"]).search(
            [("id", "in", (software | foreign).ids)]
        )
        self.assertEqual(visible, software)

    def test_has_mapping_export_neutralises_formulas(self):
        """Texts a spreadsheet would run (``=HYPERLINK(…)``…) are written as
        texts behind a ``'``, never as formulas."""
        hostile = {
            "Software": '=HYPERLINK("http://x","y")',
            "Publisher": "\t=1",
            "Intended purpose": "+1+1",
            "Services": "-2+3",
        }
        publisher = self.env["res.partner"].create({"name": hostile["Publisher"]})
        software = self.create_software(
            name=hostile["Software"],
            publisher_id=publisher.id,
            intended_purpose=hostile["Intended purpose"],
            services=hostile["Services"],
        )
        action = software.with_user(self.users["auditor"]).action_export_has_mapping()
        attachment_id = int(action["url"].split("/")[3].split("?")[0])
        content = base64.b64decode(
            self.env["ir.attachment"].browse(attachment_id).datas
        )
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            self.assertNotIn("<f>", archive.read("xl/worksheets/sheet1.xml").decode())
        header, row = openpyxl.load_workbook(io.BytesIO(content)).active.values
        exported = dict(zip(header, row, strict=True))
        for label in hostile:
            self.assertEqual(exported[label], "'" + hostile[label], label)
        for cell in row:
            self.assertFalse(str(cell or "").startswith(FORMULA_PREFIXES), cell)

    def test_has_mapping_export(self):
        software = self.software_in_use(
            contains_ai=True, services="Radiology, emergency"
        )
        software.with_user(self.users["pharmacist"]).write(
            {"trained_user_ids": [(6, 0, self.users["clinician"].ids)]}
        )
        plan = software.qc_plan_ids
        self.env["dm.software.qc.record"].with_user(self.users["referent"]).create(
            {"plan_id": plan.id, "date": "2026-03-02", "cases_checked": 30}
        )
        rows = software.with_user(self.users["auditor"])._has_mapping_rows()
        self.assertEqual(len(rows), 2)
        row = dict(zip(rows[0], rows[1], strict=True))
        self.assertEqual(row["Software"], "Chest X-ray triage")
        self.assertEqual(row["Risk class"], "Class IIa")
        self.assertIn("0459", row["CE marking"])
        self.assertEqual(row["Contains AI"], "Yes")
        self.assertEqual(row["Referent"], self.users["referent"].name)
        self.assertEqual(row["Trained users"], self.users["clinician"].name)
        self.assertEqual(row["Last quality control"], "2026-03-02")
        self.assertEqual(row["Result"], "Pass")
        self.assertEqual(row["Version"], "1.0")

        action = software.with_user(self.users["auditor"]).action_export_has_mapping()
        attachment_id = int(action["url"].split("/")[3].split("?")[0])
        attachment = self.env["ir.attachment"].browse(attachment_id)
        self.assertTrue(attachment.name.endswith(".xlsx"))
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        sheet = book.active
        self.assertEqual(sheet.cell(1, 1).value, "Software")
        self.assertEqual(sheet.cell(2, 1).value, "Chest X-ray triage")
        # Without a selection: every medical device software not withdrawn.
        pacs = self.create_software(name="PACS")
        self.qualify(pacs, PACS_VIEWER)
        everything = self.Software.with_user(self.users["auditor"])
        action = everything.action_export_has_mapping()
        self.assertEqual(action["type"], "ir.actions.act_url")
