"""Reading and parsing of CMMS fleet exports (CSV or XLSX) into device values.

Pure Python, no Odoo import, so that it runs and is tested without a database.
The Odoo side (``models/dm_fleet_import.py``) resolves the names this module
returns (partners, categories, PIEU levels, OS versions) and writes the devices.

Every parsing error is a tuple ``(column, code, params)``: the column header as
found in the file, a stable ``code`` (see :data:`MESSAGES`) and the values of
its placeholders; the Odoo side turns it into a translated message.
"""

import codecs
import contextlib
import csv
import functools
import io
import ipaddress
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from . import regulatory, udi

# ---------------------------------------------------------------- targets
# Target key -> kind of value. The key is what a mapping line points at; most
# keys are also the name of the maintenance.equipment field they fill, the
# others are looked up by name (see LOOKUP_FIELDS).
TARGETS = {
    # identity
    "serial_no": "char",
    "name": "char",
    "common_name": "char",
    "trade_name": "char",
    "manufacturer": "name",
    "supplier": "name",
    "model": "char",
    "category": "name",
    "location": "char",
    "dm_kind": "dm_kind",
    "is_medical_device": "bool",
    # regulatory identity
    "dm_risk_class": "risk_class",
    "ce_regime": "ce_regime",
    "notified_body_number": "notified_body",
    "ce_certificate_ref": "char",
    "ce_certificate_expiry": "date",
    "udi_carrier": "udi",
    "basic_udi_di": "basic_udi_di",
    "emdn_code": "emdn",
    "is_implantable": "bool",
    "is_ionising": "bool",
    "embeds_software": "bool",
    # PIEU criticality: the value of the level on its factor's scale
    "pieu_p": "pieu",
    "pieu_i": "pieu",
    "pieu_e": "pieu",
    "pieu_u": "pieu",
    # lifecycle and dates
    "lifecycle_state": "lifecycle",
    "acquisition_mode": "acquisition_mode",
    "acquisition_date": "date",
    "commissioning_date": "date",
    "warranty_date": "date",
    "scrap_date": "date",
    "cost": "float",
    # data and cyber matrix (is_connected and patient_data are medical_device's)
    "is_connected": "bool",
    "patient_data": "bool",
    "os_version": "name",
    "antivirus": "antivirus",
    "internet_access": "bool",
    "domain_joined": "bool",
    "vendor_firewall": "bool",
    "usb_locked": "bool",
    "last_patch_date": "date",
    "remote_maintenance_channel": "remote_channel",
    "network_zone": "char",
    "ip_address": "ip",
    "mac_address": "mac",
}
# Targets looked up by name or value -> the many2one field they fill.
LOOKUP_FIELDS = {
    "manufacturer": "manufacturer_id",
    "supplier": "partner_id",
    "category": "category_id",
    "os_version": "os_version_id",
    "pieu_p": "pieu_p_id",
    "pieu_i": "pieu_i_id",
    "pieu_e": "pieu_e_id",
    "pieu_u": "pieu_u_id",
}
# Filled only when the addon that defines the field (dm_cyber) is installed.
CYBER_TARGETS = (
    "os_version",
    "antivirus",
    "internet_access",
    "domain_joined",
    "vendor_firewall",
    "usb_locked",
    "last_patch_date",
    "remote_maintenance_channel",
    "network_zone",
    "ip_address",
    "mac_address",
)


def target_field(target):
    """The maintenance.equipment field a target fills."""
    return LOOKUP_FIELDS.get(target, target)


# ---------------------------------------------------------------- messages
# English text of each error code (the Odoo side has the translated copies).
MESSAGES = {
    "required": "A serial number or a UDI with a serial number or lot is required "
    "to import a device.",
    "duplicate": "Same device as row %(row)s of the file: this row is skipped.",
    "bad_date": "%(value)s is not a date (expected dd/mm/yyyy or yyyy-mm-dd).",
    "bad_number": "%(value)s is not a number.",
    "bad_bool": "%(value)s is not a yes/no value (expected oui, non, x, 1 or 0).",
    "unknown_class": "Unknown risk class %(value)s (expected I, Is, Im, Ir, IIa, "
    "IIb, III or IVD class A to D).",
    "unknown_ce_regime": "Unknown CE marking %(value)s (expected MDR, IVDR, MDD, "
    "AIMDD or IVDD, or the number of the regulation or directive).",
    "unknown_kind": "Unknown device kind %(value)s (expected DM, DMIA or DMDIV).",
    "unknown_lifecycle": "Unknown status %(value)s (expected e.g. En commande, En "
    "réception, En service, En cours de réforme, Réformé).",
    "unknown_acquisition_mode": "Unknown acquisition mode %(value)s (expected "
    "Achat, Location, Prêt or Don).",
    "unknown_antivirus": "Unknown antivirus answer %(value)s (expected Hôpital, "
    "Fournisseur or Aucun).",
    "unknown_remote_channel": "Unknown remote maintenance channel %(value)s "
    "(expected Aucune, VPN fournisseur, Bastion or Non maîtrisé).",
    "class_kind": "The risk class %(value)s does not fit a device of kind %(kind)s.",
    "regime_kind": "The CE marking %(value)s does not fit a device of kind %(kind)s.",
    "regime_class": "The CE marking %(value)s does not fit the risk class %(class)s.",
    "notified_body": "%(value)s is not a notified body number (4 digits).",
    "udi": "Invalid UDI %(value)s: %(message)s",
    "code": "%(message)s",
    "bad_ip": "%(value)s is not an IPv4 or IPv6 address.",
    "bad_mac": "%(value)s is not a MAC address (e.g. 00:1A:2B:3C:4D:5E).",
}


def format_error(code, params):
    """English text of an error (the Odoo side translates it instead)."""
    try:
        return MESSAGES[code] % params
    except (KeyError, TypeError, ValueError):
        return f"{code}: {params}"


# ---------------------------------------------------------------- headers
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


def _norm_value(value):
    return normalize_header(value)


# ---------------------------------------------------------------- reading
XLSX_MAGIC = b"PK\x03\x04"


def is_xlsx(data, filename=None):
    name = (filename or "").lower()
    return name.endswith((".xlsx", ".xlsm")) or data[:4] == XLSX_MAGIC


def detect_encoding(data):
    """Encoding of a CSV file: UTF-8 (with or without BOM), else Windows-1252,
    else Latin-1 (which decodes anything)."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    for encoding in ("utf-8", "cp1252"):
        with contextlib.suppress(UnicodeDecodeError):
            data.decode(encoding)  # checked, then dropped: rows are streamed
            return encoding
    return "latin-1"


def decode_bytes(data):
    """Text and encoding of a CSV file (see :func:`detect_encoding`)."""
    encoding = detect_encoding(data)
    return data.decode(encoding), encoding


def sniff_delimiter(text):
    """``;`` or ``,``: from the header line when it is unambiguous, else the
    csv sniffer restricted to those two, else ``;`` (French exports)."""
    header = text.split("\n", 1)[0]
    semicolons, commas = header.count(";"), header.count(",")
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
        header = str(raw).strip() if raw not in (None, "") else f"#{index + 1}"
        if header in seen:
            seen[header] += 1
            header = f"{header} ({seen[header]})"
        else:
            seen[header] = 1
        headers.append(header)
    return headers


def _clean(value):
    if isinstance(value, str):
        value = value.strip()
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
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
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


def resolve_columns(headers, mapping):
    """Columns to read: ``([(header, target)], [ignored headers])``.

    ``mapping`` is ``{normalised source header: target key}``. A header that
    the mapping does not know is ignored.
    """
    columns, ignored = [], []
    for header in headers:
        target = mapping.get(normalize_header(header))
        if target in TARGETS:
            columns.append((header, target))
        else:
            ignored.append(header)
    return columns, ignored


# ---------------------------------------------------------------- values
class ParseError(ValueError):
    def __init__(self, code, params=None):
        super().__init__(code)
        self.code = code
        self.params = params or {}


def _text(value):
    """A cell as text: numbers without a spurious '.0' (Excel reads 1234 as
    1234.0), dates in ISO."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


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
    text = _text(value)
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
    text = _text(value).replace("\u00a0", "").replace(" ", "").replace("€", "")
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
        raise ParseError("bad_number", {"value": _text(value)}) from error
    if not math.isfinite(number):
        raise ParseError("bad_number", {"value": _text(value)})
    return number


_TRUE = {"oui", "o", "yes", "y", "1", "x", "vrai", "true", "ok"}
_FALSE = {"non", "n", "no", "0", "faux", "false", "aucun", "aucune"}


def parse_bool(value):
    if isinstance(value, bool):
        return value
    text = _norm_value(_text(value))
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ParseError("bad_bool", {"value": _text(value)})


_MDR_CLASSES = {
    "i": "i",
    "1": "i",
    "is": "is",
    "1s": "is",
    "isterile": "is",
    "im": "im",
    "1m": "im",
    "imesure": "im",
    "ir": "ir",
    "1r": "ir",
    "ireutilisable": "ir",
    "iia": "iia",
    "2a": "iia",
    "iib": "iib",
    "2b": "iib",
    "iii": "iii",
    "3": "iii",
}
_IVD_WORDS = {"ivd", "ivdr", "dmdiv", "div", "diag", "diagnostic", "in", "vitro"}
_CLASS_NOISE = {
    "classe",
    "class",
    "cl",
    "dm",
    "mdr",
    "de",
    "risque",
    "du",
    "dispositif",
}


def parse_risk_class(value):
    """``"IIa"``, ``"2a"``, ``"classe IIb"``, ``"Is"``, ``"DMDIV classe B"``,
    ``"ivd_c"`` → our keys (``i`` … ``iii``, ``ivd_a`` … ``ivd_d``)."""
    text = _text(value)
    words = _norm_value(text).split()
    ivd = any(w in _IVD_WORDS for w in words)
    rest = "".join(w for w in words if w not in _IVD_WORDS and w not in _CLASS_NOISE)
    if rest in ("a", "b", "c", "d"):
        return f"ivd_{rest}"
    if not ivd and rest in _MDR_CLASSES:
        return _MDR_CLASSES[rest]
    raise ParseError("unknown_class", {"value": text})


def parse_ce_regime(value):
    text = _text(value)
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
    text = _text(value)
    norm = _norm_value(text)
    compact = norm.replace(" ", "")
    if compact in ("dmia", "aimd") or "implantable actif" in norm:
        return "dmia"
    if compact in ("dmdiv", "ivd", "div") or "vitro" in norm:
        return "dmdiv"
    if compact in ("dm", "md", "dispositifmedical"):
        return "dm"
    raise ParseError("unknown_kind", {"value": text})


_LIFECYCLE = (
    # most specific first: "en cours de réforme" before "réformé"
    (
        "disposal",
        ("en cours de reforme", "a reformer", "reforme en cours", "reforme demandee"),
    ),
    (
        "disposed",
        (
            "reforme",
            "reformee",
            "reformes",
            "hors service definitif",
            "rebut",
            "cede",
            "detruit",
            "disposed",
        ),
    ),
    (
        "reception",
        ("en reception", "reception", "livre", "en test", "en recette"),
    ),
    (
        "acquisition",
        ("en commande", "commande", "acquisition", "en projet", "en achat"),
    ),
    (
        "in_service",
        (
            "en service",
            "service",
            "actif",
            "en fonctionnement",
            "en exploitation",
            "en pret",
            "in service",
            "en panne",
            "en maintenance",
        ),
    ),
)


def parse_lifecycle(value):
    """A CMMS status → lifecycle state (``"En service"`` → ``in_service``…)."""
    text = _text(value)
    norm = _norm_value(text)
    if norm in ("in service", "in_service"):
        return "in_service"
    for state, labels in _LIFECYCLE:
        if norm == state.replace("_", " ") or norm in labels:
            return state
    for state, labels in _LIFECYCLE:
        if any(label in norm for label in labels if " " in label):
            return state
    raise ParseError("unknown_lifecycle", {"value": text})


def _parse_choice(value, choices, code):
    text = _text(value)
    norm = _norm_value(text)
    for key, labels in choices:
        if norm == key or norm in labels:
            return key
    for key, labels in choices:
        if any(label in norm for label in labels if len(label) > 3):
            return key
    raise ParseError(code, {"value": text})


_ACQUISITION_MODES = (
    ("purchase", ("achat", "achete", "acquisition", "purchase", "marche")),
    ("rental", ("location", "loue", "credit bail", "leasing", "rental")),
    ("loan", ("pret", "mise a disposition", "mad", "depot", "loan")),
    ("donation", ("don", "donation", "legs")),
)
_ANTIVIRUS = (
    ("none", ("aucun", "non", "sans", "none", "no")),
    ("vendor", ("fournisseur", "constructeur", "fabricant", "vendor", "editeur")),
    # A plain "yes": the hospital's IT runs the antivirus (documented choice).
    ("hospital", ("hopital", "etablissement", "dsi", "chu", "oui", "yes", "hospital")),
)
_REMOTE_CHANNELS = (
    ("uncontrolled", ("non maitrise", "non maitrisee", "libre", "uncontrolled")),
    ("supplier_vpn", ("vpn", "vpn fournisseur", "supplier vpn")),
    ("hospital_bastion", ("bastion", "bastion hopital", "hospital bastion")),
    ("none", ("aucune", "aucun", "non", "none", "no")),
)


def parse_notified_body(value):
    """4 digits; Excel drops leading zeros (``123`` → ``0123``), a ``CE``
    prefix is removed."""
    text = _text(value)
    digits = re.sub(r"^(?:ce|on|nb)\s*", "", text.strip(), flags=re.IGNORECASE)
    if digits.isdigit() and len(digits) <= 4:
        digits = digits.zfill(4)
    if not regulatory.is_valid_notified_body_number(digits):
        raise ParseError("notified_body", {"value": text})
    return digits


_MAC_RE = re.compile(r"^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$")


def parse_value(kind, value):
    """Parse one cell for a target kind; raises :class:`ParseError`."""
    if kind == "char" or kind == "name":
        return _text(value)
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
        return _parse_choice(value, _ACQUISITION_MODES, "unknown_acquisition_mode")
    if kind == "antivirus":
        return _parse_choice(value, _ANTIVIRUS, "unknown_antivirus")
    if kind == "remote_channel":
        return _parse_choice(value, _REMOTE_CHANNELS, "unknown_remote_channel")
    if kind == "notified_body":
        return parse_notified_body(value)
    if kind == "udi":
        return _text(value)  # parsed in parse_row, which keeps its parts
    if kind in ("basic_udi_di", "emdn"):
        text = _text(value).upper()
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
    if kind == "ip":
        text = _text(value)
        try:
            ipaddress.ip_address(text)
        except ValueError as error:
            raise ParseError("bad_ip", {"value": text}) from error
        return text
    if kind == "mac":
        text = _text(value)
        if not _MAC_RE.match(text):
            raise ParseError("bad_mac", {"value": text})
        return text.upper()
    raise ValueError(f"unknown target kind {kind}")


# ---------------------------------------------------------------- rows
def parse_row(row, columns):
    """Parse one row: ``(vals, errors)``.

    ``row`` is ``{header: value}``, ``columns`` the ``[(header, target)]`` of
    :func:`resolve_columns`. ``vals`` is keyed by target; empty cells are left
    out (they leave the device's value unchanged), as are names made of
    punctuation only (``-``, ``?``). A UDI adds its parsed
    ``udi_di``, ``udi_lot`` and ``udi_serial``, used to find the device again.
    When two columns fill the same target, the first non-empty one wins.
    """
    vals, errors, sources = {}, [], {}
    for header, target in columns:
        value = row.get(header)
        if value is None or target in vals or target in sources:
            continue
        kind = TARGETS[target]
        if kind == "name" and not normalize_header(value):
            continue  # "-", "?": no name to look up, as an empty cell
        try:
            vals[target] = parse_value(kind, value)
        except ParseError as error:
            errors.append((header, error.code, error.params))
        sources[target] = header
    carrier = vals.get("udi_carrier")
    if carrier:
        try:
            data = udi.parse_udi(carrier)
        except udi.UdiError as error:
            del vals["udi_carrier"]
            errors.append(
                (
                    sources["udi_carrier"],
                    "udi",
                    {
                        "value": carrier.replace(udi.GS, "<GS>"),
                        "message": str(error),
                        "udi_code": error.code,
                        "udi_params": error.params,
                    },
                )
            )
        else:
            vals["udi_di"] = data.di
            vals["udi_lot"] = data.lot or False
            vals["udi_serial"] = data.serial or False
    _derive_kind(vals)
    errors += _check_regulatory(vals, sources)
    return vals, errors


def _derive_kind(vals):
    """An IVD class or regime makes a DMDIV, the AIMDD a DMIA, unless the file
    says the kind."""
    if "dm_kind" in vals:
        return
    if vals.get("dm_risk_class", "").startswith("ivd") or vals.get("ce_regime") in (
        "ivdr",
        "ivdd",
    ):
        vals["dm_kind"] = "dmdiv"
    elif vals.get("ce_regime") == "aimdd":
        vals["dm_kind"] = "dmia"


def _check_regulatory(vals, sources):
    kind = vals.get("dm_kind")
    risk_class, regime = vals.get("dm_risk_class"), vals.get("ce_regime")
    errors = []
    if not regulatory.class_allowed_for_kind(kind, risk_class):
        errors.append(
            (
                sources.get("dm_risk_class", ""),
                "class_kind",
                {"value": risk_class, "kind": kind},
            )
        )
    if not regulatory.regime_allowed_for_kind(kind, regime):
        errors.append(
            (
                sources.get("ce_regime", ""),
                "regime_kind",
                {"value": regime, "kind": kind},
            )
        )
    elif not regulatory.regime_allowed_for_class(regime, risk_class):
        errors.append(
            (
                sources.get("ce_regime", ""),
                "regime_class",
                {"value": regime, "class": risk_class},
            )
        )
    return errors


def row_key(vals):
    """The key that finds the device again: its serial number, else its UDI-DI
    with the UDI serial (or lot). ``None``: the row cannot be upserted."""
    if vals.get("serial_no"):
        return ("serial_no", vals["serial_no"])
    if vals.get("udi_di") and vals.get("udi_serial"):
        return ("udi_serial", vals["udi_di"], vals["udi_serial"])
    if vals.get("udi_di") and vals.get("udi_lot"):
        return ("udi_lot", vals["udi_di"], vals["udi_lot"])
    return None
