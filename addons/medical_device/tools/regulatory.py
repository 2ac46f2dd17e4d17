"""Regulatory rules on a device's kind, class and CE marking (EU MDR / IVDR)."""

import re

MDR_CLASSES = ("i", "is", "im", "ir", "iia", "iib", "iii")
IVDR_CLASSES = ("ivd_a", "ivd_b", "ivd_c", "ivd_d")

# Which risk classes and CE regimes each kind of device may carry.
KIND_CLASSES = {
    "dm": MDR_CLASSES,
    # Active implantables are class III under the MDR (Annex VIII, rule 8).
    "dmia": ("iii",),
    "dmdiv": IVDR_CLASSES,
}
KIND_REGIMES = {
    "dm": ("mdr", "mdd"),
    "dmia": ("mdr", "aimdd"),
    "dmdiv": ("ivdr", "ivdd"),
}
# Classes that need no notified body under the MDR / IVDR (self-certified).
SELF_CERTIFIED_CLASSES = ("i", "ivd_a")
# Arrêté of 3 March 2003: mandatory maintenance for classes IIb and III.
MANDATORY_MAINTENANCE_CLASSES = ("iib", "iii")

_NOTIFIED_BODY_RE = re.compile(r"^\d{4}$")


def class_allowed_for_kind(kind, risk_class):
    """True when the class fits the kind of device (or either is unset)."""
    if not kind or not risk_class:
        return True
    return risk_class in KIND_CLASSES.get(kind, ())


def regime_allowed_for_kind(kind, regime):
    if not kind or not regime:
        return True
    return regime in KIND_REGIMES.get(kind, ())


def regime_allowed_for_class(regime, risk_class):
    """IVDR/IVDD carry IVD classes only; the others carry MDR classes only."""
    if not regime or not risk_class:
        return True
    ivd_regime = regime in ("ivdr", "ivdd")
    return ivd_regime == (risk_class in IVDR_CLASSES)


def notified_body_required(regime, risk_class):
    """Every class above I (MDR) or A (IVDR) needs a notified body."""
    return (
        regime in ("mdr", "ivdr")
        and bool(risk_class)
        and (risk_class not in SELF_CERTIFIED_CLASSES)
    )


def is_valid_notified_body_number(number):
    return bool(number) and bool(_NOTIFIED_BODY_RE.match(number))


def transition_deadline(rules, regime, risk_class, implantable):
    """Return the deadline of the first matching rule, or None.

    ``rules`` is an ordered iterable of mappings with keys ``ce_regime``,
    ``risk_class`` (falsy: any class), ``implantable_only`` and ``deadline``.
    """
    if not regime:
        return None
    for rule in rules:
        if rule["ce_regime"] != regime:
            continue
        if rule["risk_class"] and rule["risk_class"] != risk_class:
            continue
        if rule["implantable_only"] and not implantable:
            continue
        return rule["deadline"]
    return None


def maintenance_obligations(risk_class, ionising):
    """Arrêté of 3 March 2003: (maintenance obligatory, quality control obligatory).

    Ionising radiation devices (radiodiagnosis imaging, radiotherapy, nuclear
    medicine) need maintenance and internal plus external quality control.
    """
    maintenance = bool(ionising) or risk_class in MANDATORY_MAINTENANCE_CLASSES
    return maintenance, bool(ionising)
