"""From the readers' documents to our records' values (plain unittest, run
by pytest): the kind of an uploaded file, the product lines of a CSAF
advisory and of an NVD CVE, the CISA CSAF index, the NVD fetch windows and
the match key shared with the SBOM components."""

import gzip
import unittest
from datetime import datetime, timedelta
from pathlib import Path

from odoo.addons.dm_cyber.tools import advisories as adv
from odoo.addons.dm_cyber.tools import advisory_import as imp
from odoo.addons.dm_cyber.tools.vuln_match import component_match_key

ADVISORIES = Path(__file__).resolve().parents[1] / "data" / "samples" / "advisories"
CISA_INDEX = "https://raw.githubusercontent.com/cisagov/CSAF/develop/csaf_files/OT/white/changes.csv"


def sample(name):
    return (ADVISORIES / name).read_bytes()


class TestDetectKind(unittest.TestCase):
    def test_each_sample_is_recognised(self):
        expected = {
            "icsma_perfusio_volumat.json": "csaf",
            "nvd_cve_api_2.0_page.json": "nvd",
            "cisa_kev.json": "kev",
            "epss_scores.csv": "epss",
            "epss_scores.csv.gz": "epss",
        }
        for name, kind in expected.items():
            # Without the file name too: the content decides.
            self.assertEqual(imp.detect_kind(sample(name)), kind, name)

    def test_unknown_files(self):
        self.assertIsNone(imp.detect_kind(b'{"hello": "world"}'))
        self.assertIsNone(imp.detect_kind(b"<html>proxy error</html>"))
        self.assertIsNone(imp.detect_kind(b""))
        self.assertIsNone(imp.detect_kind(b"\x1f\x8bnot really gzip"))
        # A CSV named like EPSS goes to the EPSS reader, which says why not.
        self.assertEqual(imp.detect_kind(b"a,b\n", "scores.csv.gz"), "epss")


class TestCsafLines(unittest.TestCase):
    def test_one_line_per_product_and_cve(self):
        doc = adv.read_csaf(sample("icsma_perfusio_volumat.json"))
        lines = imp.csaf_lines(doc)
        self.assertEqual(
            sorted(lines),
            [
                ("CSAFPID-0001", "CVE-2021-44228"),
                ("CSAFPID-0002", "CVE-2021-44228"),
                ("CSAFPID-0002", "CVE-2022-0778"),
                ("CSAFPID-0003", "CVE-2022-0778"),
                ("CSAFPID-0004", "CVE-2022-0778"),
            ],
        )
        pump = lines[("CSAFPID-0001", "CVE-2021-44228")]
        self.assertEqual(pump["status"], "affected")
        self.assertEqual(pump["vendor"], "Perfusio Medical")
        self.assertEqual(pump["product"], "Volumat 8")
        self.assertEqual(pump["vers"], "vers:intdot/<=4.02.03")
        self.assertFalse(pump["all_versions"])
        self.assertEqual(pump["cpe"], "cpe:2.3:h:perfusio:volumat_8:*:*:*:*:*:*:*:*")
        self.assertIn("Vendor fix: Perfusio Medical recommends", pump["remediation"])
        self.assertIn("Mitigation: Block inbound", pump["remediation"])
        self.assertEqual(
            pump["remediation_url"], "https://perfusio.example/security/PSA-2025-02"
        )
        self.assertEqual(lines[("CSAFPID-0002", "CVE-2021-44228")]["status"], "fixed")
        self.assertEqual(
            lines[("CSAFPID-0002", "CVE-2022-0778")]["status"], "not_affected"
        )
        wifi = lines[("CSAFPID-0003", "CVE-2022-0778")]
        self.assertEqual(wifi["end_including"], "V3.4 SP2")
        self.assertEqual(
            lines[("CSAFPID-0004", "CVE-2022-0778")]["version"], "V3.4 SP3"
        )

    def test_csaf_summary_is_read(self):
        doc = adv.read_csaf(sample("icsma_perfusio_volumat.json"))
        self.assertTrue(doc.summary.startswith("Successful exploitation"))


class TestNvdLines(unittest.TestCase):
    def test_cpe_matches_with_their_ranges(self):
        page = adv.read_nvd(sample("nvd_cve_api_2.0_page.json"))
        log4j = next(c for c in page.cves if c.cve_id == "CVE-2021-44228")
        lines = imp.nvd_lines(log4j)
        self.assertEqual(len(lines), 4)
        ranges = sorted(
            (v["start_including"] or "", v["end_excluding"] or "", v["version"] or "")
            for v in lines.values()
        )
        self.assertIn(("2.13.0", "2.15.0", ""), ranges)
        self.assertIn(("", "", "2.0 beta9"), ranges)
        refs = {key[0] for key in lines}
        self.assertIn("cpe:2.3:a:apache:log4j:*:*:*:*:*:*:*:*#3", refs)
        self.assertTrue(all(v["vendor"] == "apache" for v in lines.values()))

    def test_cvss_values_from_the_vector(self):
        values = imp.cvss_values("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H")
        self.assertEqual(values["cvss_score"], 10.0)
        self.assertEqual(values["cvss_version"], "3.1")
        self.assertIsNone(imp.cvss_values("CVSS:3.1/AV:X"))
        self.assertIsNone(imp.cvss_values(None))
        self.assertEqual(imp.cvss_version("AV:N/AC:L/Au:N/C:P/I:P/A:P"), "2.0")


class TestIndexAndWindows(unittest.TestCase):
    def test_cisa_changes_csv(self):
        text = (
            "csaf_files/OT/white/2025/icsma-25-105-01.json,2025-05-20T06:00:00Z\n"
            "csaf_files/OT/white/2025/icsa-25-104-01.json,2025-05-20T06:00:00Z\n"
            "csaf_files/OT/white/2023/icsma-23-331-01.json,2023-11-28T07:00:00Z\n"
        )
        base = CISA_INDEX.rsplit("/", 1)[0]
        self.assertEqual(
            imp.csaf_index(text, CISA_INDEX),
            [
                f"{base}/2025/icsma-25-105-01.json",
                f"{base}/2023/icsma-23-331-01.json",
            ],
        )
        since = datetime(2024, 1, 1)
        self.assertEqual(
            imp.csaf_index(text, CISA_INDEX, since=since),
            [f"{base}/2025/icsma-25-105-01.json"],
        )

    def test_index_txt_relative_to_its_folder(self):
        self.assertEqual(
            imp.csaf_index("2025/icsma-25-105-01.json\n", "http://h/csaf/index.txt"),
            ["http://h/csaf/2025/icsma-25-105-01.json"],
        )

    def test_nvd_windows_of_at_most_120_days(self):
        now = datetime(2025, 9, 1)
        windows = imp.nvd_windows(datetime(2025, 1, 1), now)
        self.assertEqual(len(windows), 3)
        self.assertTrue(
            all(end - start <= timedelta(days=120) for start, end in windows)
        )
        self.assertEqual(windows[0][0], datetime(2025, 1, 1))
        self.assertEqual(windows[-1][1], now)
        first = imp.nvd_windows(None, now)
        self.assertEqual(first, [(now - timedelta(days=30), now)])
        self.assertEqual(imp.nvd_date(now), "2025-09-01T00:00:00.000Z")


class TestMatchKey(unittest.TestCase):
    def test_contract_rule(self):
        self.assertEqual(
            component_match_key(
                purl="pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar"
            ),
            "pkg:maven/org.apache.logging.log4j/log4j-core",
        )
        self.assertEqual(
            component_match_key(purl="pkg:pypi/Requests@2.0"), "pkg:pypi/requests"
        )
        self.assertEqual(
            component_match_key(
                name="log4j", cpe="cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*"
            ),
            "cpe:apache:log4j",
        )
        self.assertEqual(
            component_match_key(name="IntelliVue MX750", vendor="Philips Medical SAS"),
            "name:philips_medical:intellivue_mx750",
        )
        self.assertEqual(component_match_key(name="zlib"), "name::zlib")
        # A broken purl falls back to the next identity.
        self.assertEqual(component_match_key(name="x", purl="nope"), "name::x")
        self.assertFalse(component_match_key())

    def test_gzip_head(self):
        data = gzip.compress(
            b"#model_version:v1,score_date:2025-01-01\ncve,epss,percentile\n"
        )
        self.assertEqual(imp.detect_kind(data), "epss")
