from odoo import fields
from odoo.tests import new_test_user, tagged
from odoo.tests.common import JsonRpcException

from .common import DmHttpCase, pieu_levels


@tagged("post_install", "-at_install", "dm_http")
class TestQcOverRpc(DmHttpCase):
    """A failed mandatory quality control, attacked over JSON-RPC as the
    technician's and the engineer's browser sessions would: no forged
    result, no use resumed, no override without the engineer's role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.technician = new_test_user(
            env, login="qc_rpc_tech", groups="medical_device.group_dm_technician"
        )
        cls.engineer = new_test_user(
            env, login="qc_rpc_eng", groups="medical_device.group_dm_engineer"
        )
        # sudo: a device already in service, as a data load brings it.
        cls.device = (
            env["maintenance.equipment"]
            .sudo()
            .create(
                {
                    "name": "Mammograph QC RPC",
                    "is_medical_device": True,
                    "serial_no": "QC-RPC-1",
                    "dm_risk_class": "iib",
                    "is_ionising": True,
                    "imaging_modality": "mammography",
                    "lifecycle_state": "in_service",
                    **pieu_levels(env, "0_01", "0_01", 3, 1),
                }
            )
        )
        plan = (
            env["maintenance.plan"]
            .with_user(cls.technician)
            .create(
                {
                    "name": "Monthly QC",
                    "equipment_id": cls.device.id,
                    "dm_nature": "qc_internal",
                    "interval": 1,
                    "interval_step": "month",
                    "dm_performer": "internal",
                }
            )
        )
        test = (
            env["dm.qc.test"]
            .with_user(cls.technician)
            .create(
                {
                    "plan_id": plan.id,
                    "name": "Dose",
                    "reference": 1.6,
                    "tolerance": 0.1,
                    "action_level": 0.3,
                }
            )
        )
        cls.plan = plan
        cls.failed = (
            env["maintenance.request"]
            .with_user(cls.technician)
            .create(
                {
                    "name": "QC",
                    "equipment_id": cls.device.id,
                    "maintenance_plan_id": plan.id,
                }
            )
        )
        env["dm.qc.measure"].with_user(cls.technician).create(
            {"request_id": cls.failed.id, "test_id": test.id, "value": 2.5}
        )

    def test_no_route_back_over_rpc(self):
        self.assertEqual(self.failed.operation_result, "non_compliant")
        self.assertTrue(self.device.dm_use_suspended)
        now = fields.Datetime.to_string(fields.Datetime.now())
        request = "maintenance.request"
        for login in ("qc_rpc_tech", "qc_rpc_eng"):
            self.authenticate(login, login)
            for args, kwargs in (
                ([[self.failed.id], {"operation_result": "compliant"}], {}),
                ([[self.failed.id], {"use_resumed_on": now}], {}),
                ([[self.failed.id], {"archive": True}], {}),
                ([[self.failed.id], {"use_stopped_on": False}], {}),
            ):
                with (
                    self.subTest(login=login, args=args),
                    self.assertRaises(JsonRpcException),
                ):
                    self.call(request, "write", args, kwargs)
            with self.subTest(login=login), self.assertRaises(JsonRpcException):
                self.call(
                    request,
                    "create",
                    [
                        {
                            "name": "Forged QC",
                            "equipment_id": self.device.id,
                            "maintenance_plan_id": self.plan.id,
                        }
                    ],
                    {"context": {"default_operation_result": "compliant"}},
                )
        self.authenticate("qc_rpc_tech", "qc_rpc_tech")
        with self.assertRaises(JsonRpcException):
            self.call(
                "dm.qc.override",
                "create",
                [{"plan_id": self.plan.id, "reason": "Please"}],
            )
        self.env.invalidate_all()
        self.assertEqual(self.failed.operation_result, "non_compliant")
        self.assertFalse(self.failed.use_resumed_on)
        self.assertFalse(self.failed.archive)
        self.assertTrue(self.device.dm_use_suspended)
        self.assertFalse(self.env["dm.qc.override"].search([]))
