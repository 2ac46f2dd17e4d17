from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .common import MedicalDeviceCase


@tagged("post_install", "-at_install")
class TestApprovalRuleRecords(MedicalDeviceCase):
    """Approval rules are records: a hospital adds its own without code, and
    the engine's gates hold whoever changes the data or decides."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        cls.users["dpo2"] = new_test_user(
            cls.env, login="test_dm_rule_dpo2", groups="medical_device.group_dm_dpo"
        )
        # An RSSI who is also the DPO: the user a hospital fears here.
        cls.users["rssi_dpo"] = new_test_user(
            cls.env,
            login="test_dm_rssi_dpo",
            groups="medical_device.group_dm_rssi,medical_device.group_dm_dpo",
        )

    def cloud_device(self, **overrides):
        vals = {
            "serial_no": "RULE-CLOUD",
            "patient_data": True,
            "data_hosting": "cloud",
            "dpa_reference": "DPA-1",
            "hds_certified": True,
            "data_retention": "20 years",
        }
        vals.update(overrides)
        return self.create_device(**vals)

    def dpo_line(self, device):
        return device._dm_current_line("dpo_data_contract")

    def requested(self, device, user="technician"):
        device.with_user(self.users[user]).action_request_approvals()
        return self.dpo_line(device)

    def fields_of(self, model, *names):
        return (
            self.env["ir.model.fields"]
            .search([("model", "=", model), ("name", "in", names)])
            .ids
        )

    # ------------------------------------------------------------ rules as data
    def test_shipped_rules_are_records(self):
        rule = self.env.ref("medical_device.dm_approval_rule_dpo_data_contract")
        self.assertEqual(
            (rule.model, rule.key, rule.step, rule.role, rule.four_eyes),
            ("maintenance.equipment", "dpo_data_contract", "reception", "dpo", True),
        )
        self.assertEqual(rule.group_id, self.env.ref("medical_device.group_dm_dpo"))
        line = self.requested(self.cloud_device())
        self.assertEqual(line.rule_id, rule)
        self.assertEqual(line.group_id, rule.group_id)

    def test_only_an_administrator_edits_rules(self):
        rule = self.env.ref("medical_device.dm_approval_rule_dpo_data_contract")
        for role in ("engineer", "dpo", "auditor", "rssi"):
            self.assertEqual(rule.with_user(self.users[role]).name, rule.name)
            with self.assertRaises(AccessError, msg=role):
                rule.with_user(self.users[role]).write({"four_eyes": False})
        self.assertTrue(rule.four_eyes)
        with self.assertRaises(UserError):
            rule.with_user(self.admin).write({"domain": "[('no_such_field', '=', 1)]"})

    def test_custom_rule_pharmacist_approves_implantables(self):
        """A hospital adds, as administrator and without code: the pharmacist
        approves implantable devices before reception."""
        Rule = self.env["dm.approval.rule"].with_user(self.admin)
        equipment_model = self.env["ir.model"]._get("maintenance.equipment")
        pharmacists = self.env.ref("medical_device.group_dm_pharmacist")
        rule = Rule.create(
            {
                "name": "Implantable device",
                "key": "pharmacist_implantable",
                "model_id": equipment_model.id,
                "step": "reception",
                "step_label": "Acquisition → Reception",
                "group_id": pharmacists.id,
                "domain": "[('is_medical_device', '=', True), "
                "('is_implantable', '=', True)]",
                "field_ids": [
                    (6, 0, self.fields_of(equipment_model.model, "is_implantable"))
                ],
                "summary_field_ids": [
                    (
                        6,
                        0,
                        self.fields_of(
                            equipment_model.model, "is_implantable", "trade_name"
                        ),
                    )
                ],
            }
        )
        self.assertFalse(rule.role, "not one of the built-in roles")
        technician = self.users["technician"]
        plain = self.create_device(serial_no="NOT-IMPLANT")
        self.assertEqual(plain.validation_status, "no")

        device = self.create_device(
            serial_no="IMPLANT-1", is_implantable=True, trade_name="CardioPace"
        )
        self.assertEqual(device.validation_status, "waiting")
        with self.assertRaisesRegex(
            UserError, "Implantable device by the Pharmacist.*not requested"
        ):
            device.with_user(technician).action_to_reception()

        device.with_user(technician).action_request_approvals()
        line = device._dm_current_line("pharmacist_implantable")
        self.assertEqual(
            (line.state, line.rule_id, line.group_id), ("pending", rule, pharmacists)
        )
        self.assertIn("CardioPace", line.data_summary)
        assigned = line.sudo().activity_ids.mapped("user_id")
        self.assertIn(self.users["pharmacist"], assigned)
        self.assertNotIn(self.users["dpo"], assigned)
        self.assertIn(
            line,
            self.env["dm.approval"]
            .with_user(self.users["pharmacist"])
            .search([("can_review", "=", True)]),
        )
        for role in ("technician", "engineer", "dpo", "rssi", "auditor"):
            with self.assertRaises(AccessError, msg=role):
                line.with_user(self.users[role]).action_approve()
        with self.assertRaisesRegex(UserError, "Implantable device.*pending"):
            device.with_user(technician).action_to_reception()

        line.with_user(self.users["pharmacist"]).action_approve()
        self.assertEqual(line.reviewer_id, self.users["pharmacist"])
        self.assertEqual(device.validation_status, "validated")
        device.with_user(technician).action_to_reception()
        self.assertEqual(device.lifecycle_state, "reception")

        # Archived by the administrator: no longer required.
        rule.active = False
        other = self.create_device(serial_no="IMPLANT-2", is_implantable=True)
        self.assertEqual(other.validation_status, "no")

    def test_rule_without_four_eyes_lets_the_requester_decide(self):
        rule = self.env.ref("medical_device.dm_approval_rule_dpo_data_contract")
        rule.with_user(self.admin).four_eyes = False
        dpo = self.users["dpo"]
        line = self.requested(self.cloud_device(), user="dpo")
        self.assertEqual(line.requested_by_id, dpo)
        line.with_user(dpo).action_approve()
        self.assertEqual(line.state, "approved")

    # ------------------------------------------------------------ fingerprint
    def change_behind_the_engine(self, device, **values):
        """Data changed without the engine's write() (a SQL fix, a computed
        value, a related record): the fingerprint still sees it."""
        self.env.flush_all()
        for fname, value in values.items():
            self.env.cr.execute(
                SQL(
                    "UPDATE maintenance_equipment SET %s = %s WHERE id = %s",
                    SQL.identifier(fname),
                    value,
                    device.id,
                )
            )
        self.env.invalidate_all()

    def test_changed_data_is_refused_at_decision_and_at_the_gate(self):
        device = self.cloud_device()
        line = self.requested(device)
        self.change_behind_the_engine(device, dpa_reference="DPA-FORGED")
        self.assertEqual(device.validation_status, "waiting")
        with self.assertRaisesRegex(UserError, "changed since it was requested"):
            line.with_user(self.users["dpo"]).action_approve()
        with self.assertRaisesRegex(UserError, "changed since it was requested"):
            line.with_user(self.users["dpo"]).action_open_reject_wizard()
        self.assertEqual(line.state, "pending")
        self.assertFalse(
            line.with_user(self.users["dpo"]).can_review, "not offered either"
        )
        with self.assertRaisesRegex(UserError, "data changed since the request"):
            device.with_user(self.users["technician"]).action_to_reception()

        # A new request covers the current data.
        renewed = self.requested(device)
        self.assertNotEqual(renewed, line)
        self.assertFalse(line.active)
        self.assertIn("DPA-FORGED", renewed.data_summary)
        renewed.with_user(self.users["dpo"]).action_approve()
        device.with_user(self.users["technician"]).action_to_reception()

    def test_changed_data_after_approval_closes_the_gate(self):
        device = self.cloud_device()
        line = self.requested(device)
        line.with_user(self.users["dpo"]).action_approve()
        self.change_behind_the_engine(device, hds_certified=False)
        self.assertEqual(line.state, "approved")
        with self.assertRaisesRegex(UserError, "data changed since the request"):
            device.with_user(self.users["technician"]).action_to_reception()
        self.assertEqual(device.lifecycle_state, "acquisition")

    # ------------------------------------------------------------ re-open when pending
    def test_change_of_pending_data_reopens_in_the_name_of_the_editor(self):
        """An RSSI who is also DPO edits the data of a technician's request: the
        request becomes theirs, so they cannot approve it."""
        device = self.cloud_device()
        line = self.requested(device)
        rssi_dpo = self.users["rssi_dpo"]
        # The RSSI writes devices (maintenance manager); the DPO alone cannot.
        device.with_user(rssi_dpo).write({"data_retention": "1 year"})
        self.assertFalse(line.active)
        self.assertEqual(line.superseded_reason, "Approved data changed")
        renewed = self.dpo_line(device)
        self.assertEqual(
            (renewed.state, renewed.requested_by_id), ("pending", rssi_dpo)
        )
        self.assertIn("1 year", renewed.data_summary)
        with self.assertRaisesRegex(AccessError, "four-eyes"):
            renewed.with_user(rssi_dpo).action_approve()
        with self.assertRaises(UserError):
            line.with_user(rssi_dpo).action_approve()
        self.assertFalse(line.sudo().activity_ids.exists())
        self.assertEqual(renewed.state, "pending")
        renewed.with_user(self.users["dpo"]).action_approve()
        self.assertEqual(device.validation_status, "validated")

    def test_withdrawn_line_cannot_be_decided(self):
        device = self.cloud_device()
        line = self.requested(device)
        device.with_user(self.users["engineer"]).write({"data_hosting": "hospital"})
        self.assertFalse(line.active)
        for method in ("action_approve", "action_open_reject_wizard"):
            with self.assertRaisesRegex(UserError, "withdrawn"):
                getattr(line.with_user(self.users["dpo"]), method)()
        with self.assertRaisesRegex(UserError, "withdrawn"):
            line.with_user(self.users["dpo"]).action_reject("no")
        self.assertEqual(line.state, "pending")
        self.assertFalse(line.with_user(self.users["dpo"]).can_review)

    # ------------------------------------------------------------ who requests
    def test_reading_roles_cannot_request(self):
        device = self.cloud_device(is_connected=True, acq_cyber_questionnaire=True)
        Approval = self.env["dm.approval"]
        for role in ("auditor", "internal"):
            with self.assertRaises(AccessError, msg=role):
                device.with_user(self.users[role]).action_request_approvals()
        self.assertFalse(
            Approval.search(
                [("res_model", "=", device._name), ("res_id", "=", device.id)]
            )
        )
        self.assertFalse(device.sudo().activity_ids)

        # A DPO only reads the device: they may ask another DPO, not the RSSI.
        device.with_user(self.users["dpo"]).action_request_approvals()
        self.assertTrue(self.dpo_line(device))
        self.assertFalse(device._dm_current_line("rssi_cyber_answers"))

    def test_auditor_cannot_submit_a_reception(self):
        device = self.create_device(serial_no="REC-AUD")
        device.with_user(self.users["technician"]).action_to_reception()
        reception = (
            self.env["dm.reception"]
            .with_user(self.users["technician"])
            .create({"equipment_id": device.id})
        )
        with self.assertRaises(AccessError):
            reception.with_user(self.users["auditor"]).action_submit()
        self.assertFalse(reception._dm_current_line("reception_acceptance"))

    def test_reject_wizard_cannot_decide_for_another_role(self):
        device = self.cloud_device()
        line = self.requested(device)
        Wizard = self.env["dm.approval.reject.wizard"]
        for role in ("rssi", "auditor", "technician"):
            wizard = Wizard.with_user(self.users[role]).create(
                {"approval_ids": line.ids, "comment": "Not for me"}
            )
            with self.assertRaises(AccessError, msg=role):
                wizard.action_reject()
            wizard = (
                Wizard.with_user(self.users[role])
                .with_context(default_approval_ids=line.ids)
                .create({"comment": "Not for me"})
            )
            with self.assertRaises(AccessError, msg=role):
                wizard.action_reject()
        # The requester either, four eyes.
        with self.assertRaises(AccessError):
            Wizard.with_user(self.users["technician"]).create(
                {"approval_ids": line.ids, "comment": "mine"}
            ).action_reject()
        self.assertEqual(line.state, "pending")
