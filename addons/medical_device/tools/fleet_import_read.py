"""Reading of CMMS fleet exports (CSV or XLSX): headers, encoding, rows.

Pure functions (no env), used by ``fleet_import``.
"""

import codecs
import contextlib
import csv
import functools
import io
import re
import unicodedata
from dataclasses import dataclass

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


@functools.lru_cache(maxsize=8192)
def normalize_header(text):
    """Lower case, no accents, punctuation and spaces collapsed to one space:
    ``"N° série"`` and ``"n serie"`` are the same header."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return _NON_ALNUM.sub(" ", text).strip()


# ---------------------------------------------------------------- reading
XLSX_MAGIC = b"PK\x03\x04"


def is_xlsx(data, filename=None):
    name = (filename or "").lower()
    return name.endswith((".xlsx", ".xlsm")) or data[:4] == XLSX_MAGIC


# A multi-byte character of valid UTF-8 (RFC 3629): a file that has some is
# UTF-8, even when a few bytes of it are not.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]"
    rb"|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
# What a byte that is not valid in the detected encoding becomes: the cells
# that hold one are rejected by parse_row (code "bad_byte"), never mis-read.
REPLACEMENT = "\ufffd"
# A NUL is no character of a CSV file's text (PostgreSQL refuses it in a
# text): it is read as a bad byte, and its cell reported.
NUL = "\x00"


def detect_encoding(data):
    """Encoding of a CSV file, decided by its BOM, else by validity.

    UTF-8 or UTF-16 with a BOM, or valid UTF-8, or mostly UTF-8: more valid multi-byte
    characters than invalid bytes (a UTF-8 export with one damaged byte stays
    UTF-8; the byte is read as U+FFFD and its cell reported). Else
    Windows-1252 (a real cp1252 file has no valid UTF-8 multi-byte sequence
    between its accents), else Latin-1 (which decodes anything)."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text" export.
        return "utf-16"
    try:
        data.decode("utf-8")  # checked, then dropped: rows are streamed
    except UnicodeDecodeError:
        valid = len(_UTF8_MULTIBYTE.findall(data))
        if valid and valid > data.decode("utf-8", "replace").count(REPLACEMENT):
            return "utf-8"
    else:
        return "utf-8"
    with contextlib.suppress(UnicodeDecodeError):
        data.decode("cp1252")
        return "cp1252"
    return "latin-1"


def _decode_errors(encoding):
    """UTF-8 chosen for a file with bad bytes shows them (U+FFFD) rather than
    fail; the single-byte encodings chosen decode the whole file."""
    return "replace" if encoding.startswith(("utf-8", "utf-16")) else "strict"


def decode_bytes(data):
    """Text and encoding of a CSV file (see :func:`detect_encoding`)."""
    encoding = detect_encoding(data)
    return data.decode(encoding, _decode_errors(encoding)), encoding


def sniff_delimiter(text):
    """``;`` or ``,``: from the header line when it is unambiguous, else the
    csv sniffer restricted to those two, else ``;`` (French exports); a tab
    when the header has tabs and neither (Excel's "Unicode text")."""
    header = text.split("\n", 1)[0]
    semicolons, commas = header.count(";"), header.count(",")
    if "\t" in header and not semicolons and not commas:
        return "\t"
    if semicolons and not commas:
        return ";"
    if commas and not semicolons:
        return ","
    try:
        return csv.Sniffer().sniff(text[:65536], delimiters=";,").delimiter
    except csv.Error:
        return ";" if semicolons >= commas else ","


def _unique_headers(raw_headers):
    headers, seen = [], {}
    for index, raw in enumerate(raw_headers):
        header = (
            str(raw).replace(NUL, REPLACEMENT).strip()
            if raw not in (None, "")
            else f"#{index + 1}"
        )
        if header in seen:
            seen[header] += 1
            header = f"{header} ({seen[header]})"
        else:
            seen[header] = 1
        headers.append(header)
    return headers


def _clean(value):
    if isinstance(value, str):
        # No text of the database holds a NUL: the cell is reported instead.
        value = value.replace(NUL, REPLACEMENT).strip()
        return value or None
    return value


@dataclass
class Table:
    """A file read: its headers and an iterator of ``(row_number, values)``.

    Row numbers are those a spreadsheet shows: the header is row 1, the first
    data row is row 2. Empty rows are skipped but keep their number.
    """

    headers: list
    rows: object
    encoding: str = ""
    delimiter: str = ""
    size_hint: int | None = None


def _csv_table(data):
    encoding = detect_encoding(data)
    delimiter = sniff_delimiter(data[:65536].decode(encoding, errors="ignore"))
    # Decoded as it is read: a large file is never held twice as text.
    stream = io.TextIOWrapper(
        io.BytesIO(data),
        encoding=encoding,
        errors=_decode_errors(encoding),
        newline="",
    )
    reader = csv.reader(stream, delimiter=delimiter)
    raw_headers = next(reader, [])
    headers = _unique_headers(raw_headers)

    def rows():
        for row_number, values in enumerate(reader, start=2):
            values = [_clean(v) for v in values]
            if any(v is not None for v in values):
                yield row_number, values

    return Table(headers, rows(), encoding, delimiter)


def _xlsx_table(data):
    # Imported here: only XLSX files need it (Odoo ships it as a dependency).
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    raw_headers = next(iterator, ())
    headers = _unique_headers(raw_headers)
    max_row = sheet.max_row

    def rows():
        try:
            for row_number, values in enumerate(iterator, start=2):
                values = [_clean(v) for v in values]
                if any(v is not None for v in values):
                    yield row_number, values
        finally:
            workbook.close()

    hint = max_row - 1 if max_row else None
    return Table(headers, rows(), "xlsx", "", hint)


def read_table(data, filename=None):
    """Read a CSV or XLSX export (see :class:`Table`)."""
    if is_xlsx(data, filename):
        return _xlsx_table(data)
    return _csv_table(data)


def read_rows(data, filename=None):
    """Yield ``(row_number, {header: value})`` for each non-empty data row."""
    table = read_table(data, filename)
    for row_number, values in table.rows:
        yield row_number, dict(zip(table.headers, values, strict=False))


def count_rows(data, filename=None):
    """Number of data rows, for the progress bar (XLSX: from its dimension
    when the file declares it)."""
    if is_xlsx(data, filename):
        table = _xlsx_table(data)
        if table.size_hint is not None:
            table.rows.close()
            return table.size_hint
    else:
        table = _csv_table(data)
    return sum(1 for _row in table.rows)
