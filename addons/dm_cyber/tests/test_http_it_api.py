"""Hand-over to IT over HTTP: JSON endpoint (API key), CSV and XLSX exports."""

import ast
import csv
import io
import zipfile
from datetime import date, datetime, timedelta

import openpyxl

from odoo import fields
from odoo.addons.medical_device.tools.spreadsheet import FORMULA_PREFIXES
from odoo.tests import HttpCase, new_test_user, tagged

from ..controllers.main import (
    BASE_DOMAIN,
    COLUMNS,
    IT_QUERIES,
    MAX_LIMIT,
    MAX_OFFSET,
    column_labels,
    cyber_matrix_rows,
)

API_URL = "/dm_cyber/api/v1/cyber-matrix"
CSV_URL = "/dm_cyber/export/cyber-matrix.csv"
XLSX_URL = "/dm_cyber/export/cyber-matrix.xlsx"


@tagged("post_install", "-at_install", "dm_http")
class TestItApi(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context=dict(cls.env.context, lang="en_US"))
        cls.env = env
        cls.company = env.company
        cls.other_company = env["res.company"].create({"name": "Other hospital"})
        groups = {
            "rssi": "medical_device.group_dm_rssi",
            # An auditor given the IT hand-over (the demo auditor is).
            "auditor": "medical_device.group_dm_auditor,dm_cyber.group_dm_it_handover",
            "technician": "medical_device.group_dm_technician",
            "internal": "base.group_user",
        }
        cls.users = {
            role: new_test_user(
                env,
                login=f"it_api_{role}",
                groups=group,
                company_id=cls.company.id,
                company_ids=[cls.company.id],
            )
            for role, group in groups.items()
        }
        # The auditor works for both hospitals: he sees both fleets.
        cls.users["auditor"].company_ids = [cls.company.id, cls.other_company.id]
        expiration = datetime.now() + timedelta(days=0.5)
        cls.keys = {
            role: env["res.users.apikeys"]
            .with_user(user)
            ._generate("rpc", "IT tools", expiration)
            for role, user in cls.users.items()
        }

        OsVersion = env["dm.os.version"]
        cls.os_xp = OsVersion.create(
            {
                "vendor": "IT API test",
                "product": "Windows",
                "version": "XP test",
                "end_of_support": date(2014, 4, 8),
                "older_than_windows_10": True,
            }
        )
        cls.os_recent = OsVersion.create(
            {
                "vendor": "IT API test",
                "product": "Windows",
                "version": "11 test",
                "end_of_support": date(2099, 10, 14),
            }
        )
        Equipment = env["maintenance.equipment"]

        def device(serial, **vals):
            return Equipment.create(
                {
                    "name": f"Device {serial}",
                    "serial_no": serial,
                    "is_medical_device": True,
                    "dm_kind": "dm",
                    "is_connected": True,
                    "company_id": cls.company.id,
                    **vals,
                }
            )

        cls.device_xp = device(
            "ITAPI-XP",
            location="ICU, room 3",
            os_version_id=cls.os_xp.id,
            antivirus="none",
            internet_access=True,
            patient_data=True,
            remote_maintenance_channel="uncontrolled",
            ip_address="10.1.2.3",
            mac_address="00:1A:2B:3C:4D:5E",
            network_zone="VLAN 42",
            last_patch_date=date(2020, 1, 15),
            patch_installer="vendor",
            patch_remote=True,
        )
        cls.device_ok = device(
            "ITAPI-OK",
            os_version_id=cls.os_recent.id,
            antivirus="hospital",
            domain_joined=True,
            vendor_firewall=True,
            usb_locked=True,
            default_accounts_changed=True,
            remote_maintenance_channel="hospital_bastion",
            last_patch_date=fields.Date.today(),
            mds2_date=fields.Date.today(),
            sbom_received=True,
        )
        cls.device_offline = device("ITAPI-OFF", is_connected=False)
        cls.not_medical = device("ITAPI-PC", is_medical_device=False, dm_kind=False)
        cls.device_other_company = device(
            "ITAPI-OTHER",
            company_id=cls.other_company.id,
            os_version_id=cls.os_xp.id,
        )

    # ------------------------------------------------------------ helpers
    def api_get(self, role=None, key=None, **params):
        key = key or (role and self.keys[role])
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return self.url_open(API_URL, headers=headers, params=params)

    def api_ids(self, role, **params):
        response = self.api_get(role, **params)
        self.assertEqual(response.status_code, 200, response.text)
        return {row["id"] for row in response.json()["devices"]}

    def login(self, role):
        login = self.users[role].login
        self.authenticate(login, login)

    # ------------------------------------------------------------ JSON API
    def test_rssi_reads_the_connected_medical_devices(self):
        response = self.api_get("rssi")
        self.assertEqual(response.status_code, 200, response.text)
        self.assertIn("application/json", response.headers["Content-Type"])
        body = response.json()
        self.assertEqual(body["offset"], 0)
        self.assertEqual(body["limit"], 1000)
        rows = {row["id"]: row for row in body["devices"]}
        self.assertIn(self.device_xp.id, rows)
        self.assertIn(self.device_ok.id, rows)
        self.assertNotIn(self.device_offline.id, rows, "not connected")
        self.assertNotIn(self.not_medical.id, rows, "not a medical device")
        self.assertEqual(body["count"], len(rows))
        xp = rows[self.device_xp.id]
        self.assertEqual(
            xp,
            {
                "id": self.device_xp.id,
                "name": "Device ITAPI-XP",
                "serial_no": "ITAPI-XP",
                "location": "ICU, room 3",
                "company": self.company.name,
                "lifecycle_state": "acquisition",
                "os": {
                    "name": "Windows XP test",
                    "end_of_support": "2014-04-08",
                    "obsolete": True,
                    "older_than_windows_10": True,
                },
                "antivirus": "none",
                "domain_joined": False,
                "internet_access": True,
                "patient_data": True,
                "vendor_firewall": False,
                "usb_locked": False,
                "default_accounts_changed": False,
                "last_patch_date": "2020-01-15",
                "patch_outdated": True,
                "patch_installer": "vendor",
                "patch_remote": True,
                "third_party_patches_allowed": False,
                "vendor_notifies_updates": False,
                "remote_maintenance_channel": "uncontrolled",
                "network_zone": "VLAN 42",
                "ip_address": "10.1.2.3",
                "mac_address": "00:1A:2B:3C:4D:5E",
                "mds2_received": False,
                "sbom_received": False,
                "pieu_criticality": None,
                "cyber_risk_score": self.device_xp.cyber_risk_score,
                "cyber_risk_level": self.device_xp.cyber_risk_level,
                "vulnerability_open_count": 0,
                "vulnerabilities": [],
            },
        )
        self.assertIn(xp["cyber_risk_level"], ("high", "critical"))
        ok = rows[self.device_ok.id]
        self.assertFalse(ok["os"]["obsolete"])
        self.assertTrue(ok["mds2_received"])
        self.assertFalse(ok["patch_outdated"])

    def test_open_vulnerabilities_are_handed_over(self):
        values = {
            "name": "CVE-2021-44228",
            "cvss_vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H",
            "known_exploited": True,
            "epss_score": 0.94,
        }
        # The demo data holds it already (the Infusomat's SBOM).
        cve = self.env["dm.cve"].search([("name", "=", values["name"])])
        if cve:
            cve.write(values)
        else:
            cve = self.env["dm.cve"].create(values)
        advisory = self.env["dm.advisory"].create(
            {"name": "ICSMA-21-TEST", "cve_ids": [fields.Command.set(cve.ids)]}
        )
        # sudo: lines are the matching's; the hand-over reads them.
        Line = self.env["dm.vulnerability"].sudo()
        Line.create(
            [
                {
                    "equipment_id": self.device_xp.id,
                    "cve_id": cve.id,
                    "advisory_id": advisory.id,
                },
                {
                    "equipment_id": self.device_ok.id,
                    "cve_id": cve.id,
                    "advisory_id": advisory.id,
                    "status": "fixed",
                },
                {
                    "equipment_id": self.device_other_company.id,
                    "cve_id": cve.id,
                    "advisory_id": advisory.id,
                },
            ]
        )
        response = self.api_get("rssi")
        rows = {row["id"]: row for row in response.json()["devices"]}
        xp = rows[self.device_xp.id]
        self.assertEqual(xp["vulnerability_open_count"], 1)
        self.assertEqual(
            xp["vulnerabilities"],
            [
                {
                    "cve": "CVE-2021-44228",
                    "cvss_score": 10.0,
                    "epss_score": 0.94,
                    "known_exploited": True,
                    "status": "affected",
                    "priority": 40 + 30 + 15 + 10 + 5,
                    "advisory": "ICSMA-21-TEST",
                }
            ],
        )
        # Fixed: no longer open, not handed over.
        self.assertEqual(rows[self.device_ok.id]["vulnerabilities"], [])
        self.login("rssi")
        response = self.url_open(CSV_URL)
        text = response.content.decode("utf-8-sig")
        table = list(csv.reader(io.StringIO(text), delimiter=";"))
        by_id = {row[0]: dict(zip(table[0], row, strict=True)) for row in table[1:]}
        xp_row = by_id[str(self.device_xp.id)]
        self.assertEqual(xp_row["Open vulnerabilities"], "1")
        self.assertEqual(
            xp_row["Vulnerabilities"],
            "CVE-2021-44228 (CVSS 10.0, EPSS 0.94, KEV) ICSMA-21-TEST",
        )
        self.assertEqual(by_id[str(self.device_ok.id)]["Vulnerabilities"], "")
        self.assertNotIn(str(self.device_other_company.id), by_id)

    def test_query_filters_like_the_saved_filter(self):
        response = self.api_get("rssi", query="obsolete_os")
        self.assertEqual(response.status_code, 200, response.text)
        body = response.json()
        self.assertEqual(body["query"], "obsolete_os")
        ids = {row["id"] for row in body["devices"]}
        self.assertIn(self.device_xp.id, ids)
        self.assertNotIn(self.device_ok.id, ids)
        self.assertTrue(all(row["os"]["obsolete"] for row in body["devices"]))
        expected = {
            "older_than_windows_10": True,
            "no_antivirus": True,
            "internet_patient_data": True,
            "no_mds2": True,
            "remote_uncontrolled": True,
        }
        for query, xp_in in expected.items():
            with self.subTest(query=query):
                ids = self.api_ids("rssi", query=query)
                self.assertEqual(self.device_xp.id in ids, xp_in)
                self.assertNotIn(self.device_ok.id, ids)

    def test_unknown_query_and_bad_paging_are_refused(self):
        response = self.api_get("rssi", query="everything")
        self.assertEqual(response.status_code, 400)
        self.assertIn("obsolete_os", response.json()["error"]["message"])
        for params in ({"limit": "many"}, {"limit": 0}, {"offset": -1}):
            with self.subTest(**params):
                response = self.api_get("rssi", **params)
                self.assertEqual(response.status_code, 400)
                self.assertIn("error", response.json())

    def test_hostile_paging_is_a_json_400(self):
        """Never an HTTP 500 (bigint out of range, Python's limit on long
        integers): a 400 with a JSON error saying what is wrong."""
        hostile = (
            {"offset": 10**30},
            {"offset": MAX_OFFSET + 1},
            {"offset": "1" * 5000},
            {"limit": -1},
            {"limit": "abc"},
            {"limit": "1e3"},
            {"limit": 10**30, "offset": "x"},
        )
        for params in hostile:
            with self.subTest(**{k: str(v)[:20] for k, v in params.items()}):
                response = self.api_get("rssi", **params)
                self.assertEqual(response.status_code, 400, response.text[:200])
                self.assertTrue(response.json()["error"]["message"])
        response = self.api_get("rssi", offset=MAX_OFFSET, limit=10**30)
        self.assertEqual(response.status_code, 200, response.text[:200])
        self.assertEqual(response.json()["devices"], [])

    def test_paging(self):
        everything = self.api_get("rssi").json()
        first = self.api_get("rssi", limit=1).json()
        second = self.api_get("rssi", limit=1, offset=1).json()
        self.assertEqual(len(first["devices"]), 1)
        self.assertEqual(first["count"], everything["count"])
        self.assertEqual(
            [first["devices"][0]["id"], second["devices"][0]["id"]],
            [row["id"] for row in everything["devices"][:2]],
        )
        capped = self.api_get("rssi", limit=MAX_LIMIT + 1).json()
        self.assertEqual(capped["limit"], MAX_LIMIT)

    def test_auditor_given_the_hand_over_is_allowed_not_the_technician(self):
        # Every medical device role implies the auditor group: the IT hand-over
        # group tells them apart (see test_http_it_handover).
        self.assertIn(self.device_xp.id, self.api_ids("auditor"))
        response = self.api_get("technician")
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("ITAPI", response.text)

    def test_user_outside_the_groups_is_refused(self):
        response = self.api_get("internal")
        self.assertEqual(response.status_code, 403)
        self.assertIn("application/json", response.headers["Content-Type"])
        self.assertEqual(response.json()["error"]["status"], 403)
        self.assertNotIn("ITAPI", response.text)

    def test_invalid_or_missing_key_is_refused(self):
        for key in ("not-a-valid-key", f"{self.keys['rssi'][:-4]}0000", None):
            with self.subTest(key=key):
                response = self.api_get(key=key)
                self.assertEqual(response.status_code, 401)
                self.assertEqual(
                    response.headers.get("WWW-Authenticate", "").strip().lower(),
                    "bearer",
                )
                self.assertNotIn("ITAPI", response.text)

    def test_other_company_devices_are_not_returned(self):
        self.assertNotIn(self.device_other_company.id, self.api_ids("rssi"))
        # Record rules, not a filter of the controller: a user of both
        # hospitals sees both fleets.
        self.assertIn(self.device_other_company.id, self.api_ids("auditor"))

    # ------------------------------------------------------------ exports
    def test_csv_export(self):
        self.login("rssi")
        response = self.url_open(CSV_URL)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertTrue(response.content.startswith(b"\xef\xbb\xbf"), "BOM")
        self.assertIn("text/csv", response.headers["Content-Type"])
        disposition = response.headers["Content-Disposition"]
        self.assertIn("attachment", disposition)
        self.assertIn(
            f"cyber-matrix-{fields.Date.today().isoformat()}.csv", disposition
        )
        text = response.content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        self.assertEqual(rows[0], column_labels(self.env))
        self.assertEqual(rows[0][:3], ["ID", "Equipment Name", "Serial Number"])
        by_id = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
        xp = by_id[str(self.device_xp.id)]
        self.assertEqual(xp["Serial Number"], "ITAPI-XP")
        self.assertEqual(xp["Operating system"], "Windows XP test")
        self.assertEqual(xp["Antivirus"], "None")
        self.assertEqual(xp["Internet Access"], "Yes")
        self.assertEqual(xp["Remote maintenance channel"], "Uncontrolled")
        self.assertEqual(xp["Last patch"], "2020-01-15")
        self.assertEqual(
            xp["Security updates installed by"],
            "The manufacturer or its authorised service",
        )
        self.assertEqual(xp["Updates installed remotely"], "Yes")
        self.assertNotIn(str(self.device_offline.id), by_id)

    def test_csv_export_with_query(self):
        self.login("rssi")
        response = self.url_open(CSV_URL, params={"query": "no_antivirus"})
        self.assertEqual(response.status_code, 200, response.text)
        self.assertIn(
            "cyber-matrix-no-antivirus-", response.headers["Content-Disposition"]
        )
        text = response.content.decode("utf-8-sig")
        ids = {row[0] for row in csv.reader(io.StringIO(text), delimiter=";")}
        self.assertIn(str(self.device_xp.id), ids)
        self.assertNotIn(str(self.device_ok.id), ids)

    def test_xlsx_export(self):
        self.login("auditor")
        response = self.url_open(XLSX_URL)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertIn(".xlsx", response.headers["Content-Disposition"])
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        sheet = workbook.active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(list(rows[0]), column_labels(self.env))
        by_id = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
        xp = by_id[self.device_xp.id]
        self.assertEqual(xp["Serial Number"], "ITAPI-XP")
        self.assertEqual(xp["Obsolete OS"], "Yes")
        self.assertEqual(xp["Last patch"], datetime(2020, 1, 15))
        self.assertEqual(xp["Cyber risk score"], self.device_xp.cyber_risk_score)
        self.assertIn(self.device_other_company.id, by_id, "auditor of both")

    def test_exports_neutralise_formulas(self):
        """Texts a spreadsheet would run (``=HYPERLINK(…)``…) are exported
        behind a ``'``, as texts; numbers and dates stay typed."""
        os_version = self.env["dm.os.version"].create(
            {"vendor": "IT API test", "product": "@SUM(A1)", "version": "hostile"}
        )
        hostile = {
            "Equipment Name": '=HYPERLINK("http://x","y")',
            "Serial Number": "+1+1",
            "Location": "-2+3",
            "Network zone / VLAN": "\t=1",
            "Operating system": "@SUM(A1) hostile",
        }
        device = self.env["maintenance.equipment"].create(
            {
                "name": hostile["Equipment Name"],
                "serial_no": hostile["Serial Number"],
                "location": hostile["Location"],
                "network_zone": hostile["Network zone / VLAN"],
                "os_version_id": os_version.id,
                "is_medical_device": True,
                "dm_kind": "dm",
                "is_connected": True,
                "last_patch_date": date(2020, 1, 15),
            }
        )
        self.login("rssi")
        text = self.url_open(CSV_URL).content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        for row in rows:
            for cell in row:
                self.assertFalse(cell.startswith(FORMULA_PREFIXES), repr(cell))
        by_id = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
        exported = by_id[str(device.id)]
        for label, value in hostile.items():
            self.assertEqual(exported[label], "'" + value, label)
        self.assertEqual(exported["Last patch"], "2020-01-15")

        content = self.url_open(XLSX_URL).content
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            self.assertNotIn("<f>", archive.read("xl/worksheets/sheet1.xml").decode())
        rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.values)
        for row in rows:
            for cell in row:
                if isinstance(cell, str):
                    self.assertFalse(cell.startswith(FORMULA_PREFIXES), repr(cell))
        by_id = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
        exported = by_id[device.id]
        for label, value in hostile.items():
            self.assertEqual(exported[label], "'" + value, label)
        self.assertEqual(exported["ID"], device.id)
        self.assertEqual(exported["Last patch"], datetime(2020, 1, 15))
        self.assertEqual(exported["Cyber risk score"], device.cyber_risk_score)

    def test_exports_refuse_users_outside_the_groups(self):
        self.login("internal")
        for url in (CSV_URL, XLSX_URL):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 403)
                self.assertNotIn("ITAPI", response.text)

    # ------------------------------------------------------------ one definition
    def test_queries_are_the_saved_filters(self):
        filters = self.env["ir.filters"].search(
            [("model_id", "=", "maintenance.equipment"), ("name", "=like", "IT: %")]
        )
        self.assertEqual(len(filters), len(IT_QUERIES))
        for query, domain in IT_QUERIES.items():
            with self.subTest(query=query):
                saved = self.env.ref(f"dm_cyber.filter_it_{query}")
                self.assertEqual(ast.literal_eval(saved.domain), domain)

    def test_columns_and_rows_agree(self):
        row = cyber_matrix_rows(self.env, [("id", "=", self.device_xp.id)])[0]
        flat_keys = {key for key, _model, _field in COLUMNS}
        nested = {f"os_{key}" for key in row["os"]}
        self.assertEqual(flat_keys, (set(row) - {"os"}) | nested)

    def test_rows_read_in_constant_queries(self):
        rssi_env = self.env(user=self.users["rssi"])
        more = self.env["maintenance.equipment"]
        for index in range(4):
            os_version = self.env["dm.os.version"].create(
                {"vendor": "IT API test", "product": "OS", "version": str(index)}
            )
            more |= self.device_ok.copy(
                {"serial_no": f"ITAPI-N{index}", "os_version_id": os_version.id}
            )

        def queries(devices):
            domain = [*BASE_DOMAIN, ("id", "in", devices.ids)]
            rssi_env.invalidate_all()
            before = self.cr.sql_log_count
            rows = cyber_matrix_rows(rssi_env, domain)
            self.assertEqual(len(rows), len(devices))
            return self.cr.sql_log_count - before

        self.env.flush_all()
        queries(self.device_ok)  # warm the caches (rules, groups)
        self.assertEqual(queries(self.device_ok), queries(self.device_ok | more))
