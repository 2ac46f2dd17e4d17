"""Attacks on the approval lines (dm.approval), as the roles a hospital would
fear (technician, engineer, RSSI holding two roles, DPO, auditor, plain
internal user): a line is created, decided and archived by the engine only,
whatever the call and its context; each attack is refused or changes nothing,
read back from the database."""

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import MedicalDeviceCase

# An AccessError is a UserError: refused either way.
REFUSED = UserError
ROLES = ("technician", "engineer", "rssi_dpo", "dpo", "auditor", "internal")
READ = [
    "state",
    "reviewer_id",
    "reviewed_on",
    "comment",
    "requested_by_id",
    "group_id",
    "data_fingerprint",
    "active",
    "res_id",
]


@tagged("post_install", "-at_install")
class TestApprovalAttacks(MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users["rssi_dpo"] = new_test_user(
            cls.env,
            login="test_dm_rssi_dpo",
            groups="medical_device.group_dm_rssi,medical_device.group_dm_dpo",
        )
        cls.users["dpo2"] = new_test_user(
            cls.env, login="test_dm_dpo2_atk", groups="medical_device.group_dm_dpo"
        )
        cls.Approval = cls.env["dm.approval"].with_context(active_test=False)

    def cloud_device(self, serial="ATK-CLOUD"):
        """The DPO approves the data-processing contract of this device."""
        return self.create_device(
            serial_no=serial,
            patient_data=True,
            data_hosting="cloud",
            dpa_reference="DPA-2026-017",
            hds_certified=True,
            data_retention="20 years",
        )

    def lines_of(self, device):
        return self.Approval.search(
            [("res_model", "=", device._name), ("res_id", "=", device.id)]
        )

    def snapshot(self, lines):
        lines.invalidate_recordset()
        return lines.sudo().read(READ)

    def assertRefusedUnchanged(self, lines, call, msg=None):
        before = self.snapshot(lines)
        with self.assertRaises(REFUSED, msg=msg):
            call()
        self.assertEqual(self.snapshot(lines), before, msg)

    def requested(self, serial="ATK-CLOUD", user="technician"):
        device = self.cloud_device(serial)
        device.with_user(self.users[user]).action_request_approvals()
        line = device._dm_current_line("dpo_data_contract")
        self.assertEqual(line.state, "pending")
        return device, line

    # ------------------------------------------------------------ create
    def test_no_role_creates_a_line(self):
        device = self.cloud_device()
        forged = {
            "name": "Forged",
            "res_model": device._name,
            "res_id": device.id,
            "rule_key": "dpo_data_contract",
            "step": "reception",
            "role": "dpo",
            "state": "approved",
            "reviewer_id": self.users["dpo"].id,
        }
        for role in ROLES:
            for context in ({}, {"default_state": "approved"}):
                with (
                    self.subTest(role=role, context=context),
                    self.assertRaises(AccessError),
                ):
                    self.env["dm.approval"].with_user(self.users[role]).with_context(
                        **context
                    ).create(forged)
        self.assertFalse(self.lines_of(device))

    def test_action_context_does_not_reach_the_lines_it_creates(self):
        """The request runs in sudo: the caller's defaults must not decide,
        archive, reassign or fingerprint the new lines."""
        other_group = self.env.ref("medical_device.group_dm_technician")
        hostile = {
            "default_state": "approved",
            "default_reviewer_id": self.users["dpo"].id,
            "default_reviewed_on": "2020-01-01 00:00:00",
            "default_comment": "Approved in advance",
            "default_active": False,
            "default_group_id": other_group.id,
            "default_data_fingerprint": "forged",
            "default_last_reminder_on": "2099-01-01 00:00:00",
        }
        for number, role in enumerate(("technician", "engineer", "rssi_dpo")):
            device = self.cloud_device(f"ATK-CTX-{number}")
            device.with_user(self.users[role]).with_context(
                **hostile
            ).action_request_approvals()
            line = self.lines_of(device)
            self.assertEqual(len(line), 1, role)
            line = line.sudo()
            self.assertEqual(line.state, "pending", role)
            self.assertTrue(line.active, role)
            self.assertFalse(line.reviewer_id or line.reviewed_on or line.comment)
            self.assertFalse(line.last_reminder_on)
            self.assertEqual(line.group_id, self.env.ref("medical_device.group_dm_dpo"))
            self.assertNotEqual(line.data_fingerprint, "forged")
            self.assertFalse(line._data_changed(), "the real data's fingerprint")
            self.assertEqual(line.requested_by_id, self.users[role])
        # Nor the defaults of a caller in sudo (a scheduled action, a button of
        # another module running as the superuser).
        device = self.cloud_device("ATK-CTX-SU")
        device.sudo().with_context(**hostile).action_request_approvals()
        line = self.lines_of(device).sudo()
        self.assertEqual((line.state, line.active), ("pending", True))
        self.assertFalse(line.reviewer_id or line.comment)
        self.assertEqual(line.group_id, self.env.ref("medical_device.group_dm_dpo"))
        # Reading roles cannot request, whatever the context.
        device = self.cloud_device("ATK-CTX-AUDITOR")
        for role in ("auditor", "internal"):
            with self.assertRaises(AccessError, msg=role):
                device.with_user(self.users[role]).with_context(
                    **hostile
                ).action_request_approvals()
        self.assertFalse(self.lines_of(device))

    # ------------------------------------------------------------ write
    def test_no_role_writes_a_line(self):
        device, pending = self.requested()
        decided_device, decided = self.requested("ATK-CLOUD-2")
        decided.with_user(self.users["dpo"]).action_approve()
        other = self.cloud_device("ATK-OTHER")
        forged = {
            "state": "approved",
            "reviewer_id": self.users["dpo"].id,
            "reviewed_on": fields.Datetime.now(),
            "comment": "Forged",
            "requested_by_id": self.users["dpo2"].id,
            "group_id": self.env.ref("medical_device.group_dm_technician").id,
            "data_fingerprint": "forged",
            "active": False,
            "superseded_reason": "Forged",
            "res_id": other.id,
            "rule_key": "other",
            "data_summary": "Forged",
            "last_reminder_on": fields.Datetime.now(),
            "name": "Forged",
        }
        for role in (*ROLES, "dpo2"):
            for line in (pending, decided):
                for fname, value in forged.items():
                    self.assertRefusedUnchanged(
                        line,
                        lambda line=line, role=role, f=fname, v=value: line.with_user(
                            self.users[role]
                        ).write({f: v}),
                        msg=f"{role} {line.state} {fname}",
                    )
        # The superuser may not rewrite a decision either.
        for fname in ("state", "reviewer_id", "comment", "data_fingerprint"):
            self.assertRefusedUnchanged(
                decided,
                lambda f=fname: decided.sudo().write({f: forged[f]}),
                msg=fname,
            )
        self.assertEqual(device.validation_status, "pending")
        self.assertEqual(decided_device.validation_status, "validated")

    def test_no_one_deletes_a_line(self):
        _device, pending = self.requested()
        _other, decided = self.requested("ATK-CLOUD-2")
        decided.with_user(self.users["dpo"]).action_reject("Clause 4 missing")
        for line in (pending, decided):
            for role in ROLES:
                self.assertRefusedUnchanged(
                    line,
                    lambda line=line, role=role: line.with_user(
                        self.users[role]
                    ).unlink(),
                    msg=role,
                )
            with self.assertRaisesRegex(UserError, "cannot be deleted"):
                line.sudo().unlink()
            self.assertTrue(line.exists())

    # ------------------------------------------------------------ decisions
    def test_withdrawn_line_cannot_be_decided(self):
        device, line = self.requested()
        # The data no longer need the DPO: the pending line is withdrawn.
        device.with_user(self.users["engineer"]).write({"data_hosting": "hospital"})
        self.assertFalse(line.active)
        for call in (
            lambda: line.with_user(self.users["dpo"]).action_approve(),
            lambda: line.with_user(self.users["dpo"]).sudo().action_approve(),
            lambda: line.with_user(self.users["rssi_dpo"]).action_reject("No"),
            lambda: line.with_user(self.users["dpo"]).action_open_reject_wizard(),
        ):
            self.assertRefusedUnchanged(line, call)
        self.assertEqual(line.state, "pending")

    def test_requester_never_decides_own_request(self):
        device, line = self.requested(user="rssi_dpo")
        self.assertEqual(line.requested_by_id, self.users["rssi_dpo"])
        for call in (
            lambda: line.with_user(self.users["rssi_dpo"]).action_approve(),
            lambda: line.with_user(self.users["rssi_dpo"]).sudo().action_approve(),
            lambda: line.with_user(self.users["rssi_dpo"]).action_reject("Mine"),
        ):
            self.assertRefusedUnchanged(line, call)
        # Roles outside the deciding group cannot decide either.
        for role in ("technician", "engineer", "auditor", "internal"):
            self.assertRefusedUnchanged(
                line,
                lambda role=role: line.with_user(self.users[role]).action_approve(),
                msg=role,
            )
        self.assertEqual(device.validation_status, "pending")
        line.with_user(self.users["dpo"]).action_approve()
        self.assertEqual(line.reviewer_id, self.users["dpo"])
        self.assertTrue(line.reviewed_on)
        # A decided line is not decided again, by anyone.
        for role in ("dpo2", "rssi_dpo"):
            self.assertRefusedUnchanged(
                line,
                lambda role=role: line.with_user(self.users[role]).action_reject(
                    "Changed my mind"
                ),
                msg=role,
            )
