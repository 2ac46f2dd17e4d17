"""The disposal's traps, closed on the server, as each role calls it:

- an erasure line filled but not recorded stays Planned, and the submission
  names it and the action that records it (“Record the erasure”);
- a level the medium does not allow is not offered (the same rule as the
  constraint, for the views) and is refused as soon as it is written;
- the recipient is asked with the request: the erasure cannot go to the RSSI
  (nor be skipped) without it, so nobody discovers it after the signatures;
- the engineer creates the recipient (create only on contacts); the other
  roles cannot.
"""

from odoo import fields
from odoo.addons.medical_device.tests.common import MedicalDeviceCase
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestDisposalTraps(MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Disposal = cls.env["dm.disposal"]
        cls.Medium = cls.env["dm.erasure.medium"]
        cls.recycler = cls.env["res.partner"].create(
            {"name": "Recyclage DEEE Ouest", "is_company": True}
        )

    # ------------------------------------------------------------ helpers
    def data_device(self, serial):
        return self.device_in_service(
            serial_no=serial, patient_data=True, data_hosting="device"
        )

    def confirmed(self, device, **overrides):
        vals = {
            "equipment_id": device.id,
            "reason": "obsolete",
            "destination": "recycler",
            "recipient_id": self.recycler.id,
        }
        vals.update(overrides)
        disposal = self.Disposal.with_user(self.users["technician"]).create(vals)
        disposal.with_user(self.users["engineer"]).action_confirm()
        return disposal

    def plan(self, disposal, **overrides):
        vals = {"disposal_id": disposal.id, "media_type": "ssd", "serial_no": "SSD-T1"}
        vals.update(overrides)
        return self.Medium.with_user(self.users["technician"]).create(vals)

    def fill(self, medium, **overrides):
        vals = {
            "executed_on": fields.Date.today(),
            "result": "success",
            "verification_method": "sampling",
            "sanitiser_name": "Julien Moreau",
        }
        vals.update(overrides)
        medium.with_user(self.users["technician"]).write(vals)

    # ------------------------------------------------------------ record
    def test_filled_line_stays_planned_and_the_submission_says_what_to_click(self):
        disposal = self.confirmed(self.data_device("TRAP-1"))
        technician = self.users["technician"]
        ssd = self.plan(disposal)
        card = self.plan(disposal, media_type="removable_card", serial_no="SD-T1")
        self.fill(ssd)
        self.fill(card, verification_method="visual")
        self.assertEqual((ssd.state, card.state), ("planned", "planned"))
        with self.assertRaises(UserError) as caught:
            disposal.with_user(technician).action_submit_verification()
        message = str(caught.exception)
        # Each line still to record is named, with the button that records it.
        for medium in (ssd, card):
            self.assertIn(f"sanitisation of {medium.display_name}", message)
        self.assertEqual(message.count("“Record the erasure”"), 2, message)
        self.assertEqual(disposal.state, "erasure")
        self.assertFalse(disposal.approval_ids)

        # Recorded, one line is no longer named; the other still is.
        ssd.with_user(technician).action_record_execution()
        self.assertEqual(ssd.state, "sanitised")
        self.assertEqual(ssd.recorded_by_id, technician)
        with self.assertRaises(UserError) as caught:
            disposal.with_user(technician).action_submit_verification()
        message = str(caught.exception)
        self.assertNotIn(ssd.display_name, message)
        self.assertIn(card.display_name, message)
        self.assertIn("“Record the erasure”", message)

        card.with_user(technician).action_record_execution()
        disposal.with_user(technician).action_submit_verification()
        self.assertEqual(disposal.state, "verification")

    def test_only_the_performers_record_the_erasure(self):
        disposal = self.confirmed(self.data_device("TRAP-2"))
        medium = self.plan(disposal)
        self.fill(medium)
        for role in ("auditor", "dpo", "rssi", "pharmacist", "internal"):
            with self.assertRaises(AccessError, msg=role):
                medium.with_user(self.users[role]).action_record_execution()
            self.assertEqual(medium.state, "planned", role)

    # ------------------------------------------------------------ levels
    def test_levels_offered_follow_the_medium(self):
        disposal = self.confirmed(self.data_device("TRAP-3"))
        expected = {
            "ssd": ["purge", "destroy"],
            "removable_card": ["destroy"],
            "workstation": ["purge", "destroy"],
            "internal_disk": ["clear", "purge", "destroy"],
        }
        for media_type, levels in expected.items():
            medium = self.plan(disposal, media_type=media_type, serial_no=media_type)
            self.assertEqual(medium.allowed_level_keys, levels, media_type)
            self.assertIn(medium.level, levels, media_type)

    def test_disallowed_level_refused_as_soon_as_written(self):
        disposal = self.confirmed(self.data_device("TRAP-4"))
        technician = self.users["technician"]
        medium = self.plan(disposal)
        with self.assertRaisesRegex(ValidationError, "Clear is not enough for"):
            medium.with_user(technician).write({"level": "clear"})
        self.assertEqual(medium.level, "purge")
        # Written with the line, by the engineer or through the disposal.
        with self.assertRaisesRegex(ValidationError, "not enough for"):
            self.plan(disposal, serial_no="SSD-T2", level="clear")
        with self.assertRaisesRegex(ValidationError, "not enough for"):
            disposal.with_user(self.users["engineer"]).write(
                {"medium_ids": [(1, medium.id, {"level": "clear"})]}
            )
        self.assertEqual(medium.level, "purge")
        self.assertEqual(len(disposal.medium_ids), 1)
        # Read in the user's language.
        self.env["res.lang"]._activate_lang("fr_FR")
        with self.assertRaisesRegex(ValidationError, "ne suffit pas pour"):
            medium.with_user(technician).with_context(lang="fr_FR").write(
                {"level": "clear"}
            )

    # ------------------------------------------------------------ recipient
    def test_recipient_asked_before_the_rssi(self):
        technician = self.users["technician"]
        engineer = self.users["engineer"]
        disposal = self.confirmed(self.data_device("TRAP-5"), recipient_id=False)
        self.fill(self.plan(disposal))
        disposal.medium_ids.with_user(technician).action_record_execution()
        with self.assertRaisesRegex(UserError, "name of the WEEE recycler"):
            disposal.with_user(technician).action_submit_verification()
        self.assertEqual(disposal.state, "erasure")
        self.assertFalse(disposal.approval_ids)
        # The rulebook's gate, whoever moves the disposal.
        with self.assertRaisesRegex(UserError, "name of the WEEE recycler"):
            disposal.sudo()._dm_set_state("verification")
        self.assertEqual(disposal.state, "erasure")
        # A donation or a return names its recipient too.
        disposal.with_user(engineer).write({"destination": "donation"})
        with self.assertRaisesRegex(UserError, r"recipient \(Donation\)"):
            disposal.with_user(technician).action_submit_verification()
        disposal.with_user(engineer).write({"recipient_id": self.recycler.id})
        disposal.with_user(technician).action_submit_verification()
        self.assertEqual(disposal.state, "verification")

    def test_recipient_asked_before_the_no_data_statement(self):
        engineer = self.users["engineer"]
        device = self.device_in_service(serial_no="TRAP-6")
        disposal = self.confirmed(
            device, destination="supplier_return", recipient_id=False
        )
        with self.assertRaisesRegex(UserError, "recipient"):
            disposal.with_user(engineer).action_state_no_data("No memory at all.")
        self.assertEqual(disposal.state, "erasure")
        with self.assertRaisesRegex(UserError, "recipient"):
            disposal.sudo()._dm_set_state("ready")
        # A destruction may be the hospital's own: no recipient needed.
        disposal.with_user(engineer).write({"destination": "destruction"})
        disposal.with_user(engineer).action_state_no_data("No memory at all.")
        self.assertEqual(disposal.state, "ready")

    # ------------------------------------------------------------ partner
    def test_engineer_creates_the_recipient_and_nothing_more(self):
        engineer = self.users["engineer"]
        Partner = self.env["res.partner"]
        partner_id, _name = Partner.with_user(engineer).name_create("DEEE Recyclage")
        recycler = Partner.browse(partner_id)
        self.assertTrue(recycler.exists())
        disposal = self.confirmed(
            self.data_device("TRAP-7"), recipient_id=False, destination="recycler"
        )
        disposal.with_user(engineer).write({"recipient_id": recycler.id})
        self.assertEqual(disposal.recipient_id, recycler)
        # Create only: no change to existing contacts (a user's own partner,
        # the recipient just created), no delete.
        admin_partner = self.env.ref("base.user_admin").partner_id
        for partner in (admin_partner, recycler, self.users["dpo"].partner_id):
            with self.assertRaises(AccessError):
                partner.with_user(engineer).write({"email": "attacker@example.com"})
            with self.assertRaises(AccessError):
                partner.with_user(engineer).unlink()
        self.assertNotEqual(admin_partner.email, "attacker@example.com")
        # Nor a user, a contact, a bank account through the partner it creates
        # (the ORM would create a user as the superuser), in the values or in
        # the context's defaults.
        admin_group = self.env.ref("base.group_system")
        user_vals = {
            "login": "backdoor",
            "name": "Back door",
            "group_ids": [(4, admin_group.id)],
        }
        for vals in (
            {"user_ids": [(0, 0, user_vals)]},
            {"child_ids": [(0, 0, {"name": "Hidden contact"})]},
            {"parent_id": admin_partner.id},
            {"bank_ids": [(0, 0, {"acc_number": "FR76 0000"})]},
        ):
            with self.assertRaisesRegex(AccessError, "own data only", msg=str(vals)):
                Partner.with_user(engineer).create({"name": "Back door", **vals})
        # A refused default in the context is dropped: the partner has no user.
        partner = (
            Partner.with_user(engineer)
            .with_context(default_user_ids=[(0, 0, user_vals)])
            .create({"name": "Default door"})
        )
        self.assertFalse(partner.sudo().user_ids)
        self.assertFalse(
            self.env["res.users"]
            .with_context(active_test=False)
            .search([("login", "=", "backdoor")])
        )
        self.assertFalse(
            Partner.search([("name", "in", ("Back door", "Hidden contact"))])
        )

    def test_other_roles_cannot_create_contacts(self):
        Partner = self.env["res.partner"]
        for role in ("technician", "auditor", "rssi", "dpo", "pharmacist", "internal"):
            user = self.users[role]
            self.assertFalse(
                user.has_group("medical_device.group_dm_partner_creator"), role
            )
            with self.assertRaises(AccessError, msg=role):
                Partner.with_user(user).create({"name": f"Recycler by {role}"})
            with self.assertRaises(AccessError, msg=role):
                Partner.with_user(user).name_create(f"Quick recycler by {role}")
        self.assertFalse(Partner.search([("name", "ilike", "recycler by")]))
