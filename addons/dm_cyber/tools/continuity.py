"""Continuity of care when a cyberattack hits (PRA/PCA): which plan a device
follows, and whether a very critical connected device is covered.

Pure functions: the period between two exercises is a setting
(``dm_cyber.continuity_exercise_days``), the plans are records.
"""

from datetime import timedelta

# The continuity status of a device.
OUT_OF_SCOPE = "out_of_scope"  # not a very critical connected device in service
MISSING = "missing"  # no plan, neither its own nor its model's
STALE = "stale"  # a plan never exercised, or not within the period
COVERED = "covered"  # a plan exercised within the period

DEFAULT_EXERCISE_DAYS = 365


def normalise_model(name):
    """A device model as a plan stores it: trimmed (it is then matched
    case-insensitively, wildcards taken literally, as the ``=ilike`` of
    medical_device's model plans)."""
    return (name or "").strip() or False


def exercise_limit(today, days):
    """The oldest exercise date still within the period."""
    return today - timedelta(days=max(int(days or 0), 0))


def exercised_within(last_exercised_on, today, days):
    return bool(last_exercised_on) and last_exercised_on >= exercise_limit(today, days)


def continuity_status(in_scope, has_plan, last_exercised_on, today, days):
    """The status of a device (see the constants above)."""
    if not in_scope:
        return OUT_OF_SCOPE
    if not has_plan:
        return MISSING
    if not exercised_within(last_exercised_on, today, days):
        return STALE
    return COVERED
