"""Pure logic of the criticality dashboard: the colour of a figure against its
target, and the availability of a group of devices. The targets and alert
thresholds are data (``dm.dashboard.indicator``), never constants here."""

# The year the dashboard looks back on (hours, days).
HOURS_PER_YEAR = 365 * 24
DAYS_PER_YEAR = 365

LOWER_IS_BETTER = "lower"
HIGHER_IS_BETTER = "higher"
NO_TARGET = "info"

SUCCESS = "success"
WARNING = "warning"
DANGER = "danger"
MUTED = "muted"


def indicator_state(value, target, alert, direction):
    """Green (``success``) when the value meets its target, red (``danger``)
    when it is beyond the alert threshold, amber (``warning``) in between;
    ``muted`` when there is no value (no device) or no target.

    >>> indicator_state(0, 0, 2, "lower"), indicator_state(1, 0, 2, "lower")
    ('success', 'warning')
    >>> indicator_state(3, 0, 2, "lower"), indicator_state(96, 98, 95, "higher")
    ('danger', 'warning')
    """
    if value is None or direction not in (LOWER_IS_BETTER, HIGHER_IS_BETTER):
        return MUTED
    if direction == LOWER_IS_BETTER:
        if value <= target:
            return SUCCESS
        return DANGER if value > alert else WARNING
    if value >= target:
        return SUCCESS
    return DANGER if value < alert else WARNING


def availability_rate(downtime_hours, device_count, period_hours=HOURS_PER_YEAR):
    """Percentage of the period the devices were available: 100 × (1 −
    downtime / (devices × hours)); ``None`` without a device.

    >>> availability_rate(87.6, 1)
    99.0
    """
    if not device_count:
        return None
    rate = 100.0 * (1.0 - downtime_hours / (device_count * period_hours))
    return max(0.0, min(100.0, rate))


def ratio_percent(part, whole):
    """``part`` as a percentage of ``whole``; ``None`` when ``whole`` is 0."""
    if not whole:
        return None
    return 100.0 * part / whole
