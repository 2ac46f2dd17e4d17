"""Importing advisory files into CVEs, advisories and their products: each
reader's sample (CISA ICSMA in CSAF 2.0, an NVD 2.0 page, KEV, EPSS), the
same file twice changes nothing, a new revision updates its lines in place,
a malformed file writes nothing; the import wizard."""

import gzip
import json
from datetime import date, datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .advisory_server import sample
from .common_advisories import AdvisoryCase


@tagged("post_install", "-at_install")
class TestAdvisoryImport(AdvisoryCase):
    def snapshot(self, records):
        return {
            (r._name, r.id): (r.write_date, len(getattr(r, "message_ids", [])))
            for r in records
        }

    def test_csaf_advisory_its_cves_and_products(self):
        summary = self.import_sample("icsma_perfusio_volumat.json")
        advisory = self.Advisory.search([("name", "=", "ICSMA-25-105-01")])
        self.assertEqual(len(advisory), 1)
        self.assertEqual(advisory.source_kind, "csaf")
        self.assertEqual(advisory.revision, "2")
        self.assertEqual(advisory.publisher, "CISA")
        self.assertEqual(advisory.title, "Perfusio Medical Volumat 8 Infusion Pump")
        self.assertEqual(advisory.current_release_date, datetime(2025, 5, 20, 6, 0))
        self.assertEqual(advisory.initial_release_date, datetime(2025, 4, 15, 6, 0))
        self.assertTrue(advisory.url.endswith("icsma-25-105-01.json"))
        self.assertTrue(advisory.summary.startswith("Successful exploitation"))
        self.assertEqual(advisory.filename, "icsma_perfusio_volumat.json")
        self.assertEqual(
            self.b64(sample("icsma_perfusio_volumat.json")), advisory.document
        )
        self.assertEqual(
            sorted(advisory.cve_ids.mapped("name")), ["CVE-2021-44228", "CVE-2022-0778"]
        )
        log4shell = self.cve("CVE-2021-44228")
        self.assertEqual(log4shell.cvss_score, 10.0)
        self.assertEqual(log4shell.cvss_version, "3.1")
        self.assertEqual(self.cve("CVE-2022-0778").cvss_score, 7.5)
        lines = advisory.product_ids
        self.assertEqual(len(lines), 5)
        by_key = {(line.source_ref, line.cve_id.name): line for line in lines}
        pump = by_key[("CSAFPID-0001", "CVE-2021-44228")]
        self.assertEqual(
            (pump.status, pump.vendor, pump.product, pump.vers),
            ("affected", "Perfusio Medical", "Volumat 8", "vers:intdot/<=4.02.03"),
        )
        self.assertEqual(pump.match_key, "cpe:perfusio:volumat_8")
        self.assertIn("Vendor fix", pump.remediation)
        self.assertEqual(
            pump.remediation_url, "https://perfusio.example/security/PSA-2025-02"
        )
        wifi = by_key[("CSAFPID-0003", "CVE-2022-0778")]
        self.assertEqual(wifi.end_including, "V3.4 SP2")
        self.assertEqual(wifi.match_key, "name:perfusio_medical:volumat_8_wi_fi_module")
        self.assertEqual(
            by_key[("CSAFPID-0002", "CVE-2022-0778")].status, "not_affected"
        )
        self.assertEqual(by_key[("CSAFPID-0004", "CVE-2022-0778")].status, "fixed")
        self.assertEqual(summary.counts["advisories_created"], 1)
        self.assertEqual(summary.counts["products_created"], 5)
        self.assertEqual(summary.counts["cves_created"], 2)
        self.assertEqual(summary.advisories, advisory)

    def test_same_file_twice_changes_nothing(self):
        for name in (
            "icsma_perfusio_volumat.json",
            "nvd_cve_api_2.0_page.json",
            "cisa_kev.json",
            "epss_scores.csv",
        ):
            self.import_sample(name)
        self.env.flush_all()
        records = [
            *self.Advisory.search([]),
            *self.env["dm.advisory.product"].search([]),
            *self.Cve.search([]),
        ]
        before = self.snapshot(records)
        counts = (self.Advisory.search_count([]), self.Cve.search_count([]))
        for name in (
            "icsma_perfusio_volumat.json",
            "nvd_cve_api_2.0_page.json",
            "cisa_kev.json",
            "epss_scores.csv.gz",
        ):
            summary = self.import_sample(name)
            self.assertFalse(summary.changed, f"{name}: {summary.counts}")
            self.assertFalse(summary.advisories)
            self.assertFalse(summary.cves)
        self.env.flush_all()
        self.assertEqual(self.snapshot(records), before)
        self.assertEqual(
            (self.Advisory.search_count([]), self.Cve.search_count([])), counts
        )
        text = self.Importer._dm_summary_text(summary)
        self.assertIn("Nothing changed", text)

    def test_new_revision_updates_its_lines_in_place(self):
        self.import_sample("icsma_perfusio_volumat.json")
        advisory = self.Advisory.search([("name", "=", "ICSMA-25-105-01")])
        ids = {
            (line.source_ref, line.cve_id.name): line.id
            for line in advisory.product_ids
        }

        def revise(document):
            tracking = document["document"]["tracking"]
            tracking["version"] = "3"
            tracking["current_release_date"] = "2025-07-01T06:00:00.000000Z"
            branch = document["product_tree"]["branches"][0]["branches"][0]
            branch["branches"][0]["name"] = "vers:intdot/<=4.02.05"
            # The Wi-Fi module's fixed version is no longer named.
            document["vulnerabilities"][1]["product_status"]["fixed"] = []

        summary = self.import_sample(
            "icsma_v3.json", data=self.csaf(revise=revise), kind="csaf"
        )
        self.assertEqual(advisory.revision, "3")
        self.assertEqual(advisory.current_release_date, datetime(2025, 7, 1, 6, 0))
        after = {
            (line.source_ref, line.cve_id.name): line for line in advisory.product_ids
        }
        self.assertEqual(len(after), 4)
        self.assertNotIn(("CSAFPID-0004", "CVE-2022-0778"), after)
        for key, line in after.items():
            self.assertEqual(line.id, ids[key], key)
        self.assertEqual(
            after[("CSAFPID-0001", "CVE-2021-44228")].vers, "vers:intdot/<=4.02.05"
        )
        self.assertEqual(summary.counts["products_updated"], 1)
        self.assertEqual(summary.counts["products_removed"], 1)
        self.assertEqual(summary.counts["advisories_updated"], 1)
        self.assertEqual(summary.advisories, advisory)
        # The revision is in the advisory's history.
        tracked = advisory.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "revision"
        )
        self.assertEqual(tracked[:1].new_value_char, "3")

    def test_older_revision_leaves_the_advisory(self):
        def later(document):
            tracking = document["document"]["tracking"]
            tracking["version"] = "4"
            tracking["current_release_date"] = "2025-09-01T06:00:00.000000Z"

        self.import_sample("v4.json", data=self.csaf(later=later), kind="csaf")
        summary = self.import_sample("icsma_perfusio_volumat.json")
        advisory = self.Advisory.search([("name", "=", "ICSMA-25-105-01")])
        self.assertEqual(advisory.revision, "4")
        self.assertEqual(summary.counts["advisories_older"], 1)
        self.assertIn("older revision", self.Importer._dm_summary_text(summary))

    def test_nvd_page(self):
        summary = self.import_sample("nvd_cve_api_2.0_page.json")
        log4shell = self.cve("CVE-2021-44228")
        self.assertTrue(log4shell.description.startswith("Apache Log4j2"))
        self.assertEqual(log4shell.cvss_score, 10.0)
        self.assertTrue(log4shell.published_on)
        self.assertTrue(log4shell.last_modified_on)
        advisories = self.Advisory.search([("source_kind", "=", "nvd")])
        self.assertEqual(
            sorted(advisories.mapped("name")),
            ["CVE-2021-44228", "CVE-2022-0778", "CVE-2023-30563"],
        )
        log4j = advisories.filtered(lambda a: a.name == "CVE-2021-44228")
        self.assertEqual(log4j.cve_ids, log4shell)
        self.assertEqual(log4j.publisher, "NVD")
        self.assertEqual(log4j.url, "https://nvd.nist.gov/vuln/detail/CVE-2021-44228")
        self.assertEqual(len(log4j.product_ids), 4)
        self.assertEqual(
            set(log4j.product_ids.mapped("match_key")), {"cpe:apache:log4j"}
        )
        third = log4j.product_ids.filtered(lambda p: p.start_including == "2.13.0")
        self.assertEqual(third.end_excluding, "2.15.0")
        bd = self.cve("CVE-2023-30563")
        # v3.1 is preferred to v4.0 (tools.advisories.NVD_METRICS).
        self.assertTrue(bd.cvss_vector.startswith("CVSS:3.1/"))
        self.assertEqual(summary.counts["advisories_created"], 3)

    def test_nvd_vector_wins_over_the_advisory(self):
        def other_vector(document):
            score = document["vulnerabilities"][1]["scores"][0]["cvss_v3"]
            score["vectorString"] = "CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:L"

        data = self.csaf(other_vector=other_vector)
        self.import_sample("icsma.json", data=data)
        openssl = self.cve("CVE-2022-0778")
        self.assertEqual(openssl.cvss_score, 1.8)
        self.import_sample("nvd_cve_api_2.0_page.json")
        self.assertEqual(openssl.cvss_score, 7.5)
        self.assertEqual(
            openssl.cvss_vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"
        )
        # The advisory imported again does not overwrite the NVD's vector.
        summary = self.import_sample("icsma.json", data=data)
        self.assertEqual(openssl.cvss_score, 7.5)
        self.assertFalse(summary.cves)

    def test_kev_catalogue(self):
        self.import_sample("nvd_cve_api_2.0_page.json")
        openssl = self.cve("CVE-2022-0778")
        summary = self.import_sample("cisa_kev.json")
        log4shell = self.cve("CVE-2021-44228")
        self.assertTrue(log4shell.known_exploited)
        self.assertTrue(log4shell.kev_ransomware)
        self.assertEqual(log4shell.kev_date_added, date(2021, 12, 10))
        self.assertEqual(log4shell.kev_due_date, date(2021, 12, 24))
        self.assertEqual(
            (log4shell.kev_vendor, log4shell.kev_product), ("Apache", "Log4j2")
        )
        self.assertIn("Apply updates", log4shell.kev_required_action)
        # CVEs the catalogue names and we did not hold are created.
        eternal_blue = self.cve("CVE-2017-0144")
        self.assertTrue(eternal_blue.known_exploited)
        self.assertFalse(self.cve("CVE-2014-0160").kev_ransomware)
        self.assertFalse(openssl.known_exploited)
        self.assertEqual(summary.counts["cves_created"], 2)
        self.assertEqual(summary.counts["cves_updated"], 1)
        self.assertEqual(
            summary.cves, log4shell | eternal_blue | self.cve("CVE-2014-0160")
        )
        # The tracked change is in the CVE's history.
        self.assertTrue(
            log4shell.message_ids.tracking_value_ids.filtered(
                lambda t: t.field_id.name == "known_exploited"
            )
        )

        # A CVE that left the catalogue loses the flag.
        catalogue = json.loads(sample("cisa_kev.json"))
        catalogue["vulnerabilities"] = catalogue["vulnerabilities"][:1]
        summary = self.import_sample("kev.json", data=json.dumps(catalogue).encode())
        self.assertTrue(log4shell.known_exploited)
        self.assertFalse(eternal_blue.known_exploited)
        self.assertFalse(self.cve("CVE-2014-0160").known_exploited)
        self.assertEqual(summary.counts["kev_left"], 2)
        self.assertIn(
            "2 CVEs left the catalogue", self.Importer._dm_summary_text(summary)
        )

    def test_epss_scores_of_the_cves_held_only(self):
        self.import_sample("cisa_kev.json")
        before = self.Cve.search_count([])
        summary = self.import_sample("epss_scores.csv.gz")
        self.assertEqual(self.Cve.search_count([]), before)
        log4shell = self.cve("CVE-2021-44228")
        self.assertAlmostEqual(log4shell.epss_score, 0.94358)
        self.assertAlmostEqual(log4shell.epss_percentile, 0.99956)
        self.assertEqual(log4shell.epss_date, date(2025, 6, 2))
        self.assertAlmostEqual(self.cve("CVE-2014-0160").epss_score, 0.94464)
        self.assertFalse(self.cve("CVE-2022-0778"))
        self.assertEqual(summary.counts["epss_updated"], 3)
        self.assertEqual(summary.counts["epss_unknown"], 2)
        self.assertEqual(len(summary.cves), 3)
        # The plain CSV of the same scores changes nothing.
        self.assertFalse(self.import_sample("epss_scores.csv").changed)
        # A new day's scores are written again.
        text = sample("epss_scores.csv").decode().replace("2025-06-02", "2025-06-03")
        text = text.replace("CVE-2014-0160,0.94464", "CVE-2014-0160,0.5")
        summary = self.import_sample("epss.csv", data=gzip.compress(text.encode()))
        self.assertEqual(summary.counts["epss_updated"], 3)
        self.assertAlmostEqual(self.cve("CVE-2014-0160").epss_score, 0.5)
        self.assertEqual(log4shell.epss_date, date(2025, 6, 3))

    def test_epss_batches_in_few_queries(self):
        self.Cve.create([{"name": f"CVE-2024-{10000 + i}"} for i in range(300)])
        lines = ["#model_version:v2025.03.14,score_date:2025-06-02T00:00:00Z"]
        lines.append("cve,epss,percentile")
        lines += [f"CVE-2024-{10000 + i},0.001{i % 10},0.5" for i in range(3000)]
        data = "\n".join(lines).encode()
        with self.assertQueryCount(__system__=12):
            summary = self.Importer._dm_import_file(data, "epss")
        self.assertEqual(summary.counts["epss_updated"], 300)
        self.assertEqual(summary.counts["epss_unknown"], 2700)

    def test_malformed_files_write_nothing(self):
        counts = (self.Advisory.search_count([]), self.Cve.search_count([]))

        def unknown_product(document):
            status = document["vulnerabilities"][1]["product_status"]
            status["known_affected"] = ["CSAFPID-9999"]

        cases = [
            ("csaf", self.csaf(unknown_product=unknown_product), "CSAFPID-9999"),
            ("csaf", b'{"document": {"csaf_version": "2.0"', "not valid JSON"),
            ("epss", b"cve,epss,percentile\nCVE-2021-44228,2.5,0.9\n", "2.5"),
            (
                "kev",
                sample("cisa_kev.json").replace(b'"2022-05-04"', b'"soon"'),
                "soon",
            ),
            ("nvd", b'{"format": "NVD_CVE"}', "NVD"),
        ]
        for kind, data, message in cases:
            with self.subTest(kind=kind, message=message):
                with self.assertRaises(UserError) as caught:
                    self.Importer._dm_import_file(data, kind)
                self.assertIn(message, str(caught.exception))
        self.assertEqual(
            (self.Advisory.search_count([]), self.Cve.search_count([])), counts
        )
        with self.assertRaises(UserError) as caught:
            self.Importer._dm_import_file(b"<html>proxy</html>")
        self.assertIn("choose its kind", str(caught.exception))

    def test_import_wizard(self):
        engineer = self.users["engineer"]
        wizard = (
            self.env["dm.advisory.import"]
            .with_user(engineer)
            .create(
                {
                    "file": self.b64(sample("icsma_perfusio_volumat.json")),
                    "filename": "icsma_perfusio_volumat.json",
                }
            )
        )
        action = wizard.action_import()
        self.assertEqual(action["res_id"], wizard.id)
        self.assertEqual(wizard.state, "done")
        self.assertIn("Advisories: 1 created, 0 updated.", wizard.summary)
        self.assertIn("Affected products: 5 created", wizard.summary)
        self.assertEqual(wizard.advisory_ids.name, "ICSMA-25-105-01")
        with self.assertRaises(UserError):
            wizard.action_import()
        # A wrong kind chosen: the reader's message, nothing written.
        wrong = (
            self.env["dm.advisory.import"]
            .with_user(engineer)
            .create({"file": self.b64(sample("cisa_kev.json")), "kind": "epss"})
        )
        with self.assertRaises(UserError) as caught:
            wrong.action_import()
        self.assertIn("not an EPSS score file", str(caught.exception))
        self.assertEqual(wrong.state, "draft")

    def test_who_may_import(self):
        data = sample("cisa_kev.json")
        for role in ("technician", "pharmacist", "auditor", "dpo", "internal"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                self.Importer.with_user(self.users[role])._dm_import_file(data, "kev")
        with self.assertRaises(AccessError):
            self.env["dm.advisory.import"].with_user(self.users["technician"]).create(
                {"file": self.b64(data)}
            )
        self.assertFalse(self.cve("CVE-2017-0144"))
        self.Importer.with_user(self.users["rssi"])._dm_import_file(data, "kev")
        self.assertTrue(self.cve("CVE-2017-0144").known_exploited)
