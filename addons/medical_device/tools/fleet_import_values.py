"""Values of the cells of a fleet export: dates, numbers, yes/no, classes…

Pure functions (no env), used by ``fleet_import``. A cell that cannot be read
raises :class:`ParseError` with a stable code (see ``fleet_import.MESSAGES``).
"""

import math
import re
from datetime import date, datetime, timedelta

from . import regulatory, udi
from .fleet_import_read import normalize_header as _norm_value
from .fleet_import_words import (
    ACQUISITION_MODE_WORDS,
    CLASS_NOISE,
    FALSE_WORDS,
    IVD_WORDS,
    LIFECYCLE_WORDS,
    MDR_CLASSES,
    TRUE_WORDS,
)


class ParseError(ValueError):
    """A cell that cannot be read: a stable ``code`` (its English template is
    in the import targets' messages) and the values of its placeholders."""

    def __init__(self, code, params=None):
        super().__init__(code)
        self.code = code
        self.params = params or {}


def cell_text(value):
    """A cell as text: numbers without a spurious '.0' (Excel reads 1234 as
    1234.0), dates in ISO."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


FORMULA_STARTS = ("=", "+", "@", "\uff1d", "\uff0b", "\uff20")
EXCEL_EPOCH = date(1899, 12, 30)
_DATE_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:[ T].*)?$")
_DATE_YMD = re.compile(r"^(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})(?:[ T].*)?$")
# Excel serial numbers of 1950-01-01 and 2099-12-31: anything else is no date.
_EXCEL_SERIAL_RANGE = (18264, 73415)


def parse_date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    match = _DATE_YMD.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _DATE_DMY.match(text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            if year < 100:
                year += 2000 if year < 70 else 1900
        elif re.fullmatch(r"\d+(?:[.,]0+)?", text):
            serial = int(re.split(r"[.,]", text)[0])
            if not _EXCEL_SERIAL_RANGE[0] <= serial <= _EXCEL_SERIAL_RANGE[1]:
                raise ParseError("bad_date", {"value": text})
            return EXCEL_EPOCH + timedelta(days=serial)
        else:
            raise ParseError("bad_date", {"value": text})
    try:
        return date(year, month, day)
    except ValueError as error:
        raise ParseError("bad_date", {"value": text}) from error


def parse_float(value):
    if isinstance(value, bool):
        raise ParseError("bad_number", {"value": str(value)})
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    text = cell_text(value).replace("\u00a0", "").replace(" ", "").replace("€", "")
    if "," in text and "." in text:  # 1.234,56 or 1,234.56
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    else:
        text = text.replace(",", ".")
    try:
        number = float(text)
    except ValueError as error:
        raise ParseError("bad_number", {"value": cell_text(value)}) from error
    if not math.isfinite(number):
        raise ParseError("bad_number", {"value": cell_text(value)})
    return number


def parse_bool(value):
    if isinstance(value, bool):
        return value
    text = _norm_value(cell_text(value))
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ParseError("bad_bool", {"value": cell_text(value)})


def parse_risk_class(value):
    """``"IIa"``, ``"2a"``, ``"classe IIb"``, ``"Is"``, ``"DMDIV classe B"``,
    ``"ivd_c"`` → our keys (``i`` … ``iii``, ``ivd_a`` … ``ivd_d``)."""
    text = cell_text(value)
    # A formula ("=1", "+IIa") is not a class the file states: the
    # normalisation below would drop its sign and read "=1" as class I.
    if text[:1] in FORMULA_STARTS:
        raise ParseError("unknown_class", {"value": text})
    words = _norm_value(text).split()
    ivd = any(w in IVD_WORDS for w in words)
    rest = "".join(w for w in words if w not in IVD_WORDS and w not in CLASS_NOISE)
    if rest in ("a", "b", "c", "d"):
        return f"ivd_{rest}"
    if not ivd and rest in MDR_CLASSES:
        return MDR_CLASSES[rest]
    raise ParseError("unknown_class", {"value": text})


def parse_ce_regime(value):
    text = cell_text(value)
    norm = _norm_value(text)
    words = set(norm.split())
    compact = norm.replace(" ", "")
    checks = (
        ("aimdd", ("aimdd", "dmia", "90385")),
        ("ivdd", ("ivdd", "9879")),
        ("ivdr", ("ivdr", "rdiv", "2017746")),
        ("mdd", ("mdd", "9342")),
        ("mdr", ("mdr", "rdm", "2017745")),
    )
    for regime, tokens in checks:
        if any(t in words for t in tokens) or any(
            t.isdigit() and t in compact for t in tokens
        ):
            return regime
    raise ParseError("unknown_ce_regime", {"value": text})


def parse_dm_kind(value):
    text = cell_text(value)
    norm = _norm_value(text)
    compact = norm.replace(" ", "")
    if compact in ("dmia", "aimd") or "implantable actif" in norm:
        return "dmia"
    if compact in ("dmdiv", "ivd", "div") or "vitro" in norm:
        return "dmdiv"
    if compact in ("dm", "md", "dispositifmedical"):
        return "dm"
    raise ParseError("unknown_kind", {"value": text})


def parse_lifecycle(value):
    """A CMMS status → lifecycle state (``"En service"`` → ``in_service``…)."""
    text = cell_text(value)
    norm = _norm_value(text)
    if norm in ("in service", "in_service"):
        return "in_service"
    for state, labels in LIFECYCLE_WORDS:
        if norm == state.replace("_", " ") or norm in labels:
            return state
    for state, labels in LIFECYCLE_WORDS:
        if any(label in norm for label in labels if " " in label):
            return state
    raise ParseError("unknown_lifecycle", {"value": text})


def parse_choice(value, choices, code):
    """The key of ``choices`` (``((key, labels), …)``) a cell names, else a
    :class:`ParseError` of ``code``."""
    text = cell_text(value)
    norm = _norm_value(text)
    for key, labels in choices:
        if norm == key or norm in labels:
            return key
    for key, labels in choices:
        if any(label in norm for label in labels if len(label) > 3):
            return key
    raise ParseError(code, {"value": text})


def parse_notified_body(value):
    """4 digits; Excel drops leading zeros (``123`` → ``0123``), a ``CE``
    prefix is removed."""
    text = cell_text(value)
    digits = re.sub(r"^(?:ce|on|nb)\s*", "", text.strip(), flags=re.IGNORECASE)
    if digits.isdigit() and len(digits) <= 4:
        digits = digits.zfill(4)
    if not regulatory.is_valid_notified_body_number(digits):
        raise ParseError("notified_body", {"value": text})
    return digits


def parse_value(kind, value):
    """Parse one cell for a target kind (one of the names below, or a parser
    function an addon registers with its targets); raises :class:`ParseError`."""
    if callable(kind):
        return kind(value)
    if kind == "char" or kind == "name":
        return cell_text(value)
    if kind == "date":
        return parse_date(value)
    if kind == "bool":
        return parse_bool(value)
    if kind in ("float", "pieu"):
        return parse_float(value)
    if kind == "risk_class":
        return parse_risk_class(value)
    if kind == "ce_regime":
        return parse_ce_regime(value)
    if kind == "dm_kind":
        return parse_dm_kind(value)
    if kind == "lifecycle":
        return parse_lifecycle(value)
    if kind == "acquisition_mode":
        return parse_choice(value, ACQUISITION_MODE_WORDS, "unknown_acquisition_mode")
    if kind == "notified_body":
        return parse_notified_body(value)
    if kind == "udi":
        return cell_text(value)  # parsed in parse_row, which keeps its parts
    if kind in ("basic_udi_di", "emdn"):
        text = cell_text(value).upper()
        try:
            if kind == "basic_udi_di":
                udi.validate_basic_udi_di(text)
            else:
                udi.validate_emdn_code(text)
        except udi.UdiError as error:
            raise ParseError(
                "code",
                {"message": str(error), "udi_code": error.code, **error.params},
            ) from error
        return text
    raise ValueError(f"unknown target kind {kind}")
