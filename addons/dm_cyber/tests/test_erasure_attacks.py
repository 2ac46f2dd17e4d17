"""Attacks on the erasure steps of a disposal (dm_cyber), as the roles a
hospital would fear (technician, engineer, RSSI holding two roles, DPO,
auditor, plain internal user): a device leaves with its data erased, verified
by the RSSI and signed off by the DPO, or on an engineer's no-data statement;
no context, write or action as the wrong role shortens that path. Each attack
is refused or changes nothing, read back from the database."""

from odoo import fields
from odoo.addons.medical_device.tests.test_disposal_attacks import (
    READ,
    DisposalAttackCase,
)
from odoo.exceptions import UserError
from odoo.tests import tagged

CYBER_READ = [
    *READ,
    "holds_data",
    "no_data_statement",
    "no_data_confirmed_by_id",
    "no_data_confirmed_on",
    "certificate_issued_on",
    "medium_count",
    "media_sanitised_count",
]
DEVICE_READ = ["lifecycle_state", "active"]


@tagged("post_install", "-at_install")
class TestErasureAttacks(DisposalAttackCase):
    def data_device(self, serial):
        return self.device_in_service(
            serial_no=serial, patient_data=True, data_hosting="device"
        )

    def confirmed(self, device, **context):
        disposal = self.request(device, context=context)
        disposal.with_user(self.users["engineer"]).action_confirm()
        self.assertEqual(disposal.state, "erasure")
        return disposal

    def erased(self, device):
        """A disposal whose medium is sanitised, submitted to the RSSI."""
        disposal = self.confirmed(device)
        medium = (
            self.env["dm.erasure.medium"]
            .with_user(self.users["technician"])
            .create({"disposal_id": disposal.id, "media_type": "ssd", "tool": "T"})
        )
        medium.write(
            {
                "executed_on": fields.Date.today(),
                "result": "success",
                "verification_method": "sampling",
                "sanitiser_name": "Julien Moreau",
            }
        )
        medium.action_record_execution()
        disposal.with_user(self.users["technician"]).action_submit_verification()
        self.assertEqual(disposal.state, "verification")
        return disposal

    def assertDisposalUnchanged(self, disposal, call, msg=None):
        self.assertRefusedUnchanged(disposal, call, fnames=CYBER_READ, msg=msg)

    # ------------------------------------------------------------ create
    def test_hostile_defaults_forge_no_statement_or_certificate(self):
        engineer = self.users["engineer"]
        forged = self.forged_context(
            state="ready",
            confirmed_by_id=engineer.id,
            no_data_confirmed_by_id=engineer.id,
            no_data_confirmed_on="2020-01-01 00:00:00",
            disposed_on="2020-01-01",
            certificate_issued_on="2020-01-01 00:00:00",
            medium_count=3,
            media_sanitised_count=3,
        )
        for number, role in enumerate(("technician", "engineer", "rssi_technician")):
            device = self.data_device(f"ATK-ERA-{number}")
            disposal = self.request(device, role, context=forged).sudo()
            disposal.invalidate_recordset()
            self.assertEqual(disposal.state, "draft", role)
            self.assertFalse(disposal.confirmed_by_id, role)
            self.assertFalse(disposal.no_data_confirmed_by_id, role)
            self.assertFalse(disposal.no_data_confirmed_on, role)
            self.assertFalse(disposal.disposed_on, role)
            self.assertFalse(disposal.certificate_issued_on, role)
            self.assertEqual(disposal.medium_count, 0, role)
            # The same context on the actions forges nothing either.
            disposal.with_user(engineer).with_context(**forged).action_confirm()
            self.assertEqual(disposal.state, "erasure", role)
            self.assertFalse(disposal.no_data_confirmed_by_id, role)
            with self.assertRaisesRegex(UserError, "erasure plan"):
                device.with_user(engineer).with_context(**forged).action_mark_disposed()
            self.assertEqual(device.lifecycle_state, "disposal", role)
        device = self.data_device("ATK-ERA-VALS")
        for vals in (
            {"no_data_confirmed_by_id": engineer.id},
            {"no_data_confirmed_on": fields.Datetime.now()},
            {"certificate_issued_on": fields.Datetime.now()},
            {"state": "ready"},
            {"medium_count": 1},
        ):
            with self.assertRaisesRegex(UserError, "not edited", msg=vals):
                self.request(device, "engineer", **vals)
            self.assertFalse(device.sudo().disposal_ids, vals)

    # ------------------------------------------------------------ write
    def test_evidence_and_steps_are_not_written(self):
        disposal = self.erased(self.data_device("ATK-ERA-WRITE"))
        forged = {
            "state": "ready",
            "no_data_confirmed_by_id": self.users["engineer"].id,
            "no_data_confirmed_on": fields.Datetime.now(),
            "certificate_issued_on": fields.Datetime.now(),
            "medium_count": 0,
            "media_sanitised_count": 5,
            "erasure_summary": "Forged",
            "verified_by_id": self.users["rssi"].id,
            "signed_off_by_id": self.users["dpo"].id,
            "can_sign_off": True,
            # Frozen once the erasure is submitted.
            "holds_data": False,
            "no_data_statement": "Nothing stored",
            "medium_ids": [(5, 0, 0)],
        }
        roles = ("technician", "engineer", "rssi_technician", "rssi_dpo", "auditor")
        for role in roles:
            for fname, value in forged.items():
                self.assertDisposalUnchanged(
                    disposal,
                    lambda role=role, f=fname, v=value: disposal.with_user(
                        self.users[role]
                    ).write({f: v}),
                    msg=f"{role} {fname}",
                )
        self.assertEqual(len(disposal.medium_ids), 1)

    # ------------------------------------------------------------ actions
    def test_erasure_actions_as_the_wrong_role_change_nothing(self):
        device = self.data_device("ATK-ERA-ROLES")
        disposal = self.confirmed(device)
        disposal.with_user(self.users["engineer"]).write(
            {"no_data_statement": "Nothing stored"}
        )
        # Only an engineer states that a device holds no data.
        for role in ("technician", "rssi_technician", "rssi_dpo", "auditor"):
            self.assertDisposalUnchanged(
                disposal,
                lambda role=role: disposal.with_user(
                    self.users[role]
                ).action_state_no_data("No memory"),
                msg=role,
            )
        # Reading roles do not submit the erasure.
        for role in ("rssi_dpo", "auditor", "internal"):
            self.assertDisposalUnchanged(
                disposal,
                lambda role=role: disposal.with_user(
                    self.users[role]
                ).action_submit_verification(),
                msg=role,
            )

        disposal = self.erased(self.data_device("ATK-ERA-ROLES-2"))
        # The DPO does not verify, the RSSI does not sign off.
        for role in ("dpo", "technician", "engineer", "auditor", "internal"):
            self.assertDisposalUnchanged(
                disposal,
                lambda role=role: disposal.with_user(self.users[role]).action_verify(),
                msg=role,
            )
        for role in ("rssi", "dpo", "engineer"):
            self.assertDisposalUnchanged(
                disposal,
                lambda role=role: disposal.with_user(
                    self.users[role]
                ).action_sign_off(),
                msg=role,
            )
        # Approvals follow the workflow: not requested ahead, not approved by
        # a context default through the request.
        self.assertDisposalUnchanged(
            disposal,
            lambda: (
                disposal.with_user(self.users["technician"])
                .with_context(default_state="approved")
                .action_request_approvals("sign_off")
            ),
        )
        disposal.with_user(self.users["rssi"]).action_verify()
        self.assertEqual(disposal.state, "sign_off")
        for role in ("rssi", "rssi_technician", "technician", "engineer"):
            self.assertDisposalUnchanged(
                disposal,
                lambda role=role: disposal.with_user(
                    self.users[role]
                ).action_sign_off(),
                msg=role,
            )
        self.assertFalse(disposal.signed_off_by_id)
        self.assertEqual(disposal.equipment_id.lifecycle_state, "disposal")

    def test_double_role_does_not_verify_and_sign_off_alone(self):
        """An RSSI who is also the DPO verifies; the sign-off is requested in
        their name, so another DPO must sign it off (four eyes)."""
        disposal = self.erased(self.data_device("ATK-ERA-DOUBLE"))
        rssi_dpo = self.users["rssi_dpo"]
        disposal.with_user(rssi_dpo).action_verify()
        self.assertEqual(disposal.state, "sign_off")
        for call in (
            lambda: disposal.with_user(rssi_dpo).action_sign_off(),
            lambda: disposal.with_user(rssi_dpo).sudo().action_sign_off(),
        ):
            self.assertDisposalUnchanged(disposal, call)
        disposal.with_user(self.users["dpo"]).action_sign_off()
        self.assertEqual(disposal.state, "ready")

    def test_no_dispose_without_erasure(self):
        engineer = self.users["engineer"]
        device = self.data_device("ATK-ERA-SKIP")
        disposal = self.confirmed(device)
        # Said to hold no data, by a write: still no engineer's statement.
        disposal.with_user(self.users["technician"]).write({"holds_data": False})
        for call in (
            disposal.with_user(engineer).action_dispose,
            device.with_user(engineer).action_mark_disposed,
            lambda: device.with_user(engineer).write({"lifecycle_state": "disposed"}),
            # A device recorded with patient data gets no no-data statement.
            lambda: disposal.with_user(engineer).action_state_no_data("Nothing"),
        ):
            self.assertDisposalUnchanged(disposal, call)
            self.assertEqual(self.snapshot(device, DEVICE_READ)[0]["active"], True)
        self.assertEqual(device.lifecycle_state, "disposal")
        # Submitted but not verified: not disposed either, and the RSSI's step
        # is not skipped by the no-data statement.
        disposal = self.erased(self.data_device("ATK-ERA-SKIP-2"))
        for call in (
            disposal.with_user(engineer).action_dispose,
            lambda: disposal.with_user(engineer).action_state_no_data("Nothing"),
        ):
            self.assertDisposalUnchanged(disposal, call)
        self.assertEqual(disposal.state, "verification")
        self.assertFalse(disposal.certificate_issued_on)
