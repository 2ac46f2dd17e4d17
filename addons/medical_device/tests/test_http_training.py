from odoo.tests import new_test_user, tagged
from odoo.tests.common import JsonRpcException

from ..models.dm_reception import RECEPTION_CRITERIA
from .common import DmHttpCase, pieu_levels


@tagged("post_install", "-at_install", "dm_http")
class TestTrainingOverRpc(DmHttpCase):
    """A reception's user training comes from the register: attacked over
    JSON-RPC as the technician's browser session would, then met by recording
    a session over the same path."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.technician = new_test_user(
            env, login="test_training_tech", groups="medical_device.group_dm_technician"
        )
        cls.engineer = new_test_user(
            env, login="test_training_eng", groups="medical_device.group_dm_engineer"
        )
        cls.device = (
            env["maintenance.equipment"]
            .with_user(cls.engineer)
            .create(
                {
                    "name": "Pump RPC",
                    "model": "Pump RPC model",
                    "is_medical_device": True,
                    "serial_no": "PUMP-RPC-1",
                    "acquisition_mode": "purchase",
                    "acq_ce_checked": True,
                    "acq_training_planned": True,
                }
            )
        )
        cls.device.with_user(cls.technician).action_to_reception()
        cls.employee = env["hr.employee"].create({"name": "RPC nurse"})

    def test_technician_cannot_tick_the_training_over_rpc(self):
        self.authenticate("test_training_tech", "test_training_tech")
        vals = {
            "equipment_id": self.device.id,
            **pieu_levels(self.env, 1, 2, 3, 2),
            **dict.fromkeys(RECEPTION_CRITERIA, True),
        }
        forged_context = {
            "context": {
                "default_check_training_done": True,
                "default_training_session_id": 1,
            }
        }
        reception_id = self.call("dm.reception", "create", [vals], forged_context)
        reception = self.env["dm.reception"].browse(reception_id)
        self.assertFalse(reception.check_training_done)
        self.assertFalse(reception.training_session_id)
        for attempt in (
            {"check_training_done": True},
            {"training_session_id": 1},
        ):
            with self.subTest(attempt=attempt):
                with self.assertRaises(JsonRpcException) as caught:
                    self.call("dm.reception", "write", [[reception_id], attempt])
                self.assertEqual(caught.exception.args[0], "odoo.exceptions.UserError")
        with self.assertRaises(JsonRpcException):
            self.call("dm.reception", "create", [{**vals, "check_training_done": True}])
        reception.invalidate_recordset()
        self.assertFalse(reception.check_training_done)
        # The training session, recorded over the same path, meets it.
        session_id = self.call(
            "dm.training.session",
            "create",
            [
                {
                    "device_model": "pump rpc MODEL",
                    "trainer_kind": "supplier",
                    "trainer_name": "Supplier trainer",
                    "attendee_ids": [[6, 0, self.employee.ids]],
                }
            ],
        )
        reception.invalidate_recordset()
        self.assertTrue(reception.check_training_done)
        self.assertEqual(reception.training_session_id.id, session_id)
        self.call("dm.reception", "action_submit", [[reception_id]])
        reception.with_user(self.engineer).action_accept()
        self.assertEqual(reception.state, "accepted")
        # The expiry of the session is the server's.
        with self.assertRaises(JsonRpcException):
            self.call(
                "dm.training.session",
                "write",
                [[session_id], {"expiry_date": "2099-12-31"}],
            )
