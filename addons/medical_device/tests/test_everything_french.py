"""Everything the suite writes reads French for a French user, whoever wrote
it: the engine's notes (approval requested, decided, pending again), the CE
daily job's activities, inbox summaries and digests, the disposal's notes, the
fleet import's note, tracked selections; dates in the French format. The
actors (the technician, the engineer, the reviewer, the daily job) speak
English; the readers French. The dm_cyber and dm_software parts are in their
addons (test_everything_french_*.py).

Depends on the French translations of the addons (i18n/fr.po)."""

import base64
from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, new_test_user, tagged
from odoo.tools.translate import LazyTranslate

from ..tools import reader_text as rt
from .common import MedicalDeviceCase
from .french_reader import FrenchReaderMixin, load_french
from .test_fleet_import import device_row, to_csv

_lt = LazyTranslate(__name__)

TODAY = date(2027, 9, 1)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestEverythingFrench(FrenchReaderMixin, MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_french(cls.env)
        # The actors speak English (as OdooBot and the admin do).
        cls.env.user.lang = "en_US"
        for role in ("technician", "engineer", "auditor"):
            cls.users[role].lang = "en_US"
        cls.users["dpo_en"] = new_test_user(
            cls.env,
            login="test_dm_dpo_en",
            groups="medical_device.group_dm_dpo",
            lang="en_US",
        )
        # The readers speak French: every pharmacist and DPO (the daily job and
        # the engine assign them), and a reader of everything.
        for xmlid in (
            "medical_device.group_dm_pharmacist",
            "medical_device.group_dm_dpo",
        ):
            members = cls.env["dm.approval"]._group_members(xmlid)
            (members - cls.users["dpo_en"]).write({"lang": "fr_FR"})
        cls.reader = new_test_user(
            cls.env,
            login="test_dm_reader_fr",
            groups="medical_device.group_dm_engineer,medical_device.group_dm_auditor",
            lang="fr_FR",
        )
        # Only the devices of each test reach the daily job.
        cls.env["maintenance.equipment"].search([]).write({"active": False})

    def french_device(self, **overrides):
        """A device whose own words are French (its name and data are the
        hospital's, not the suite's)."""
        return self.create_device(
            name="Pousse-seringue",
            **overrides,
        )

    # ------------------------------------------------------------ approvals
    def test_the_approval_engine_writes_french_for_french_readers(self):
        start, start_activity = self.last_message_id(), self.last_activity_id()
        device = self.french_device(
            serial_no="FR-ALL-1",
            patient_data=True,
            data_hosting="cloud",
            dpa_reference="DPA-FR-1",
            hds_certified=True,
        )
        device.with_user(self.users["technician"]).action_request_approvals()
        line = device._dm_current_line("dpo_data_contract")
        self.assertEqual(line.state, "pending")
        # The DPO's activity is written in French (summary and note).
        self.assertAllFrench(self.activity_texts(start_activity), expected_min=2)
        start_activity = self.last_activity_id()
        # The data changed: the approval is pending again (a note says why).
        device.with_user(self.users["technician"]).write({"dpa_reference": "DPA-FR-2"})
        line = device._dm_current_line("dpo_data_contract")
        self.assertAllFrench(self.activity_texts(start_activity), expected_min=2)
        # An English-speaking DPO approves, with a French comment.
        Wizard = self.env["dm.approval.reject.wizard"].with_user(self.users["dpo_en"])
        action = line.with_user(self.users["dpo_en"]).action_open_approve_wizard()
        Wizard.with_context(**action["context"]).create(
            {"comment": "Contrat relu."}
        ).action_approve()
        self.assertEqual(line.state, "approved")

        texts = self.served_texts(device, self.reader, start)
        joined = "\n".join(text for _what, text in texts)
        # What the engine said, in French, to the French reader...
        self.assertIn("Demande d'approbation", joined)
        self.assertIn("Contrat relu.", joined)
        # The rule's name, in the trail of its lines too.
        self.assertIn("Contrat de sous-traitance des données", joined)
        self.assertNotIn("Data-processing contract", joined)
        self.assertAllFrench(texts, expected_min=3)
        # ... and the same notes, in English, to an English reader.
        english = "\n".join(
            text
            for _what, text in self.served_texts(device, self.users["auditor"], start)
        )
        self.assertIn("Approval requested", english)
        self.assertIn("pending again", english)

    # ------------------------------------------------------------ CE deadlines
    def test_the_ce_daily_job_writes_french_for_the_pharmacists(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("medical_device.ce_deadline_warning_days", 180)
        params.set_param("medical_device.digest_threshold", 100)
        start, start_activity = self.last_message_id(), self.last_activity_id()
        self.french_device(
            serial_no="FR-CE-1", ce_certificate_expiry=TODAY + timedelta(days=60)
        )
        self.french_device(
            serial_no="FR-CE-2", ce_certificate_expiry=TODAY - timedelta(days=3)
        )
        created = self.Equipment._cron_ce_deadlines()
        self.assertEqual(len(created), 2)
        texts = self.activity_texts(start_activity)
        self.assertIn("31/10/2027", " ".join(text for _w, text in texts))
        self.assertAllFrench(texts, expected_min=2)
        pharmacist = created.user_id[:1]
        self.assertEqual(pharmacist.lang, "fr_FR")
        self.assertAllFrench(self.inbox_texts(pharmacist, start), expected_min=2)

    def test_the_ce_digest_reads_french(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("medical_device.ce_deadline_warning_days", 180)
        params.set_param("medical_device.digest_threshold", 2)
        start, start_activity = self.last_message_id(), self.last_activity_id()
        for i in range(3):
            self.french_device(
                serial_no=f"FR-DIG-{i}",
                location="Bloc A",
                ce_certificate_expiry=TODAY + timedelta(days=20),
            )
        created = self.Equipment._cron_ce_deadlines()
        self.assertEqual(created.res_model, "dm.activity.digest")
        digest = self.env["dm.activity.digest"].browse(created.res_id)
        name = digest.with_user(self.reader).with_context(lang="fr_FR").display_name
        texts = [*self.activity_texts(start_activity), ("digest name", name)]
        self.assertAllFrench(texts, expected_min=2)
        self.assertAllFrench(self.inbox_texts(created.user_id, start), expected_min=2)

    # ------------------------------------------------------------ lifecycle, disposal
    def test_tracking_and_disposal_notes_read_french(self):
        start = self.last_message_id()
        device = self.device_in_service(name="Pousse-seringue", serial_no="FR-DISP-1")
        disposal = (
            self.env["dm.disposal"]
            .with_user(self.users["technician"])
            .create(
                {
                    "equipment_id": device.id,
                    "reason": "beyond_repair",
                    "destination": "destruction",
                }
            )
        )
        disposal.with_user(self.users["engineer"]).action_confirm()
        if disposal.state == "erasure":  # dm_cyber: the no-data statement
            disposal.with_user(self.users["engineer"]).action_state_no_data(
                "Lit mécanique : aucune mémoire, aucune donnée."
            )
        disposal.with_user(self.users["engineer"]).action_dispose()
        self.assertEqual(device.lifecycle_state, "disposed")
        self.flush_tracking()
        texts = self.served_texts(
            device.with_context(active_test=False), self.reader, start
        ) + self.served_texts(disposal, self.reader, start)
        # The lifecycle moves were tracked by English users: French labels.
        tracked = [text for what, text in texts if "tracking" in what]
        self.assertIn("Réformé", tracked)
        self.assertAllFrench(texts, expected_min=4)
        # "Records kept until": a French date.
        self.assertRegex("\n".join(text for _w, text in texts), r"\d{2}/\d{2}/\d{4}")

    # ------------------------------------------------------------ fleet import
    def test_the_fleet_import_note_reads_french(self):
        start = self.last_message_id()
        record = (
            self.env["dm.fleet.import"]
            .with_user(self.users["engineer"])
            .create(
                {
                    "file": base64.b64encode(to_csv([device_row("FR-IMP-1")])),
                    "filename": "parc.csv",
                }
            )
        )
        record.action_import()
        self.assertEqual(record.created_count, 1)
        self.assertAllFrench(self.served_texts(record, self.reader, start))

    # ------------------------------------------------------------ the guard
    def test_clients_cannot_set_the_text_of_a_note(self):
        device = self.french_device(serial_no="FR-FORGE")
        engineer = self.users["engineer"]
        forged = {
            "msg": "Approved by the DPO",
            "module": "medical_device",
            "params": {},
        }
        Message = self.env["mail.message"].with_user(engineer)
        with self.assertRaises(AccessError):
            Message.create(
                {
                    "model": device._name,
                    "res_id": device.id,
                    "body": "ok",
                    "message_type": "comment",
                    "dm_text": forged,
                }
            )
        # Nor through message_post (its parameters are a closed list)...
        with self.assertRaises(ValueError):
            device.with_user(engineer).message_post(body="ok", dm_text=forged)
        # ... nor by editing a note of one's own.
        message = device.with_user(engineer).message_post(body="Vu.")
        with self.assertRaises(AccessError):
            message.with_user(engineer).write({"dm_text": forged})
        # What the reader is served is the body the user wrote.
        texts = self.served_texts(device, self.reader)
        self.assertIn("Vu.", [text for _w, text in texts])
        self.assertFalse(message.sudo().dm_text)
        # A note of the suite is not edited from the chatter; one rewritten
        # by the server shows the new body, not the suite's text.
        note = device.with_user(engineer)._dm_post_note(
            rt.msg(
                _lt("Disposal request %(disposal)s created by %(user)s."),
                disposal="RF-1",
                user=engineer.name,
            )
        )
        self.assertTrue(note.sudo().dm_text)
        with self.assertRaises(UserError):
            device.with_user(engineer)._message_update_content(note, body="Corrigé.")
        note.sudo().write({"body": "Corrigé."})
        self.assertFalse(note.sudo().dm_text)
        texts = self.served_texts(device, self.reader, note.id - 1)
        self.assertEqual([t for _w, t in texts], ["Corrigé."])

    # ------------------------------------------------------------ reminders
    def test_the_approval_reminder_reads_french(self):
        device = self.french_device(
            serial_no="FR-REM-1",
            patient_data=True,
            data_hosting="cloud",
            dpa_reference="DPA-FR-1",
            hds_certified=True,
        )
        device.with_user(self.users["technician"]).action_request_approvals()
        line = device._dm_current_line("dpo_data_contract")
        line.sudo().requested_on = fields.Datetime.now() - timedelta(days=5)
        self.env["ir.config_parameter"].sudo().set_param(
            "medical_device.approval_reminder_days", 3
        )
        start = self.last_message_id()
        self.env["dm.approval"]._cron_remind_pending()
        dpo = self.users["dpo"]
        self.assertEqual(dpo.lang, "fr_FR")
        texts = self.inbox_texts(dpo, start)
        self.assertAllFrench(texts, expected_min=2)
        # The English DPO got the English one.
        english = " ".join(t for _w, t in self.inbox_texts(self.users["dpo_en"], start))
        self.assertIn("pending", english)
