from odoo.tests import new_test_user, tagged
from odoo.tests.common import JsonRpcException

from .common import DmHttpCase


@tagged("post_install", "-at_install", "dm_http")
class TestQuarantineOverRpc(DmHttpCase):
    """The quarantine gate of a safety notice, attacked over JSON-RPC as the
    technician's browser session would: the device stays out of service
    until its action is done, whatever the call or the context."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.technician = new_test_user(
            env, login="test_vig_tech", groups="medical_device.group_dm_technician"
        )
        engineer = new_test_user(
            env, login="test_vig_eng", groups="medical_device.group_dm_engineer"
        )
        pharmacist = new_test_user(
            env, login="test_vig_pharma", groups="medical_device.group_dm_pharmacist"
        )
        cls.device = cls.device_received(
            technician=cls.technician,
            engineer=engineer,
            name="Ventilator RPC",
            serial_no="VIG-RPC-0042",
        )
        cls.notice = (
            env["dm.vigilance.notice"]
            .with_user(pharmacist)
            .create(
                {
                    "name": "FSN-RPC",
                    "title": "Valve",
                    "required_action": "quarantine",
                    "serial_ranges": "VIG-RPC-0001-VIG-RPC-0099",
                }
            )
        )
        cls.notice.with_user(pharmacist).action_match()
        cls.action = cls.notice.action_ids

    def test_quarantine_holds_over_rpc(self):
        self.assertEqual(self.action.equipment_id, self.device)
        self.authenticate("test_vig_tech", "test_vig_tech")
        device, action = self.device.id, self.action.id
        forged = {"context": {"default_state": "done", "default_lifecycle_state": "x"}}
        attempts = (
            ("maintenance.equipment", "action_put_in_service", [[device]], forged),
            (
                "maintenance.equipment",
                "write",
                [[device], {"lifecycle_state": "in_service"}],
                forged,
            ),
            (
                "maintenance.equipment",
                "write",
                [[device], {"dm_quarantined": False}],
                {},
            ),
            ("dm.vigilance.action", "write", [[action], {"state": "done"}], {}),
            (
                "dm.vigilance.action",
                "write",
                [[action], {"done_by_id": self.technician.id}],
                forged,
            ),
            (
                "dm.vigilance.action",
                "create",
                [{"notice_id": self.notice.id, "equipment_id": device}],
                forged,
            ),
            ("dm.vigilance.action", "action_not_applicable", [[action]], {}),
            ("dm.vigilance.action", "unlink", [[action]], {}),
            ("dm.vigilance.notice", "action_close", [[self.notice.id]], {}),
        )
        for model, method, args, kwargs in attempts:
            with self.subTest(model=model, method=method, args=args):
                with self.assertRaises(JsonRpcException) as caught:
                    self.call(model, method, args, kwargs)
                self.assertIn(
                    caught.exception.args[0],
                    ("odoo.exceptions.UserError", "odoo.exceptions.AccessError"),
                )
        self.env.invalidate_all()
        self.assertEqual(self.device.lifecycle_state, "reception")
        self.assertEqual(self.action.state, "todo")
        self.assertTrue(self.device.dm_quarantined)
        # Done over the same path, the gate opens.
        self.call("dm.vigilance.action", "action_done", [[action]])
        self.call("maintenance.equipment", "action_put_in_service", [[device]])
        self.env.invalidate_all()
        self.assertEqual(self.action.state, "done")
        self.assertEqual(self.action.done_by_id, self.technician)
        self.assertEqual(self.device.lifecycle_state, "in_service")
