"""The scope of a safety notice (FSN/FSCA, ANSM information) and its match
against a device. Pure functions, no env: the model narrows the candidate
devices in the database, then asks :func:`match_device` about each.

A scope is made of lists, one value or one range per line:

- UDI-DIs (exact, spaces ignored);
- models, ``manufacturer + model`` or ``model`` alone (then of the notice's
  manufacturer, if any), compared accent-, case- and spacing-insensitively;
- lots and serial numbers, a value or a range ``SN1000-SN1999`` (also
  ``SN1000..SN1999``, ``SN1000 - SN1999``, ``SN1000 to SN1999``): both ends
  share a prefix and a suffix, and a value is in the range when it has them
  and its number lies between the ends' numbers; ends of the same width
  (``SN0100-SN0999``) only match values of that width (zero-padding is part
  of the serial), ends of different widths only values written without a
  leading zero;
- a manufacture date window;
- software versions (``dm_software``), a version or a range compared in
  natural order by a key function the caller gives.

All criteria given must hold (AND); within a criterion, any line (OR).
"""

import functools
import re
import unicodedata
from collections import namedtuple

from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# What a line of a scope list becomes: ``low``/``high`` are parsed ends
# (``Code``), the same for a single value; ``text`` is the line as written.
Range = namedtuple("Range", "text low high")
Code = namedtuple("Code", "prefix digits suffix")
Model = namedtuple("Model", "text manufacturer model")

_CODE = re.compile(r"^(.*?)(\d+)(\D*)$")
# Explicit separators of a range, tried before a plain hyphen.
_SEPARATORS = re.compile(r"\s*(?:\.\.|–|—|\s+-\s+|\s+to\s+|\s+à\s+)\s*", re.IGNORECASE)
_SPACES = re.compile(r"[\s\-_/.,;:'’]+")

MESSAGES = {
    "bounds": _lt(
        "line %(line)s (%(text)s): the two ends of a range must share their "
        "prefix and suffix and end with a number"
    ),
    "order": _lt("line %(line)s (%(text)s): the range starts after it ends"),
    "version": _lt("line %(line)s (%(text)s): not a software version or range"),
}


class ScopeError(ValueError):
    """A scope line cannot be read: ``template`` and ``params`` for
    ``tools.messages.render``."""

    def __init__(self, code, **params):
        self.code = code
        self.template = MESSAGES[code]
        self.params = params
        super().__init__(self.template._translate("en_US") % params)


# ------------------------------------------------------------ text
def scope_lines(text):
    """The non-empty lines of a scope list, stripped, with their number
    (1-based); lines starting with ``#`` are comments."""
    result = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if line and not line.startswith("#"):
            result.append((number, line))
    return result


@functools.lru_cache(maxsize=8192)
def fold(text):
    """Accents, case, spacing and punctuation removed: the form two names are
    compared in (``Dräger  Medical`` = ``drager-medical``)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", plain.casefold()).strip()


def normalize_di(text):
    """A UDI-DI as compared: spaces removed, upper case."""
    return re.sub(r"\s+", "", text or "").upper()


# ------------------------------------------------------------ database patterns
def like_pattern(folded):
    """An ``=ilike`` pattern every text whose ``fold()`` is ``folded``
    matches (a superset: the letters that may bear an accent are any
    character, separators any text), so the database narrows and
    ``vigilance_match`` decides."""
    parts = ["%"]
    for char in folded:
        if char == " ":
            parts.append("%")
        elif char in "aeiouycn" or not char.isascii():
            parts.append("_")
        elif char in "%_\\":
            parts.append("\\" + char)
        else:
            parts.append(char)
    parts.append("%")
    return "".join(parts)


def escape_like(text):
    return "".join("\\" + c if c in "%_\\" else c for c in text)


# ------------------------------------------------------------ codes and ranges
def split_code(text):
    """``Code(prefix, digits, suffix)`` of a serial or lot (prefix and suffix
    upper case), or None when it holds no number."""
    found = _CODE.match((text or "").strip())
    if not found:
        return None
    prefix, digits, suffix = found.groups()
    return Code(prefix.upper(), digits, suffix.upper())


def _range_of(low_text, high_text):
    low, high = split_code(low_text), split_code(high_text)
    if not low or not high or (low.prefix, low.suffix) != (high.prefix, high.suffix):
        return None
    return low, high


def parse_range(line, number=1):
    """A ``Range`` of a lot or serial line: a single value (``low`` is
    ``high``), or two ends. A hyphen inside serials (``SN-1000-SN-1999``)
    splits the line where both sides share their prefix. Raises
    :class:`ScopeError` for a range whose ends do not fit together or are in
    the wrong order."""
    text = line.strip()
    parts = _SEPARATORS.split(text)
    ends = None
    if len(parts) == 2:
        ends = _range_of(*parts)
        if ends is None:
            raise ScopeError("bounds", line=number, text=text)
    elif "-" in text:
        hyphens = [i for i, c in enumerate(text) if c == "-"]
        for index in hyphens:
            ends = _range_of(text[:index], text[index + 1 :])
            if ends:
                break
    if ends is None:
        single = split_code(text)
        return Range(text, single or text.upper(), single or text.upper())
    low, high = ends
    if _value(low) > _value(high):
        raise ScopeError("order", line=number, text=text)
    return Range(text, low, high)


def _value(code):
    return int(code.digits)


def in_range(value, scope_range):
    """Whether the serial or lot ``value`` is in ``scope_range``."""
    if not value:
        return False
    low, high = scope_range.low, scope_range.high
    if isinstance(low, str):
        return value.strip().upper() == low
    code = split_code(value)
    if code is None or (code.prefix, code.suffix) != (low.prefix, low.suffix):
        return False
    if low is high or low == high:
        return code.digits == low.digits
    if len(low.digits) == len(high.digits):
        if len(code.digits) != len(low.digits):
            return False
    elif code.digits.startswith("0") and code.digits != "0":
        return False
    return _value(low) <= _value(code) <= _value(high)


def parse_ranges(text):
    """Every line of a lot or serial list as a ``Range``."""
    return [parse_range(line, number) for number, line in scope_lines(text)]


def range_prefixes(ranges):
    """The prefixes the values of ``ranges`` start with (for the database's
    narrowing; a single value without number is its own prefix)."""
    return sorted({r.low if isinstance(r.low, str) else r.low.prefix for r in ranges})


# ------------------------------------------------------------ models
def parse_model(line, default_manufacturer=None):
    """``Model(text, manufacturer, model)`` folded: ``manufacturer + model``,
    or the model alone (of ``default_manufacturer``, or of any)."""
    if "+" in line:
        manufacturer, model = line.split("+", 1)
    else:
        manufacturer, model = default_manufacturer or "", line
    return Model(line.strip(), fold(manufacturer) or None, fold(model))


def parse_models(text, default_manufacturer=None):
    return [parse_model(line, default_manufacturer) for _n, line in scope_lines(text)]


def model_matches(model_line, manufacturer, model):
    if fold(model) != model_line.model:
        return False
    return model_line.manufacturer is None or fold(manufacturer) == (
        model_line.manufacturer
    )


# ------------------------------------------------------------ versions
def parse_version_range(line, key, number=1):
    """``(text, low key, high key)`` of a software version line: a version
    or two separated by ``..``, `` - ``, ``–``, ``to`` or a plain hyphen
    between two versions; ``key`` gives a version's natural-order key
    (raising ``ValueError`` for no version)."""
    text = line.strip()
    parts = _SEPARATORS.split(text)
    if len(parts) != 2 and text.count("-") == 1:
        parts = text.split("-")
    try:
        if len(parts) == 2:
            low, high = key(parts[0]), key(parts[1])
        else:
            low = high = key(text)
    except ValueError as error:
        raise ScopeError("version", line=number, text=text) from error
    if low > high:
        raise ScopeError("order", line=number, text=text)
    return (text, low, high)


def parse_version_ranges(text, key):
    return [
        parse_version_range(line, key, number) for number, line in scope_lines(text)
    ]


def version_matches(version, version_ranges, key):
    """The line of ``version_ranges`` ``version`` is in, or None."""
    try:
        version_key = key(version)
    except ValueError:
        return None
    for text, low, high in version_ranges:
        if low <= version_key <= high:
            return text
    return None


# ------------------------------------------------------------ scope
def parse_scope(
    udi_di_list="",
    model_list="",
    lot_ranges="",
    serial_ranges="",
    date_from=None,
    date_to=None,
    manufacturer=None,
):
    """The parsed scope (a dict) of a notice's fields; raises
    :class:`ScopeError` naming the first line that cannot be read."""
    return {
        "udi_dis": {normalize_di(line) for _n, line in scope_lines(udi_di_list)},
        "models": parse_models(model_list, manufacturer),
        "lots": parse_ranges(lot_ranges),
        "serials": parse_ranges(serial_ranges),
        "date_from": date_from or None,
        "date_to": date_to or None,
    }


def scope_is_empty(scope):
    return not any(
        scope[key]
        for key in ("udi_dis", "models", "lots", "serials", "date_from", "date_to")
    )


def match_device(scope, device):
    """The reasons ``device`` is in ``scope`` (all criteria given hold), as
    ``(criterion, value, line)`` tuples, or None. ``device`` is a dict:
    ``udi_di``, ``manufacturer`` (name), ``model``, ``lot``, ``serials``
    (its serial numbers), ``manufacture_date``. An empty scope sets no
    condition (``[]``): the caller refuses to match a notice without one."""
    reasons = []
    if scope["udi_dis"]:
        di = normalize_di(device.get("udi_di"))
        if not di or di not in scope["udi_dis"]:
            return None
        reasons.append(("udi_di", di, di))
    if scope["models"]:
        line = next(
            (
                m
                for m in scope["models"]
                if model_matches(m, device.get("manufacturer"), device.get("model"))
            ),
            None,
        )
        if line is None:
            return None
        reasons.append(("model", device.get("model"), line.text))
    if scope["lots"]:
        lot = device.get("lot")
        line = next((r for r in scope["lots"] if in_range(lot, r)), None)
        if line is None:
            return None
        reasons.append(("lot", lot, line.text))
    if scope["serials"]:
        found = next(
            (
                (serial, r)
                for r in scope["serials"]
                for serial in device.get("serials") or ()
                if in_range(serial, r)
            ),
            None,
        )
        if found is None:
            return None
        reasons.append(("serial", found[0], found[1].text))
    if scope["date_from"] or scope["date_to"]:
        made = device.get("manufacture_date")
        if not made:
            return None
        if scope["date_from"] and made < scope["date_from"]:
            return None
        if scope["date_to"] and made > scope["date_to"]:
            return None
        reasons.append(("manufacture_date", str(made), ""))
    return reasons
