from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from ..models.dm_reception import RECEPTION_CRITERIA
from .common import pieu_levels, train_device


@tagged("post_install", "-at_install", "dm_http")
class TestPlanGateOverRpc(HttpCase):
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
        cls.device = (
            env["maintenance.equipment"]
            .with_user(engineer)
            .create(
                {
                    "name": "Mammograph RPC",
                    "is_medical_device": True,
                    "serial_no": "MG-RPC-1",
                    "acquisition_mode": "purchase",
                    "acq_ce_checked": True,
                    "acq_training_planned": True,
                    "is_ionising": True,
                    "imaging_modality": "mammography",
                }
            )
        )
        cls.device.with_user(cls.technician).action_to_reception()
        cls.device.with_user(cls.technician).write(
            {
                "dm_risk_class": "iib",
                "ce_regime": "mdr",
                "notified_body_number": "0123",
                "ce_certificate_ref": "CE-MDR-42",
            }
        )
        train_device(env, cls.device)
        reception = (
            env["dm.reception"]
            .with_user(cls.technician)
            .create(
                {
                    "equipment_id": cls.device.id,
                    **pieu_levels(env, "0_01", "0_01", 3, 1),
                    **dict.fromkeys(RECEPTION_CRITERIA, True),
                }
            )
        )
        reception.action_submit()
        reception.with_user(engineer).action_accept()

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
