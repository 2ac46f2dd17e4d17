"""The advisory sources' fetchers against a local HTTP server: KEV, EPSS
(gzip), a CSAF index, NVD windows and pages; timeouts, server errors then
retries, 404, not JSON, offline: the source records its error in words,
nothing of a failed fetch is written, and the daily job never raises."""

import json
from datetime import timedelta

from odoo import fields
from odoo.addons.medical_device.tests.french_reader import load_french
from odoo.addons.medical_device.tests.local_http_server import closed_port_url
from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..models.dm_advisory_source import (
    BACKOFF_PARAM,
    NVD_API_KEY_PARAM,
    NVD_DELAY_PARAM,
)
from .advisory_server import AdvisoryServer, sample
from .common_advisories import AdvisoryCase

JSON = "application/json"


def ok(data, content_type=JSON):
    return (200, data, content_type)


@tagged("post_install", "-at_install")
class TestAdvisoryFetch(AdvisoryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param(BACKOFF_PARAM, "0")
        params.set_param(NVD_DELAY_PARAM, "0")
        cls.env["dm.advisory.source"].search([]).write({"fetch_enabled": False})

    def source(self, kind, url, **values):
        return self.env["dm.advisory.source"].create(
            {
                "name": f"Test {kind}",
                "kind": kind,
                "url": url,
                "timeout": 5,
                "retries": 0,
                **values,
            }
        )

    # ------------------------------------------------------------ success
    def test_kev_then_epss_gzip(self):
        routes = {
            "/kev.json": ok(sample("cisa_kev.json")),
            "/epss.csv.gz": ok(sample("epss_scores.csv.gz"), "application/gzip"),
        }
        with AdvisoryServer(routes) as server:
            kev = self.source("kev", f"{server.url}/kev.json")
            epss = self.source("epss", f"{server.url}/epss.csv.gz")
            before = fields.Datetime.now()
            kev.with_user(self.users["rssi"]).action_fetch_now()
            epss._dm_fetch()
        self.assertFalse(kev.last_error)
        self.assertGreaterEqual(kev.last_fetched_on, before - timedelta(seconds=1))
        self.assertIn("CVEs: 3 created", kev.last_summary)
        log4shell = self.cve("CVE-2021-44228")
        self.assertTrue(log4shell.known_exploited)
        self.assertFalse(epss.last_error)
        self.assertAlmostEqual(log4shell.epss_score, 0.94358)
        self.assertIn("EPSS scores: 3 CVEs updated", epss.last_summary)

    def test_server_errors_are_retried(self):
        with AdvisoryServer(
            {"/kev.json": ok(sample("cisa_kev.json"))}, failures=2
        ) as server:
            kev = self.source("kev", f"{server.url}/kev.json", retries=2)
            kev._dm_fetch()
        self.assertEqual(len(server.requests), 3)
        self.assertFalse(kev.last_error)
        self.assertTrue(self.cve("CVE-2017-0144").known_exploited)

    def test_csaf_index_of_the_medical_advisories(self):
        index = (
            "csaf_files/OT/white/2025/icsma-25-105-01.json,2025-05-20T06:00:00Z\n"
            "csaf_files/OT/white/2025/icsa-25-104-01.json,2025-05-20T06:00:00Z\n"
            "csaf_files/OT/white/2019/icsma-19-001-01.json,2019-01-01T06:00:00Z\n"
        )
        routes = {
            "/csaf_files/OT/white/changes.csv": ok(index, "text/csv"),
            "/csaf_files/OT/white/2025/icsma-25-105-01.json": ok(
                sample("icsma_perfusio_volumat.json")
            ),
        }
        with AdvisoryServer(routes) as server:
            source = self.source(
                "csaf", f"{server.url}/csaf_files/OT/white/changes.csv"
            )
            # Fetched before: only what changed since is asked.
            source.sudo().last_fetched_on = "2024-01-01 00:00:00"
            source._dm_fetch()
        self.assertFalse(source.last_error)
        self.assertEqual(
            server.requests,
            [
                "/csaf_files/OT/white/changes.csv",
                "/csaf_files/OT/white/2025/icsma-25-105-01.json",
            ],
        )
        advisory = self.Advisory.search([("name", "=", "ICSMA-25-105-01")])
        self.assertEqual(advisory.source_id, source)
        self.assertEqual(advisory.filename, "icsma-25-105-01.json")
        self.assertEqual(source.advisory_count, 1)

    def test_one_csaf_advisory(self):
        routes = {"/a.json": ok(sample("icsma_perfusio_volumat.json"))}
        with AdvisoryServer(routes) as server:
            source = self.source("csaf", f"{server.url}/a.json")
            source._dm_fetch()
        self.assertFalse(source.last_error)
        self.assertTrue(self.Advisory.search([("name", "=", "ICSMA-25-105-01")]))

    def test_nvd_windows_and_pages(self):
        page = json.loads(sample("nvd_cve_api_2.0_page.json"))
        asked = []

        def nvd(query):
            asked.append(query)
            start = int(query["startIndex"])
            chunk = dict(
                page,
                startIndex=start,
                resultsPerPage=2,
                totalResults=3,
                vulnerabilities=page["vulnerabilities"][start : start + 2],
            )
            return ok(json.dumps(chunk).encode())

        self.env["ir.config_parameter"].sudo().set_param(NVD_API_KEY_PARAM, "k")
        with AdvisoryServer({"/rest/json/cves/2.0": nvd}) as server:
            source = self.source("nvd", f"{server.url}/rest/json/cves/2.0")
            last = fields.Datetime.now() - timedelta(days=200)
            source.sudo().last_fetched_on = last
            source._dm_fetch()
        self.assertFalse(source.last_error)
        # Two windows (200 days, at most 120 each), two pages each.
        self.assertEqual(len(asked), 4)
        self.assertEqual([q["startIndex"] for q in asked], ["0", "2", "0", "2"])
        self.assertEqual(
            asked[0]["lastModStartDate"], last.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        )
        self.assertEqual(asked[0]["lastModEndDate"], asked[2]["lastModStartDate"])
        self.assertEqual(asked[0]["resultsPerPage"], "2000")
        self.assertEqual(
            sorted(self.Advisory.search([("source_kind", "=", "nvd")]).mapped("name")),
            ["CVE-2021-44228", "CVE-2022-0778", "CVE-2023-30563"],
        )
        self.assertGreater(source.last_fetched_on, last)

    # ------------------------------------------------------------ failures
    def assertFailed(self, source, *words):
        self.assertFalse(source.last_fetched_on)
        for word in words:
            self.assertIn(word, source.last_error)

    def test_timeout(self):
        # Odoo's test mode raises a request's timeout under 10 s to 10 s: the
        # server answers after that (tools level: test_tools_http_fetch).
        with AdvisoryServer(
            {"/kev.json": ok(sample("cisa_kev.json"))}, delay=10.5
        ) as server:
            kev = self.source("kev", f"{server.url}/kev.json", timeout=1)
            kev._dm_fetch()
        self.assertFailed(kev, "did not answer within 1 seconds", "1 attempts")
        self.assertFalse(self.cve("CVE-2017-0144"))

    def test_server_error_after_the_retries(self):
        with AdvisoryServer({}, failures=5) as server:
            kev = self.source("kev", f"{server.url}/kev.json", retries=1)
            kev._dm_fetch()
        self.assertEqual(len(server.requests), 2)
        self.assertFailed(kev, "HTTP 500")

    def test_not_found(self):
        with AdvisoryServer({}) as server:
            kev = self.source("kev", f"{server.url}/nope.json", retries=3)
            kev._dm_fetch()
        # A client error is not retried.
        self.assertEqual(len(server.requests), 1)
        self.assertFailed(kev, "HTTP 404", "/nope.json")

    def test_not_json(self):
        routes = {"/kev.json": ok("<html>Proxy login</html>", "text/html")}
        with AdvisoryServer(routes) as server:
            kev = self.source("kev", f"{server.url}/kev.json")
            kev._dm_fetch()
        self.assertFailed(kev, "not valid JSON")

    def test_offline(self):
        kev = self.source("kev", f"{closed_port_url()}/kev.json")
        kev._dm_fetch()
        self.assertFailed(kev, "cannot be reached", "proxy")

    def test_a_failed_fetch_writes_nothing(self):
        index = (
            "2025/icsma-25-105-01.json,2025-05-20T06:00:00Z\n"
            "2025/icsma-25-106-01.json,2025-05-21T06:00:00Z\n"
        )
        routes = {
            "/csaf/changes.csv": ok(index, "text/csv"),
            "/csaf/2025/icsma-25-105-01.json": ok(
                sample("icsma_perfusio_volumat.json")
            ),
            "/csaf/2025/icsma-25-106-01.json": ok(
                b'{"document": {"csaf_version": "1.0"}}'
            ),
        }
        with AdvisoryServer(routes) as server:
            source = self.source("csaf", f"{server.url}/csaf/changes.csv")
            source._dm_fetch()
        self.assertFailed(source, "not a CSAF 2.0 advisory")
        self.assertFalse(self.Advisory.search([("name", "=", "ICSMA-25-105-01")]))
        self.assertFalse(self.cve("CVE-2021-44228"))
        # The next successful fetch clears the error.
        with AdvisoryServer(
            dict(
                routes,
                **{
                    "/csaf/2025/icsma-25-106-01.json": ok(
                        sample("icsma_perfusio_volumat.json")
                    )
                },
            )
        ) as server:
            source.url = f"{server.url}/csaf/changes.csv"
            source._dm_fetch()
        self.assertFalse(source.last_error)
        self.assertTrue(source.last_fetched_on)

    def test_the_daily_job_never_raises(self):
        with AdvisoryServer({"/kev.json": ok(sample("cisa_kev.json"))}) as server:
            good = self.source("kev", f"{server.url}/kev.json", fetch_enabled=True)
            bad = self.source("epss", f"{server.url}/missing.csv", fetch_enabled=True)
            off = self.source("kev", f"{server.url}/off.json")
            self.env["dm.advisory.source"]._cron_fetch()
        self.assertFalse(good.last_error)
        self.assertTrue(good.last_fetched_on)
        self.assertIn("HTTP 404", bad.last_error)
        self.assertFalse(off.last_fetched_on or off.last_error)
        self.assertNotIn("/off.json", server.requests)

    def test_the_daily_job_is_data(self):
        cron = self.env.ref("dm_cyber.ir_cron_dm_advisory_fetch")
        self.assertEqual(cron.code.strip(), "model._cron_fetch()")
        sources = self.env["dm.advisory.source"].search([])
        for xmlid, kind in (
            ("dm_advisory_source_kev", "kev"),
            ("dm_advisory_source_epss", "epss"),
            ("dm_advisory_source_nvd", "nvd"),
            ("dm_advisory_source_cisa_csaf", "csaf"),
        ):
            record = self.env.ref(f"dm_cyber.{xmlid}")
            self.assertIn(record, sources)
            self.assertEqual(record.kind, kind)
            self.assertTrue(record.url.startswith("https://"))

    def test_who_may_fetch(self):
        with AdvisoryServer({"/kev.json": ok(sample("cisa_kev.json"))}) as server:
            kev = self.source("kev", f"{server.url}/kev.json")
            for role in ("engineer", "technician", "auditor"):
                with self.subTest(role=role), self.assertRaises(AccessError):
                    kev.with_user(self.users[role]).action_fetch_now()
        self.assertFalse(server.requests)
        self.assertFalse(kev.last_fetched_on)


def as_reader(record, user):
    """``record`` as ``user`` reads it over RPC (the web client sends the
    user's language in the context)."""
    return record.with_user(user).with_context(lang=user.lang)


@tagged("post_install", "-at_install")
class TestAdvisoryFetchFrench(AdvisoryCase):
    """A source's error and summary are written once, by the daily job or a
    user's fetch, and read by each reader in their own language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_french(cls.env)
        cls.env["ir.config_parameter"].sudo().set_param(BACKOFF_PARAM, "0")
        rssi = cls.env.ref("medical_device.group_dm_rssi").all_user_ids
        rssi.write({"lang": "fr_FR"})
        cls.env.user.lang = "en_US"

    def test_the_daily_jobs_error_reads_french(self):
        routes = {"/kev.json": ok("<html>Proxy</html>", "text/html")}
        with AdvisoryServer(routes) as server:
            kev = self.env["dm.advisory.source"].create(
                {
                    "name": "KEV",
                    "kind": "kev",
                    "url": f"{server.url}/kev.json",
                    "retries": 0,
                    "fetch_enabled": True,
                }
            )
            self.env["dm.advisory.source"].search(
                [("id", "!=", kev.id)]
            ).fetch_enabled = False
            self.env["dm.advisory.source"].sudo()._cron_fetch()
            french = self.users["rssi"]
            self.assertEqual(french.lang, "fr_FR")
            english = self.users["engineer"]
            english.lang = "en_US"
            # One error, written once by the daily job, read by each reader
            # in their own language.
            self.assertIn("n'est pas un JSON valide", as_reader(kev, french).last_error)
            self.assertIn("is not valid JSON", as_reader(kev, english).last_error)
            # A fetch by an English user: the French RSSI still reads French.
            kev.with_user(english).sudo().action_fetch_now()
            self.assertIn("n'est pas un JSON valide", as_reader(kev, french).last_error)
            self.assertIn(
                "n'est pas un JSON valide",
                as_reader(kev, french).search_read(
                    [("id", "=", kev.id), ("last_error", "!=", False)],
                    ["last_error"],
                )[0]["last_error"],
            )

    def test_the_summary_and_network_errors_read_french(self):
        routes = {"/kev.json": ok(sample("cisa_kev.json"))}
        french = self.users["rssi"]
        with AdvisoryServer(routes) as server:
            kev = self.env["dm.advisory.source"].create(
                {"name": "KEV", "kind": "kev", "url": f"{server.url}/kev.json"}
            )
            kev._dm_fetch()
            self.assertIn("CVEs: ", kev.last_summary)
            self.assertIn("CVE : ", as_reader(kev, french).last_summary)
            kev.url = f"{server.url}/missing.json"
            kev.retries = 0
            kev._dm_fetch()
            self.assertIn("HTTP 404", kev.last_error)
            self.assertIn("HTTP 404", as_reader(kev, french).last_error)
            self.assertNotEqual(kev.last_error, as_reader(kev, french).last_error)
            failed = self.env["dm.advisory.source"].search(
                [("last_error", "!=", False)]
            )
            self.assertIn(kev, failed)
            kev.url = False
            kev._dm_fetch()
            self.assertIn("has no URL", kev.last_error)
            self.assertNotIn("has no URL", as_reader(kev, french).last_error)
