"""Browser tests: the lifecycle kanban driven by a real user, and the lifecycle gate
reached through the JSON-RPC route of the web client."""

import json

from odoo.tests import new_test_user, tagged

from .common import DmHttpCase, pieu_levels


@tagged("post_install", "-at_install", "dm_browser")
class TestLifecycleTour(DmHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pieu_vals = pieu_levels(cls.env, 1, 2, 3, 2)
        cls.regulatory_vals = {
            "dm_risk_class": "iib",
            "ce_regime": "mdr",
            "notified_body_number": "0123",
            "ce_certificate_ref": "CE-MDR-TOUR-1",
        }
        cls.admin = cls.env.ref("base.user_admin")
        # A received device whose reception report was accepted: ready to be put
        # in service from the kanban.
        # Submitted by OdooBot, accepted by admin: four eyes.
        cls.device = cls.device_received(
            name="Tour Syringe Pump",
            serial_no="TOUR-SP-0001",
            dm_kind="dm",
            common_name="Syringe pump",
            ce_certificate_ref="CE-MDR-TOUR-1",
        )

    @classmethod
    def _create_received_device(cls, name, serial_no, **extra):
        device = cls.env["maintenance.equipment"].create(
            {
                "name": name,
                "is_medical_device": True,
                "dm_kind": "dm",
                "serial_no": serial_no,
                "common_name": "Syringe pump",
                "acquisition_mode": "purchase",
                "acq_ce_checked": True,
                "acq_training_planned": True,
            }
        )
        device.write({**cls.regulatory_vals, **extra})
        device.action_to_reception()
        return device

    def test_lifecycle_tour(self):
        self.assertEqual(self.device.lifecycle_state, "reception")
        self.assertTrue(self.device.reception_accepted)
        self.assertFalse(self.device.commissioning_date)

        self.start_tour(
            "/odoo/medical-devices", "medical_device_lifecycle_tour", login="admin"
        )

        self.env.invalidate_all()
        self.assertEqual(self.device.lifecycle_state, "in_service")
        self.assertTrue(self.device.commissioning_date)

    def test_json_rpc_write_is_gated(self):
        """A technician's raw write() through the web client's RPC route cannot
        skip the accepted reception report."""
        login = "dm_tour_technician"
        new_test_user(
            self.env,
            login=login,
            password=login,
            groups="medical_device.group_dm_technician",
        )
        # Everything is there but the accepted reception report.
        device = self._create_received_device(
            "RPC Infusion Pump", "RPC-IP-0001", **self.pieu_vals
        )
        self.assertTrue(device.pieu_criticality)
        self.assertFalse(device.reception_accepted)

        self.authenticate(login, login)
        response = self.url_open(
            "/web/dataset/call_kw/maintenance.equipment/write",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "model": "maintenance.equipment",
                        "method": "write",
                        "args": [[device.id], {"lifecycle_state": "in_service"}],
                        "kwargs": {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        payload = response.json()
        self.assertNotIn("result", payload)
        error = payload["error"]["data"]
        self.assertEqual(error["name"], "odoo.exceptions.UserError")
        self.assertIn("reception report accepted", error["message"])
        self.assertIn("RPC Infusion Pump", error["message"])

        self.env.invalidate_all()
        self.assertEqual(device.lifecycle_state, "reception")
        self.assertFalse(device.commissioning_date)
