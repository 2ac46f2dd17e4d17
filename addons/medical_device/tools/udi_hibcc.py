"""HIBCC UDI carriers (HIBC Supplier Labeling Standard)."""

import calendar
import contextlib
import re
from datetime import timedelta

from .udi_common import (
    _DIGITS,
    UdiData,
    UdiError,
    _make_date,
    _show,
    _year_from_yy,
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
    if not isinstance(data, str):
        raise UdiError("not_text", {"type": type(data).__name__})
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
