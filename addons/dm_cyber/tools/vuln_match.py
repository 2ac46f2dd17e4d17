"""Does a vulnerability apply: versions in ranges, identities, CVSS scores.

Pure functions, no env. Versions are never compared as strings: ranges are
``univers`` version ranges (the ``vers`` specification) over the version
class of their scheme.

- A range of a package ecosystem that ``univers`` knows (``vers:pypi/…``,
  ``vers:npm/…``, ``vers:deb/…``…) compares with that ecosystem's rules.
- Everything else (device firmware and OS versions, ``vers:generic/…``,
  ``vers:intdot/…``, CPE ranges, the ``<=2.3`` of an advisory) compares as
  a *firmware version*: :func:`firmware_version` reads it into an RPM-style
  version (``rpmvercmp``: numbers by value, letters in alphabetical order,
  a number after a letter), after dropping a leading ``V``/``version``, so
  that ``V4.02.03`` = ``4.2.3``, ``3.4 SP2`` < ``3.4 SP10`` < ``3.5`` and
  ``2.1.0`` < ``2.1.0a`` < ``2.1.0b`` < ``2.1.1`` (a letter glued to a number
  is a revision, as in OpenSSL's ``1.1.1k``). The usual pre-release words
  (``dev``, ``alpha``, ``beta``, ``pre``, ``preview``, ``rc``) come before
  the release they announce: ``2.0 beta 1`` < ``2.0 rc1`` < ``2.0``.

An :class:`AffectedRange` holds what advisories give: an exact version, the
CPE-style bounds of NVD (``versionStartIncluding``…), a ``vers`` string, or
"all versions". :func:`applies` says whether a version falls in any of them.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import unquote

import cvss
from packageurl import PackageURL
from univers.version_constraint import InvalidConstraintsError, VersionConstraint
from univers.version_range import RANGE_CLASS_BY_SCHEMES, RpmVersionRange
from univers.versions import InvalidVersion, RpmVersion

from odoo.tools.translate import LazyTranslate

from .read_error import ReadError

_lt = LazyTranslate(__name__)

MAX_VERSION_LENGTH = 64
# Ecosystems whose own version rules univers implements; any other scheme
# (generic, intdot, all, a vendor's firmware…) compares as firmware.
LIBRARY_SCHEMES = frozenset(
    {
        "npm",
        "deb",
        "pypi",
        "maven",
        "nuget",
        "composer",
        "gem",
        "rpm",
        "golang",
        "ebuild",
        "alpm",
        "apk",
        "conan",
        "openssl",
    }
)
# purl types whose versions are those of a univers scheme.
PURL_TYPE_SCHEMES = {
    "npm": "npm",
    "deb": "deb",
    "pypi": "pypi",
    "maven": "maven",
    "nuget": "nuget",
    "composer": "composer",
    "gem": "gem",
    "rpm": "rpm",
    "golang": "golang",
    "alpm": "alpm",
    "apk": "apk",
    "conan": "conan",
}
# Pre-release words, each with its rank among them (RPM compares letters).
PRE_RELEASE_RANKS = {
    "dev": "a",
    "alpha": "b",
    "beta": "c",
    "pre": "d",
    "preview": "d",
    "rc": "e",
}
COMPARATORS = (">=", "<=", "!=", "<", ">", "=")
ALL_WORDS = frozenset({"*", "all", "all versions", "any", "vers:all/*"})
# Words of company names that do not identify the company.
LEGAL_WORDS = frozenset(
    {
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "company",
        "ltd",
        "limited",
        "llc",
        "gmbh",
        "kgaa",
        "ag",
        "sa",
        "sas",
        "sarl",
        "plc",
        "bv",
        "nv",
        "oy",
        "ab",
        "kk",
        "spa",
        "srl",
        "the",
    }
)
_PREFIX = re.compile(r"^(?:version|ver|rev|v)\.?\s*(?=\d)", re.IGNORECASE)
_TOKEN = re.compile(r"\d+|[^\W\d_]+")
_CPE_SPLIT = re.compile(r"(?<!\\):")


class VulnMatchError(ReadError):
    MESSAGES = {
        "bad_version": _lt("%(value)s is not a version: it has no digit or letter."),
        "version_too_long": _lt(
            "The version %(value)s is longer than %(max)s characters."
        ),
        "bad_range": _lt(
            "%(value)s is not a version range (expected e.g. <=2.3, "
            "vers:generic/>=1.0|<2.0 or all versions)."
        ),
        "bad_cpe": _lt("%(value)s is not a CPE name (cpe:2.3:… or cpe:/…)."),
        "bad_purl": _lt("%(value)s is not a package URL (pkg:type/name@version)."),
        "bad_cvss": _lt("%(value)s is not a CVSS vector: %(message)s"),
    }


# ------------------------------------------------------------------- versions
def firmware_version(text):
    """The RPM-style version of a firmware or OS version text (see the module
    docstring). Raises :class:`VulnMatchError` when it holds no version."""
    if not isinstance(text, str):
        raise TypeError("firmware_version() expects a string")
    value = text.strip()
    if len(value) > MAX_VERSION_LENGTH:
        raise VulnMatchError(
            "version_too_long", {"value": value, "max": MAX_VERSION_LENGTH}
        )
    tokens = _TOKEN.findall(_PREFIX.sub("", value).lower())
    if not tokens:
        raise VulnMatchError("bad_version", {"value": text})
    # int(): leading zeros do not count (4.02 is 4.2).
    tokens = [int(t) if t.isdecimal() else t for t in tokens]
    # Nor do the zeros that end the version or come before a pre-release
    # word (4.33.0 is 4.33, 2.0 rc1 is 2 rc1).
    kept = []
    for index, token in enumerate(tokens):
        after = next((t for t in tokens[index:] if t != 0), None)
        ends = after is None or after in PRE_RELEASE_RANKS
        if token == 0 and kept and isinstance(kept[-1], int) and ends:
            continue
        kept.append(token)
    parts = []
    for token in kept:
        if isinstance(token, int):
            part = str(token)
        elif token in PRE_RELEASE_RANKS:
            part = "~" + PRE_RELEASE_RANKS[token]
        else:
            part = token
        glue = "" if not parts or part.startswith("~") else "."
        parts.append(glue + part)
    try:
        return RpmVersion("".join(parts))
    except InvalidVersion:  # e.g. a lone "v", which univers drops
        raise VulnMatchError("bad_version", {"value": text}) from None


# Matching a fleet compares the same few versions and ranges again and again:
# parsed versions and built ranges are kept (immutable univers objects).
@functools.lru_cache(maxsize=65536)
def _version(text, scheme):
    """A univers version of ``scheme`` (``None``: firmware)."""
    if scheme is None:
        return firmware_version(text)
    try:
        return RANGE_CLASS_BY_SCHEMES[scheme].version_class(text)
    except (InvalidVersion, ValueError, TypeError):
        raise VulnMatchError("bad_version", {"value": text}) from None


@dataclass(frozen=True)
class AffectedRange:
    """Versions an advisory says are affected. ``all_versions``, an exact
    ``version``, CPE-style bounds, or a ``vers`` string (one of them)."""

    version: str | None = None
    start_including: str | None = None
    start_excluding: str | None = None
    end_including: str | None = None
    end_excluding: str | None = None
    vers: str | None = None
    all_versions: bool = False

    def describe(self):
        """Short English text of the range, for a match reason."""
        if self.all_versions:
            return "all versions"
        if self.vers:
            return self.vers
        if self.version:
            return f"= {self.version}"
        bounds = (
            (">=", self.start_including),
            (">", self.start_excluding),
            ("<=", self.end_including),
            ("<", self.end_excluding),
        )
        return " and ".join(f"{op} {v}" for op, v in bounds if v)


def parse_range(text):
    """The :class:`AffectedRange` of an advisory's range text: ``vers:…``,
    ``<=2.3``, ``< V4.1``, ``2.0.1`` (exact), ``all versions`` or ``*``."""
    if not isinstance(text, str) or not text.strip():
        raise VulnMatchError("bad_range", {"value": text})
    value = " ".join(text.split())
    if value.lower() in ALL_WORDS or value.lower().endswith("/*"):
        return AffectedRange(all_versions=True)
    if value.lower().startswith("vers:"):
        # Refuse a malformed vers now, not at matching time.
        _build_range(None, tuple(_split_vers(value)[1]), value)
        return AffectedRange(vers=value)
    for comparator in COMPARATORS:
        if value.startswith(comparator):
            version = value[len(comparator) :].strip()
            firmware_version(version)
            key = {
                ">=": "start_including",
                ">": "start_excluding",
                "<=": "end_including",
                "<": "end_excluding",
                "=": "version",
            }.get(comparator)
            if key is None:  # != alone says nothing of what is affected
                raise VulnMatchError("bad_range", {"value": text})
            return AffectedRange(**{key: version})
    firmware_version(value)
    return AffectedRange(version=value)


def _split_vers(text):
    """``(scheme, [(comparator, version)])`` of a ``vers`` string."""
    match = re.match(r"^vers:([a-z0-9.+-]+)/(.+)$", text.strip(), re.IGNORECASE)
    if not match:
        raise VulnMatchError("bad_range", {"value": text})
    scheme, body = match.group(1).lower(), match.group(2).replace(" ", "")
    if body == "*":
        return scheme, [("*", None)]
    constraints = []
    for raw in body.split("|"):
        if not raw or raw == "*":  # "*" stands alone
            raise VulnMatchError("bad_range", {"value": text})
        comparator = next((c for c in COMPARATORS if raw.startswith(c)), "=")
        version = unquote(raw[len(comparator) :] if raw.startswith(comparator) else raw)
        if not version:
            raise VulnMatchError("bad_range", {"value": text})
        constraints.append((comparator, version))
    return scheme, constraints


ALL = (("*", None),)


@functools.lru_cache(maxsize=16384)
def _constraints(affected):
    """``(scheme or None, ((comparator, version text), …))`` of a range."""
    if affected.all_versions:
        return None, ALL
    if affected.vers:
        scheme, constraints = _split_vers(affected.vers)
        return (scheme if scheme in LIBRARY_SCHEMES else None), tuple(constraints)
    if affected.version:
        return None, (("=", affected.version),)
    if affected.start_including and affected.start_including == affected.end_including:
        return None, (("=", affected.start_including),)
    bounds = tuple(
        (op, v)
        for op, v in (
            (">=", affected.start_including),
            (">", affected.start_excluding),
            ("<=", affected.end_including),
            ("<", affected.end_excluding),
        )
        if v
    )
    return None, bounds or ALL


@functools.lru_cache(maxsize=16384)
def _build_range(scheme, constraints, text=None):
    """The univers range of ``constraints`` in ``scheme`` (``None``: firmware)."""
    range_class = RANGE_CLASS_BY_SCHEMES[scheme] if scheme else RpmVersionRange
    built = [
        VersionConstraint(comparator=op, version=_version(v, scheme))
        if v is not None
        else VersionConstraint(comparator=op, version_class=range_class.version_class)
        for op, v in constraints
    ]
    try:
        # The vers rules (unique versions, bounds alternating…), checked now:
        # univers checks them only while testing a version.
        VersionConstraint.validate(built)
        return range_class(constraints=built)
    except (InvalidConstraintsError, ValueError, TypeError):
        # Two lower bounds in a row and other sequences vers refuses.
        shown = text or "|".join(f"{op}{v or ''}" for op, v in constraints)
        raise VulnMatchError("bad_range", {"value": shown}) from None


def check_range(affected):
    """``affected`` itself, once its versions and bounds are known to make a
    range (raises :class:`VulnMatchError` otherwise): readers check ranges
    when they read them, not when a device is matched."""
    _build_range(None, _constraints(affected)[1], affected.describe())
    return affected


def _in_range(version_text, scheme, constraints):
    version = _version(version_text, scheme)
    return version in _build_range(scheme, constraints)


@functools.lru_cache(maxsize=65536)
def in_range(version, affected, scheme=None):
    """Whether ``version`` falls in the :class:`AffectedRange` ``affected``.

    ``scheme`` is the ecosystem of ``version`` (:func:`purl_scheme`); a range
    of another ecosystem, or a version its rules cannot read, compares both
    as firmware versions."""
    range_scheme, constraints = _constraints(affected)
    if constraints == ALL:
        return True
    if range_scheme and scheme in (None, range_scheme):
        try:
            return _in_range(version, range_scheme, constraints)
        except VulnMatchError:
            # Not of the ecosystem's syntax: compare as firmware.
            return _in_range(version, None, constraints)
    return _in_range(version, None, constraints)


def applies(version, affected_ranges, scheme=None):
    """Whether ``version`` (a component's or a device's) falls in one of
    ``affected_ranges``. No version (``None`` or empty) is not affected
    unless a range says "all versions"."""
    ranges = list(affected_ranges)
    if not version or not str(version).strip():
        return any(r.all_versions for r in ranges)
    return any(in_range(str(version), r, scheme) for r in ranges)


# ----------------------------------------------------------------- identities
def normalize_name(text):
    """A vendor or product name as CPE writes it: lower case, no accents,
    words joined by ``_``, legal forms (Inc., GmbH, SAS…) dropped."""
    if not text:
        return ""
    ascii_text = (
        unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    )
    words = re.findall(r"[a-z0-9]+", ascii_text.lower().replace("\\", ""))
    kept = [w for w in words if w not in LEGAL_WORDS]
    return "_".join(kept or words)


def same_vendor(one, other):
    """Same vendor: equal names once normalised, or one is the first words of
    the other (``Baxter`` and ``Baxter Healthcare Corporation``)."""
    a, b = normalize_name(one).split("_"), normalize_name(other).split("_")
    if a == [""] or b == [""]:
        return False
    shorter, longer = sorted((a, b), key=len)
    return longer[: len(shorter)] == shorter


def same_product(one, other):
    """Same product: equal names once normalised."""
    a, b = normalize_name(one), normalize_name(other)
    return bool(a) and a == b


@dataclass(frozen=True)
class Cpe:
    part: str
    vendor: str
    product: str
    version: str
    update: str


def _cpe_value(value):
    return value.replace("\\", "").lower() if value else "*"


def parse_cpe(text):
    """The :class:`Cpe` of a CPE 2.3 formatted string or a CPE 2.2 URI."""
    value = (text or "").strip()
    if value.lower().startswith("cpe:2.3:"):
        fields = _CPE_SPLIT.split(value)[2:]
        if len(fields) != 11:
            raise VulnMatchError("bad_cpe", {"value": text})
    elif value.lower().startswith("cpe:/"):
        fields = [unquote(f) for f in value[5:].split(":")]
        fields += ["*"] * (5 - len(fields))
    else:
        raise VulnMatchError("bad_cpe", {"value": text})
    part, vendor, product, version, update = (_cpe_value(f) for f in fields[:5])
    if part not in ("a", "o", "h", "*") or not vendor or not product:
        raise VulnMatchError("bad_cpe", {"value": text})
    return Cpe(part, vendor, product, version or "*", update or "*")


def cpe_matches(candidate, criteria):
    """Whether the CPE ``candidate`` (a component's) names the same part,
    vendor and product as ``criteria`` (an advisory's; ``*`` matches any).
    Versions are compared by :func:`applies`, not here."""
    one, other = parse_cpe(candidate), parse_cpe(criteria)
    return all(
        b == "*" or a == "*" or a == b
        for a, b in (
            (one.part, other.part),
            (one.vendor, other.vendor),
            (one.product, other.product),
        )
    )


def cpe_version(criteria):
    """The :class:`AffectedRange` a CPE's own version (and update) fields
    give: its exact version, or all versions for ``*`` and ``-``."""
    cpe = parse_cpe(criteria)
    if cpe.version in ("*", "-"):
        return AffectedRange(all_versions=True)
    if cpe.update not in ("*", "-"):  # 2.0 with update beta9: 2.0 beta9
        return AffectedRange(version=f"{cpe.version} {cpe.update}")
    return AffectedRange(version=cpe.version)


def parse_purl(text):
    try:
        return PackageURL.from_string((text or "").strip())
    except ValueError:
        raise VulnMatchError("bad_purl", {"value": text}) from None


def _purl_name(purl, value):
    value = (value or "").lower()
    if purl.type == "pypi":
        return re.sub(r"[-_.]+", "-", value)
    return value


def purl_matches(candidate, criteria):
    """Whether two package URLs name the same package (type, namespace and
    name; versions are compared by :func:`applies`)."""
    one, other = parse_purl(candidate), parse_purl(criteria)
    return (
        one.type == other.type
        and _purl_name(one, one.namespace) == _purl_name(other, other.namespace)
        and _purl_name(one, one.name) == _purl_name(other, other.name)
    )


def purl_scheme(purl):
    """The version scheme of a package URL's type (``None``: firmware)."""
    if not purl:
        return None
    return PURL_TYPE_SCHEMES.get(parse_purl(purl).type)


# ------------------------------------------------------------------ match key
def _purl_key(text):
    """The key of a package URL, ``None`` when it cannot be read."""
    try:
        purl = parse_purl(text)
    except VulnMatchError:
        return None
    parts = [purl.type.lower()]
    if purl.namespace:
        parts.append(_purl_name(purl, purl.namespace))
    parts.append(_purl_name(purl, purl.name))
    return "pkg:" + "/".join(parts)


def _cpe_key(text):
    """The key of a CPE, ``None`` when it cannot be read."""
    try:
        cpe = parse_cpe(text)
    except VulnMatchError:
        return None
    vendor, product = normalize_name(cpe.vendor), normalize_name(cpe.product)
    return f"cpe:{vendor}:{product}" if product else None


def component_match_key(name=None, purl=None, cpe=None, vendor=None):
    """The key that narrows matching in SQL: an SBOM component and an
    advisory's product with the same key may be the same software (their
    versions then decide). One rule for both sides:

    - a package URL gives ``pkg:<type>/<namespace>/<name>`` (lower case, no
      version, qualifiers nor subpath; no namespace: ``pkg:<type>/<name>``);
    - else a CPE gives ``cpe:<vendor>:<product>`` (:func:`normalize_name`);
    - else ``name:<vendor>:<name>`` (:func:`normalize_name`; vendor may be
      empty).

    A purl or CPE that cannot be read gives way to the next rule. ``None``
    when nothing names the software."""
    key = (purl and purl.strip() and _purl_key(purl)) or (
        cpe and cpe.strip() and _cpe_key(cpe)
    )
    if key:
        return key
    normalized = normalize_name(name)
    if not normalized:
        return None
    return f"name:{normalize_name(vendor)}:{normalized}"


# ------------------------------------------------------- devices and products
RANGE_FIELDS = (
    "version",
    "start_including",
    "start_excluding",
    "end_including",
    "end_excluding",
    "vers",
)


def product_range(product):
    """The :class:`AffectedRange` of an advisory's product, a mapping with the
    fields of ``dm.advisory.product`` (``all_versions``, ``version``, the
    bounds, ``vers``). A product that gives no range at all affects all
    versions; a CPE's own version counts when no bound is given."""
    values = {f: (product.get(f) or None) for f in RANGE_FIELDS}
    if product.get("all_versions"):
        return AffectedRange(all_versions=True)
    if any(values.values()):
        return AffectedRange(**values)
    cpe = product.get("cpe")
    if cpe and _cpe_key(cpe):
        return cpe_version(cpe)
    return AffectedRange(all_versions=True)


def range_text(affected):
    """The range in words any reader reads (comparators, no English):
    ``>= 2.0, < 2.15.0``; ``None`` for all versions."""
    if affected.all_versions:
        return None
    if affected.vers:
        return affected.vers
    if affected.version:
        return f"= {affected.version}"
    bounds = (
        (">=", affected.start_including),
        (">", affected.start_excluding),
        ("<=", affected.end_including),
        ("<", affected.end_excluding),
    )
    return ", ".join(f"{op} {v}" for op, v in bounds if v)


def product_identity(product):
    """Vendor and product names an advisory's product gives for a device
    (its own fields, else those of its CPE): ``(vendor, product)`` or
    ``None``."""
    vendor, name = product.get("vendor"), product.get("product")
    if (not vendor or not name) and product.get("cpe"):
        try:
            cpe = parse_cpe(product["cpe"])
        except VulnMatchError:
            cpe = None
        if cpe and cpe.vendor != "*" and cpe.product != "*":
            vendor, name = vendor or cpe.vendor, name or cpe.product
    if not vendor or not name:
        return None
    return vendor, name


def safe_applies(version, affected, scheme=None):
    """:func:`applies` for one range, a version that cannot be read being
    not affected (a device's free-text version must not stop a fleet's
    match)."""
    try:
        return applies(version, [affected], scheme)
    except VulnMatchError:
        return False


def device_matches(product, device):
    """How an advisory's product applies to a device, or ``None``.

    ``product``: a mapping of ``dm.advisory.product`` fields; ``device``: a
    mapping with ``manufacturer``, ``model``, ``firmware_version`` and
    ``os_vendor``, ``os_product``, ``os_version`` (its operating system).
    Returns ``("model", version)`` when the product is the device's
    manufacturer and model and its firmware version (else its OS version) is
    in the range, ``("os", version)`` when the product is the device's
    operating system and its version is in the range."""
    identity = product_identity(product)
    if not identity:
        return None
    vendor, name = identity
    affected = product_range(product)
    if same_vendor(vendor, device.get("manufacturer")) and same_product(
        name, device.get("model")
    ):
        version = device.get("firmware_version") or device.get("os_version")
        if safe_applies(version, affected):
            return "model", version or None
    if same_vendor(vendor, device.get("os_vendor")) and same_product(
        name, device.get("os_product")
    ):
        version = device.get("os_version")
        if safe_applies(version, affected):
            return "os", version or None
    return None


def component_matches(product, component):
    """Whether an SBOM component (a mapping with ``match_key``, ``version``,
    ``purl``) is in the range of an advisory's product with the same match
    key: versions of a package URL compare with its ecosystem's rules, the
    others as firmware versions."""
    scheme = None
    if component.get("purl"):
        try:
            scheme = purl_scheme(component["purl"])
        except VulnMatchError:
            scheme = None
    return safe_applies(component.get("version"), product_range(product), scheme)


def range_fingerprint(entries):
    """What the affected ranges were when a device matched: ``entries`` are
    ``(identity, AffectedRange)`` pairs (identity: the product's match key or
    names, never a database id, which a new revision of an advisory may
    change). A closed line opens again only when this changes."""
    parts = sorted(
        {f"{identity}={range_text(affected) or '*'}" for identity, affected in entries}
    )
    return ";".join(parts)


# ----------------------------------------------------------------------- CVSS
def cvss_score(vector):
    """Base score (0.0 to 10.0, one decimal) of a CVSS v2, v3.0, v3.1 or v4.0
    vector, computed by the ``cvss`` library."""
    value = (vector or "").strip()
    try:
        if value.startswith("CVSS:4.0/"):
            score = cvss.CVSS4(value).base_score
        elif value.startswith("CVSS:3."):
            score = cvss.CVSS3(value).base_score
        elif value and not value.startswith("CVSS:"):
            score = cvss.CVSS2(value).base_score
        else:
            raise cvss.CVSSError("unknown CVSS version")
    except cvss.CVSSError as error:
        raise VulnMatchError(
            "bad_cvss", {"value": vector, "message": str(error)}
        ) from None
    return float(Decimal(str(score)).quantize(Decimal("0.1"), ROUND_HALF_UP))
