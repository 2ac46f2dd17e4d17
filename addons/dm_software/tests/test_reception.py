from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import AI_NODULE_DETECTOR, PACS_VIEWER, SoftwareCase


@tagged("post_install", "-at_install")
class TestReception(SoftwareCase):
    def test_reception_needs_publisher_purpose_and_referent(self):
        software = self.create_software(
            publisher_id=False, intended_purpose=False, referent_id=False
        )
        self.assertEqual(software.lifecycle_state, "request")
        with self.assertRaisesRegex(UserError, "publisher.*intended purpose.*referent"):
            software.with_user(self.users["technician"]).action_to_reception()
        software.with_user(self.users["technician"]).write(
            {
                "publisher_id": self.publisher.id,
                "intended_purpose": "Triage of chest X-rays",
                "referent_id": self.users["referent"].id,
            }
        )
        for role in ("auditor", "internal", "rssi", "dpo"):
            with self.assertRaises(AccessError, msg=role):
                software.with_user(self.users[role]).action_to_reception()
        software.with_user(self.users["technician"]).action_to_reception()
        self.assertEqual(software.lifecycle_state, "reception")

    def test_put_in_use_checks_everything(self):
        software = self.create_software(contains_ai=True)
        software.with_user(self.users["technician"]).action_to_reception()
        with self.assertRaisesRegex(UserError, "qualification") as caught:
            software.with_user(self.users["pharmacist"]).action_put_in_use()
        message = str(caught.exception)
        for expected in ("user training", "installed version", "quality control"):
            self.assertIn(expected, message)
        self.qualify(software, AI_NODULE_DETECTOR)
        with self.assertRaisesRegex(UserError, "CE regime.*CE marking check"):
            software.with_user(self.users["pharmacist"]).action_put_in_use()
        software.with_user(self.users["pharmacist"]).write(
            {
                "ce_regime": "mdr",
                "notified_body_number": "0459",
                "ce_certificate_ref": "CE-2031",
                "ce_checked": True,
                "training_done": True,
                "trained_user_ids": [(6, 0, self.users["clinician"].ids)],
            }
        )
        self.install(self.validated_version(software, "1.0"))
        with self.assertRaisesRegex(UserError, "quality control of its AI"):
            software.with_user(self.users["pharmacist"]).action_put_in_use()
        self.create_plan(software)
        with self.assertRaises(AccessError):
            software.with_user(self.users["auditor"]).action_put_in_use()
        software.with_user(self.users["technician"]).action_put_in_use()
        self.assertEqual(software.lifecycle_state, "in_use")
        self.assertTrue(software.in_use_since)

    def test_software_that_is_not_a_medical_device_needs_no_ce(self):
        software = self.create_software(name="PACS")
        self.qualify(software, PACS_VIEWER)
        software.with_user(self.users["technician"]).action_to_reception()
        software.with_user(self.users["technician"]).write({"training_done": True})
        self.install(self.validated_version(software, "7.4"))
        software.with_user(self.users["technician"]).action_put_in_use()
        self.assertEqual(software.lifecycle_state, "in_use")

    def test_in_house_software_needs_its_justification_not_ce(self):
        software = self.create_software(name="Prescription checker", in_house=True)
        self.qualify(software, AI_NODULE_DETECTOR)
        software.with_user(self.users["technician"]).action_to_reception()
        software.with_user(self.users["pharmacist"]).write({"training_done": True})
        self.install(self.validated_version(software, "1.0"))
        with self.assertRaisesRegex(UserError, r"art\. 5\(5\)") as caught:
            software.with_user(self.users["pharmacist"]).action_put_in_use()
        self.assertNotIn("CE regime", str(caught.exception))
        software.with_user(self.users["pharmacist"]).write(
            {"in_house_justification": "No CE-marked checker handles our protocols."}
        )
        software.with_user(self.users["pharmacist"]).action_put_in_use()
        self.assertEqual(software.lifecycle_state, "in_use")

    def test_dpo_approval_for_patient_data_on_a_supplier_cloud(self):
        software = self.received_software(
            patient_data=True,
            hosting="supplier_cloud",
            dpa_reference="DPA-2026-04",
            hds_certified=True,
        )
        software.with_user(self.users["pharmacist"]).write({"training_done": True})
        self.assertEqual(software.validation_status, "waiting")
        with self.assertRaisesRegex(UserError, "Data-processing contract.*DPO"):
            software.with_user(self.users["pharmacist"]).action_put_in_use()
        software.with_user(self.users["technician"]).action_request_approvals()
        line = software._dm_current_line("dpo_data_contract")
        self.assertEqual((line.role, line.state), ("dpo", "pending"))
        self.assertIn("DPA-2026-04", line.data_summary)
        with self.assertRaises(AccessError):
            line.with_user(self.users["rssi"]).action_approve()
        line.with_user(self.users["dpo"]).action_approve()
        software.with_user(self.users["pharmacist"]).action_put_in_use()
        self.assertEqual(software.lifecycle_state, "in_use")
        # A change of hosting data sends the approval back to the DPO.
        software.with_user(self.users["technician"]).write({"dpa_reference": "DPA-2"})
        self.assertEqual(
            software._dm_current_line("dpo_data_contract").state, "pending"
        )

    def test_no_dpo_approval_for_data_on_premises(self):
        software = self.create_software(patient_data=True, hosting="on_premises")
        self.assertEqual(software.validation_status, "no")

    def test_rssi_approval_when_networked(self):
        software = self.received_software(
            is_networked=True, supplier_security_answers="HTTPS only, no VPN."
        )
        software.with_user(self.users["pharmacist"]).write({"training_done": True})
        with self.assertRaisesRegex(UserError, "Network connection.*RSSI"):
            software.with_user(self.users["pharmacist"]).action_put_in_use()
        software.with_user(self.users["pharmacist"]).action_request_approvals()
        line = software._dm_current_line("rssi_network")
        line.with_user(self.users["rssi"]).action_approve()
        software.with_user(self.users["pharmacist"]).action_put_in_use()
        self.assertEqual(software.lifecycle_state, "in_use")

    def test_withdrawal(self):
        software = self.software_in_use()
        for role in ("technician", "auditor", "internal", "referent"):
            with self.assertRaises(AccessError, msg=role):
                software.with_user(self.users[role]).action_withdraw()
        software.with_user(self.users["engineer"]).action_withdraw()
        self.assertEqual(software.lifecycle_state, "withdrawn")
        self.assertTrue(software.withdrawn_on)
        with self.assertRaisesRegex(UserError, "withdrawn"):
            software.with_user(self.users["pharmacist"]).write({"name": "Renamed"})
        with self.assertRaisesRegex(UserError, "cannot move"):
            software.with_user(self.users["engineer"]).action_resume()
        software.with_user(self.users["engineer"]).write({"active": False})
        self.assertFalse(software.active)
