from contextlib import nullcontext

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import SoftwareCase

OVERDUE = "dm_software.mail_activity_type_dm_software_qc_due"
FAILED = "dm_software.mail_activity_type_dm_software_qc_failed"

# The daily job's queries, whatever the number of records it handles.
QC_OVERDUE_QUERIES = 16


@tagged("post_install", "-at_install")
class TestAiQualityControl(SoftwareCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Record = cls.env["dm.software.qc.record"]

    def setUp(self):
        super().setUp()
        with freeze_time("2026-01-05"):
            self.software = self.software_in_use(contains_ai=True)
        self.plan = self.software.qc_plan_ids
        self.plan.with_user(self.users["pharmacist"]).write(
            {"date_start": "2026-01-05"}
        )

    def record(self, user="referent", **vals):
        values = {"plan_id": self.plan.id, "cases_checked": 30, "discordances": 1}
        values.update(vals)
        return self.Record.with_user(self.users[user]).create(values)

    def test_plan_schedule(self):
        self.assertEqual(str(self.plan.next_qc_date), "2026-02-05")
        self.record(date="2026-02-03")
        self.assertEqual(str(self.plan.last_qc_date), "2026-02-03")
        self.assertEqual(str(self.plan.next_qc_date), "2026-03-03")
        self.plan.with_user(self.users["pharmacist"]).write(
            {"frequency_interval": 2, "frequency_unit": "weeks"}
        )
        self.assertEqual(str(self.plan.next_qc_date), "2026-02-17")
        with self.assertRaisesRegex(ValidationError, "positive"):
            self.plan.with_user(self.users["pharmacist"]).write({"sample_size": 0})
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            self.plan.with_user(self.users["pharmacist"]).write(
                {"max_discordance_rate": 120}
            )
        for role in ("technician", "referent", "auditor"):
            with self.assertRaises(AccessError, msg=role):
                self.plan.with_user(self.users[role]).write({"sample_size": 10})

    def test_overdue_control_raises_an_activity(self):
        Plan = self.env["dm.software.qc.plan"]
        with freeze_time("2026-02-05"):
            Plan._cron_check_overdue()
            self.assertFalse(self.activities(self.plan, OVERDUE))
            self.assertFalse(self.plan.qc_overdue)
        with freeze_time("2026-02-06"):
            self.plan.invalidate_recordset(["qc_overdue"])
            self.assertTrue(self.plan.qc_overdue)
            self.assertIn(
                self.software,
                self.Software.search([("qc_overdue", "=", True)]),
            )
            Plan._cron_check_overdue()
            Plan._cron_check_overdue()
            activity = self.activities(self.plan, OVERDUE)
            self.assertEqual(len(activity), 1, "one reminder at a time")
            self.assertEqual(activity.user_id, self.users["referent"])
            # The responsible records the control: the reminder is done.
            self.record(date="2026-02-06")
            self.assertFalse(self.activities(self.plan, OVERDUE))
            self.plan.invalidate_recordset(["qc_overdue"])
            self.assertFalse(self.plan.qc_overdue)

    def test_no_reminder_when_the_software_is_not_in_use(self):
        self.software.with_user(self.users["pharmacist"]).action_suspend()
        with freeze_time("2026-03-01"):
            self.env["dm.software.qc.plan"]._cron_check_overdue()
        self.assertFalse(self.activities(self.plan, OVERDUE))

    def test_overdue_queries_do_not_grow_with_the_plans(self):
        """The overdue job costs no more queries for 30 plans than for 3."""
        Plan = self.env["dm.software.qc.plan"]

        def queries(count, measured=True):
            plans = Plan.browse()
            for _index in range(count):
                plans |= self.create_plan(self.software, date_start="2026-01-05")
            with freeze_time("2026-02-06"):
                self.env.flush_all()
                self.env.invalidate_all()
                counted = self.assertQueryCount(QC_OVERDUE_QUERIES)
                with counted if measured else nullcontext():
                    created = Plan._cron_check_overdue()
            self.assertEqual(sorted(created.mapped("res_id")), sorted(plans.ids))

        with freeze_time("2026-02-06"):
            Plan._cron_check_overdue()  # reminds the plan of setUp
        queries(3, measured=False)  # warms the caches up
        queries(3)
        queries(30)
        activity = self.activities(self.plan, OVERDUE)
        self.assertEqual(
            activity.summary, "Quality control of Chest X-ray triage overdue"
        )
        # In the responsible's date format (English: month first).
        self.assertIn("was due on 02/05/2026 (30 cases)", activity.note)
        self.assertEqual(str(activity.date_deadline), "2026-02-06")
        self.assertTrue(activity.automated)

    def test_result_against_the_plan_threshold(self):
        passed = self.record(cases_checked=30, discordances=3)
        self.assertEqual(passed.result, "pass")
        self.assertEqual(passed.discordance_rate, 10.0)
        self.assertEqual(passed.threshold, 10.0)
        below = self.record(cases_checked=20, discordances=0)
        self.assertTrue(below.below_sample)
        # A later threshold does not change past results.
        self.plan.with_user(self.users["pharmacist"]).write(
            {"max_discordance_rate": 5.0}
        )
        self.assertEqual(passed.result, "pass")
        with self.assertRaisesRegex(ValidationError, "at least one case"):
            self.record(cases_checked=0, discordances=0)
        with self.assertRaisesRegex(ValidationError, "between 0 and the cases"):
            self.record(cases_checked=10, discordances=11)
        # The threshold is the plan's, not the client's.
        forged = self.record(cases_checked=10, discordances=4, threshold=50.0)
        self.assertEqual((forged.threshold, forged.result), (5.0, "fail"))

    def test_failed_control_alerts_referent_and_pharmacist(self):
        failed = self.record(cases_checked=30, discordances=6)
        self.assertEqual(failed.result, "fail")
        activities = self.activities(self.software, FAILED)
        self.assertIn(self.users["referent"], activities.user_id)
        self.assertIn(self.users["pharmacist"], activities.user_id)
        self.assertIn("6 discordances in 30 cases", activities[0].note)
        self.assertEqual(self.software.last_qc_result, "fail")
        # Without automatic suspension, the use goes on until someone stops it.
        self.assertEqual(self.software.lifecycle_state, "in_use")
        # The referent (a plain user) may suspend the use of the software.
        self.software.with_user(self.users["referent"]).action_suspend()
        self.assertEqual(self.software.lifecycle_state, "suspended")
        with self.assertRaises(AccessError):
            self.software.with_user(self.users["referent"]).action_resume()
        with self.assertRaisesRegex(UserError, "passed quality control"):
            self.software.with_user(self.users["pharmacist"]).action_resume()
        self.record(cases_checked=30, discordances=0)
        self.software.with_user(self.users["pharmacist"]).action_resume()
        self.assertEqual(self.software.lifecycle_state, "in_use")

    def test_failed_control_can_suspend_the_use(self):
        self.plan.with_user(self.users["pharmacist"]).write(
            {"suspend_on_failure": True}
        )
        self.software.with_user(self.users["pharmacist"]).write(
            {"user_ids": [(4, self.users["clinician"].id)]}
        )
        self.record(user="clinician", cases_checked=30, discordances=0)
        self.assertEqual(self.software.lifecycle_state, "in_use")
        self.record(user="clinician", cases_checked=30, discordances=9)
        self.assertEqual(self.software.lifecycle_state, "suspended")
        self.assertIn(
            "suspended automatically",
            " ".join(self.software.message_ids.mapped("body")),
        )

    def test_who_records_a_control(self):
        # The plan's responsible, the referent, the software's users, and
        # pharmacists or engineers; not an unrelated user or an auditor.
        for role in ("internal", "auditor", "technician", "rssi"):
            with self.assertRaises(AccessError, msg=role):
                self.record(user=role)
        with self.assertRaises(AccessError):
            self.record(user="clinician")
        self.software.with_user(self.users["pharmacist"]).write(
            {"user_ids": [(4, self.users["clinician"].id)]}
        )
        for role in ("clinician", "referent", "pharmacist", "engineer"):
            self.assertTrue(self.record(user=role), role)

    def test_a_control_is_history(self):
        control = self.record()
        with self.assertRaisesRegex(UserError, "record a new one"):
            control.with_user(self.users["referent"]).write({"discordances": 0})
        with self.assertRaisesRegex(UserError, "record a new one"):
            control.with_user(self.users["pharmacist"]).write({"cases_checked": 50})
        control.with_user(self.users["referent"]).write({"comment": "Two borderline"})
        with self.assertRaisesRegex(UserError, "archives"):
            control.with_user(self.users["referent"]).write({"active": False})
        with self.assertRaises(AccessError):
            control.with_user(self.users["engineer"]).unlink()
        with self.assertRaisesRegex(UserError, "archive them"):
            control.sudo().unlink()
        control.with_user(self.users["pharmacist"]).write({"active": False})
        with self.assertRaisesRegex(UserError, "archive it"):
            self.plan.with_user(self.users["engineer"]).unlink()
