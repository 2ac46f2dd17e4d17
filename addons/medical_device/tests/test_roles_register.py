"""Who writes the maintenance register of a medical device: the biomedical
technicians and engineers only; an operation done is never deleted."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import MedicalDeviceCase

# Roles that read the register of a medical device and change nothing in it.
READERS = ("pharmacist", "rssi", "dpo", "auditor")
# Users without a medical device role.
OUTSIDERS = ("internal", "maintenance_manager")
HOSTILE = {"default_is_medical_device": False, "tracking_disable": True}


@tagged("post_install", "-at_install")
class TestRegisterRoles(MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Request = cls.env["maintenance.request"]
        cls.device = cls.Equipment.create(
            cls._acquisition_vals(serial_no="REG-ROLES-DM")
        )
        cls.plain = cls.Equipment.create(
            {"name": "Office printer", "serial_no": "REG-ROLES-PC"}
        )
        cls.done_stage = cls.env.ref("maintenance.stage_3")
        cls.new_stage = cls.env.ref("maintenance.stage_0")

    def dm_request(self, user=None, **vals):
        """An operation on the medical device, owned by ``user`` (so that the
        core "own requests" rule lets the user reach it: the gate tested is
        ours)."""
        owner = self.users[user] if user else self.env.user
        return self.Request.create(
            {
                "name": "Pump occlusion alarm",
                "equipment_id": self.device.id,
                "owner_user_id": owner.id,
                **vals,
            }
        )

    def test_users_without_role_cannot_write_the_register(self):
        for role in OUTSIDERS:
            user = self.users[role]
            Request = self.Request.with_user(user).with_context(**HOSTILE)
            with (
                self.subTest(role=role, operation="create"),
                self.assertRaisesRegex(AccessError, "maintenance register"),
            ):
                Request.create({"name": "Forged", "equipment_id": self.device.id})
            with (
                self.subTest(role=role, operation="create by default"),
                self.assertRaisesRegex(AccessError, "maintenance register"),
            ):
                Request.with_context(default_equipment_id=self.device.id).create(
                    {"name": "Forged"}
                )
            request = self.dm_request(role)
            request.message_subscribe(partner_ids=user.partner_id.ids)
            mine = request.with_user(user).with_context(**HOSTILE)
            with (
                self.subTest(role=role, operation="write"),
                self.assertRaisesRegex(AccessError, "maintenance register"),
            ):
                mine.write({"name": "Rewritten", "operation_result": "compliant"})
            with (
                self.subTest(role=role, operation="move to done"),
                self.assertRaisesRegex(AccessError, "maintenance register"),
            ):
                mine.write({"stage_id": self.done_stage.id})
            with (
                self.subTest(role=role, operation="copy"),
                self.assertRaisesRegex(AccessError, "maintenance register"),
            ):
                mine.copy()
            with (
                self.subTest(role=role, operation="unlink"),
                self.assertRaisesRegex(AccessError, "maintenance register"),
            ):
                mine.unlink()
            own = Request.create({"name": "Toner", "equipment_id": self.plain.id})
            with (
                self.subTest(role=role, operation="move onto a medical device"),
                self.assertRaisesRegex(AccessError, "maintenance register"),
            ):
                own.write({"equipment_id": self.device.id})
            self.assertEqual(own.equipment_id, self.plain)
            self.assertEqual(request.name, "Pump occlusion alarm")
            self.assertFalse(request.operation_result)
            self.assertEqual(request.stage_id, self.new_stage)
            self.assertEqual(
                self.Request.search_count([("equipment_id", "=", self.device.id)]),
                1,
                role,
            )
            request.unlink()

    def test_users_without_role_keep_core_behaviour_elsewhere(self):
        for role in OUTSIDERS:
            with self.subTest(role=role):
                Request = self.Request.with_user(self.users[role])
                request = Request.create(
                    {"name": "Toner", "equipment_id": self.plain.id}
                )
                request.write({"name": "Toner and drum"})
                request.copy().unlink()
                request.write({"stage_id": self.done_stage.id})
                self.assertEqual(request.name, "Toner and drum")
                request.unlink()
                self.assertFalse(request.exists())

    def test_technicians_and_engineers_keep_the_register(self):
        for role in ("technician", "engineer"):
            with self.subTest(role=role):
                Request = self.Request.with_user(self.users[role])
                request = Request.create(
                    {
                        "name": "Annual check",
                        "equipment_id": self.device.id,
                        "maintenance_type": "preventive",
                    }
                )
                request.write({"performed_by": "L. Bernard"})
                copy = request.copy()
                self.assertEqual(copy.equipment_id, self.device)
                copy.unlink()
                request.write({"stage_id": self.done_stage.id})
                self.assertTrue(request.close_date)
                self.assertEqual(request.performed_by, "L. Bernard")

    def test_reading_roles_read_and_change_nothing(self):
        request = self.dm_request()
        for role in READERS:
            user = self.users[role]
            with self.subTest(role=role):
                self.assertEqual(
                    self.Request.with_user(user).search(
                        [("equipment_id", "=", self.device.id)]
                    ),
                    request,
                )
                request.message_subscribe(partner_ids=user.partner_id.ids)
                mine = request.with_user(user)
                with self.assertRaises(AccessError):
                    self.Request.with_user(user).create(
                        {"name": "Forged", "equipment_id": self.device.id}
                    )
                with self.assertRaises(AccessError):
                    mine.write({"operation_result": "non_compliant"})
                with self.assertRaises(AccessError):
                    mine.unlink()
                # The chatter stays open to them.
                mine.message_post(body="Seen by the pharmacy", message_type="comment")
        self.assertFalse(request.operation_result)
        self.assertTrue(request.exists())

    def test_an_operation_done_is_never_deleted(self):
        request = self.dm_request()
        request.with_user(self.users["technician"]).write(
            {"stage_id": self.done_stage.id}
        )
        for user in (self.users["technician"], self.users["engineer"], None):
            Request = request.with_user(user) if user else request
            with (
                self.subTest(user=user and user.login),
                self.assertRaisesRegex(UserError, "archive it instead"),
            ):
                Request.unlink()
        # Archived, it stays in the register.
        request.with_user(self.users["technician"]).archive_equipment_request()
        with self.assertRaisesRegex(UserError, "archive it instead"):
            request.unlink()
        self.assertTrue(request.exists())

    def test_only_an_engineer_reopens_a_done_operation(self):
        request = self.dm_request()
        request.with_user(self.users["technician"]).write(
            {"stage_id": self.done_stage.id}
        )
        with self.assertRaisesRegex(AccessError, "re-open"):
            request.with_user(self.users["technician"]).write(
                {"stage_id": self.new_stage.id}
            )
        self.assertEqual(request.stage_id, self.done_stage)
        request.with_user(self.users["engineer"]).write({"stage_id": self.new_stage.id})
        self.assertEqual(request.stage_id, self.new_stage)

    def test_the_device_link_is_not_forged_through_the_request(self):
        request = self.dm_request()
        with self.assertRaises(UserError):
            request.with_user(self.users["technician"]).write(
                {"is_medical_device": False}
            )
        self.assertTrue(self.device.is_medical_device)
        self.assertTrue(request.is_medical_device)
