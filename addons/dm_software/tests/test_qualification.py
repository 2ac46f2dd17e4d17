from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import (
    AI_NODULE_DETECTOR,
    INSULIN_DOSE_CALCULATOR,
    PACS_VIEWER,
    PUMP_DRIVER,
    SoftwareCase,
)

QUALIFICATION = "dm_software.mail_activity_type_dm_software_qualification"


@tagged("post_install", "-at_install")
class TestQualification(SoftwareCase):
    # ------------------------------------------------------------ outcomes
    def test_pacs_viewer_storing_images_is_not_a_medical_device(self):
        pacs = self.create_software(name="PACS", contains_ai=False)
        wizard = self.qualification_wizard(pacs, PACS_VIEWER)
        self.assertEqual(wizard.suggested_outcome, "not_mdsw")
        self.assertIn("step 3", wizard.suggestion_reasons)
        wizard.action_save()
        self.assertEqual(pacs.qualification_state, "to_confirm")
        pacs.with_user(self.users["engineer"]).action_confirm_qualification()
        self.assertEqual(pacs.qualification_state, "qualified")
        self.assertFalse(pacs.is_medical_device)
        self.assertFalse(pacs.dm_risk_class)
        self.assertEqual(pacs.qualification_id.confirmed_by_id, self.users["engineer"])

    def test_ai_nodule_detector_is_class_iia(self):
        detector = self.create_software(name="Nodule AI", contains_ai=True)
        record = self.qualify(detector, AI_NODULE_DETECTOR)
        self.assertEqual(record.suggested_outcome, "mdsw")
        self.assertEqual(record.suggested_risk_class, "iia")
        self.assertTrue(detector.is_medical_device)
        self.assertEqual(detector.dm_risk_class, "iia")
        # The answers, who gave them and when, and the conclusion are kept.
        self.assertEqual(record.q_decision_impact, "other")
        self.assertEqual(record.answered_by_id, self.users["pharmacist"])
        self.assertTrue(record.answered_on)
        self.assertEqual(record.state, "confirmed")
        self.assertIn("Rule 11", record.suggestion_reasons)
        self.assertEqual(record.intended_purpose, detector.intended_purpose)

    def test_software_driving_an_infusion_pump_follows_the_pump(self):
        pump = self.create_device(
            name="Infusion pump", serial_no="PUMP-1", dm_risk_class="iib"
        )
        driver = self.create_software(name="Drug library manager")
        wizard = self.qualification_wizard(
            driver, {**PUMP_DRIVER, "driven_equipment_id": pump.id}, user="technician"
        )
        self.assertEqual(wizard.suggested_outcome, "drives_device")
        self.assertEqual((wizard.is_medical_device, wizard.risk_class), (True, "iib"))
        record = wizard.action_save()
        record.with_user(self.users["pharmacist"]).action_confirm()
        self.assertEqual(driver.dm_risk_class, "iib")
        self.assertIn(pump, driver.equipment_ids)
        self.assertIn(driver, pump.dm_software_ids)

    def test_insulin_dose_calculator_is_a_medical_device(self):
        app = self.create_software(name="Insulin bolus calculator")
        self.qualify(app, INSULIN_DOSE_CALCULATOR)
        self.assertTrue(app.is_medical_device)
        self.assertEqual(app.dm_risk_class, "iib")

    def test_stale_answers_are_not_recorded(self):
        pacs = self.create_software(name="PACS")
        # The user first went down the MDSW path, then answered No at step 3.
        record = self.qualify(pacs, {**AI_NODULE_DETECTOR, "q_acts_on_data": "no"})
        self.assertFalse(record.q_individual_benefit)
        self.assertFalse(record.q_decision_support)
        self.assertFalse(pacs.is_medical_device)

    # ------------------------------------------------------------ the wizard
    def test_incomplete_answers_are_refused(self):
        software = self.create_software()
        wizard = self.qualification_wizard(software, {"q_is_software": "yes"})
        self.assertEqual(wizard.suggested_outcome, "incomplete")
        self.assertEqual(
            wizard.asked_questions.split(), ["is_software", "drives_device"]
        )
        with self.assertRaisesRegex(UserError, "Answer the question"):
            wizard.action_save()
        self.assertFalse(software.qualification_ids)

    def test_departing_from_the_suggestion_needs_a_justification(self):
        software = self.create_software()
        wizard = self.qualification_wizard(
            software, AI_NODULE_DETECTOR, risk_class="iib"
        )
        with self.assertRaisesRegex(UserError, "justify"):
            wizard.action_save()
        wizard.conclusion_note = (
            "The manufacturer's declaration of conformity says IIb."
        )
        wizard.action_save().with_user(self.users["engineer"]).action_confirm()
        self.assertEqual(software.dm_risk_class, "iib")
        self.assertEqual(software.qualification_id.suggested_risk_class, "iia")

    def test_ivd_software_needs_its_class_given(self):
        software = self.create_software(name="Lab rules engine")
        wizard = self.qualification_wizard(
            software, {**AI_NODULE_DETECTOR, "q_ivd_data": "yes"}
        )
        self.assertEqual(wizard.suggested_outcome, "ivd_mdsw")
        self.assertFalse(wizard.risk_class)
        with self.assertRaisesRegex(UserError, "class"):
            wizard.action_save()
        wizard.write({"risk_class": "ivd_b", "conclusion_note": "IVDR rule 3."})
        wizard.action_save_and_confirm()
        self.assertEqual(software.dm_risk_class, "ivd_b")

    def test_new_run_supersedes_the_pending_answers(self):
        software = self.create_software()
        first = self.qualify(software, PACS_VIEWER, confirm_as=None)
        second = self.qualify(software, AI_NODULE_DETECTOR, confirm_as=None)
        self.assertEqual(first.state, "superseded")
        self.assertEqual(second.state, "to_confirm")
        with self.assertRaisesRegex(UserError, "not waiting"):
            first.with_user(self.users["pharmacist"]).action_confirm()
        software.with_user(self.users["pharmacist"]).action_confirm_qualification()
        self.assertEqual(software.dm_risk_class, "iia")

    # ------------------------------------------------------------ roles
    def test_who_answers_and_who_confirms(self):
        software = self.create_software()
        for role in ("auditor", "internal", "rssi", "dpo"):
            with self.assertRaises(AccessError, msg=role):
                self.qualification_wizard(
                    software, AI_NODULE_DETECTOR, user=role
                ).action_save()
        record = self.qualify(
            software, AI_NODULE_DETECTOR, user="technician", confirm_as=None
        )
        for role in ("technician", "auditor", "rssi", "internal"):
            with self.assertRaisesRegex(AccessError, "pharmacist", msg=role):
                record.with_user(self.users[role]).action_confirm()
        # The technician's wizard offers no confirmation.
        wizard = self.qualification_wizard(
            software, AI_NODULE_DETECTOR, user="technician"
        )
        self.assertFalse(wizard.can_confirm)
        record.with_user(self.users["pharmacist"]).action_confirm()
        self.assertEqual(software.qualification_state, "qualified")

    def test_conclusion_only_through_the_qualification(self):
        software = self.create_software()
        for vals in (
            {"is_medical_device": True},
            {"dm_risk_class": "iii"},
            {"qualification_state": "qualified"},
            {"lifecycle_state": "in_use"},
        ):
            for role in ("pharmacist", "engineer"):
                with self.assertRaisesRegex(UserError, "only through", msg=vals):
                    software.with_user(self.users[role]).write(vals)
        with self.assertRaisesRegex(UserError, "only through"):
            self.create_software(is_medical_device=True, dm_risk_class="iii")
        record = self.qualify(software, AI_NODULE_DETECTOR, confirm_as=None)
        Qualification = self.env["dm.software.qualification"]
        with self.assertRaises(AccessError):
            Qualification.with_user(self.users["pharmacist"]).create(
                {"software_id": software.id, "state": "confirmed"}
            )
        for role in ("pharmacist", "engineer"):
            with self.assertRaisesRegex(UserError, "never edited"):
                record.with_user(self.users[role]).write({"risk_class": "iii"})
            with self.assertRaises(AccessError):
                record.with_user(self.users[role]).unlink()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            record.sudo().unlink()

    # ------------------------------------------------------------ re-opening
    def test_changing_the_intended_purpose_reopens_the_qualification(self):
        software = self.create_software()
        record = self.qualify(software, AI_NODULE_DETECTOR)
        self.assertFalse(self.activities(software, QUALIFICATION))
        software.with_user(self.users["technician"]).write(
            {"notified_body_number": "0123"}
        )
        self.assertEqual(software.qualification_state, "qualified")
        software.with_user(self.users["technician"]).write(
            {"intended_purpose": "Flags nodules and measures their growth."}
        )
        self.assertEqual(software.qualification_state, "to_qualify")
        self.assertIn("intended purpose", software.requalification_reason)
        # The last conclusion stays in force until a new one is confirmed.
        self.assertEqual(software.dm_risk_class, "iia")
        self.assertEqual(record.state, "confirmed")
        activity = self.activities(software, QUALIFICATION)
        self.assertIn(self.users["pharmacist"], activity.user_id)
        self.qualify(software, INSULIN_DOSE_CALCULATOR)
        self.assertEqual(software.qualification_state, "qualified")
        self.assertEqual(software.dm_risk_class, "iib")
        self.assertFalse(self.activities(software, QUALIFICATION))

    def test_a_new_software_asks_the_pharmacist_to_qualify_it(self):
        software = self.create_software()
        activity = self.activities(software, QUALIFICATION)
        self.assertIn(self.users["pharmacist"], activity.user_id)
        self.qualify(software, PACS_VIEWER)
        self.assertFalse(self.activities(software, QUALIFICATION))
