"""Priority of a device's vulnerability: what the RSSI handles first.

Pure functions, no env. The priority is a score from 0 to 100, the sum of
explainable parts (see :func:`priority_parts`):

- the severity, the CVSS base score times 4 (0 to 40);
- exploited in the wild (CISA's KEV catalogue): +30;
- likely to be exploited (an EPSS score at or above the hospital's threshold,
  setting ``dm_cyber.epss_high_from``): +15;
- the device's exposure: Internet access +10, patient data +5.

A closed line (not affected, mitigated, fixed) or one whose device no longer
matches its advisory has priority 0: it leaves the top of the RSSI's list.
"""

DEFAULT_EPSS_HIGH_FROM = 0.1
CVSS_FACTOR = 4
KNOWN_EXPLOITED_POINTS = 30
EPSS_HIGH_POINTS = 15
INTERNET_POINTS = 10
PATIENT_DATA_POINTS = 5
# Lower bounds of the levels (score >= bound), worst first.
LEVEL_BOUNDS = (("critical", 70), ("high", 50), ("medium", 30), ("low", 0))


def epss_high(epss, threshold=DEFAULT_EPSS_HIGH_FROM):
    """Whether an EPSS score (a probability, 0 to 1) counts as high."""
    return bool(epss) and threshold is not None and epss >= threshold


def exploitable(known_exploited, epss, threshold=DEFAULT_EPSS_HIGH_FROM):
    """Exploited in the wild or likely to be (the risk factor's first half)."""
    return bool(known_exploited) or epss_high(epss, threshold)


def priority_parts(
    cvss,
    known_exploited,
    epss,
    internet_access,
    patient_data,
    threshold=DEFAULT_EPSS_HIGH_FROM,
):
    """``[(part code, points)]`` of an open line's priority, in this order:
    ``cvss``, ``known_exploited``, ``epss_high``, ``internet_access``,
    ``patient_data`` (only the parts that count)."""
    cvss = min(max(float(cvss or 0.0), 0.0), 10.0)
    parts = []
    if cvss:
        parts.append(("cvss", round(cvss * CVSS_FACTOR)))
    if known_exploited:
        parts.append(("known_exploited", KNOWN_EXPLOITED_POINTS))
    if epss_high(epss, threshold):
        parts.append(("epss_high", EPSS_HIGH_POINTS))
    if internet_access:
        parts.append(("internet_access", INTERNET_POINTS))
    if patient_data:
        parts.append(("patient_data", PATIENT_DATA_POINTS))
    return parts


def priority(
    cvss,
    known_exploited,
    epss,
    internet_access,
    patient_data,
    threshold=DEFAULT_EPSS_HIGH_FROM,
    is_open=True,
):
    """The priority score (0 to 100) of a line; 0 when it is closed."""
    if not is_open:
        return 0
    parts = priority_parts(
        cvss, known_exploited, epss, internet_access, patient_data, threshold
    )
    return min(100, sum(points for _code, points in parts))


def priority_level(score):
    """``critical``, ``high``, ``medium`` or ``low`` for a priority score;
    ``False`` for 0 (a closed line)."""
    if not score:
        return False
    return next(level for level, bound in LEVEL_BOUNDS if score >= bound)
