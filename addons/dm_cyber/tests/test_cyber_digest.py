"""The cyber watch's digests (issue 13): above the threshold, one digest per
company and site for the RSSI; a device signalled again only when its cyber
state changes, not after its activity was marked done."""

from datetime import date

from odoo.addons.medical_device.tests.common import MedicalDeviceCase
from odoo.tests import new_test_user, tagged

THRESHOLD = 4


@tagged("post_install", "-at_install")
class TestCyberDigest(MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.os_w7 = cls.env.ref("dm_cyber.dm_os_windows_7")
        cls.alert = cls.env.ref("dm_cyber.mail_activity_type_dm_cyber_alert")
        cls.env["ir.config_parameter"].sudo().set_param(
            "medical_device.digest_threshold", THRESHOLD
        )
        # Only the devices of each test; past versions were notified before.
        cls.Equipment.search([]).write({"active": False})
        cls.Equipment._cron_cyber_watch()
        cls.company_b = cls.env["res.company"].create({"name": "Hôpital Beta"})
        cls.rssi_b = new_test_user(
            cls.env,
            login="test_dm_rssi_b",
            groups="medical_device.group_dm_rssi",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )

    def fleet(self, prefix, count, company=None, **overrides):
        # sudo: only imports create devices past reception (see the import).
        return (
            self.Equipment.sudo()
            .with_context(tracking_disable=True, mail_create_nolog=True)
            .create(
                [
                    {
                        "name": f"{prefix} {index}",
                        "serial_no": f"{prefix}-{index:05d}",
                        "is_medical_device": True,
                        "lifecycle_state": "in_service",
                        "is_connected": True,
                        "os_version_id": self.os_w7.id,
                        "last_patch_date": date(2020, 1, 1),
                        "antivirus": "none",
                        "company_id": (company or self.company).id,
                        **overrides,
                    }
                    for index in range(count)
                ]
            )
        )

    def test_below_the_threshold_one_alert_per_device(self):
        devices = self.fleet("LOW", THRESHOLD, location="Radiologie")
        created = self.Equipment._cron_cyber_watch()
        self.assertEqual(created.activity_type_id, self.alert)
        self.assertEqual(sorted(created.mapped("res_id")), devices.ids)

    def test_above_the_threshold_one_digest_per_company_and_site(self):
        self.fleet("RA", 3, location="Radiologie")
        self.fleet("BL", 2, location="Bloc")
        self.fleet("BETA", THRESHOLD + 1, company=self.company_b, location="Bloc")
        created = self.Equipment._cron_cyber_watch()
        self.assertEqual(set(created.mapped("res_model")), {"dm.activity.digest"})
        digests = self.env["dm.activity.digest"].browse(created.mapped("res_id"))
        self.assertEqual(
            sorted((d.company_id.name, d.site, d.device_count) for d in digests),
            sorted(
                [
                    (self.company.name, "Bloc", 2),
                    (self.company.name, "Radiologie", 3),
                    ("Hôpital Beta", "Bloc", THRESHOLD + 1),
                ]
            ),
        )
        self.assertEqual(set(digests.mapped("kind")), {"cyber_watch"})
        beta = digests.filtered(lambda d: d.company_id == self.company_b)
        self.assertEqual(beta.activity_ids.user_id, self.rssi_b)
        rssi_group = self.env.ref("medical_device.group_dm_rssi")
        for digest in digests - beta:
            user = digest.activity_ids.user_id
            self.assertIn(rssi_group, user.all_group_ids)
            self.assertNotEqual(user, self.rssi_b)

    def test_done_alert_comes_back_only_when_the_state_changes(self):
        devices = self.fleet("DONE", 2)
        created = self.Equipment._cron_cyber_watch()
        created.with_user(created.user_id[:1]).action_feedback(feedback="vu")
        self.assertFalse(self.Equipment._cron_cyber_watch(), "state unchanged")
        # Patched, but long ago still: the state changed, the RSSI hears of it.
        devices[0].sudo().last_patch_date = date(2021, 6, 1)
        again = self.Equipment._cron_cyber_watch()
        self.assertEqual(again.res_id, devices[0].id)
        # In the RSSI's date format (English: month first).
        self.assertIn("06/01/2021", again.summary)
        self.assertFalse(self.Equipment._cron_cyber_watch())
