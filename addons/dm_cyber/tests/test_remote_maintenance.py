from datetime import date, timedelta

from freezegun import freeze_time

from odoo.addons.medical_device.tests.common import MedicalDeviceCase
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

NOW = "2026-03-02 09:00:00"
TODAY = date(2026, 3, 2)


def at_noon(days):
    """Frozen time ``days`` after TODAY, at noon (the same day in any zone)."""
    return f"{TODAY + timedelta(days=days)} 12:00:00"


@tagged("post_install", "-at_install")
class TestRemoteMaintenance(MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users["rssi2"] = new_test_user(
            cls.env, login="test_dm_rssi2", groups="medical_device.group_dm_rssi"
        )
        Partner = cls.env["res.partner"]
        cls.supplier = Partner.create({"name": "MedTech SA", "is_company": True})
        cls.supplier_tech = Partner.create(
            {"name": "Paul Martin", "parent_id": cls.supplier.id}
        )
        cls.other_supplier = Partner.create({"name": "Other SA", "is_company": True})
        cls.device = cls.connected_device("TM-VPN", "supplier_vpn")
        cls.other_device = cls.connected_device("TM-VPN-2", "supplier_vpn")
        cls.Session = cls.env["dm.remote.session"]
        cls.Agreement = cls.env["dm.remote.agreement"]

    @classmethod
    def connected_device(cls, serial, channel, **overrides):
        return cls.Equipment.create(
            cls._acquisition_vals(
                name=f"Infusion pump {serial}",
                serial_no=serial,
                is_connected=True,
                remote_maintenance_channel=channel,
                partner_id=cls.supplier.id,
                **overrides,
            )
        )

    # ------------------------------------------------------------ helpers
    def request(self, user="technician", device=None, **overrides):
        vals = {
            "equipment_id": (device or self.device).id,
            "technician_name": "Paul Martin",
            "reason": "Update the drug library",
        }
        vals.update(overrides)
        return self.Session.with_user(self.users[user]).create(vals)

    def agreement(self, activate=True, **overrides):
        vals = {
            "name": "MedTech remote support 2026",
            "supplier_id": self.supplier.id,
            "equipment_ids": [(6, 0, self.device.ids)],
            "channel": "supplier_vpn",
            "date_start": TODAY - timedelta(days=30),
            "date_end": TODAY + timedelta(days=335),
        }
        vals.update(overrides)
        agreement = self.Agreement.with_user(self.users["rssi"]).create(vals)
        if activate:
            agreement.action_activate()
        return agreement

    def authorised(self, **overrides):
        session = self.request(**overrides)
        session.with_user(self.users["rssi"]).action_authorise()
        return session

    def device_notes(self, device=None):
        return [
            str(body)
            for body in (device or self.device).sudo().message_ids.mapped("body")
        ]

    # ------------------------------------------------------------ the channel
    def test_no_session_without_an_authorised_channel(self):
        cases = {
            "none": "channel is None",
            "uncontrolled": "channel is Uncontrolled",
            False: "channel is not set",
        }
        for channel, message in cases.items():
            device = self.connected_device(f"TM-{channel}", channel)
            for role in ("technician", "engineer", "rssi"):
                with self.assertRaisesRegex(UserError, message, msg=role) as caught:
                    self.request(role, device=device)
                self.assertIn("Supplier VPN or Hospital bastion", str(caught.exception))
            self.assertFalse(self.Session.search([("equipment_id", "=", device.id)]))

    def test_the_channel_is_recorded_at_request_time(self):
        device = self.connected_device("TM-BASTION", "hospital_bastion")
        session = self.request(device=device)
        self.assertEqual(session.channel, "hospital_bastion")
        self.assertEqual(session.supplier_id, self.supplier, "the device's vendor")
        self.assertTrue(session.name.startswith("TM/"))

    # ------------------------------------------------------------ request → RSSI
    def test_request_then_the_rssi_authorises(self):
        technician = self.users["technician"]
        session = self.request()
        self.assertEqual(session.state, "requested")
        self.assertEqual(session.requested_by_id, technician)
        self.assertTrue(session.requested_on)
        self.assertFalse(session.authorised_by_id)

        activities = session.sudo().activity_ids
        expected = self.env["dm.approval"]._role_members("rssi") - technician
        self.assertEqual(activities.user_id, expected)
        self.assertIn(self.users["rssi"], activities.user_id)
        self.assertIn(self.users["rssi2"], activities.user_id)

        session.with_user(self.users["rssi"]).action_authorise()
        self.assertEqual(session.state, "authorised")
        self.assertEqual(session.authorised_by_id, self.users["rssi"])
        self.assertTrue(session.authorised_on)
        self.assertFalse(session.sudo().activity_ids, "the request is answered")
        bodies = " ".join(str(b) for b in session.sudo().message_ids.mapped("body"))
        self.assertIn("Authorised by", bodies)

    def test_only_the_rssi_authorises_or_refuses(self):
        session = self.request()
        for role in ("technician", "engineer", "pharmacist", "dpo", "auditor"):
            with self.assertRaisesRegex(AccessError, "Only the RSSI", msg=role):
                session.with_user(self.users[role]).action_authorise()
            with self.assertRaisesRegex(AccessError, "Only the RSSI", msg=role):
                session.with_user(self.users[role]).action_refuse("no")
        with self.assertRaises(AccessError):
            session.with_user(self.users["internal"]).action_authorise()
        self.assertEqual(session.state, "requested")

    def test_the_requester_cannot_authorise_their_own_request(self):
        rssi = self.users["rssi"]
        session = self.request("rssi")
        self.assertNotIn(rssi, session.sudo().activity_ids.user_id)
        with self.assertRaisesRegex(AccessError, "four-eyes"):
            session.with_user(rssi).action_authorise()
        with self.assertRaisesRegex(AccessError, "four-eyes"):
            session.with_user(rssi).sudo().action_authorise()
        self.assertEqual(session.state, "requested")
        session.with_user(self.users["rssi2"]).action_authorise()
        self.assertEqual(session.authorised_by_id, self.users["rssi2"])

    def test_a_refusal_needs_a_reason(self):
        rssi = self.users["rssi"]
        session = self.request()
        with self.assertRaisesRegex(UserError, "refusal reason"):
            session.with_user(rssi).action_refuse()
        with self.assertRaisesRegex(UserError, "refusal reason"):
            session.with_user(rssi).action_refuse("   ")
        self.assertEqual(session.state, "requested")

        # From the form: the reason is written, then the button is clicked.
        session.with_user(rssi).write({"refusal_reason": "No patch window today"})
        session.with_user(rssi).action_refuse()
        self.assertEqual(session.state, "refused")
        self.assertEqual(session.refused_by_id, rssi)
        self.assertEqual(session.refusal_reason, "No patch window today")
        self.assertFalse(session.sudo().activity_ids)
        with self.assertRaisesRegex(UserError, "must be Authorised to start"):
            session.with_user(self.users["technician"]).action_start()
        with self.assertRaisesRegex(UserError, "no longer be changed"):
            session.with_user(rssi).write({"refusal_reason": "Something else"})

    def test_an_authorisation_can_be_revoked_before_the_start(self):
        session = self.authorised()
        session.with_user(self.users["rssi2"]).action_refuse("Supplier unknown")
        self.assertEqual(session.state, "refused")
        with self.assertRaises(UserError):
            session.with_user(self.users["rssi2"]).action_authorise()

    # ------------------------------------------------------------ agreements
    @freeze_time(NOW)
    def test_an_active_agreement_pre_authorises(self):
        agreement = self.agreement()
        session = self.request(supplier_id=self.supplier_tech.id)
        self.assertEqual(session.state, "authorised")
        self.assertEqual(session.agreement_id, agreement)
        self.assertEqual(session.authorised_by_id, self.users["rssi"])
        self.assertFalse(session.sudo().activity_ids, "nothing for the RSSI to do")
        bodies = " ".join(str(b) for b in session.sudo().message_ids.mapped("body"))
        self.assertIn(f"Pre-authorised by agreement {agreement.name}", bodies)
        self.assertEqual(agreement.session_count, 1)

    @freeze_time(NOW)
    def test_no_pre_authorisation_outside_the_agreement(self):
        expired = self.agreement(
            name="Expired",
            date_start=TODAY - timedelta(days=400),
            date_end=TODAY + timedelta(days=1),
        )
        with freeze_time(at_noon(2)):
            self.Agreement._cron_expire_agreements()
            self.assertEqual(expired.state, "expired")
            self.assertEqual(self.request().state, "requested", "expired agreement")
        self.agreement(activate=False, name="Draft")
        cancelled = self.agreement(name="Cancelled")
        cancelled.with_user(self.users["rssi"]).action_cancel()
        self.agreement(name="Other supplier", supplier_id=self.other_supplier.id)
        self.agreement(name="Other device", equipment_ids=self.other_device.ids)
        self.agreement(name="Other channel", channel="hospital_bastion")
        self.agreement(name="Not yet", date_start=TODAY + timedelta(days=100))
        session = self.request()
        self.assertEqual(session.state, "requested")
        self.assertFalse(session.agreement_id)
        self.assertTrue(session.sudo().activity_ids, "the RSSI must decide")

        # An active agreement past its end never pre-authorises, even before the
        # daily job marks it expired.
        late = self.agreement(name="Late", date_end=TODAY + timedelta(days=10))
        with freeze_time(at_noon(11)):
            self.assertEqual(late.state, "active")
            self.assertEqual(self.request().state, "requested")

    @freeze_time(NOW)
    def test_the_agreement_must_still_be_in_force_to_start(self):
        agreement = self.agreement(date_end=TODAY + timedelta(days=5))
        session = self.request()
        self.assertEqual(session.agreement_id, agreement)
        with (
            freeze_time(at_noon(6)),
            self.assertRaisesRegex(UserError, "no longer in force"),
        ):
            session.with_user(self.users["technician"]).action_start()
        agreement.with_user(self.users["rssi"]).action_cancel()
        with self.assertRaisesRegex(UserError, "no longer in force"):
            session.with_user(self.users["technician"]).action_start()
        self.assertEqual(session.state, "authorised")

    # ------------------------------------------------------------ the log
    def test_start_and_end_are_logged_on_the_device(self):
        technician = self.users["technician"]
        with freeze_time("2026-03-02 09:00:00"):
            session = self.authorised()
            with self.assertRaisesRegex(UserError, "must be In progress to end"):
                session.with_user(technician).action_end("too early")
            session.with_user(technician).action_start()
        self.assertEqual(session.state, "in_progress")
        self.assertEqual(str(session.start), "2026-03-02 09:00:00")
        notes = self.device_notes()
        self.assertTrue(
            any("started by" in n and "Paul Martin" in n for n in notes), notes
        )
        self.assertTrue(any("Update the drug library" in n for n in notes))

        with freeze_time("2026-03-02 10:30:00"):
            with self.assertRaisesRegex(UserError, "summary"):
                session.with_user(technician).action_end()
            session.with_user(technician).write({"summary": "Drug library v12"})
            session.with_user(technician).action_end()
        self.assertEqual(session.state, "done")
        self.assertEqual(str(session.end), "2026-03-02 10:30:00")
        self.assertAlmostEqual(session.duration, 1.5)
        ended = [n for n in self.device_notes() if "ended by" in n]
        self.assertEqual(len(ended), 1)
        for text in ("1:30", "Paul Martin", "Drug library v12", technician.name):
            self.assertIn(text, ended[0])
        with self.assertRaisesRegex(UserError, "no longer be changed"):
            session.with_user(technician).write({"summary": "rewritten"})

    def test_start_only_from_authorised_and_on_a_still_authorised_channel(self):
        technician = self.users["technician"]
        session = self.request()
        with self.assertRaisesRegex(UserError, "must be Authorised"):
            session.with_user(technician).action_start()
        session.with_user(self.users["rssi"]).action_authorise()
        self.device.with_user(self.users["engineer"]).write(
            {"remote_maintenance_channel": "uncontrolled"}
        )
        with self.assertRaisesRegex(UserError, "channel is Uncontrolled"):
            session.with_user(technician).action_start()
        self.device.with_user(self.users["engineer"]).write(
            {"remote_maintenance_channel": "hospital_bastion"}
        )
        with self.assertRaisesRegex(UserError, "needs Supplier VPN"):
            session.with_user(technician).action_start()
        self.assertEqual(session.state, "authorised")

    def test_readers_cannot_start_or_end(self):
        session = self.authorised()
        with self.assertRaises(AccessError):
            session.with_user(self.users["auditor"]).action_start()
        session.with_user(self.users["engineer"]).action_start()
        with self.assertRaises(AccessError):
            session.with_user(self.users["auditor"]).action_end("done")
        self.assertEqual(session.state, "in_progress")

    def test_the_end_cannot_precede_the_start(self):
        with freeze_time("2026-03-02 09:00:00"):
            session = self.authorised()
            session.with_user(self.users["technician"]).action_start()
        with self.assertRaisesRegex(ValidationError, "before it starts"):
            session.sudo().write({"end": "2026-03-02 08:00:00"})

    # ------------------------------------------------------------ server gates
    @freeze_time(NOW)
    def test_state_and_authorisation_cannot_be_written(self):
        session = self.request()
        agreement = self.agreement(equipment_ids=self.other_device.ids)
        forged = {
            "state": "authorised",
            "authorised_by_id": self.users["rssi"].id,
            "authorised_on": "2026-03-02 09:00:00",
            "agreement_id": agreement.id,
            "start": "2026-03-02 09:00:00",
            "channel": "hospital_bastion",
            "requested_by_id": self.users["rssi2"].id,
            "equipment_id": self.other_device.id,
        }
        for role in ("technician", "engineer", "rssi"):
            for fname, value in forged.items():
                with self.assertRaisesRegex(UserError, "set by its actions", msg=fname):
                    session.with_user(self.users[role]).write({fname: value})
        with self.assertRaisesRegex(UserError, "set by its actions"):
            self.request(state="authorised")
        with self.assertRaisesRegex(UserError, "set by its actions"):
            self.request(authorised_by_id=self.users["rssi"].id)
        forged_by_context = self.Session.with_context(
            default_state="authorised",
            default_authorised_by_id=self.users["rssi"].id,
        )
        session = forged_by_context.with_user(self.users["technician"]).create(
            {
                "equipment_id": self.device.id,
                "technician_name": "Paul Martin",
                "reason": "Forged",
            }
        )
        self.assertEqual(session.state, "requested")
        self.assertFalse(session.authorised_by_id)

    def test_the_request_is_frozen_once_authorised(self):
        session = self.request()
        session.with_user(self.users["technician"]).write(
            {"technician_name": "Jeanne Petit", "reason": "Firmware 4.2"}
        )
        session.with_user(self.users["rssi"]).action_authorise()
        with self.assertRaisesRegex(UserError, "no longer be changed"):
            session.with_user(self.users["technician"]).write(
                {"technician_name": "Someone else"}
            )
        session.with_user(self.users["technician"]).write(
            {"planned_start": "2026-03-05 14:00:00"}
        )

    def test_a_logged_session_cannot_be_deleted(self):
        withdrawn = self.request()
        withdrawn.with_user(self.users["technician"]).unlink()
        self.assertFalse(withdrawn.exists())

        authorised = self.authorised()
        refused = self.request()
        refused.with_user(self.users["rssi"]).action_refuse("No")
        done = self.authorised()
        done.with_user(self.users["technician"]).action_start()
        done.with_user(self.users["technician"]).action_end("Checked the logs")
        for session in authorised | refused | done:
            for user in (self.users["technician"], self.users["rssi"]):
                with self.assertRaisesRegex(UserError, "remote maintenance log"):
                    session.with_user(user).unlink()
            with self.assertRaisesRegex(UserError, "remote maintenance log"):
                session.sudo().unlink()
            self.assertTrue(session.exists())

    def test_access_per_role(self):
        session = self.request("engineer")
        self.assertEqual(session.state, "requested")
        auditor = self.users["auditor"]
        self.assertEqual(session.with_user(auditor).technician_name, "Paul Martin")
        with self.assertRaises(AccessError):
            self.request("auditor")
        with self.assertRaises(AccessError):
            session.with_user(auditor).write({"reason": "Audit"})
        with self.assertRaises(AccessError):
            self.Session.with_user(self.users["internal"]).search([])
        with self.assertRaises(AccessError):
            self.Agreement.with_user(self.users["internal"]).search([])
        self.assertFalse(self.Agreement.with_user(auditor).search([]))

    def test_sessions_and_agreements_of_another_company_are_invisible(self):
        other_company = self.env["res.company"].create({"name": "CHU Annexe"})
        device = self.connected_device(
            "TM-OTHER", "supplier_vpn", company_id=other_company.id
        )
        session = self.Session.create(
            {
                "equipment_id": device.id,
                "technician_name": "Paul Martin",
                "reason": "Other site",
            }
        )
        self.assertEqual(session.company_id, other_company)
        agreement = self.Agreement.create(
            {
                "name": "Other site agreement",
                "supplier_id": self.supplier.id,
                "equipment_ids": [(6, 0, device.ids)],
                "channel": "supplier_vpn",
                "date_end": date.today() + timedelta(days=30),
                "company_id": other_company.id,
            }
        )
        for role in ("technician", "rssi", "auditor"):
            user = self.users[role]
            self.assertFalse(
                self.Session.with_user(user).search([("id", "=", session.id)]), role
            )
            self.assertFalse(
                self.Agreement.with_user(user).search([("id", "=", agreement.id)]),
                role,
            )

    # ------------------------------------------------------------ agreement rules
    @freeze_time(NOW)
    def test_only_the_rssi_activates_or_cancels_an_agreement(self):
        agreement = self.agreement(activate=False)
        for role in ("technician", "engineer", "auditor", "dpo"):
            with self.assertRaisesRegex(AccessError, "Only the RSSI", msg=role):
                agreement.with_user(self.users[role]).action_activate()
        with self.assertRaises(AccessError):
            self.Agreement.with_user(self.users["engineer"]).create(
                {
                    "name": "Engineer's agreement",
                    "supplier_id": self.supplier.id,
                    "channel": "supplier_vpn",
                    "date_end": TODAY,
                }
            )
        with self.assertRaisesRegex(UserError, "Activate and Cancel"):
            agreement.with_user(self.users["rssi"]).write({"state": "active"})
        self.assertEqual(agreement.state, "draft")

        agreement.with_user(self.users["rssi"]).action_activate()
        self.assertEqual(agreement.state, "active")
        self.assertEqual(agreement.approved_by_id, self.users["rssi"])
        self.assertTrue(agreement.approved_on)
        with self.assertRaisesRegex(AccessError, "Only the RSSI"):
            agreement.with_user(self.users["engineer"]).action_cancel()
        agreement.with_user(self.users["rssi"]).action_cancel()
        self.assertEqual(agreement.state, "cancelled")
        with self.assertRaisesRegex(UserError, "history"):
            agreement.with_user(self.users["rssi"]).unlink()

    @freeze_time(NOW)
    def test_activation_needs_devices_and_a_future_end(self):
        rssi = self.users["rssi"]
        empty = self.agreement(activate=False, equipment_ids=[])
        with self.assertRaisesRegex(UserError, "covers no device"):
            empty.with_user(rssi).action_activate()
        ended = self.agreement(
            activate=False,
            date_start=TODAY - timedelta(days=60),
            date_end=TODAY - timedelta(days=1),
        )
        with self.assertRaisesRegex(UserError, "set a new end date"):
            ended.with_user(rssi).action_activate()
        ended.with_user(rssi).write({"date_end": TODAY + timedelta(days=90)})
        ended.with_user(rssi).action_activate()
        self.assertEqual(ended.state, "active")

    @freeze_time(NOW)
    def test_an_agreement_always_ends_after_it_starts(self):
        rssi = self.users["rssi"]
        with self.assertRaisesRegex(ValidationError, "always has an end date"):
            self.agreement(activate=False, date_end=False)
        with self.assertRaisesRegex(ValidationError, "before it starts"):
            self.agreement(activate=False, date_end=TODAY - timedelta(days=31))
        agreement = self.agreement(activate=False, date_end=TODAY - timedelta(days=30))
        self.assertEqual(agreement.date_start, agreement.date_end, "same day is fine")
        with self.assertRaisesRegex(ValidationError, "always has an end date"):
            agreement.with_user(rssi).write({"date_end": False})
        with self.assertRaisesRegex(ValidationError, "before it starts"):
            agreement.with_user(rssi).write({"date_start": TODAY})

    @freeze_time(NOW)
    def test_the_daily_job_expires_ended_agreements(self):
        cron = self.env.ref("dm_cyber.ir_cron_dm_remote_agreement_expire")
        self.assertEqual(cron.code, "model._cron_expire_agreements()")
        ending = self.agreement(date_end=TODAY + timedelta(days=3))
        lasting = self.agreement(date_end=TODAY + timedelta(days=30))
        draft = self.agreement(activate=False, date_end=TODAY + timedelta(days=3))
        with freeze_time(at_noon(4)):
            self.Agreement._cron_expire_agreements()
        self.assertEqual(ending.state, "expired")
        self.assertEqual(lasting.state, "active")
        self.assertEqual(draft.state, "draft")
        bodies = " ".join(str(b) for b in ending.message_ids.mapped("body"))
        self.assertIn("Expired", bodies)

    # ------------------------------------------------------------ views
    def test_device_form_opens_its_sessions(self):
        arch = self.Equipment.with_user(self.users["technician"]).get_views(
            [(False, "form")]
        )["views"]["form"]["arch"]
        action = self.env.ref("dm_cyber.dm_remote_session_action")
        self.assertIn(f'name="{action.id}"', arch)
        self.assertIn("search_default_equipment_id", arch)

    def test_views_load_for_every_role(self):
        for role in ("technician", "engineer", "rssi", "auditor"):
            for model in (self.Session, self.Agreement):
                views = model.with_user(self.users[role]).get_views(
                    [(False, "list"), (False, "form"), (False, "search")]
                )
                self.assertEqual(set(views["views"]), {"list", "form", "search"})
