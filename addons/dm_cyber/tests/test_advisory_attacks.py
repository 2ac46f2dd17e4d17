"""Who may write what of the vulnerability watch, whatever a client sends:
CVE scores and flags, imported advisories and their products, the sources'
fetch results are the server's; ``default_*`` keys give nothing; CVEs,
advisories and sources are global reference data every role reads."""

import json

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .advisory_server import sample
from .common_advisories import AdvisoryCase

SERVER_CVE_VALUES = {
    "known_exploited": True,
    "kev_ransomware": True,
    "epss_score": 0.99,
    "epss_percentile": 0.99,
    "cvss_score": 0.1,
    "cvss_vector": "CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:L",
    "description": "forged",
}


@tagged("post_install", "-at_install")
class TestAdvisoryAttacks(AdvisoryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Importer._dm_import_file(sample("icsma_perfusio_volumat.json"))
        cls.imported = cls.Advisory.search([("name", "=", "ICSMA-25-105-01")])
        cls.openssl = cls.Cve.search([("name", "=", "CVE-2022-0778")])
        cls.source = cls.env.ref("dm_cyber.dm_advisory_source_kev")

    def read_cve(self):
        return self.openssl.read(list(SERVER_CVE_VALUES))[0]

    def test_roles_without_write_access(self):
        for role in ("technician", "engineer", "pharmacist", "auditor", "dpo"):
            user = self.users[role]
            with self.subTest(role=role):
                # Everyone of the suite reads the reference data.
                self.assertTrue(self.openssl.with_user(user).read(["cvss_score"]))
                self.assertTrue(self.imported.with_user(user).product_ids)
                self.assertTrue(self.source.with_user(user).read(["url"]))
                for fname, value in SERVER_CVE_VALUES.items():
                    with self.assertRaises(AccessError):
                        self.openssl.with_user(user).write({fname: value})
                with self.assertRaises(AccessError):
                    self.env["dm.advisory"].with_user(user).create({"name": "X-1"})
                with self.assertRaises(AccessError):
                    self.env["dm.advisory.product"].with_user(user).create(
                        {"advisory_id": self.imported.id, "product": "x"}
                    )
                with self.assertRaises(AccessError):
                    self.source.with_user(user).write({"url": "http://evil"})
                with self.assertRaises(AccessError):
                    self.env["dm.cve"].with_user(user).create({"name": "CVE-2099-0001"})
        with self.assertRaises(AccessError):
            self.openssl.with_user(self.users["internal"]).read(["cvss_score"])

    def test_rssi_cannot_forge_what_the_sources_say(self):
        rssi = self.users["rssi"]
        before = self.read_cve()
        for fname, value in SERVER_CVE_VALUES.items():
            with self.subTest(fname=fname), self.assertRaises(UserError):
                self.openssl.with_user(rssi).write({fname: value})
        with self.assertRaises(UserError):
            self.openssl.with_user(rssi).write({"name": "CVE-2099-0002"})
        self.assertEqual(self.read_cve(), before)
        Cve = self.env["dm.cve"].with_user(rssi)
        with self.assertRaises(UserError):
            Cve.create({"name": "CVE-2099-0003", "known_exploited": True})
        with self.assertRaises(UserError):
            Cve.with_context(default_known_exploited=True).create(
                {"name": "CVE-2099-0004"}
            )
        # A CVE by name (for an advisory entered by hand) is allowed.
        cve = Cve.create({"name": "CVE-2099-0005"})
        self.assertFalse(cve.known_exploited or cve.cvss_score or cve.epss_score)

    def test_rssi_edits_advisories_entered_by_hand_only(self):
        rssi = self.users["rssi"]
        Advisory = self.env["dm.advisory"].with_user(rssi)
        for values, context in (
            ({"name": "ICSMA-99-001-01", "source_kind": "csaf"}, {}),
            ({"name": "ICSMA-99-001-02"}, {"default_source_kind": "nvd"}),
            ({"name": "ICSMA-99-001-03", "source_id": self.source.id}, {}),
            ({"name": "ICSMA-99-001-04"}, {"default_source_id": self.source.id}),
        ):
            with self.subTest(values=values), self.assertRaises(UserError):
                Advisory.with_context(**context).create(values)
        imported = self.imported.with_user(rssi)
        line = imported.product_ids[0]
        for values in (
            {"title": "forged"},
            {"revision": "99"},
            {"source_kind": "manual"},
            {"cve_ids": [Command.clear()]},
            {"product_ids": [Command.unlink(line.id)]},
        ):
            with self.subTest(values=values), self.assertRaises(UserError):
                imported.write(values)
        with self.assertRaises(UserError):
            line.write({"end_including": "99"})
        with self.assertRaises(UserError):
            line.unlink()
        with self.assertRaises(UserError):
            self.env["dm.advisory.product"].with_user(rssi).create(
                {"advisory_id": self.imported.id, "product": "forged"}
            )
        with self.assertRaises(UserError):
            self.env["dm.advisory.product"].with_user(rssi).with_context(
                default_advisory_id=self.imported.id
            ).create({"product": "forged"})
        self.assertEqual(len(self.imported.product_ids), 5)
        self.assertEqual(self.imported.revision, "2")

        # Entered by hand: the RSSI writes it, the match key follows.
        manual = Advisory.create(
            {
                "name": "HOSP-2025-001",
                "title": "Vendor letter",
                "cve_ids": [Command.link(self.openssl.id)],
                "product_ids": [
                    Command.create(
                        {
                            "cve_id": self.openssl.id,
                            "vendor": "Perfusio Medical SAS",
                            "product": "Volumat 8",
                            "end_excluding": "4.03",
                        }
                    )
                ],
            }
        )
        self.assertEqual(manual.source_kind, "manual")
        line = manual.product_ids
        self.assertEqual(line.match_key, "name:perfusio_medical:volumat_8")
        line.write({"purl": "pkg:generic/perfusio/volumat-8"})
        self.assertEqual(line.match_key, "pkg:generic/perfusio/volumat-8")
        with self.assertRaises(UserError):
            line.write({"match_key": "pkg:npm/left-pad"})
        with self.assertRaises(UserError):
            line.write({"source_ref": "CSAFPID-0001"})
        with self.assertRaises(UserError):
            manual.write({"source_kind": "csaf"})
        line.unlink()
        self.assertFalse(manual.product_ids)
        copy = self.imported.with_user(rssi).copy({"name": "ICSMA-COPY"})
        self.assertEqual(copy.source_kind, "manual")
        self.assertFalse(copy.source_id)

    def test_fetch_results_are_the_servers(self):
        rssi = self.users["rssi"]
        source = self.source.with_user(rssi)
        for values in (
            {"last_error": False},
            {"last_fetched_on": "2030-01-01 00:00:00"},
            {"last_summary": "all good"},
            {"last_error_data": False},
            {"last_summary_data": "all good"},
        ):
            with self.subTest(values=values), self.assertRaises(UserError):
                source.write(values)
        for key, value in (
            ("default_last_fetched_on", "2030-01-01 00:00:00"),
            ("default_last_summary_data", "all good"),
        ):
            with self.subTest(key=key), self.assertRaises(UserError):
                self.env["dm.advisory.source"].with_user(rssi).with_context(
                    **{key: value}
                ).create({"name": "S", "kind": "kev"})
        source.write({"proxy": "http://proxy.hospital.local:3128", "timeout": 60})
        self.assertEqual(self.source.timeout, 60)
        with self.assertRaises(UserError):
            source.write({"timeout": 0})

    def test_an_import_ignores_the_callers_defaults(self):
        engineer = self.users["engineer"]
        catalogue = {
            "catalogVersion": "1",
            "dateReleased": "2025-06-02T00:00:00Z",
            "vulnerabilities": [
                {
                    "cveID": "CVE-2024-0001",
                    "vendorProject": "V",
                    "product": "P",
                    "dateAdded": "2025-01-01",
                }
            ],
        }
        self.Importer.with_user(engineer).with_context(
            default_kev_ransomware=True,
            default_cvss_score=9.9,
            default_epss_score=0.9,
            default_source_kind="manual",
        )._dm_import_file(json.dumps(catalogue).encode(), "kev")
        cve = self.cve("CVE-2024-0001")
        self.assertTrue(cve.known_exploited)
        self.assertFalse(cve.kev_ransomware or cve.cvss_score or cve.epss_score)
        wizard = (
            self.env["dm.advisory.import"]
            .with_user(engineer)
            .with_context(default_state="done", default_summary="forged")
            .create({"file": self.b64(b"{}")})
        )
        self.assertEqual(wizard.state, "draft")
        self.assertFalse(wizard.summary)

    def test_global_reference_data_across_companies(self):
        company_b = self.env["res.company"].create({"name": "Clinique B"})
        user_b = new_test_user(
            self.env,
            login="adv_b_technician",
            groups="medical_device.group_dm_technician",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        self.assertEqual(
            self.env["dm.advisory"]
            .with_user(user_b)
            .search([("name", "=", "ICSMA-25-105-01")]),
            self.imported,
        )
        self.assertTrue(self.openssl.with_user(user_b).cvss_score)


@tagged("post_install", "-at_install")
class TestAdvisoryViewsByRole(AdvisoryCase):
    def test_menus_and_views_of_each_role(self):
        menus = {
            xmlid: self.env.ref(f"dm_cyber.{xmlid}")
            for xmlid in (
                "dm_advisory_menu",
                "dm_cve_menu",
                "dm_advisory_source_menu",
                "dm_advisory_import_menu",
            )
        }
        expected = {
            "technician": {"dm_advisory_menu", "dm_cve_menu"},
            "engineer": set(menus),
            "rssi": set(menus),
        }
        for role, visible in expected.items():
            user = self.users[role]
            with self.subTest(role=role):
                shown = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
                self.assertEqual(
                    {x for x, menu in menus.items() if menu.id in shown}, visible
                )
                for model in ("dm.advisory", "dm.cve", "dm.advisory.source"):
                    views = (
                        self.env[model]
                        .with_user(user)
                        .get_views(
                            [(False, "list"), (False, "form"), (False, "search")]
                        )
                    )
                    self.assertEqual(set(views["views"]), {"list", "form", "search"})
        form = self.env["dm.advisory.source"].with_user(self.users["technician"])
        arch = form.get_views([(False, "form")])["views"]["form"]["arch"]
        # The buttons of the RSSI (fetch) and of the importers are not shown.
        self.assertNotIn("action_fetch_now", arch)
        self.assertNotIn("action_open_import", arch)
        arch = form.with_user(self.users["rssi"]).get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        self.assertIn("action_fetch_now", arch)
