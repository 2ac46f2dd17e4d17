"""Advisory readers on real-format files (plain unittest, run by pytest):
a CISA ICSMA advisory in CSAF 2.0, an NVD CVE API 2.0 page, the KEV
catalogue and EPSS scores; malformed files raise, nothing half-read."""

import copy
import gzip
import json
import unittest
from datetime import UTC, date, datetime
from pathlib import Path

from odoo.addons.dm_cyber.tools import advisories as adv
from odoo.addons.dm_cyber.tools import vuln_match as vm
from odoo.addons.dm_cyber.tools.advisories import AdvisoryError
from odoo.addons.dm_cyber.tools.sbom import read_sbom
from odoo.addons.dm_cyber.tools.vuln_match import AffectedRange as R
from odoo.tools.translate import LazyGettext

DATA = Path(__file__).resolve().parents[1] / "data" / "samples"
ADVISORIES = DATA / "advisories"


def sample(name):
    return (ADVISORIES / name).read_bytes()


def sample_json(name):
    return json.loads(sample(name))


def dumps(document):
    return json.dumps(document).encode()


class AdvisoryErrorMixin:
    def assertAdvisoryError(self, reader, data, code):
        with self.assertRaises(AdvisoryError) as caught:
            reader(data)
        error = caught.exception
        self.assertEqual(error.code, code, str(error))
        self.assertIsInstance(error.template, LazyGettext)
        return error


class TestCsaf(AdvisoryErrorMixin, unittest.TestCase):
    def test_icsma_sample(self):
        advisory = adv.read_csaf(sample("icsma_perfusio_volumat.json"))
        self.assertEqual(advisory.tracking_id, "ICSMA-25-105-01")
        self.assertEqual(advisory.title, "Perfusio Medical Volumat 8 Infusion Pump")
        self.assertEqual(advisory.publisher, "CISA")
        self.assertEqual((advisory.version, advisory.status), ("2", "final"))
        self.assertEqual(
            advisory.current_release_date, datetime(2025, 5, 20, 6, tzinfo=UTC)
        )
        self.assertTrue(advisory.url.endswith("icsma-25-105-01.json"))
        self.assertEqual(len(advisory.products), 4)
        pump = advisory.products["CSAFPID-0001"]
        self.assertEqual((pump.vendor, pump.product), ("Perfusio Medical", "Volumat 8"))
        self.assertEqual(pump.affected_range, R(vers="vers:intdot/<=4.02.03"))
        self.assertEqual(pump.cpe, "cpe:2.3:h:perfusio:volumat_8:*:*:*:*:*:*:*:*")
        self.assertEqual(
            advisory.products["CSAFPID-0002"].affected_range, R(version="4.03.00")
        )
        wifi = advisory.products["CSAFPID-0003"]
        self.assertEqual(wifi.affected_range, R(end_including="V3.4 SP2"))

        log4shell, openssl = advisory.vulnerabilities
        self.assertEqual(log4shell.cve, "CVE-2021-44228")
        self.assertEqual(log4shell.cwe, "CWE-917")
        self.assertEqual(
            log4shell.cvss_vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"
        )
        self.assertEqual(log4shell.cvss_base_score, 10.0)
        self.assertEqual(vm.cvss_score(log4shell.cvss_vector), 10.0)
        self.assertEqual(log4shell.affected_ids, ["CSAFPID-0001"])
        self.assertEqual(log4shell.fixed_ids, ["CSAFPID-0002"])
        self.assertEqual(
            [(r.category, r.product_ids) for r in log4shell.remediations],
            [("vendor_fix", ("CSAFPID-0001",)), ("mitigation", ("CSAFPID-0001",))],
        )
        self.assertIn("4.03.00", log4shell.remediations[0].details)
        self.assertEqual(openssl.not_affected_ids, ["CSAFPID-0002"])
        self.assertEqual(openssl.affected_ids, ["CSAFPID-0003"])

    def test_devices_in_the_affected_ranges(self):
        """A device's firmware against the products the advisory lists."""
        advisory = adv.read_csaf(sample("icsma_perfusio_volumat.json"))
        (log4shell, openssl) = advisory.vulnerabilities

        def affected(vuln, version):
            return any(
                vm.applies(version, [advisory.products[p].affected_range])
                for p in vuln.affected_ids
            )

        self.assertTrue(affected(log4shell, "4.02.03"))
        self.assertTrue(affected(log4shell, "V4.2"))
        self.assertFalse(affected(log4shell, "4.03.00"))
        self.assertTrue(affected(openssl, "V3.4 SP2"))
        self.assertFalse(affected(openssl, "V3.4 SP3"))

    def test_version_written_as_range(self):
        document = sample_json("icsma_perfusio_volumat.json")
        branch = document["product_tree"]["branches"][0]["branches"][0]["branches"][1]
        branch["name"] = "<4.03.00"
        advisory = adv.read_csaf(dumps(document))
        self.assertEqual(
            advisory.products["CSAFPID-0002"].affected_range, R(end_excluding="4.03.00")
        )

    def test_full_product_names(self):
        document = sample_json("icsma_perfusio_volumat.json")
        document["product_tree"]["full_product_names"] = [
            {"name": "Volumat service tool", "product_id": "CSAFPID-0100"}
        ]
        advisory = adv.read_csaf(dumps(document))
        self.assertEqual(
            advisory.products["CSAFPID-0100"].affected_range, R(all_versions=True)
        )

    def broken(self, change):
        document = sample_json("icsma_perfusio_volumat.json")
        change(document)
        return dumps(document)

    def test_errors(self):
        def no_document(d):
            del d["document"]

        def version_1(d):
            d["document"]["csaf_version"] = "1.2"

        def no_id(d):
            del d["document"]["tracking"]["id"]

        def unknown_product(d):
            d["vulnerabilities"][1]["product_status"]["fixed"].append("CSAFPID-9999")

        def bad_range(d):
            d["product_tree"]["branches"][0]["branches"][0]["branches"][0]["name"] = (
                "<="
            )

        def bad_cve(d):
            d["vulnerabilities"][0]["cve"] = "CVE-21-44228"

        def not_list(d):
            d["vulnerabilities"] = {"cve": "CVE-2021-44228"}

        def not_object(d):
            d["vulnerabilities"][0]["remediations"] = ["update"]

        for change, code in [
            (no_document, "missing_root"),
            (version_1, "not_csaf"),
            (no_id, "missing"),
            (unknown_product, "unknown_product"),
            (bad_range, "bad_range"),
            (bad_cve, "bad_cve"),
            (not_list, "not_list"),
            (not_object, "not_object"),
        ]:
            with self.subTest(change=change.__name__):
                self.assertAdvisoryError(adv.read_csaf, self.broken(change), code)
        error = self.assertAdvisoryError(
            adv.read_csaf, self.broken(unknown_product), "unknown_product"
        )
        self.assertEqual(error.params["product"], "CSAFPID-9999")
        self.assertAdvisoryError(adv.read_csaf, b"[]", "not_object")
        self.assertAdvisoryError(adv.read_csaf, b"", "empty")
        self.assertAdvisoryError(adv.read_csaf, b'{"document": ', "bad_json")
        self.assertAdvisoryError(adv.read_csaf, "é".encode("latin-1"), "not_text")


class TestNvd(AdvisoryErrorMixin, unittest.TestCase):
    def test_page(self):
        page = adv.read_nvd(sample("nvd_cve_api_2.0_page.json"))
        self.assertEqual(
            (page.results_per_page, page.start_index, page.total_results), (3, 0, 3)
        )
        log4shell, openssl, alaris = page.cves
        self.assertEqual(log4shell.cve_id, "CVE-2021-44228")
        self.assertEqual(log4shell.status, "Analyzed")
        self.assertTrue(log4shell.description.startswith("Apache Log4j2"))
        # v3.1 is preferred to v2.
        self.assertEqual(
            (log4shell.cvss_version, log4shell.cvss_base_score), ("3.1", 10.0)
        )
        self.assertEqual(
            [m.affected_range for m in log4shell.cpe_matches],
            [
                R(start_including="2.0.1", end_excluding="2.3.1"),
                R(start_including="2.4.0", end_excluding="2.12.2"),
                R(start_including="2.13.0", end_excluding="2.15.0"),
                R(version="2.0 beta9"),
            ],
        )
        self.assertFalse(log4shell.has_platform_conditions)
        self.assertEqual(
            openssl.cpe_matches[1].affected_range,
            R(start_including="1.1.1", end_excluding="1.1.1n"),
        )
        # The Primary v3.1 metric is preferred; the hardware "running on"
        # condition is flagged, not taken as vulnerable.
        self.assertEqual(
            alaris.cvss_vector, "CVSS:3.1/AV:N/AC:L/PR:H/UI:R/S:C/C:H/I:H/A:H"
        )
        self.assertTrue(alaris.has_platform_conditions)
        self.assertEqual(len(alaris.cpe_matches), 1)
        self.assertTrue(vm.applies("4.33", [alaris.cpe_matches[0].affected_range]))

    def test_v4_only(self):
        document = sample_json("nvd_cve_api_2.0_page.json")
        del document["vulnerabilities"][2]["cve"]["metrics"]["cvssMetricV31"]
        alaris = adv.read_nvd(dumps(document)).cves[2]
        self.assertEqual(alaris.cvss_version, "4.0")
        self.assertEqual(vm.cvss_score(alaris.cvss_vector), 8.4)
        self.assertEqual(alaris.cvss_base_score, 8.4)

    def test_no_metrics_no_configurations(self):
        document = sample_json("nvd_cve_api_2.0_page.json")
        cve = document["vulnerabilities"][0]["cve"]
        del cve["metrics"], cve["configurations"]
        log4shell = adv.read_nvd(dumps(document)).cves[0]
        self.assertIsNone(log4shell.cvss_vector)
        self.assertEqual(log4shell.cpe_matches, ())

    def test_errors(self):
        document = sample_json("nvd_cve_api_2.0_page.json")
        self.assertAdvisoryError(
            adv.read_nvd, dumps({"vulnerabilities": []}), "not_nvd"
        )
        broken = copy.deepcopy(document)
        broken["vulnerabilities"][1]["cve"]["id"] = "CVE-2022"
        self.assertAdvisoryError(adv.read_nvd, dumps(broken), "bad_cve")
        broken = copy.deepcopy(document)
        del broken["vulnerabilities"][0]["cve"]["configurations"][0]["nodes"][0][
            "cpeMatch"
        ][2]["criteria"]
        error = self.assertAdvisoryError(adv.read_nvd, dumps(broken), "missing")
        self.assertIn("cpeMatch[2]", error.params["where"])
        broken = copy.deepcopy(document)
        match = broken["vulnerabilities"][1]["cve"]["configurations"][0]["nodes"][0][
            "cpeMatch"
        ][0]
        match["versionEndExcluding"] = "1.0.2"  # the same version as its start
        error = self.assertAdvisoryError(adv.read_nvd, dumps(broken), "bad_range")
        self.assertEqual(
            error.params["value"], "start_including=1.0.2 end_excluding=1.0.2"
        )
        broken = copy.deepcopy(document)
        broken["totalResults"] = "3"
        self.assertAdvisoryError(adv.read_nvd, dumps(broken), "not_integer")
        broken = copy.deepcopy(document)
        broken["vulnerabilities"][0]["cve"]["published"] = "yesterday"
        self.assertAdvisoryError(adv.read_nvd, dumps(broken), "bad_date")


class TestKev(AdvisoryErrorMixin, unittest.TestCase):
    def test_catalogue(self):
        catalog = adv.read_kev(sample("cisa_kev.json"))
        self.assertEqual(catalog.version, "2025.06.02")
        self.assertEqual(catalog.date_released.date(), date(2025, 6, 2))
        entries = {e.cve_id: e for e in catalog.entries}
        self.assertEqual(len(entries), 3)
        log4shell = entries["CVE-2021-44228"]
        self.assertEqual(
            (log4shell.vendor_project, log4shell.product), ("Apache", "Log4j2")
        )
        self.assertEqual(log4shell.date_added, date(2021, 12, 10))
        self.assertEqual(log4shell.due_date, date(2021, 12, 24))
        self.assertTrue(log4shell.known_ransomware)
        self.assertFalse(entries["CVE-2014-0160"].known_ransomware)
        self.assertIn("Apply updates", entries["CVE-2017-0144"].required_action)

    def test_errors(self):
        document = sample_json("cisa_kev.json")
        self.assertAdvisoryError(
            adv.read_kev, dumps({"vulnerabilities": []}), "not_kev"
        )
        for field, value, code in [
            ("dateAdded", "10/12/2021", "bad_date"),
            ("dateAdded", None, "missing"),
            ("cveID", "log4shell", "bad_cve"),
            ("product", None, "missing"),
            ("vendorProject", 12, "not_string"),
        ]:
            broken = copy.deepcopy(document)
            broken["vulnerabilities"][1][field] = value
            with self.subTest(field=field, value=value):
                self.assertAdvisoryError(adv.read_kev, dumps(broken), code)


class TestEpss(AdvisoryErrorMixin, unittest.TestCase):
    def test_scores(self):
        scores = adv.read_epss(sample("epss_scores.csv"))
        self.assertEqual(scores.model_version, "v2025.03.14")
        self.assertEqual(scores.score_date, datetime(2025, 6, 2, 12, 55, tzinfo=UTC))
        self.assertEqual(len(scores.scores), 5)
        log4shell = scores.scores["CVE-2021-44228"]
        self.assertEqual((log4shell.epss, log4shell.percentile), (0.94358, 0.99956))

    def test_gzipped_file_is_the_same(self):
        self.assertEqual(
            adv.read_epss(sample("epss_scores.csv.gz")),
            adv.read_epss(sample("epss_scores.csv")),
        )

    def test_older_files(self):
        # Without the comment line; dates written +0000.
        scores = adv.read_epss(b"cve,epss,percentile\r\nCVE-2021-44228,0.97,0.99\r\n")
        self.assertIsNone(scores.model_version)
        self.assertEqual(scores.scores["CVE-2021-44228"].epss, 0.97)
        dated = adv.read_epss(
            b"#model_version:v2023.03.01,score_date:2024-05-06T00:00:00+0000\n"
            b"cve,epss,percentile\nCVE-2021-44228,0.97,0.99\n"
        )
        self.assertEqual(dated.score_date, datetime(2024, 5, 6, tzinfo=UTC))

    def test_gzip_bomb(self):
        """An archive that unpacks beyond the limit is refused, not unpacked."""
        original = adv.MAX_BYTES
        adv.MAX_BYTES = 1000
        try:
            bomb = gzip.compress(b"cve,epss,percentile\n" + b"\n" * 5000)
            self.assertLess(len(bomb), 1000)
            self.assertAdvisoryError(adv.read_epss, bomb, "too_large")
        finally:
            adv.MAX_BYTES = original

    def test_errors(self):
        header = b"#model_version:v2025.03.14,score_date:2025-06-02T12:55:00Z\n"
        for body, code in [
            (b"cve,score\nCVE-2021-44228,0.9\n", "not_epss"),
            (b"cve,epss,percentile\nCVE-2021-44228,1.5,0.9\n", "bad_number"),
            (b"cve,epss,percentile\nCVE-2021-44228,nan,0.9\n", "bad_number"),
            (b"cve,epss,percentile\nCVE-2021-44228,0.9\n", "bad_csv"),
            (b"cve,epss,percentile\nCVE 2021 44228,0.9,0.9\n", "bad_epss_cve"),
        ]:
            with self.subTest(body=body):
                error = self.assertAdvisoryError(adv.read_epss, header + body, code)
        self.assertEqual(error.params, {"line": "3", "value": "CVE 2021 44228"})
        self.assertAdvisoryError(adv.read_epss, gzip.compress(b"")[:-4], "not_text")
        self.assertAdvisoryError(adv.read_epss, b"", "empty")


class TestSbomAgainstAdvisories(unittest.TestCase):
    """The infusion pump's SBOM against the NVD page and the KEV catalogue:
    the components each CVE applies to, by CPE and version."""

    def test_matches(self):
        components = read_sbom(
            (DATA / "sbom" / "infusion_pump_cyclonedx_1.5.json").read_bytes()
        )
        page = adv.read_nvd(sample("nvd_cve_api_2.0_page.json"))
        kev = {e.cve_id for e in adv.read_kev(sample("cisa_kev.json")).entries}
        found = set()
        for cve in page.cves:
            for component in components:
                if not component.cpe:
                    continue
                ranges = [
                    m.affected_range
                    for m in cve.cpe_matches
                    if vm.cpe_matches(component.cpe, m.criteria)
                ]
                if ranges and vm.applies(
                    component.version, ranges, vm.purl_scheme(component.purl)
                ):
                    found.add((cve.cve_id, component.name, cve.cve_id in kev))
        self.assertEqual(
            found,
            {
                ("CVE-2021-44228", "log4j-core", True),
                ("CVE-2022-0778", "openssl", False),
            },
        )
