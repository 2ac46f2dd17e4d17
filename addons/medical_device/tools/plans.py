"""Maintenance and quality-control plans: which mandatory plans a device
needs and whether a plan meets one (pure functions, no ORM).

A requirement (``dm.plan.requirement``, reference data) says: a device whose
maintenance (or quality control) is obligatory, optionally of one imaging
modality, needs a plan of a nature, at most every ``interval`` ``step``
(no interval: any periodicity, the manufacturer's).
"""

PLAN_NATURES = [
    ("preventive", "Preventive maintenance"),
    ("qc_internal", "Internal quality control"),
    ("qc_external", "External quality control (accredited body)"),
    ("safety_check", "Electrical safety check"),
    ("calibration", "Calibration / metrology"),
]
PLAN_SOURCES = [
    ("manufacturer", "Manufacturer's recommendation"),
    ("regulation", "Regulation (arrêté)"),
    ("ansm", "ANSM decision"),
    ("internal", "Internal procedure"),
]
PLAN_PERFORMERS = [
    ("internal", "Hospital team"),
    ("contractor", "Contractor"),
]
IMAGING_MODALITIES = [
    ("mammography", "Mammography"),
    ("ct", "Computed tomography (CT)"),
    ("radiology", "Conventional radiology"),
    ("dental", "Dental radiology"),
    ("radiotherapy", "Radiotherapy"),
    ("interventional", "Interventional radiology"),
    ("nuclear_medicine", "Nuclear medicine"),
    ("other", "Other ionising device"),
]
OBLIGATIONS = [
    ("maintenance", "Maintenance obligatory"),
    ("quality_control", "Quality control obligatory"),
]
# The length of one step in days, a month being a twelfth of a year: 12 months
# is one year, 52 weeks a little less.
DAYS_PER_STEP = {"day": 1.0, "week": 7.0, "month": 365.25 / 12, "year": 365.25}


def period_days(interval, step):
    """The period of ``interval`` ``step`` in days; None when there is none
    (no interval, or a step this module does not know)."""
    if not interval or interval <= 0 or step not in DAYS_PER_STEP:
        return None
    return interval * DAYS_PER_STEP[step]


def requirement_applies(
    obligation,
    modality,
    maintenance_obligatory,
    quality_control_obligatory,
    device_modality,
):
    """Whether a requirement for ``obligation`` (and ``modality``, if any)
    applies to a device with these obligations and imaging modality."""
    obliged = {
        "maintenance": maintenance_obligatory,
        "quality_control": quality_control_obligatory,
    }.get(obligation)
    if not obliged:
        return False
    return not modality or modality == device_modality


# Natures whose operations only a contractor does (an accredited body).
CONTRACTOR_NATURES = ("qc_external",)


def plan_meets(plan, requirement):
    """Whether a plan ``(nature, interval, step, performer)`` meets a
    requirement ``(nature, interval, step)``: same nature, a performer (a
    contractor for an external control), and a period no longer than the
    required one (any, when none is required)."""
    nature, interval, step, performer = plan
    required_nature, required_interval, required_step = requirement
    if nature != required_nature or not performer:
        return False
    if nature in CONTRACTOR_NATURES and performer != "contractor":
        return False
    required = period_days(required_interval, required_step)
    if required is None:
        return period_days(interval, step) is not None
    actual = period_days(interval, step)
    return actual is not None and actual <= required + 1e-6
