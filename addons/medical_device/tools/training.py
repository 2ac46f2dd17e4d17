"""The validity of a user training (HAS register of trained users): pure
date arithmetic the models and the tests share."""

import calendar
import datetime

# A session of a model without a validity of its own, and no setting: one year.
DEFAULT_VALIDITY_MONTHS = 12
# How many days ahead a training counts as expiring, without a setting.
DEFAULT_EXPIRY_WARNING_DAYS = 60


def add_months(day, months):
    """``day`` plus ``months`` calendar months, on the same day of the month or
    the last day of a shorter month (31 January + 1 month = 28/29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def expiry_date(session_date, validity_months):
    """The last day a training held on ``session_date`` is valid, for a
    validity of ``validity_months`` months; None when it never expires (no or
    a zero validity) or when the date is unknown. A training valid 12 months
    from 15 March 2026 is valid until 14 March 2027 included."""
    if not session_date or not validity_months or validity_months <= 0:
        return None
    return add_months(session_date, validity_months) - datetime.timedelta(days=1)


def training_status(expiry, today, warning_days):
    """``valid``, ``expiring`` (within ``warning_days`` days of ``today``,
    included) or ``expired`` (the day after its expiry); a training without
    expiry is valid."""
    if expiry is None:
        return "valid"
    if expiry < today:
        return "expired"
    if (expiry - today).days <= max(warning_days or 0, 0):
        return "expiring"
    return "valid"


def is_valid_on(session_date, expiry, day):
    """Whether a training held on ``session_date`` (expiring on ``expiry``,
    None for never) counts on ``day``: held that day or before, not expired."""
    if not session_date or session_date > day:
        return False
    return expiry is None or expiry >= day
