"""Software bills of materials (SBOM) read into their components.

:func:`read_sbom` takes the bytes of a CycloneDX (JSON or XML, 1.4 to 1.6)
or SPDX (2.2 or 2.3, JSON or tag-value) document, recognises its format from
its content (the file name only breaks a tie) and returns its components.
CycloneDX is read with ``cyclonedx-python-lib``, SPDX with ``spdx-tools``,
the two libraries of the standards' own projects. Anything that is not a
readable SBOM raises :class:`SbomReadError`: never a partial list.

Pure functions, no env.
"""

import json
import re
from dataclasses import dataclass

from cyclonedx.model.bom import Bom
from defusedxml import ElementTree
from ply import yacc
from spdx_tools.spdx.parser.json.json_parser import JsonLikeDictParser
from spdx_tools.spdx.parser.tagvalue.parser import Parser

from odoo.tools.translate import LazyTranslate

from .read_error import ReadError

_lt = LazyTranslate(__name__)

# Far above a real device's SBOM (a PACS: a few thousand components).
MAX_BYTES = 50 * 1024 * 1024
MAX_COMPONENTS = 100_000
CYCLONEDX_VERSIONS = ("1.4", "1.5", "1.6")
SPDX_VERSIONS = ("SPDX-2.2", "SPDX-2.3")
_CDX_NAMESPACE = re.compile(r"^\{http://cyclonedx\.org/schema/bom/(\d+\.\d+)\}bom$")
_SPDX_TAG = re.compile(r"^\s*SPDXVersion\s*:", re.MULTILINE)

CYCLONEDX_JSON = "cyclonedx_json"
CYCLONEDX_XML = "cyclonedx_xml"
SPDX_JSON = "spdx_json"
SPDX_TAG_VALUE = "spdx_tag_value"


class SbomReadError(ReadError):
    MESSAGES = {
        "empty": _lt("The SBOM file is empty."),
        "too_large": _lt("The SBOM file is larger than %(max)s MB."),
        "not_text": _lt("The SBOM file is not text (UTF-8): is it really an SBOM?"),
        "unknown_format": _lt(
            "The file %(filename)s is neither a CycloneDX SBOM (JSON or XML) nor "
            "an SPDX SBOM (JSON or tag-value)."
        ),
        "bad_json": _lt(
            "The SBOM is not valid JSON (line %(line)s, column %(column)s): %(message)s"
        ),
        "bad_xml": _lt("The SBOM is not valid XML: %(message)s"),
        "unsupported_version": _lt(
            "%(format)s version %(version)s is not supported (expected %(expected)s)."
        ),
        "malformed": _lt("The %(format)s SBOM is malformed: %(message)s"),
        "component_without_name": _lt(
            "A component of the SBOM has no name (reference %(ref)s)."
        ),
        "too_many_components": _lt("The SBOM lists more than %(max)s components."),
    }


@dataclass(frozen=True)
class Component:
    """One software component of an SBOM."""

    name: str
    version: str | None = None
    supplier: str | None = None
    purl: str | None = None
    cpe: str | None = None
    bom_ref: str | None = None


def read_sbom(data, filename=None):
    """Components of the SBOM in ``data`` (bytes): SPDX packages in the
    document's order, CycloneDX components (nested ones included) in the order
    the library keeps them (sorted).

    Raises :class:`SbomReadError` when ``data`` is not a readable CycloneDX or
    SPDX document."""
    kind, text = sniff(data, filename)
    if kind == CYCLONEDX_JSON:
        components = _read_cyclonedx_json(text)
    elif kind == CYCLONEDX_XML:
        components = _read_cyclonedx_xml(text)
    elif kind == SPDX_JSON:
        components = _read_spdx_json(text)
    else:
        components = _read_spdx_tag_value(text)
    if len(components) > MAX_COMPONENTS:
        raise SbomReadError("too_many_components", {"max": MAX_COMPONENTS})
    return components


def sniff(data, filename=None):
    """``(format, text)``: which SBOM format ``data`` holds, and its text."""
    if not isinstance(data, bytes | bytearray):
        raise TypeError("read_sbom() expects bytes")
    if not data.strip():
        raise SbomReadError("empty")
    if len(data) > MAX_BYTES:
        raise SbomReadError("too_large", {"max": MAX_BYTES // (1024 * 1024)})
    try:
        text = bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SbomReadError("not_text") from None
    head = text.lstrip()
    name = (filename or "").lower()
    if head.startswith("{"):
        document = _json(text)
        if isinstance(document, dict) and document.get("bomFormat") == "CycloneDX":
            return CYCLONEDX_JSON, document
        if isinstance(document, dict) and "spdxVersion" in document:
            return SPDX_JSON, document
    elif head.startswith("<"):
        if "cyclonedx.org/schema/bom" in head[:4096] or name.endswith(".xml"):
            return CYCLONEDX_XML, text
    elif _SPDX_TAG.search(text) or name.endswith((".spdx", ".tag")):
        return SPDX_TAG_VALUE, text
    raise SbomReadError("unknown_format", {"filename": filename or "?"})


def _json(text):
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise SbomReadError(
            "bad_json",
            {"line": error.lineno, "column": error.colno, "message": error.msg},
        ) from None
    except RecursionError:
        raise SbomReadError(
            "bad_json", {"line": "?", "column": "?", "message": "too deeply nested"}
        ) from None


def _clean(value):
    text = str(value).strip() if value is not None else ""
    return text or None


def _component(name, ref, **values):
    name = _clean(name)
    if not name:
        raise SbomReadError("component_without_name", {"ref": ref or "?"})
    return Component(
        name=name, bom_ref=_clean(ref), **{k: _clean(v) for k, v in values.items()}
    )


# ------------------------------------------------------------------ CycloneDX
def _check_cyclonedx_version(version):
    if version not in CYCLONEDX_VERSIONS:
        raise SbomReadError(
            "unsupported_version",
            {
                "format": "CycloneDX",
                "version": version or "?",
                "expected": ", ".join(CYCLONEDX_VERSIONS),
            },
        )


def _cyclonedx_malformed(error):
    return SbomReadError(
        "malformed", {"format": "CycloneDX", "message": str(error) or repr(error)}
    )


def _read_cyclonedx_json(document):
    _check_cyclonedx_version(str(document.get("specVersion") or ""))

    try:
        bom = Bom.from_json(document)
    except Exception as error:  # pylint: disable=broad-exception-caught
        # The library raises whatever its deserialiser meets (TypeError,
        # ValueError, KeyError, its own exceptions…) on a malformed document.
        raise _cyclonedx_malformed(error) from None
    return _cyclonedx_components(bom)


def _read_cyclonedx_xml(text):
    try:
        root = ElementTree.fromstring(text)
    except Exception as error:  # pylint: disable=broad-exception-caught
        # ParseError, and defusedxml's refusals (entities, DTD…).
        raise SbomReadError("bad_xml", {"message": str(error)}) from None
    match = _CDX_NAMESPACE.match(root.tag)
    if not match:
        raise SbomReadError("unknown_format", {"filename": "XML"})
    _check_cyclonedx_version(match.group(1))
    try:
        bom = Bom.from_xml(root)
    except Exception as error:  # pylint: disable=broad-exception-caught
        raise _cyclonedx_malformed(error) from None
    return _cyclonedx_components(bom)


def _cyclonedx_components(bom):
    components = []
    stack = list(reversed(list(bom.components or ())))
    while stack:  # depth first, in the document's order
        component = stack.pop()
        supplier = component.supplier.name if component.supplier else None
        components.append(
            _component(
                component.name,
                component.bom_ref.value if component.bom_ref else None,
                version=component.version,
                supplier=supplier or component.publisher,
                purl=component.purl.to_string() if component.purl else None,
                cpe=component.cpe,
            )
        )
        stack.extend(reversed(list(component.components or ())))
    return components


# ----------------------------------------------------------------------- SPDX
def _check_spdx_version(version):
    if version not in SPDX_VERSIONS:
        raise SbomReadError(
            "unsupported_version",
            {
                "format": "SPDX",
                "version": version or "?",
                "expected": ", ".join(SPDX_VERSIONS),
            },
        )


def _spdx_malformed(error):
    messages = getattr(error, "get_messages", None)
    message = "; ".join(messages()[:5]) if messages else str(error)
    return SbomReadError("malformed", {"format": "SPDX", "message": message})


def _read_spdx_json(document):
    _check_spdx_version(str(document.get("spdxVersion") or ""))
    try:
        spdx = JsonLikeDictParser().parse(document)
    except Exception as error:  # pylint: disable=broad-exception-caught
        # SPDXParsingError for what the parser checks, TypeError/AttributeError
        # for values of the wrong JSON type.
        raise _spdx_malformed(error) from None
    return _spdx_components(spdx)


def _read_spdx_tag_value(text):
    match = re.search(r"^\s*SPDXVersion\s*:\s*(\S+)", text, re.MULTILINE)
    _check_spdx_version(match.group(1) if match else "")
    try:
        # No table file written next to the library, no grammar log.
        parser = Parser(debug=False, write_tables=False, errorlog=yacc.NullLogger())
        spdx = parser.parse(text)
    except Exception as error:  # pylint: disable=broad-exception-caught
        raise _spdx_malformed(error) from None
    return _spdx_components(spdx)


def _spdx_actor(actor):
    # An Actor (Organization/Person/Tool), NOASSERTION or NONE.
    return getattr(actor, "name", None)


def _spdx_components(spdx):
    components = []
    for package in spdx.packages:
        refs = {}
        for ref in package.external_references:
            refs.setdefault(ref.reference_type, ref.locator)
        components.append(
            _component(
                package.name,
                package.spdx_id,
                version=package.version,
                supplier=_spdx_actor(package.supplier)
                or _spdx_actor(package.originator),
                purl=refs.get("purl"),
                cpe=refs.get("cpe23Type") or refs.get("cpe22Type"),
            )
        )
    return components
