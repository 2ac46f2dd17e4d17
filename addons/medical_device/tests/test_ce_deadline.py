"""Daily job on CE certificate expiries and legacy-directive transition deadlines."""

from contextlib import nullcontext
from datetime import date, timedelta

from odoo.tests import freeze_time, tagged

from .common import MedicalDeviceCase

TODAY = date(2027, 9, 1)
CE_DEADLINE = "medical_device.mail_activity_type_dm_ce_deadline"

# The daily job's queries, whatever the number of records it handles.
# +1 (issue 13): the UPDATE that remembers the deadlines signalled.
# +1 (issue 13, reader texts): the recipients' languages, for one summary per
# language.
CE_DEADLINE_QUERIES = 33


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestCeDeadline(MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.activity_type = cls.env.ref(CE_DEADLINE)
        cls.pharmacist_group = cls.env.ref("medical_device.group_dm_pharmacist")
        cls.env["ir.config_parameter"].sudo().set_param(
            "medical_device.ce_deadline_warning_days", 180
        )
        # Only the devices of each test: the database's own (demo data) are
        # archived, out of the daily job's reach.
        cls.env["maintenance.equipment"].search([]).write({"active": False})

    def devices(self, prefix, count, user="engineer", **overrides):
        """``count`` devices created in one batch, like an import."""
        return self.Equipment.with_user(self.users[user]).create(
            [
                self._acquisition_vals(serial_no=f"{prefix}-{i}", **overrides)
                for i in range(count)
            ]
        )

    def in_days(self, days):
        return TODAY + timedelta(days=days)

    def ce_activities(self, devices=None):
        domain = [
            ("res_model", "=", "maintenance.equipment"),
            ("activity_type_id", "=", self.activity_type.id),
        ]
        if devices is not None:
            domain.append(("res_id", "in", devices.ids))
        return self.env["mail.activity"].sudo().search(domain)

    def summaries(self):
        return (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("subject", "=", "CE deadlines"),
                    ("partner_ids", "in", self.users["pharmacist"].partner_id.ids),
                ]
            )
        )

    def test_activities_for_soon_and_past_deadlines_only(self):
        soon = self.create_device(
            serial_no="SOON", ce_certificate_expiry=self.in_days(60)
        )
        past = self.create_device(
            serial_no="PAST", ce_certificate_expiry=self.in_days(-10)
        )
        # MDD class III: the transition ends on 2027-12-31, before the certificate.
        legacy = self.create_device(
            serial_no="LEGACY",
            dm_risk_class="iii",
            ce_regime="mdd",
            ce_certificate_expiry=self.in_days(400),
        )
        far = self.create_device(
            serial_no="FAR", ce_certificate_expiry=self.in_days(400)
        )
        disposed = self.Equipment.create(
            self._acquisition_vals(
                serial_no="DISPOSED",
                lifecycle_state="disposed",
                ce_certificate_expiry=self.in_days(30),
            )
        )
        archived = self.create_device(
            serial_no="ARCHIVED", ce_certificate_expiry=self.in_days(30), active=False
        )
        not_medical = self.create_device(
            serial_no="OFFICE",
            is_medical_device=False,
            ce_certificate_expiry=self.in_days(30),
        )

        created = self.Equipment._cron_ce_deadlines()

        self.assertEqual(created, self.ce_activities())
        self.assertEqual(set(created.mapped("res_id")), {soon.id, past.id, legacy.id})
        for device in (far, disposed, archived, not_medical):
            self.assertFalse(self.ce_activities(device), device.serial_no)
        by_device = {a.res_id: a for a in created}
        self.assertEqual(
            by_device[soon.id].summary, "CE certificate expiry: 10/31/2027"
        )
        self.assertEqual(by_device[soon.id].date_deadline, self.in_days(60))
        self.assertEqual(
            by_device[past.id].summary, "CE certificate expiry: 08/22/2027"
        )
        self.assertEqual(by_device[past.id].date_deadline, TODAY, "past: due today")
        self.assertEqual(
            by_device[legacy.id].summary,
            "End of the CE transition period: 12/31/2027",
        )
        self.assertEqual(by_device[legacy.id].date_deadline, date(2027, 12, 31))
        responsible = created.user_id
        self.assertEqual(len(responsible), 1)
        self.assertIn(self.pharmacist_group, responsible.all_group_ids)
        self.assertTrue(all(created.mapped("automated")))

    def test_second_run_creates_nothing_new(self):
        devices = self.devices("TWICE", 3, ce_certificate_expiry=self.in_days(20))
        self.assertEqual(len(self.Equipment._cron_ce_deadlines()), 3)
        self.env.flush_all()
        Message = self.env["mail.message"].sudo()
        activities, messages = self.ce_activities(), Message.search_count([])
        device_messages = len(devices.message_ids)

        self.assertFalse(self.Equipment._cron_ce_deadlines())

        self.env.flush_all()
        self.assertEqual(self.ce_activities(), activities)
        self.assertEqual(Message.search_count([]), messages)
        devices.invalidate_recordset(["message_ids"])
        self.assertEqual(len(devices.message_ids), device_messages)

    def test_one_summary_to_the_pharmacists(self):
        self.devices("SUM", 4, ce_certificate_expiry=self.in_days(20))
        self.Equipment._cron_ce_deadlines()
        summary = self.summaries()
        self.assertEqual(len(summary), 1)
        self.assertIn("4 medical device(s)", str(summary.body))
        self.assertFalse(summary.model, "a notification, on no device's chatter")
        self.Equipment._cron_ce_deadlines()
        self.assertEqual(self.summaries(), summary, "nothing new: no summary")

    def test_without_pharmacist_the_cron_user_gets_the_activities(self):
        self.pharmacist_group.all_user_ids.write({"active": False})
        device = self.create_device(
            serial_no="ALONE", ce_certificate_expiry=self.in_days(20)
        )
        created = self.Equipment._cron_ce_deadlines()
        self.assertEqual(created.res_id, device.id)
        self.assertEqual(created.user_id, self.env.user)
        self.assertFalse(self.summaries())

    def test_the_setting_sets_the_window(self):
        device = self.create_device(
            serial_no="WINDOW", ce_certificate_expiry=self.in_days(60)
        )
        settings = self.env["res.config.settings"].create(
            {"dm_ce_deadline_warning_days": 30}
        )
        settings.execute()
        self.assertEqual(
            self.env["ir.config_parameter"].get_param(
                "medical_device.ce_deadline_warning_days"
            ),
            "30",
        )
        self.assertFalse(self.Equipment._cron_ce_deadlines())
        self.env["res.config.settings"].create(
            {"dm_ce_deadline_warning_days": 90}
        ).execute()
        self.assertEqual(self.Equipment._cron_ce_deadlines().res_id, device.id)

    # ------------------------------------------------------------ performance
    def test_queries_do_not_grow_with_the_fleet(self):
        """No more queries for 50 devices than for 5."""

        def queries(prefix, count, measured=True):
            self.devices(prefix, count, ce_certificate_expiry=self.in_days(20))
            self.env.flush_all()
            self.env.invalidate_all()
            counted = self.assertQueryCount(CE_DEADLINE_QUERIES)
            with counted if measured else nullcontext():
                created = self.Equipment._cron_ce_deadlines()
            self.assertEqual(len(created), count)

        queries("WARM", 2, measured=False)
        queries("SMALL", 5)
        queries("LARGE", 50)
