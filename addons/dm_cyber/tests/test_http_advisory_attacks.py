"""The attacks of test_advisory_attacks.py through JSON-RPC, as a browser or
a script sends them (an HttpCase: Odoo's runner runs it, tag dm_http)."""

from odoo.addons.medical_device.tests.common import DmHttpCase
from odoo.tests import new_test_user, tagged
from odoo.tests.common import JsonRpcException


@tagged("post_install", "-at_install", "dm_http")
class TestHttpAdvisoryAttacks(DmHttpCase):
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

    def test_rpc_attacks(self):
        for login in ("rpc_adv_tech", "rpc_adv_rssi"):
            self.authenticate(login, login)
            with self.subTest(login=login):
                with self.assertRaises(JsonRpcException):
                    self.call(
                        "dm.cve",
                        "write",
                        [[self.cve.id], {"known_exploited": True, "epss_score": 0.9}],
                    )
                with self.assertRaises(JsonRpcException):
                    self.call(
                        "dm.advisory",
                        "create",
                        [{"name": "RPC-1"}],
                        {"context": {"default_source_kind": "csaf"}},
                    )
                # The importer is not a public method.
                with self.assertRaises(JsonRpcException):
                    self.call(
                        "dm.advisory.importer", "_dm_import_file", [b"{}".decode()]
                    )
        self.cve.invalidate_recordset()
        self.assertFalse(self.cve.known_exploited or self.cve.epss_score)
        self.assertFalse(self.env["dm.advisory"].search([("name", "=", "RPC-1")]))
