"""Reading of safety notice XML files (``data/vigilance_notice.xsd``).

Pure functions (no env), used by ``vigilance_read``. The file is parsed by
lxml without network access, without loading a DTD and without resolving
entities, and a file declaring a DTD is refused outright (an external entity
could read the server's files, nested entities could exhaust its memory).
It is then validated against the XSD: every error the validation reports is
returned with its line, and nothing of the file is read until it is valid.
The schema documents the elements; a notice's line is its ``<notice>``
element's line.
"""

import functools
import io
import re
from pathlib import Path

from lxml import etree

from .vigilance_read_common import (
    MESSAGES,
    Errors,
    NoticeBuilder,
    NoticeReadError,
    join_range,
)

NAMESPACE = "urn:dm-suite:vigilance-notice:1"
XSD_PATH = Path(__file__).resolve().parent.parent / "data" / "vigilance_notice.xsd"

# Element → notice key (text values).
TEXT_ELEMENTS = {
    "reference": "name",
    "source": "source",
    "date_received": "date_received",
    "manufacturer": "manufacturer",
    "title": "title",
    "description": "description",
    "severity": "severity",
    "required_action": "required_action",
    "deadline": "deadline",
}
# Scope element → list key; a ``*_range`` element gives ``from-to``.
SCOPE_ELEMENTS = {
    "udi_di": "udi_di_list",
    "model": "model_list",
    "lot": "lot_ranges",
    "lot_range": "lot_ranges",
    "serial": "serial_ranges",
    "serial_range": "serial_ranges",
    "software_version": "software_versions",
    "software_version_range": "software_versions",
}
_NS_IN_MESSAGE = re.compile(r"\{" + re.escape(NAMESPACE) + r"\}")


def safe_parser():
    """An lxml parser that never reaches the network, never loads a DTD and
    never expands an entity."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_pis=True,
        # A comment inside a value would cut its text in two.
        remove_comments=True,
    )


@functools.lru_cache(maxsize=1)
def _xsd_bytes():
    return XSD_PATH.read_bytes()


def schema():
    """The notice schema: its file is read once, the validator made for each
    file (a validator keeps its error log: it is not shared between the
    server's threads)."""
    return etree.XMLSchema(etree.parse(io.BytesIO(_xsd_bytes()), safe_parser()))


def _message(text):
    return _NS_IN_MESSAGE.sub("", text or "").strip()


def _local(element):
    return etree.QName(element).localname


# A DOCTYPE, in the encodings a notice file may have: refused before parsing.
_DOCTYPES = tuple(
    "<!DOCTYPE".encode(encoding) for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)


def _parse(data, errors):
    """The document, or ``None`` with its errors collected."""
    if any(doctype in data for doctype in _DOCTYPES):
        errors.add(0, "xml_dtd")
        return None
    parser = safe_parser()
    try:
        tree = etree.parse(io.BytesIO(data), parser)
    except etree.XMLSyntaxError as error:
        # The parser's own log: the errors of this file only.
        entries = [
            entry
            for entry in parser.error_log
            if entry.level >= etree.ErrorLevels.ERROR
        ]
        if not entries:
            errors.add(error.lineno or 0, "xml_syntax", message=_message(str(error)))
        for entry in entries:
            errors.add(entry.line, "xml_syntax", message=_message(entry.message))
        return None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        errors.add(0, "xml_dtd")  # kept should the check above miss one
        return None
    return tree


def read_xml(data):
    """The notices of an XML file (see the module's docstring)."""
    errors = Errors()
    tree = _parse(data, errors)
    errors.raise_if_any("xml")
    xsd = schema()
    invalid_lines = set()
    if not xsd.validate(tree):
        for entry in xsd.error_log:
            errors.add(entry.line, "xml_schema", message=_message(entry.message))
            invalid_lines.add(entry.line)
    notices_elements = tree.getroot().findall(f"{{{NAMESPACE}}}notice")
    builder = NoticeBuilder(errors)
    notices = []
    for index, element in enumerate(notices_elements):
        start = element.sourceline
        end = (
            notices_elements[index + 1].sourceline
            if index + 1 < len(notices_elements)
            else float("inf")
        )
        if any(start <= line < end for line in invalid_lines):
            continue  # its schema errors say what is wrong
        raw, lines, columns = _notice_values(element)
        notice = builder.build(raw, start, lines=lines, columns=columns)
        if notice is not None:
            notices.append(notice)
    errors.raise_if_any("xml")
    if not notices:  # the schema requires one; kept for safety
        raise NoticeReadError([(0, MESSAGES["empty"], {})], "xml")
    return notices


def _notice_values(element):
    """``(raw, lines, columns)`` of a valid ``<notice>`` element."""
    raw, lines, columns = {}, {}, {}
    for child in element.iterchildren(tag=etree.Element):
        name = _local(child)
        if name in TEXT_ELEMENTS:
            key = TEXT_ELEMENTS[name]
            raw[key] = child.text or ""
            lines[key], columns[key] = child.sourceline, name
        elif name == "scope":
            _scope_values(child, raw, lines, columns)
    return raw, lines, columns


def _scope_values(scope, raw, lines, columns):
    for child in scope.iterchildren(tag=etree.Element):
        name = _local(child)
        if name == "manufacture_date":
            for attribute, key in (
                ("from", "manufacture_date_from"),
                ("to", "manufacture_date_to"),
            ):
                if child.get(attribute):
                    raw[key] = child.get(attribute)
                    lines[key], columns[key] = child.sourceline, name
            continue
        key = SCOPE_ELEMENTS.get(name)
        if key is None:
            continue
        if name.endswith("_range"):
            value = join_range(child.get("from").strip(), child.get("to").strip())
        else:
            value = (child.text or "").strip()
        # Each value keeps its line: an error points to its element.
        raw.setdefault(key, []).append((value, child.sourceline))
        lines.setdefault(key, child.sourceline)
        columns.setdefault(key, name)
