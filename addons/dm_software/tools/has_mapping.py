"""The HAS mapping of professional-use medical device software (DMN).

Pure functions (no env): the model reads each software into plain values
(one dict per software, keyed by :data:`COLUMNS`); :func:`mapping_rows` puts
them in rows under the header, :func:`xlsx_content` writes the rows as an
XLSX file. The header and the yes/no cells are English templates marked for
translation; the model passes a ``translate`` function that renders them in
the user's language.
"""

import io

import xlsxwriter

from odoo.addons.medical_device.tools.messages import render
from odoo.addons.medical_device.tools.spreadsheet import write_xlsx_row
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# The columns of the mapping, in order: key -> header (a dict: Odoo's
# translation extractor would take the keys of (key, header) pairs as terms).
COLUMNS = {
    "software": _lt("Software"),
    "publisher": _lt("Publisher"),
    "version": _lt("Version"),
    "intended_purpose": _lt("Intended purpose"),
    "risk_class": _lt("Risk class"),
    "ce_marking": _lt("CE marking"),
    "in_house": _lt("In-house (art. 5(5))"),
    "contains_ai": _lt("Contains AI"),
    "referent": _lt("Referent"),
    "services": _lt("Services"),
    "trained_users": _lt("Trained users"),
    "last_qc": _lt("Last quality control"),
    "result": _lt("Result"),
}
# Columns written "Yes" or "No".
YES_NO_COLUMNS = ("in_house", "contains_ai")
YES, NO = _lt("Yes"), _lt("No")
SHEET_NAME = _lt("DMN mapping")
COLUMN_WIDTH = 24


def ce_marking(regime, notified_body=None, certificate=None):
    """The CE marking in one cell: the regime, the notified body and the
    certificate, those known; empty without a regime."""
    if not regime:
        return ""
    return " ".join(part for part in (regime, notified_body, certificate) if part)


def _cell(key, value, yes, no):
    if key in YES_NO_COLUMNS:
        return yes if value else no
    if isinstance(value, list | tuple):
        return ", ".join(value)
    return value or ""


def mapping_rows(softwares, translate=render):
    """The header and one row per software (a dict keyed by :data:`COLUMNS`;
    a missing or empty value gives an empty cell, a list is joined by
    commas). ``translate`` renders a template (English by default)."""
    yes, no = translate(YES), translate(NO)
    rows = [[translate(header) for header in COLUMNS.values()]]
    for software in softwares:
        rows.append([_cell(key, software.get(key), yes, no) for key in COLUMNS])
    return rows


def xlsx_content(rows, sheet_name):
    """The rows as an XLSX file (bytes): the first row in bold and frozen,
    the others wrapped; texts are texts, never formulas."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = workbook.add_worksheet(sheet_name)
    bold = workbook.add_format({"bold": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    for row_index, row in enumerate(rows):
        write_xlsx_row(sheet, row_index, row, bold if row_index == 0 else wrap)
    sheet.set_column(0, len(rows[0]) - 1, COLUMN_WIDTH)
    sheet.freeze_panes(1, 0)
    workbook.close()
    return output.getvalue()
