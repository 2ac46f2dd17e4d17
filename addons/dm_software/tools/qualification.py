"""Is this software a medical device, and of which class?

Pure Python, no Odoo import: answers in, conclusion out.

* Qualification follows the decision steps of MDCG 2019-11 (October 2019,
  rev. 1 June 2025), figure 1: software → accessory or driver of a hardware
  device → action on data beyond storage, archival, communication, simple
  search or lossless compression → benefit of individual patients → an
  intended purpose of MDR art. 2(1) → information from in-vitro diagnostic
  examinations (IVDR).
* Classification follows MDR Annex VIII, rule 11, and implementing rule 3.3:
  software that drives or influences the use of a device falls within the
  class of that device.

Yes/no answers are ``"yes"``, ``"no"`` or ``None`` (not answered yet). The
conclusion names the next question to ask while answers are missing, and
gives its reasons as stable codes; :data:`REASONS` holds their English text,
marked for translation (the model layer renders them in the user's language).
"""

from dataclasses import dataclass

from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

YES = "yes"
NO = "no"

# Questions in the order they are asked; the rule 11 ones only for MDSW
# under the MDR.
QUALIFICATION_QUESTIONS = (
    "is_software",
    "drives_device",
    "acts_on_data",
    "individual_benefit",
    "medical_purpose",
    "ivd_data",
)
RULE11_QUESTIONS = (
    "decision_support",
    "decision_impact",
    "monitors_physiology",
    "vital_parameters",
)
QUESTIONS = QUALIFICATION_QUESTIONS + RULE11_QUESTIONS

# Rule 11, first indent: the worst impact of a decision taken on the
# information the software gives.
IMPACT_OTHER = "other"
IMPACT_SERIOUS = "serious"  # serious deterioration of health or surgery
IMPACT_DEATH = "death"  # death or irreversible deterioration of health
IMPACTS = (IMPACT_OTHER, IMPACT_SERIOUS, IMPACT_DEATH)

# Outcomes.
INCOMPLETE = "incomplete"
NOT_SOFTWARE = "not_software"
NOT_MDSW = "not_mdsw"
DRIVES_DEVICE = "drives_device"
MDSW = "mdsw"
IVD_MDSW = "ivd_mdsw"
MEDICAL_DEVICE_OUTCOMES = (DRIVES_DEVICE, MDSW, IVD_MDSW)

# MDR classes in increasing order of risk (keys of medical_device's RISK_CLASSES).
CLASS_ORDER = ("i", "iia", "iib", "iii")


# English text of each reason code, marked for translation.
REASONS = {
    "step1_not_software": _lt(
        "MDCG 2019-11 step 1: it is not software, the software rules do not apply."
    ),
    "step2_drives_device": _lt(
        "MDCG 2019-11 step 2: it drives or influences the use of a (hardware) "
        "medical device, or is its accessory: it is covered by the MDR with that "
        "device."
    ),
    "driven_class": _lt(
        "MDR Annex VIII, implementing rule 3.3: software that drives or "
        "influences the use of a device falls within the class of that device."
    ),
    "driven_class_unknown": _lt(
        "Implementing rule 3.3: its class is the class of the device it drives, "
        "which is not known: choose the device or give the class."
    ),
    "step3_no_action_on_data": _lt(
        "MDCG 2019-11 step 3: it only stores, archives, communicates, searches "
        "or compresses data without loss: it is not medical device software."
    ),
    "step4_not_individual": _lt(
        "MDCG 2019-11 step 4: it does not act for the benefit of individual "
        "patients (e.g. epidemiology, statistics): it is not medical device "
        "software."
    ),
    "step5_no_medical_purpose": _lt(
        "MDCG 2019-11 step 5: its intended purpose is not one of MDR article "
        "2(1) (diagnosis, prevention, monitoring, prediction, prognosis, "
        "treatment or alleviation of disease…): it is not a medical device."
    ),
    "step5_mdsw": _lt(
        "MDCG 2019-11 step 5: it acts on data for individual patients with a "
        "medical purpose of MDR article 2(1): it is medical device software."
    ),
    "step6_ivd": _lt(
        "MDCG 2019-11 step 6: its information comes from in-vitro diagnostic "
        "examinations: it falls under the IVDR, whose classification rules "
        "(classes A to D) are applied by the pharmacist."
    ),
    "rule11_decision_other": _lt(
        "Rule 11: it gives information used to take diagnostic or therapeutic "
        "decisions: class IIa."
    ),
    "rule11_decision_serious": _lt(
        "Rule 11: those decisions may cause a serious deterioration of health or "
        "a surgical intervention: class IIb."
    ),
    "rule11_decision_death": _lt(
        "Rule 11: those decisions may cause death or an irreversible "
        "deterioration of health: class III."
    ),
    "rule11_monitoring": _lt(
        "Rule 11: it monitors physiological processes: class IIa."
    ),
    "rule11_monitoring_vital": _lt(
        "Rule 11: it monitors vital physiological parameters whose variations "
        "could put the patient in immediate danger: class IIb."
    ),
    "rule11_other": _lt("Rule 11: all other software is class I."),
}


@dataclass(frozen=True)
class Conclusion:
    outcome: str
    # None while incomplete, otherwise whether the software is a medical device.
    is_medical_device: bool | None = None
    # MDR class from rule 11 or the driven device; None when it cannot be told.
    risk_class: str | None = None
    # "mdr" or "ivdr" for a medical device software.
    regime: str | None = None
    reasons: tuple = ()
    next_question: str | None = None


def _yes_no(answers, key):
    value = answers.get(key)
    if value not in (YES, NO, None, False, ""):
        raise ValueError(f"answer {key!r} must be 'yes', 'no' or None, got {value!r}")
    return value or None


def _max_class(*classes):
    return max((c for c in classes if c), key=CLASS_ORDER.index, default=None)


def rule11_class(answers):
    """(class, reasons, next question) of MDR Annex VIII rule 11."""
    reasons = []
    decision = _yes_no(answers, "decision_support")
    if decision is None:
        return None, (), "decision_support"
    decision_class = None
    if decision == YES:
        impact = answers.get("decision_impact") or None
        if impact is None:
            return None, (), "decision_impact"
        if impact not in IMPACTS:
            raise ValueError(
                f"decision_impact must be one of {IMPACTS}, got {impact!r}"
            )
        decision_class = {
            IMPACT_OTHER: "iia",
            IMPACT_SERIOUS: "iib",
            IMPACT_DEATH: "iii",
        }[impact]
        reasons.append(f"rule11_decision_{impact}")
    monitoring = _yes_no(answers, "monitors_physiology")
    if monitoring is None:
        return None, (), "monitors_physiology"
    monitoring_class = None
    if monitoring == YES:
        vital = _yes_no(answers, "vital_parameters")
        if vital is None:
            return None, (), "vital_parameters"
        monitoring_class = "iib" if vital == YES else "iia"
        reasons.append(
            "rule11_monitoring_vital" if vital == YES else "rule11_monitoring"
        )
    risk_class = _max_class(decision_class, monitoring_class)
    if risk_class is None:
        risk_class = "i"
        reasons.append("rule11_other")
    return risk_class, tuple(reasons), None


def qualify(answers, driven_device_class=None):
    """Walk MDCG 2019-11 then rule 11 over ``answers`` (a mapping).

    ``driven_device_class`` is the risk class of the hardware device the
    software drives or influences, when there is one.
    """
    steps = (
        ("is_software", NO, NOT_SOFTWARE, "step1_not_software"),
        ("drives_device", YES, DRIVES_DEVICE, "step2_drives_device"),
        ("acts_on_data", NO, NOT_MDSW, "step3_no_action_on_data"),
        ("individual_benefit", NO, NOT_MDSW, "step4_not_individual"),
        ("medical_purpose", NO, NOT_MDSW, "step5_no_medical_purpose"),
    )
    for key, stop_answer, outcome, reason in steps:
        answer = _yes_no(answers, key)
        if answer is None:
            return Conclusion(INCOMPLETE, next_question=key)
        if answer != stop_answer:
            continue
        if outcome == DRIVES_DEVICE:
            return Conclusion(
                DRIVES_DEVICE,
                is_medical_device=True,
                risk_class=driven_device_class or None,
                regime="mdr",
                reasons=(
                    reason,
                    "driven_class" if driven_device_class else "driven_class_unknown",
                ),
            )
        return Conclusion(outcome, is_medical_device=False, reasons=(reason,))
    ivd = _yes_no(answers, "ivd_data")
    if ivd is None:
        return Conclusion(INCOMPLETE, next_question="ivd_data")
    if ivd == YES:
        return Conclusion(
            IVD_MDSW,
            is_medical_device=True,
            regime="ivdr",
            reasons=("step5_mdsw", "step6_ivd"),
        )
    risk_class, reasons, next_question = rule11_class(answers)
    if next_question:
        return Conclusion(INCOMPLETE, next_question=next_question)
    return Conclusion(
        MDSW,
        is_medical_device=True,
        risk_class=risk_class,
        regime="mdr",
        reasons=("step5_mdsw", *reasons),
    )


def asked_questions(answers, driven_device_class=None):
    """The questions the walk reaches with these answers, in order: the ones
    a form shows (answered ones and the next one)."""
    asked = []
    partial = {}
    for key in QUESTIONS:
        conclusion = qualify(partial, driven_device_class)
        if conclusion.next_question != key:
            continue
        asked.append(key)
        if answers.get(key) in (None, False, ""):
            break
        partial[key] = answers[key]
    return tuple(asked)
