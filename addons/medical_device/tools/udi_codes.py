"""Codes of a device model: Basic UDI-DI (GS1 Global Model Number) and EMDN."""

import re

from .udi_common import _CSET82, _DIGITS, UdiError, _show

BASIC_UDI_DI_MAX_LENGTH = 25
# The shortest Basic UDI-DI an issuing entity assigns: HIBCC, a 4-character
# labeler code, at least one character of product and a check character (GS1:
# a company prefix of at least 5 digits, a model reference, 2 check characters).
BASIC_UDI_DI_MIN_LENGTH = 6
_GMN_WEIGHTS = (
    *(83, 79, 73, 71, 67, 61, 59, 53, 47, 43, 41, 37),
    *(31, 29, 23, 19, 17, 13, 11, 7, 5, 3, 2),
)
_CSET32 = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def gmn_check_chars(data: str) -> str:
    """GS1 Global Model Number check character pair of ``data`` (1..23 chars)."""
    if not isinstance(data, str) or not 1 <= len(data) <= len(_GMN_WEIGHTS):
        raise ValueError("GMN data must have 1 to 23 characters")
    total = 0
    for char, weight in zip(data, _GMN_WEIGHTS[-len(data) :], strict=True):
        value = _CSET82.find(char) if len(char) == 1 else -1
        if value < 0:
            raise ValueError(f"character {char!r} is not allowed in a GMN")
        total += value * weight
    total %= 1021
    return _CSET32[total >> 5] + _CSET32[total & 31]


def validate_basic_udi_di(value: str, issuer: str | None = None) -> str:
    """Return the stripped Basic UDI-DI or raise :class:`UdiError`.

    Checks length (6..25) and charset (digits, upper case letters). With
    ``issuer='gs1'`` also checks the GMN structure and check character pair.
    """
    if not value or not isinstance(value, str) or not value.strip():
        raise UdiError("empty")
    value = value.strip()
    if len(value) > BASIC_UDI_DI_MAX_LENGTH:
        raise UdiError(
            "basic_udi_di_length",
            {
                "value": _show(value),
                "length": len(value),
                "max": BASIC_UDI_DI_MAX_LENGTH,
            },
        )
    if len(value) < BASIC_UDI_DI_MIN_LENGTH:
        raise UdiError(
            "basic_udi_di_short",
            {
                "value": _show(value),
                "length": len(value),
                "min": BASIC_UDI_DI_MIN_LENGTH,
            },
        )
    bad = next((c for c in value if not ("0" <= c <= "9" or "A" <= c <= "Z")), None)
    if bad is not None:
        raise UdiError(
            "basic_udi_di_charset", {"value": _show(value), "char": _show(bad)}
        )
    if issuer == "gs1":
        if len(value) < 8 or not _DIGITS.fullmatch(value[:5]):
            raise UdiError("basic_udi_di_gs1_format", {"value": value})
        expected = gmn_check_chars(value[:-2])
        if value[-2:] != expected:
            raise UdiError(
                "basic_udi_di_check",
                {"value": value, "expected": expected, "found": value[-2:]},
            )
    return value


EMDN_CATEGORIES = "ABCDFGHJKLMNPQRSTUVWYZ"
_EMDN = re.compile(rf"[{EMDN_CATEGORIES}](?:[0-9]{{2}}){{0,6}}")


def validate_emdn_code(value: str) -> str:
    """Return the stripped, upper-cased EMDN code or raise :class:`UdiError`."""
    if not value or not isinstance(value, str) or not value.strip():
        raise UdiError("empty")
    code = value.strip().upper()
    if not _EMDN.fullmatch(code):
        raise UdiError("emdn_format", {"value": _show(code)})
    return code
