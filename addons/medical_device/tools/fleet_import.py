"""Fleet import of CMMS exports (CSV or XLSX): columns and rows.

Pure functions (no env), so that they run and are tested without a database;
the reading of files is in ``fleet_import_read``, the values of cells in
``fleet_import_values`` (their public names are importable from here). The
Odoo side (``models/dm_fleet_import.py``) resolves the names this module
returns (partners, categories, PIEU levels…) and writes the devices.

What a column can fill is a :class:`Targets` registry: this addon's
:data:`BASE_TARGETS`; another addon adds its own (``dm_cyber`` the cyber
matrix) through ``dm.fleet.import._dm_import_targets()``.

Every parsing error is a tuple ``(column, code, params)``: the column header as
found in the file, a stable ``code`` (its English template is in the targets'
``messages``, marked for translation) and the values of its placeholders;
:func:`error_text` renders it, in the user's language when given an env.
"""

from . import udi
from .fleet_import_read import (
    REPLACEMENT,
    XLSX_MAGIC,
    Table,
    count_rows,
    decode_bytes,
    detect_encoding,
    is_xlsx,
    normalize_header,
    read_rows,
    read_table,
    sniff_delimiter,
)
from .fleet_import_targets import (
    BASE_TARGETS,
    LOOKUP_FIELDS,
    MESSAGES,
    TARGETS,
    Targets,
    error_text,
    format_error,
    target_field,
)
from .fleet_import_values import (
    EXCEL_EPOCH,
    ParseError,
    cell_text,
    parse_bool,
    parse_ce_regime,
    parse_choice,
    parse_date,
    parse_dm_kind,
    parse_float,
    parse_lifecycle,
    parse_notified_body,
    parse_risk_class,
    parse_value,
)
from .regulatory import (
    class_allowed_for_kind,
    regime_allowed_for_class,
    regime_allowed_for_kind,
)

__all__ = [
    "BASE_TARGETS",
    "EXCEL_EPOCH",
    "LOOKUP_FIELDS",
    "MAX_CELL_LENGTH",
    "MESSAGES",
    "TARGETS",
    "XLSX_MAGIC",
    "ParseError",
    "RunState",
    "Table",
    "Targets",
    "cell_text",
    "count_rows",
    "decode_bytes",
    "detect_encoding",
    "error_text",
    "format_error",
    "is_xlsx",
    "normalize_header",
    "parse_bool",
    "parse_ce_regime",
    "parse_choice",
    "parse_date",
    "parse_dm_kind",
    "parse_float",
    "parse_lifecycle",
    "parse_notified_body",
    "parse_risk_class",
    "parse_row",
    "parse_value",
    "read_rows",
    "read_table",
    "resolve_columns",
    "row_key",
    "sniff_delimiter",
    "target_field",
]

# Longest cell read, in characters: checked before any parsing or write (a
# 300 KB serial number would be refused by the database's index, 2,704 bytes).
MAX_CELL_LENGTH = 500


def resolve_columns(headers, mapping, targets=None):
    """Columns to read: ``([(header, target)], [ignored headers])``.

    ``mapping`` is ``{normalised source header: target key}``. A header that
    the mapping does not know, or whose target is not in ``targets`` (default
    :data:`BASE_TARGETS`), is ignored.
    """
    kinds = (targets or BASE_TARGETS).kinds
    columns, ignored = [], []
    for header in headers:
        target = mapping.get(normalize_header(header))
        if target in kinds:
            columns.append((header, target))
        else:
            ignored.append(header)
    return columns, ignored


# ---------------------------------------------------------------- rows
class RunState:
    """What one run keeps between batches: the import targets, columns,
    reference data read once, names already resolved and the keys already seen
    in the file."""

    def __init__(self, targets, columns):
        self.targets = targets
        self.columns = columns
        self.headers = {}
        for header, target in columns:
            self.headers.setdefault(target, header)
        self.seen = {}
        self.max_length = MAX_CELL_LENGTH
        self.pieu = {}
        # {target: {normalised name: id}}: reference data an addon reads once
        # per run for its own targets (see _load_reference_data).
        self.references = {}
        self.partners = {}
        self.categories = {}

    def header(self, target):
        return self.headers.get(target, "")


def parse_row(row, columns, targets=None, max_length=MAX_CELL_LENGTH):
    """Parse one row: ``(vals, errors)``.

    ``row`` is ``{header: value}``, ``columns`` the ``[(header, target)]`` of
    :func:`resolve_columns`. ``vals`` is keyed by target; empty cells are left
    out (they leave the device's value unchanged), as are names made of
    punctuation only (``-``, ``?``). A UDI adds its parsed
    ``udi_di``, ``udi_lot`` and ``udi_serial``, used to find the device again.
    When two columns fill the same target, the first non-empty one wins.
    ``targets`` (default :data:`BASE_TARGETS`) says how each target is read.
    A cell longer than ``max_length`` characters, or holding a byte the file's
    encoding could not read (U+FFFD), is an error, before any parsing.
    """
    kinds = (targets or BASE_TARGETS).kinds
    vals, errors, sources = {}, [], {}
    for header, target in columns:
        value = row.get(header)
        if value is None or target in vals or target in sources:
            continue
        kind = kinds[target]
        if isinstance(value, str):
            if len(value) > max_length:
                errors.append(
                    (header, "too_long", {"length": len(value), "max": max_length})
                )
                sources[target] = header
                continue
            if REPLACEMENT in value:
                errors.append((header, "bad_byte", {}))
                sources[target] = header
                continue
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
    if not class_allowed_for_kind(kind, risk_class):
        errors.append(
            (
                sources.get("dm_risk_class", ""),
                "class_kind",
                {"value": risk_class, "kind": kind},
            )
        )
    if not regime_allowed_for_kind(kind, regime):
        errors.append(
            (
                sources.get("ce_regime", ""),
                "regime_kind",
                {"value": regime, "kind": kind},
            )
        )
    elif not regime_allowed_for_class(regime, risk_class):
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
