"""Maintenance and quality-control plans: which mandatory plans a device
needs and whether a plan meets one (pure functions, no ORM).

A requirement (``dm.plan.requirement``, reference data) says: a device whose
maintenance (or quality control) is obligatory, optionally of one imaging
modality, needs a plan of a nature, at most every ``interval`` ``step``
(no interval: any periodicity, the manufacturer's).
"""

from dateutil.relativedelta import relativedelta

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


# ---------------------------------------------------------------- dates
# OCA maintenance_plan's dates of a plan, as pure functions: its next date and
# the dates its generation creates up to the horizon (same semantics as its
# ``_compute_next_maintenance`` and ``_create_new_request``), so that a whole
# fleet's plans are computed from a few grouped queries.


def step_delta(interval, step):
    """``interval`` ``step`` (day, week, month, year; a year when not set) as
    a relativedelta."""
    return relativedelta(**{f"{step or 'year'}s": interval})


def next_maintenance_date(start, first_open, last, interval, step, today):
    """The next date of a plan (OCA): its first operation not done, else its
    last operation plus the interval, else its start moved by intervals to
    today or later. ``first_open`` and ``last`` count the operations from the
    start on; None when there is no start."""
    if first_open:
        return first_open
    delta = step_delta(interval, step)
    if last:
        return last + delta
    if not start:
        return None
    next_date = start
    while next_date < today:
        next_date += delta
    return next_date


def dates_to_generate(
    next_date, furthest, interval, step, horizon, horizon_step, today
):
    """The dates of the operations a generation creates (OCA): from the
    furthest operation plus the interval (else the plan's next date), every
    interval up to today plus the horizon, those from today on."""
    delta = step_delta(interval, step)
    end = today + step_delta(horizon, horizon_step)
    current = furthest + delta if furthest else next_date
    dates = []
    while current and current <= end:
        if current >= today:
            dates.append(current)
        current += delta
    return dates
