"""Reading of openFDA device recall files into safety notices.

Pure functions (no env), used by ``vigilance_read``. The file is what the
openFDA device recall API answers (https://api.fda.gov/device/recall.json,
https://open.fda.gov/apis/device/recall/): ``{"meta": …, "results": [record,
…]}``; a bare list of records is read too, and so are the records of the
device enforcement API (``device/enforcement.json``: ``recall_number``,
``classification``, ``recall_initiation_date``…). A notice's line, and an
error's, is the index of its record in ``results`` (1-based).

Each record gives one notice (source ``other``):

- ``name``: ``product_res_number`` (enforcement: ``recall_number``);
- ``manufacturer``: ``recalling_firm``;
- ``title``: the first line of ``product_description`` (shortened to
  :data:`TITLE_LENGTH` characters), else ``reason_for_recall``;
- ``description``: the record's text for people, labelled in English like
  the record itself: reason for recall, root cause, the firm's action,
  product, code information, product code, 510(k)/PMA numbers, openFDA
  device name and class, recall status, dates, quantity, distribution,
  contact;
- ``required_action``: inferred from the firm's ``action`` text, the
  strongest action it clearly asks for (:data:`ACTION_RULES`: quarantine,
  then return, replace_part, software_update, inspect), else
  ``information``;
- ``severity`` (enforcement records only): from the FDA recall class
  (:data:`CLASS_SEVERITY`); a device recall record has none;
- ``udi_di_list``, ``model_list``, ``lot_ranges``, ``serial_ranges``,
  ``software_versions``: extracted from ``code_info`` (and
  ``more_code_info``) by ``vigilance_read_codeinfo.extract_code_info``.

The dates of the record (``event_date_initiated``, ``event_date_posted``…)
are checked and written in the description; ``date_received`` is left out:
the hospital receives the notice when it imports it.
"""

import json
import re

from .fleet_import_values import ParseError
from .vigilance_read_codeinfo import KEYS as SCOPE_KEYS
from .vigilance_read_codeinfo import extract_code_info
from .vigilance_read_common import (
    MESSAGES,
    Errors,
    NoticeBuilder,
    NoticeReadError,
    clean_text,
    to_date,
)

TITLE_LENGTH = 120

# FDA recall classes (enforcement records): class I, a reasonable probability
# of serious adverse health consequences or death; class II, temporary or
# medically reversible consequences; class III, not likely to cause any.
CLASS_SEVERITY = {"class i": "critical", "class ii": "medium", "class iii": "low"}

_PREFIX = r"(?:the|all|any|affected|unused|remaining|their|your|its|impacted|recalled)"
# (action, pattern): the first that matches the firm's action text wins.
ACTION_RULES = (
    (
        "quarantine",
        r"\bquarantin|\bstop\s+(?:using|use)\b|\b(?:discontinue|cease)\s+(?:the\s+)?"
        r"us(?:e|ing)\b|\bdo\s+not\s+use\b|\bremove\w*\b[^.]{0,60}\bfrom\s+"
        r"(?:service|use|clinical\s+use|inventory)|\bsegregat|\bisolate\b",
    ),
    (
        "return",
        r"\breturn(?:ed)?\s+(?:" + _PREFIX + r"\s+)*(?:[\w-]+\s+){0,2}"
        r"(?:products?|devices?|units?|kits?|lots?|inventory|stock|systems?)\b"
        r"|\bsend\s+back\b|\bship\w*\s+back\b",
    ),
    (
        "replace_part",
        r"\breplac(?:e|ed|ing|ement)\b[^.]{0,50}\b(?:parts?|components?|batter(?:y|ies)"
        r"|cables?|boards?|assembl(?:y|ies)|modules?|covers?|sensors?|filters?"
        r"|valves?|hoses?|motors?|fans?|tubing|housings?)\b|\bretrofit"
        r"|\binstall\w*\b[^.]{0,40}\b(?:parts?|components?|covers?|kits?"
        r"|batter(?:y|ies)|boards?|modules?|guards?|brackets?)\b"
        r"|\b(?:parts?|components?|covers?)\b[^.]{0,40}\breplaced\b",
    ),
    (
        "software_update",
        r"\b(?:software|firmware)\b[^.]{0,50}\b(?:update|upgrade|patch|fix|release"
        r"|correction|version)|\b(?:update|upgrade|install)\w*\b[^.]{0,50}"
        r"\b(?:software|firmware)\b",
    ),
    (
        "inspect",
        r"\binspect|\bexamin(?:e|ing|ation)\b|\bcheck\s+(?:" + _PREFIX + r")\b"
        r"|\bverif(?:y|ication)\b",
    ),
)
_ACTION_PATTERNS = tuple(
    (action, re.compile(pattern, re.IGNORECASE)) for action, pattern in ACTION_RULES
)

# (label, field) of the description, in its order; dates are checked.
DESCRIPTION_FIELDS = (
    ("Reason for recall", "reason_for_recall"),
    ("Root cause", "root_cause_description"),
    ("Action", "action"),
    ("Product", "product_description"),
    ("Code information", "code_info"),
    ("More code information", "more_code_info"),
    ("Product code", "product_code"),
    ("510(k)", "k_numbers"),
    ("PMA", "pma_numbers"),
    ("Classification", "classification"),
    ("Recall status", "recall_status"),
    ("Recall status", "status"),
)
DATE_FIELDS = (
    ("Recall initiated", "event_date_initiated"),
    ("Recall initiated", "recall_initiation_date"),
    ("Posted", "event_date_posted"),
    ("Created", "event_date_created"),
    ("Reported", "report_date"),
    ("Terminated", "event_date_terminated"),
    ("Terminated", "termination_date"),
)
TRAILING_FIELDS = (
    ("Quantity", "product_quantity"),
    ("Distribution", "distribution_pattern"),
    ("Contact", "additional_info_contact"),
    ("FDA recall record", "cfres_id"),
)


def required_action(action_text):
    """The action a firm's ``action`` text asks for (see
    :data:`ACTION_RULES`), ``information`` when none is clear."""
    text = " ".join(str(action_text or "").split())
    for action, pattern in _ACTION_PATTERNS:
        if pattern.search(text):
            return action
    return "information"


def _text(value):
    """A record's value as text (a list is joined), ``None`` when empty."""
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if v not in (None, ""))
    elif isinstance(value, dict):
        return None
    if value is None:
        return None
    return clean_text(str(value), multiline=True)


def title_of(record):
    """The first line of the product's description, shortened; else the
    reason for the recall."""
    for field in ("product_description", "reason_for_recall"):
        text = _text(record.get(field))
        if text:
            line = text.splitlines()[0].strip()
            if len(line) > TITLE_LENGTH:
                cut = line[: TITLE_LENGTH - 1].rsplit(" ", 1)[0].rstrip(" ,;:-")
                line = cut + "…"
            return line
    return None


def _description(record, dates):
    lines = []
    for label, field in DESCRIPTION_FIELDS:
        text = _text(record.get(field))
        if text:
            lines.append(f"{label}: {text}")
    openfda = record.get("openfda")
    if isinstance(openfda, dict):
        device = _text(openfda.get("device_name"))
        device_class = _text(openfda.get("device_class"))
        specialty = _text(openfda.get("medical_specialty_description"))
        if device:
            extra = [f"class {device_class}" if device_class else None, specialty]
            extra = ", ".join(e for e in extra if e)
            lines.append(f"Device: {device}" + (f" ({extra})" if extra else ""))
    if dates:
        lines.append("; ".join(f"{label}: {day.isoformat()}" for label, day in dates))
    for label, field in TRAILING_FIELDS:
        text = _text(record.get(field))
        if text:
            lines.append(f"{label}: {text}")
    return "\n".join(lines) or None


def _record_values(record, index, errors):
    """``(raw, columns)`` of one record; its date errors are collected."""
    dates = []
    for label, field in DATE_FIELDS:
        text = _text(record.get(field))
        if not text:
            continue
        try:
            dates.append((label, to_date(text)))
        except ParseError:
            errors.add(index, "bad_date", column=field, value=text)
    reference_field = (
        "recall_number"
        if not record.get("product_res_number") and record.get("recall_number")
        else "product_res_number"
    )
    raw = {
        "name": _text(record.get(reference_field)),
        "source": "other",
        "manufacturer": _text(record.get("recalling_firm")),
        "title": title_of(record),
        "description": _description(record, dates),
        "required_action": required_action(record.get("action")),
    }
    severity = CLASS_SEVERITY.get((_text(record.get("classification")) or "").lower())
    if severity:
        raw["severity"] = severity
    code_info = " ".join(
        t for t in (_text(record.get(f)) for f in ("code_info", "more_code_info")) if t
    )
    scope = extract_code_info(code_info)
    for key in SCOPE_KEYS:
        if scope[key]:
            raw[key] = scope[key]
    columns = {
        "name": reference_field,
        "manufacturer": "recalling_firm",
        "title": "product_description",
        "description": "product_description",
        **dict.fromkeys(SCOPE_KEYS, "code_info"),
    }
    return raw, columns


def _records(data, errors):
    """The records of the file, or ``None`` with its errors collected."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        errors.add(0, "json_encoding")
        return None
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as error:
        errors.add(
            0,
            "json_syntax",
            json_line=error.lineno,
            json_column=error.colno,
            message=error.msg,
        )
        return None
    except RecursionError:
        errors.add(0, "json_shape")
        return None
    if isinstance(payload, dict) and isinstance(payload.get("results"), list):
        return payload["results"]
    if isinstance(payload, dict) and (
        "product_res_number" in payload or "recall_number" in payload
    ):
        return [payload]
    if isinstance(payload, list):
        return payload
    errors.add(0, "json_shape")
    return None


def read_openfda(data):
    """The notices of an openFDA device recall file (see the module's
    docstring)."""
    errors = Errors()
    records = _records(data, errors)
    errors.raise_if_any("openfda")
    if not records:
        raise NoticeReadError([(0, MESSAGES["empty"], {})], "openfda")
    builder = NoticeBuilder(errors)
    notices = []
    for index, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            errors.add(index, "json_record")
            continue
        count = len(errors.items)
        raw, columns = _record_values(record, index, errors)
        notice = builder.build(raw, index, columns=columns)
        if notice is not None and len(errors.items) == count:
            notices.append(notice)
    errors.raise_if_any("openfda")
    return notices
