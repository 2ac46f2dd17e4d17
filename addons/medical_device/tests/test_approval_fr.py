"""Approvals read in the reader's language, whoever requested them, and are
decided on the document, by the role, four eyes kept."""

import re
from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools.misc import get_lang

from ..tools import approval_values
from .common import MedicalDeviceCase

# Words that betray an English text in a French screen (whole words).
ENGLISH = (
    "Approval",
    "Approved",
    "Pending",
    "Rejected",
    "requested",
    "Yes",
    "No",
    "Connected",
    "Operating system",
    "Data-processing contract",
    "Patient data",
    "Supplier",
    "Reception",
    "In service",
    "Sign-off",
    "Erasure",
    "Verification",
    "Network connection",
    "Acceptance",
    "years",
)
ENGLISH_RE = re.compile(r"\b({})\b".format("|".join(map(re.escape, ENGLISH))))


@tagged("post_install", "-at_install")
class TestApprovalInFrench(MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        # The French of the rules' names, fields and selections (database
        # terms, loaded when the language is installed; not in a test
        # database installed in English).
        modules = (
            cls.env["ir.module.module"]
            .search(
                [
                    ("name", "in", ["medical_device", "dm_cyber", "dm_software"]),
                    ("state", "=", "installed"),
                ]
            )
            .mapped("name")
        )
        cls.env["ir.module.module"]._load_module_terms(modules, ["fr_FR"])
        # The requester reads English; the reviewers read French.
        cls.users["technician"].lang = "en_US"
        for role in ("dpo", "auditor"):
            cls.users[role].lang = "fr_FR"
        cls.users["dpo2"] = new_test_user(
            cls.env,
            login="test_dm_dpo_fr2",
            groups="medical_device.group_dm_dpo",
            lang="fr_FR",
        )

    def assertFrench(self, text, what):
        found = ENGLISH_RE.findall(text or "")
        self.assertFalse(found, f"{what} reads English {found}: {text!r}")

    def requested_line(self):
        device = self.create_device(
            serial_no="FR-CLOUD-1",
            patient_data=True,
            data_hosting="cloud",
            dpa_reference="DPA-FR-2026",
            hds_certified=True,
        )
        device.with_user(self.users["technician"]).action_request_approvals()
        return device, device._dm_current_line("dpo_data_contract")

    def test_every_rule_reads_french(self):
        rules = (
            self.env["dm.approval.rule"]
            .with_context(lang="fr_FR", active_test=False)
            .search([])
        )
        self.assertTrue(rules)
        for rule in rules:
            self.assertFrench(rule.name, f"rule {rule.key}")
            self.assertFrench(rule.step_label, f"step of rule {rule.key}")

    def test_texts_render_in_the_readers_language(self):
        _device, line = self.requested_line()
        dpo = self.users["dpo"]
        # Requested by an English user, read by a French one.
        line_fr = line.with_user(dpo).with_context(lang="fr_FR")
        texts = {
            "name": line_fr.display_name,
            "step": line_fr.step_display,
            "summary": line_fr.data_summary,
            "brief": line_fr.data_brief,
            "state": dict(line_fr._fields["state"]._description_selection(line_fr.env))[
                line_fr.state
            ],
            "role": line_fr._role_label(),
        }
        for what, text in texts.items():
            self.assertTrue(text, what)
            self.assertFrench(text, what)
        self.assertIn("DPA-FR-2026", line_fr.data_summary)
        self.assertIn("Oui", line_fr.data_summary)
        # The same line, read by an English user, reads English: nothing is
        # frozen in the requester's language.
        line_en = line.with_user(self.users["dpo2"]).with_context(lang="en_US")
        self.assertIn("Yes", line_en.data_summary)
        self.assertIn("Data-processing contract", line_en.display_name)
        # The reviewer's activity is written in the reviewer's language.
        activity = line.sudo().activity_ids.filtered(lambda a: a.user_id == dpo)
        self.assertTrue(activity)
        self.assertFrench(activity.summary, "activity summary")
        self.assertFrench(activity.note, "activity note")
        self.assertIn("DPA-FR-2026", str(activity.note))

    def test_dates_in_the_readers_format(self):
        Equipment = self.Equipment.with_context(lang="fr_FR")
        shown = approval_values.render_value(
            Equipment, "commissioning_date", "2028-11-30"
        )
        self.assertEqual(shown, "30/11/2028")
        # Each reader's own format (the hospital may have set English's).
        english = get_lang(self.env, "en_US")
        self.assertEqual(
            approval_values.render_value(
                self.Equipment.with_context(lang="en_US"),
                "commissioning_date",
                "2028-11-30",
            ),
            date(2028, 11, 30).strftime(english.date_format),
        )

    def test_old_lines_keep_their_text(self):
        _device, line = self.requested_line()
        # A line requested before the raw values: its stored text is shown.
        self.env.cr.execute(
            "UPDATE dm_approval SET data_values = NULL, data_summary_legacy = %s "
            "WHERE id = %s",
            ["Contrat : DPA-OLD", line.id],
        )
        line.invalidate_recordset()
        self.assertEqual(line.data_summary, "Contrat : DPA-OLD")
        self.assertEqual(line.data_brief, "Contrat : DPA-OLD")

    # ------------------------------------------------------------ deciding
    def test_decide_on_the_document_as_the_role(self):
        device, line = self.requested_line()
        dpo, technician = self.users["dpo"], self.users["technician"]
        # The requester sees nothing to decide (four eyes); the DPO sees it.
        self.assertFalse(device.with_user(technician).dm_review_line_ids)
        self.assertFalse(device.with_user(self.users["auditor"]).dm_review_line_ids)
        self.assertEqual(device.with_user(dpo).dm_review_line_ids, line)
        # The requester cannot even open the dialog, nor approve through it.
        with self.assertRaises(AccessError):
            line.with_user(technician).action_open_approve_wizard()
        Wizard = self.env["dm.approval.reject.wizard"]
        forged = Wizard.with_user(technician).create(
            {"approval_ids": [(6, 0, line.ids)], "decision": "approve"}
        )
        with self.assertRaises(AccessError):
            forged.action_approve()
        self.assertEqual(line.state, "pending")
        # The DPO approves from the document, without a comment.
        action = device.with_user(dpo).dm_review_line_ids.action_open_approve_wizard()
        wizard = Wizard.with_user(dpo).with_context(**action["context"]).create({})
        self.assertEqual(wizard.decision, "approve")
        self.assertIn("DPA-FR-2026", wizard.data_summary)
        wizard.action_approve()
        self.assertEqual((line.state, line.reviewer_id), ("approved", dpo))
        self.assertFalse(line.comment)
        self.assertFalse(device.with_user(dpo).dm_review_line_ids)

    def test_approve_with_a_comment_reject_only_with_one(self):
        device, line = self.requested_line()
        dpo = self.users["dpo"]
        Wizard = self.env["dm.approval.reject.wizard"].with_user(dpo)
        action = line.with_user(dpo).action_open_reject_wizard()
        wizard = Wizard.with_context(**action["context"]).create({})
        self.assertEqual(wizard.decision, "reject")
        with self.assertRaises(UserError):
            wizard.action_reject()
        self.assertEqual(line.state, "pending")
        device.write({"dpa_reference": "DPA-FR-2027"})
        line = device._dm_current_line("dpo_data_contract")
        action = line.with_user(dpo).action_open_approve_wizard()
        Wizard.with_context(**action["context"]).create(
            {"comment": "Contrat relu."}
        ).action_approve()
        self.assertEqual((line.state, line.comment), ("approved", "Contrat relu."))
