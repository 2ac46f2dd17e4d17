"""Cyber risk of a connected medical device: a weighted sum of risky answers.

Pure functions: the weights and thresholds come from editable data.
"""

from datetime import timedelta

LEVELS = ("low", "medium", "high", "critical")

# Each factor: the matrix answer that raises the risk.
FACTOR_CHECKS = {
    "os_unknown": lambda a: not a["os_recorded"],
    "os_obsolete": lambda a: a["os_obsolete"],
    "antivirus_none": lambda a: a["antivirus"] in (None, False, "none"),
    "antivirus_vendor": lambda a: a["antivirus"] == "vendor",
    "not_domain_joined": lambda a: not a["domain_joined"],
    "internet_access": lambda a: a["internet_access"],
    "patient_data": lambda a: a["patient_data"],
    "no_vendor_firewall": lambda a: not a["vendor_firewall"],
    "usb_unlocked": lambda a: not a["usb_locked"],
    "default_accounts": lambda a: not a["default_accounts_changed"],
    "patch_outdated": lambda a: a["patch_outdated"],
    "remote_uncontrolled": lambda a: a["remote_channel"] == "uncontrolled",
    "no_mds2": lambda a: not a["mds2_received"],
    # An open vulnerability known exploited (KEV) or with a high EPSS, on a
    # device holding patient data or reaching the Internet.
    "exploited_vulnerability": lambda a: bool(
        a.get("exploitable_vulnerability")
        and (a["patient_data"] or a["internet_access"])
    ),
}


def is_obsolete(end_of_support, today):
    return bool(end_of_support) and end_of_support < today


def patch_outdated(last_patch_date, max_age_days, today):
    """Never patched, or last patched more than ``max_age_days`` ago."""
    return not last_patch_date or last_patch_date < today - timedelta(days=max_age_days)


def risk_reasons(answers, weights):
    """The factors that apply, with their weight, heaviest first."""
    reasons = [
        (code, weight)
        for code, weight in weights.items()
        if weight and code in FACTOR_CHECKS and FACTOR_CHECKS[code](answers)
    ]
    return sorted(reasons, key=lambda reason: (-reason[1], reason[0]))


def risk_level(score, medium_from, high_from, critical_from):
    if not medium_from <= high_from <= critical_from:
        raise ValueError("cyber risk thresholds must increase")
    if score >= critical_from:
        return "critical"
    if score >= high_from:
        return "high"
    if score >= medium_from:
        return "medium"
    return "low"


def assess(answers, weights, thresholds):
    """Return (score, level, reasons) for one device's answers."""
    reasons = risk_reasons(answers, weights)
    score = sum(weight for _code, weight in reasons)
    return score, risk_level(score, *thresholds), reasons


def level_raised(old, new):
    """Whether ``new`` is a worse rated level than ``old``; "not assessed" (or
    no level) counts as no rating yet."""
    old = old if old in LEVELS else None
    new = new if new in LEVELS else None
    return LEVELS.index(new) > LEVELS.index(old) if old and new else bool(new)
