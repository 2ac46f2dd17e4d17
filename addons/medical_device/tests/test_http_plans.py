from odoo.tests import new_test_user, tagged
from odoo.tests.common import JsonRpcException

from .common import DmHttpCase, pieu_levels


@tagged("post_install", "-at_install", "dm_http")
class TestPlanGateOverRpc(DmHttpCase):
    """The in-service gate of the mandatory plans, attacked over JSON-RPC as
    the technician's browser session would."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.technician = new_test_user(
            env, login="test_plans_tech", groups="medical_device.group_dm_technician"
        )
        engineer = new_test_user(
            env, login="test_plans_eng", groups="medical_device.group_dm_engineer"
        )
        cls.device = cls.device_received(
            technician=cls.technician,
            engineer=engineer,
            pieu=pieu_levels(env, "0_01", "0_01", 3, 1),
            name="Mammograph RPC",
            serial_no="MG-RPC-1",
            is_ionising=True,
            imaging_modality="mammography",
        )

    def call(self, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/maintenance.equipment/{method}",
            {
                "model": "maintenance.equipment",
                "method": method,
                "args": args,
                "kwargs": kwargs or {},
            },
        )

    def test_technician_cannot_put_in_service_without_the_plans(self):
        self.authenticate("test_plans_tech", "test_plans_tech")
        forged = {"context": {"dm_plan_sync": True, "default_dm_performer": "internal"}}
        attempts = (
            ("action_put_in_service", [[self.device.id]], forged),
            ("write", [[self.device.id], {"lifecycle_state": "in_service"}], forged),
            ("write", [[self.device.id], {"quality_control_obligatory": False}], {}),
            ("write", [[self.device.id], {"maintenance_obligatory": False}], {}),
        )
        for method, args, kwargs in attempts:
            with self.subTest(method=method, args=args):
                with self.assertRaises(JsonRpcException) as caught:
                    self.call(method, args, kwargs)
                self.assertIn(caught.exception.args[0], ("odoo.exceptions.UserError",))
        self.device.invalidate_recordset()
        self.assertEqual(self.device.lifecycle_state, "reception")
        self.assertTrue(self.device.quality_control_obligatory)
        # Completed plans open the gate, over the same path.
        plans = self.device.maintenance_plan_ids
        self.make_jsonrpc_request(
            "/web/dataset/call_kw/maintenance.plan/write",
            {
                "model": "maintenance.plan",
                "method": "write",
                "args": [
                    plans.filtered(lambda p: p.dm_nature != "qc_external").ids,
                    {"dm_performer": "internal"},
                ],
                "kwargs": {},
            },
        )
        partner = self.env["res.partner"].create({"name": "OQC"})
        self.make_jsonrpc_request(
            "/web/dataset/call_kw/maintenance.plan/write",
            {
                "model": "maintenance.plan",
                "method": "write",
                "args": [
                    plans.filtered(lambda p: p.dm_nature == "qc_external").ids,
                    {"dm_performer": "contractor", "dm_contractor_id": partner.id},
                ],
                "kwargs": {},
            },
        )
        self.call("action_put_in_service", [[self.device.id]])
        self.device.invalidate_recordset()
        self.assertEqual(self.device.lifecycle_state, "in_service")
