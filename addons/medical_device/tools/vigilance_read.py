"""Reading of safety notice files into notice values. Pure functions.

Minimal CSV reader (the full CSV / XML / openFDA reader replaces it): one
notice per row, the header naming the fields of ``dm.vigilance.notice``;
lists (UDI-DIs, models, lots, serials, versions) hold one value or range per
line, or several separated by ``|``. Dates are ISO (``2026-03-01``) or
French (``01/03/2026``).

:func:`read_notices` returns a list of dicts, each with the keys among the
notice's field names plus ``line`` (the row's line in the file); on any
malformed row it raises :class:`NoticeReadError` with every error as
``(line, template, params)`` for ``tools.messages.render``.
"""

import csv
import io
from datetime import datetime

from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

FORMATS = ("csv", "xml", "openfda")
TEXT_FIELDS = (
    "name",
    "source",
    "manufacturer",
    "title",
    "description",
    "severity",
    "required_action",
)
LIST_FIELDS = (
    "udi_di_list",
    "model_list",
    "lot_ranges",
    "serial_ranges",
    "software_versions",
)
DATE_FIELDS = (
    "date_received",
    "deadline",
    "manufacture_date_from",
    "manufacture_date_to",
)
FIELDS = TEXT_FIELDS + LIST_FIELDS + DATE_FIELDS
REQUIRED = ("name", "title")

MESSAGES = {
    "format": _lt("the format %(format)s cannot be read here"),
    "encoding": _lt("the file is not text in UTF-8"),
    "empty": _lt("the file holds no notice"),
    "columns": _lt("unknown columns: %(columns)s"),
    "required": _lt("%(field)s is required"),
    "date": _lt("%(field)s: %(value)s is not a date (YYYY-MM-DD or DD/MM/YYYY)"),
    "cells": _lt("the row has more cells than the header"),
}


class NoticeReadError(ValueError):
    """The file cannot be read: ``errors`` is a list of ``(line, template,
    params)``, line 0 for the file as a whole."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__(
            "; ".join(
                f"{line}: {template._translate('en_US') % params}"
                for line, template, params in errors
            )
        )


def _date(text):
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _list(text):
    return "\n".join(
        part.strip()
        for line in text.splitlines()
        for part in line.split("|")
        if part.strip()
    )


def _row_values(row, line, errors):
    values = {"line": line}
    for key, raw in row.items():
        if key is None:
            errors.append((line, MESSAGES["cells"], {}))
            continue
        text = (raw or "").strip()
        if not text:
            continue
        if key in DATE_FIELDS:
            value = _date(text)
            if value is None:
                errors.append((line, MESSAGES["date"], {"field": key, "value": text}))
                continue
            values[key] = value
        elif key in LIST_FIELDS:
            values[key] = _list(text)
        else:
            values[key] = text
    for key in REQUIRED:
        if not values.get(key):
            errors.append((line, MESSAGES["required"], {"field": key}))
    return values


def read_notices(data, file_format):
    """The notices of ``data`` (bytes) in ``file_format`` (see ``FORMATS``)."""
    if file_format != "csv":
        raise NoticeReadError([(0, MESSAGES["format"], {"format": file_format})])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NoticeReadError([(0, MESSAGES["encoding"], {})]) from error
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [(name or "").strip() for name in reader.fieldnames or ()]
    reader.fieldnames = header
    unknown = [name for name in header if name and name not in FIELDS]
    if unknown:
        raise NoticeReadError(
            [(1, MESSAGES["columns"], {"columns": ", ".join(unknown)})]
        )
    notices, errors = [], []
    for row in reader:
        # The row's first line (a quoted cell may span several lines).
        line = reader.line_num - sum(
            (value or "").count("\n")
            for value in row.values()
            if isinstance(value, str)
        )
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        notices.append(_row_values(row, line, errors))
    if errors:
        raise NoticeReadError(errors)
    if not notices:
        raise NoticeReadError([(0, MESSAGES["empty"], {})])
    return notices
