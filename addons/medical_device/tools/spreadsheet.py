"""Spreadsheet cells that a spreadsheet never runs as formulas.

Pure functions (no env), used by every CSV and XLSX file the addons produce.
A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return (or a full-width form of these signs, see ``starts_a_formula``) is
read by Excel or LibreOffice as a formula (``=HYPERLINK(…)``,
``=cmd|…``: OWASP "CSV injection"); such a text gets a leading ``'``, which
keeps it readable and makes it plain text. Numbers, dates and booleans stay
typed: a negative number is a number, not text.
"""

import math
import unicodedata
from datetime import date

# What a spreadsheet reads as the start of a formula (OWASP CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def starts_a_formula(text):
    """Whether a spreadsheet may read ``text`` as a formula: it starts with
    one of ``FORMULA_PREFIXES``, or with a compatibility form of one (the
    full-width ``＝＋－＠`` of East Asian keyboards, the small ``﹦﹢﹣﹫``),
    which a spreadsheet's input normalisation (NFKC) may turn into it."""
    return text.startswith(FORMULA_PREFIXES) or unicodedata.normalize(
        "NFKC", text[:1]
    ).startswith(FORMULA_PREFIXES)


def safe_cell(value):
    """``value`` with a leading ``'`` if it is a text a spreadsheet would
    read as a formula; any other value unchanged."""
    if isinstance(value, str) and starts_a_formula(value):
        return QUOTE + value
    return value


def csv_row(values):
    """A row for ``csv.writer``: dates in ISO format, texts made safe."""
    return [
        value.isoformat() if isinstance(value, date) else safe_cell(value)
        for value in values
    ]


def write_xlsx_cell(sheet, row, col, value, cell_format=None, date_format=None):
    """Write one value on an ``xlsxwriter`` sheet by its type: a text is
    always written as a (safe) text, never as a formula, which
    ``sheet.write`` would do for ``=…``. Dates use ``date_format`` (ISO text
    without it); an empty value gives a blank cell."""
    if value is None or value == "":
        sheet.write_blank(row, col, None, cell_format)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, cell_format)
    elif isinstance(value, int | float) and math.isfinite(value):
        sheet.write_number(row, col, value, cell_format)
    elif isinstance(value, date) and date_format is not None:
        sheet.write_datetime(row, col, value, date_format)
    elif isinstance(value, date):
        sheet.write_string(row, col, value.isoformat(), cell_format)
    else:
        sheet.write_string(row, col, safe_cell(str(value)), cell_format)


def write_xlsx_row(sheet, row, values, cell_format=None, date_format=None):
    """Write ``values`` on row ``row`` of an ``xlsxwriter`` sheet, from the
    first column, each by :func:`write_xlsx_cell`."""
    for col, value in enumerate(values):
        write_xlsx_cell(sheet, row, col, value, cell_format, date_format)
