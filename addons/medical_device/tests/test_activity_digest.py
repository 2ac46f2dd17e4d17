"""Daily jobs people can act on (issue 13): above a threshold, one digest per
role, company and site instead of an activity per device; an activity marked
done does not come back until the data changes; each company's devices go to
its own people."""

from datetime import date, timedelta

from odoo.tests import freeze_time, new_test_user, tagged

from .common import MedicalDeviceCase
from .figures import record_figure

TODAY = date(2027, 9, 1)
THRESHOLD = 5
# The CE job with digests, whatever the number of devices and sites.
# +8 (issue 13, reader texts): the recipients' languages are read and the
# inbox summary is posted once per language (the test's pharmacists speak two):
# the cost follows the languages, not the devices or the sites.
DIGEST_QUERIES = 49
# The same, when every site's digest is open and grows.
DIGEST_GROW_QUERIES = 16


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestActivityDigest(MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ce_type = cls.env.ref("medical_device.mail_activity_type_dm_ce_deadline")
        cls.digest_type = cls.env.ref("medical_device.mail_activity_type_dm_digest")
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("medical_device.ce_deadline_warning_days", 180)
        params.set_param("medical_device.digest_threshold", THRESHOLD)
        # Only the devices of each test: the demo devices are archived.
        cls.env["maintenance.equipment"].search([]).write({"active": False})
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.company_b = cls.env["res.company"].create({"name": "Hôpital Beta"})
        cls.pharmacist_b = new_test_user(
            cls.env,
            login="test_dm_pharmacist_b",
            groups="medical_device.group_dm_pharmacist",
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )
        # The daily job assigns a company's activities to its first pharmacist.
        cls.responsible = cls.env["dm.approval"]._group_members(
            "medical_device.group_dm_pharmacist", cls.company
        )[:1]
        cls.responsible.lang = "fr_FR"

    def devices(self, prefix, count, company=None, **overrides):
        """``count`` devices due in 20 days, created in one batch like an import."""
        # sudo: the fixture builds devices of two companies at once.
        return (
            self.Equipment.sudo()
            .with_context(tracking_disable=True, mail_create_nolog=True)
            .create(
                [
                    self._acquisition_vals(
                        serial_no=f"{prefix}-{i}",
                        ce_certificate_expiry=TODAY + timedelta(days=20),
                        company_id=(company or self.company).id,
                        **overrides,
                    )
                    for i in range(count)
                ]
            )
        )

    def run_job(self):
        return self.Equipment._cron_ce_deadlines()

    def digests(self):
        return self.env["dm.activity.digest"].sudo().search([])

    # ------------------------------------------------------------ threshold
    def test_below_the_threshold_one_activity_per_device(self):
        devices = self.devices("LOW", THRESHOLD, location="Bloc A")
        created = self.run_job()
        self.assertEqual(created.activity_type_id, self.ce_type)
        self.assertEqual(sorted(created.mapped("res_id")), devices.ids)
        self.assertFalse(self.digests())

    def test_above_the_threshold_one_digest_per_site(self):
        bloc_a = self.devices("A", 4, location="Bloc A")
        bloc_b = self.devices("B", 3, location="Bloc B")
        nowhere = self.devices("N", 1)
        created = self.run_job()

        self.assertEqual(len(created), 3, "one digest per site, none per device")
        self.assertEqual(created.activity_type_id, self.digest_type)
        self.assertEqual(set(created.mapped("res_model")), {"dm.activity.digest"})
        digests = self.digests()
        by_site = {d.site: d for d in digests}
        self.assertEqual(set(by_site), {"Bloc A", "Bloc B", False})
        self.assertEqual(by_site["Bloc A"].device_ids, bloc_a)
        self.assertEqual(by_site["Bloc B"].device_count, 3)
        self.assertEqual(by_site[False].device_ids, nowhere)
        self.assertEqual(created.user_id, self.responsible)
        self.assertFalse(
            self.env["mail.activity"]
            .sudo()
            .search([("activity_type_id", "=", self.ce_type.id)]),
            "no activity per device",
        )
        # The link: the list of the site's devices, under the reader's rules.
        action = by_site["Bloc A"].with_user(self.users["pharmacist"])
        action = action.action_open_devices()
        self.assertEqual(action["res_model"], "maintenance.equipment")
        listed = self.Equipment.with_user(self.users["pharmacist"]).search(
            action["domain"]
        )
        self.assertEqual(listed, bloc_a)
        record_figure(
            "daily_digests",
            devices=len(bloc_a | bloc_b | nowhere),
            activities=len(created),
            threshold=THRESHOLD,
        )

    def test_digest_text_in_the_reader_language(self):
        self.devices("LANG", THRESHOLD + 1, location="Bloc A")
        activity = self.run_job()
        digest = self.env["dm.activity.digest"].browse(activity.res_id)
        # Stored for the recipient in the recipient's language (French), and
        # the digest's name rendered again in each reader's.
        self.assertEqual(activity.summary, digest.with_context(lang="fr_FR")._dm_text())
        self.assertEqual(
            digest.with_context(lang="en_US").display_name,
            "CE deadlines: 6 device(s), Bloc A",
        )

    # ------------------------------------------------------------ no repeat
    def test_done_does_not_come_back_until_the_data_changes(self):
        devices = self.devices("DONE", 2)
        self.run_job().with_user(self.responsible).action_feedback(feedback="vu")
        self.assertFalse(self.run_job(), "done, data unchanged: nothing again")
        self.assertFalse(self.run_job())
        # The certificate is renewed, but for a date still within the window.
        devices[0].sudo().ce_certificate_expiry = TODAY + timedelta(days=90)
        again = self.run_job()
        self.assertEqual(again.res_id, devices[0].id)
        # In the pharmacist's language and date format (French).
        self.assertIn("30/11/2027", again.summary)

    def test_done_digest_does_not_come_back(self):
        devices = self.devices("DIG", THRESHOLD + 2, location="Bloc A")
        digest_activity = self.run_job()
        digest_activity.with_user(self.responsible).action_feedback(feedback="traité")
        self.assertFalse(self.run_job(), "the digest does not come back")
        devices[:2].sudo().ce_certificate_expiry = TODAY + timedelta(days=30)
        again = self.run_job()
        self.assertEqual(again.activity_type_id, self.ce_type, "2: below threshold")
        self.assertEqual(sorted(again.mapped("res_id")), devices[:2].ids)

    def test_an_open_digest_grows_rather_than_doubles(self):
        self.devices("G1", THRESHOLD + 1, location="Bloc A")
        first = self.run_job()
        self.devices("G2", THRESHOLD + 1, location="Bloc A")
        self.assertFalse(self.run_job(), "no second digest for the same site")
        digest = self.env["dm.activity.digest"].browse(first.res_id)
        self.assertEqual(digest.device_count, 2 * (THRESHOLD + 1))
        self.assertEqual(len(digest.device_ids), 2 * (THRESHOLD + 1))

    def test_clients_cannot_forge_what_was_signalled(self):
        device = self.devices("FORGE", 1)
        self.run_job()
        engineer = self.users["engineer"]
        with self.assertRaises(Exception):  # noqa: B017 - UserError or AccessError
            device.with_user(engineer).write({"dm_ce_signalled": False})
        self.assertTrue(device.dm_ce_signalled)

    # ------------------------------------------------------------ companies
    def test_each_company_its_own_digests_and_pharmacists(self):
        self.devices("CA", THRESHOLD + 1, location="Bloc A")
        self.devices("CB", THRESHOLD + 1, company=self.company_b, location="Bloc A")
        created = self.run_job()
        digests = self.env["dm.activity.digest"].browse(created.mapped("res_id"))
        self.assertEqual(len(digests), 2, "one digest per company and site")
        by_company = {d.company_id: d for d in digests}
        self.assertEqual(
            by_company[self.company_b].activity_ids.user_id, self.pharmacist_b
        )
        self.assertEqual(
            by_company[self.company].activity_ids.user_id, self.responsible
        )
        # The pharmacist of company B sees neither A's digest nor its devices.
        Digest = self.env["dm.activity.digest"].with_user(self.pharmacist_b)
        self.assertEqual(Digest.search([]), by_company[self.company_b])
        self.assertEqual(
            self.Equipment.with_user(self.pharmacist_b).search(
                [("dm_digest_ids", "in", by_company[self.company].ids)]
            ),
            self.Equipment,
        )

    # ------------------------------------------------------------ queries
    def test_digest_queries_do_not_grow_with_devices_or_sites(self):
        self.devices("WARM", THRESHOLD + 1, location="Warm")
        self.run_job()
        for prefix, count, sites in (("S", 10, 2), ("L", 120, 12)):
            for site in range(sites):
                self.devices(
                    f"{prefix}{site}", count // sites, location=f"{prefix} site {site}"
                )
            self.env.flush_all()
            self.env.invalidate_all()
            with self.assertQueryCount(DIGEST_QUERIES):
                created = self.run_job()
            self.assertEqual(len(created), sites)

    def test_growing_digests_queries_do_not_grow_with_devices_or_sites(self):
        self.devices("WARM", THRESHOLD + 1, location="Warm")
        self.run_job()
        for prefix, count, sites in (("S", 10, 2), ("L", 120, 12)):
            for round_ in ("new", "grow"):
                for site in range(sites):
                    self.devices(
                        f"{prefix}{round_}{site}",
                        count // sites,
                        location=f"{prefix} site {site}",
                    )
                self.env.flush_all()
                self.env.invalidate_all()
                if round_ == "new":
                    first = self.run_job()
                    continue
                with self.assertQueryCount(DIGEST_GROW_QUERIES):
                    self.assertFalse(self.run_job(), "the open digests grow")
            digests = self.env["dm.activity.digest"].browse(first.mapped("res_id"))
            self.assertEqual(
                digests.mapped("device_count"), [count // sites * 2] * sites
            )
            self.assertEqual(
                [len(d.device_ids) for d in digests], [count // sites * 2] * sites
            )
            self.assertIn(f"{count // sites * 2}", first[0].summary)
