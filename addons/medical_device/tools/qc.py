"""Quality-control results against tolerances, overdue plans and the use
suspension they bring (pure functions, no ORM).

Tolerances follow QATrack+: a test has a reference value, a tolerance and an
action level, absolute (in the test's unit) or in percent of the reference.
A measure is

- ``ok`` when its deviation from the reference is within the tolerance;
- ``tolerance`` when it is beyond the tolerance but within the action level
  (a warning: the device stays in use, the trend is watched);
- ``action`` when it is beyond the action level (the control fails).

A control (a maintenance request of a QC plan) is *compliant* when every test
of its plan is measured ``ok``, *out of tolerance* when the worst is
``tolerance``, *non-compliant* when one is ``action``; a control missing a
test has no result yet.
"""

from datetime import timedelta

OK = "ok"
TOLERANCE = "tolerance"
ACTION = "action"
MEASURE_STATUSES = [
    (OK, "Within tolerance"),
    (TOLERANCE, "Beyond tolerance, within action level"),
    (ACTION, "Beyond action level"),
]
TOLERANCE_TYPES = [
    ("absolute", "Absolute (in the test's unit)"),
    ("percent", "Percent of the reference"),
]
COMPLIANT = "compliant"
OUT_OF_TOLERANCE = "out_of_tolerance"
NON_COMPLIANT = "non_compliant"
QC_NATURES = ("qc_internal", "qc_external")
# A float's rounding must not turn a value on the limit into a failure.
EPSILON = 1e-9


def deviation(value, reference, tolerance_type):
    """The deviation of ``value`` from ``reference``: a difference in the
    unit, or a percentage of the reference (None when the reference is 0:
    no percentage of nothing)."""
    difference = value - reference
    if tolerance_type == "percent":
        if not reference:
            return None
        return difference / abs(reference) * 100.0
    return difference


def evaluate(value, reference, tolerance, action_level, tolerance_type="absolute"):
    """The status of a measure: ``ok``, ``tolerance`` or ``action`` (see the
    module's docstring); the limits are symmetric around the reference and
    inclusive. Raises ValueError on limits that make no sense."""
    if tolerance is None or action_level is None:
        raise ValueError("a test needs a tolerance and an action level")
    if tolerance < 0 or action_level < tolerance:
        raise ValueError("the action level must be at least the tolerance, both >= 0")
    gap = deviation(value, reference, tolerance_type)
    if gap is None:
        raise ValueError("a percent tolerance needs a non-zero reference")
    gap = abs(gap)
    if gap <= tolerance + EPSILON:
        return OK
    if gap <= action_level + EPSILON:
        return TOLERANCE
    return ACTION


def bands(reference, tolerance, action_level, tolerance_type="absolute"):
    """``(action low, tolerance low, tolerance high, action high)`` in the
    unit of the measures, for the trend chart."""
    if tolerance_type == "percent":
        tolerance = abs(reference) * tolerance / 100.0
        action_level = abs(reference) * action_level / 100.0
    return (
        reference - action_level,
        reference - tolerance,
        reference + tolerance,
        reference + action_level,
    )


def control_result(statuses_by_test, test_ids):
    """The result of a control from ``{test: status}`` of its measures and the
    tests its plan asks for: non-compliant when one is beyond its action
    level (whatever is missing), otherwise None while a test is missing, out
    of tolerance when one is beyond its tolerance, compliant when all are
    within."""
    statuses = set(statuses_by_test.values())
    if ACTION in statuses:
        return NON_COMPLIANT
    if any(test not in statuses_by_test for test in test_ids):
        return None
    if not statuses:
        return None
    if TOLERANCE in statuses:
        return OUT_OF_TOLERANCE
    return COMPLIANT


def failed_control(controls):
    """The control that keeps a plan's device out of use: the last
    non-compliant one not followed by a compliant control done.
    ``controls``: ``(key, result, done)`` in the order they were recorded."""
    failed = None
    for key, result, done in controls:
        if result == NON_COMPLIANT:
            failed = key
        elif result == COMPLIANT and done and failed is not None:
            failed = None
    return failed


def due_date(open_dates, last_done, period, start):
    """When a plan's next operation is due: the earliest operation generated
    and not done; else its last operation done plus its ``period`` (a
    ``relativedelta``); else its start date. None without a period."""
    if period is None:
        return None
    open_dates = [d for d in open_dates if d]
    if open_dates:
        return min(open_dates)
    if last_done:
        return last_done + period
    return start


def overdue_after(due, tolerance_days):
    """The last day the operation may still be done: the due date plus the
    plan's tolerance window."""
    if not due:
        return None
    return due + timedelta(days=max(tolerance_days or 0, 0))


def is_overdue(last_day, today):
    """Whether a plan whose window ends on ``last_day`` is overdue ``today``."""
    return bool(last_day) and last_day < today


def override_valid(override_due, plan_due, expiry, today, active=True):
    """Whether an engineer's override of an overdue control still holds: it
    was given for the plan's current due date (a control done moves it: the
    override ends), has not expired and was not withdrawn."""
    return bool(
        active and override_due and override_due == plan_due and expiry >= today
    )
