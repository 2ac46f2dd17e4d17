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


def format_pieu_score(score, decimal_point=".", max_digits=4):
    """The score as a person reads it: as many decimals as it has, at most
    ``max_digits`` (the precision of the levels), none when it is whole, with
    the reader's decimal point: 6 -> "6", 0.0001 -> "0,0001", 1.5 -> "1,5".
    None (a factor missing) gives None: say "not assessed", never "0". A
    score below the precision (levels of 0.0001 multiplied) keeps its first
    significant digit rather than reading 0."""
    if score is None or score is False:
        return None
    digits = max_digits
    while digits < 16 and score and not round(score, digits):
        digits += 1
    text = f"{score:.{digits}f}".rstrip("0").rstrip(".")
    if text in ("", "-0"):
        text = "0"
    return text.replace(".", decimal_point)
