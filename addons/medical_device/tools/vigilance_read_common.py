"""What the safety notice readers share: the error, its messages, the values.

Pure functions (no env), used by ``vigilance_read`` (CSV and the public entry
point), ``vigilance_read_xml`` and ``vigilance_read_openfda``. See
``vigilance_read`` for the contract (keys, values, line numbers).
"""

import re
import unicodedata
from datetime import date, datetime

from odoo.tools.translate import LazyTranslate

from . import udi
from .fleet_import_read import normalize_header
from .fleet_import_values import ParseError, cell_text, parse_date
from .messages import render
from .vigilance_read_words import ACTION_WORDS, SEVERITY_WORDS, SOURCE_WORDS

_lt = LazyTranslate(__name__)

SOURCES = ("manufacturer_fsn", "ansm", "internal", "other")
SEVERITIES = ("low", "medium", "high", "critical")
ACTIONS = (
    "inspect",
    "software_update",
    "replace_part",
    "quarantine",
    "return",
    "information",
)
TEXT_KEYS = ("name", "manufacturer", "title", "description")
# Longest value read, in characters (as the XSD says): a longer one is an
# error, never cut.
MAX_LENGTH = {"name": 64, "manufacturer": 500, "title": 500, "model_list": 500}
MAX_ITEM_LENGTH = 200
DATE_KEYS = (
    "date_received",
    "deadline",
    "manufacture_date_from",
    "manufacture_date_to",
)
# Lists written one value or one range per line.
RANGE_KEYS = ("lot_ranges", "serial_ranges", "software_versions")
LIST_KEYS = ("udi_di_list", "model_list", *RANGE_KEYS)
KEYS = (
    "name",
    "source",
    "date_received",
    "manufacturer",
    "title",
    "description",
    "severity",
    "required_action",
    "deadline",
    *LIST_KEYS,
    "manufacture_date_from",
    "manufacture_date_to",
)

MESSAGES = {
    "empty": _lt("The file holds no notice."),
    "unknown_column": _lt(
        "Unknown column %(column)s: rename it as documented for notice files, "
        "or remove it."
    ),
    "duplicate_column": _lt(
        "The columns %(first)s and %(column)s hold the same information: keep "
        "only one of them."
    ),
    "extra_cell": _lt(
        "The value %(value)s is in a column without a header: name the column as "
        "documented, or empty it."
    ),
    "missing_reference_column": _lt(
        "The file has no reference column (Reference or Référence)."
    ),
    "missing_title_column": _lt("The file has no title column (Title or Titre)."),
    "required_reference": _lt("The notice has no reference."),
    "required_title": _lt("The notice has no title."),
    "duplicate_reference": _lt(
        "The reference %(value)s is already used by the notice on line %(other)s: "
        "a file holds each notice once."
    ),
    "unknown_source": _lt(
        "Unknown source %(value)s (expected manufacturer_fsn, ansm, internal or other)."
    ),
    "unknown_severity": _lt(
        "Unknown severity %(value)s (expected low, medium, high or critical)."
    ),
    "unknown_action": _lt(
        "Unknown required action %(value)s (expected inspect, software_update, "
        "replace_part, quarantine, return or information)."
    ),
    "bad_date": _lt("%(value)s is not a date (expected dd/mm/yyyy or yyyy-mm-dd)."),
    "window_order": _lt(
        "The manufacture date window ends on %(end)s, before it starts on %(start)s."
    ),
    "bad_gtin": _lt(
        "%(value)s is not a valid GS1 UDI-DI: a GTIN has 8, 12, 13 or 14 digits "
        "and a correct check digit."
    ),
    "too_long": _lt(
        "The value is %(length)s characters long, more than the %(max)s allowed."
    ),
    "bad_byte": _lt(
        "The value holds a character that is not valid in the file's encoding: "
        "save the file as UTF-8."
    ),
    "xml_syntax": _lt("The file is not well-formed XML: %(message)s"),
    "xml_dtd": _lt(
        "The file declares a DTD or entities, which a notice file may not do: "
        "they could make the server read other files."
    ),
    "xml_schema": _lt(
        "The file does not follow the notice schema (vigilance_notice.xsd): %(message)s"
    ),
    "json_syntax": _lt(
        "The file is not valid JSON (line %(json_line)s, column %(json_column)s): "
        "%(message)s"
    ),
    "json_encoding": _lt("The file is not UTF-8 text."),
    "json_shape": _lt(
        "The file is not an openFDA device recall file: expected an object with "
        "a results list, or a list of records."
    ),
    "json_record": _lt("The record is not a JSON object."),
}

# How an error is shown: where it is, then what it is.
WHERE = {
    "line": _lt("Line %(line)s: %(message)s"),
    "line_column": _lt("Line %(line)s, %(column)s: %(message)s"),
    "record": _lt("Record %(line)s: %(message)s"),
    "record_column": _lt("Record %(line)s, %(column)s: %(message)s"),
}


class NoticeReadError(ValueError):
    """A notice file that cannot be imported as a whole.

    ``errors`` lists every problem of the file, sorted by line:
    ``(line, template, params)``, where ``template`` is a translatable
    ``_lt`` string and ``params`` its values (``params["column"]``, when
    present, names the column, element or field). ``line`` is 0 for the file
    as a whole. :meth:`messages` renders them.
    """

    def __init__(self, errors, file_format=None):
        self.errors = sorted(errors, key=lambda error: error[0])
        self.file_format = file_format
        super().__init__("\n".join(self.messages()))

    def messages(self, env=None):
        """One text per error, in ``env``'s language (English without env):
        ``Line 4, Deadline: 31/02/2026 is not a date…`` (``Record 2…`` for an
        openFDA file)."""
        record = self.file_format == "openfda"
        texts = []
        for line, template, params in self.errors:
            message = render(template, params, env) or str(template)
            if not line:
                texts.append(message)
                continue
            column = params.get("column") if params else None
            where = WHERE[
                ("record" if record else "line") + ("_column" if column else "")
            ]
            texts.append(
                render(where, {"line": line, "column": column, "message": message}, env)
            )
        return texts


class Errors:
    """The errors of one file, collected as they are found."""

    def __init__(self):
        self.items = []

    def add(self, line, code, **params):
        self.items.append((line, MESSAGES[code], shown_params(params)))

    def add_template(self, line, template, params, column=None):
        params = dict(params or {})
        if column:
            params["column"] = column
        self.items.append((line, template, shown_params(params)))

    def __bool__(self):
        return bool(self.items)

    def raise_if_any(self, file_format):
        if self.items:
            raise NoticeReadError(self.items, file_format)


def shown(value, limit=60):
    """Printable, bounded rendering of file data for a message."""
    text = "".join(c if c.isprintable() else "?" for c in str(value))
    return text if len(text) <= limit else text[:limit] + "…"


def shown_params(params):
    """Params of a message: file data bounded (a message of the XML parser
    less so: it explains the error)."""
    return {
        key: (shown(value, 400 if key == "message" else 60))
        if isinstance(value, str)
        else value
        for key, value in params.items()
        if value is not None
    }


# ---------------------------------------------------------------- values
def clean_text(value, multiline=False):
    """A cell or element as text: ``None`` when empty; one line with single
    spaces, or (``multiline``) its lines without their common indentation."""
    if value is None:
        return None
    text = cell_text(value)
    if multiline:
        lines = [" ".join(line.split()) for line in text.splitlines()]
        while lines and not lines[0]:
            lines.pop(0)
        text = "\n".join(lines).strip()
    else:
        text = " ".join(text.split())
    return text or None


def parse_choice(text, words, technical):
    """The technical value a cell names (its technical name, with ``_`` or
    spaces, or one of its words), else ``None``."""
    norm = normalize_header(text)
    for value in technical:
        if norm == value.replace("_", " "):
            return value
    for value, labels in words:
        if norm in labels:
            return value
    return None


CHOICES = {
    "source": (SOURCE_WORDS, SOURCES, "unknown_source"),
    "severity": (SEVERITY_WORDS, SEVERITIES, "unknown_severity"),
    "required_action": (ACTION_WORDS, ACTIONS, "unknown_action"),
}


def to_date(value):
    """A date from a date, a datetime or a text (dd/mm/yyyy, yyyy-mm-dd,
    yyyymmdd as openFDA writes them); raises ``ParseError("bad_date")``."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    # An XML date may carry a time zone (2026-03-02Z, 2026-03-02+01:00).
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})", text)
    if match:
        text = match.group(1)
    return parse_date(text)


# ---------------------------------------------------------------- lists
_LIST_SPLIT = re.compile(r"[\n\r|;]+")
_LIST_SPLIT_COMMAS = re.compile(r"[\n\r|;,]+")
# A range written with words or dashes: "SN1000 - SN1999", "SN1000 to
# SN1999", "SN1000 à SN1999", "SN1000..SN1999", "SN1000–SN1999".
_RANGE_WORDS = re.compile(
    r"\s+(?:-|to|through|thru|a|à|au|jusqu'?au)\s+|\s*(?:–|—|\.\.)\s*",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")


def split_values(text, commas=True):
    """The values of a list cell: one per line, or separated by ``|`` or
    ``;`` (and ``,`` when ``commas``); stripped, without duplicates."""
    if text is None:
        return []
    pattern = _LIST_SPLIT_COMMAS if commas else _LIST_SPLIT
    values = []
    for part in pattern.split(cell_text(text)):
        value = " ".join(part.split())
        if value and value not in values:
            values.append(value)
    return values


def _skeleton(text):
    return _DIGITS.sub("9", text.upper())


def split_range(line):
    """``(low, high)`` when a line of a list is a range, else ``None``.

    ``"SN1000 - SN1999"`` (a spaced dash) is always a range.
    ``"SN1000-SN1999"`` is one when the dash splits the line into two bounds
    of the same shape (same letters and punctuation, digits anywhere) whose
    numbers do not go down: ``"MON-IV-7700-MON-IV-7799"`` is a range,
    ``"OML30522-01"`` (a lot with a dash) and ``"409-375"`` are single
    values. The readers write every range so that this function reads it back.
    """
    line = " ".join(str(line).split())
    if " - " in line:
        low, _sep, high = line.partition(" - ")
        if low and high and " - " not in high:
            return low, high
        return None
    positions = [i for i, char in enumerate(line) if char == "-"]
    for position in positions:
        low, high = line[:position], line[position + 1 :]
        if not low or not high or _skeleton(low) != _skeleton(high):
            continue
        lows = [int(n) for n in _DIGITS.findall(low)]
        highs = [int(n) for n in _DIGITS.findall(high)]
        if lows and lows <= highs:
            return low, high
    return None


def join_range(low, high):
    """A range as one line: ``LOW-HIGH``, or ``LOW - HIGH`` when a bound has
    a dash of its own (``MON-IV-7700 - MON-IV-7799``), which reads at a
    glance and which :func:`split_range` reads back whatever the bounds."""
    if "-" in low or "-" in high:
        return f"{low} - {high}"
    joined = f"{low}-{high}"
    return joined if split_range(joined) == (low, high) else f"{low} - {high}"


def normalize_range(value):
    """One line of a lot, serial or version list: a range written with words
    or dashes becomes ``LOW-HIGH`` (see :func:`join_range`), a single value
    stays as it is."""
    value = " ".join(value.split())
    parts = _RANGE_WORDS.split(value)
    if len(parts) == 2 and all(parts):
        return join_range(parts[0], parts[1])
    return value


def udi_di(value):
    """The UDI-DI a notice names: a UDI carrier (``(01)…``, ``01…``, a HIBCC
    ``+…``) gives its DI; digits alone are a GTIN (8, 12, 13 or 14 digits,
    check digit verified) written on 14 digits; any other text (a DI of
    another issuing entity) stays as it is. Raises :class:`udi.UdiError` or
    ``ParseError("bad_gtin")``."""
    text = "".join(value.split())
    if text.isdigit() and len(text) in (8, 12, 13, 14):
        gtin = text.zfill(14)
        if not udi.is_valid_gtin(gtin):
            raise ParseError("bad_gtin", {"value": value})
        return gtin
    if text.startswith(("(", "]", "+", "*+")) or (
        text.isdigit() and text.startswith("01") and len(text) > 14
    ):
        return udi.parse_udi(text).di
    if text.isdigit():
        raise ParseError("bad_gtin", {"value": value})
    return text


def _strip_accents(text):
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


# ---------------------------------------------------------------- notices
class NoticeBuilder:
    """Turns the raw values of each notice of a file into its dict, collecting
    the errors of the whole file (and the references seen, to refuse a
    notice given twice)."""

    def __init__(self, errors):
        self.errors = errors
        self.references = {}

    def build(self, raw, line, lines=None, columns=None):
        """The notice of ``raw`` (``{key: text, date, or list of texts}``),
        read from ``line``; ``lines`` and ``columns`` give, per key, the line
        and the name (header, element) an error points to. Returns ``None``
        when the notice has errors (they are collected)."""
        lines, columns = lines or {}, columns or {}
        count = len(self.errors.items)
        notice = {}

        failed = set()

        def fail(key, code, at=None, **params):
            """Collect an error: ``code`` of :data:`MESSAGES`, or a UdiError."""
            failed.add(key)
            where = at or lines.get(key, line)
            if isinstance(code, udi.UdiError):
                self.errors.add_template(
                    where, code.template, code.params, columns.get(key)
                )
            else:
                self.errors.add(where, code, column=columns.get(key), **params)

        for key, value in raw.items():
            if value in (None, "", []):
                continue
            if key in TEXT_KEYS:
                text = clean_text(value, multiline=key == "description")
                if text and "\ufffd" in text:
                    fail(key, "bad_byte")
                elif text and len(text) > MAX_LENGTH.get(key, len(text)):
                    fail(key, "too_long", length=len(text), max=MAX_LENGTH[key])
                elif text:
                    notice[key] = text
            elif key in CHOICES:
                words, technical, code = CHOICES[key]
                text = clean_text(value)
                choice = parse_choice(text, words, technical)
                if choice is None:
                    fail(key, code, value=text)
                else:
                    notice[key] = choice
            elif key in DATE_KEYS:
                try:
                    notice[key] = to_date(value)
                except ParseError:
                    fail(key, "bad_date", value=clean_text(value) or "")
            elif key in LIST_KEYS:
                self._list(notice, key, value, fail, lines.get(key, line), columns)
        if "name" not in notice and "name" not in failed:
            fail("name", "required_reference")
        if "title" not in notice and "title" not in failed:
            fail("title", "required_title")
        start, end = (
            notice.get("manufacture_date_from"),
            notice.get("manufacture_date_to"),
        )
        if start and end and end < start:
            fail(
                "manufacture_date_to",
                "window_order",
                start=start.isoformat(),
                end=end.isoformat(),
            )
        reference = notice.get("name")
        if reference:
            key = _strip_accents(reference).casefold()
            if key in self.references:
                fail(
                    "name",
                    "duplicate_reference",
                    value=reference,
                    other=self.references[key],
                )
            else:
                self.references[key] = lines.get("name", line)
        if len(self.errors.items) > count:
            return None
        notice["line"] = line
        return notice

    def _list(self, notice, key, value, fail, line, columns):
        """A list key: a cell's text, or a list of texts or of ``(text,
        line)`` (one XML element each)."""
        pairs = []
        items = value if isinstance(value, list | tuple) else [value]
        for item in items:
            text, at = item if isinstance(item, tuple) else (item, line)
            if isinstance(value, list | tuple):  # an element is one value
                text = " ".join(str(text).split())
                parts = [text] if text else []
            else:  # a cell splits on its separators
                parts = split_values(text, commas=key != "model_list")
            pairs.extend((part, at) for part in parts)
        result = []
        for item, at in pairs:
            if "\ufffd" in item:
                fail(key, "bad_byte", at=at)
                continue
            limit = MAX_LENGTH.get(key, MAX_ITEM_LENGTH)
            if len(item) > limit:
                fail(key, "too_long", at=at, length=len(item), max=limit)
                continue
            if key == "udi_di_list":
                try:
                    item = udi_di(item)
                except ParseError as error:
                    fail(key, error.code, at=at, **error.params)
                    continue
                except udi.UdiError as error:
                    fail(key, error, at=at)
                    continue
            elif key in RANGE_KEYS:
                item = normalize_range(item)
            if item not in result:
                result.append(item)
        if result:
            notice[key] = "\n".join(result)
