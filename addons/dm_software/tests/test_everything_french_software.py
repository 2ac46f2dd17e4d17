"""Everything dm_software writes reads French for a French user, whoever
wrote it (see medical_device's test_everything_french.py): the qualification's
requests and notes, the versions' notes, the re-qualifications, the overdue
quality controls, the failed ones and the automatic suspension.

Depends on the French translations of the addons (i18n/fr.po)."""

from freezegun import freeze_time

from odoo.addons.medical_device.tests.french_reader import (
    FrenchReaderMixin,
    load_french,
)
from odoo.tests import new_test_user, tagged

from .common import AI_NODULE_DETECTOR, SoftwareCase


@tagged("post_install", "-at_install")
class TestEverythingFrenchSoftware(FrenchReaderMixin, SoftwareCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_french(cls.env)
        # The actors speak English; the referent and a pharmacist read French.
        cls.env.user.lang = "en_US"
        for role in ("technician", "engineer", "pharmacist", "auditor", "clinician"):
            cls.users[role].lang = "en_US"
        cls.users["referent"].lang = "fr_FR"
        cls.reader = new_test_user(
            cls.env,
            login="test_dm_pharmacist_fr",
            groups="medical_device.group_dm_pharmacist",
            lang="fr_FR",
        )

    def test_the_software_texts_read_french(self):
        start, start_activity = self.last_message_id(), self.last_activity_id()
        with freeze_time("2026-01-05"):
            software = self.software_in_use(
                contains_ai=True,
                name="Triage radio thoracique",
                intended_purpose="Signale les radios thoraciques suspectes.",
            )
        plan = software.qc_plan_ids
        plan.with_user(self.users["pharmacist"]).write(
            {"date_start": "2026-01-05", "name": "Double lecture mensuelle"}
        )
        # A version that changes the class: qualify again.
        version = self.validated_version(
            software,
            "2.0",
            changes_class=True,
            release_notes="Nouvelle classe IIb.",
        )
        # The purpose changes: qualify again.
        software.with_user(self.users["pharmacist"]).write(
            {"intended_purpose": "Signale les nodules et mesure leur croissance."}
        )
        self.qualify(software, AI_NODULE_DETECTOR)
        version.with_user(self.users["pharmacist"]).action_withdraw()
        # The control is overdue (the daily job), then fails and suspends.
        with freeze_time("2026-02-06"):
            self.env["dm.software.qc.plan"]._cron_check_overdue()
            overdue = self.activity_texts(start_activity)
            plan.with_user(self.users["pharmacist"]).write({"suspend_on_failure": True})
            self.env["dm.software.qc.record"].with_user(self.users["referent"]).create(
                {"plan_id": plan.id, "cases_checked": 30, "discordances": 9}
            )
        self.assertEqual(software.lifecycle_state, "suspended")
        self.flush_tracking()

        texts = self.served_texts(software, self.reader, start)
        joined = "\n".join(text for _w, text in texts)
        self.assertIn("Double lecture mensuelle", joined)
        self.assertIn("06/02/2026", joined)
        self.assertIn("30,0 %", joined)
        self.assertAllFrench(texts, expected_min=6)
        # The activities of the French readers (qualification requests, the
        # overdue reminder, the failed control), read before the decisions
        # that remove them.
        activities = overdue + self.activity_texts(start_activity)
        self.assertAllFrench(activities, expected_min=4)
