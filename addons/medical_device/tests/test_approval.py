from contextlib import nullcontext
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import MedicalDeviceCase

# The daily job's queries, whatever the number of records it handles.
# (+1 since the reminder is written in each member's language: their languages.)
REMINDER_QUERIES = 23


@tagged("post_install", "-at_install")
class TestApprovalEngine(MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users["dpo2"] = new_test_user(
            cls.env, login="test_dm_dpo2", groups="medical_device.group_dm_dpo"
        )
        cls.users["engineer2"] = new_test_user(
            cls.env,
            login="test_dm_engineer2",
            groups="medical_device.group_dm_engineer",
        )

    def cloud_device(self, **overrides):
        """A device whose patient data goes to a supplier cloud: the DPO must
        approve the data-processing contract before reception."""
        vals = {
            "serial_no": "CLOUD-1",
            "patient_data": True,
            "data_hosting": "cloud",
            "dpa_reference": "DPA-2026-017",
            "hds_certified": True,
            "data_retention": "20 years",
        }
        vals.update(overrides)
        return self.create_device(**vals)

    def dpo_line(self, device):
        return device._dm_current_line("dpo_data_contract")

    # ------------------------------------------------------------ the gate
    def test_reception_gate_waits_for_the_dpo(self):
        device = self.cloud_device()
        technician = self.users["technician"]
        self.assertEqual(device.validation_status, "waiting")
        with self.assertRaisesRegex(
            UserError, "Data-processing contract.*not requested"
        ):
            device.with_user(technician).write({"lifecycle_state": "reception"})

        device.with_user(technician).action_request_approvals()
        line = self.dpo_line(device)
        self.assertEqual((line.state, line.role), ("pending", "dpo"))
        self.assertEqual(
            line.with_user(self.users["dpo"]).res_name, device.display_name
        )
        self.assertEqual(line.requested_by_id, technician)
        self.assertIn("HDS", line.data_summary)
        self.assertEqual(device.validation_status, "pending")
        with self.assertRaisesRegex(UserError, "Data-processing contract.*pending"):
            device.with_user(technician).action_to_reception()

        line.with_user(self.users["dpo"]).action_approve()
        self.assertEqual(device.validation_status, "validated")
        device.with_user(technician).action_to_reception()
        self.assertEqual(device.lifecycle_state, "reception")

    def test_no_dpo_approval_for_data_kept_in_the_hospital(self):
        device = self.cloud_device(data_hosting="hospital")
        self.assertEqual(device.validation_status, "no")
        device.with_user(self.users["technician"]).action_to_reception()
        self.assertEqual(device.lifecycle_state, "reception")

    def test_rejected_approval_blocks_until_a_new_request(self):
        device = self.cloud_device()
        device.with_user(self.users["technician"]).action_request_approvals()
        line = self.dpo_line(device)
        with self.assertRaisesRegex(UserError, "comment"):
            line.with_user(self.users["dpo"]).action_reject()
        line.with_user(self.users["dpo"]).action_reject("No HDS certificate attached")
        self.assertEqual(line.state, "rejected")
        self.assertEqual(device.validation_status, "rejected")
        with self.assertRaisesRegex(UserError, "rejected"):
            device.with_user(self.users["technician"]).action_to_reception()

        device.with_user(self.users["technician"]).action_request_approvals()
        self.assertFalse(line.active, "the rejected line is kept as history")
        new_line = self.dpo_line(device)
        self.assertNotEqual(new_line, line)
        self.assertEqual(new_line.state, "pending")

    def test_connected_device_needs_the_rssi(self):
        device = self.create_device(
            serial_no="NET-1",
            is_connected=True,
            acq_cyber_questionnaire=True,
            acq_data_protection_clauses=True,
            supplier_cyber_answers="MDS2 received, no default accounts",
        )
        with self.assertRaisesRegex(UserError, "cybersecurity answers by the RSSI"):
            device.with_user(self.users["technician"]).action_to_reception()
        device.with_user(self.users["technician"]).action_request_approvals()
        line = device._dm_current_line("rssi_cyber_answers")
        for role in ("dpo", "engineer", "pharmacist"):
            with self.assertRaises(AccessError, msg=role):
                line.with_user(self.users[role]).action_approve()
        line.with_user(self.users["rssi"]).action_approve()
        device.with_user(self.users["technician"]).action_to_reception()
        self.assertEqual(device.lifecycle_state, "reception")

    # ------------------------------------------------------------ who decides
    def test_only_the_role_decides(self):
        device = self.cloud_device()
        device.with_user(self.users["technician"]).action_request_approvals()
        line = self.dpo_line(device)
        for role in ("technician", "engineer", "pharmacist", "rssi", "auditor"):
            with self.assertRaises(AccessError, msg=role):
                line.with_user(self.users[role]).action_approve()
            with self.assertRaises(AccessError, msg=role):
                line.with_user(self.users[role]).action_reject("no")
        with self.assertRaises(AccessError):
            line.with_user(self.users["internal"]).action_approve()
        self.assertEqual(line.state, "pending")
        line.with_user(self.users["dpo"]).action_approve()
        self.assertEqual(line.reviewer_id, self.users["dpo"])
        self.assertTrue(line.reviewed_on)

    def test_four_eyes_even_for_an_administrator(self):
        device = self.cloud_device()
        dpo = self.users["dpo"]
        device.with_user(dpo).action_request_approvals()
        line = self.dpo_line(device)
        with self.assertRaisesRegex(AccessError, "four-eyes"):
            line.with_user(dpo).action_approve()
        with self.assertRaisesRegex(AccessError, "four-eyes"):
            line.with_user(dpo).sudo().action_approve()

        admin = self.env.ref("base.user_admin")
        admin.group_ids += self.env.ref("medical_device.group_dm_dpo")
        other = self.cloud_device(serial_no="CLOUD-ADMIN")
        other.with_user(admin).action_request_approvals()
        with self.assertRaisesRegex(AccessError, "four-eyes"):
            self.dpo_line(other).with_user(admin).action_approve()
        self.dpo_line(other).with_user(self.users["dpo2"]).action_approve()
        self.assertEqual(self.dpo_line(other).state, "approved")

    def test_decided_line_cannot_be_edited_or_deleted(self):
        device = self.cloud_device()
        device.with_user(self.users["technician"]).action_request_approvals()
        line = self.dpo_line(device)
        line.with_user(self.users["dpo"]).action_approve()
        for user in (self.users["dpo"], self.env.ref("base.user_admin")):
            with self.assertRaises(UserError):
                line.with_user(user).write({"state": "rejected"})
            with self.assertRaises(UserError):
                line.with_user(user).write({"comment": "edited afterwards"})
        with self.assertRaisesRegex(UserError, "already decided"):
            line.sudo().write({"state": "rejected"})
        with self.assertRaisesRegex(UserError, "already decided"):
            line.with_user(self.users["dpo2"]).action_reject("changed my mind")
        with self.assertRaisesRegex(UserError, "history"):
            line.sudo().unlink()
        self.assertEqual(line.state, "approved")

    def test_clients_cannot_create_or_decide_lines_by_write(self):
        device = self.cloud_device()
        with self.assertRaises(AccessError):
            self.env["dm.approval"].with_user(self.users["dpo"]).create(
                {
                    "name": "Forged",
                    "res_model": device._name,
                    "res_id": device.id,
                    "rule_key": "dpo_data_contract",
                    "step": "reception",
                    "role": "dpo",
                    "state": "approved",
                }
            )
        device.with_user(self.users["technician"]).action_request_approvals()
        line = self.dpo_line(device)
        with self.assertRaisesRegex(UserError, "Approve and Reject"):
            line.with_user(self.users["dpo"]).write({"state": "approved"})
        self.assertEqual(line.state, "pending")

    # ------------------------------------------------------------ reset on change
    def test_change_of_approved_data_resets_to_pending(self):
        device = self.cloud_device()
        device.with_user(self.users["technician"]).action_request_approvals()
        approved = self.dpo_line(device)
        approved.with_user(self.users["dpo"]).action_approve()
        self.flush_tracking()

        device.with_user(self.users["engineer"]).write({"location": "Ward 5"})
        self.assertEqual(self.dpo_line(device), approved, "unrelated change")

        device.with_user(self.users["engineer"]).write({"data_hosting": "supplier"})
        self.assertFalse(approved.active)
        self.assertEqual(approved.state, "approved", "history is not rewritten")
        renewed = self.dpo_line(device)
        self.assertEqual(renewed.state, "pending")
        self.assertEqual(renewed.requested_by_id, self.users["engineer"])
        self.assertIn("Supplier server", renewed.data_summary)
        messages = device.sudo().message_ids.mapped("body")
        self.assertTrue(any("pending again" in str(body) for body in messages))
        with self.assertRaisesRegex(UserError, "Data-processing contract.*pending"):
            device.with_user(self.users["technician"]).action_to_reception()

    def test_status_after_the_gated_steps_counts_requested_approvals_only(self):
        self.assertEqual(
            self.device_in_service(serial_no="PLAIN-SVC").validation_status, "no"
        )
        device = self.cloud_device(serial_no="CLOUD-SVC")
        device.with_user(self.users["technician"]).action_request_approvals()
        self.dpo_line(device).with_user(self.users["dpo"]).action_approve()
        device.with_user(self.users["technician"]).action_to_reception()
        reception = self.reception_ready(device)
        reception.with_user(self.users["engineer"]).action_accept()
        device.with_user(self.users["technician"]).action_put_in_service()
        self.assertEqual(device.validation_status, "validated")
        device.with_user(self.users["engineer"]).write({"hds_certified": False})
        self.assertEqual(device.validation_status, "pending")

    def test_approval_no_longer_required_is_withdrawn(self):
        device = self.cloud_device()
        device.with_user(self.users["technician"]).action_request_approvals()
        line = self.dpo_line(device)
        device.write({"data_hosting": "hospital"})
        self.assertFalse(line.active)
        self.assertEqual(line.superseded_reason, "No longer required")
        self.assertFalse(self.dpo_line(device))

    # ------------------------------------------------------------ activities, menu
    def test_pending_line_gives_activities_to_the_role(self):
        device = self.cloud_device()
        device.with_user(self.users["technician"]).action_request_approvals()
        line = self.dpo_line(device)
        assigned = line.sudo().activity_ids.mapped("user_id")
        self.assertIn(self.users["dpo"], assigned)
        self.assertIn(self.users["dpo2"], assigned)
        self.assertNotIn(self.users["rssi"], assigned)
        self.assertNotIn(self.users["technician"], assigned)
        self.assertEqual(set(line.sudo().activity_ids.mapped("res_id")), {device.id})
        line.with_user(self.users["dpo"]).action_approve()
        self.assertFalse(line.sudo().activity_ids.exists().filtered("active"))
        self.assertFalse(device.sudo().activity_ids)

    def test_mark_done_on_an_approval_activity_never_records_a_false_approval(self):
        """ "Mark Done" on the reviewer's activity neither posts a "done"
        message nor removes the reminder: the approval is decided on the
        document only, and then its activity closes."""
        device = self.cloud_device()
        device.with_user(self.users["technician"]).action_request_approvals()
        line = self.dpo_line(device)
        dpo = self.users["dpo"]
        activity = line.sudo().activity_ids.filtered(lambda a: a.user_id == dpo)
        self.assertTrue(activity)
        messages_before = device.sudo().message_ids
        for call in (
            lambda act: act.action_done(),
            lambda act: act.action_feedback(feedback="ok"),
            lambda act: act.action_done_schedule_next(),
        ):
            with self.assertRaisesRegex(UserError, "does not decide the approval"):
                call(activity.with_user(dpo))
        self.assertTrue(activity.exists().active)
        self.assertEqual(line.state, "pending")
        self.assertEqual(device.sudo().message_ids, messages_before)
        # Deciding closes it, with the decision as its feedback.
        line.with_user(dpo).action_approve()
        self.assertEqual(line.state, "approved")
        self.assertFalse(line.sudo().activity_ids.exists().filtered("active"))

    def test_my_approvals_lists_what_waits_for_me(self):
        device = self.cloud_device()
        device.with_user(self.users["dpo2"]).action_request_approvals()
        line = self.dpo_line(device)
        Approval = self.env["dm.approval"]
        domain = [("can_review", "=", True)]
        self.assertIn(line, Approval.with_user(self.users["dpo"]).search(domain))
        self.assertNotIn(line, Approval.with_user(self.users["dpo2"]).search(domain))
        self.assertNotIn(line, Approval.with_user(self.users["rssi"]).search(domain))
        action = self.env.ref("medical_device.dm_approval_action_my")
        self.assertIn("can_review", action.domain)

    def test_reject_wizard_needs_the_role(self):
        device = self.cloud_device()
        device.with_user(self.users["technician"]).action_request_approvals()
        line = self.dpo_line(device)
        wizard = (
            self.env["dm.approval.reject.wizard"]
            .with_user(self.users["dpo"])
            .create({"approval_ids": line.ids, "comment": "Retention too long"})
        )
        wizard.action_reject()
        self.assertEqual((line.state, line.comment), ("rejected", "Retention too long"))

    # ------------------------------------------------------------ reminders
    def reminder_digests(self, role_user):
        """Reminder digests notified to a user, newest first."""
        return (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", False),
                    ("subject", "=like", "Reminder:%"),
                    ("partner_ids", "in", self.users[role_user].partner_id.ids),
                ],
                order="id desc",
            )
        )

    def set_reminder_days(self, days):
        self.env["ir.config_parameter"].sudo().set_param(
            "medical_device.approval_reminder_days", days
        )

    def test_daily_reminder_once_per_period(self):
        device = self.cloud_device()
        device.with_user(self.users["technician"]).action_request_approvals()
        line = self.dpo_line(device)
        line.sudo().requested_on = fields.Datetime.now() - timedelta(days=5)
        self.set_reminder_days(3)
        chatter = device.sudo().message_ids

        self.env["dm.approval"]._cron_remind_pending()
        digest = self.reminder_digests("dpo")
        self.assertEqual(len(digest), 1)
        dpos = self.env["dm.approval"]._role_members("dpo")
        self.assertLessEqual(self.users["dpo"] | self.users["dpo2"], dpos)
        self.assertEqual(
            digest.partner_ids,
            dpos.partner_id,
            "one notification to the role's members, no one else",
        )
        self.assertEqual(digest.subject, "Reminder: 1 approval(s) pending (DPO)")
        self.assertIn(f"{device.display_name} — {line.name}", str(digest.body))
        self.assertIn('href="/odoo/my-dm-approvals"', str(digest.body))
        self.assertNotIn("more.", str(digest.body))
        device.invalidate_recordset(["message_ids"])
        self.assertEqual(device.sudo().message_ids, chatter, "nothing on the chatter")
        self.assertFalse(self.reminder_digests("rssi"))

        self.env["dm.approval"]._cron_remind_pending()
        self.assertEqual(
            self.reminder_digests("dpo"), digest, "no second reminder within the period"
        )
        line.sudo().last_reminder_on = fields.Datetime.now() - timedelta(days=4)
        self.env["dm.approval"]._cron_remind_pending()
        self.assertEqual(len(self.reminder_digests("dpo")), 2, "a new period")

    def test_reminder_queries_do_not_grow_with_pending_lines(self):
        """One digest per role: 30 pending lines cost the queries of 3."""
        self.set_reminder_days(3)
        Approval = self.env["dm.approval"]

        def queries(prefix, count, measured=True):
            devices = self.Equipment.create(
                [
                    self._acquisition_vals(
                        serial_no=f"{prefix}-{i}",
                        patient_data=True,
                        data_hosting="cloud",
                    )
                    for i in range(count)
                ]
            )
            devices.with_user(self.users["technician"]).action_request_approvals()
            lines = Approval.search(
                [("res_model", "=", devices._name), ("res_id", "in", devices.ids)]
            )
            self.assertEqual(len(lines), count)
            lines.sudo().requested_on = fields.Datetime.now() - timedelta(days=5)
            self.env.flush_all()
            self.env.invalidate_all()
            counted = self.assertQueryCount(REMINDER_QUERIES)
            with counted if measured else nullcontext():
                Approval._cron_remind_pending()
            self.assertTrue(all(lines.mapped("last_reminder_on")))

        queries("WARM", 2, measured=False)
        queries("SMALL", 3)
        queries("LARGE", 30)
        digest = self.reminder_digests("dpo")[:1]
        self.assertEqual(digest.subject, "Reminder: 30 approval(s) pending (DPO)")
        body = str(digest.body)
        self.assertEqual(body.count("<li>"), 20)
        self.assertIn("and 10 more.", body)
        self.assertNotIn("SMALL-", body, "lines already reminded are left out")

    def test_approvals_of_another_company_are_invisible(self):
        other_company = self.env["res.company"].create({"name": "CHU Annexe"})
        device = self.Equipment.create(
            self._acquisition_vals(
                serial_no="CLOUD-OTHER",
                company_id=other_company.id,
                patient_data=True,
                data_hosting="cloud",
            )
        )
        device.action_request_approvals()
        line = self.dpo_line(device)
        self.assertEqual(line.company_id, other_company)
        visible = (
            self.env["dm.approval"]
            .with_user(self.users["dpo"])
            .search([("id", "=", line.id)])
        )
        self.assertFalse(visible)


@tagged("post_install", "-at_install")
class TestReceptionApproval(MedicalDeviceCase):
    def test_submitter_cannot_accept_their_own_reception(self):
        engineer2 = new_test_user(
            self.env, login="test_dm_eng_b", groups="medical_device.group_dm_engineer"
        )
        device = self.create_device(serial_no="REC-4E")
        device.with_user(self.users["technician"]).action_to_reception()
        reception = self.reception_ready(device)
        reception.action_submit()  # already pending: nothing new is requested
        line = reception._dm_current_line("reception_acceptance")
        self.assertEqual(line.requested_by_id, self.users["technician"])

        own = (
            self.env["dm.reception"]
            .with_user(engineer2)
            .create({"equipment_id": device.id, **self.pieu_syringe_pump})
        )
        own.action_submit()
        with self.assertRaisesRegex(AccessError, "four-eyes"):
            own.with_user(engineer2).action_accept()
        reception.with_user(engineer2).action_accept()
        self.assertEqual(reception.state, "accepted")
        self.assertEqual(reception.decided_by_id, engineer2)

    def test_accept_before_submission_is_refused(self):
        device = self.create_device(serial_no="REC-NS")
        device.with_user(self.users["technician"]).action_to_reception()
        reception = (
            self.env["dm.reception"]
            .with_user(self.users["technician"])
            .create({"equipment_id": device.id})
        )
        with self.assertRaisesRegex(UserError, "submitted"):
            reception.with_user(self.users["engineer"]).action_accept()
