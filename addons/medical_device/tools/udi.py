"""Parsing and validation of medical device UDI carriers (GS1 and HIBCC).

Pure functions (no env), split by concern: ``udi_common`` (the error and the
parsed data), ``udi_gs1``, ``udi_hibcc`` and ``udi_codes`` (Basic UDI-DI,
EMDN). Every error is a :class:`UdiError` carrying a stable ``code``, its
English template and string ``params``; ``messages.tools_error`` turns it into
a translated error. The public names are importable from this module.
"""

import re
from datetime import date

from .udi_codes import (
    BASIC_UDI_DI_MAX_LENGTH,
    EMDN_CATEGORIES,
    gmn_check_chars,
    validate_basic_udi_di,
    validate_emdn_code,
)
from .udi_common import GS, MESSAGES, UdiData, UdiError, _show
from .udi_gs1 import (
    GS1_AIS,
    GS1_SYMBOLOGY_PREFIXES,
    _parse_gs1,
    gtin_check_digit,
    is_valid_gtin,
)
from .udi_hibcc import HIBC_CHARSET, HIBC_MAX_LOT_LENGTH, _parse_hibcc, hibc_check_char

__all__ = [
    "BASIC_UDI_DI_MAX_LENGTH",
    "EMDN_CATEGORIES",
    "GS",
    "GS1_AIS",
    "GS1_SYMBOLOGY_PREFIXES",
    "HIBC_CHARSET",
    "HIBC_MAX_LOT_LENGTH",
    "MESSAGES",
    "UdiData",
    "UdiError",
    "gmn_check_chars",
    "gtin_check_digit",
    "hibc_check_char",
    "is_valid_gtin",
    "parse_udi",
    "validate_basic_udi_di",
    "validate_emdn_code",
]

_OTHER_SYMBOLOGY_PREFIX = re.compile(r"\][A-Za-z][0-9A-Za-z]")


def parse_udi(carrier: str, today: date | None = None) -> UdiData:
    """Parse a GS1 or HIBCC UDI carrier string into :class:`UdiData`.

    ``today`` (default: ``date.today()``) anchors the century of 2-digit years.
    Raises :class:`UdiError` on any invalid input.
    """
    if not isinstance(carrier, str | type(None)):
        # A scanner's bytes, a number from a spreadsheet: refused as a UDI
        # error, which callers already turn into a clear message.
        raise UdiError("not_text", {"type": type(carrier).__name__})
    if not carrier:
        raise UdiError("empty")
    today = today or date.today()
    leading_stripped = carrier.lstrip()
    text = leading_stripped.rstrip()
    trailing_space = leading_stripped[len(text) : len(text) + 1] == " "
    if not text:
        raise UdiError("empty")
    if text.startswith(GS1_SYMBOLOGY_PREFIXES):
        data = text[3:].lstrip(GS)
        return _parse_gs1(data, data.startswith("("), today)
    if _OTHER_SYMBOLOGY_PREFIX.match(text):
        text = text[3:]
    if text.startswith("("):
        return _parse_gs1(text, True, today)
    if text.lstrip(GS).startswith("01"):
        return _parse_gs1(text.lstrip(GS), False, today)
    if text.startswith(("+", "*+")):
        return _parse_hibcc(text, trailing_space, today)
    raise UdiError("unknown_format", {"value": _show(text)})
