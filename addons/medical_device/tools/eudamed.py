"""EUDAMED public device data: the client and the reading of its answers.

EUDAMED (the EU database on medical devices) publishes its device registrations
through the JSON API its public website uses (``/tools/eudamed/api``, no
authentication; documented unofficially by OpenRegulatory's
``eudamed-api`` OpenAPI description):

- ``GET devices/udiDiData?primaryDi=<UDI-DI>`` (or ``basicUdi=<Basic UDI-DI>``)
  and the paging parameters: a search whose ``content`` lists the device
  versions found (``uuid``, ``primaryDi``, ``basicUdi``, ``tradeName``,
  ``manufacturerSrn``, ``manufacturerName``, ``riskClass.code``,
  ``deviceStatusType.code``, ``latestVersion``);
- ``GET devices/basicUdiData/udiDiData/<uuid>``: the Basic UDI-DI data of that
  device (``basicUdi.code``, ``riskClass.code``, ``legislation.code``,
  ``manufacturer``, ``deviceCertificateInfoList`` with their notified bodies,
  ``specialDeviceType``, ``device``).

The functions here read those answers into a :class:`DeviceRecord` (pure, the
tests call them on the recorded answers of ``data/samples/eudamed/``);
:class:`EudamedClient` fetches them with ``requests`` (timeout, retries on
network errors and server errors, proxy). Errors carry a ``kind`` and their
parameters: the model layer words them in the user's language.
"""

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field

import requests

from . import http_fetch

DEFAULT_URL = "https://ec.europa.eu/tools/eudamed/api"
DEFAULT_TIMEOUT = 10
DEFAULT_RETRIES = 2
SEARCH_PATH = "devices/udiDiData"
BASIC_PATH = "devices/basicUdiData/udiDiData/{uuid}"

# EUDAMED's reference codes and ours (tools/selections.py).
RISK_CLASSES = {
    "refdata.risk-class.class-i": "i",
    "refdata.risk-class.class-iia": "iia",
    "refdata.risk-class.class-iib": "iib",
    "refdata.risk-class.class-iii": "iii",
    "refdata.risk-class.class-a": "ivd_a",
    "refdata.risk-class.class-b": "ivd_b",
    "refdata.risk-class.class-c": "ivd_c",
    "refdata.risk-class.class-d": "ivd_d",
    # Legacy IVDD lists: the IVDR class the transition gives them.
    "refdata.risk-class.ivd-annex-ii-list-a": "ivd_d",
    "refdata.risk-class.ivd-annex-ii-list-b": "ivd_c",
    "refdata.risk-class.ivd-devices-self-testing": "ivd_c",
    "refdata.risk-class.ivd-general": "ivd_a",
    # Active implantable devices (AIMDD) are class III under the MDR.
    "refdata.risk-class.aimdd": "iii",
}
LEGISLATIONS = {
    "refdata.applicable-legislation.mdr": "mdr",
    "refdata.applicable-legislation.ivdr": "ivdr",
    "refdata.applicable-legislation.mdd": "mdd",
    "refdata.applicable-legislation.aimdd": "aimdd",
    "refdata.applicable-legislation.ivdd": "ivdd",
}
# Certificates that no longer cover the device.
ENDED_CERTIFICATE_STATUSES = ("withdrawn", "suspended", "expired", "refused")
NOTIFIED_BODY_NUMBER = re.compile(r"(?<!\d)(\d{4})(?!\d)")


class EudamedError(Exception):
    """EUDAMED could not answer: ``kind`` is ``offline`` (no connection),
    ``timeout``, ``http`` (an error status) or ``invalid`` (an answer that is
    not the expected JSON); ``params`` hold the details (url, status,
    attempts, timeout)."""

    def __init__(self, kind, **params):
        super().__init__(f"EUDAMED {kind}: {params}")
        self.kind = kind
        self.params = params


@dataclass(frozen=True)
class Certificate:
    number: str = ""
    revision: str = ""
    expiry: str = ""
    notified_body_number: str = ""
    notified_body_name: str = ""
    status: str = ""
    certificate_type: str = ""

    @property
    def in_force(self):
        return not any(word in self.status for word in ENDED_CERTIFICATE_STATUSES)


@dataclass(frozen=True)
class DeviceRecord:
    """What EUDAMED says of a device, in our terms."""

    udi_di: str = ""
    basic_udi_di: str = ""
    registered: bool = True
    is_medical_device: bool = True
    is_software: bool = False
    risk_class: str = ""
    risk_class_code: str = ""
    ce_regime: str = ""
    manufacturer_srn: str = ""
    manufacturer_name: str = ""
    trade_name: str = ""
    device_status: str = ""
    certificates: tuple = field(default_factory=tuple)

    def main_certificate(self):
        """The certificate to compare with ours: one in force, the latest to
        expire (or the latest to expire of all when none is in force)."""
        pool = [c for c in self.certificates if c.in_force] or list(self.certificates)
        if not pool:
            return None
        return max(pool, key=lambda c: (c.expiry or "", c.number))

    def snapshot(self):
        """A plain dict of the record (stored, compared, shown)."""
        data = asdict(self)
        data["certificates"] = sorted(
            (asdict(c) for c in self.certificates), key=lambda c: c["number"]
        )
        return data


def fingerprint(record):
    """A stable hash of what EUDAMED registers for a device (``None``: not
    found), so that a weekly check notices a change of class, manufacturer or
    certificate without keeping every answer."""
    data = record.snapshot() if record else {"registered": False}
    text = json.dumps(data, sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()


# ------------------------------------------------------------ reading
def _code(value):
    """``{"code": "refdata.x.y"}`` → ``"refdata.x.y"``."""
    if isinstance(value, dict):
        return str(value.get("code") or "")
    return str(value or "")


def _text(value):
    """A EUDAMED text: a plain string, or ``{"texts": [{"text": …}]}`` (the
    English one first, else the first)."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        texts = value.get("texts") or []
        english = [
            t
            for t in texts
            if isinstance(t, dict)
            and ((t.get("language") or {}).get("isoCode") in ("en", None))
        ]
        for entry in english + [t for t in texts if isinstance(t, dict)]:
            if entry.get("text"):
                return str(entry["text"]).strip()
    return ""


def _short_code(code):
    """``refdata.certificate-status.valid`` → ``valid``."""
    return code.rsplit(".", 1)[-1] if code else ""


def parse_search(payload, udi_di=None, basic_udi_di=None):
    """The entry of a search answer for the code looked up (the latest
    version first), or ``None``. Raises ``EudamedError("invalid")`` when the
    answer is not a search result."""
    if not isinstance(payload, dict) or not isinstance(payload.get("content"), list):
        raise EudamedError("invalid", reason="no 'content' list")
    entries = [e for e in payload["content"] if isinstance(e, dict)]
    if udi_di:
        entries = [e for e in entries if str(e.get("primaryDi") or "") == udi_di]
    elif basic_udi_di:
        entries = [e for e in entries if str(e.get("basicUdi") or "") == basic_udi_di]
    if not entries:
        return None
    entries.sort(
        key=lambda e: (bool(e.get("latestVersion")), e.get("versionNumber") or 0),
        reverse=True,
    )
    return entries[0]


def parse_certificate(data):
    body = data.get("notifiedBody") or {}
    body_text = " ".join(
        str(body.get(key) or "") for key in ("srn", "name", "eudamedIdentifier")
    )
    number = NOTIFIED_BODY_NUMBER.search(body_text)
    return Certificate(
        number=str(data.get("certificateNumber") or "").strip(),
        revision=str(data.get("certificateRevision") or "").strip(),
        expiry=str(data.get("certificateExpiry") or "")[:10],
        notified_body_number=number.group(1) if number else "",
        notified_body_name=_text(body.get("name") or body.get("names")),
        status=_short_code(_code(data.get("status"))),
        certificate_type=_short_code(_code(data.get("certificateType"))),
    )


def _manufacturer(basic, entry):
    """SRN and name of the manufacturer: the Basic UDI-DI's actor (flat or
    under ``actorDataPublicView``), else the search entry's copy."""
    actor = basic.get("manufacturer") or {}
    if isinstance(actor.get("actorDataPublicView"), dict):
        actor = actor["actorDataPublicView"]
    srn = str(actor.get("srn") or actor.get("eudamedIdentifier") or "").strip()
    name = _text(actor.get("name"))
    return (
        srn or str(entry.get("manufacturerSrn") or "").strip(),
        name or str(entry.get("manufacturerName") or "").strip(),
    )


def parse_device(entry, basic):
    """A :class:`DeviceRecord` from a search entry and its Basic UDI-DI data
    (``basic`` may be empty when EUDAMED has none)."""
    if not isinstance(entry, dict) or not isinstance(basic, dict):
        raise EudamedError("invalid", reason="not a JSON object")
    risk_code = _code(basic.get("riskClass")) or _code(entry.get("riskClass"))
    legislation = _code(basic.get("legislation"))
    special = _code(basic.get("specialDeviceType"))
    srn, name = _manufacturer(basic, entry)
    certificates = tuple(
        parse_certificate(c)
        for c in basic.get("deviceCertificateInfoList") or []
        if isinstance(c, dict)
    )
    basic_code = _code(basic.get("basicUdi")) or str(entry.get("basicUdi") or "")
    return DeviceRecord(
        udi_di=str(entry.get("primaryDi") or "").strip(),
        basic_udi_di=basic_code.strip(),
        registered=True,
        is_medical_device=basic.get("device", True) is not False,
        is_software=special.endswith(".software"),
        risk_class=RISK_CLASSES.get(risk_code, ""),
        risk_class_code=_short_code(risk_code),
        ce_regime=LEGISLATIONS.get(legislation, ""),
        manufacturer_srn=srn,
        manufacturer_name=name,
        trade_name=_text(entry.get("tradeName")) or _text(basic.get("deviceName")),
        device_status=_short_code(_code(entry.get("deviceStatusType"))),
        certificates=certificates,
    )


# ------------------------------------------------------------ client
class EudamedClient:
    """Look a device up in EUDAMED by UDI-DI or Basic UDI-DI.

    ``retries``: further attempts after a network error, a timeout or a server
    error (5xx), ``backoff`` seconds apart (times the attempt number); a client
    error (4xx but 404) is not retried. ``proxy``: an URL used for http and
    https. ``session``: a ``requests.Session`` (tests, connection reuse)."""

    def __init__(
        self,
        base_url=DEFAULT_URL,
        timeout=DEFAULT_TIMEOUT,
        retries=DEFAULT_RETRIES,
        proxy=None,
        backoff=1.0,
        language="en",
        session=None,
    ):
        self.base_url = (base_url or DEFAULT_URL).rstrip("/")
        self.timeout = float(timeout or DEFAULT_TIMEOUT)
        self.retries = max(0, int(retries or 0))
        self.proxy = proxy or None
        self.proxies = http_fetch.proxies(self.proxy)
        self.backoff = backoff
        self.language = language
        self.session = session or requests.Session()

    def lookup(self, udi_di=None, basic_udi_di=None):
        """The :class:`DeviceRecord` registered for ``udi_di`` (or, without
        one, ``basic_udi_di``); ``None`` when EUDAMED has no such device."""
        udi_di = (udi_di or "").strip()
        basic_udi_di = (basic_udi_di or "").strip()
        if not udi_di and not basic_udi_di:
            return None
        params = {
            "page": 1,
            "pageSize": 25,
            "size": 25,
            "iso2Code": self.language,
            "languageIso2Code": self.language,
        }
        if udi_di:
            params["primaryDi"] = udi_di
        else:
            params["basicUdi"] = basic_udi_di
        found = self.get_json(SEARCH_PATH, params)
        entry = parse_search(found, udi_di=udi_di, basic_udi_di=basic_udi_di)
        if entry is None:
            return None
        basic = {}
        if entry.get("uuid"):
            basic = (
                self.get_json(
                    BASIC_PATH.format(uuid=entry["uuid"]),
                    {"languageIso2Code": self.language},
                )
                or {}
            )
        return parse_device(entry, basic)

    def get_json(self, path, params):
        """The JSON answer of ``path`` (``None`` on 404), retrying network
        errors, timeouts and server errors (``tools.http_fetch``)."""
        url = f"{self.base_url}/{path}"
        try:
            response = http_fetch.get(
                url,
                params,
                session=self.session,
                timeout=self.timeout,
                retries=self.retries,
                proxy=self.proxy,
                backoff=self.backoff,
                headers={"Accept": "application/json"},
                not_found=True,
            )
        except http_fetch.FetchError as error:
            raise EudamedError(error.kind, **error.params) from error
        if response is None:
            return None
        try:
            return response.json()
        except ValueError as error:
            raise EudamedError("invalid", url=url, reason=str(error)) from error
