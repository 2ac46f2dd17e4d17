"""What the UDI modules share: the error, the parsed data, the helpers.

Pure functions (no env): every error is a :class:`UdiError` carrying a stable
``code``, its English template (marked for translation, see ``messages``) and
string ``params``; the model layer renders it in the user's language.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date

from odoo.tools.translate import LazyTranslate

from .messages import render

_lt = LazyTranslate(__name__)

GS = "\x1d"
_DIGITS = re.compile(r"[0-9]+")
# GS1 character set 82: the characters of alphanumeric GS1 fields.
_CSET82 = (
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_"
    "abcdefghijklmnopqrstuvwxyz"
)

MESSAGES = {
    "empty": _lt("The UDI is empty."),
    "not_text": _lt("The UDI must be a text, not %(type)s."),
    "unknown_format": _lt(
        "The UDI %(value)s is neither a GS1 nor a HIBCC barcode: a GS1 UDI starts "
        "with (01) or 01, a HIBCC UDI starts with +."
    ),
    "gs1_syntax": _lt(
        "The GS1 UDI %(value)s is malformed: each Application Identifier must be "
        "written between parentheses and followed by its value."
    ),
    "gs1_unknown_ai": _lt(
        "The GS1 Application Identifier (%(ai)s) is not supported in a UDI: "
        "expected (01) GTIN, (11) production date, (17) expiry date, (10) lot, "
        "(21) serial number, (240) additional product identification or (30) count."
    ),
    "gs1_missing_gtin": _lt(
        "The GS1 UDI has no GTIN: the Application Identifier (01) is mandatory."
    ),
    "gs1_gtin_length": _lt(
        "The GTIN (01) must have exactly 14 digits, found %(length)s (%(gtin)s)."
    ),
    "gs1_gtin_check": _lt(
        "The GTIN check digit is wrong: expected %(expected)s, found %(found)s "
        "(UDI-DI %(gtin)s)."
    ),
    "gs1_not_numeric": _lt(
        "The value %(value)s of the GS1 Application Identifier (%(ai)s) must "
        "contain only digits."
    ),
    "gs1_bad_date": _lt(
        "The date %(value)s of the GS1 Application Identifier (%(ai)s) is not a "
        "valid YYMMDD date."
    ),
    "gs1_field_too_long": _lt(
        "The value %(value)s of the GS1 Application Identifier (%(ai)s) is longer "
        "than %(max)s characters."
    ),
    "gs1_empty_field": _lt("The GS1 Application Identifier (%(ai)s) has no value."),
    "gs1_bad_char": _lt(
        "The character %(char)s is not allowed in the value of the GS1 Application "
        "Identifier (%(ai)s)."
    ),
    "gs1_duplicate_ai": _lt(
        "The GS1 Application Identifier (%(ai)s) appears twice with different values."
    ),
    "hibcc_charset": _lt("The character %(char)s is not allowed in a HIBCC barcode."),
    "hibcc_check": _lt(
        "The HIBCC check character is wrong: expected %(expected)s, found %(found)s."
    ),
    "hibcc_lic": _lt(
        "The HIBCC Labeler Identification Code %(lic)s is invalid: it must be 4 "
        "letters or digits starting with a letter."
    ),
    "hibcc_primary": _lt(
        "The HIBCC primary data %(primary)s is invalid: after the 4-character "
        "labeler code it must hold a product number of 1 to 18 letters or digits "
        "followed by a one-digit unit of measure."
    ),
    "hibcc_secondary_only": _lt(
        "The HIBCC barcode %(value)s only holds secondary data (lot, serial number, "
        "dates): scan the primary barcode that identifies the product."
    ),
    "hibcc_syntax": _lt(
        "The HIBCC secondary data %(value)s does not follow the HIBC Supplier "
        "Labeling Standard."
    ),
    "hibcc_unknown_field": _lt(
        "The HIBCC secondary data field %(value)s is not supported: expected $ "
        "(lot), $+ (serial number), $$ (expiry date and lot), S (serial number), "
        "14D (expiry date), 16D (manufacture date) or Q (quantity)."
    ),
    "hibcc_bad_date": _lt(
        "The HIBCC date %(value)s is not a valid date in the format %(format)s."
    ),
    "hibcc_field_too_long": _lt(
        "The HIBCC lot or serial number %(value)s is longer than %(max)s characters."
    ),
    "hibcc_duplicate": _lt(
        "The HIBCC secondary data %(value)s gives a lot, serial number or date that "
        "was already given with another value."
    ),
    "basic_udi_di_length": _lt(
        "The Basic UDI-DI %(value)s has %(length)s characters: at most %(max)s are "
        "allowed."
    ),
    "basic_udi_di_short": _lt(
        "The Basic UDI-DI %(value)s has %(length)s characters: at least %(min)s "
        "are needed (the shortest code of an issuing entity: HIBCC)."
    ),
    "basic_udi_di_charset": _lt(
        "The Basic UDI-DI %(value)s contains the character %(char)s: only digits "
        "and upper case letters are allowed."
    ),
    "basic_udi_di_gs1_format": _lt(
        "The GS1 Basic UDI-DI %(value)s must start with a GS1 company prefix (at "
        "least 5 digits), followed by a model reference and 2 check characters."
    ),
    "basic_udi_di_check": _lt(
        "The check characters of the GS1 Basic UDI-DI %(value)s are wrong: "
        "expected %(expected)s, found %(found)s."
    ),
    "emdn_format": _lt(
        "The EMDN code %(value)s is invalid: expected a category letter (A to Z "
        "except E, I, O and X) followed by up to 6 levels of 2 digits, e.g. C0102."
    ),
}


class UdiError(ValueError):
    """Invalid UDI data; ``code`` is a stable identifier, ``template`` its
    English text, ``params`` its values."""

    def __init__(self, code, params=None):
        self.code = code
        self.params = {str(k): str(v) for k, v in (params or {}).items()}
        self.template = MESSAGES.get(code)
        message = render(self.template, self.params)
        super().__init__(message or f"Invalid UDI ({code}).")


@dataclass(frozen=True)
class UdiData:
    issuer: str
    di: str
    lot: str | None = None
    serial: str | None = None
    expiry_date: date | None = None
    manufacture_date: date | None = None
    normalized: str = ""


def _show(value, limit=40):
    """Printable, bounded rendering of user data for messages."""
    text = "".join(
        "<GS>" if c == GS else (c if c.isprintable() else "?") for c in value
    )
    return text if len(text) <= limit else text[:limit] + "…"


def _year_from_yy(yy, today):
    """GS1 rule: the century puts the year within -49..+50 of the current one."""
    current = today.year
    century = current - current % 100
    diff = yy - current % 100
    if diff >= 51:
        century -= 100
    elif diff <= -50:
        century += 100
    return century + yy


def _make_date(year, month, day, last_day_if_zero=False):
    """Return a date, or None when it does not exist."""
    try:
        if day == 0 and last_day_if_zero and 1 <= month <= 12:
            day = calendar.monthrange(year, month)[1]
        return date(year, month, day)
    except (ValueError, OverflowError):
        return None
