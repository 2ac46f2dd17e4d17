"""MDCG 2019-11 qualification and MDR rule 11 classification (plain unittest,
run by pytest): the decision tree and the representative cases."""

import unittest

from odoo.addons.dm_software.tools import qualification as q

YES, NO = q.YES, q.NO
MDSW_PATH = {
    "is_software": YES,
    "drives_device": NO,
    "acts_on_data": YES,
    "individual_benefit": YES,
    "medical_purpose": YES,
    "ivd_data": NO,
}


def mdsw(**rule11):
    return {**MDSW_PATH, **rule11}


class TestRepresentativeCases(unittest.TestCase):
    def test_pacs_viewer_storing_images_is_not_a_medical_device(self):
        conclusion = q.qualify(
            {"is_software": YES, "drives_device": NO, "acts_on_data": NO}
        )
        self.assertEqual(conclusion.outcome, q.NOT_MDSW)
        self.assertIs(conclusion.is_medical_device, False)
        self.assertIsNone(conclusion.risk_class)
        self.assertEqual(conclusion.reasons, ("step3_no_action_on_data",))

    def test_ai_nodule_detector_is_class_iia(self):
        conclusion = q.qualify(
            mdsw(
                decision_support=YES,
                decision_impact=q.IMPACT_OTHER,
                monitors_physiology=NO,
            )
        )
        self.assertEqual(conclusion.outcome, q.MDSW)
        self.assertIs(conclusion.is_medical_device, True)
        self.assertEqual((conclusion.risk_class, conclusion.regime), ("iia", "mdr"))
        self.assertIn("rule11_decision_other", conclusion.reasons)

    def test_software_driving_an_infusion_pump_follows_the_pump(self):
        answers = {"is_software": YES, "drives_device": YES}
        conclusion = q.qualify(answers, driven_device_class="iib")
        self.assertEqual(conclusion.outcome, q.DRIVES_DEVICE)
        self.assertIs(conclusion.is_medical_device, True)
        self.assertEqual(conclusion.risk_class, "iib")
        self.assertEqual(conclusion.reasons, ("step2_drives_device", "driven_class"))
        # Without the pump's class, it is a medical device of unknown class.
        unknown = q.qualify(answers)
        self.assertIs(unknown.is_medical_device, True)
        self.assertIsNone(unknown.risk_class)
        self.assertIn("driven_class_unknown", unknown.reasons)

    def test_insulin_dose_calculator_is_a_medical_device(self):
        conclusion = q.qualify(
            mdsw(
                decision_support=YES,
                decision_impact=q.IMPACT_SERIOUS,
                monitors_physiology=NO,
            )
        )
        self.assertEqual(conclusion.outcome, q.MDSW)
        self.assertIs(conclusion.is_medical_device, True)
        self.assertEqual(conclusion.risk_class, "iib")


class TestQualificationTree(unittest.TestCase):
    def test_each_step_asks_the_next_question(self):
        answers = {}
        for key in q.QUALIFICATION_QUESTIONS:
            self.assertEqual(q.qualify(answers).next_question, key)
            self.assertEqual(q.qualify(answers).outcome, q.INCOMPLETE)
            answers[key] = MDSW_PATH[key]
        self.assertEqual(q.qualify(answers).next_question, "decision_support")

    def test_not_software(self):
        conclusion = q.qualify({"is_software": NO})
        self.assertEqual(conclusion.outcome, q.NOT_SOFTWARE)
        self.assertIs(conclusion.is_medical_device, False)

    def test_not_for_individual_patients(self):
        conclusion = q.qualify({**MDSW_PATH, "individual_benefit": NO})
        self.assertEqual(conclusion.outcome, q.NOT_MDSW)
        self.assertEqual(conclusion.reasons, ("step4_not_individual",))

    def test_no_medical_purpose(self):
        conclusion = q.qualify({**MDSW_PATH, "medical_purpose": NO})
        self.assertEqual(conclusion.outcome, q.NOT_MDSW)
        self.assertEqual(conclusion.reasons, ("step5_no_medical_purpose",))

    def test_ivd_software_has_no_rule11_class(self):
        conclusion = q.qualify({**MDSW_PATH, "ivd_data": YES})
        self.assertEqual(conclusion.outcome, q.IVD_MDSW)
        self.assertEqual(conclusion.regime, "ivdr")
        self.assertIsNone(conclusion.risk_class)
        self.assertIsNone(conclusion.next_question)

    def test_bad_answers_are_refused(self):
        with self.assertRaises(ValueError):
            q.qualify({"is_software": "maybe"})
        with self.assertRaises(ValueError):
            q.qualify(mdsw(decision_support=YES, decision_impact="terrible"))

    def test_asked_questions_follow_the_answers(self):
        self.assertEqual(q.asked_questions({}), ("is_software",))
        self.assertEqual(q.asked_questions({"is_software": NO}), ("is_software",))
        # A driver stops at step 2: stale later answers are not asked.
        self.assertEqual(
            q.asked_questions({**MDSW_PATH, "drives_device": YES}),
            ("is_software", "drives_device"),
        )
        self.assertEqual(
            q.asked_questions(mdsw(decision_support=NO)),
            (*q.QUALIFICATION_QUESTIONS, "decision_support", "monitors_physiology"),
        )
        self.assertEqual(
            q.asked_questions(
                mdsw(
                    decision_support=YES,
                    decision_impact=q.IMPACT_DEATH,
                    monitors_physiology=YES,
                    vital_parameters=NO,
                )
            ),
            (*q.QUALIFICATION_QUESTIONS, *q.RULE11_QUESTIONS),
        )


class TestRule11(unittest.TestCase):
    def assertClass(self, expected, **answers):
        risk_class, _reasons, next_question = q.rule11_class(answers)
        self.assertIsNone(next_question)
        self.assertEqual(risk_class, expected)

    def test_decisions(self):
        self.assertClass(
            "iia",
            decision_support=YES,
            decision_impact=q.IMPACT_OTHER,
            monitors_physiology=NO,
        )
        self.assertClass(
            "iib",
            decision_support=YES,
            decision_impact=q.IMPACT_SERIOUS,
            monitors_physiology=NO,
        )
        self.assertClass(
            "iii",
            decision_support=YES,
            decision_impact=q.IMPACT_DEATH,
            monitors_physiology=NO,
        )

    def test_monitoring(self):
        self.assertClass(
            "iia", decision_support=NO, monitors_physiology=YES, vital_parameters=NO
        )
        self.assertClass(
            "iib", decision_support=NO, monitors_physiology=YES, vital_parameters=YES
        )

    def test_the_highest_class_wins(self):
        self.assertClass(
            "iib",
            decision_support=YES,
            decision_impact=q.IMPACT_OTHER,
            monitors_physiology=YES,
            vital_parameters=YES,
        )
        self.assertClass(
            "iii",
            decision_support=YES,
            decision_impact=q.IMPACT_DEATH,
            monitors_physiology=YES,
            vital_parameters=YES,
        )

    def test_all_other_software_is_class_i(self):
        self.assertClass("i", decision_support=NO, monitors_physiology=NO)
        _class, reasons, _next = q.rule11_class(
            {"decision_support": NO, "monitors_physiology": NO}
        )
        self.assertEqual(reasons, ("rule11_other",))

    def test_missing_answers(self):
        self.assertEqual(q.rule11_class({})[2], "decision_support")
        self.assertEqual(
            q.rule11_class({"decision_support": YES})[2], "decision_impact"
        )
        self.assertEqual(
            q.rule11_class({"decision_support": NO, "monitors_physiology": YES})[2],
            "vital_parameters",
        )
