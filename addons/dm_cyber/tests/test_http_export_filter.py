"""The XLSX export of the cyber matrix holds what the list shows: the list's
current filter (``active_domain``) or its selected devices, through the list's
button (``action_export_cyber_matrix_xlsx``) and the export route. The filter
only narrows: it is combined with the hand-over's domain and the record rules,
and the route still requires the IT hand-over group."""

import io
import json
from urllib.parse import parse_qs, urlencode, urlparse

import openpyxl

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

XLSX = "/dm_cyber/export/cyber-matrix.xlsx"
CSV = "/dm_cyber/export/cyber-matrix.csv"
ACTION_DOMAIN = [("is_medical_device", "=", True), ("is_connected", "=", True)]
NO_ANTIVIRUS = [("antivirus", "=", "none")]
# In every name of company B: finding it in a file is a leak.
SECRET = "Quokka"


@tagged("post_install", "-at_install", "dm_http")
class TestExportFollowsTheFilter(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context=dict(cls.env.context, lang="en_US"))
        cls.env = env
        cls.company_a = env.company
        cls.company_b = env["res.company"].create({"name": f"Clinique {SECRET}"})
        cls.rssi = new_test_user(
            env,
            login="export_filter_rssi",
            groups="medical_device.group_dm_rssi",
            company_id=cls.company_a.id,
            company_ids=[(6, 0, cls.company_a.ids)],
        )
        cls.engineer = new_test_user(
            env,
            login="export_filter_engineer",
            groups="medical_device.group_dm_engineer",
            company_id=cls.company_a.id,
            company_ids=[(6, 0, cls.company_a.ids)],
        )
        # An RSSI of both hospitals, working in A only in the web client.
        cls.rssi_ab = new_test_user(
            env,
            login="export_filter_rssi_ab",
            groups="medical_device.group_dm_rssi",
            company_id=cls.company_a.id,
            company_ids=[(6, 0, (cls.company_a | cls.company_b).ids)],
        )
        Equipment = env["maintenance.equipment"]
        common = {"is_medical_device": True, "dm_kind": "dm", "is_connected": True}
        cls.no_av = Equipment.create(
            [
                {
                    **common,
                    "name": f"Filter pump {n}",
                    "serial_no": f"FILTER-NOAV-{n}",
                    "antivirus": "none",
                }
                for n in (1, 2)
            ]
        )
        cls.with_av = Equipment.create(
            {
                **common,
                "name": "Filter monitor",
                "serial_no": "FILTER-AV-1",
                "antivirus": "hospital",
            }
        )
        env_b = env(context=dict(env.context, allowed_company_ids=cls.company_b.ids))
        cls.device_b = env_b["maintenance.equipment"].create(
            {
                **common,
                "name": f"{SECRET} scanner",
                "serial_no": f"{SECRET}-1",
                "company_id": cls.company_b.id,
                "antivirus": "none",
            }
        )

    def serials(self, response):
        self.assertEqual(response.status_code, 200, response.text[:500])
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.values)
        column = rows[0].index("Serial Number")
        return {row[column] for row in rows[1:]}

    def button(self, ids, domain, company_ids=None):
        """Click the list's export button as the web client does: the list's
        domain in ``active_domain``, the selected records as ``ids``."""
        context = {"active_domain": domain, "active_model": "maintenance.equipment"}
        if company_ids:
            context["allowed_company_ids"] = company_ids
        return self.make_jsonrpc_request(
            "/web/dataset/call_button/maintenance.equipment/action_export_cyber_matrix_xlsx",
            {
                "model": "maintenance.equipment",
                "method": "action_export_cyber_matrix_xlsx",
                "args": [ids],
                "kwargs": {"context": context},
            },
        )

    def test_the_button_exports_the_filtered_list(self):
        self.authenticate("export_filter_rssi", "export_filter_rssi")
        action = self.button([], ACTION_DOMAIN + NO_ANTIVIRUS)
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertTrue(action["url"].startswith(XLSX))
        serials = self.serials(self.url_open(action["url"]))
        self.assertTrue(set(self.no_av.mapped("serial_no")) <= serials)
        self.assertNotIn("FILTER-AV-1", serials)
        self.assertNotIn(f"{SECRET}-1", serials)
        # what the list shows, as counted by the list itself
        shown = (
            self.env["maintenance.equipment"]
            .with_user(self.rssi)
            .search_count(ACTION_DOMAIN + NO_ANTIVIRUS)
        )
        self.assertEqual(len(serials), shown)

    def test_the_button_exports_the_selected_devices(self):
        self.authenticate("export_filter_rssi", "export_filter_rssi")
        action = self.button(self.no_av[:1].ids, ACTION_DOMAIN)
        self.assertEqual(self.serials(self.url_open(action["url"])), {"FILTER-NOAV-1"})
        # "select all" of a filter: the filter itself, not a list of ids
        everything = (
            self.env["maintenance.equipment"]
            .with_user(self.rssi)
            .search(ACTION_DOMAIN + NO_ANTIVIRUS)
        )
        action = self.button(everything.ids, ACTION_DOMAIN + NO_ANTIVIRUS)
        domain = json.loads(parse_qs(urlparse(action["url"]).query)["domain"][0])
        self.assertNotIn("id", [leaf[0] for leaf in domain if isinstance(leaf, list)])
        self.assertEqual(
            self.serials(self.url_open(action["url"])),
            set(everything.mapped("serial_no")),
        )

    def test_a_domain_cannot_reach_another_company(self):
        self.authenticate("export_filter_rssi", "export_filter_rssi")
        hostile = [
            [("company_id", "=", self.company_b.id)],
            [("id", "=", self.device_b.id)],
            [("serial_no", "=", f"{SECRET}-1")],
            ["|", ("active", "=", False), ("active", "=", True)],
            [("company_id.name", "ilike", SECRET)],
        ]
        for domain in hostile:
            for url in (XLSX, CSV):
                with self.subTest(domain=domain, url=url):
                    query = urlencode(
                        {"domain": json.dumps(domain), "company_ids": self.company_b.id}
                    )
                    response = self.url_open(f"{url}?{query}")
                    self.assertEqual(response.status_code, 200)
                    self.assertNotIn(SECRET.encode(), response.content)
        # through the button: B's device as the selection is refused, B's
        # company as the filter finds nothing
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self.button([self.device_b.id], ACTION_DOMAIN)
        action = self.button([], [("company_id", "=", self.company_b.id)])
        self.assertEqual(self.serials(self.url_open(action["url"])), set())

    def test_the_active_companies_of_the_client_are_kept(self):
        self.authenticate("export_filter_rssi_ab", "export_filter_rssi_ab")
        action = self.button([], ACTION_DOMAIN + NO_ANTIVIRUS, [self.company_a.id])
        serials = self.serials(self.url_open(action["url"]))
        self.assertIn("FILTER-NOAV-1", serials)
        self.assertNotIn(f"{SECRET}-1", serials)
        action = self.button(
            [], ACTION_DOMAIN + NO_ANTIVIRUS, [self.company_a.id, self.company_b.id]
        )
        self.assertIn(f"{SECRET}-1", self.serials(self.url_open(action["url"])))

    def test_the_filter_does_not_open_the_export_to_other_roles(self):
        self.authenticate("export_filter_engineer", "export_filter_engineer")
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self.button([], ACTION_DOMAIN)
        query = urlencode({"domain": json.dumps(ACTION_DOMAIN)})
        response = self.url_open(f"{XLSX}?{query}")
        self.assertEqual(response.status_code, 403)
        self.assertNotIn(b"FILTER-NOAV-1", response.content)

    def test_a_bad_filter_gets_a_clear_error(self):
        self.authenticate("export_filter_rssi", "export_filter_rssi")
        for domain in (
            "not json",
            "{}",
            '[["no_such_field", "=", 1]]',
            '[["name", "no-op", 1]]',
            '"a"',
        ):
            with self.subTest(domain=domain):
                response = self.url_open(f"{XLSX}?{urlencode({'domain': domain})}")
                self.assertEqual(response.status_code, 400)
                self.assertIn(b"not a valid filter", response.content)
