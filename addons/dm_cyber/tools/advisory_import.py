"""From the advisory readers' documents to the values of our records.

Pure functions, no env: which kind of file a user uploaded, the affected
product lines of a CSAF advisory or of an NVD CVE (one per product and CVE,
with the range fields of ``dm.advisory.product``), the CVSS version of a
vector, the CSAF index of a provider and the NVD fetch windows. The model
layer (``dm.advisory.importer``) writes them.
"""

import csv
import io
import re
import zlib
from datetime import UTC, datetime, timedelta

from .vuln_match import VulnMatchError, cvss_score, parse_cpe

KINDS = ("csaf", "nvd", "kev", "epss")
# Range fields of dm.advisory.product, as in tools.vuln_match.AffectedRange.
RANGE_FIELDS = (
    "all_versions",
    "version",
    "start_including",
    "start_excluding",
    "end_including",
    "end_excluding",
    "vers",
)
# A CSAF product status group → our line status (the first one wins when a
# product is in several groups of one vulnerability).
CSAF_LINE_STATUSES = (
    ("affected", ("known_affected", "first_affected", "last_affected")),
    ("fixed", ("fixed", "first_fixed")),
    ("not_affected", ("known_not_affected",)),
)
# The NVD API refuses a lastModStartDate/EndDate window longer than 120 days.
NVD_MAX_WINDOW = timedelta(days=120)
# First NVD fetch, without a previous one: the CVEs changed in these days.
NVD_FIRST_WINDOW = timedelta(days=30)
NVD_PAGE_SIZE = 2000
NVD_DETAIL_URL = "https://nvd.nist.gov/vuln/detail/{cve}"
_HEAD = 65536


def _head(data):
    """The first characters of a file (gunzipped when it is gzip)."""
    head = bytes(data[:_HEAD])
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(
                bytes(data[: _HEAD * 4]), _HEAD
            )
        except zlib.error:
            return ""
    return head.decode("utf-8-sig", "ignore")


def detect_kind(data, filename=None):
    """``csaf``, ``nvd``, ``kev`` or ``epss`` from the file's first bytes
    (``None``: none of them; the chosen reader then says why)."""
    text = _head(data).lstrip()
    lowered = text[:200].lower()
    if lowered.startswith(("#model_version", "cve,epss")):
        return "epss"
    if text.startswith("{"):
        if '"csaf_version"' in text:
            return "csaf"
        if '"NVD_CVE"' in text:
            return "nvd"
        if '"catalogVersion"' in text:
            return "kev"
    name = (filename or "").lower()
    if name.endswith((".csv", ".csv.gz")):
        return "epss"
    return None


def cvss_version(vector):
    """``4.0``, ``3.1``, ``3.0`` or ``2.0`` of a CVSS vector (``""``: none)."""
    match = re.match(r"CVSS:(\d\.\d)/", vector or "")
    if match:
        return match.group(1)
    return "2.0" if vector else ""


def cvss_values(vector, version=None):
    """The CVE's CVSS fields of a vector: its score computed by the ``cvss``
    library (never the file's number). An unreadable vector gives no values
    (``None``) rather than a wrong score."""
    if not vector:
        return None
    try:
        score = cvss_score(vector)
    except VulnMatchError:
        return None
    return {
        "cvss_vector": vector,
        "cvss_version": version or cvss_version(vector),
        "cvss_score": score,
    }


def range_values(affected_range):
    """The range fields of a line (``False`` for the bounds not given)."""
    return {
        fname: bool(affected_range.all_versions)
        if fname == "all_versions"
        else (getattr(affected_range, fname) or False)
        for fname in RANGE_FIELDS
    }


def _remediation(vulnerability, product_id):
    """Text and first URL of the remediations of one product."""
    texts, url = [], False
    for remediation in vulnerability.remediations:
        if product_id not in remediation.product_ids:
            continue
        category = remediation.category.replace("_", " ")
        texts.append(f"{category[:1].upper()}{category[1:]}: {remediation.details}")
        url = url or remediation.url or False
    return "\n".join(texts) or False, url


def csaf_lines(advisory):
    """``{(product_id, cve): values}`` of a :class:`CsafAdvisory`: one line per
    product and CVE named in the product status of a vulnerability with a CVE
    (statuses other than affected, fixed or not affected are left out)."""
    lines = {}
    for vulnerability in advisory.vulnerabilities:
        if not vulnerability.cve:
            continue
        for status, groups in CSAF_LINE_STATUSES:
            for product_id in vulnerability.products(*groups):
                key = (product_id, vulnerability.cve)
                if key in lines:
                    continue
                product = advisory.products[product_id]
                remediation, url = _remediation(vulnerability, product_id)
                name = product.product or product.name
                lines[key] = {
                    "source_ref": product_id,
                    "status": status,
                    "vendor": product.vendor or False,
                    "product": name or False,
                    "cpe": product.cpe or False,
                    "purl": product.purl or False,
                    "remediation": remediation,
                    "remediation_url": url,
                    **range_values(product.affected_range),
                }
    return lines


def nvd_lines(cve):
    """``{(ref, cve): values}`` of an :class:`NvdCve`'s vulnerable CPE
    matches; ``ref`` is the criteria and its rank among the matches with the
    same criteria (log4j-core has four ranges of one CPE)."""
    lines, seen = {}, {}
    for match in cve.cpe_matches:
        rank = seen[match.criteria] = seen.get(match.criteria, 0) + 1
        try:
            cpe = parse_cpe(match.criteria)
        except VulnMatchError:
            continue
        lines[(f"{match.criteria}#{rank}", cve.cve_id)] = {
            "source_ref": f"{match.criteria}#{rank}",
            "status": "affected",
            "vendor": cpe.vendor,
            "product": cpe.product,
            "cpe": match.criteria,
            "purl": False,
            "remediation": False,
            "remediation_url": False,
            **range_values(match.affected_range),
        }
    return lines


def naive_utc(value):
    """A reader's datetime as Odoo stores it (naive, UTC)."""
    if not value:
        return False
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.replace(microsecond=0)


def csaf_index(text, base_url, since=None, pattern="icsma-"):
    """The CSAF advisory URLs of a provider's index: ``index.txt`` (one
    relative path a line) or ``changes.csv`` (``path,timestamp``), kept
    when the file name contains ``pattern`` (CISA's medical advisories) and,
    with ``since`` (naive UTC), changed after it when the index dates them."""
    base = base_url.rsplit("/", 1)[0] + "/"
    urls = []
    for row in csv.reader(io.StringIO(text)):
        if not row or not row[0].strip():
            continue
        path = row[0].strip()
        if not path.lower().endswith(".json"):
            continue
        if pattern and pattern.lower() not in path.rsplit("/", 1)[-1].lower():
            continue
        if since and len(row) > 1 and row[1].strip():
            try:
                changed = naive_utc(
                    datetime.fromisoformat(row[1].strip().replace("Z", "+00:00"))
                )
            except ValueError:
                changed = None
            if changed and changed <= since:
                continue
        urls.append(path if re.match(r"^https?://", path) else _join(base, path))
    return list(dict.fromkeys(urls))


def _join(base, path):
    """``path`` of an index relative to the index's folder ``base`` (the
    standard) or, as CISA writes it, to the repository's root: the folders
    both name are not repeated."""
    parts = path.lstrip("/").split("/")
    for count in range(len(parts) - 1, 0, -1):
        if base.endswith("/" + "/".join(parts[:count]) + "/"):
            return base + "/".join(parts[count:])
    return base + "/".join(parts)


def nvd_windows(since, now):
    """``[(start, end)]`` windows of at most 120 days covering ``since``
    (``None``: the last 30 days) to ``now`` (naive UTC)."""
    start = since or now - NVD_FIRST_WINDOW
    windows = []
    while start < now:
        end = min(start + NVD_MAX_WINDOW, now)
        windows.append((start, end))
        start = end
    return windows


def nvd_date(value):
    """A date of the NVD API's parameters (ISO 8601, UTC, milliseconds)."""
    return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")
