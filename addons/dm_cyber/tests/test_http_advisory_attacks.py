"""The attacks of test_advisory_attacks.py through JSON-RPC, as a browser or
a script sends them (an HttpCase: Odoo's runner runs it, tag dm_http)."""

import json

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install", "dm_http")
class TestHttpAdvisoryAttacks(HttpCase):
    """The same attacks through JSON-RPC, as a browser or a script sends them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.technician = new_test_user(
            cls.env, login="rpc_adv_tech", groups="medical_device.group_dm_technician"
        )
        cls.rssi = new_test_user(
            cls.env, login="rpc_adv_rssi", groups="medical_device.group_dm_rssi"
        )
        cls.cve = cls.env["dm.cve"].create({"name": "CVE-2098-0001"})

    def call(self, model, method, args, kwargs=None):
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": model,
                        "method": method,
                        "args": args,
                        "kwargs": kwargs or {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        return response.json()

    def test_rpc_attacks(self):
        for login in ("rpc_adv_tech", "rpc_adv_rssi"):
            self.authenticate(login, login)
            with self.subTest(login=login):
                answer = self.call(
                    "dm.cve",
                    "write",
                    [[self.cve.id], {"known_exploited": True, "epss_score": 0.9}],
                )
                self.assertIn("error", answer)
                answer = self.call(
                    "dm.advisory",
                    "create",
                    [{"name": "RPC-1"}],
                    {"context": {"default_source_kind": "csaf"}},
                )
                self.assertIn("error", answer)
                # The importer is not a public method.
                answer = self.call(
                    "dm.advisory.importer", "_dm_import_file", [b"{}".decode()]
                )
                self.assertIn("error", answer)
        self.cve.invalidate_recordset()
        self.assertFalse(self.cve.known_exploited or self.cve.epss_score)
        self.assertFalse(self.env["dm.advisory"].search([("name", "=", "RPC-1")]))
