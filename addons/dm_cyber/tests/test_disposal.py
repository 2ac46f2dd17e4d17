import io
from datetime import date

from dateutil.relativedelta import relativedelta
from PyPDF2 import PdfFileReader

from odoo import fields
from odoo.addons.medical_device.tests.common import MedicalDeviceCase
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

REPORT = "dm_cyber.action_report_dm_erasure_certificate"


@tagged("post_install", "-at_install")
class TestDisposal(MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Disposal = cls.env["dm.disposal"]
        cls.Medium = cls.env["dm.erasure.medium"]
        cls.recycler = cls.env["res.partner"].create(
            {"name": "Recyclage DEEE Sud", "is_company": True}
        )
        cls.admin = cls.env.ref("base.user_admin")

    # ------------------------------------------------------------ helpers
    def data_device(self, serial="DS-0001", **overrides):
        return self.device_in_service(
            serial_no=serial, patient_data=True, data_hosting="device", **overrides
        )

    def request(self, device, user="technician", **overrides):
        vals = {
            "equipment_id": device.id,
            "reason": "obsolete",
            "destination": "recycler",
            "recipient_id": self.recycler.id,
            "recycler_certificate_ref": "DEEE-2026-0042",
        }
        vals.update(overrides)
        return self.Disposal.with_user(self.users[user]).create(vals)

    def confirmed(self, device, **overrides):
        disposal = self.request(device, **overrides)
        disposal.with_user(self.users["engineer"]).action_confirm()
        return disposal

    def plan(self, disposal, user="technician", **overrides):
        vals = {"disposal_id": disposal.id, "media_type": "ssd", "serial_no": "SSD-1"}
        vals.update(overrides)
        return self.Medium.with_user(self.users[user]).create(vals)

    def execute(self, medium, user="technician", **overrides):
        vals = {
            "executed_on": fields.Date.today(),
            "result": "success",
            "verification_method": "sampling",
            "sanitiser_name": "Julien Moreau",
            "sanitiser_title": "Biomedical technician",
            "tool": "Blancco Drive Eraser",
            "tool_version": "7.9",
        }
        vals.update(overrides)
        medium = medium.with_user(self.users[user])
        medium.write(vals)
        medium.action_record_execution()
        return medium

    def erased(self, device):
        """A disposal whose two media are sanitised, submitted to the RSSI."""
        disposal = self.confirmed(device)
        self.execute(self.plan(disposal))
        self.execute(
            self.plan(disposal, media_type="removable_card", serial_no="SD-1"),
            verification_method="visual",
        )
        disposal.with_user(self.users["technician"]).action_submit_verification()
        return disposal

    def signed_off(self, device):
        disposal = self.erased(device)
        disposal.with_user(self.users["rssi"]).action_verify()
        disposal.with_user(self.users["dpo"]).action_sign_off()
        return disposal

    # ------------------------------------------------------------ request
    def test_request_records_reason_destination_and_data(self):
        device = self.data_device()
        disposal = self.request(device, planned_date=date(2026, 6, 30))
        self.assertEqual(disposal.state, "draft")
        self.assertTrue(disposal.name.startswith("REF/"))
        self.assertEqual(disposal.requested_by_id, self.users["technician"])
        self.assertEqual(
            (disposal.reason, disposal.destination, disposal.planned_date),
            ("obsolete", "recycler", date(2026, 6, 30)),
        )
        self.assertTrue(disposal.holds_data, "defaults from 'Holds patient data'")
        self.assertEqual(device.lifecycle_state, "in_service", "not confirmed yet")
        self.assertIn(disposal.name, device.message_ids[0].body)

        pump = self.device_in_service(serial_no="DS-PUMP")
        self.assertFalse(self.request(pump).holds_data)

    def test_planning_a_medium_means_the_device_holds_data(self):
        pump = self.device_in_service(serial_no="DS-PUMP")
        disposal = self.confirmed(pump)
        self.assertFalse(disposal.holds_data)
        self.plan(disposal, media_type="internal_memory")
        self.assertTrue(disposal.holds_data)

    def test_context_cannot_forge_the_request(self):
        device = self.data_device()
        with self.assertRaisesRegex(UserError, "not edited"):
            self.request(device, state="ready")
        disposal = (
            self.Disposal.with_user(self.users["technician"])
            .with_context(
                default_state="done",
                default_requested_by_id=self.users["dpo"].id,
                default_certificate_issued_on=fields.Datetime.now(),
            )
            .create({"equipment_id": device.id, "reason": "obsolete"})
        )
        self.assertEqual(disposal.state, "draft")
        self.assertEqual(disposal.requested_by_id, self.users["technician"])

    def test_only_a_device_in_service_can_be_disposed_once_at_a_time(self):
        new_device = self.create_device(serial_no="DS-NEW")
        with self.assertRaisesRegex(UserError, "only a medical device in service"):
            self.request(new_device)
        device = self.data_device()
        self.request(device)
        with self.assertRaisesRegex(UserError, "already has a disposal request"):
            self.request(device)

    def test_roles_that_may_not_request_a_disposal(self):
        device = self.data_device()
        for role in ("auditor", "rssi", "dpo", "pharmacist", "internal"):
            with self.assertRaises(AccessError, msg=role):
                self.request(device, user=role)
        self.assertFalse(self.Disposal.search([("equipment_id", "=", device.id)]))

    # ------------------------------------------------------------ confirmation
    def test_engineer_confirms_and_the_device_moves_to_disposal(self):
        device = self.data_device()
        disposal = self.request(device)
        with self.assertRaises(AccessError):
            disposal.with_user(self.users["technician"]).action_confirm()
        disposal.with_user(self.users["engineer"]).action_confirm()
        self.assertEqual(disposal.state, "erasure")
        self.assertEqual(disposal.confirmed_by_id, self.users["engineer"])
        self.assertEqual(device.lifecycle_state, "disposal")

    def test_direct_write_to_disposal_needs_a_confirmed_request(self):
        device = self.data_device()
        engineer = self.users["engineer"]
        with self.assertRaisesRegex(UserError, "confirmed by a biomedical engineer"):
            device.with_user(engineer).write({"lifecycle_state": "disposal"})
        self.request(device)
        with self.assertRaisesRegex(UserError, "confirmed by a biomedical engineer"):
            device.with_user(engineer).write({"lifecycle_state": "disposal"})
        self.assertEqual(device.lifecycle_state, "in_service")

    def test_request_disposal_action_creates_and_confirms_the_request(self):
        device = self.data_device()
        for role in ("technician", "rssi", "dpo"):
            with self.assertRaises(AccessError, msg=role):
                device.with_user(self.users[role]).action_request_disposal()
        self.assertFalse(device.disposal_ids)
        action = device.with_user(self.users["engineer"]).action_request_disposal()
        disposal = device.disposal_ids
        self.assertEqual(len(disposal), 1)
        self.assertEqual(
            (action["res_model"], action["res_id"]), (disposal._name, disposal.id)
        )
        self.assertEqual(disposal.state, "erasure")
        self.assertEqual(device.lifecycle_state, "disposal")
        # A draft request from a technician is confirmed, not duplicated.
        other = self.data_device("DS-0002")
        draft = self.request(other)
        other.with_user(self.users["engineer"]).action_request_disposal()
        self.assertEqual(other.disposal_ids, draft)
        self.assertEqual(draft.state, "erasure")

    def test_open_request_action_opens_the_form(self):
        device = self.data_device()
        action = device.with_user(
            self.users["technician"]
        ).action_open_disposal_request()
        self.assertEqual(action["context"], {"default_equipment_id": device.id})
        disposal = self.request(device)
        action = device.with_user(
            self.users["technician"]
        ).action_open_disposal_request()
        self.assertEqual(action["res_id"], disposal.id)

    # ------------------------------------------------------------ disposed gate
    def test_direct_write_to_disposed_is_refused(self):
        device = self.data_device()
        engineer = self.users["engineer"]
        with self.assertRaisesRegex(UserError, "cannot move from"):
            device.with_user(engineer).write({"lifecycle_state": "disposed"})
        disposal = self.confirmed(device)
        with self.assertRaisesRegex(UserError, "erasure plan"):
            device.with_user(engineer).write({"lifecycle_state": "disposed"})
        medium = self.plan(disposal)
        with self.assertRaisesRegex(UserError, "sanitisation of"):
            device.with_user(engineer).action_mark_disposed()
        self.execute(medium)
        with self.assertRaisesRegex(UserError, "Erasure verification by the RSSI"):
            device.with_user(engineer).write({"lifecycle_state": "disposed"})
        disposal.with_user(self.users["technician"]).action_submit_verification()
        disposal.with_user(self.users["rssi"]).action_verify()
        with self.assertRaisesRegex(UserError, "Erasure sign-off by the DPO"):
            device.with_user(engineer).write({"lifecycle_state": "disposed"})
        with self.assertRaisesRegex(UserError, "Erasure sign-off"):
            device.sudo().write({"lifecycle_state": "disposed"})
        self.assertEqual(device.lifecycle_state, "disposal")
        self.assertTrue(device.active)

    def test_recycler_needs_its_name_and_certificate_number(self):
        device = self.data_device()
        disposal = self.signed_off(device)
        engineer = self.users["engineer"]
        disposal.with_user(engineer).write(
            {"recipient_id": False, "recycler_certificate_ref": False}
        )
        with self.assertRaisesRegex(UserError, "name of the WEEE recycler"):
            disposal.with_user(engineer).action_dispose()
        with self.assertRaisesRegex(UserError, "recycler's certificate number"):
            disposal.with_user(engineer).action_dispose()
        disposal.with_user(engineer).write({"destination": "destruction"})
        disposal.with_user(engineer).action_dispose()
        self.assertEqual(device.lifecycle_state, "disposed")

    # ------------------------------------------------------------ erasure plan
    def test_defaults_from_the_media_type(self):
        disposal = self.confirmed(self.data_device())
        ssd = self.plan(disposal, media_type="ssd")
        self.assertEqual((ssd.level, ssd.method), ("purge", "secure_erase"))
        card = self.plan(disposal, media_type="removable_card", serial_no="SD-1")
        self.assertEqual((card.level, card.method), ("destroy", "shred"))
        memory = self.plan(disposal, media_type="internal_memory", serial_no=False)
        self.assertEqual((memory.level, memory.method), ("purge", "block_erase"))
        memory.with_user(self.users["technician"]).write({"level": "clear"})
        self.assertEqual(memory.method, "factory_reset")
        self.assertEqual(ssd.allowed_levels, "Purge, Destroy")

    def test_ssd_cannot_be_cleared(self):
        disposal = self.confirmed(self.data_device())
        with self.assertRaisesRegex(ValidationError, "Clear is not enough"):
            self.plan(disposal, media_type="ssd", level="clear", method="overwrite")
        ssd = self.plan(disposal)
        with self.assertRaisesRegex(ValidationError, "Clear is not enough"):
            ssd.with_user(self.users["technician"]).write({"level": "clear"})
        with self.assertRaisesRegex(ValidationError, "does not reach"):
            ssd.with_user(self.users["technician"]).write({"method": "degauss"})
        self.assertEqual(ssd.level, "purge")

    def test_medium_cannot_be_marked_sanitised_without_verification(self):
        disposal = self.confirmed(self.data_device())
        medium = self.plan(disposal)
        technician = self.users["technician"]
        with self.assertRaisesRegex(UserError, "verification method"):
            self.execute(medium, verification_method=False)
        with self.assertRaisesRegex(UserError, "name of the sanitiser"):
            self.execute(medium, sanitiser_name=False)
        with self.assertRaisesRegex(UserError, "date of the sanitisation"):
            self.execute(medium, executed_on=False)
        with self.assertRaisesRegex(UserError, "fit for the Destroy level"):
            self.execute(medium, level="destroy", method="shred")
        with self.assertRaisesRegex(UserError, "supplier's certificate"):
            self.execute(medium, verification_method="supplier_certificate")
        # The status itself is never written by a client.
        with self.assertRaisesRegex(UserError, "not edited"):
            medium.with_user(technician).write({"state": "sanitised"})
        with self.assertRaisesRegex(UserError, "not edited"):
            self.plan(disposal, state="sanitised")
        self.assertEqual(medium.state, "planned")

    def test_supplier_performs_with_its_certificate(self):
        device = self.data_device(partner_id=self.recycler.id)
        disposal = self.confirmed(device)
        medium = self.plan(disposal, performer_type="supplier")
        self.assertEqual(medium.supplier_id, self.recycler, "the device's vendor")
        self.execute(
            medium,
            verification_method="supplier_certificate",
            supplier_certificate=b"JVBERi0xLjQK",
            supplier_certificate_filename="certificate.pdf",
            supplier_certificate_ref="GE-ERASE-77",
        )
        self.assertEqual(medium.state, "sanitised")

    def test_recorded_medium_is_frozen_until_planned_again(self):
        disposal = self.confirmed(self.data_device())
        technician = self.users["technician"]
        medium = self.execute(self.plan(disposal), result="failure")
        self.assertEqual(medium.state, "failed")
        self.assertEqual(medium.recorded_by_id, technician)
        with self.assertRaisesRegex(UserError, "already recorded"):
            medium.with_user(technician).write({"level": "destroy"})
        with self.assertRaisesRegex(UserError, "evidence"):
            medium.with_user(technician).unlink()
        medium.with_user(technician).action_plan_again()
        self.assertEqual((medium.state, medium.result), ("planned", False))
        self.assertIn("planned again", disposal.message_ids[0].body)
        self.execute(
            medium, level="destroy", method="shred", verification_method="visual"
        )
        self.assertEqual(medium.state, "sanitised")

    def test_plan_is_frozen_once_submitted(self):
        disposal = self.erased(self.data_device())
        technician = self.users["technician"]
        with self.assertRaisesRegex(UserError, "frozen"):
            self.plan(disposal, serial_no="SSD-2")
        with self.assertRaisesRegex(UserError, "frozen"):
            disposal.medium_ids[0].with_user(technician).write({"tool": "Other"})
        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            disposal.with_user(technician).write({"holds_data": False})
        with self.assertRaisesRegex(UserError, "cannot plan a medium again"):
            disposal.medium_ids[0].with_user(technician).action_plan_again()

    # ------------------------------------------------------------ verification
    def test_submission_needs_every_medium_sanitised(self):
        disposal = self.confirmed(self.data_device())
        technician = self.users["technician"]
        with self.assertRaisesRegex(UserError, "at least one storage medium"):
            disposal.with_user(technician).action_submit_verification()
        self.execute(self.plan(disposal))
        self.plan(disposal, media_type="workstation", serial_no="WS-1")
        with self.assertRaisesRegex(UserError, "sanitisation of Linked workstation"):
            disposal.with_user(technician).action_submit_verification()
        self.assertEqual(disposal.state, "erasure")
        self.assertFalse(disposal.approval_ids)

    def test_rssi_approval_refused_without_complete_evidence(self):
        disposal = self.erased(self.data_device())
        line = disposal._dm_current_line("disposal_erasure_verification")
        self.assertEqual((line.state, line.role), ("pending", "rssi"))
        # Evidence lost after the submission (a data fix, an import): the engine's
        # hook refuses the RSSI's approval.
        disposal.medium_ids[0].sudo().write({"verification_method": False})
        with self.assertRaisesRegex(UserError, "cannot be verified yet"):
            line.with_user(self.users["rssi"]).action_approve()
        self.assertEqual(line.state, "pending")

    def test_dpo_cannot_verify_instead_of_the_rssi(self):
        disposal = self.erased(self.data_device())
        dpo = self.users["dpo"]
        with self.assertRaisesRegex(AccessError, "RSSI"):
            disposal.with_user(dpo).action_verify()
        line = disposal._dm_current_line("disposal_erasure_verification")
        with self.assertRaisesRegex(AccessError, "RSSI"):
            line.with_user(dpo).action_approve()
        # No sign-off is requested before the RSSI's verification.
        self.assertFalse(disposal._dm_current_line("disposal_erasure_sign_off"))
        with self.assertRaisesRegex(UserError, "no pending sign-off"):
            disposal.with_user(dpo).action_sign_off()
        for role in ("technician", "engineer", "auditor"):
            with self.assertRaises(AccessError, msg=role):
                disposal.with_user(self.users[role]).action_verify()
        self.assertEqual(disposal.state, "verification")

    def test_rssi_cannot_sign_off_for_the_dpo(self):
        disposal = self.erased(self.data_device())
        disposal.with_user(self.users["rssi"]).action_verify()
        self.assertEqual(disposal.state, "sign_off")
        line = disposal._dm_current_line("disposal_erasure_sign_off")
        self.assertEqual((line.state, line.role), ("pending", "dpo"))
        self.assertEqual(line.requested_by_id, self.users["rssi"])
        with self.assertRaises(AccessError):
            disposal.with_user(self.users["rssi"]).action_sign_off()

    def test_verification_and_sign_off_are_not_client_writes(self):
        disposal = self.erased(self.data_device())
        technician = self.users["technician"]
        for vals in (
            {"state": "ready"},
            {"certificate_issued_on": fields.Datetime.now()},
            {"no_data_confirmed_by_id": self.users["engineer"].id},
            {"disposed_on": fields.Date.today()},
        ):
            with self.assertRaisesRegex(UserError, "not edited", msg=vals):
                disposal.with_user(self.users["engineer"]).write(vals)
        line = disposal._dm_current_line("disposal_erasure_verification")
        with self.assertRaises(UserError):
            line.with_user(self.users["rssi"]).write({"state": "approved"})
        with self.assertRaises(AccessError):
            disposal.with_user(self.users["rssi"]).write({"reason": "replaced"})
        # The public request of approvals follows the workflow: no sign-off
        # before the RSSI's verification, nothing before the submission.
        with self.assertRaisesRegex(UserError, "requested by its workflow"):
            disposal.with_user(technician).action_request_approvals("sign_off")
        self.assertFalse(disposal._dm_current_line("disposal_erasure_sign_off"))
        draft = self.confirmed(self.data_device("DS-0002"))
        with self.assertRaisesRegex(UserError, "requested by its workflow"):
            draft.with_user(technician).action_request_approvals()
        self.assertFalse(draft.approval_ids)

    def test_rssi_rejection_sends_the_erasure_back(self):
        disposal = self.erased(self.data_device())
        line = disposal._dm_current_line("disposal_erasure_verification")
        line.with_user(self.users["rssi"]).action_reject("No tool report for SD-1")
        self.assertEqual(disposal.state, "erasure")
        card = disposal.medium_ids.filtered(lambda m: m.serial_no == "SD-1")
        card.with_user(self.users["technician"]).action_plan_again()
        self.execute(card, verification_method="visual", notes="Photos attached")
        disposal.with_user(self.users["technician"]).action_submit_verification()
        new_line = disposal._dm_current_line("disposal_erasure_verification")
        self.assertNotEqual(new_line, line)
        self.assertEqual(new_line.state, "pending")

    def test_dpo_rejection_reopens_the_verification(self):
        disposal = self.erased(self.data_device())
        disposal.with_user(self.users["rssi"]).action_verify()
        sign_off = disposal._dm_current_line("disposal_erasure_sign_off")
        sign_off.with_user(self.users["dpo"]).action_reject("Tool version missing")
        self.assertEqual(disposal.state, "erasure")
        self.assertFalse(disposal._dm_current_line("disposal_erasure_verification"))
        disposal.with_user(self.users["technician"]).action_submit_verification()
        disposal.with_user(self.users["rssi"]).action_verify()
        disposal.with_user(self.users["dpo"]).action_sign_off()
        self.assertEqual(disposal.state, "ready")

    # ------------------------------------------------------------ happy path
    def test_happy_path_reaches_disposed_with_a_certificate(self):
        device = self.data_device()
        disposal = self.erased(device)
        self.assertEqual(disposal.state, "verification")
        self.assertEqual(disposal.validation_status, "pending")
        disposal.with_user(self.users["rssi"]).action_verify()
        disposal.with_user(self.users["dpo"]).action_sign_off()
        self.assertEqual(disposal.state, "ready")
        self.assertEqual(disposal.verified_by_id, self.users["rssi"])
        self.assertEqual(disposal.signed_off_by_id, self.users["dpo"])
        with self.assertRaises(AccessError):
            disposal.with_user(self.users["technician"]).action_dispose()

        disposal.with_user(self.users["engineer"]).action_dispose()
        self.assertEqual(device.lifecycle_state, "disposed")
        self.assertFalse(device.active)
        self.assertEqual(disposal.state, "done")
        self.assertEqual(disposal.disposed_by_id, self.users["engineer"])
        self.assertTrue(disposal.certificate_issued_on)
        self.assertEqual(
            disposal.retention_until, fields.Date.today() + relativedelta(years=5)
        )
        self.assertFalse(device.disposed_without_certificate)
        self.assertEqual(device.current_disposal_id, disposal)
        self.assertEqual(device.disposal_state, "done")
        # Everything is frozen: the device, the disposal, its media.
        with self.assertRaisesRegex(UserError, "read-only"):
            device.with_user(self.users["engineer"]).write({"name": "Renamed"})
        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            disposal.with_user(self.users["engineer"]).write({"reason": "replaced"})
        with self.assertRaisesRegex(UserError, "frozen"):
            disposal.medium_ids[0].with_user(self.users["engineer"]).write(
                {"tool": "X"}
            )
        with self.assertRaisesRegex(UserError, "cannot be cancelled"):
            disposal.with_user(self.users["engineer"]).action_cancel()
        certificates = self.Disposal.with_user(self.users["dpo"]).search(
            [("certificate_issued_on", "!=", False), ("equipment_id", "=", device.id)]
        )
        self.assertEqual(certificates, disposal)

    def test_disposed_device_stays_searchable_and_cannot_be_deleted(self):
        device = self.data_device()
        self.env["maintenance.request"].create(
            {"name": "Battery replaced", "equipment_id": device.id}
        )
        disposal = self.signed_off(device)
        disposal.with_user(self.users["engineer"]).action_dispose()
        auditor = self.Equipment.with_user(self.users["auditor"])
        self.assertFalse(auditor.search([("id", "=", device.id)]))
        self.assertEqual(
            auditor.with_context(active_test=False).search(
                [("serial_no", "=", "DS-0001")]
            ),
            device,
        )
        self.assertEqual(
            auditor.search([("active", "=", False), ("id", "=", device.id)]), device
        )
        self.assertEqual(
            self.env["maintenance.request"]
            .with_user(self.users["auditor"])
            .search_count([("equipment_id", "=", device.id)]),
            1,
            "the maintenance register is kept",
        )
        approvals = (
            self.env["dm.approval"]
            .with_user(self.users["auditor"])
            .search([("res_model", "=", "dm.disposal"), ("res_id", "=", disposal.id)])
        )
        self.assertEqual(approvals.mapped("state"), ["approved", "approved"])
        for user in (self.users["engineer"], self.admin):
            with self.assertRaisesRegex(UserError, "cannot be deleted|archive it"):
                device.with_user(user).unlink()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            device.sudo().unlink()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            disposal.sudo().unlink()
        self.assertTrue(device.exists())

    def test_preventive_maintenance_and_reminders_stop(self):
        device = self.data_device()
        Request = self.env["maintenance.request"]
        done_stage = self.env["maintenance.stage"].search(
            [("done", "=", True)], limit=1
        )
        preventive = Request.create(
            {
                "name": "Annual preventive",
                "equipment_id": device.id,
                "maintenance_type": "preventive",
                "recurring_maintenance": True,
                "repeat_interval": 1,
                "repeat_unit": "year",
                "repeat_type": "forever",
                "schedule_date": fields.Datetime.now() + relativedelta(months=2),
            }
        )
        past = Request.create(
            {
                "name": "Last year's preventive",
                "equipment_id": device.id,
                "maintenance_type": "preventive",
                "stage_id": done_stage.id,
            }
        )
        past.recurring_maintenance = True
        corrective = Request.create({"name": "Screen", "equipment_id": device.id})
        self.assertTrue(preventive.activity_ids)
        device.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.users["rssi"].id
        )
        disposal = self.signed_off(device)
        disposal.with_user(self.users["engineer"]).action_dispose()
        self.assertTrue(preventive.archive)
        self.assertFalse(preventive.recurring_maintenance)
        self.assertFalse(preventive.activity_ids)
        self.assertFalse(past.recurring_maintenance)
        self.assertFalse(past.archive, "done operations stay in the register")
        self.assertFalse(corrective.archive)
        self.assertFalse(device.activity_ids)
        # Closing the archived preventive later spawns no new occurrence.
        preventive.stage_id = done_stage
        self.assertEqual(
            Request.search_count(
                [("equipment_id", "=", device.id), ("name", "=", "Annual preventive")]
            ),
            1,
        )

    def test_pending_approvals_of_the_device_are_withdrawn(self):
        device = self.data_device()
        disposal = self.signed_off(device)
        # A pending approval on the device (requested while it was in disposal).
        rule = {
            "key": "test_rule",
            "step": "test",
            "role": "rssi",
            "name": "Test",
            "fields": [],
            "condition": lambda d: True,
        }
        line = device.with_user(self.users["engineer"])._dm_create_line(rule)
        self.assertTrue(line.activity_ids)
        disposal.with_user(self.users["engineer"]).action_dispose()
        self.assertFalse(line.active)
        self.assertEqual(line.superseded_reason, "Device disposed")
        self.assertFalse(line.activity_ids.exists())

    # ------------------------------------------------------------ no data
    def test_device_without_data_needs_an_engineers_statement(self):
        pump = self.device_in_service(serial_no="DS-PUMP")
        disposal = self.confirmed(pump, destination="destruction")
        engineer = self.users["engineer"]
        with self.assertRaisesRegex(
            UserError, "statement that the device holds no data"
        ):
            pump.with_user(engineer).action_mark_disposed()
        with self.assertRaises(AccessError):
            disposal.with_user(self.users["technician"]).action_state_no_data(
                "No memory"
            )
        with self.assertRaisesRegex(UserError, "Write in the no-data statement"):
            disposal.with_user(engineer).action_state_no_data()
        with self.assertRaisesRegex(UserError, "no erasure to verify"):
            disposal.with_user(engineer).action_submit_verification()
        self.flush_tracking()
        disposal.with_user(engineer).write(
            {"no_data_statement": "Drug library and anonymous logs only."}
        )
        disposal.with_user(engineer).action_state_no_data()
        self.assertEqual(disposal.state, "ready")
        self.assertEqual(disposal.no_data_confirmed_by_id, engineer)
        self.assertIn("no_data_confirmed_by_id", self.tracked_fields(disposal))
        self.assertFalse(disposal.approval_ids)
        disposal.with_user(engineer).action_dispose()
        self.assertEqual(pump.lifecycle_state, "disposed")
        self.assertTrue(disposal.certificate_issued_on)
        self.assertFalse(pump.disposed_without_certificate)

    def test_no_data_statement_refused_for_a_device_with_data(self):
        engineer = self.users["engineer"]
        disposal = self.confirmed(self.data_device())
        with self.assertRaisesRegex(UserError, "recorded as holding patient data"):
            disposal.with_user(engineer).action_state_no_data("Nothing stored")
        pump = self.device_in_service(serial_no="DS-PUMP")
        disposal = self.confirmed(pump)
        self.plan(disposal, media_type="internal_memory")
        with self.assertRaisesRegex(UserError, "the device holds data"):
            disposal.with_user(engineer).action_state_no_data("Nothing stored")
        # A device in disposal cannot skip the erasure through its data flag.
        with self.assertRaisesRegex(UserError, "erasure plan|sanitisation"):
            pump.with_user(engineer).action_mark_disposed()

    # ------------------------------------------------------------ cancel
    def test_cancel_puts_the_device_back_in_service(self):
        device = self.data_device()
        disposal = self.erased(device)
        line = disposal._dm_current_line("disposal_erasure_verification")
        with self.assertRaises(AccessError):
            disposal.with_user(self.users["technician"]).action_cancel()
        disposal.with_user(self.users["engineer"]).action_cancel()
        self.assertEqual(disposal.state, "cancelled")
        self.assertEqual(device.lifecycle_state, "in_service")
        self.assertFalse(line.active, "the pending verification is withdrawn")
        # The device's own button cancels its disposal too.
        other = self.data_device("DS-0002")
        second = self.confirmed(other)
        other.with_user(self.users["engineer"]).action_cancel_disposal()
        self.assertEqual(second.state, "cancelled")
        # A cancelled disposal is history; a new request can start.
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            second.with_user(self.users["engineer"]).unlink()
        self.assertEqual(self.request(other).state, "draft")

    def test_draft_request_can_be_deleted_by_the_engineer(self):
        disposal = self.request(self.data_device())
        with self.assertRaises(AccessError):
            disposal.with_user(self.users["technician"]).unlink()
        disposal.with_user(self.users["engineer"]).unlink()
        self.assertFalse(disposal.exists())

    # ------------------------------------------------------------ DPO's view
    def test_dpo_sees_devices_disposed_without_certificate(self):
        # A device loaded as disposed (an import) has no certificate.
        imported = self.Equipment.sudo().create(
            self._acquisition_vals(serial_no="DS-IMPORTED", lifecycle_state="disposed")
        )
        disposed = self.data_device()
        self.signed_off(disposed).with_user(self.users["engineer"]).action_dispose()
        action = self.env.ref(
            "dm_cyber.maintenance_equipment_action_disposed_without_certificate"
        )
        found = (
            self.Equipment.with_user(self.users["dpo"])
            .with_context(**safe_eval(action.context))
            .search(safe_eval(action.domain))
        )
        self.assertIn(imported, found)
        self.assertNotIn(disposed, found)
        self.assertTrue(
            self.users["dpo"].has_group("base.group_allow_export"),
            "the DPO exports these lists",
        )

    def test_plain_user_opens_a_device_form(self):
        """The disposal fields are for the medical device roles: a maintenance
        user without one still reads the device's form."""
        device = self.data_device()
        self.request(device)
        user = self.users["maintenance_manager"]
        form = device.with_user(user).get_views([(False, "form")])
        self.assertNotIn("current_disposal_id", str(form["views"]["form"]["arch"]))
        device.with_user(user).web_read({"name": {}, "lifecycle_state": {}})

    def test_auditor_reads_everything_changes_nothing(self):
        disposal = self.erased(self.data_device())
        auditor = self.users["auditor"]
        self.assertEqual(
            self.Disposal.with_user(auditor).search([("id", "=", disposal.id)]),
            disposal,
        )
        self.assertTrue(disposal.with_user(auditor).medium_ids)
        with self.assertRaises(AccessError):
            disposal.with_user(auditor).write({"reason": "replaced"})
        with self.assertRaises(AccessError):
            disposal.medium_ids[0].with_user(auditor).action_record_execution()
        with self.assertRaises(AccessError):
            self.Disposal.with_user(self.users["internal"]).search([])

    # ------------------------------------------------------------ certificate
    def test_certificate_pdf_renders_with_serial_and_level(self):
        device = self.data_device()
        disposal = self.signed_off(device)
        disposal.with_user(self.users["engineer"]).action_dispose()
        report = self.env["ir.actions.report"]
        html, _ = report._render_qweb_html(REPORT, disposal.ids)
        html = html.decode()
        self.assertIn("DS-0001", html)
        self.assertIn("Purge", html)
        self.assertIn(self.users["rssi"].name, html)
        self.assertIn(self.users["dpo"].name, html)

        if report.get_wkhtmltopdf_state() != "ok":
            self.skipTest("wkhtmltopdf is not installed")
        # wkhtmltopdf fetches the stylesheets from report.url: point it at a closed
        # local port so it never waits on a server that does not answer.
        self.env["ir.config_parameter"].sudo().set_param(
            "report.url", "http://127.0.0.1:9"
        )
        pdf, kind = (
            report.with_user(self.users["engineer"])
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT, disposal.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        text = "".join(
            page.extract_text() for page in PdfFileReader(io.BytesIO(pdf)).pages
        )
        self.assertIn("DS-0001", text)
        self.assertIn("Purge", text)
        self.assertIn("Destroy", text)
        # The issued certificate is kept as an attachment of the disposal.
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "dm.disposal"), ("res_id", "=", disposal.id)]
        )
        self.assertEqual(len(attachment), 1)
        self.assertTrue(attachment.name.startswith("Erasure certificate"))
