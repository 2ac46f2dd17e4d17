"""PIEU criticality: P x I x E x U; the lower the product, the more critical."""

VERY_CRITICAL = "very_critical"
MODERATE = "moderate"
LOW = "low"
# The four factors, as fields of a device and of a reception report.
FIELDS = ("pieu_p_id", "pieu_i_id", "pieu_e_id", "pieu_u_id")


def pieu_score(p, i, e, u):
    """Return P*I*E*U, or None while any factor is missing."""
    factors = (p, i, e, u)
    if any(f is None or f is False for f in factors):
        return None
    score = 1.0
    for factor in factors:
        score *= factor
    return score


def pieu_criticality(score, very_critical_below, low_above):
    """Classify a score: < very_critical_below is very critical, > low_above is low.

    The seed leaves the bounds themselves open; they count as moderate.
    """
    if score is None:
        return None
    if very_critical_below > low_above:
        raise ValueError("very_critical_below must not exceed low_above")
    if score < very_critical_below:
        return VERY_CRITICAL
    if score > low_above:
        return LOW
    return MODERATE
