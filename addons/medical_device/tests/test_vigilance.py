"""Safety notices (dm.vigilance.notice) matched against the fleet: each
criterion and their combinations, the devices of every lifecycle step but
disposed, the re-run that never duplicates, the quarantine gate held over
RPC, the roles and the companies."""

from datetime import date, timedelta

import psycopg2

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user
from odoo.tools import mute_logger

from .common import MedicalDeviceCase

# An AccessError is a UserError: refused either way.
REFUSED = UserError


class VigilanceCase(MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Notice = cls.env["dm.vigilance.notice"]
        cls.Action = cls.env["dm.vigilance.action"]
        Partner = cls.env["res.partner"]
        cls.drager = Partner.create({"name": "Dräger Medical", "is_company": True})
        cls.philips = Partner.create({"name": "Philips", "is_company": True})
        # The fleet, created as data loads do (the superuser may create a
        # device at any step and give its UDI parts).
        cls.devices = {}
        fleet = [
            ("evita_1", "Evita V500", cls.drager, "SN1000", "L2301", "in_service"),
            ("evita_2", "EVITA  v500", cls.drager, "SN1500", "L2350", "reception"),
            ("evita_3", "Evita V500", cls.drager, "SN2500", "L2450", "disposal"),
            ("evita_4", "Evita V500", cls.drager, "SN1999", "L2399", "acquisition"),
            ("evita_disposed", "Evita V500", cls.drager, "SN1700", "L2310", "disposed"),
            ("savina", "Savina 300", cls.drager, "SN1200", "L2320", "in_service"),
            ("intellivue", "Evita V500", cls.philips, "SN1300", "L2330", "in_service"),
        ]
        for key, model, maker, serial, lot, state in fleet:
            cls.devices[key] = cls.Equipment.create(
                cls._acquisition_vals(
                    name=f"Device {key}",
                    model=model,
                    manufacturer_id=maker.id,
                    serial_no=serial,
                    udi_lot=lot,
                    udi_di="04012345678901"
                    if maker == cls.drager
                    else "08712345000004",
                    udi_manufacture_date=date(2023, 1, 1)
                    + timedelta(days=int(serial[2:]) // 10),
                    lifecycle_state=state,
                    acquisition_mode="loan" if key == "evita_2" else "purchase",
                    active=state != "disposed",
                )
            )
        cls.pharmacist = cls.users["pharmacist"]

    def notice(self, user="pharmacist", **values):
        return self.Notice.with_user(self.users[user]).create(
            {
                "name": values.pop("name", "FSN-TEST"),
                "title": "Ventilator valve",
                "manufacturer_id": self.drager.id,
                **values,
            }
        )

    def matched(self, notice):
        return {
            key
            for key, device in self.devices.items()
            if device in notice.sudo().action_ids.equipment_id
        }


class TestMatch(VigilanceCase):
    def test_by_serial_range_across_lifecycle(self):
        notice = self.notice(serial_ranges="SN1000-SN1999", model_list="Evita V500")
        notice.action_match()
        self.assertEqual(notice.state, "matched")
        # In service, reception (on loan), acquisition; not disposed, not
        # another manufacturer's, not out of the range (evita_3, in disposal).
        self.assertEqual(self.matched(notice), {"evita_1", "evita_2", "evita_4"})
        action = notice.action_ids.filtered(
            lambda a: a.equipment_id == self.devices["evita_2"]
        )
        self.assertEqual(action.state, "todo")
        self.assertIn("SN1500", action.match_reason)
        self.assertIn("SN1000-SN1999", action.match_reason)

    def test_by_lot_range(self):
        notice = self.notice(lot_ranges="L2300-L2349\nL2450")
        notice.action_match()
        # Lots alone: any manufacturer's.
        self.assertEqual(
            self.matched(notice), {"evita_1", "evita_3", "savina", "intellivue"}
        )

    def test_by_model_accents_and_case(self):
        notice = self.notice(model_list="DRAGER MEDICAL + evita v500")
        notice.action_match()
        self.assertEqual(
            self.matched(notice), {"evita_1", "evita_2", "evita_3", "evita_4"}
        )
        # The model alone: of the notice's manufacturer.
        other = self.notice(
            name="FSN-2", model_list="Evita V500", manufacturer_id=False
        )
        other.action_match()
        self.assertIn("intellivue", self.matched(other))

    def test_by_udi_di_and_dates(self):
        notice = self.notice(udi_di_list="08712345000004")
        notice.action_match()
        self.assertEqual(self.matched(notice), {"intellivue"})
        window = self.notice(
            name="FSN-2",
            manufacture_date_from=date(2023, 4, 1),
            manufacture_date_to=date(2023, 5, 31),
        )
        window.action_match()
        # Serials 1000-1500 → 100 to 150 days after 2023-01-01.
        self.assertEqual(
            self.matched(window), {"evita_1", "evita_2", "intellivue", "savina"}
        )

    def test_combination_all_criteria_hold(self):
        notice = self.notice(
            model_list="Evita V500",
            lot_ranges="L2300-L2399",
            serial_ranges="SN1400-SN1999",
        )
        notice.action_match()
        self.assertEqual(self.matched(notice), {"evita_2", "evita_4"})
        reason = notice.action_ids[:1].match_reason
        for word in ("model", "lot", "serial"):
            self.assertIn(word, reason)

    def test_rerun_adds_never_duplicates_and_flags(self):
        notice = self.notice(serial_ranges="SN1000-SN1199")
        notice.action_match()
        self.assertEqual(self.matched(notice), {"evita_1"})
        first = notice.action_ids
        first.with_user(self.users["technician"]).action_done()
        # The fleet changes: a new device in the range, and evita_1 is
        # re-serialised out of it.
        new = self.Equipment.create(
            {
                "name": "New Evita",
                "is_medical_device": True,
                "serial_no": "SN1100",
                "lifecycle_state": "in_service",
            }
        )
        self.devices["new"] = new
        self.devices["evita_1"].serial_no = "XX1000"
        notice.action_match()
        notice.action_match()
        self.assertEqual(len(notice.action_ids), 2)
        self.assertEqual(self.matched(notice), {"evita_1", "new"})
        self.assertEqual(first.state, "done")
        self.assertTrue(first.no_longer_matches)
        self.assertFalse((notice.action_ids - first).no_longer_matches)
        # Back in the range: unflagged.
        self.devices["evita_1"].serial_no = "SN1000"
        notice.action_match()
        self.assertFalse(first.no_longer_matches)
        # The database refuses a second line too.
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.Action.sudo().create({"notice_id": notice.id, "equipment_id": new.id})

    def test_selection_queries_do_not_grow_with_the_fleet(self):
        notice = self.notice(model_list="Evita V500", serial_ranges="SN1000-SN1999")

        def queries():
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            matches = notice._dm_matching_devices(notice._dm_scope())
            return self.env.cr.sql_log_count - before, len(matches)

        queries()  # the ORM's caches (rules, translations) warm up once
        few, found = queries()
        self.Equipment.create(
            [
                self._acquisition_vals(
                    name=f"More {n}",
                    serial_no=f"SN{1100 + n}",
                    model="Evita V500",
                    manufacturer_id=self.drager.id,
                    lifecycle_state="in_service",
                )
                for n in range(30)
            ]
        )
        many, found_more = queries()
        self.assertEqual(found_more, found + 30)
        self.assertEqual(many, few)
        self.assertLessEqual(few, 6)

    def test_empty_or_bad_scope(self):
        notice = self.notice()
        with self.assertRaisesRegex(UserError, "no scope"):
            notice.action_match()
        with self.assertRaisesRegex(ValidationError, r"line 2 \(SN2000-SN1000\)"):
            notice.serial_ranges = "SN1\nSN2000-SN1000"
        with self.assertRaisesRegex(ValidationError, "share their prefix"):
            notice.lot_ranges = "L100 - X200"

    def test_udi_scan_fills_the_di(self):
        notice = self.notice(udi_carrier="(01)04012345678901(17)261231(10)L2301")
        self.assertEqual(notice.udi_di_list, "04012345678901")
        self.assertFalse(notice.udi_carrier)
        notice.write({"udi_carrier": "(01)08712345000004"})
        self.assertEqual(notice.udi_di_list, "04012345678901\n08712345000004")
        with self.assertRaisesRegex(ValidationError, "Invalid UDI"):
            notice.write({"udi_carrier": "(01)04012345678902"})

    def test_one_activity_per_notice_for_the_pharmacist(self):
        notice = self.notice(lot_ranges="L2300-L2399")
        notice.action_match()
        notice.action_match()
        activities = notice.sudo().activity_ids
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.pharmacist)
        self.assertIn(notice.name, activities.summary)
        for device in notice.action_ids.equipment_id:
            self.assertFalse(device.sudo().activity_ids)

    def test_close_needs_every_action_handled(self):
        notice = self.notice(serial_ranges="SN1000-SN1199")
        notice.action_match()
        with self.assertRaisesRegex(UserError, "every device concerned handled"):
            notice.action_close()
        action = notice.action_ids
        with self.assertRaisesRegex(UserError, "reason"):
            action.with_user(self.users["technician"]).action_not_applicable()
        action.with_user(self.users["technician"]).reason = "Valve already replaced"
        action.with_user(self.users["technician"]).action_not_applicable()
        self.assertEqual(action.done_by_id, self.users["technician"])
        notice.action_close()
        self.assertEqual(notice.state, "closed")
        self.assertFalse(notice.sudo().activity_ids)
        with self.assertRaises(REFUSED):
            action.with_user(self.users["pharmacist"]).action_reopen()
        with self.assertRaises(REFUSED):
            notice.write({"title": "Changed"})


class TestQuarantine(VigilanceCase):
    def quarantine(self, device):
        notice = self.notice(
            name=f"Q-{device.id}",
            required_action="quarantine",
            serial_ranges=device.serial_no,
            manufacturer_id=False,
        )
        notice.action_match()
        return notice.action_ids

    def test_no_return_to_service_until_done(self):
        device = self.create_device(serial_no="QT-0001")
        device.with_user(self.users["technician"]).action_to_reception()
        reception = self.reception_ready(device)
        reception.with_user(self.users["engineer"]).action_accept()
        action = self.quarantine(device)
        self.assertTrue(device.dm_quarantined)
        self.assertIn(device, self.Equipment.search([("dm_quarantined", "=", True)]))
        technician = self.users["technician"]
        for attempt in (
            lambda: device.with_user(technician).action_put_in_service(),
            lambda: device.with_user(technician).write(
                {"lifecycle_state": "in_service"}
            ),
            lambda: device.with_user(self.users["engineer"]).write(
                {"lifecycle_state": "in_service"}
            ),
        ):
            with self.assertRaisesRegex(UserError, "quarantine"):
                attempt()
            device.invalidate_recordset()
            self.assertEqual(device.lifecycle_state, "reception")
        # The action cannot be forged done by a write, nor by another role.
        with self.assertRaises(REFUSED):
            action.with_user(technician).write({"state": "done"})
        with self.assertRaises(AccessError):
            action.with_user(self.users["auditor"]).action_done()
        with self.assertRaises(AccessError):
            action.with_user(self.users["pharmacist"]).action_done()
        with self.assertRaises(REFUSED):
            action.with_user(technician).write({"no_longer_matches": True})
        with self.assertRaises(REFUSED):
            action.with_user(technician).write(
                {"equipment_id": self.devices["savina"].id}
            )
        # Releasing it as not applicable is the pharmacist's alone.
        action.with_user(technician).write({"reason": "Not this valve"})
        with self.assertRaises(AccessError):
            action.with_user(technician).action_not_applicable()
        action.invalidate_recordset()
        self.assertEqual(action.state, "todo")
        self.assertTrue(device.dm_quarantined)
        action.with_user(technician).write({"note": "Valve replaced"})
        action.with_user(technician).action_done()
        device.invalidate_recordset()
        self.assertFalse(device.dm_quarantined)
        # The device's history tells it.
        note = device.sudo().message_ids[:1]
        self.assertIn(action.notice_id.name, note.body)
        self.assertIn("Done", note.body)
        device.with_user(technician).action_put_in_service()
        self.assertEqual(device.lifecycle_state, "in_service")

    def test_no_return_from_disposal(self):
        device = self.devices["evita_3"]
        self.quarantine(device)
        with self.assertRaisesRegex(UserError, "quarantine"):
            device.with_user(self.users["engineer"]).action_cancel_disposal()
        self.assertEqual(device.lifecycle_state, "disposal")

    def test_forged_actions_and_contexts(self):
        technician = self.users["technician"]
        notice = self.notice(serial_ranges="SN1000")
        # No client creates an action, whatever the context.
        for user in ("technician", "pharmacist", "engineer"):
            with self.assertRaises(AccessError):
                self.Action.with_user(self.users[user]).with_context(
                    default_state="done"
                ).create(
                    {"notice_id": notice.id, "equipment_id": self.devices["evita_1"].id}
                )
        # A notice is born in draft, its stamps empty, whatever the context.
        forged = (
            self.Notice.with_user(self.pharmacist)
            .with_context(
                default_state="closed",
                default_closed_by_id=technician.id,
                default_last_match_on=fields.Datetime.now(),
            )
            .create({"name": "FSN-forged", "title": "x"})
        )
        self.assertEqual(forged.state, "draft")
        self.assertFalse(forged.closed_by_id)
        self.assertFalse(forged.last_match_on)
        with self.assertRaises(REFUSED):
            forged.write({"state": "closed"})
        with self.assertRaises(REFUSED):
            forged.write({"action_count": 0, "progress": 100.0})
        # The matched notice's actions: the matched device's stay todo.
        notice.action_match()
        action = notice.action_ids
        with self.assertRaises(REFUSED):
            action.with_user(technician).with_context(default_state="done").write(
                {"done_by_id": technician.id}
            )
        with self.assertRaises(REFUSED):
            action.with_user(technician).unlink()
        with self.assertRaises(REFUSED):
            action.with_user(technician).copy()
        self.assertEqual(action.state, "todo")


class TestRoles(VigilanceCase):
    def test_roles(self):
        notice = self.notice(serial_ranges="SN1000-SN1999")
        for user in ("technician", "engineer", "auditor", "rssi", "dpo"):
            with self.assertRaises(AccessError, msg=user):
                self.notice(user=user, name=f"X-{user}")
            with self.assertRaises(AccessError, msg=user):
                notice.with_user(self.users[user]).action_match()
            with self.assertRaises(AccessError, msg=user):
                notice.with_user(self.users[user]).write({"title": "x"})
            # They read it.
            self.assertEqual(notice.with_user(self.users[user]).title, notice.title)
        with self.assertRaises(AccessError):
            notice.with_user(self.users["internal"]).read(["title"])
        notice.action_match()
        action = notice.action_ids[:1]
        action.with_user(self.users["engineer"]).action_done()
        self.assertEqual(action.done_by_id, self.users["engineer"])
        with self.assertRaises(AccessError):
            action.with_user(self.users["auditor"]).write({"note": "x"})
        with self.assertRaises(AccessError):
            self.env["dm.vigilance.notice.import"].with_user(
                self.users["technician"]
            ).create({"file": b"eA==", "file_format": "csv"})

    def test_other_company_sees_nothing(self):
        notice = self.notice(serial_ranges="SN1000-SN1999")
        notice.action_match()
        other = self.env["res.company"].create({"name": "Other hospital"})
        stranger = new_test_user(
            self.env,
            login="test_dm_vig_other",
            groups="medical_device.group_dm_pharmacist,medical_device.group_dm_technician",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        self.assertFalse(self.Notice.with_user(stranger).search([]))
        self.assertFalse(self.Action.with_user(stranger).search([]))
        with self.assertRaises(AccessError):
            notice.with_user(stranger).read(["title"])
        with self.assertRaises(AccessError):
            notice.action_ids[:1].with_user(stranger).action_done()
        # Their own notice matches their own fleet only.
        theirs = self.Notice.with_user(stranger).create(
            {"name": "FSN-TEST", "title": "x", "serial_ranges": "SN1000-SN1999"}
        )
        theirs.action_match()
        self.assertFalse(theirs.action_ids)

    def test_dashboard_panel(self):
        dashboard = self.env["dm.dashboard"].with_user(self.pharmacist)

        def figures():
            panels = dashboard.get_panels()
            keys = [p["key"] for p in panels]
            # The pharmacist's own panels first.
            self.assertLess(keys.index("vigilance"), keys.index("very_critical"))
            panel = panels[keys.index("vigilance")]
            return {f["code"]: f for f in panel["figures"]}

        before = figures()
        notice = self.notice(
            serial_ranges="SN1000-SN1999",
            required_action="quarantine",
            deadline=date.today() - timedelta(days=1),
        )
        notice.action_match()
        notice.action_ids[:1].with_user(self.users["technician"]).action_done()
        after = figures()
        total = len(notice.action_ids)

        def grew(code):
            return after[code]["value"] - before[code]["value"]

        self.assertEqual(grew("vig_open_notices"), 1)
        self.assertEqual(grew("vig_overdue"), total - 1)
        self.assertEqual(grew("vig_quarantined"), total - 1)
        self.assertIsNotNone(after["vig_progress"]["value"])
        for code, figure in after.items():
            action = figure["action"]
            count = (
                self.env[action["res_model"]]
                .with_user(self.pharmacist)
                .search_count(action["domain"])
            )
            if code != "vig_progress":
                self.assertEqual(count, figure["value"], code)
        technician = self.env["dm.dashboard"].with_user(self.users["technician"])
        self.assertNotIn("vigilance", [p["key"] for p in technician.get_panels()])
