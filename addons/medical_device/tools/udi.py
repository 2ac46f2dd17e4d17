"""Parsing and validation of medical device UDI carriers (GS1 and HIBCC).

Pure Python (standard library only) so it can be used and tested without Odoo.
Every error is a :class:`UdiError` carrying a stable ``code`` and string
``params``; ``udi_messages.udi_error_message`` turns it into a translated text.
"""

import calendar
import contextlib
import re
from dataclasses import dataclass
from datetime import date, timedelta

GS = "\x1d"

MESSAGES = {
    "empty": "The UDI is empty.",
    "unknown_format": (
        "The UDI %(value)s is neither a GS1 nor a HIBCC barcode: a GS1 UDI starts "
        "with (01) or 01, a HIBCC UDI starts with +."
    ),
    "gs1_syntax": (
        "The GS1 UDI %(value)s is malformed: each Application Identifier must be "
        "written between parentheses and followed by its value."
    ),
    "gs1_unknown_ai": (
        "The GS1 Application Identifier (%(ai)s) is not supported in a UDI: "
        "expected (01) GTIN, (11) production date, (17) expiry date, (10) lot, "
        "(21) serial number, (240) additional product identification or (30) count."
    ),
    "gs1_missing_gtin": (
        "The GS1 UDI has no GTIN: the Application Identifier (01) is mandatory."
    ),
    "gs1_gtin_length": (
        "The GTIN (01) must have exactly 14 digits, found %(length)s (%(gtin)s)."
    ),
    "gs1_gtin_check": (
        "The GTIN check digit is wrong: expected %(expected)s, found %(found)s "
        "(UDI-DI %(gtin)s)."
    ),
    "gs1_not_numeric": (
        "The value %(value)s of the GS1 Application Identifier (%(ai)s) must "
        "contain only digits."
    ),
    "gs1_bad_date": (
        "The date %(value)s of the GS1 Application Identifier (%(ai)s) is not a "
        "valid YYMMDD date."
    ),
    "gs1_field_too_long": (
        "The value %(value)s of the GS1 Application Identifier (%(ai)s) is longer "
        "than %(max)s characters."
    ),
    "gs1_empty_field": "The GS1 Application Identifier (%(ai)s) has no value.",
    "gs1_bad_char": (
        "The character %(char)s is not allowed in the value of the GS1 Application "
        "Identifier (%(ai)s)."
    ),
    "gs1_duplicate_ai": (
        "The GS1 Application Identifier (%(ai)s) appears twice with different values."
    ),
    "hibcc_charset": "The character %(char)s is not allowed in a HIBCC barcode.",
    "hibcc_check": (
        "The HIBCC check character is wrong: expected %(expected)s, found %(found)s."
    ),
    "hibcc_lic": (
        "The HIBCC Labeler Identification Code %(lic)s is invalid: it must be 4 "
        "letters or digits starting with a letter."
    ),
    "hibcc_primary": (
        "The HIBCC primary data %(primary)s is invalid: after the 4-character "
        "labeler code it must hold a product number of 1 to 18 letters or digits "
        "followed by a one-digit unit of measure."
    ),
    "hibcc_secondary_only": (
        "The HIBCC barcode %(value)s only holds secondary data (lot, serial number, "
        "dates): scan the primary barcode that identifies the product."
    ),
    "hibcc_syntax": (
        "The HIBCC secondary data %(value)s does not follow the HIBC Supplier "
        "Labeling Standard."
    ),
    "hibcc_unknown_field": (
        "The HIBCC secondary data field %(value)s is not supported: expected $ "
        "(lot), $+ (serial number), $$ (expiry date and lot), S (serial number), "
        "14D (expiry date), 16D (manufacture date) or Q (quantity)."
    ),
    "hibcc_bad_date": (
        "The HIBCC date %(value)s is not a valid date in the format %(format)s."
    ),
    "hibcc_field_too_long": (
        "The HIBCC lot or serial number %(value)s is longer than %(max)s characters."
    ),
    "hibcc_duplicate": (
        "The HIBCC secondary data %(value)s gives a lot, serial number or date that "
        "was already given with another value."
    ),
    "basic_udi_di_length": (
        "The Basic UDI-DI %(value)s has %(length)s characters: at most %(max)s are "
        "allowed."
    ),
    "basic_udi_di_charset": (
        "The Basic UDI-DI %(value)s contains the character %(char)s: only digits "
        "and upper case letters are allowed."
    ),
    "basic_udi_di_gs1_format": (
        "The GS1 Basic UDI-DI %(value)s must start with a GS1 company prefix (at "
        "least 5 digits), followed by a model reference and 2 check characters."
    ),
    "basic_udi_di_check": (
        "The check characters of the GS1 Basic UDI-DI %(value)s are wrong: "
        "expected %(expected)s, found %(found)s."
    ),
    "emdn_format": (
        "The EMDN code %(value)s is invalid: expected a category letter (A to Z "
        "except E, I, O and X) followed by up to 6 levels of 2 digits, e.g. C0102."
    ),
}


class UdiError(ValueError):
    """Invalid UDI data; ``code`` is a stable identifier, ``params`` its values."""

    def __init__(self, code, params=None):
        self.code = code
        self.params = {str(k): str(v) for k, v in (params or {}).items()}
        template = MESSAGES.get(code)
        try:
            message = template % self.params if template else None
        except (KeyError, ValueError, TypeError):
            message = None
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
_CSET82 = (
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_"
    "abcdefghijklmnopqrstuvwxyz"
)
_DIGITS = re.compile(r"[0-9]+")
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
        end = data.find(GS, pos)
        if end < 0:
            end = size
        if fixed:
            end = min(end, pos + length)
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


HIBC_CHARSET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%"
HIBC_MAX_LOT_LENGTH = 18
_HIBC_LIC = re.compile(r"[A-Z][A-Z0-9]{3}")
_HIBC_PRODUCT_UOM = re.compile(r"[A-Z0-9]{1,18}[0-9]")
_HIBC_DATE_FORMATS = {
    "": "MMYY",
    "2": "MMDDYY",
    "3": "YYMMDD",
    "4": "YYMMDDHH",
    "5": "YYJJJ",
    "6": "YYJJJHH",
}


def _show_hibc_char(char):
    return "_" if char == " " else _show(char)


def hibc_check_char(data: str) -> str:
    """Mod 43 check character of ``data`` (from the leading '+' on)."""
    total = 0
    for char in data:
        value = HIBC_CHARSET.find(char) if len(char) == 1 else -1
        if value < 0:
            raise UdiError("hibcc_charset", {"char": _show_hibc_char(char)})
        total += value
    return HIBC_CHARSET[total % 43]


def _hibc_date(value, fmt, today):
    """Parse a HIBCC date of format ``fmt``, or None; MMYY is the month's end."""
    if len(value) != len(fmt) or not _DIGITS.fullmatch(value):
        return None
    if fmt == "YYYYMMDD":
        return _make_date(int(value[:4]), int(value[4:6]), int(value[6:]))
    parts = {}
    for key in ("YY", "MM", "DD", "JJJ", "HH"):
        index = fmt.find(key)
        if index >= 0:
            parts[key] = int(value[index : index + len(key)])
    if parts.get("HH", 0) > 23:
        return None
    year = _year_from_yy(parts["YY"], today)
    if "JJJ" not in parts:
        return _make_date(
            year, parts["MM"], parts.get("DD", 0), last_day_if_zero="DD" not in parts
        )
    first_day = _make_date(year, 1, 1)
    if first_day is None or not 1 <= parts["JJJ"] <= (365 + calendar.isleap(year)):
        return None
    try:
        return first_day + timedelta(days=parts["JJJ"] - 1)
    except OverflowError:
        return None


class _HibcSecondary:
    def __init__(self, today):
        self.today = today
        self.values = {}

    def set(self, key, value, segment):
        if value is None:
            return
        if key in ("lot", "serial") and len(value) > HIBC_MAX_LOT_LENGTH:
            raise UdiError(
                "hibcc_field_too_long",
                {"value": _show(value), "max": HIBC_MAX_LOT_LENGTH},
            )
        if self.values.get(key, value) != value:
            raise UdiError("hibcc_duplicate", {"value": _show(segment)})
        self.values[key] = value

    def parse_date(self, value, fmt):
        parsed = _hibc_date(value, fmt, self.today)
        if parsed is None:
            raise UdiError("hibcc_bad_date", {"value": _show(value), "format": fmt})
        return parsed

    def parse_dollar(self, segment):
        """Parse a '$' lot/serial segment, optionally with quantity and date."""
        if not segment.startswith("$$"):
            serial = segment.startswith("$+")
            value = segment[2:] if serial else segment[1:]
            if not value:
                raise UdiError("hibcc_syntax", {"value": _show(segment)})
            self.set("serial" if serial else "lot", value, segment)
            return
        rest = segment[2:]
        target = "lot"
        if rest.startswith("+"):
            target, rest = "serial", rest[1:]
        quantity_length = {"8": 2, "9": 5}.get(rest[:1])
        if quantity_length:
            quantity = rest[1 : 1 + quantity_length]
            if len(quantity) != quantity_length or not _DIGITS.fullmatch(quantity):
                raise UdiError("hibcc_syntax", {"value": _show(segment)})
            rest = rest[1 + quantity_length :]
        flag = rest[:1]
        if flag in ("0", "1"):
            flag = ""
        elif flag in ("2", "3", "4", "5", "6", "7"):
            rest = rest[1:]
        else:
            raise UdiError("hibcc_syntax", {"value": _show(segment)})
        if flag == "7":
            if not rest:
                raise UdiError("hibcc_syntax", {"value": _show(segment)})
        else:
            fmt = _HIBC_DATE_FORMATS[flag]
            self.set("expiry", self.parse_date(rest[: len(fmt)], fmt), segment)
            rest = rest[len(fmt) :]
        self.set(target, rest or None, segment)

    def parse(self, segments):
        for index, segment in enumerate(segments):
            if segment.startswith("$"):
                self.parse_dollar(segment)
            elif segment.startswith("16D"):
                self.set(
                    "manufacture", self.parse_date(segment[3:], "YYYYMMDD"), segment
                )
            elif segment.startswith("14D"):
                self.set("expiry", self.parse_date(segment[3:], "YYYYMMDD"), segment)
            elif segment.startswith("S"):
                if len(segment) < 2:
                    raise UdiError("hibcc_syntax", {"value": _show(segment)})
                self.set("serial", segment[1:], segment)
            elif segment.startswith("Q"):
                if not _DIGITS.fullmatch(segment[1:]):
                    raise UdiError("hibcc_syntax", {"value": _show(segment)})
            elif index == 0 and re.match(r"[0-9]{5}", segment):
                # legacy secondary data without flag: YYJJJ then lot
                self.set("expiry", self.parse_date(segment[:5], "YYJJJ"), segment)
                self.set("lot", segment[5:] or None, segment)
            elif not segment:
                raise UdiError("hibcc_syntax", {"value": "/"})
            else:
                raise UdiError("hibcc_unknown_field", {"value": _show(segment)})
        return self.values


def _parse_hibcc(text, trailing_space, today):
    if text.startswith("*"):
        text = text[1:]
        trailing_space = False
    if text.endswith("*"):
        text = text[:-1]
        trailing_space = False
    if text.startswith("+/"):
        raise UdiError("unknown_format", {"value": _show(text)})
    if text.endswith("_"):
        # HIBCC captions print a space check character as '_'
        text = text[:-1] + " "
    elif (
        trailing_space
        and all(c in HIBC_CHARSET for c in text)
        and hibc_check_char(text) == " "
    ):
        # the stripped trailing space may have been the check character
        with contextlib.suppress(UdiError):
            return _parse_hibcc_text(text + " ", today)
    return _parse_hibcc_text(text, today)


def _parse_hibcc_text(text, today):
    bad = next((c for c in text if c not in HIBC_CHARSET), None)
    if bad is not None:
        raise UdiError("hibcc_charset", {"char": _show_hibc_char(bad)})
    if len(text) < 2:
        raise UdiError("hibcc_syntax", {"value": _show(text)})
    body, check = text[:-1], text[-1]
    expected = hibc_check_char(body)
    if check != expected:
        raise UdiError(
            "hibcc_check",
            {"expected": _show_hibc_char(expected), "found": _show_hibc_char(check)},
        )
    data = body[1:]
    if data.startswith("$"):
        raise UdiError("hibcc_secondary_only", {"value": _show(text)})
    primary, _sep, secondary = data.partition("/")
    if not _HIBC_LIC.fullmatch(primary[:4]):
        raise UdiError("hibcc_lic", {"lic": _show(primary[:4])})
    if not _HIBC_PRODUCT_UOM.fullmatch(primary[4:]):
        raise UdiError("hibcc_primary", {"primary": _show(primary)})
    values = _HibcSecondary(today).parse(secondary.split("/") if _sep else [])
    return UdiData(
        issuer="hibcc",
        di=primary,
        lot=values.get("lot"),
        serial=values.get("serial"),
        expiry_date=values.get("expiry"),
        manufacture_date=values.get("manufacture"),
        normalized=text,
    )


_OTHER_SYMBOLOGY_PREFIX = re.compile(r"\][A-Za-z][0-9A-Za-z]")


def parse_udi(carrier: str, today: date | None = None) -> UdiData:
    """Parse a GS1 or HIBCC UDI carrier string into :class:`UdiData`.

    ``today`` (default: ``date.today()``) anchors the century of 2-digit years.
    Raises :class:`UdiError` on any invalid input.
    """
    if not carrier:
        raise UdiError("empty")
    if not isinstance(carrier, str):
        raise TypeError("parse_udi() expects a string")
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


BASIC_UDI_DI_MAX_LENGTH = 25
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

    Checks length (1..25) and charset (digits, upper case letters). With
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
