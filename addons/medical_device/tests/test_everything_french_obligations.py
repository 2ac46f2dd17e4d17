"""The texts of the obligations (quality control, training, matériovigilance)
read in the reader's language, whoever wrote them: a mandatory QC failed
(the notes, the engineers' and the pharmacists' activities), the return to
use, the overdue QC's suspension and the engineer's override; the trainings
expiring digest and the training notes of a device and its reception; a
safety notice matched, its actions and its quarantine, its closing; a serious
incident, its declaration and the stop of use; the EUDAMED weekly digest.

The writers speak English and the readers French, and the other way round
where the mechanism allows it (an English assignee of the same activity, an
English reader of the same note). Depends on the French translations of the
addons (i18n/fr.po)."""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import MedicalDeviceCase
from .eudamed_server import EudamedServer
from .french_reader import FrenchReaderMixin, load_french

ENGINEER = "medical_device.group_dm_engineer"
PHARMACIST = "medical_device.group_dm_pharmacist"
UDI = "(01)03760123450010(11)220829(10)L2208A(21){serial}"
AGILIA_UUID = "5f0d3c1e-8a52-4b7e-9d0c-2b9e6f41a7c3"


@tagged("post_install", "-at_install")
class TestEverythingFrenchObligations(FrenchReaderMixin, MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_french(cls.env)
        # The writers speak English (as OdooBot, the daily jobs' user, does).
        cls.env.user.lang = "en_US"
        for role in ("technician", "engineer", "pharmacist", "auditor"):
            cls.users[role].lang = "en_US"
        # The readers speak French: an engineer, a pharmacist (assignees), and
        # a reader of every chatter; plus a French technician (a writer).
        cls.engineer_fr = new_test_user(
            cls.env, login="test_dm_engineer_fr", groups=ENGINEER, lang="fr_FR"
        )
        cls.pharmacist_fr = new_test_user(
            cls.env, login="test_dm_pharmacist_fr", groups=PHARMACIST, lang="fr_FR"
        )
        cls.technician_fr = new_test_user(
            cls.env,
            login="test_dm_technician_fr",
            groups="medical_device.group_dm_technician",
            lang="fr_FR",
        )
        cls.reader = new_test_user(
            cls.env,
            login="test_dm_reader_fr",
            groups=f"{ENGINEER},{PHARMACIST},medical_device.group_dm_auditor",
            lang="fr_FR",
        )
        cls.reader_en = new_test_user(
            cls.env,
            login="test_dm_reader_en",
            groups=f"{ENGINEER},{PHARMACIST},medical_device.group_dm_auditor",
            lang="en_US",
        )
        # Only the devices of each test reach the daily jobs and the matches.
        cls.env["maintenance.equipment"].search([]).write({"active": False})
        cls.done_stage = cls.env["maintenance.stage"].search(
            [("done", "=", True)], limit=1
        )
        cls.requirement = cls.env.ref(
            "medical_device.dm_plan_requirement_mammography_internal"
        )

    # ------------------------------------------------------------ helpers
    def joined(self, texts):
        return "\n".join(text for _what, text in texts)

    def read_by(self, records, reader, start):
        return self.joined(self.served_texts(records, reader, start))

    def mammograph(self, serial="MAM-FR-1"):
        vals = {
            **self._acquisition_vals(serial_no=serial, name="Mammographe"),
            **self._regulatory_vals(),
            "is_ionising": True,
            "imaging_modality": "mammography",
            "lifecycle_state": "in_service",
            **self.pieu_ct,
        }
        # sudo: a device already in service, as a data load brings it.
        return self.Equipment.sudo().create(vals).sudo(False)

    def qc_plan(self, device, **overrides):
        vals = {
            "name": "CQ interne mensuel",
            "equipment_id": device.id,
            "dm_nature": "qc_internal",
            "interval": 1,
            "interval_step": "month",
            "dm_tolerance_days": 7,
            "dm_performer": "internal",
            **overrides,
        }
        plan = (
            self.env["maintenance.plan"].with_user(self.users["engineer"]).create(vals)
        )
        self.dose = (
            self.env["dm.qc.test"]
            .with_user(self.users["engineer"])
            .create(
                {
                    "plan_id": plan.id,
                    "name": "Dose glandulaire moyenne",
                    "unit": "mGy",
                    "reference": 1.6,
                    "tolerance_type": "percent",
                    "tolerance": 10,
                    "action_level": 25,
                }
            )
        )
        return plan

    def control(self, plan, dose, done=False, user=None):
        user = user or self.users["technician"]
        request = (
            self.env["maintenance.request"]
            .with_user(user)
            .with_context(lang=user.lang)
            .create(
                {
                    "name": "CQ",
                    "equipment_id": plan.equipment_id.id,
                    "maintenance_plan_id": plan.id,
                    "maintenance_type": "preventive",
                    "dm_qc_measure_ids": [
                        Command.create({"test_id": self.dose.id, "value": dose})
                    ],
                }
            )
        )
        if done:
            request.write({"stage_id": self.done_stage.id})
        return request

    def activities_of(self, records, user):
        return (
            records.sudo()
            .with_context(active_test=False)
            .activity_ids.filtered(lambda a: a.user_id == user)
        )

    # ------------------------------------------------------------ quality control
    def test_a_failed_mandatory_qc_reads_french(self):
        """An English technician records a non-compliant mandatory QC: the
        French engineer and pharmacist get French activities, the English
        engineer an English one; the notes read French to the French reader,
        English to the English one."""
        self.requirement.sudo().notify_pharmacist = True
        device = self.mammograph()
        plan = self.qc_plan(device)
        start, start_activity = self.last_message_id(), self.last_activity_id()
        failed = self.control(plan, 2.3)
        self.assertTrue(failed.use_stopped_on)
        self.flush_tracking()
        # The activities: one per engineer and pharmacist, each in their
        # language.
        texts = self.activity_texts(start_activity)
        joined = self.joined(texts)
        self.assertIn("Contrôle qualité non conforme : Mammographe", joined)
        self.assertIn("Utilisation suspendue : le contrôle qualité obligatoire", joined)
        self.assertIn("Décision ANSM du 15 janvier 2020", joined)
        self.assertNotIn("Use suspended", joined)
        self.assertAllFrench(texts, expected_min=4)
        for user in (self.engineer_fr, self.pharmacist_fr):
            self.assertTrue(self.activities_of(failed, user), user.login)
        english = self.activities_of(failed, self.users["engineer"])
        self.assertIn("Non-compliant quality control", english.summary)
        self.assertIn("Use suspended", english.note)
        english = self.activities_of(failed, self.users["pharmacist"])
        self.assertIn("ANSM decision of 15 January 2020", english.note)
        self.assertIn("asks for a declaration", english.note)
        # The notes on the device and the control.
        texts = self.served_texts([device, failed], self.reader, start)
        joined = self.joined(texts)
        self.assertEqual(joined.count("Utilisation suspendue"), 2, joined)
        self.assertAllFrench(texts, expected_min=2)
        self.assertIn(
            "Use suspended", self.read_by([device, failed], self.reader_en, start)
        )
        # The suspension's reason on the device, as each reads it.
        self.env.invalidate_all()
        reason = device.with_user(self.reader).with_context(lang="fr_FR")
        self.assertIn("non conforme", reason.dm_use_suspension_reason)
        self.assertFrench(reason.dm_use_suspension_reason, "suspension reason")

    def test_the_return_to_use_reads_french(self):
        device = self.mammograph()
        plan = self.qc_plan(device)
        failed = self.control(plan, 2.3)
        start = self.last_message_id()
        self.control(plan, 1.6, done=True)
        self.assertTrue(failed.use_resumed_on)
        self.flush_tracking()
        texts = self.served_texts(device, self.reader, start)
        self.assertIn("Utilisation reprise : un contrôle conforme", self.joined(texts))
        self.assertAllFrench(texts)
        self.assertIn("Use resumed", self.read_by(device, self.reader_en, start))
        # The other way round: a French technician's control, read in English.
        self.control(plan, 2.3)
        start = self.last_message_id()
        self.control(plan, 1.6, done=True, user=self.technician_fr)
        english = self.read_by(device, self.reader_en, start)
        self.assertIn("Use resumed", english)
        self.assertNotIn("Utilisation reprise", english)

    def overdue_plan(self, device):
        start = fields.Date.today() - timedelta(days=17)
        plan = self.qc_plan(device, start_maintenance_date=start)
        self.assertTrue(plan.dm_overdue)
        return plan

    def test_an_overdue_mandatory_qc_reads_french(self):
        device = self.mammograph()
        plan = self.overdue_plan(device)
        self.env.invalidate_all()
        french = device.with_user(self.reader).with_context(lang="fr_FR")
        self.assertTrue(french.dm_use_suspended)
        reason = french.dm_use_suspension_reason
        self.assertIn("contrôle qualité obligatoire en retard depuis le", reason)
        # The date in the reader's format.
        self.assertIn(plan.dm_overdue_after.strftime("%d/%m/%Y"), reason)
        self.assertFrench(reason, "suspension reason")
        english = device.with_user(self.reader_en).with_context(lang="en_US")
        self.assertIn(
            "mandatory quality control overdue since", english.dm_use_suspension_reason
        )

    def test_the_engineers_override_reads_french(self):
        """An English engineer keeps the device in use: the French reader reads
        the note in French (date in the French format); a French engineer's
        override reads English to the English reader."""
        device = self.mammograph()
        plan = self.overdue_plan(device)
        start = self.last_message_id()
        expiry = fields.Date.today() + timedelta(days=20)
        self.env["dm.qc.override"].with_user(self.users["engineer"]).create(
            {
                "plan_id": plan.id,
                "reason": "Organisme agréé prévu la semaine prochaine",
                "expiry_date": expiry,
            }
        )
        self.flush_tracking()
        texts = self.served_texts(device, self.reader, start)
        joined = self.joined(texts)
        self.assertIn("Utilisation maintenue par", joined)
        self.assertIn(expiry.strftime("%d/%m/%Y"), joined)
        self.assertAllFrench(texts)
        self.assertIn("Use kept by", self.read_by(device, self.reader_en, start))
        # The other way round.
        other = self.mammograph("MAM-FR-2")
        other_plan = self.overdue_plan(other)
        start = self.last_message_id()
        self.env["dm.qc.override"].with_user(self.engineer_fr).with_context(
            lang="fr_FR"
        ).create(
            {"plan_id": other_plan.id, "reason": "Visit booked", "expiry_date": expiry}
        )
        english = self.read_by(other, self.reader_en, start)
        self.assertIn("Use kept by", english)
        self.assertNotIn("Utilisation maintenue", english)
        self.assertIn(
            "Utilisation maintenue par", self.read_by(other, self.reader, start)
        )

    # ------------------------------------------------------------ training
    def expiring_session(self, department, days_left=20, **overrides):
        employee = self.env["hr.employee"].create(
            {"name": "Infirmière formée", "department_id": department.id}
        )
        session_date = fields.Date.today() - timedelta(days=365 - days_left)
        return (
            self.env["dm.training.session"]
            .with_user(self.users["technician"])
            .create(
                {
                    "device_model": "Agilia SP",
                    "session_date": session_date,
                    "attendee_ids": [Command.set(employee.ids)],
                    "validity_months": 12,
                    **overrides,
                }
            )
        )

    def of_department(self, activities, department):
        digests = self.env["dm.activity.digest"].browse(activities.mapped("res_id"))
        mine = digests.filtered(lambda d: d.department_id == department)
        return activities.filtered(lambda a: a.res_id == mine.id)

    def test_the_trainings_expiring_digest_reads_french(self):
        engineers = self.env["dm.approval"]._group_members(ENGINEER)
        first = self.env["dm.approval"]._users_of_company(engineers, self.env.company)[
            :1
        ]
        Attendance = self.env["dm.training.attendance"]
        # The digest's reader speaks French; the daily job English.
        first.lang = "fr_FR"
        department = self.env["hr.department"].create({"name": "Réanimation"})
        self.expiring_session(department)
        activities = self.of_department(Attendance._cron_training_expiry(), department)
        self.assertEqual(activities.user_id, first)
        texts = self.activity_texts(activities.id - 1)
        self.assertIn("Formations arrivant à échéance", self.joined(texts))
        self.assertIn("Réanimation", self.joined(texts))
        digest = self.env["dm.activity.digest"].browse(activities.res_id)
        name = digest.with_user(self.reader).with_context(lang="fr_FR").display_name
        self.assertIn("Formations arrivant à échéance", name)
        self.assertAllFrench([*texts, ("digest name", name)], expected_min=2)
        english = digest.with_user(self.reader_en).with_context(lang="en_US")
        self.assertIn("Trainings expiring", english.display_name)
        # An English reader of the digest's activity: English.
        first.lang = "en_US"
        department = self.env["hr.department"].create({"name": "Bloc"})
        self.expiring_session(department)
        activities = self.of_department(Attendance._cron_training_expiry(), department)
        self.assertIn("Trainings expiring", activities.summary)

    def test_the_training_notes_read_french(self):
        """A session recorded by an English technician: the device's note and
        the reception's training (tracked) read French; so does the note of
        the reception whose ticked box no longer counts (migration)."""
        device = self.create_device(serial_no="FR-TRN-1", model="Agilia SP")
        device.with_user(self.users["technician"]).action_to_reception()
        device.write(self._regulatory_vals())
        reception = (
            self.env["dm.reception"]
            .with_user(self.users["technician"])
            .create({"equipment_id": device.id, **self.pieu_syringe_pump})
        )
        self.assertFalse(reception.check_training_done)
        self.flush_tracking()
        start = self.last_message_id()
        session = self.train_users(device)
        self.assertEqual(reception.training_session_id, session)
        reception._dm_post_note(reception._dm_training_migration_note())
        self.flush_tracking()
        texts = self.served_texts([device, reception], self.reader, start)
        joined = self.joined(texts)
        self.assertIn("Session de formation du", joined)
        self.assertIn("registre des utilisateurs formés", joined)
        # The session tracked on the reception, by its French name.
        tracked = [text for what, text in texts if "tracking" in what]
        self.assertTrue(any(t.startswith("Formation ") for t in tracked), tracked)
        self.assertAllFrench(texts, expected_min=3)
        english = self.read_by([device, reception], self.reader_en, start)
        self.assertIn("Training session of", english)
        self.assertIn("Training Agilia SP", english)

    # ------------------------------------------------------------ safety notices
    def test_a_safety_notice_reads_french(self):
        """An English pharmacist matches a quarantine notice followed by a
        French pharmacist; an English technician records the action; the
        notice is closed."""
        device = self.create_device(name="Pousse-seringue", serial_no="FSN-FR-1")
        device.with_user(self.users["technician"]).action_to_reception()
        self.reception_ready(device).with_user(self.users["engineer"]).action_accept()
        self.flush_tracking()
        start, start_activity = self.last_message_id(), self.last_activity_id()
        # A French hospital: why each device matched is written in its
        # language, not in the English pharmacist's (a stored text).
        self.env.company.partner_id.lang = "fr_FR"
        pharmacist = self.users["pharmacist"]
        notice = (
            self.env["dm.vigilance.notice"]
            .with_user(pharmacist)
            .create(
                {
                    "name": "FSN-FR-1",
                    "title": "Valve du pousse-seringue",
                    "serial_ranges": "FSN-FR-1",
                    "required_action": "quarantine",
                    "pharmacist_id": self.pharmacist_fr.id,
                }
            )
        )
        notice.action_match()
        action = notice.action_ids
        self.assertEqual(action.equipment_id, device)
        self.assertTrue(device.dm_quarantined)
        # The French pharmacist's activity.
        texts = self.activity_texts(start_activity)
        joined = self.joined(texts)
        self.assertIn("Suivre les actions de l'avis de sécurité FSN-FR-1", joined)
        self.assertAllFrench(texts, expected_min=2)
        # Why the device matched, in the hospital's language.
        self.assertIn("numéro de série FSN-FR-1", action.match_reason)
        # The quarantine's refusal, to a French technician.
        with self.assertRaises(UserError) as caught:
            device.with_user(self.technician_fr).with_context(
                lang="fr_FR"
            ).action_put_in_service()
        self.assertIn("quarantaine", str(caught.exception))
        technician = self.users["technician"]
        action.with_user(technician).write({"note": "Valve remplacée"})
        action.with_user(technician).action_done()
        notice.with_user(pharmacist).action_close()
        self.flush_tracking()
        texts = self.served_texts([notice, device, action], self.reader, start)
        joined = self.joined(texts)
        self.assertIn("Recherche par", joined)
        self.assertIn("Avis de sécurité FSN-FR-1 : action", joined)
        self.assertIn("Avis de sécurité clôturé", joined)
        self.assertNotIn("Original note", joined)
        self.assertAllFrench(texts, expected_min=4)
        english = self.read_by([notice, device], self.reader_en, start)
        self.assertIn("Matched by", english)
        self.assertIn("Safety notice closed", english)

    # ------------------------------------------------------------ incidents
    def report(self, device, user, **vals):
        return (
            self.env["dm.vigilance.incident"]
            .with_user(user)
            .with_context(lang=user.lang)
            .create(
                {
                    "equipment_id": device.id,
                    "description": "Bolus inattendu au changement de seringue.",
                    "service": "Réanimation",
                    **vals,
                }
            )
        )

    def test_a_serious_incident_reads_french(self):
        """An English technician reports a serious incident: each pharmacist's
        urgent activity in their language; the English pharmacist declares
        it and stops the use: the notes read French to the French reader."""
        device = self.device_in_service(name="Pousse-seringue", serial_no="MV-FR-1")
        start, start_activity = self.last_message_id(), self.last_activity_id()
        incident = self.report(
            device,
            self.users["technician"],
            patient_consequence="serious_deterioration",
        )
        texts = self.activity_texts(start_activity)
        joined = self.joined(texts)
        self.assertIn("Incident grave à déclarer à l'ANSM", joined)
        self.assertIn("a signalé un incident grave", joined)
        self.assertAllFrench(texts, expected_min=2)
        self.assertTrue(self.activities_of(incident, self.pharmacist_fr))
        english = self.activities_of(incident, self.users["pharmacist"])
        self.assertIn("Serious incident to declare", english.summary)
        self.assertIn("reported a serious incident", english.note)
        pharmacist = self.users["pharmacist"]
        # A French hospital: the operation that records the stop is named in
        # its language, not in the English pharmacist's (a stored name).
        self.env.company.partner_id.lang = "fr_FR"
        incident.with_user(pharmacist).action_stop_use()
        self.assertEqual(
            incident.stop_request_id.name,
            f"Utilisation arrêtée après l'incident {incident.name}",
        )
        incident.with_user(pharmacist).write(
            {"ansm_reference": "R27-001", "ansm_declaration_date": fields.Date.today()}
        )
        incident.with_user(pharmacist).action_declare()
        self.flush_tracking()
        texts = self.served_texts([incident, device], self.reader, start)
        joined = self.joined(texts)
        self.assertIn("signalé par", joined)
        self.assertIn("Utilisation du dispositif arrêtée par", joined)
        self.assertIn("Déclaré à l'ANSM par", joined)
        # The urgent activities marked done by the declaration: in French too
        # (not the core's "… done", "Original note", "Feedback").
        self.assertIn("Déclaré à l'ANSM (R27-001).", joined)
        self.assertNotIn("Original note", joined)
        self.assertAllFrench(texts, expected_min=4)
        english = self.read_by([incident, device], self.reader_en, start)
        self.assertIn("reported by", english)
        self.assertIn("Declared to the ANSM (R27-001).", english)

    def test_a_serious_incident_by_a_french_user_reads_english(self):
        device = self.device_in_service(name="Pousse-seringue", serial_no="MV-FR-2")
        start = self.last_message_id()
        incident = self.report(
            device,
            self.technician_fr,
            patient_consequence="death",
        )
        english = self.activities_of(incident, self.users["pharmacist"])
        self.assertIn("Serious incident to declare", english.summary)
        self.assertIn("reported a serious incident", english.note)
        french = self.activities_of(incident, self.pharmacist_fr)
        self.assertIn("Incident grave", french.summary)
        self.assertIn("reported by", self.read_by(device, self.reader_en, start))

    # ------------------------------------------------------------ EUDAMED
    def test_the_eudamed_digest_reads_french(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("medical_device.eudamed_retries", "1")
        params.set_param("medical_device.eudamed_timeout", "3")
        server = EudamedServer()
        server.__enter__()
        self.addCleanup(server.__exit__, None, None, None)
        params.set_param("medical_device.eudamed_url", server.url)
        devices = self.Equipment.browse()
        for serial in ("EUD-FR-1", "EUD-FR-2"):
            devices |= self.device_in_service(
                serial_no=serial,
                udi_carrier=UDI.format(serial=serial),
                location="Réanimation",
            )
        pharmacists = self.env["dm.approval"]._group_members(
            PHARMACIST, self.env.company
        )
        # The digest's pharmacist (the first) reads French.
        pharmacists[:1].lang = "fr_FR"
        self.Equipment._cron_eudamed_check()
        server.overrides[AGILIA_UUID] = "basic_udi_data_03760123450010_suspended.json"
        start, start_activity = self.last_message_id(), self.last_activity_id()
        self.assertLessEqual(devices, self.Equipment._cron_eudamed_check())
        digest = self.env["dm.activity.digest"].search(
            [("kind", "=", "eudamed_change"), ("device_ids", "in", devices.ids)]
        )
        self.assertEqual(len(digest), 1)
        name = digest.with_user(self.reader).with_context(lang="fr_FR").display_name
        self.assertIn("Enregistrements EUDAMED modifiés", name)
        texts = [*self.activity_texts(start_activity), ("digest name", name)]
        self.assertAllFrench(texts, expected_min=2)
        # Every pharmacist's summary, in their language.
        inbox = self.inbox_texts(self.pharmacist_fr, start)
        self.assertIn("modifié(s) dans EUDAMED", self.joined(inbox))
        self.assertAllFrench(inbox, expected_min=2)
        english = self.joined(self.inbox_texts(self.users["pharmacist"], start))
        self.assertIn("changed in EUDAMED", english)
        english_name = digest.with_user(self.reader_en).with_context(lang="en_US")
        self.assertIn("EUDAMED registrations changed", english_name.display_name)

    # ------------------------------------------------------------ the word
    def test_materiovigilance_reads_with_its_accent_in_french(self):
        """ "Materiovigilance" stays the English source; a French user reads
        "Matériovigilance" wherever the suite shows it: the menu, the
        dashboard's panel and its indicators' panel, the pharmacist's role,
        the names of the documents."""
        fr = self.env(context={"lang": "fr_FR"})
        en = self.env(context={"lang": "en_US"})
        menu = "medical_device.menu_dm_vigilance_root"
        self.assertEqual(fr.ref(menu).name, "Matériovigilance")
        self.assertEqual(en.ref(menu).name, "Materiovigilance")
        panels = (
            self.env["dm.dashboard"]
            .with_user(self.pharmacist_fr)
            .with_context(lang="fr_FR")
            .get_panels()
        )
        titles = [panel["title"] for panel in panels]
        self.assertIn("Matériovigilance", titles)
        labels = dict(
            fr["dm.dashboard.indicator"]._fields["panel"]._description_selection(fr)
        )
        self.assertEqual(labels["vigilance"], "Matériovigilance")
        self.assertEqual(
            fr.ref("medical_device.group_dm_pharmacist").name,
            "Pharmacien (matériovigilance)",
        )
        for model, french in (
            ("dm.vigilance.notice", "Avis de sécurité (matériovigilance)"),
            ("dm.vigilance.incident", "Événement indésirable (matériovigilance)"),
        ):
            self.assertEqual(fr["ir.model"]._get(model).name, french)
        # Nowhere unaccented in French.
        shown = [
            fr.ref(menu).name,
            *titles,
            labels["vigilance"],
            fr.ref("medical_device.group_dm_pharmacist").name,
        ]
        self.assertFalse([text for text in shown if "ateriovigilance" in text])
