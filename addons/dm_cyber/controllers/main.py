"""Hand-over to IT: the cyber matrix as JSON (API key), CSV and XLSX.

The IT department's shared queries are defined once, in ``IT_QUERIES``; the
saved filters of ``data/dm_cyber_data.xml`` (``filter_it_<query>``) hold the
same domains, and a test keeps the two in step.

Who may read the hand-over: ``_it_export_allowed()``.
"""

import csv
import io
import json
from datetime import date

import xlsxwriter
from werkzeug.exceptions import BadRequest, Forbidden

from odoo import fields, http
from odoo.addons.medical_device.tools.spreadsheet import csv_row, write_xlsx_row
from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.http import content_disposition, request

# One definition of the IT department's shared queries: the saved filters
# ``dm_cyber.filter_it_<key>`` must hold the very same domains.
IT_QUERIES = {
    "obsolete_os": [("is_connected", "=", True), ("cyber_os_obsolete", "=", True)],
    "older_than_windows_10": [
        ("is_connected", "=", True),
        ("os_version_id.older_than_windows_10", "=", True),
    ],
    "no_antivirus": [("is_connected", "=", True), ("antivirus", "=", "none")],
    "internet_patient_data": [
        ("is_connected", "=", True),
        ("internet_access", "=", True),
        ("patient_data", "=", True),
    ],
    "no_mds2": [("is_connected", "=", True), ("mds2_received", "=", False)],
    "remote_uncontrolled": [
        ("is_connected", "=", True),
        ("remote_maintenance_channel", "=", "uncontrolled"),
    ],
}
# Who hands the cyber matrix over to IT (see _it_export_allowed).
IT_HANDOVER_GROUP = "dm_cyber.group_dm_it_handover"
# What the hand-over is about: the connected medical devices.
BASE_DOMAIN = [("is_medical_device", "=", True), ("is_connected", "=", True)]

DEFAULT_LIMIT = 1000
MAX_LIMIT = 10000
# Far beyond any fleet, far below PostgreSQL's bigint OFFSET (an offset of
# 10**30 would fail the query: HTTP 500).
MAX_OFFSET = 10**9

# Columns of the hand-over, in order: (key, model, field giving the label).
# Keys starting with "os_" are read on the device's operating system (nested
# under "os" in the JSON); "id" is labelled by the controller itself.
EQUIPMENT = "maintenance.equipment"
OS_VERSION = "dm.os.version"
COLUMNS = [
    ("id", None, None),
    ("name", EQUIPMENT, "name"),
    ("serial_no", EQUIPMENT, "serial_no"),
    ("location", EQUIPMENT, "location"),
    ("company", EQUIPMENT, "company_id"),
    ("lifecycle_state", EQUIPMENT, "lifecycle_state"),
    ("os_name", EQUIPMENT, "os_version_id"),
    ("os_end_of_support", OS_VERSION, "end_of_support"),
    ("os_obsolete", EQUIPMENT, "cyber_os_obsolete"),
    ("os_older_than_windows_10", OS_VERSION, "older_than_windows_10"),
    ("antivirus", EQUIPMENT, "antivirus"),
    ("domain_joined", EQUIPMENT, "domain_joined"),
    ("internet_access", EQUIPMENT, "internet_access"),
    ("patient_data", EQUIPMENT, "patient_data"),
    ("vendor_firewall", EQUIPMENT, "vendor_firewall"),
    ("usb_locked", EQUIPMENT, "usb_locked"),
    ("default_accounts_changed", EQUIPMENT, "default_accounts_changed"),
    ("last_patch_date", EQUIPMENT, "last_patch_date"),
    ("patch_outdated", EQUIPMENT, "cyber_patch_outdated"),
    ("patch_installer", EQUIPMENT, "patch_installer"),
    ("patch_remote", EQUIPMENT, "patch_remote"),
    ("third_party_patches_allowed", EQUIPMENT, "third_party_patches_allowed"),
    ("vendor_notifies_updates", EQUIPMENT, "vendor_notifies_updates"),
    ("remote_maintenance_channel", EQUIPMENT, "remote_maintenance_channel"),
    ("network_zone", EQUIPMENT, "network_zone"),
    ("ip_address", EQUIPMENT, "ip_address"),
    ("mac_address", EQUIPMENT, "mac_address"),
    ("mds2_received", EQUIPMENT, "mds2_received"),
    ("sbom_received", EQUIPMENT, "sbom_received"),
    ("pieu_criticality", EQUIPMENT, "pieu_criticality"),
    ("cyber_risk_score", EQUIPMENT, "cyber_risk_score"),
    ("cyber_risk_level", EQUIPMENT, "cyber_risk_level"),
    # The open vulnerabilities (dm.vulnerability): their number, and in the
    # spreadsheets one text (CVE, CVSS, EPSS, KEV, advisory); the JSON lists
    # them under "vulnerabilities".
    ("vulnerability_open_count", EQUIPMENT, "vulnerability_open_count"),
    ("vulnerabilities", EQUIPMENT, "vulnerability_ids"),
]
VULNERABILITY = "dm.vulnerability"
# Device fields read in one query (the OS and the company in one more each).
DEVICE_FIELDS = [
    "name",
    "serial_no",
    "location",
    "company_id",
    "lifecycle_state",
    "os_version_id",
    "cyber_os_obsolete",
    "antivirus",
    "domain_joined",
    "internet_access",
    "patient_data",
    "vendor_firewall",
    "usb_locked",
    "default_accounts_changed",
    "last_patch_date",
    "cyber_patch_outdated",
    "patch_installer",
    "patch_remote",
    "third_party_patches_allowed",
    "vendor_notifies_updates",
    "remote_maintenance_channel",
    "network_zone",
    "ip_address",
    "mac_address",
    "mds2_received",
    "sbom_received",
    "pieu_criticality",
    "cyber_risk_score",
    "cyber_risk_level",
]
# Selection fields: the JSON gives their keys, the spreadsheets their labels.
SELECTION_KEYS = {
    "lifecycle_state",
    "antivirus",
    "patch_installer",
    "remote_maintenance_channel",
    "pieu_criticality",
    "cyber_risk_level",
}


def _it_export_allowed(env):
    """Whether the user of ``env`` may read the hand-over to IT: the members
    of ``dm_cyber.group_dm_it_handover`` (the RSSI through the role, an auditor
    or an IT user given it). Every medical device role implies
    ``group_dm_auditor`` and reads the fleet in the application; handing it
    over to IT tools is this group's alone."""
    return env.user.has_group(IT_HANDOVER_GROUP)


def forbidden_message(env):
    return env._(
        "The cyber matrix hand-over is limited to the IT hand-over group "
        "(the RSSI, or a user given it)."
    )


def it_query_domain(query):
    """Domain of the hand-over for an optional IT query key; raises KeyError
    for an unknown key."""
    if not query:
        return list(BASE_DOMAIN)
    return BASE_DOMAIN + IT_QUERIES[query]


def list_filter_domain(env, domain_json):
    """The domain of a list's current filter, sent as JSON by the export
    button (``maintenance.equipment.action_export_cyber_matrix_xlsx``), checked
    and normalised; raises ValueError with a translated message when it is not
    a domain of the devices. It only narrows the hand-over: it is combined with
    the hand-over's own domain and the record rules still apply, so a domain
    naming another company's devices finds none of them."""
    message = env._("The filter of the export is not a valid filter of the devices.")
    try:
        parsed = json.loads(domain_json)
        if not isinstance(parsed, list):
            raise ValueError(parsed)
        domain = Domain(parsed)
        # Unknown fields and operators fail here rather than in the search.
        domain.validate(env[EQUIPMENT])
    except (ValueError, TypeError, KeyError) as error:
        raise ValueError(message) from error
    return domain


def _iso(value):
    return value.isoformat() if value else None


def cyber_matrix_rows(env, domain, limit=None, offset=0):
    """The hand-over rows of the devices matching ``domain``, as JSON-ready
    dicts (selection keys, ISO dates, ``None`` for empty values). Record rules
    apply: call it with the user's environment, a member of the IT hand-over
    group (AccessError otherwise, whatever the path that calls it). A
    constant number of queries whatever the number of devices: devices,
    operating systems, companies, and their open vulnerabilities (lines,
    CVEs, advisories)."""
    if not env.su and not _it_export_allowed(env):
        raise AccessError(forbidden_message(env))
    devices = env[EQUIPMENT].search_fetch(
        domain, DEVICE_FIELDS, offset=offset, limit=limit, order="id"
    )
    devices.os_version_id.fetch(["name", "end_of_support", "older_than_windows_10"])
    devices.company_id.fetch(["name"])
    vulnerabilities = open_vulnerabilities(env, devices)
    rows = []
    for device in devices:
        os_version = device.os_version_id
        os_values = None
        if os_version:
            os_values = {
                "name": os_version.name or None,
                "end_of_support": _iso(os_version.end_of_support),
                "obsolete": device.cyber_os_obsolete,
                "older_than_windows_10": os_version.older_than_windows_10,
            }
        rows.append(
            {
                "id": device.id,
                "name": device.name or None,
                "serial_no": device.serial_no or None,
                "location": device.location or None,
                "company": device.company_id.name or None,
                "lifecycle_state": device.lifecycle_state or None,
                "os": os_values,
                "antivirus": device.antivirus or None,
                "domain_joined": device.domain_joined,
                "internet_access": device.internet_access,
                "patient_data": device.patient_data,
                "vendor_firewall": device.vendor_firewall,
                "usb_locked": device.usb_locked,
                "default_accounts_changed": device.default_accounts_changed,
                "last_patch_date": _iso(device.last_patch_date),
                "patch_outdated": device.cyber_patch_outdated,
                "patch_installer": device.patch_installer or None,
                "patch_remote": device.patch_remote,
                "third_party_patches_allowed": device.third_party_patches_allowed,
                "vendor_notifies_updates": device.vendor_notifies_updates,
                "remote_maintenance_channel": device.remote_maintenance_channel or None,
                "network_zone": device.network_zone or None,
                "ip_address": device.ip_address or None,
                "mac_address": device.mac_address or None,
                "mds2_received": device.mds2_received,
                "sbom_received": device.sbom_received,
                "pieu_criticality": device.pieu_criticality or None,
                "cyber_risk_score": device.cyber_risk_score,
                "cyber_risk_level": device.cyber_risk_level or None,
                "vulnerability_open_count": len(vulnerabilities.get(device.id, [])),
                "vulnerabilities": vulnerabilities.get(device.id, []),
            }
        )
    return rows


def open_vulnerabilities(env, devices):
    """``{device id: [vulnerability]}``: the open vulnerabilities of
    ``devices`` (affected, still matching), highest priority first, as the
    user reads them (record rules apply). Three queries whatever the number
    of devices: lines, CVEs, advisories."""
    if not devices:
        return {}
    lines = env[VULNERABILITY].search_fetch(
        [("equipment_id", "in", devices.ids), ("is_open", "=", True)],
        ["equipment_id", "cve_id", "advisory_id", "cvss_score", "status", "priority"],
    )
    lines.cve_id.fetch(["name", "epss_score", "known_exploited"])
    lines.advisory_id.fetch(["name"])
    result = {}
    for line in lines:
        result.setdefault(line.equipment_id.id, []).append(
            {
                "cve": line.cve_id.name,
                "cvss_score": line.cvss_score,
                "epss_score": line.cve_id.epss_score,
                "known_exploited": line.cve_id.known_exploited,
                "status": line.status,
                "priority": line.priority,
                "advisory": line.advisory_id.name or None,
            }
        )
    return result


def vulnerabilities_text(vulnerabilities):
    """The open vulnerabilities in one cell: ``CVE (CVSS 10.0, EPSS 0.94,
    KEV) advisory``, separated by ``; ``."""
    texts = []
    for vulnerability in vulnerabilities:
        scores = [
            f"CVSS {vulnerability['cvss_score']:.1f}",
            f"EPSS {vulnerability['epss_score']:.2f}",
        ]
        if vulnerability["known_exploited"]:
            scores.append("KEV")
        text = f"{vulnerability['cve']} ({', '.join(scores)})"
        if (
            vulnerability["advisory"]
            and vulnerability["advisory"] != vulnerability["cve"]
        ):
            text += f" {vulnerability['advisory']}"
        texts.append(text)
    return "; ".join(texts)


def column_labels(env):
    """Translated header of the spreadsheets, in the order of ``COLUMNS``."""
    labels = []
    for _key, model, field_name in COLUMNS:
        if model is None:
            labels.append(env._("ID"))
        else:
            labels.append(env[model]._fields[field_name].get_description(env)["string"])
    return labels


def _flat_values(row):
    """The row's values in the order of ``COLUMNS`` (OS values un-nested)."""
    os_values = row["os"] or {}
    return [
        os_values.get(key[3:])
        if key.startswith("os_")
        else vulnerabilities_text(row[key])
        if key == "vulnerabilities"
        else row[key]
        for key, _model, _field in COLUMNS
    ]


def tabular_rows(env, rows):
    """Rows for the spreadsheets: selection labels, Yes/No, dates as dates."""
    selections = {
        key: dict(env[EQUIPMENT]._fields[key]._description_selection(env))
        for key in SELECTION_KEYS
    }
    yes, no = env._("Yes"), env._("No")
    keys = [key for key, _model, _field in COLUMNS]
    table = []
    for row in rows:
        values = []
        for key, value in zip(keys, _flat_values(row), strict=True):
            if key in selections:
                value = selections[key].get(value, value) if value else ""
            elif isinstance(value, bool):
                value = yes if value else no
            elif key in ("os_end_of_support", "last_patch_date") and value:
                value = date.fromisoformat(value)
            elif value is None:
                value = ""
            values.append(value)
        table.append(values)
    return table


class DmCyberItController(http.Controller):
    # ------------------------------------------------------------ helpers
    @staticmethod
    def _json_error(status, message):
        return request.make_json_response(
            {"error": {"status": status, "message": message}}, status=status
        )

    @staticmethod
    def _query_domain(query):
        """Domain for the ``query`` parameter, or None if it is unknown."""
        try:
            return it_query_domain(query)
        except KeyError:
            return None

    @staticmethod
    def _unknown_query_message(query):
        return request.env._(
            "Unknown query '%(query)s'. Known queries: %(queries)s.",
            query=query,
            queries=", ".join(IT_QUERIES),
        )

    @staticmethod
    def _forbidden_message():
        return forbidden_message(request.env)

    def _export_rows(self, query, domain=None, company_ids=None):
        """Rows for the spreadsheet exports, after the checks they share.

        ``domain`` (JSON) is the current filter of the list the export was
        asked from, ``company_ids`` (comma-separated) the companies active in
        the user's web client: the file holds what the list showed, never more
        than the record rules give the user."""
        env = request.env
        if not _it_export_allowed(env):
            raise Forbidden(self._forbidden_message())
        base_domain = self._query_domain(query)
        if base_domain is None:
            raise BadRequest(self._unknown_query_message(query))
        if company_ids:
            env = self._env_for_companies(env, company_ids)
        search_domain = Domain(base_domain)
        if domain:
            try:
                search_domain &= list_filter_domain(env, domain)
            except ValueError as error:
                raise BadRequest(str(error)) from None
        try:
            rows = cyber_matrix_rows(env, list(search_domain))
        except AccessError as error:
            # a filter on a field the user may not read
            raise Forbidden(str(error)) from None
        return env, tabular_rows(env, rows)

    @staticmethod
    def _env_for_companies(env, company_ids):
        """``env`` restricted to the listed companies among the user's own
        (others are ignored: the record rules never reach them anyway)."""
        try:
            wanted = {int(value) for value in company_ids.split(",") if value}
        except ValueError:
            raise BadRequest(
                env._("The companies of the export must be given by their ids.")
            ) from None
        allowed = [cid for cid in env.user.company_ids.ids if cid in wanted]
        if not allowed:
            return env
        return env(context=dict(env.context, allowed_company_ids=allowed))

    @staticmethod
    def _file_name(query, extension):
        today = fields.Date.context_today(request.env.user).isoformat()
        parts = ["cyber-matrix", query.replace("_", "-") if query else "", today]
        return "-".join(part for part in parts if part) + "." + extension

    # ------------------------------------------------------------ routes
    @http.route(
        "/dm_cyber/api/v1/cyber-matrix",
        type="http",
        auth="bearer",
        methods=["GET"],
        readonly=True,
    )
    def api_cyber_matrix(self, query=None, limit=None, offset=None, **kwargs):
        """Read-only JSON for IT tools: ``Authorization: Bearer <API key>``.

        A missing or invalid key is refused by Odoo's bearer authentication
        (HTTP 401, ``WWW-Authenticate: bearer``); a user outside the IT
        hand-over group gets HTTP 403 with a JSON error.
        """
        env = request.env
        if not _it_export_allowed(env):
            return self._json_error(403, self._forbidden_message())
        domain = self._query_domain(query)
        if domain is None:
            return self._json_error(400, self._unknown_query_message(query))
        try:
            limit = DEFAULT_LIMIT if limit in (None, "") else int(limit)
            offset = 0 if offset in (None, "") else int(offset)
        except ValueError:
            return self._json_error(
                400, env._("The limit and offset must be whole numbers.")
            )
        if limit < 1 or offset < 0:
            return self._json_error(
                400,
                env._("The limit must be at least 1 and the offset at least 0."),
            )
        if offset > MAX_OFFSET:
            return self._json_error(
                400,
                env._("The offset must be at most %(max)s.", max=MAX_OFFSET),
            )
        limit = min(limit, MAX_LIMIT)
        return request.make_json_response(
            {
                "query": query or None,
                "count": env[EQUIPMENT].search_count(domain),
                "limit": limit,
                "offset": offset,
                "devices": cyber_matrix_rows(env, domain, limit=limit, offset=offset),
            }
        )

    @http.route(
        "/dm_cyber/export/cyber-matrix.csv",
        type="http",
        auth="user",
        methods=["GET"],
        readonly=True,
    )
    def export_cyber_matrix_csv(
        self, query=None, domain=None, company_ids=None, **kwargs
    ):
        """CSV for French Excel: UTF-8 with BOM, ``;`` separator."""
        env, table = self._export_rows(query, domain, company_ids)
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(csv_row(column_labels(env)))
        for values in table:
            writer.writerow(csv_row(values))
        content = ("\ufeff" + buffer.getvalue()).encode("utf-8")
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "text/csv; charset=utf-8"),
                (
                    "Content-Disposition",
                    content_disposition(self._file_name(query, "csv")),
                ),
            ],
        )

    @http.route(
        "/dm_cyber/export/cyber-matrix.xlsx",
        type="http",
        auth="user",
        methods=["GET"],
        readonly=True,
    )
    def export_cyber_matrix_xlsx(
        self, query=None, domain=None, company_ids=None, **kwargs
    ):
        """XLSX: a header row, one row per device, filters on the header."""
        env, table = self._export_rows(query, domain, company_ids)
        labels = column_labels(env)
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = workbook.add_worksheet(env._("Cyber matrix")[:31])
        header_format = workbook.add_format({"bold": True, "text_wrap": True})
        date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
        write_xlsx_row(sheet, 0, labels, header_format)
        for row_index, values in enumerate(table, start=1):
            write_xlsx_row(sheet, row_index, values, date_format=date_format)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(table), 1), len(labels) - 1)
        sheet.set_column(0, len(labels) - 1, 16)
        workbook.close()
        return request.make_response(
            buffer.getvalue(),
            headers=[
                (
                    "Content-Type",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
                (
                    "Content-Disposition",
                    content_disposition(self._file_name(query, "xlsx")),
                ),
            ],
        )
