"""Multi-company over HTTP: a user of hospital A, with a session or an API key,
never receives anything of hospital B from the IT JSON endpoint, the CSV and
XLSX hand-over, the QWeb reports, the file downloads or JSON-RPC with a hostile
``allowed_company_ids`` (the ORM side is tests/test_multi_company.py)."""

import base64
import io
import zipfile
from datetime import datetime, timedelta

from odoo import fields
from odoo.addons.medical_device.tests.common import ROLE_GROUPS as ROLES
from odoo.addons.medical_device.tests.figures import record_figure
from odoo.addons.medical_device.tests.test_fleet_import import device_row, to_csv
from odoo.tests import HttpCase, new_test_user, tagged

from ..controllers.main import IT_QUERIES

API_URL = "/dm_cyber/api/v1/cyber-matrix"
EXPORT_URLS = (
    "/dm_cyber/export/cyber-matrix.csv",
    "/dm_cyber/export/cyber-matrix.xlsx",
)
# In every name of company B: finding it in a response is a leak.
SECRET = "Quetzal"


@tagged("post_install", "-at_install", "dm_http")
class TestHttpMultiCompany(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context=dict(cls.env.context, lang="en_US"))
        cls.env = env
        cls.company_a = env.company
        cls.company_b = env["res.company"].create({"name": f"Clinique {SECRET}"})
        cls.users = {
            role: new_test_user(
                env,
                login=f"http_mc_{role}",
                groups=group,
                company_id=cls.company_a.id,
                company_ids=[(6, 0, cls.company_a.ids)],
            )
            for role, group in ROLES.items()
        }
        expiration = datetime.now() + timedelta(days=0.5)
        cls.keys = {
            role: env["res.users.apikeys"]
            .with_user(user)
            ._generate("rpc", "IT tools", expiration)
            for role, user in cls.users.items()
        }
        user_b = new_test_user(
            env,
            login="http_mc_b",
            groups="medical_device.group_dm_engineer",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )
        env_b = env(context=dict(env.context, allowed_company_ids=cls.company_b.ids))
        os_version = env["dm.os.version"].create(
            {
                "vendor": "HTTP multi-company test",
                "product": "Windows",
                "version": "XP mc",
                "end_of_support": fields.Date.today() - timedelta(days=400),
                "older_than_windows_10": True,
            }
        )
        # A connected device of B that every IT query of the hand-over matches.
        cls.devices_b = env_b["maintenance.equipment"].create(
            {
                "name": f"{SECRET} CT scanner",
                "serial_no": f"{SECRET}-1",
                "company_id": cls.company_b.id,
                "is_medical_device": True,
                "dm_kind": "dm",
                "location": f"{SECRET} radiology",
                "is_connected": True,
                "os_version_id": os_version.id,
                "antivirus": "none",
                "internet_access": True,
                "patient_data": True,
                "remote_maintenance_channel": "uncontrolled",
            }
        )
        cls.reception_b = env_b["dm.reception"].create(
            {"equipment_id": cls.devices_b.id, "received_by_id": user_b.id}
        )
        cls.disposal_b = env_b["dm.disposal"].create({"equipment_id": cls.devices_b.id})
        cls.attachment_b = env_b["ir.attachment"].create(
            {
                "name": f"{SECRET}.txt",
                "raw": f"{SECRET} file".encode(),
                "res_model": "maintenance.equipment",
                "res_id": cls.devices_b.id,
            }
        )
        fleet_import = (
            env_b["dm.fleet.import"]
            .with_user(user_b)
            .create(
                {
                    "file": base64.b64encode(
                        to_csv([device_row(f"{SECRET}-2", Désignation=SECRET, I="9")])
                    ),
                    "filename": f"{SECRET}.csv",
                }
            )
        )
        fleet_import.action_import()
        cls.import_b = fleet_import.sudo()
        cls.leaks = []
        cls.probes = 0

    # ------------------------------------------------------------ helpers
    def check(self, channel, role, response, refused=(401, 403, 404)):
        """A response leaks when it succeeds with B's data in it."""
        type(self).probes += 1
        if response.status_code in refused:
            return
        body = response.content
        if response.headers.get("Content-Type", "").startswith(
            "application/vnd.openxmlformats"
        ):
            with zipfile.ZipFile(io.BytesIO(body)) as book:
                body = b"".join(book.read(name) for name in book.namelist())
        if SECRET.encode() in body or str(self.devices_b.id) in self._ids(response):
            self.leaks.append(f"{channel} as {role}: {response.status_code}")

    def _ids(self, response):
        if not response.headers.get("Content-Type", "").startswith("application/json"):
            return set()
        devices = (response.json() or {}).get("devices") or []
        return {str(row["id"]) for row in devices}

    # ------------------------------------------------------------ the test
    def test_company_a_receives_nothing_of_company_b(self):
        self.assertTrue(self.import_b.error_report, "B's import has an error report")
        for role, user in self.users.items():
            # The IT JSON endpoint, with the role's API key, for every query.
            headers = {"Authorization": f"Bearer {self.keys[role]}"}
            for query in (None, *IT_QUERIES):
                params = {"query": query} if query else {}
                response = self.url_open(API_URL, headers=headers, params=params)
                self.check(f"API {query or 'all'}", role, response)
                if response.status_code == 200:
                    # The count is the user's company's: B's device is not in it.
                    count = response.json()["count"]
                    a_count = self.env["maintenance.equipment"].search_count(
                        [
                            ("company_id", "in", [self.company_a.id, False]),
                            ("is_medical_device", "=", True),
                            ("is_connected", "=", True),
                            *IT_QUERIES.get(query, []),
                        ]
                    )
                    type(self).probes += 1
                    if count != a_count:
                        self.leaks.append(f"API count as {role}: {count}")
            # The browser's session: exports, reports, downloads, JSON-RPC.
            self.authenticate(user.login, user.login)
            for url in EXPORT_URLS:
                self.check(url, role, self.url_open(url))
            for report, record in (
                ("medical_device.report_dm_reception", self.reception_b),
                ("dm_cyber.report_dm_erasure_certificate", self.disposal_b),
            ):
                response = self.url_open(f"/report/html/{report}/{record.id}")
                self.check(report, role, response, refused=(401, 403, 404, 500))
            self.check(
                "error report download",
                role,
                self.url_open(
                    f"/web/content/dm.fleet.import/{self.import_b.id}/error_report"
                    "?download=true"
                ),
            )
            self.check(
                "attachment download",
                role,
                self.url_open(f"/web/content/{self.attachment_b.id}?download=true"),
            )
            response = self.url_open(
                "/web/dataset/call_kw/maintenance.equipment/search_read",
                json={
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": "maintenance.equipment",
                        "method": "search_read",
                        "args": [[("id", "=", self.devices_b.id)], ["name"]],
                        "kwargs": {
                            "context": {
                                "allowed_company_ids": [
                                    self.company_a.id,
                                    self.company_b.id,
                                ]
                            }
                        },
                    },
                },
            )
            self.check("JSON-RPC hostile allowed_company_ids", role, response)
        record_figure(
            "multi_company_http",
            roles=len(self.users),
            probes=self.probes,
            leaks_found=len(self.leaks),
        )
        self.assertFalse(self.leaks, "\n".join(self.leaks))
