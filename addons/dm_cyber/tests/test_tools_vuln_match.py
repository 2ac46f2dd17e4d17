"""Version ranges, identities and CVSS scores of vulnerability matching
(plain unittest, run by pytest). Versions are never compared as strings."""

import unittest

from odoo.addons.dm_cyber.tools import vuln_match as vm
from odoo.addons.dm_cyber.tools.vuln_match import AffectedRange as R
from odoo.addons.dm_cyber.tools.vuln_match import VulnMatchError, applies


class TestFirmwareVersions(unittest.TestCase):
    def assertOrdered(self, *versions):
        keys = [vm.firmware_version(v) for v in versions]
        for lower, higher, a, b in zip(
            keys, keys[1:], versions, versions[1:], strict=False
        ):
            self.assertLess(lower, higher, f"{a} < {b}")

    def test_numbers_by_value(self):
        # A string comparison gets each of these wrong.
        self.assertOrdered("2.9", "2.10", "10.0")
        self.assertOrdered("4.2.3", "4.10")
        self.assertOrdered("1.9.9", "1.10.0")

    def test_leading_zeros_and_prefix(self):
        same = ["4.02.03", "4.2.3", "V4.02.03", "v4.2.3", "Version 4.2.3", "4.2.03"]
        self.assertEqual(
            {vm.firmware_version(v) for v in same}, {vm.firmware_version("4.2.3")}
        )
        # Zeros ending a version do not count either; inside it, they do.
        self.assertEqual(vm.firmware_version("4.33.0"), vm.firmware_version("4.33"))
        self.assertEqual(vm.firmware_version("2.0.0 rc1"), vm.firmware_version("2 rc1"))
        self.assertOrdered("4.33", "4.33.0.1")

    def test_revision_letters(self):
        # A letter glued to a number is a revision after it (OpenSSL 1.1.1k).
        self.assertOrdered("2.1.0", "2.1.0a", "2.1.0b", "2.1.1")
        self.assertOrdered("1.1.1", "1.1.1k", "1.1.1l", "1.1.1zd", "3.0.0")

    def test_service_packs(self):
        self.assertOrdered("3.4", "V3.4 SP2", "3.4 SP10", "3.5")
        self.assertEqual(
            vm.firmware_version("V3.4 SP2"), vm.firmware_version("3.4.sp2")
        )

    def test_pre_releases(self):
        self.assertOrdered(
            "1.9", "2.0 dev", "2.0 alpha", "2.0 beta 1", "2.0 beta 2", "2.0rc1", "2.0"
        )
        self.assertOrdered("2.0-rc.1", "2.0", "2.0.1")

    def test_bad_versions(self):
        for text in ("", "  ", "—", "..."):
            with self.subTest(text=text), self.assertRaises(VulnMatchError) as caught:
                vm.firmware_version(text)
            self.assertEqual(caught.exception.code, "bad_version")
        with self.assertRaises(VulnMatchError) as caught:
            vm.firmware_version("1." * 40)
        self.assertEqual(caught.exception.code, "version_too_long")
        with self.assertRaises(TypeError):
            vm.firmware_version(4.2)


class TestRanges(unittest.TestCase):
    def test_cpe_bounds_edges(self):
        log4j = [
            R(start_including="2.0.1", end_excluding="2.3.1"),
            R(start_including="2.4.0", end_excluding="2.12.2"),
            R(start_including="2.13.0", end_excluding="2.15.0"),
        ]
        for version, expected in [
            ("2.0", False),
            ("2.0.1", True),  # start including
            ("2.3.0", True),
            ("2.3.1", False),  # end excluding
            ("2.3.2", False),  # between two ranges
            ("2.12.1", True),
            ("2.12.2", False),
            ("2.14.1", True),
            ("2.15.0", False),
            ("2.17.1", False),
        ]:
            with self.subTest(version=version):
                self.assertEqual(applies(version, log4j), expected)

    def test_excluding_start_and_including_end(self):
        affected = [R(start_excluding="4.0", end_including="4.33")]
        self.assertFalse(applies("4.0", affected))
        self.assertTrue(applies("4.0.1", affected))
        self.assertTrue(applies("4.33", affected))
        self.assertTrue(applies("V4.33.0", affected))
        self.assertFalse(applies("4.33.1", affected))
        self.assertTrue(applies("3", [R(end_excluding="4")]))
        self.assertTrue(applies("99", [R(start_including="4")]))
        # Both bounds included and equal: that one version.
        self.assertTrue(applies("4.0", [R(start_including="4", end_including="4")]))
        self.assertFalse(applies("4.1", [R(start_including="4", end_including="4")]))
        self.assertEqual(vm.check_range(R(end_excluding="2")), R(end_excluding="2"))
        with self.assertRaises(VulnMatchError):
            vm.check_range(R(start_including="2.0", end_excluding="2"))

    def test_firmware_ranges(self):
        wifi = [vm.parse_range("<=V3.4 SP2")]
        self.assertTrue(applies("V3.4 SP2", wifi))
        self.assertTrue(applies("3.4", wifi))
        self.assertFalse(applies("V3.4 SP3", wifi))
        self.assertFalse(applies("3.4 SP10", wifi))
        pump = [R(vers="vers:intdot/<=4.02.03")]
        self.assertTrue(applies("4.2.3", pump))
        self.assertTrue(applies("4.02.02", pump))
        self.assertFalse(applies("4.03.00", pump))
        self.assertFalse(applies("4.10", pump))  # 4.10 > 4.02.03, not "4.1" < "4.0"
        beta = [R(start_including="2.1.0a", end_excluding="2.1.1")]
        self.assertTrue(applies("2.1.0b", beta))
        self.assertFalse(applies("2.1.0", beta))

    def test_vers_with_several_intervals(self):
        affected = [R(vers="vers:generic/>=1.0|<2.0|>=4.0|<6.0")]
        expected = {
            "0.9": False,
            "1.0": True,
            "1.9.9": True,
            "2.0": False,
            "3": False,
            "5": True,
            "6.0": False,
        }
        for version, result in expected.items():
            with self.subTest(version=version):
                self.assertEqual(applies(version, affected), result)
        self.assertTrue(applies("2.3", [R(vers="vers:generic/2.3|2.5")]))
        self.assertFalse(applies("2.4", [R(vers="vers:generic/2.3|2.5")]))
        self.assertFalse(applies("2.3", [R(vers="vers:generic/!=2.3")]))

    def test_ecosystem_rules(self):
        # PyPI: 2.25.1 in the range; a pre-release before its release.
        requests = [R(vers="vers:pypi/>=2.0|<2.31.0")]
        self.assertTrue(applies("2.25.1", requests, scheme="pypi"))
        self.assertFalse(applies("2.31.0", requests, scheme="pypi"))
        self.assertTrue(applies("2.31.0rc1", requests, scheme="pypi"))
        # npm (semver): 1.0.0-beta < 1.0.0.
        self.assertTrue(
            applies("1.0.0-beta.2", [R(vers="vers:npm/<1.0.0")], scheme="npm")
        )
        # Maven: 2.0-alpha1 < 2.0.
        self.assertTrue(
            applies("2.0-alpha1", [R(vers="vers:maven/<2.0")], scheme="maven")
        )
        # A version the ecosystem cannot read still compares, as firmware.
        self.assertTrue(applies("V3.4 SP2", [R(vers="vers:pypi/<3.5")]))

    def test_all_and_no_version(self):
        self.assertTrue(applies("1.0", [vm.parse_range("All versions")]))
        self.assertTrue(applies("1.0", [vm.parse_range("vers:all/*")]))
        self.assertTrue(applies(None, [R(all_versions=True)]))
        self.assertFalse(applies(None, [R(end_excluding="2.0")]))
        self.assertFalse(applies("", [R(end_excluding="2.0")]))
        self.assertFalse(applies("1.0", []))
        self.assertTrue(applies("1.0", [R(version="1.0.0")]))
        self.assertTrue(applies("1.0", [R()]))  # no bound at all: every version

    def test_parse_range(self):
        self.assertEqual(vm.parse_range("<=V2.3"), R(end_including="V2.3"))
        self.assertEqual(vm.parse_range("< 4.1"), R(end_excluding="4.1"))
        self.assertEqual(vm.parse_range(">=1.2"), R(start_including="1.2"))
        self.assertEqual(vm.parse_range("> 1.2"), R(start_excluding="1.2"))
        self.assertEqual(vm.parse_range("=1.2"), R(version="1.2"))
        self.assertEqual(vm.parse_range("1.2 SP1"), R(version="1.2 SP1"))
        self.assertEqual(vm.parse_range(" * "), R(all_versions=True))
        vers = "vers:generic/>=1.0|<2.0"
        self.assertEqual(vm.parse_range(vers), R(vers=vers))
        self.assertEqual(
            R(start_including="1", end_excluding="2").describe(), ">= 1 and < 2"
        )

    def test_bad_ranges(self):
        for text in (
            "",
            "<",
            "<=",
            "!=1.0",
            "vers:",
            "vers:generic/",
            "vers:generic/>=1||<2",
            "vers:generic/>=1|>=2",
            "vers:generic/<1|<2",
            "vers:generic/*|>=1",
            "~~",
            None,
        ):
            with self.subTest(text=text), self.assertRaises(VulnMatchError) as caught:
                vm.parse_range(text)
            self.assertIn(caught.exception.code, ("bad_range", "bad_version"))


class TestIdentities(unittest.TestCase):
    def test_names(self):
        self.assertEqual(
            vm.normalize_name("Baxter Healthcare Corporation"), "baxter_healthcare"
        )
        self.assertEqual(vm.normalize_name("Drägerwerk AG & Co. KGaA"), "dragerwerk")
        self.assertEqual(
            vm.normalize_name("B. Braun Melsungen AG"), "b_braun_melsungen"
        )
        self.assertEqual(vm.normalize_name("Inc."), "inc")  # nothing but a legal form
        self.assertTrue(vm.same_vendor("Baxter", "Baxter Healthcare Corporation"))
        self.assertTrue(vm.same_vendor("b_braun", "B. Braun Melsungen AG"))
        self.assertFalse(vm.same_vendor("Braun", "B. Braun Melsungen AG"))
        self.assertFalse(vm.same_vendor("", "Baxter"))
        self.assertTrue(vm.same_product("Sigma Spectrum", "sigma_spectrum"))
        self.assertFalse(vm.same_product("Sigma Spectrum", "Spectrum IQ"))

    def test_cpe(self):
        cpe = vm.parse_cpe("cpe:2.3:a:apache:log4j:2.0:beta9:*:*:*:*:*:*")
        self.assertEqual(
            (cpe.part, cpe.vendor, cpe.product, cpe.version, cpe.update),
            ("a", "apache", "log4j", "2.0", "beta9"),
        )
        uri = vm.parse_cpe("cpe:/a:baxter:sigma_spectrum:8.00.01")
        self.assertEqual(
            (uri.vendor, uri.product, uri.version),
            ("baxter", "sigma_spectrum", "8.00.01"),
        )
        escaped = vm.parse_cpe(
            r"cpe:2.3:a:ge\:healthcare:centricity\:pacs:4.0:*:*:*:*:*:*:*"
        )
        self.assertEqual(escaped.vendor, "ge:healthcare")
        for bad in (
            "",
            "cpe:2.3:a:x",
            "pkg:pypi/x",
            "cpe:2.3:z:v:p:1:*:*:*:*:*:*:*",
            None,
        ):
            with self.subTest(bad=bad), self.assertRaises(VulnMatchError):
                vm.parse_cpe(bad)

    def test_cpe_matches(self):
        component = "cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*"
        self.assertTrue(
            vm.cpe_matches(component, "cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*")
        )
        self.assertTrue(
            vm.cpe_matches(component, "cpe:2.3:*:openssl:openssl:*:*:*:*:*:*:*:*")
        )
        self.assertFalse(
            vm.cpe_matches(component, "cpe:2.3:a:openssl:libressl:*:*:*:*:*:*:*:*")
        )
        self.assertFalse(
            vm.cpe_matches(component, "cpe:2.3:o:openssl:openssl:*:*:*:*:*:*:*:*")
        )
        self.assertTrue(vm.cpe_matches("cpe:/a:OpenSSL:OpenSSL:1.1.1k", component))

    def test_cpe_version(self):
        self.assertEqual(
            vm.cpe_version("cpe:2.3:a:apache:log4j:*:*:*:*:*:*:*:*"),
            R(all_versions=True),
        )
        self.assertEqual(
            vm.cpe_version("cpe:2.3:o:microsoft:windows_10_1809:-:*:*:*:*:*:x64:*"),
            R(all_versions=True),
        )
        beta9 = vm.cpe_version("cpe:2.3:a:apache:log4j:2.0:beta9:*:*:*:*:*:*")
        self.assertTrue(applies("2.0-beta9", [beta9]))
        self.assertFalse(applies("2.0", [beta9]))

    def test_purl(self):
        self.assertTrue(
            vm.purl_matches("pkg:pypi/Requests_Lib@1.0", "pkg:pypi/requests-lib")
        )
        self.assertTrue(
            vm.purl_matches(
                "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
                "pkg:maven/org.apache.logging.log4j/log4j-core",
            )
        )
        self.assertFalse(
            vm.purl_matches(
                "pkg:maven/org.example/log4j-core@1",
                "pkg:maven/org.apache.logging.log4j/log4j-core",
            )
        )
        self.assertFalse(vm.purl_matches("pkg:npm/lodash@4.17.20", "pkg:pypi/lodash"))
        self.assertEqual(vm.purl_scheme("pkg:pypi/requests@2.25.1"), "pypi")
        self.assertIsNone(vm.purl_scheme("pkg:generic/openssl@1.1.1k"))
        self.assertIsNone(vm.purl_scheme(None))
        with self.assertRaises(VulnMatchError) as caught:
            vm.parse_purl("requests==2.25.1")
        self.assertEqual(caught.exception.code, "bad_purl")


class TestMatchKey(unittest.TestCase):
    def test_purl_first(self):
        key = vm.component_match_key
        self.assertEqual(
            key(
                name="log4j-core",
                purl="pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
                "?type=jar#sub",
                cpe="cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*",
            ),
            "pkg:maven/org.apache.logging.log4j/log4j-core",
        )
        # An advisory's purl, without version, gives the same key.
        self.assertEqual(
            key(purl="pkg:maven/org.apache.logging.log4j/log4j-core"),
            key(purl="pkg:Maven/Org.Apache.Logging.Log4j/Log4j-Core@2.17.0"),
        )
        self.assertEqual(key(purl="pkg:npm/lodash@4.17.20"), "pkg:npm/lodash")
        self.assertEqual(
            key(purl="pkg:pypi/Requests_Lib@1.0"), key(purl="pkg:pypi/requests-lib")
        )

    def test_cpe_then_name(self):
        key = vm.component_match_key
        self.assertEqual(
            key(name="OpenSSL", cpe="cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*"),
            "cpe:openssl:openssl",
        )
        self.assertEqual(
            key(cpe="cpe:/o:Microsoft:Windows_10:1809"), "cpe:microsoft:windows_10"
        )
        # An unreadable purl or CPE gives way to the next rule.
        self.assertEqual(
            key(
                name="zlib", purl="zlib==1.2", cpe="cpe:2.3:a:gnu:zlib:*:*:*:*:*:*:*:*"
            ),
            "cpe:gnu:zlib",
        )
        self.assertEqual(
            key(name="Sigma Spectrum", vendor="Baxter Healthcare Inc.", cpe="nope"),
            "name:baxter_healthcare:sigma_spectrum",
        )
        self.assertEqual(key(name="Busybox"), "name::busybox")
        self.assertEqual(key(name="Éditeur Médical"), "name::editeur_medical")
        self.assertIsNone(key())
        self.assertIsNone(key(name="  ", vendor="Baxter"))


class TestCvss(unittest.TestCase):
    def test_scores(self):
        self.assertEqual(
            vm.cvss_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"), 10.0
        )
        self.assertEqual(
            vm.cvss_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), 9.8
        )
        self.assertEqual(
            vm.cvss_score("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"), 7.5
        )
        self.assertEqual(
            vm.cvss_score("CVSS:3.1/AV:A/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N"), 1.8
        )
        self.assertEqual(
            vm.cvss_score(
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"
            ),
            9.3,
        )
        self.assertEqual(vm.cvss_score("AV:N/AC:M/Au:N/C:C/I:C/A:C"), 9.3)  # v2
        # The score is the vector's, whatever a file claims next to it.
        self.assertEqual(
            vm.cvss_score(" CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N "), 0.0
        )

    def test_bad_vectors(self):
        for vector in (
            "",
            None,
            "CVSS:3.1/AV:X",
            "CVSS:3.1/AV:N",
            "CVSS:5.0/AV:N",
            "9.8",
            "CVSS:4.0/AV:N/AC:L",
        ):
            with (
                self.subTest(vector=vector),
                self.assertRaises(VulnMatchError) as caught,
            ):
                vm.cvss_score(vector)
            self.assertEqual(caught.exception.code, "bad_cvss")
