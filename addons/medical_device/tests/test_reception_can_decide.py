"""Accept / Reject on a reception report show only to whom the engine lets
decide: the submitter (four eyes) and roles outside the reviewer group do not
see them, then meet an error after the click."""

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import RECEPTION_CRITERIA, MedicalDeviceCase


@tagged("post_install", "-at_install")
class TestReceptionCanDecide(MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_engineer = new_test_user(
            cls.env,
            login="test_dm_engineer_b",
            groups="medical_device.group_dm_engineer",
        )

    def submitted_by(self, user):
        device = self.create_device()
        device.with_user(self.users["technician"]).action_to_reception()
        device.write(self._regulatory_vals())
        self.train_users(device)
        vals = {"equipment_id": device.id, **self.pieu_syringe_pump}
        vals.update(dict.fromkeys(RECEPTION_CRITERIA, True))
        reception = self.env["dm.reception"].with_user(user).create(vals)
        reception.action_submit()
        return reception

    def can_decide(self, reception, user):
        return reception.with_user(user).can_decide

    def test_the_submitter_does_not_see_accept(self):
        engineer = self.users["engineer"]
        reception = self.submitted_by(engineer)
        self.assertFalse(self.can_decide(reception, engineer))
        # and the server refuses what the button would do
        with self.assertRaises(UserError):
            reception.with_user(engineer).action_accept()
        self.assertTrue(self.can_decide(reception, self.other_engineer))

    def test_roles_outside_the_reviewers_do_not_see_accept(self):
        reception = self.submitted_by(self.users["technician"])
        self.assertTrue(self.can_decide(reception, self.users["engineer"]))
        for role in ("technician", "pharmacist", "rssi", "dpo", "auditor"):
            with self.subTest(role=role):
                user = self.users[role]
                self.assertFalse(self.can_decide(reception, user))
                with self.assertRaises(UserError):  # AccessError is one
                    reception.with_user(user).action_accept()

    def test_a_decided_report_offers_no_decision(self):
        reception = self.submitted_by(self.users["technician"])
        reception.with_user(self.users["engineer"]).action_accept()
        self.assertEqual(reception.state, "accepted")
        self.assertFalse(self.can_decide(reception, self.other_engineer))
