from datetime import date, datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.addons.medical_device.tests.common import MedicalDeviceCase
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestUpdateCampaign(MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        OsVersion = cls.env["dm.os.version"]
        cls.os_old = OsVersion.create(
            {
                "vendor": "Test vendor",
                "product": "Test OS",
                "version": "7",
                "end_of_support": "2020-01-14",
            }
        )
        cls.os_new = OsVersion.create(
            {
                "vendor": "Test vendor",
                "product": "Test OS",
                "version": "10 LTSC",
                "end_of_support": "2032-01-13",
            }
        )
        engineer_env = cls.Equipment.with_user(cls.users["engineer"])
        cls.ultrasound, cls.monitor, cls.pump = engineer_env.create(
            [
                cls._acquisition_vals(
                    name=name,
                    serial_no=serial,
                    is_connected=True,
                    os_version_id=cls.os_old.id,
                    last_patch_date="2024-01-15",
                )
                for name, serial in (
                    ("Ultrasound", "CAMP-US-1"),
                    ("Patient monitor", "CAMP-PM-1"),
                    ("Infusion pump", "CAMP-IP-1"),
                )
            ]
        )
        cls.devices = cls.ultrasound | cls.monitor | cls.pump
        cls.Campaign = cls.env["dm.cyber.campaign"]
        cls.Line = cls.env["dm.cyber.campaign.line"]

    # ------------------------------------------------------------ helpers
    def new_campaign(self, user="engineer", devices=None, **vals):
        campaign = self.Campaign.with_user(self.users[user]).create(
            {
                "name": "Spring OS wave",
                "kind": "os",
                "target_os_version_id": self.os_new.id,
                "target_equipment_ids": [
                    (6, 0, (self.devices if devices is None else devices).ids)
                ],
                **vals,
            }
        )
        campaign.action_generate_lines()
        return campaign

    def running_campaign(self, **vals):
        campaign = self.new_campaign(**vals)
        campaign.action_start()
        return campaign

    def line_of(self, campaign, device, user="technician"):
        return campaign.line_ids.filtered(lambda x: x.equipment_id == device).with_user(
            self.users[user]
        )

    # ------------------------------------------------------------ lines
    def test_generate_lines_without_duplicates(self):
        campaign = self.new_campaign(devices=self.ultrasound | self.monitor)
        self.assertEqual(campaign.line_ids.equipment_id, self.ultrasound | self.monitor)
        self.assertEqual(set(campaign.line_ids.mapped("state")), {"planned"})

        campaign.write({"target_equipment_ids": [(4, self.pump.id)]})
        campaign.action_generate_lines()
        campaign.action_generate_lines()
        self.assertEqual(len(campaign.line_ids), 3)
        self.assertEqual(campaign.line_ids.equipment_id, self.devices)

        # Nor by hand: the database refuses a device twice in a campaign.
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.Line.with_user(self.users["engineer"]).create(
                {"campaign_id": campaign.id, "equipment_id": self.pump.id}
            )
            self.env.flush_all()

    def test_start_needs_devices(self):
        campaign = self.Campaign.with_user(self.users["engineer"]).create(
            {"name": "Empty wave", "kind": "antivirus"}
        )
        with self.assertRaisesRegex(UserError, "no device"):
            campaign.action_start()
        with self.assertRaisesRegex(UserError, "no target device"):
            campaign.action_generate_lines()
        self.assertEqual(campaign.progress, 0.0)

    def test_progress_figures(self):
        campaign = self.running_campaign()
        self.assertEqual(campaign.date_start, date.today())
        self.assertEqual(
            (campaign.line_count, campaign.planned_count, campaign.progress),
            (3, 3, 0.0),
        )
        self.line_of(campaign, self.ultrasound).action_mark_done()
        self.assertAlmostEqual(campaign.progress, 100 / 3, places=2)
        self.line_of(campaign, self.monitor).write(
            {"state": "not_applicable", "note": "Supplier forbids this OS"}
        )
        self.line_of(campaign, self.pump).write(
            {"state": "failed", "note": "Installer crashed"}
        )
        self.assertEqual(
            (
                campaign.done_count,
                campaign.not_applicable_count,
                campaign.failed_count,
                campaign.planned_count,
            ),
            (1, 1, 1, 0),
        )
        # Done and not applicable count as finished, a failure does not.
        self.assertAlmostEqual(campaign.progress, 200 / 3, places=2)
        # A failed device retried successfully completes the wave.
        self.line_of(campaign, self.pump).action_mark_done()
        self.assertEqual(campaign.progress, 100.0)
        stored = self.Campaign.search_read([("id", "=", campaign.id)], ["progress"])
        self.assertEqual(stored[0]["progress"], 100.0)

    # ------------------------------------------------------------ results
    def test_results_only_while_running(self):
        campaign = self.new_campaign()
        line = self.line_of(campaign, self.ultrasound)
        with self.assertRaisesRegex(UserError, "not running"):
            line.action_mark_done()
        with self.assertRaisesRegex(UserError, "not running"):
            line.write({"state": "not_applicable", "note": "Out of scope"})
        with self.assertRaisesRegex(UserError, "not running"):
            line.action_mark_failed()  # no reason dialog either
        self.assertEqual(line.state, "planned")

        campaign.action_start()
        self.line_of(campaign, self.monitor).action_mark_done()
        self.line_of(campaign, self.pump).action_mark_done()
        campaign.action_cancel()
        with self.assertRaisesRegex(UserError, "closed or cancelled"):
            line.action_mark_done()
        with self.assertRaisesRegex(UserError, "closed or cancelled"):
            line.write({"note": "Too late"})
        self.assertEqual(line.state, "planned")

    def test_reason_required_for_failed_and_not_applicable(self):
        campaign = self.running_campaign()
        line = self.line_of(campaign, self.ultrasound)
        for state in ("failed", "not_applicable"):
            with self.assertRaisesRegex(ValidationError, "reason"):
                line.write({"state": state})
            with self.assertRaisesRegex(ValidationError, "reason"):
                line.write({"state": state, "note": "   "})
        # From the button, a line without a reason opens it to write one.
        action = line.action_mark_failed()
        self.assertEqual(action["res_model"], "dm.cyber.campaign.line")
        self.assertEqual((action["res_id"], action["target"]), (line.id, "new"))
        self.assertEqual(action["context"]["dm_result"], "failed")
        self.assertEqual(line.state, "planned")

        line.write({"note": "Vendor image not validated"})
        self.assertIs(line.action_mark_failed(), True)
        self.assertEqual(line.state, "failed")
        # The reason stays once recorded.
        with self.assertRaisesRegex(ValidationError, "reason"):
            line.write({"note": False})

        other = self.line_of(campaign, self.monitor)
        self.assertEqual(other.action_mark_not_applicable()["target"], "new")
        other.write({"note": "Standalone device, never patched by us"})
        other.action_mark_not_applicable()
        self.assertEqual(other.state, "not_applicable")

    @freeze_time("2025-03-10 09:30:00")
    def test_done_by_and_on_recorded(self):
        campaign = self.running_campaign()
        line = self.line_of(campaign, self.ultrasound)
        line.action_mark_done()
        self.assertEqual(line.done_by_id, self.users["technician"])
        self.assertEqual(line.done_on, datetime(2025, 3, 10, 9, 30))

        # Who and when are stamped by the server, never written by a client.
        other = self.line_of(campaign, self.monitor)
        with self.assertRaisesRegex(UserError, "set by the result buttons"):
            other.write({"done_by_id": self.users["engineer"].id})
        with self.assertRaisesRegex(UserError, "set by the result buttons"):
            other.write({"state": "done", "done_on": "2024-01-01 00:00:00"})
        with self.assertRaisesRegex(UserError, "created planned"):
            self.Line.with_user(self.users["engineer"]).create(
                {
                    "campaign_id": campaign.id,
                    "equipment_id": self.monitor.id,
                    "state": "done",
                }
            )
        # A result is corrected by another result, not by planning again.
        with self.assertRaisesRegex(UserError, "another result"):
            line.write({"state": "planned"})
        self.assertEqual(other.state, "planned")
        self.assertFalse(other.done_by_id)

    # ------------------------------------------------------------ devices
    @freeze_time("2025-03-10 09:30:00")
    def test_os_campaign_updates_device(self):
        campaign = self.running_campaign()
        self.flush_tracking()
        self.line_of(campaign, self.ultrasound).action_mark_done()
        self.assertEqual(self.ultrasound.os_version_id, self.os_new)
        self.assertEqual(self.ultrasound.last_patch_date, date(2025, 3, 10))
        self.assertFalse(self.ultrasound.cyber_os_obsolete)
        tracked = self.tracked_fields(self.ultrasound)
        self.assertIn("os_version_id", tracked)
        self.assertIn("last_patch_date", tracked)

        # Failed or not applicable: the device keeps its OS.
        self.line_of(campaign, self.monitor).write(
            {"state": "failed", "note": "Not enough disk space"}
        )
        self.assertEqual(self.monitor.os_version_id, self.os_old)
        self.assertEqual(self.monitor.last_patch_date, date(2024, 1, 15))

    def test_other_campaigns_leave_the_os(self):
        campaign = self.running_campaign(
            name="Antivirus signatures", kind="antivirus", target_os_version_id=False
        )
        self.line_of(campaign, self.ultrasound).action_mark_done()
        self.assertEqual(self.ultrasound.os_version_id, self.os_old)
        self.assertEqual(self.ultrasound.last_patch_date, date(2024, 1, 15))
        with self.assertRaisesRegex(ValidationError, "target OS"):
            self.Campaign.with_user(self.users["rssi"]).create(
                {
                    "name": "Firmware",
                    "kind": "firmware",
                    "target_os_version_id": self.os_new.id,
                }
            )

    # ------------------------------------------------------------ campaign states
    def test_close_refused_with_planned_lines(self):
        campaign = self.running_campaign()
        self.line_of(campaign, self.ultrasound).action_mark_done()
        self.line_of(campaign, self.monitor).write(
            {"state": "failed", "note": "Rollback after boot loop"}
        )
        with self.assertRaisesRegex(UserError, "1 device.*Infusion pump"):
            campaign.action_close()
        # Not through a plain write either.
        with self.assertRaisesRegex(UserError, "still planned"):
            campaign.write({"state": "done"})
        self.assertEqual(campaign.state, "running")

        self.line_of(campaign, self.pump).write(
            {"state": "not_applicable", "note": "Device withdrawn from the network"}
        )
        campaign.action_close()
        self.assertEqual(campaign.state, "done")
        self.assertEqual(campaign.date_end, date.today())
        # A closed campaign is history: no new device, no new result.
        with self.assertRaisesRegex(UserError, "closed or cancelled"):
            campaign.action_generate_lines()
        with self.assertRaisesRegex(UserError, "closed or cancelled"):
            self.line_of(campaign, self.monitor).action_mark_done()
        with self.assertRaisesRegex(UserError, "cannot go from"):
            campaign.action_reset_draft()

    def test_state_moves_only_through_the_gate(self):
        with self.assertRaisesRegex(UserError, "created as a draft"):
            self.Campaign.with_user(self.users["engineer"]).create(
                {"name": "Wave", "state": "running"}
            )
        campaign = self.new_campaign()
        with self.assertRaisesRegex(UserError, "cannot go from"):
            campaign.write({"state": "done"})
        campaign.action_cancel()
        self.assertEqual(campaign.state, "cancelled")
        campaign.action_reset_draft()
        campaign.action_start()
        self.assertEqual(campaign.state, "running")

    def test_lines_with_result_are_kept(self):
        campaign = self.running_campaign()
        done = self.line_of(campaign, self.ultrasound, user="engineer")
        done.action_mark_done()
        with self.assertRaisesRegex(UserError, "Ultrasound.*history"):
            done.unlink()
        with self.assertRaisesRegex(UserError, "Cancel it instead"):
            campaign.unlink()
        with self.assertRaisesRegex(UserError, "device of a line"):
            done.write({"equipment_id": self.pump.id})
        self.line_of(campaign, self.monitor, user="engineer").unlink()
        self.assertEqual(campaign.line_ids.equipment_id, self.ultrasound | self.pump)

        draft = self.new_campaign(name="Draft wave")
        draft.unlink()
        self.assertFalse(draft.exists())

    # ------------------------------------------------------------ roles
    def test_technician_records_results_but_cannot_manage(self):
        Campaign = self.Campaign.with_user(self.users["technician"])
        with self.assertRaises(AccessError):
            Campaign.create({"name": "Wave", "kind": "os"})
        campaign = self.new_campaign()
        as_technician = campaign.with_user(self.users["technician"])
        with self.assertRaises(AccessError):
            as_technician.action_start()
        with self.assertRaises(AccessError):
            as_technician.action_generate_lines()
        with self.assertRaises(AccessError):
            as_technician.write({"name": "Renamed"})
        campaign.action_start()
        with self.assertRaises(AccessError):
            as_technician.action_cancel()
        with self.assertRaises(AccessError):
            self.Line.with_user(self.users["technician"]).create(
                {"campaign_id": campaign.id, "equipment_id": self.pump.id}
            )
        line = self.line_of(campaign, self.monitor)
        with self.assertRaises(AccessError):
            line.unlink()
        line.write({"note": "Planned on the night shift"})
        line.action_mark_done()
        self.assertEqual(line.state, "done")
        self.assertEqual(as_technician.done_count, 1)

    def test_rssi_manages_campaigns(self):
        campaign = self.running_campaign(user="rssi")
        for line in campaign.line_ids.with_user(self.users["rssi"]):
            line.action_mark_done()
        campaign.action_close()
        self.assertEqual(campaign.state, "done")
        self.assertEqual(campaign.responsible_id, self.users["rssi"])

    def test_auditor_reads_only(self):
        campaign = self.running_campaign()
        as_auditor = campaign.with_user(self.users["auditor"])
        self.assertEqual(as_auditor.line_count, 3)
        self.assertEqual(len(as_auditor.line_ids), 3)
        with self.assertRaises(AccessError):
            as_auditor.write({"name": "Renamed"})
        with self.assertRaises(AccessError):
            as_auditor.action_close()
        with self.assertRaises(AccessError):
            as_auditor.line_ids[0].action_mark_done()
        with self.assertRaises(AccessError):
            as_auditor.line_ids[0].write({"note": "Seen"})
        with self.assertRaises(AccessError):
            self.Campaign.with_user(self.users["auditor"]).create({"name": "Wave"})
        self.assertEqual(set(campaign.line_ids.mapped("state")), {"planned"})

    # ------------------------------------------------------------ companies
    def test_other_company_is_invisible(self):
        other_company = self.env["res.company"].create({"name": "Other hospital"})
        device_b = self.Equipment.create(
            self._acquisition_vals(
                name="Other scanner", serial_no="CAMP-B-1", company_id=other_company.id
            )
        )
        campaign_b = self.Campaign.create(
            {
                "name": "Other hospital wave",
                "company_id": other_company.id,
                "target_equipment_ids": [(6, 0, device_b.ids)],
            }
        )
        campaign_b.action_generate_lines()
        self.assertEqual(campaign_b.line_ids.company_id, other_company)
        own = self.new_campaign()
        for role in ("engineer", "technician", "rssi", "auditor"):
            user = self.users[role]
            self.assertEqual(self.Campaign.with_user(user).search([]), own)
            self.assertEqual(self.Line.with_user(user).search([]), own.line_ids)
            with self.assertRaises(AccessError):
                campaign_b.with_user(user).read(["name"])
            with self.assertRaises(AccessError):
                campaign_b.line_ids.with_user(user).read(["state"])
        # A campaign only targets the devices of its company.
        with self.assertRaisesRegex(UserError, "compan"):
            self.Campaign.with_user(self.users["engineer"]).create(
                {
                    "name": "Mixed wave",
                    "target_equipment_ids": [(6, 0, device_b.ids)],
                }
            )
