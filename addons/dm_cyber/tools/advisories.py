"""Readers of vulnerability advisories and catalogues, one per source.

- :func:`read_csaf`: a CSAF 2.0 advisory (CISA's medical advisories, ICSMA):
  products with their affected versions and ranges, vulnerabilities with
  their CVE, CVSS vector, product status and remediations;
- :func:`read_nvd`: one page of the NVD CVE API 2.0 (``/rest/json/cves/2.0``):
  CVEs with their CVSS vector and vulnerable CPE matches;
- :func:`read_kev`: CISA's Known Exploited Vulnerabilities catalogue (JSON);
- :func:`read_epss`: FIRST's EPSS scores (CSV, gzipped or not).

Each takes the bytes of a file and returns plain dataclasses; anything that
is not a well-formed document of its source raises :class:`AdvisoryError`:
never half a document. Pure functions, no env.
"""

import csv
import gzip
import io
import json
import re
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime

from odoo.tools.translate import LazyTranslate

from .read_error import ReadError
from .vuln_match import (
    AffectedRange,
    VulnMatchError,
    check_range,
    cpe_version,
    parse_range,
)

_lt = LazyTranslate(__name__)

MAX_BYTES = 200 * 1024 * 1024  # the whole EPSS file is ~10 MB, KEV ~1.5 MB
CVE_RE = re.compile(r"^CVE-\d{4}-\d{4,}$")
_EPSS_HEADER = re.compile(r"model_version:(?P<model>[^,]*),score_date:(?P<date>\S+)")
# CSAF product status groups, as the standard names them.
CSAF_STATUSES = (
    "known_affected",
    "first_affected",
    "last_affected",
    "fixed",
    "first_fixed",
    "known_not_affected",
    "under_investigation",
    "recommended",
)
# NVD metrics, in the order of preference of their vector.
NVD_METRICS = ("cvssMetricV31", "cvssMetricV30", "cvssMetricV40", "cvssMetricV2")


class AdvisoryError(ReadError):
    MESSAGES = {
        "empty": _lt("The %(source)s file is empty."),
        "too_large": _lt("The %(source)s file is larger than %(max)s MB."),
        "not_text": _lt("The %(source)s file is not text (UTF-8)."),
        "bad_json": _lt(
            "The %(source)s file is not valid JSON (line %(line)s, column "
            "%(column)s): %(message)s"
        ),
        "not_csaf": _lt(
            "This file is not a CSAF 2.0 advisory (its csaf_version is %(version)s)."
        ),
        "not_nvd": _lt(
            'This file is not a page of the NVD CVE API 2.0 (no "format": '
            '"NVD_CVE" and list of vulnerabilities).'
        ),
        "not_kev": _lt(
            "This file is not CISA's catalogue of known exploited vulnerabilities "
            "(no catalogVersion and list of vulnerabilities)."
        ),
        "not_epss": _lt(
            "This file is not an EPSS score file: its columns are %(columns)s, "
            "expected cve, epss, percentile."
        ),
        "missing": _lt("%(source)s: %(where)s has no %(field)s."),
        "not_object": _lt("%(source)s: %(where)s must be a JSON object."),
        "not_list": _lt("%(source)s: %(where)s must be a JSON list."),
        "not_string": _lt("%(source)s: %(where)s must be a text."),
        "not_integer": _lt("%(source)s: %(where)s must be a whole number."),
        "missing_root": _lt("%(source)s: the file has no %(field)s."),
        "bad_cve": _lt("%(source)s: %(value)s is not a CVE identifier (%(where)s)."),
        "bad_epss_cve": _lt("EPSS: line %(line)s: %(value)s is not a CVE identifier."),
        "bad_date": _lt("%(source)s: %(value)s is not a date (%(where)s)."),
        "bad_number": _lt(
            "EPSS: line %(line)s: %(value)s is not a number between 0 and 1."
        ),
        "bad_range": _lt(
            "%(source)s: %(where)s: the version range %(value)s cannot be read."
        ),
        "unknown_product": _lt(
            "%(source)s: %(where)s names the product %(product)s, which the "
            "product tree does not define."
        ),
        "bad_csv": _lt("EPSS: line %(line)s has %(count)s columns, 3 expected."),
    }


# ---------------------------------------------------------------- dataclasses
@dataclass(frozen=True)
class Remediation:
    category: str
    details: str
    product_ids: tuple = ()
    url: str | None = None


@dataclass(frozen=True)
class CsafProduct:
    """A leaf of the product tree: a product in a version or a range."""

    product_id: str
    name: str
    vendor: str | None = None
    product: str | None = None
    affected_range: AffectedRange | None = None
    cpe: str | None = None
    purl: str | None = None


@dataclass(frozen=True)
class CsafVulnerability:
    cve: str | None
    title: str | None = None
    cwe: str | None = None
    cvss_vector: str | None = None
    cvss_base_score: float | None = None
    # CSAF status group (known_affected, fixed…) → product ids.
    product_status: dict = field(default_factory=dict)
    remediations: tuple = ()

    def products(self, *statuses):
        return [p for s in statuses for p in self.product_status.get(s, ())]

    @property
    def affected_ids(self):
        return self.products("known_affected", "first_affected", "last_affected")

    @property
    def fixed_ids(self):
        return self.products("fixed", "first_fixed")

    @property
    def not_affected_ids(self):
        return self.products("known_not_affected")


@dataclass(frozen=True)
class CsafAdvisory:
    tracking_id: str
    title: str
    publisher: str
    version: str
    status: str
    initial_release_date: datetime | None
    current_release_date: datetime | None
    products: dict  # product_id → CsafProduct
    vulnerabilities: tuple
    url: str | None = None
    # The document's notes of category "summary" (the risk evaluation).
    summary: str | None = None


@dataclass(frozen=True)
class CpeMatch:
    criteria: str
    affected_range: AffectedRange


@dataclass(frozen=True)
class NvdCve:
    cve_id: str
    published: datetime | None
    last_modified: datetime | None
    status: str | None
    description: str | None
    cvss_vector: str | None
    cvss_version: str | None
    cvss_base_score: float | None
    cpe_matches: tuple = ()
    # A configuration with platform conditions (AND with a non-vulnerable
    # CPE, "running on"): its vulnerable matches are kept, the condition is
    # not checked.
    has_platform_conditions: bool = False


@dataclass(frozen=True)
class NvdPage:
    results_per_page: int
    start_index: int
    total_results: int
    timestamp: datetime | None
    cves: tuple


@dataclass(frozen=True)
class KevEntry:
    cve_id: str
    vendor_project: str
    product: str
    name: str
    date_added: date
    due_date: date | None
    known_ransomware: bool
    required_action: str = ""
    notes: str = ""


@dataclass(frozen=True)
class KevCatalog:
    version: str
    date_released: datetime | None
    entries: tuple


@dataclass(frozen=True)
class EpssScore:
    cve_id: str
    epss: float
    percentile: float


@dataclass(frozen=True)
class EpssScores:
    model_version: str | None
    score_date: datetime | None
    scores: dict  # cve_id → EpssScore


# -------------------------------------------------------------------- helpers
def _text(data, source):
    if not isinstance(data, bytes | bytearray):
        raise TypeError("advisory readers expect bytes")
    if len(data) > MAX_BYTES:
        raise AdvisoryError(
            "too_large", {"source": source, "max": MAX_BYTES // (1024 * 1024)}
        )
    if data[:2] == b"\x1f\x8b":
        try:
            # Read at most the limit: a small archive may unpack to gigabytes.
            with gzip.GzipFile(fileobj=io.BytesIO(bytes(data))) as archive:
                data = archive.read(MAX_BYTES + 1)
        except (OSError, EOFError, zlib.error):
            raise AdvisoryError("not_text", {"source": source}) from None
        if len(data) > MAX_BYTES:
            raise AdvisoryError(
                "too_large", {"source": source, "max": MAX_BYTES // (1024 * 1024)}
            )
    if not bytes(data).strip():
        raise AdvisoryError("empty", {"source": source})
    try:
        return bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AdvisoryError("not_text", {"source": source}) from None


def _json(data, source):
    text = _text(data, source)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise AdvisoryError(
            "bad_json",
            {
                "source": source,
                "line": error.lineno,
                "column": error.colno,
                "message": error.msg,
            },
        ) from None
    except RecursionError:
        raise AdvisoryError(
            "bad_json",
            {"source": source, "line": "?", "column": "?", "message": "too deep"},
        ) from None
    if not isinstance(document, dict):
        raise AdvisoryError("not_object", {"source": source, "where": "$"})
    return document


_TYPE_ERRORS = {
    dict: "not_object",
    list: "not_list",
    str: "not_string",
    int: "not_integer",
}


def _get(obj, key, kind, source, where, required=True):
    value = obj.get(key)
    if value is None or value == "":
        if required and not where:
            raise AdvisoryError("missing_root", {"source": source, "field": key})
        if required:
            raise AdvisoryError(
                "missing", {"source": source, "where": where, "field": key}
            )
        return None
    if kind is int and isinstance(value, bool):
        value = None
    if not isinstance(value, kind):
        raise AdvisoryError(
            _TYPE_ERRORS[kind], {"source": source, "where": _path(where, key)}
        )
    return value


def _path(where, key):
    """JSON path of ``key`` inside ``where`` (``""``: the document)."""
    return f"{where}.{key}" if where else key


def _objects(obj, key, source, where, required=False):
    items = _get(obj, key, list, source, where, required) or []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise AdvisoryError(
                "not_object",
                {"source": source, "where": f"{_path(where, key)}[{index}]"},
            )
    return items


def _datetime(value, source, where):
    if value is None:
        return None
    text = str(value).strip()
    # 2025-03-14T00:00:00+0000 (EPSS) as well as ISO 8601 with Z or +00:00.
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text.replace("Z", "+00:00"))
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise AdvisoryError(
            "bad_date", {"source": source, "value": value, "where": where}
        ) from None


def _date(value, source, where, required=True):
    if not value:
        if required:
            raise AdvisoryError(
                "missing", {"source": source, "where": where, "field": "date"}
            )
        return None
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise AdvisoryError(
            "bad_date", {"source": source, "value": value, "where": where}
        ) from None


def _cve(value, source, where):
    text = str(value or "").strip().upper()
    if not CVE_RE.match(text):
        raise AdvisoryError(
            "bad_cve", {"source": source, "value": value, "where": where}
        )
    return text


def _score(value):
    return float(value) if isinstance(value, int | float) else None


# ----------------------------------------------------------------------- CSAF
CSAF = "CSAF"


def read_csaf(data):
    """The :class:`CsafAdvisory` of a CSAF 2.0 JSON document."""
    document = _json(data, CSAF)
    doc = _get(document, "document", dict, CSAF, "")
    if doc.get("csaf_version") != "2.0":
        raise AdvisoryError("not_csaf", {"version": doc.get("csaf_version") or "-"})
    tracking = _get(doc, "tracking", dict, CSAF, "document")
    publisher = _get(doc, "publisher", dict, CSAF, "document")
    products = {}
    tree = _get(document, "product_tree", dict, CSAF, "", required=False)
    if tree:
        _csaf_branches(tree, "product_tree", {}, products)
        for index, full in enumerate(
            _objects(tree, "full_product_names", CSAF, "product_tree")
        ):
            _csaf_leaf(full, f"product_tree.full_product_names[{index}]", {}, products)
    vulnerabilities = tuple(
        _csaf_vulnerability(vuln, f"vulnerabilities[{index}]", products)
        for index, vuln in enumerate(_objects(document, "vulnerabilities", CSAF, ""))
    )
    self_url = next(
        (
            ref.get("url")
            for ref in _objects(doc, "references", CSAF, "document")
            if ref.get("category") == "self"
        ),
        None,
    )
    return CsafAdvisory(
        tracking_id=_get(tracking, "id", str, CSAF, "document.tracking").strip(),
        title=_get(doc, "title", str, CSAF, "document").strip(),
        publisher=_get(publisher, "name", str, CSAF, "document.publisher"),
        version=str(_get(tracking, "version", str, CSAF, "document.tracking")),
        status=_get(tracking, "status", str, CSAF, "document.tracking"),
        initial_release_date=_datetime(
            tracking.get("initial_release_date"), CSAF, "initial_release_date"
        ),
        current_release_date=_datetime(
            tracking.get("current_release_date"), CSAF, "current_release_date"
        ),
        products=products,
        vulnerabilities=vulnerabilities,
        url=self_url,
        summary="\n\n".join(
            note["text"].strip()
            for note in _objects(doc, "notes", CSAF, "document")
            if note.get("category") == "summary" and isinstance(note.get("text"), str)
        )
        or None,
    )


def _csaf_branches(node, where, path, products):
    for index, branch in enumerate(_objects(node, "branches", CSAF, where)):
        here = f"{where}.branches[{index}]"
        category = _get(branch, "category", str, CSAF, here)
        name = _get(branch, "name", str, CSAF, here).strip()
        branch_path = dict(path, **{category: name})
        if branch.get("product") is not None:
            product = _get(branch, "product", dict, CSAF, here)
            _csaf_leaf(product, here, branch_path, products)
        _csaf_branches(branch, here, branch_path, products)


def _csaf_range(path, where):
    text = path.get("product_version_range") or path.get("product_version")
    if not text:
        return AffectedRange(all_versions=True)  # a product with no version
    try:
        if "product_version_range" in path:
            return parse_range(text)
        if text.strip()[:1] in "<>=" or text.lower().startswith("vers:"):
            return parse_range(text)  # a range written as a version
        return check_range(AffectedRange(version=text.strip()))
    except VulnMatchError:
        raise AdvisoryError(
            "bad_range", {"source": CSAF, "where": where, "value": text}
        ) from None


def _csaf_leaf(product, where, path, products):
    product_id = _get(product, "product_id", str, CSAF, f"{where}.product")
    helper = product.get("product_identification_helper") or {}
    if not isinstance(helper, dict):
        helper = {}
    products[product_id] = CsafProduct(
        product_id=product_id,
        name=_get(product, "name", str, CSAF, f"{where}.product").strip(),
        vendor=path.get("vendor"),
        product=path.get("product_name") or path.get("product_family"),
        affected_range=_csaf_range(path, where),
        cpe=helper.get("cpe") if isinstance(helper.get("cpe"), str) else None,
        purl=helper.get("purl") if isinstance(helper.get("purl"), str) else None,
    )


def _csaf_ids(obj, key, where, products):
    ids = _get(obj, key, list, CSAF, where, required=False) or []
    for index, product_id in enumerate(ids):
        if not isinstance(product_id, str):
            raise AdvisoryError(
                "not_string", {"source": CSAF, "where": f"{where}.{key}[{index}]"}
            )
        if product_id not in products:
            raise AdvisoryError(
                "unknown_product",
                {"source": CSAF, "where": f"{where}.{key}", "product": product_id},
            )
    return tuple(ids)


def _csaf_vulnerability(vuln, where, products):
    cve = _cve(vuln["cve"], CSAF, where) if vuln.get("cve") else None
    status_obj = _get(vuln, "product_status", dict, CSAF, where, required=False)
    status = {
        key: _csaf_ids(status_obj, key, f"{where}.product_status", products)
        for key in CSAF_STATUSES
        if status_obj and status_obj.get(key)
    }
    vector = score = None
    for index, entry in enumerate(_objects(vuln, "scores", CSAF, where)):
        _csaf_ids(entry, "products", f"{where}.scores[{index}]", products)
        cvss_v3 = entry.get("cvss_v3") or entry.get("cvss_v2")
        if isinstance(cvss_v3, dict) and vector is None:
            vector = cvss_v3.get("vectorString")
            score = _score(cvss_v3.get("baseScore"))
    remediations = tuple(
        Remediation(
            category=_get(rem, "category", str, CSAF, f"{where}.remediations[{i}]"),
            details=_get(rem, "details", str, CSAF, f"{where}.remediations[{i}]"),
            product_ids=_csaf_ids(
                rem, "product_ids", f"{where}.remediations[{i}]", products
            ),
            url=rem.get("url") if isinstance(rem.get("url"), str) else None,
        )
        for i, rem in enumerate(_objects(vuln, "remediations", CSAF, where))
    )
    cwe = vuln.get("cwe")
    return CsafVulnerability(
        cve=cve,
        title=vuln.get("title") if isinstance(vuln.get("title"), str) else None,
        cwe=cwe.get("id") if isinstance(cwe, dict) else None,
        cvss_vector=vector if isinstance(vector, str) else None,
        cvss_base_score=score,
        product_status=status,
        remediations=remediations,
    )


# ------------------------------------------------------------------------ NVD
NVD = "NVD"


def read_nvd(data):
    """The :class:`NvdPage` of one NVD CVE API 2.0 JSON page."""
    document = _json(data, NVD)
    if document.get("format") != "NVD_CVE" or "vulnerabilities" not in document:
        raise AdvisoryError("not_nvd")
    cves = []
    for index, item in enumerate(_objects(document, "vulnerabilities", NVD, "")):
        where = f"vulnerabilities[{index}]"
        cves.append(_nvd_cve(_get(item, "cve", dict, NVD, where), f"{where}.cve"))
    return NvdPage(
        results_per_page=_get(document, "resultsPerPage", int, NVD, ""),
        start_index=_get(document, "startIndex", int, NVD, ""),
        total_results=_get(document, "totalResults", int, NVD, ""),
        timestamp=_datetime(document.get("timestamp"), NVD, "timestamp"),
        cves=tuple(cves),
    )


def _nvd_metric(metrics, where):
    for key in NVD_METRICS:
        entries = _objects(metrics, key, NVD, where)
        entries = sorted(entries, key=lambda m: m.get("type") != "Primary")
        for entry in entries:
            data = entry.get("cvssData")
            if isinstance(data, dict) and isinstance(data.get("vectorString"), str):
                return (
                    data["vectorString"],
                    str(data.get("version") or ""),
                    _score(data.get("baseScore")),
                )
    return None, None, None


def _nvd_cve(cve, where):
    cve_id = _cve(cve.get("id"), NVD, where)
    where = cve_id
    description = next(
        (
            d.get("value")
            for d in _objects(cve, "descriptions", NVD, where)
            if d.get("lang") == "en"
        ),
        None,
    )
    metrics = _get(cve, "metrics", dict, NVD, where, required=False) or {}
    vector, version, score = _nvd_metric(metrics, f"{where}.metrics")
    matches, conditions = [], False
    for c_index, config in enumerate(_objects(cve, "configurations", NVD, where)):
        c_where = f"{where}.configurations[{c_index}]"
        for n_index, node in enumerate(_objects(config, "nodes", NVD, c_where)):
            n_where = f"{c_where}.nodes[{n_index}]"
            for m_index, match in enumerate(_objects(node, "cpeMatch", NVD, n_where)):
                m_where = f"{n_where}.cpeMatch[{m_index}]"
                criteria = _get(match, "criteria", str, NVD, m_where)
                if not match.get("vulnerable") or node.get("negate"):
                    conditions = True
                    continue
                matches.append(CpeMatch(criteria, _nvd_range(match, m_where)))
    return NvdCve(
        cve_id=cve_id,
        published=_datetime(cve.get("published"), NVD, f"{where}.published"),
        last_modified=_datetime(cve.get("lastModified"), NVD, f"{where}.lastModified"),
        status=cve.get("vulnStatus"),
        description=description,
        cvss_vector=vector,
        cvss_version=version,
        cvss_base_score=score,
        cpe_matches=tuple(matches),
        has_platform_conditions=conditions,
    )


def _nvd_range(match, where):
    bounds = {
        "start_including": match.get("versionStartIncluding"),
        "start_excluding": match.get("versionStartExcluding"),
        "end_including": match.get("versionEndIncluding"),
        "end_excluding": match.get("versionEndExcluding"),
    }
    try:
        if any(bounds.values()):
            return check_range(
                AffectedRange(**{k: str(v) for k, v in bounds.items() if v})
            )
        return check_range(cpe_version(match["criteria"]))
    except VulnMatchError:
        shown = " ".join(f"{k}={v}" for k, v in bounds.items() if v)
        raise AdvisoryError(
            "bad_range",
            {"source": NVD, "where": where, "value": shown or match["criteria"]},
        ) from None


# ------------------------------------------------------------------------ KEV
KEV = "KEV"


def read_kev(data):
    """The :class:`KevCatalog` of CISA's known exploited vulnerabilities."""
    document = _json(data, KEV)
    if "catalogVersion" not in document or "vulnerabilities" not in document:
        raise AdvisoryError("not_kev")
    entries = []
    for index, item in enumerate(_objects(document, "vulnerabilities", KEV, "")):
        where = f"vulnerabilities[{index}]"
        cve_id = _cve(item.get("cveID"), KEV, where)
        entries.append(
            KevEntry(
                cve_id=cve_id,
                vendor_project=_get(item, "vendorProject", str, KEV, cve_id),
                product=_get(item, "product", str, KEV, cve_id),
                name=_get(item, "vulnerabilityName", str, KEV, cve_id, False) or "",
                date_added=_date(item.get("dateAdded"), KEV, f"{cve_id}.dateAdded"),
                due_date=_date(item.get("dueDate"), KEV, f"{cve_id}.dueDate", False),
                known_ransomware=str(item.get("knownRansomwareCampaignUse", ""))
                .strip()
                .lower()
                == "known",
                required_action=_get(item, "requiredAction", str, KEV, cve_id, False)
                or "",
                notes=_get(item, "notes", str, KEV, cve_id, False) or "",
            )
        )
    return KevCatalog(
        version=str(_get(document, "catalogVersion", str, KEV, "")),
        date_released=_datetime(document.get("dateReleased"), KEV, "dateReleased"),
        entries=tuple(entries),
    )


# ----------------------------------------------------------------------- EPSS
EPSS = "EPSS"


def read_epss(data):
    """The :class:`EpssScores` of an EPSS CSV file (``epss_scores-….csv``,
    gzipped or not): a ``#model_version:…,score_date:…`` comment line, then
    the columns ``cve,epss,percentile``."""
    text = _text(data, EPSS)
    lines = text.splitlines()
    model_version = score_date = None
    if lines and lines[0].startswith("#"):
        header = _EPSS_HEADER.search(lines[0])
        if header:
            model_version = header.group("model")
            score_date = _datetime(header.group("date"), EPSS, "score_date")
        lines = lines[1:]
    reader = csv.reader(io.StringIO("\n".join(lines)))
    columns = [c.strip().lower() for c in next(reader, [])]
    if columns[:3] != ["cve", "epss", "percentile"]:
        raise AdvisoryError("not_epss", {"columns": ", ".join(columns) or "-"})
    scores = {}
    offset = 3 if model_version or score_date else 2  # line numbers of the file
    for number, row in enumerate(reader, start=offset):
        if not row or not "".join(row).strip():
            continue
        if len(row) < 3:
            raise AdvisoryError("bad_csv", {"line": number, "count": len(row)})
        cve_id = row[0].strip().upper()
        if not CVE_RE.match(cve_id):
            raise AdvisoryError("bad_epss_cve", {"line": number, "value": row[0]})
        scores[cve_id] = EpssScore(
            cve_id,
            _probability(row[1], number),
            _probability(row[2], number),
        )
    return EpssScores(model_version, score_date, scores)


def _probability(value, line):
    try:
        number = float(value)
    except ValueError:
        number = None
    if number is None or not 0.0 <= number <= 1.0:
        raise AdvisoryError("bad_number", {"line": line, "value": value})
    return number
