"""Browser tests: the lifecycle kanban driven by a real user, and the lifecycle gate
reached through the JSON-RPC route of the web client."""

import json

from odoo.tests import HttpCase, new_test_user, tagged

from ..models.dm_reception import RECEPTION_CRITERIA
from .common import pieu_levels, train_device


@tagged("post_install", "-at_install", "dm_browser")
class TestLifecycleTour(HttpCase):
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
        cls.device = cls._create_received_device("Tour Syringe Pump", "TOUR-SP-0001")
        train_device(cls.env, cls.device)
        reception = cls.env["dm.reception"].create(
            {
                "equipment_id": cls.device.id,
                **cls.pieu_vals,
                **dict.fromkeys(RECEPTION_CRITERIA, True),
            }
        )
        # Submitted by OdooBot, accepted by admin: four eyes.
        reception.action_submit()
        reception.with_user(cls.admin).action_accept()

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
