"""Attacks on the base disposal (dm.disposal), as the roles a hospital would
fear (technician, engineer, RSSI holding two roles, auditor, plain internal
user), through create/write/copy/unlink/actions with any context: each attack
is refused or changes nothing, read back from the database. dm_cyber's erasure
steps are attacked in its own test_disposal_attacks.py."""

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import MedicalDeviceCase

# An AccessError is a UserError: refused either way.
REFUSED = UserError
READ = [
    "state",
    "name",
    "equipment_id",
    "requested_by_id",
    "requested_on",
    "confirmed_by_id",
    "confirmed_on",
    "disposed_by_id",
    "disposed_on",
    "retention_until",
    "company_id",
]


class DisposalAttackCase(MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users["rssi_technician"] = new_test_user(
            cls.env,
            login="test_dm_rssi_technician_disposal",
            groups="medical_device.group_dm_rssi,medical_device.group_dm_technician",
        )
        cls.users["rssi_dpo"] = new_test_user(
            cls.env,
            login="test_dm_rssi_dpo_disposal",
            groups="medical_device.group_dm_rssi,medical_device.group_dm_dpo",
        )
        cls.Disposal = cls.env["dm.disposal"]

    def request(self, device, user="technician", context=None, **overrides):
        vals = {
            "equipment_id": device.id,
            "reason": "beyond_repair",
            "destination": "destruction",
            **overrides,
        }
        return (
            self.Disposal.with_user(self.users[user])
            .with_context(**(context or {}))
            .create(vals)
        )

    def snapshot(self, records, fnames=None):
        records.invalidate_recordset()
        return records.sudo().with_context(active_test=False).read(fnames or READ)

    def assertRefusedUnchanged(self, records, call, fnames=None, msg=None):
        before = self.snapshot(records, fnames)
        with self.assertRaises(REFUSED, msg=msg):
            call()
        self.assertEqual(self.snapshot(records, fnames), before, msg)

    def forged_context(self, **defaults):
        return {f"default_{key}": value for key, value in defaults.items()}


@tagged("post_install", "-at_install")
class TestDisposalAttacks(DisposalAttackCase):
    # ------------------------------------------------------------ create
    def test_hostile_defaults_forge_nothing_at_create(self):
        engineer = self.users["engineer"]
        forged = self.forged_context(
            state="ready",
            name="REF/FORGED",
            requested_by_id=engineer.id,
            requested_on="2020-01-01 00:00:00",
            confirmed_by_id=engineer.id,
            confirmed_on="2020-01-01 00:00:00",
            disposed_by_id=engineer.id,
            disposed_on="2020-01-01",
            retention_until="2020-01-01",
        )
        for number, role in enumerate(("technician", "engineer", "rssi_technician")):
            device = self.device_in_service(serial_no=f"ATK-DEF-{number}")
            disposal = self.request(device, role, context=forged)
            disposal = disposal.sudo()
            disposal.invalidate_recordset()
            self.assertEqual(disposal.state, "draft", role)
            self.assertNotEqual(disposal.name, "REF/FORGED", role)
            self.assertEqual(disposal.requested_by_id, self.users[role], role)
            self.assertNotEqual(str(disposal.requested_on), "2020-01-01 00:00:00")
            self.assertFalse(disposal.confirmed_by_id or disposal.confirmed_on, role)
            self.assertFalse(disposal.disposed_by_id or disposal.disposed_on, role)
            self.assertFalse(disposal.retention_until, role)
            self.assertEqual(device.lifecycle_state, "in_service", role)
        # Reading roles create nothing, whatever the context.
        device = self.device_in_service(serial_no="ATK-DEF-READ")
        for role in ("auditor", "internal", "rssi_dpo"):
            with self.assertRaises(AccessError, msg=role):
                self.request(device, role, context=forged)
        self.assertFalse(device.sudo().disposal_ids)

    def test_forged_values_are_refused_at_create_and_copy(self):
        device = self.device_in_service(serial_no="ATK-VALS")
        engineer = self.users["engineer"]
        forged = {
            "state": "ready",
            "name": "REF/FORGED",
            "requested_by_id": engineer.id,
            "confirmed_by_id": engineer.id,
            "confirmed_on": fields.Datetime.now(),
            "disposed_by_id": engineer.id,
            "disposed_on": fields.Date.today(),
            "retention_until": "2099-01-01",
            # A related field would write through to the device.
            "lifecycle_state": "disposed",
        }
        for role in ("technician", "engineer", "rssi_technician"):
            for fname, value in forged.items():
                with self.assertRaises(REFUSED, msg=f"{role} {fname}"):
                    self.request(device, role, **{fname: value})
        self.assertFalse(device.sudo().disposal_ids)
        self.assertEqual(device.lifecycle_state, "in_service")
        # A copy cannot carry them either (a cancelled request is copied for a
        # new one; a copy starts as a draft, its own).
        disposal = self.request(device)
        disposal.with_user(engineer).action_cancel()
        for role in ("technician", "engineer"):
            for fname, value in forged.items():
                with self.assertRaises(REFUSED, msg=f"{role} {fname}"):
                    disposal.with_user(self.users[role]).copy({fname: value})
        self.assertEqual(device.sudo().disposal_ids, disposal)
        copy = disposal.with_user(self.users["technician"]).copy()
        self.assertEqual(copy.state, "draft")
        self.assertEqual(copy.requested_by_id, self.users["technician"])
        self.assertFalse(copy.confirmed_by_id)

    # ------------------------------------------------------------ write
    def test_protected_and_computed_fields_are_not_written(self):
        device = self.device_in_service(serial_no="ATK-WRITE")
        other = self.device_in_service(serial_no="ATK-WRITE-OTHER")
        draft = self.request(device)
        engineer = self.users["engineer"]
        forged = {
            "state": "ready",
            "name": "REF/FORGED",
            "requested_by_id": engineer.id,
            "requested_on": "2020-01-01 00:00:00",
            "confirmed_by_id": engineer.id,
            "confirmed_on": fields.Datetime.now(),
            "disposed_by_id": engineer.id,
            "disposed_on": fields.Date.today(),
            "retention_until": "2099-01-01",
            "company_id": self.env.company.id,
            # Related fields would write through to the device.
            "lifecycle_state": "disposed",
            "serial_no": "FORGED",
        }
        roles = ("technician", "engineer", "rssi_technician", "auditor", "internal")
        for role in roles:
            for fname, value in forged.items():
                self.assertRefusedUnchanged(
                    draft,
                    lambda role=role, f=fname, v=value: draft.with_user(
                        self.users[role]
                    ).write({f: v}),
                    msg=f"{role} {fname}",
                )
        self.assertEqual(
            (device.lifecycle_state, device.serial_no), ("in_service", "ATK-WRITE")
        )
        # A confirmed request keeps its device; a device that cannot be
        # disposed of is refused on a draft.
        new_device = self.create_device(serial_no="ATK-NEW")
        self.assertRefusedUnchanged(
            draft,
            lambda: draft.with_user(engineer).write({"equipment_id": new_device.id}),
        )
        draft.with_user(engineer).action_confirm()
        self.assertRefusedUnchanged(
            draft,
            lambda: draft.with_user(engineer).write({"equipment_id": other.id}),
        )

    def test_closed_disposal_is_frozen_and_kept(self):
        device = self.device_in_service(serial_no="ATK-CLOSED")
        disposal = self.request(device)
        engineer = self.users["engineer"]
        disposal.with_user(engineer).action_cancel()
        for role in ("technician", "engineer", "rssi_technician"):
            for vals in (
                {"reason": "replaced"},
                {"destination": "donation"},
                {"notes": "<p>Late</p>"},
            ):
                self.assertRefusedUnchanged(
                    disposal,
                    lambda role=role, vals=vals: disposal.with_user(
                        self.users[role]
                    ).write(vals),
                    fnames=[*READ, "reason", "destination", "notes"],
                    msg=f"{role} {vals}",
                )
        for call in (
            disposal.with_user(self.users["technician"]).unlink,
            disposal.with_user(engineer).unlink,
            disposal.sudo().unlink,
        ):
            self.assertRefusedUnchanged(disposal, call)
        # A cancelled disposal is not confirmed, disposed of or cancelled again.
        for call in (
            disposal.with_user(engineer).action_confirm,
            disposal.with_user(engineer).action_dispose,
            disposal.with_user(engineer).action_cancel,
        ):
            self.assertRefusedUnchanged(disposal, call)
        self.assertEqual(disposal.state, "cancelled")

    # ------------------------------------------------------------ unlink
    def test_started_disposal_cannot_be_deleted(self):
        device = self.device_in_service(serial_no="ATK-UNLINK")
        disposal = self.request(device)
        disposal.with_user(self.users["engineer"]).action_confirm()
        for role in ("technician", "engineer", "rssi_technician", "auditor"):
            self.assertRefusedUnchanged(
                disposal,
                lambda role=role: disposal.with_user(self.users[role]).unlink(),
                msg=role,
            )
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            disposal.sudo().unlink()
        self.assertTrue(disposal.exists())
        self.assertEqual(device.lifecycle_state, "disposal")

    # ------------------------------------------------------------ actions
    def test_actions_as_the_wrong_role_change_nothing(self):
        device = self.device_in_service(serial_no="ATK-ROLES")
        disposal = self.request(device)
        device_fields = ["lifecycle_state", "active"]
        wrong = ("technician", "rssi_technician", "rssi_dpo", "auditor", "internal")
        for role in wrong:
            user = self.users[role]
            for action in ("action_confirm", "action_cancel", "action_dispose"):
                self.assertRefusedUnchanged(
                    disposal,
                    lambda user=user, action=action: getattr(
                        disposal.with_user(user), action
                    )(),
                    msg=f"{role} {action}",
                )
            # The device's own buttons are the lifecycle's: refused the same.
            self.assertRefusedUnchanged(
                device,
                lambda user=user: device.with_user(user).action_request_disposal(),
                fnames=device_fields,
                msg=role,
            )
        self.assertEqual(disposal.state, "draft")
        disposal.with_user(self.users["engineer"]).action_confirm()
        for role in wrong:
            user = self.users[role]
            for action in ("action_cancel", "action_dispose"):
                self.assertRefusedUnchanged(
                    disposal,
                    lambda user=user, action=action: getattr(
                        disposal.with_user(user), action
                    )(),
                    msg=f"{role} {action}",
                )
            for state in ("in_service", "disposed"):
                self.assertRefusedUnchanged(
                    device,
                    lambda user=user, state=state: device.with_user(user).write(
                        {"lifecycle_state": state}
                    ),
                    fnames=device_fields,
                    msg=f"{role} {state}",
                )
        self.assertEqual(device.lifecycle_state, "disposal")
        self.assertTrue(device.active)
