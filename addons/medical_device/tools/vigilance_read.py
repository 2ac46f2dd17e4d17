"""Reading of safety notice files (field safety notices, ANSM safety
information, FDA recalls) into the values of ``dm.vigilance.notice``.

Pure functions (no env). The import wizard calls :func:`read_notices` and
creates the notices only when it returns: a file with any error raises
:class:`NoticeReadError` listing every error of the file, so that nothing is
half-imported.

``read_notices(data, file_format)`` returns one dict per notice, with the keys
the file gives among:

- ``name`` (the reference, required), ``title`` (required), ``manufacturer``
  (the manufacturer's name, as text), ``description`` (text, several lines);
- ``source``: ``manufacturer_fsn`` (a manufacturer's field safety notice),
  ``ansm`` (an ANSM safety information), ``internal`` (the hospital's own),
  ``other`` (anything else; every openFDA recall);
- ``severity``: ``low`` (no harm expected: information, FDA class III),
  ``medium`` (temporary or reversible harm possible, FDA class II), ``high``
  (serious harm possible if the action is not done by the deadline),
  ``critical`` (risk of death or serious deterioration of health: act
  without delay, FDA class I);
- ``required_action``: ``inspect``, ``software_update``, ``replace_part``,
  ``quarantine``, ``return``, ``information``;
- ``date_received``, ``deadline``, ``manufacture_date_from``,
  ``manufacture_date_to``: ``datetime.date``;
- ``udi_di_list``, ``model_list``, ``lot_ranges``, ``serial_ranges``,
  ``software_versions``: text, one value or one range per line. A UDI-DI is
  the DI alone (a GS1 GTIN on 14 digits, check digit verified; a full UDI
  carrier is reduced to its DI). A range is written ``LOW-HIGH``
  (``SN1000-SN1999``), or ``LOW - HIGH`` when a bound has a dash of its own
  (``MON-IV-7700 - MON-IV-7799``); :func:`split_range` reads a line back;
- ``line``: where the notice is in the file (see below).

A key the file leaves empty is absent (the model's default applies).

Line numbers (of the notices and of the errors)
    ``csv``: the row as a spreadsheet shows it, the header being row 1 (a
    cell holding several lines does not shift the rows after it).
    ``xml``: the line of the element in the file (the ``<notice>`` element
    for a notice; the element at fault for an error, as the XSD validation
    reports it).
    ``openfda``: the index of the record in ``results`` (1-based).
    An error about the file as a whole (empty file, not JSON, DTD…) has
    line 0; a JSON syntax error gives its line and column in the message.

Formats
    ``csv``: one notice per row, UTF-8 (with or without BOM; Windows-1252
    is recognised too), ``;`` or ``,`` separated; the columns are named in
    English or French (``vigilance_read_words.HEADERS``: Reference/Référence,
    Source, Date received/Date de réception, Manufacturer/Fabricant,
    Title/Titre, Description, Severity/Gravité, Required action/Action
    requise, Deadline/Date limite, UDI-DI, Models/Modèles, Lots, Serial
    numbers/Numéros de série, Software versions/Versions logicielles,
    Manufactured from/Fabriqué du, Manufactured to/Fabriqué au). A column
    the reader does not know is an error (its data would be lost). A list
    cell holds its values one per line, or separated by ``|`` or ``;`` (and
    ``,``, except for models). Dates are dd/mm/yyyy or yyyy-mm-dd; choices
    are the technical values above or their English/French words
    (``vigilance_read_words``). The same sheet saved as XLSX is read too.
    ``xml``: validated against ``data/vigilance_notice.xsd`` (namespace
    :data:`vigilance_read_xml.NAMESPACE`), see ``vigilance_read_xml``.
    ``openfda``: the openFDA device recall API answer
    (https://open.fda.gov/apis/device/recall/), see
    ``vigilance_read_openfda``.
"""

from .fleet_import_read import normalize_header, read_table
from .vigilance_read_common import (
    ACTIONS,
    KEYS,
    MESSAGES,
    SEVERITIES,
    SOURCES,
    Errors,
    NoticeBuilder,
    NoticeReadError,
    join_range,
    normalize_range,
    split_range,
    udi_di,
)
from .vigilance_read_openfda import extract_code_info, read_openfda
from .vigilance_read_words import HEADERS
from .vigilance_read_xml import NAMESPACE, read_xml

__all__ = [
    "ACTIONS",
    "FORMATS",
    "KEYS",
    "MESSAGES",
    "NAMESPACE",
    "SEVERITIES",
    "SOURCES",
    "NoticeReadError",
    "extract_code_info",
    "join_range",
    "normalize_range",
    "read_notices",
    "split_range",
    "udi_di",
]

FORMATS = ("csv", "xml", "openfda")


def read_notices(data: bytes, file_format: str) -> list[dict]:
    """The notices of a file (see the module's docstring); raises
    :class:`NoticeReadError` with every error of the file."""
    if file_format not in FORMATS:
        raise ValueError(f"unknown notice file format {file_format!r}")
    if not data or not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise NoticeReadError([(0, MESSAGES["empty"], {})], file_format)
    reader = {"csv": read_csv, "xml": read_xml, "openfda": read_openfda}
    return reader[file_format](data)


def header_key(header):
    """The notice key a CSV header names, else ``None``."""
    norm = normalize_header(header)
    key = HEADERS.get(norm)
    if key is None and norm.replace(" ", "_") in KEYS:
        key = norm.replace(" ", "_")
    return key


def read_csv(data):
    """The notices of a CSV file (an XLSX file is read as well)."""
    errors = Errors()
    table = read_table(data, "notices.csv")
    columns, seen = {}, {}
    for index, header in enumerate(table.headers):
        if header.startswith("#") and header[1:].isdigit():
            continue  # no header: an error only if a row fills it (below)
        key = header_key(header)
        if key is None:
            errors.add(1, "unknown_column", column=header)
        elif key in seen:
            errors.add(1, "duplicate_column", first=seen[key], column=header)
        else:
            seen[key] = header
            columns[index] = key
    if "name" not in seen:
        errors.add(1, "missing_reference_column")
    if "title" not in seen:
        errors.add(1, "missing_title_column")
    if errors:
        # The rows cannot be read without their columns.
        errors.raise_if_any("csv")
    builder = NoticeBuilder(errors)
    notices = []
    for row_number, values in table.rows:
        raw, names = {}, {}
        for index, value in enumerate(values):
            if index in columns:
                raw[columns[index]] = value
                names[columns[index]] = table.headers[index]
            elif value is not None:
                errors.add(row_number, "extra_cell", value=value)
        notice = builder.build(raw, row_number, columns=names)
        if notice is not None:
            notices.append(notice)
    errors.raise_if_any("csv")
    if not notices:
        raise NoticeReadError([(0, MESSAGES["empty"], {})], "csv")
    return notices
