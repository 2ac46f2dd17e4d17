"""Attacks on the workflow of dm_cyber's gated documents, as the roles a
hospital would fear (technician, RSSI holding two roles, auditor, plain
internal user), through create/write/copy/unlink/actions with any context: each
attack is refused or changes nothing, read back from the database."""

from datetime import date, timedelta

from odoo import fields
from odoo.addons.medical_device.tests.common import MedicalDeviceCase
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

# AccessError and ValidationError are UserErrors too.
REFUSED = UserError


class WorkflowAttackCase(MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # An RSSI who is also a technician (two roles), and a second RSSI.
        cls.users["rssi_technician"] = new_test_user(
            cls.env,
            login="test_dm_rssi_technician",
            groups="medical_device.group_dm_rssi,medical_device.group_dm_technician",
        )
        cls.users["rssi2"] = new_test_user(
            cls.env, login="test_dm_rssi2", groups="medical_device.group_dm_rssi"
        )
        cls.supplier = cls.env["res.partner"].create(
            {"name": "MedTech SA", "is_company": True}
        )

    # ------------------------------------------------------------ helpers
    def snapshot(self, records, fnames):
        records.invalidate_recordset()
        return records.sudo().read(fnames)

    def assertRefusedUnchanged(self, records, fnames, call, msg=None):
        """``call()`` is refused and ``fnames`` of ``records`` are unchanged in
        the database."""
        before = self.snapshot(records, fnames)
        with self.assertRaises(REFUSED, msg=msg):
            call()
        self.assertEqual(self.snapshot(records, fnames), before, msg)

    def forged_context(self, **defaults):
        return {f"default_{key}": value for key, value in defaults.items()}


@tagged("post_install", "-at_install")
class TestRemoteWorkflowAttacks(WorkflowAttackCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.device = cls.Equipment.create(
            cls._acquisition_vals(
                name="Infusion pump ATK",
                serial_no="ATK-VPN",
                is_connected=True,
                remote_maintenance_channel="supplier_vpn",
                partner_id=cls.supplier.id,
            )
        )
        cls.Session = cls.env["dm.remote.session"]
        cls.Agreement = cls.env["dm.remote.agreement"]

    def request(self, user="technician", **context):
        return (
            self.Session.with_user(self.users[user])
            .with_context(**context)
            .create(
                {
                    "equipment_id": self.device.id,
                    "technician_name": "Paul Martin",
                    "reason": "Update the drug library",
                }
            )
        )

    def new_agreement(self, activate=False, **vals):
        agreement = self.Agreement.with_user(self.users["rssi"]).create(
            {
                "name": "MedTech remote support",
                "supplier_id": self.supplier.id,
                "equipment_ids": [(6, 0, self.device.ids)],
                "channel": "supplier_vpn",
                "date_end": date.today() + timedelta(days=30),
                **vals,
            }
        )
        if activate:
            agreement.with_user(self.users["rssi"]).action_activate()
        return agreement

    # ------------------------------------------------------------ sessions
    def test_session_context_defaults_forge_nothing(self):
        engineer = self.users["engineer"]
        agreement = self.new_agreement()  # a draft: covers nothing
        forged = self.forged_context(
            state="done",
            name="TM/FORGED",
            channel="hospital_bastion",
            requested_by_id=engineer.id,
            requested_on="2020-01-01 00:00:00",
            authorised_by_id=self.users["rssi"].id,
            authorised_on="2020-01-01 00:00:00",
            agreement_id=agreement.id,
            refused_by_id=self.users["rssi"].id,
            start="2020-01-01 00:00:00",
            end="2020-01-01 01:00:00",
            duration=12.0,
            company_id=self.env.company.id,
            # Aimed at the activities the request schedules in sudo.
            user_id=engineer.id,
            res_id=self.device.id,
            date_deadline="2020-01-01",
        )
        rssi_members = self.env["dm.approval"]._role_members("rssi")
        for role in ("technician", "rssi_technician"):
            session = self.request(role, **forged)
            self.assertEqual(session.state, "requested", role)
            self.assertEqual(session.requested_by_id, self.users[role])
            self.assertNotEqual(session.name, "TM/FORGED")
            self.assertEqual(session.channel, "supplier_vpn")
            self.assertFalse(
                session.authorised_by_id
                or session.authorised_on
                or session.agreement_id
                or session.refused_by_id
                or session.start
                or session.end
                or session.duration,
                role,
            )
            # The RSSI's activities are the request's, whatever the context.
            activities = session.sudo().activity_ids
            self.assertEqual(activities.user_id, rssi_members - self.users[role])
            self.assertEqual(set(activities.mapped("res_id")), {session.id})
            self.assertNotIn(date(2020, 1, 1), activities.mapped("date_deadline"))

    def test_session_forged_values_are_refused_at_create_and_copy(self):
        forged = {
            "state": "authorised",
            "authorised_by_id": self.users["rssi"].id,
            "authorised_on": fields.Datetime.now(),
            "refused_by_id": self.users["rssi"].id,
            "start": fields.Datetime.now(),
            "duration": 2.0,
            "name": "TM/FORGED",
        }
        count = self.Session.search_count([])
        for fname, value in forged.items():
            with self.assertRaises(UserError, msg=fname):
                self.Session.with_user(self.users["rssi_technician"]).create(
                    {
                        "equipment_id": self.device.id,
                        "technician_name": "Paul Martin",
                        "reason": "Forged",
                        fname: value,
                    }
                )
        session = self.request()
        for fname, value in forged.items():
            with self.assertRaises(UserError, msg=fname):
                session.with_user(self.users["technician"]).copy({fname: value})
        self.assertEqual(self.Session.search_count([]), count + 1)
        copied = session.with_user(self.users["technician"]).copy()
        self.assertEqual(copied.state, "requested")
        self.assertNotEqual(copied.name, session.name)

    def test_session_protected_and_computed_fields_are_not_written(self):
        session = self.request()
        session.with_user(self.users["rssi"]).action_authorise()
        agreement = self.new_agreement(activate=True)
        other = self.Equipment.create(
            self._acquisition_vals(
                name="Other pump",
                serial_no="ATK-OTHER",
                is_connected=True,
                remote_maintenance_channel="hospital_bastion",
            )
        )
        forged = {
            "name": "TM/FORGED",
            "equipment_id": other.id,
            "supplier_id": self.env.user.partner_id.id,
            "channel": "hospital_bastion",
            "requested_by_id": self.users["rssi"].id,
            "requested_on": "2020-01-01 00:00:00",
            "state": "in_progress",
            "authorised_by_id": self.users["rssi2"].id,
            "authorised_on": "2020-01-01 00:00:00",
            "agreement_id": agreement.id,
            "refused_by_id": self.users["rssi"].id,
            "refused_on": "2020-01-01 00:00:00",
            "start": "2020-01-01 00:00:00",
            "end": "2020-01-01 01:00:00",
            "duration": 12.0,
            "company_id": self.env.company.id,
            "technician_name": "Someone else",  # frozen once authorised
            "summary": "Nothing",  # only while in progress
        }
        for role in ("technician", "engineer", "rssi_technician", "auditor"):
            for fname, value in forged.items():
                self.assertRefusedUnchanged(
                    session,
                    list(forged),
                    lambda fname=fname, value=value, role=role: session.with_user(
                        self.users[role]
                    ).write({fname: value}),
                    msg=f"{role} {fname}",
                )
        # Nor through the agreement's list of sessions.
        self.assertRefusedUnchanged(
            session,
            ["agreement_id"],
            lambda: agreement.with_user(self.users["rssi"]).write(
                {"session_ids": [(4, session.id)]}
            ),
        )

    def test_session_actions_as_the_wrong_role_change_nothing(self):
        read = ["state", "authorised_by_id", "refused_by_id", "start", "end"]
        own = self.request("rssi_technician")
        # Four eyes: an RSSI who is also the requesting technician.
        for call in (
            lambda: own.with_user(self.users["rssi_technician"]).action_authorise(),
            lambda: (
                own.with_user(self.users["rssi_technician"]).sudo().action_authorise()
            ),
        ):
            self.assertRefusedUnchanged(own, read, call)
        session = self.request()
        for role in ("technician", "engineer", "auditor", "internal", "dpo"):
            user = self.users[role]
            for call in (
                lambda user=user: session.with_user(user).action_authorise(),
                lambda user=user: session.with_user(user).action_refuse("No"),
            ):
                self.assertRefusedUnchanged(session, read, call, msg=role)
        session.with_user(self.users["rssi"]).action_authorise()
        for role in ("auditor", "internal"):
            user = self.users[role]
            for call in (
                lambda user=user: session.with_user(user).action_start(),
                lambda user=user: session.with_user(user).action_end("done"),
            ):
                self.assertRefusedUnchanged(session, read, call, msg=role)
        # Ending before starting, authorising twice: refused by the steps.
        self.assertRefusedUnchanged(
            session,
            read,
            lambda: session.with_user(self.users["technician"]).action_end("x"),
        )
        self.assertRefusedUnchanged(
            session,
            read,
            lambda: session.with_user(self.users["rssi2"]).action_authorise(),
        )

    def test_session_actions_ignore_a_hostile_context(self):
        forged = self.forged_context(
            state="done",
            authorised_by_id=self.users["rssi2"].id,
            refused_by_id=self.users["rssi2"].id,
            end="2020-01-01 00:00:00",
            author_id=self.users["rssi2"].partner_id.id,
            res_id=self.device.id,
            model="maintenance.equipment",
        )
        session = self.request()
        rssi = self.users["rssi"]
        session.with_user(rssi).with_context(**forged).action_authorise()
        self.assertEqual(session.state, "authorised")
        self.assertEqual(session.authorised_by_id, rssi)
        # The notes go to the session, in the RSSI's name.
        notes = session.sudo().message_ids.filtered(
            lambda m: "Authorised by" in str(m.body)
        )
        self.assertTrue(notes)
        self.assertEqual(notes.author_id, rssi.partner_id)
        device_notes = self.device.sudo().message_ids
        self.assertFalse(device_notes.filtered(lambda m: "Authorised" in str(m.body)))
        technician = self.users["technician"]
        session.with_user(technician).with_context(**forged).action_start()
        self.assertEqual(session.state, "in_progress")
        self.assertFalse(session.end)
        started = self.device.sudo().message_ids - device_notes
        self.assertIn("started by", str(started.body))
        self.assertEqual(started.author_id, technician.partner_id)
        session.with_user(technician).with_context(**forged).action_end("Done")
        self.assertEqual(session.state, "done")
        self.assertNotEqual(str(session.end), "2020-01-01 00:00:00")
        # The pre-authorisation by an agreement, made in sudo, ignores it too.
        agreement = self.new_agreement(activate=True)
        covered = self.request(**forged)
        self.assertEqual(covered.state, "authorised")
        self.assertEqual(covered.agreement_id, agreement)
        self.assertEqual(covered.authorised_by_id, self.users["rssi"])

    def test_logged_sessions_are_not_deleted(self):
        session = self.request()
        session.with_user(self.users["rssi"]).action_refuse("No window")
        for user in ("technician", "rssi_technician", "engineer"):
            self.assertRefusedUnchanged(
                session,
                ["state"],
                lambda user=user: session.with_user(self.users[user]).unlink(),
                msg=user,
            )
        self.assertRefusedUnchanged(session, ["state"], session.sudo().unlink)
        self.assertTrue(session.exists())

    # ------------------------------------------------------------ agreements
    def test_agreement_context_defaults_and_copies_forge_nothing(self):
        rssi2 = self.users["rssi2"]
        agreement = (
            self.Agreement.with_user(self.users["rssi"])
            .with_context(
                **self.forged_context(
                    state="active",
                    approved_by_id=rssi2.id,
                    approved_on="2020-01-01 00:00:00",
                    session_count=3,
                )
            )
            .create(
                {
                    "name": "Forged",
                    "supplier_id": self.supplier.id,
                    "equipment_ids": [(6, 0, self.device.ids)],
                    "channel": "supplier_vpn",
                    "date_end": date.today() + timedelta(days=30),
                }
            )
        )
        self.assertEqual(agreement.state, "draft")
        self.assertFalse(agreement.approved_by_id or agreement.approved_on)
        for vals in (
            {"state": "active"},
            {"approved_by_id": rssi2.id},
            {"approved_on": fields.Datetime.now()},
        ):
            with self.assertRaises(UserError, msg=vals):
                agreement.with_user(self.users["rssi"]).copy(vals)
        agreement.with_user(self.users["rssi"]).action_activate()
        copied = agreement.with_user(self.users["rssi"]).copy()
        self.assertEqual(copied.state, "draft")
        self.assertFalse(copied.approved_by_id)
        for role in ("technician", "engineer", "internal", "auditor"):
            with self.assertRaises(AccessError, msg=role):
                self.Agreement.with_user(self.users[role]).create(
                    {
                        "name": "Mine",
                        "supplier_id": self.supplier.id,
                        "channel": "supplier_vpn",
                        "date_end": date.today() + timedelta(days=3),
                    }
                )

    def test_agreement_decision_is_not_written(self):
        agreement = self.new_agreement()
        read = ["state", "approved_by_id", "approved_on"]
        for role in ("rssi", "rssi_technician", "engineer", "auditor"):
            for vals in (
                {"state": "active"},
                {"approved_by_id": self.users["rssi2"].id},
                {"approved_on": fields.Datetime.now()},
                {"session_count": 4},
            ):
                self.assertRefusedUnchanged(
                    agreement,
                    read,
                    lambda role=role, vals=vals: agreement.with_user(
                        self.users[role]
                    ).write(vals),
                    msg=f"{role} {vals}",
                )

    def test_agreement_actions_as_the_wrong_role_change_nothing(self):
        agreement = self.new_agreement()
        read = ["state", "approved_by_id"]
        for role in ("technician", "engineer", "auditor", "internal", "dpo"):
            user = self.users[role]
            for call in (
                lambda user=user: agreement.with_user(user).action_activate(),
                lambda user=user: agreement.with_user(user).action_cancel(),
            ):
                self.assertRefusedUnchanged(agreement, read, call, msg=role)
        # The RSSI holding two roles activates, with a hostile context: the
        # approval is still theirs.
        rssi = self.users["rssi_technician"]
        agreement.with_user(rssi).with_context(
            **self.forged_context(approved_by_id=self.users["rssi2"].id)
        ).action_activate()
        self.assertEqual((agreement.state, agreement.approved_by_id), ("active", rssi))
        agreement.with_user(rssi).action_cancel()
        # A cancelled agreement is history: frozen, never active again, kept.
        for call in (
            lambda: agreement.with_user(rssi).write({"date_end": date.today()}),
            lambda: agreement.with_user(rssi).action_activate(),
            lambda: agreement.with_user(rssi).unlink(),
            lambda: agreement.sudo().unlink(),
        ):
            self.assertRefusedUnchanged(agreement, [*read, "date_end"], call)


@tagged("post_install", "-at_install")
class TestCampaignWorkflowAttacks(WorkflowAttackCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        OsVersion = cls.env["dm.os.version"]
        cls.os_old, cls.os_new = OsVersion.create(
            [
                {"vendor": "V", "product": "OS", "version": "7"},
                {"vendor": "V", "product": "OS", "version": "10"},
            ]
        )
        cls.devices = cls.Equipment.create(
            [
                cls._acquisition_vals(
                    name=f"Monitor {n}",
                    serial_no=f"ATK-CAMP-{n}",
                    is_connected=True,
                    os_version_id=cls.os_old.id,
                )
                for n in range(3)
            ]
        )
        cls.Campaign = cls.env["dm.cyber.campaign"]
        cls.Line = cls.env["dm.cyber.campaign.line"]

    def new_campaign(self, user="engineer", devices=None, **context):
        campaign = (
            self.Campaign.with_user(self.users[user])
            .with_context(**context)
            .create(
                {
                    "name": "Wave",
                    "kind": "os",
                    "target_os_version_id": self.os_new.id,
                    "target_equipment_ids": [(6, 0, (devices or self.devices[:2]).ids)],
                }
            )
        )
        campaign.with_context(**context).action_generate_lines()
        return campaign

    # ------------------------------------------------------------ campaigns
    def test_campaign_context_defaults_forge_nothing(self):
        forged = self.forged_context(
            state="done",
            progress=100.0,
            line_count=7,
            done_count=7,
            planned_count=0,
        )
        campaign = self.new_campaign(**forged)
        self.assertEqual(campaign.state, "draft")
        self.assertEqual(
            (campaign.progress, campaign.line_count, campaign.planned_count),
            (0.0, 2, 2),
        )
        # The lines created by the action ignore the context too.
        self.assertEqual(set(campaign.line_ids.mapped("state")), {"planned"})
        lines_forged = self.forged_context(
            state="done",
            done_by_id=self.users["rssi"].id,
            done_on="2020-01-01 00:00:00",
        )
        campaign.write({"target_equipment_ids": [(4, self.devices[2].id)]})
        campaign.with_user(self.users["rssi_technician"]).with_context(
            **lines_forged
        ).action_generate_lines()
        self.assertEqual(len(campaign.line_ids), 3)
        self.assertEqual(set(campaign.line_ids.mapped("state")), {"planned"})
        self.assertFalse(campaign.line_ids.done_by_id)
        self.assertFalse(any(campaign.line_ids.mapped("done_on")))

    def test_campaign_state_and_figures_are_not_written(self):
        campaign = self.new_campaign()
        for vals in (
            {"state": "running"},
            {"progress": 100.0},
            {"line_count": 5},
        ):
            with self.assertRaises(UserError, msg=vals):
                self.Campaign.with_user(self.users["engineer"]).create(
                    {"name": "Forged", **vals}
                )
            with self.assertRaises(UserError, msg=vals):
                campaign.with_user(self.users["engineer"]).copy(vals)
        campaign.action_start()
        read = ["state", "progress", "done_count", "planned_count", "kind"]
        for role in ("engineer", "rssi_technician", "technician", "auditor"):
            for vals in (
                {"progress": 100.0},
                {"done_count": 2, "planned_count": 0},
                {"line_count": 0},
                {"state": "done"},  # devices still planned
                {"state": "draft"},  # no such move
                {"kind": "antivirus"},  # frozen once started
                {"target_os_version_id": self.os_old.id},
            ):
                self.assertRefusedUnchanged(
                    campaign,
                    [*read, "target_os_version_id"],
                    lambda role=role, vals=vals: campaign.with_user(
                        self.users[role]
                    ).write(vals),
                    msg=f"{role} {vals}",
                )

    def test_campaign_actions_as_the_wrong_role_change_nothing(self):
        campaign = self.new_campaign()
        read = ["state", "date_start", "date_end"]
        for role in ("technician", "auditor", "internal"):
            user = self.users[role]
            for call in (
                lambda user=user: campaign.with_user(user).action_start(),
                lambda user=user: campaign.with_user(user).action_cancel(),
                lambda user=user: campaign.with_user(user).action_generate_lines(),
                lambda user=user: campaign.with_user(user).write({"state": "running"}),
            ):
                self.assertRefusedUnchanged(campaign, read, call, msg=role)
        with self.assertRaises(AccessError):
            self.Campaign.with_user(self.users["internal"]).create({"name": "Wave"})
        # The RSSI holding two roles manages and records.
        rssi = self.users["rssi_technician"]
        campaign.with_user(rssi).action_start()
        for line in campaign.line_ids.with_user(rssi):
            line.action_mark_done()
        campaign.with_user(rssi).action_close()
        self.assertEqual(campaign.state, "done")
        for role in ("technician", "engineer"):
            self.assertRefusedUnchanged(
                campaign,
                read,
                lambda role=role: campaign.with_user(self.users[role]).write(
                    {"state": "cancelled"}
                ),
                msg=role,
            )

    def test_campaign_with_history_is_not_deleted(self):
        campaign = self.new_campaign()
        campaign.action_start()
        campaign.line_ids[0].with_user(self.users["technician"]).action_mark_done()
        campaign.action_cancel()
        for call in (
            campaign.with_user(self.users["engineer"]).unlink,
            campaign.with_user(self.users["rssi_technician"]).unlink,
            campaign.sudo().unlink,
        ):
            self.assertRefusedUnchanged(campaign, ["state", "line_count"], call)
        self.assertEqual(len(campaign.line_ids), 2)

    # ------------------------------------------------------------ lines
    def test_line_context_defaults_and_copies_forge_nothing(self):
        campaign = self.new_campaign()
        campaign.action_start()
        line = (
            self.Line.with_user(self.users["engineer"])
            .with_context(
                **self.forged_context(
                    state="done",
                    done_by_id=self.users["rssi"].id,
                    done_on="2020-01-01 00:00:00",
                    os_version_id=self.os_new.id,
                )
            )
            .create({"campaign_id": campaign.id, "equipment_id": self.devices[2].id})
        )
        self.assertEqual(line.state, "planned")
        self.assertFalse(line.done_by_id or line.done_on)
        self.assertEqual(self.devices[2].os_version_id, self.os_old)
        for vals in (
            {"state": "done"},
            {"done_by_id": self.users["rssi"].id},
            {"done_on": fields.Datetime.now()},
        ):
            with self.assertRaises(UserError, msg=vals):
                self.Line.with_user(self.users["engineer"]).create(
                    {
                        "campaign_id": campaign.id,
                        "equipment_id": self.devices[2].id,
                        **vals,
                    }
                )
            with self.assertRaises(UserError, msg=vals):
                line.with_user(self.users["engineer"]).copy(
                    {"equipment_id": self.devices[2].id, **vals}
                )
        with self.assertRaises(AccessError):
            self.Line.with_user(self.users["internal"]).create(
                {"campaign_id": campaign.id, "equipment_id": self.devices[2].id}
            )

    def test_line_stamps_and_related_fields_are_not_written(self):
        campaign = self.new_campaign()
        other = self.new_campaign(devices=self.devices[2])
        campaign.action_start()
        line = campaign.line_ids[0]
        line.with_user(self.users["technician"]).action_mark_done()
        device = line.equipment_id
        read = ["state", "done_by_id", "done_on", "campaign_id", "equipment_id"]
        forged = {
            "done_by_id": self.users["rssi"].id,
            "done_on": "2020-01-01 00:00:00",
            "campaign_id": other.id,
            "equipment_id": self.devices[2].id,
            "state": "planned",
            # Related fields would write through to the device or the campaign.
            "os_version_id": self.os_old.id,
            "serial_no": "FORGED",
            "campaign_state": "done",
            "kind": "antivirus",
            "company_id": self.env.company.id,
        }
        for role in ("technician", "engineer", "rssi_technician", "auditor"):
            for fname, value in forged.items():
                self.assertRefusedUnchanged(
                    line,
                    read,
                    lambda role=role, fname=fname, value=value: line.with_user(
                        self.users[role]
                    ).write({fname: value}),
                    msg=f"{role} {fname}",
                )
        self.assertEqual(device.os_version_id, self.os_new)
        self.assertNotEqual(device.serial_no, "FORGED")
        self.assertEqual((campaign.state, campaign.kind), ("running", "os"))

    def test_line_results_as_the_wrong_role_or_step_change_nothing(self):
        campaign = self.new_campaign()
        line = campaign.line_ids[0]
        read = ["state", "done_by_id", "note"]
        # Not running yet.
        self.assertRefusedUnchanged(
            line,
            read,
            lambda: line.with_user(self.users["technician"]).write(
                {"state": "failed", "note": "Too early"}
            ),
        )
        campaign.action_start()
        for role in ("auditor", "internal", "dpo"):
            user = self.users[role]
            for call in (
                lambda user=user: line.with_user(user).action_mark_done(),
                lambda user=user: line.with_user(user).write({"state": "done"}),
                lambda user=user: line.with_user(user).action_mark_failed(),
            ):
                self.assertRefusedUnchanged(line, read, call, msg=role)
        line.with_user(self.users["technician"]).action_mark_done()
        for call in (
            line.with_user(self.users["technician"]).unlink,
            line.with_user(self.users["engineer"]).unlink,
            line.sudo().unlink,
        ):
            self.assertRefusedUnchanged(line, read, call)
        campaign.line_ids[1].with_user(self.users["technician"]).write(
            {"state": "not_applicable", "note": "Standalone"}
        )
        campaign.action_close()
        # A closed campaign's lines are history.
        for vals in ({"note": "Rewritten"}, {"state": "failed", "note": "Later"}):
            self.assertRefusedUnchanged(
                line,
                read,
                lambda vals=vals: line.with_user(self.users["engineer"]).write(vals),
            )


@tagged("post_install", "-at_install")
class TestErasureWorkflowAttacks(WorkflowAttackCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Medium = cls.env["dm.erasure.medium"]

    def setUp(self):
        super().setUp()
        device = self.device_in_service(
            serial_no="ATK-DATA", patient_data=True, data_hosting="device"
        )
        self.disposal = (
            self.env["dm.disposal"]
            .with_user(self.users["technician"])
            .create(
                {
                    "equipment_id": device.id,
                    "reason": "obsolete",
                    "destination": "destruction",
                }
            )
        )
        self.disposal.with_user(self.users["engineer"]).action_confirm()
        self.assertEqual(self.disposal.state, "erasure")

    def plan(self, user="technician", **context):
        return (
            self.Medium.with_user(self.users[user])
            .with_context(**context)
            .create({"disposal_id": self.disposal.id, "media_type": "ssd", "tool": "T"})
        )

    def execute(self, medium, user="technician", **context):
        medium = medium.with_user(self.users[user])
        medium.write(
            {
                "executed_on": fields.Date.today(),
                "result": "success",
                "verification_method": "sampling",
                "sanitiser_name": "Julien Moreau",
            }
        )
        medium.with_context(**context).action_record_execution()
        return medium

    def test_medium_context_defaults_forge_nothing(self):
        engineer = self.users["engineer"]
        forged = self.forged_context(
            state="sanitised",
            recorded_by_id=engineer.id,
            recorded_on="2020-01-01 00:00:00",
            disposal_state="ready",
            allowed_levels="clear",
        )
        for role in ("technician", "rssi_technician"):
            medium = self.plan(role, **forged)
            self.assertEqual(medium.state, "planned", role)
            self.assertFalse(medium.recorded_by_id or medium.recorded_on)
        self.assertEqual(self.disposal.state, "erasure")
        # The action's stamps are the performer's, whatever the context.
        medium = self.execute(self.plan(), **forged)
        self.assertEqual(medium.state, "sanitised")
        self.assertEqual(medium.recorded_by_id, self.users["technician"])
        self.assertNotEqual(str(medium.recorded_on), "2020-01-01 00:00:00")

    def test_medium_forged_values_are_refused_at_create_and_copy(self):
        medium = self.plan()
        for vals in (
            {"state": "sanitised"},
            {"recorded_by_id": self.users["engineer"].id},
            {"recorded_on": fields.Datetime.now()},
            {"disposal_state": "ready"},
        ):
            with self.assertRaises(UserError, msg=vals):
                self.Medium.with_user(self.users["technician"]).create(
                    {"disposal_id": self.disposal.id, "media_type": "ssd", **vals}
                )
            with self.assertRaises(UserError, msg=vals):
                medium.with_user(self.users["technician"]).copy(vals)
        self.assertEqual(len(self.disposal.medium_ids), 1)
        self.assertEqual(self.disposal.state, "erasure")
        with self.assertRaises(AccessError):
            self.Medium.with_user(self.users["internal"]).create(
                {"disposal_id": self.disposal.id, "media_type": "ssd"}
            )

    def test_medium_status_and_related_fields_are_not_written(self):
        planned = self.plan()
        sanitised = self.execute(self.plan())
        other = self.device_in_service(serial_no="ATK-OTHER")
        read = ["state", "recorded_by_id", "recorded_on", "disposal_id", "level"]
        forged = {
            "state": "sanitised",
            "recorded_by_id": self.users["engineer"].id,
            "recorded_on": "2020-01-01 00:00:00",
            "disposal_id": self.env["dm.disposal"].search([], limit=1).id,
            # Related fields would write through to the disposal.
            "disposal_state": "ready",
            "equipment_id": other.id,
            "company_id": self.env.company.id,
        }
        for role in ("technician", "engineer", "rssi_technician", "auditor"):
            for medium in (planned, sanitised):
                for fname, value in forged.items():
                    self.assertRefusedUnchanged(
                        medium,
                        read,
                        lambda m=medium, role=role, f=fname, v=value: m.with_user(
                            self.users[role]
                        ).write({f: v}),
                        msg=f"{role} {medium.state} {fname}",
                    )
            # A recorded medium is frozen until planned again.
            self.assertRefusedUnchanged(
                sanitised,
                read,
                lambda role=role: sanitised.with_user(self.users[role]).write(
                    {"level": "destroy", "method": "shred"}
                ),
                msg=role,
            )
        self.assertEqual(self.disposal.state, "erasure")
        self.assertNotEqual(self.disposal.equipment_id, other)

    def test_medium_actions_as_the_wrong_role_change_nothing(self):
        medium = self.plan()
        medium.with_user(self.users["technician"]).write(
            {
                "executed_on": fields.Date.today(),
                "result": "success",
                "verification_method": "sampling",
                "sanitiser_name": "Julien Moreau",
            }
        )
        read = ["state", "recorded_by_id"]
        for role in ("auditor", "internal", "rssi", "dpo"):
            user = self.users[role]
            self.assertRefusedUnchanged(
                medium,
                read,
                lambda user=user: medium.with_user(user).action_record_execution(),
                msg=role,
            )
        self.execute(medium)
        for role in ("auditor", "internal", "rssi"):
            user = self.users[role]
            self.assertRefusedUnchanged(
                medium,
                read,
                lambda user=user: medium.with_user(user).action_plan_again(),
                msg=role,
            )
        # Evidence is kept, by anyone.
        for call in (
            medium.with_user(self.users["technician"]).unlink,
            medium.with_user(self.users["engineer"]).unlink,
            medium.sudo().unlink,
        ):
            self.assertRefusedUnchanged(medium, read, call)
        self.assertTrue(medium.exists())
