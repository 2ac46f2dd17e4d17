"""The affected devices a recall's free text names: UDI-DIs, models, lots,
serial numbers and software versions, read from an openFDA ``code_info``.

Pure function (no env), used by ``vigilance_read_openfda``. The text is
written by people, in many ways ("Lot Numbers: 123, 456", "Lot #978933 &
978934", "Serial numbers 0550037 through 0559399", "Model numbers 1818363
and 1818454", "UDI: (01) 04050598000582", "versions 2.1.0 and 2.1.1"), so
the reading is conservative: a value is taken only right after a label that
says what it is, it must hold a digit, and a list followed by words that
make it open-ended or exclusive ("and lower", "prior to", "except") is left
out rather than narrowed. What is not extracted stays readable in the
notice's description, where the pharmacist checks the scope before
matching.
"""

import re

from . import udi
from .vigilance_read_common import join_range

# Expiry and manufacture dates next to a lot ("220706 Exp. 05/04/2024",
# "Lots 980221 (exp. 01/20/2023)"): removed before reading the lists.
_DATES = re.compile(
    r"\(?\s*\b(?:exp(?:iry|iration|ires|\.)?|use\s*by|best\s*before|mfg\.?"
    r"|manufactur\w*)(?:\s*dates?)?\s*[:.]?\s*"
    r"\d{1,4}[/.\-]\d{1,2}(?:[/.\-]\d{1,4})?\s*\)?",
    re.IGNORECASE,
)
_END = r"(?![A-Za-z])"
_NUMBER = r"(?:\s*(?:numbers?|nos?\.?|codes?|#s?))?"
# The labels, in the order they are tried at one position. ``stop`` labels
# (catalogue, part, product code, dates…) end the list before them and give
# nothing: a catalogue number is no model a hospital's inventory holds.
_LABELS = re.compile(
    r"(?P<udi_di_list>\b(?:udi[\s-]*di|udi|gtin|primary\s+di|device\s+identifier)s?"
    r"(?:\s*(?:codes?|numbers?|#))?" + _END + r")"
    r"|(?P<lot_ranges>\b(?:sterile\s+)?lots?(?:\s*/\s*batch)?" + _NUMBER + _END + r")"
    r"|(?P<serial_ranges>\b(?:serials?"
    + _NUMBER
    + r"|s/n)"
    + _END
    + r"|\bsn(?=\s*[:#]))"
    r"|(?P<model_list>\bmodels?(?:\s*/\s*catalog(?:ue)?)?" + _NUMBER + _END + r")"
    r"|(?P<software_versions>\b(?:(?:software|firmware|sw|fw)"
    r"(?:\s*(?:versions?|revisions?|rev\.?))?|versions?)" + _END + r")"
    r"|(?P<stop>\b(?:catalog(?:ue)?|cat\.?|ref|reorder|part|p/n|product|item|sku|upc"
    r"|ndc|kit|exp\w*|date\w*|(?:un)?affected|distributed|manufactured)" + _END + r")",
    re.IGNORECASE,
)
# What may follow a label before its values: "(Domestic units):", "#".
_LABEL_TAIL = re.compile(r"\s*(?:\([^()]{0,40}\))?\s*[:#]?")
_PIECE = re.compile(
    r"(?P<range>\s+(?:-|through|thru|to)\s+|\s*[–—]\s*)"
    r"|(?P<sep>\s*(?:[,;&+]|\band\b|\bor\b)\s*|\s+)"
    r"|(?P<token>[A-Za-z0-9](?:[A-Za-z0-9/._\-]*[A-Za-z0-9])?)"
    r"|(?P<other>.)",
    re.IGNORECASE | re.DOTALL,
)
# A word after a list that makes it open-ended, or a list of exclusions: the
# list is left out (matching fewer devices than concerned would be worse).
_OPEN_ENDED = {
    "lower",
    "earlier",
    "below",
    "prior",
    "older",
    "before",
    "previous",
    "higher",
    "later",
    "above",
    "newer",
    "greater",
    "after",
    "subsequent",
    "onward",
    "onwards",
    "up",
    "beyond",
    "except",
    "excluding",
    "excluded",
    "not",
    "only",
}
_GS1_DI = re.compile(r"\(01\)\s*(\d{14})")
KEYS = ("udi_di_list", "model_list", "lot_ranges", "serial_ranges", "software_versions")


def _is_value(token):
    return len(token) >= 2 and any(c.isdigit() for c in token)


def _values(segment, key):
    """The values at the start of a segment (the text after a label)."""
    values, want_high = [], False
    for piece in _PIECE.finditer(segment):
        kind = piece.lastgroup
        if kind == "token":
            token = piece.group("token")
            if not _is_value(token):
                if token.lower() in _OPEN_ENDED:
                    return []
                break
            if want_high and values:
                values.append(join_range(values.pop(), token))
            else:
                values.append(token)
            want_high = False
        elif kind == "range":
            if not values or key in ("model_list", "udi_di_list"):
                break
            want_high = True
        elif kind == "other":
            break
    return values


def _gtin(token):
    """The GTIN-14 a token of a UDI list is, else ``None``."""
    if token.isdigit() and len(token) in (12, 13, 14):
        gtin = token.zfill(14)
        return gtin if udi.is_valid_gtin(gtin) else None
    if token.isdigit() and token.startswith("01") and len(token) > 16:
        try:
            return udi.parse_udi(token).di
        except udi.UdiError:
            return None
    return None


def extract_code_info(text):
    """``{key: [values]}`` for the keys of :data:`KEYS`: the UDI-DIs (GTIN-14,
    check digit verified), models, lots, serial numbers and software
    versions a recall's ``code_info`` names; ranges written ``LOW-HIGH`` (see
    ``vigilance_read_common.join_range``). Empty lists when it names none."""
    found = {key: [] for key in KEYS}
    if not text:
        return found

    def add(key, value):
        if value and value not in found[key]:
            found[key].append(value)

    text = _DATES.sub(" ", str(text))
    for match in _GS1_DI.finditer(text):
        if udi.is_valid_gtin(match.group(1)):
            add("udi_di_list", match.group(1))
    labels = list(_LABELS.finditer(text))
    for index, label in enumerate(labels):
        key = label.lastgroup
        if key == "stop":
            continue
        end = labels[index + 1].start() if index + 1 < len(labels) else len(text)
        tail = _LABEL_TAIL.match(text, label.end(), end)
        segment = text[tail.end() : end]
        for value in _values(segment, key):
            if key == "udi_di_list":
                value = _gtin(value)
            add(key, value)
    return found
