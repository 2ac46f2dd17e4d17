"""Translated reasons of ``qualification.Conclusion``; ``env`` is given.

Each text is a literal inside an ``env._()`` call so that Odoo's translation
extractor finds it.
"""

_REASONS = {
    "step1_not_software": lambda env: env._(
        "MDCG 2019-11 step 1: it is not software, the software rules do not apply."
    ),
    "step2_drives_device": lambda env: env._(
        "MDCG 2019-11 step 2: it drives or influences the use of a (hardware) "
        "medical device, or is its accessory: it is covered by the MDR with that "
        "device."
    ),
    "driven_class": lambda env: env._(
        "MDR Annex VIII, implementing rule 3.3: software that drives or "
        "influences the use of a device falls within the class of that device."
    ),
    "driven_class_unknown": lambda env: env._(
        "Implementing rule 3.3: its class is the class of the device it drives, "
        "which is not known: choose the device or give the class."
    ),
    "step3_no_action_on_data": lambda env: env._(
        "MDCG 2019-11 step 3: it only stores, archives, communicates, searches "
        "or compresses data without loss: it is not medical device software."
    ),
    "step4_not_individual": lambda env: env._(
        "MDCG 2019-11 step 4: it does not act for the benefit of individual "
        "patients (e.g. epidemiology, statistics): it is not medical device "
        "software."
    ),
    "step5_no_medical_purpose": lambda env: env._(
        "MDCG 2019-11 step 5: its intended purpose is not one of MDR article "
        "2(1) (diagnosis, prevention, monitoring, prediction, prognosis, "
        "treatment or alleviation of disease…): it is not a medical device."
    ),
    "step5_mdsw": lambda env: env._(
        "MDCG 2019-11 step 5: it acts on data for individual patients with a "
        "medical purpose of MDR article 2(1): it is medical device software."
    ),
    "step6_ivd": lambda env: env._(
        "MDCG 2019-11 step 6: its information comes from in-vitro diagnostic "
        "examinations: it falls under the IVDR, whose classification rules "
        "(classes A to D) are applied by the pharmacist."
    ),
    "rule11_decision_other": lambda env: env._(
        "Rule 11: it gives information used to take diagnostic or therapeutic "
        "decisions: class IIa."
    ),
    "rule11_decision_serious": lambda env: env._(
        "Rule 11: those decisions may cause a serious deterioration of health or "
        "a surgical intervention: class IIb."
    ),
    "rule11_decision_death": lambda env: env._(
        "Rule 11: those decisions may cause death or an irreversible "
        "deterioration of health: class III."
    ),
    "rule11_monitoring": lambda env: env._(
        "Rule 11: it monitors physiological processes: class IIa."
    ),
    "rule11_monitoring_vital": lambda env: env._(
        "Rule 11: it monitors vital physiological parameters whose variations "
        "could put the patient in immediate danger: class IIb."
    ),
    "rule11_other": lambda env: env._("Rule 11: all other software is class I."),
}


def reason_message(env, code):
    """Translated text of a reason code (the code itself if unknown)."""
    message = _REASONS.get(code)
    return message(env) if message else code
