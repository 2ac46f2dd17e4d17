"""GS1 UDI carriers: element strings with or without parentheses."""

import re

from .udi_common import (
    _CSET82,
    _DIGITS,
    GS,
    UdiData,
    UdiError,
    _make_date,
    _show,
    _year_from_yy,
)

GS1_SYMBOLOGY_PREFIXES = ("]C1", "]d2", "]Q3", "]e0")

# ai: (max length, fixed length, numeric)
GS1_AIS = {
    "01": (14, True, True),
    "11": (6, True, True),
    "17": (6, True, True),
    "10": (20, False, False),
    "21": (20, False, False),
    "240": (30, False, False),
    "30": (8, False, True),
}
_GS1_ORDER = ("01", "11", "17", "10", "21", "240", "30")
_PAREN_FIELD = re.compile(r"\(([^()]*)\)([^()]*)")


def gtin_check_digit(digits13: str) -> int:
    """GS1 mod 10 check digit of the digits preceding it (13 for a GTIN-14).

    Raises ValueError if ``digits13`` is not a non-empty string of ASCII digits.
    """
    if not isinstance(digits13, str) or not _DIGITS.fullmatch(digits13):
        raise ValueError("GTIN digits expected")
    total = sum(
        int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(reversed(digits13))
    )
    return (10 - total % 10) % 10


def is_valid_gtin(gtin: str) -> bool:
    """True for a GTIN-8, -12, -13 or -14 with a correct check digit."""
    if not isinstance(gtin, str) or len(gtin) not in (8, 12, 13, 14):
        return False
    if not _DIGITS.fullmatch(gtin):
        return False
    return gtin_check_digit(gtin[:-1]) == int(gtin[-1])


def _gs1_guess_ai(data, pos):
    ai = data[pos : pos + 2]
    if ai == "24":
        ai = data[pos : pos + 3]
    return _show(ai or data[pos : pos + 1])


def _gs1_split_raw(data):
    """Split an element string where FNC1 is sent as GS into (ai, value) pairs."""
    fields = []
    pos, size = 0, len(data)
    while pos < size:
        if data[pos] == GS:
            pos += 1
            continue
        ai = next((a for a in GS1_AIS if data.startswith(a, pos)), None)
        if ai is None:
            raise UdiError("gs1_unknown_ai", {"ai": _gs1_guess_ai(data, pos)})
        pos += len(ai)
        length, fixed, _numeric = GS1_AIS[ai]
        # A fixed-length value ends at its length or at a GS before it: the
        # search stops there (a search to the end made a long carrier of
        # fixed fields quadratic: 3 s for a million digits).
        end = data.find(GS, pos, pos + length if fixed else size)
        if end < 0:
            end = min(size, pos + length) if fixed else size
        fields.append((ai, data[pos:end]))
        pos = end
    return fields


def _gs1_split_parenthesized(data):
    fields = []
    pos = 0
    while pos < len(data):
        match = _PAREN_FIELD.match(data, pos)
        if not match:
            raise UdiError("gs1_syntax", {"value": _show(data)})
        ai = match.group(1).strip()
        if not ai or not _DIGITS.fullmatch(ai):
            raise UdiError("gs1_syntax", {"value": _show(data)})
        if ai not in GS1_AIS:
            raise UdiError("gs1_unknown_ai", {"ai": _show(ai)})
        fields.append((ai, match.group(2).strip(" \t\r\n" + GS)))
        pos = match.end()
    return fields


def _gs1_check_value(ai, value, today):
    """Validate one field; return its parsed value (str or date)."""
    max_length, _fixed, numeric = GS1_AIS[ai]
    if ai == "01":
        if re.search(r"[^0-9]", value):
            raise UdiError("gs1_not_numeric", {"ai": ai, "value": _show(value)})
        if len(value) != 14:
            raise UdiError("gs1_gtin_length", {"gtin": value, "length": len(value)})
        expected = gtin_check_digit(value[:13])
        if expected != int(value[13]):
            raise UdiError(
                "gs1_gtin_check",
                {"gtin": value, "expected": expected, "found": value[13]},
            )
        return value
    if ai in ("11", "17"):
        if not re.fullmatch(r"[0-9]{6}", value):
            raise UdiError("gs1_bad_date", {"ai": ai, "value": _show(value)})
        year = _year_from_yy(int(value[:2]), today)
        month, day = int(value[2:4]), int(value[4:])
        if day == 0 and ai == "11":
            day = 1
        parsed = _make_date(year, month, day, last_day_if_zero=ai == "17")
        if parsed is None:
            raise UdiError("gs1_bad_date", {"ai": ai, "value": value})
        return parsed
    if not value:
        raise UdiError("gs1_empty_field", {"ai": ai})
    if len(value) > max_length:
        raise UdiError(
            "gs1_field_too_long", {"ai": ai, "value": _show(value), "max": max_length}
        )
    if numeric and not _DIGITS.fullmatch(value):
        raise UdiError("gs1_not_numeric", {"ai": ai, "value": _show(value)})
    bad = next((c for c in value if c not in _CSET82), None)
    if bad is not None:
        raise UdiError("gs1_bad_char", {"ai": ai, "char": _show(bad)})
    return value


def _parse_gs1(data, parenthesized, today):
    fields = _gs1_split_parenthesized(data) if parenthesized else _gs1_split_raw(data)
    raw, parsed = {}, {}
    for ai, value in fields:
        result = _gs1_check_value(ai, value, today)
        if ai in raw and raw[ai] != value:
            raise UdiError("gs1_duplicate_ai", {"ai": ai})
        raw[ai], parsed[ai] = value, result
    if "01" not in raw:
        raise UdiError("gs1_missing_gtin")
    return UdiData(
        issuer="gs1",
        di=raw["01"],
        lot=parsed.get("10"),
        serial=parsed.get("21"),
        expiry_date=parsed.get("17"),
        manufacture_date=parsed.get("11"),
        normalized="".join(f"({ai}){raw[ai]}" for ai in _GS1_ORDER if ai in raw),
    )
