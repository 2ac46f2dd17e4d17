"""SBOM reading (plain unittest, run by pytest): CycloneDX JSON and XML,
SPDX JSON and tag-value, and the errors that leave nothing half-read."""

import json
import unittest
from pathlib import Path

from odoo.addons.dm_cyber.tools import sbom
from odoo.addons.dm_cyber.tools.sbom import Component, SbomReadError, read_sbom
from odoo.tools.translate import LazyGettext

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples" / "sbom"


def sample(name):
    return (SAMPLES / name).read_bytes()


def cyclonedx(components, spec="1.5"):
    return json.dumps(
        {
            "bomFormat": "CycloneDX",
            "specVersion": spec,
            "version": 1,
            "components": components,
        }
    ).encode()


def cyclonedx_xml(body, spec="1.5"):
    return (
        f'<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/{spec}" '
        f'version="1"><components>{body}</components></bom>'
    ).encode()


SPDX_TAG_HEADER = """SPDXVersion: SPDX-2.3
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
DocumentName: test
DocumentNamespace: https://example.org/spdx/test
Creator: Tool: test
Created: 2025-01-01T00:00:00Z
"""


class SbomErrorMixin:
    def assertSbomError(self, data, code, filename=None):
        with self.assertRaises(SbomReadError) as caught:
            read_sbom(data, filename)
        error = caught.exception
        self.assertEqual(error.code, code, str(error))
        self.assertIsInstance(error.template, LazyGettext)
        self.assertTrue(str(error))
        return error


class TestCycloneDx(SbomErrorMixin, unittest.TestCase):
    def test_json_1_5_sample(self):
        components = read_sbom(sample("infusion_pump_cyclonedx_1.5.json"))
        by_name = {c.name: c for c in components}
        # Nested components (busybox inside the OS) are read; the metadata
        # component (the device itself) is not one of its components.
        self.assertEqual(
            sorted(by_name),
            [
                "SX-PCEAC2 firmware",
                "busybox",
                "log4j-core",
                "openssl",
                "requests",
                "wind-river-linux",
                "zlib",
            ],
        )
        self.assertEqual(
            by_name["openssl"],
            Component(
                name="openssl",
                version="1.1.1k",
                supplier="OpenSSL Software Foundation",
                purl="pkg:generic/openssl@1.1.1k",
                cpe="cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*",
                bom_ref="pkg:generic/openssl@1.1.1k",
            ),
        )
        self.assertEqual(
            by_name["log4j-core"].purl,
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
        )
        # No supplier: the publisher stands for it.
        self.assertEqual(by_name["requests"].supplier, "Python Software Foundation")
        self.assertEqual(by_name["SX-PCEAC2 firmware"].version, "V3.4 SP2")
        self.assertIsNone(by_name["SX-PCEAC2 firmware"].purl)

    def test_json_1_4(self):
        (component,) = read_sbom(sample("infusion_pump_cyclonedx_1.4.json"))
        self.assertEqual((component.name, component.version), ("openssl", "1.0.2u"))
        self.assertIsNone(component.supplier)

    def test_xml_1_6_sample(self):
        components = read_sbom(sample("patient_monitor_cyclonedx_1.6.xml"))
        by_name = {c.name: c for c in components}
        self.assertEqual(len(components), 3)
        windows = by_name["Windows 10 IoT Enterprise LTSC"]
        self.assertEqual(windows.version, "2019")
        self.assertEqual(windows.supplier, "Microsoft")
        self.assertTrue(windows.cpe.startswith("cpe:2.3:o:microsoft:windows_10_1809"))
        self.assertEqual(by_name["sqlite"].purl, "pkg:generic/sqlite@3.31.1")

    def test_xml_1_4_and_1_5(self):
        body = (
            '<component type="library" bom-ref="z"><name>zlib</name>'
            "<version>1.2.11</version><purl>pkg:generic/zlib@1.2.11</purl>"
            "</component>"
        )
        for spec in ("1.4", "1.5"):
            with self.subTest(spec=spec):
                (component,) = read_sbom(cyclonedx_xml(body, spec))
                self.assertEqual(component.purl, "pkg:generic/zlib@1.2.11")
                self.assertEqual(component.bom_ref, "z")

    def test_format_from_content_not_name(self):
        data = sample("patient_monitor_cyclonedx_1.6.xml")
        self.assertEqual(len(read_sbom(data, "sbom.json")), 3)
        self.assertEqual(sbom.sniff(data)[0], sbom.CYCLONEDX_XML)
        # A UTF-8 byte order mark (Windows editors) is no obstacle.
        bom = b"\xef\xbb\xbf" + sample("infusion_pump_cyclonedx_1.4.json")
        self.assertEqual(len(read_sbom(bom)), 1)

    def test_json_1_6(self):
        (component,) = read_sbom(
            cyclonedx(
                [
                    {
                        "type": "library",
                        "name": "sqlite",
                        "version": "3.31.1",
                        "manufacturer": {"name": "SQLite"},
                        "supplier": {"name": "SQLite Consortium"},
                    }
                ],
                spec="1.6",
            )
        )
        self.assertEqual(component.supplier, "SQLite Consortium")
        # A version after the ones we know is refused, not half-read.
        self.assertSbomError(cyclonedx([], spec="1.7"), "unsupported_version")

    def test_no_components(self):
        self.assertEqual(read_sbom(cyclonedx([])), [])

    def test_unsupported_versions(self):
        error = self.assertSbomError(cyclonedx([], spec="1.2"), "unsupported_version")
        self.assertEqual(error.params["version"], "1.2")
        self.assertSbomError(cyclonedx_xml("", spec="1.3"), "unsupported_version")
        no_version = json.dumps({"bomFormat": "CycloneDX", "components": []})
        self.assertSbomError(no_version.encode(), "unsupported_version")

    def test_malformed_is_never_partial(self):
        good = {"type": "library", "name": "zlib", "version": "1.2.11"}
        # One good component and a bad one: an error, not the good one alone.
        self.assertSbomError(
            cyclonedx([good, {"type": "library", "version": "1.0"}]), "malformed"
        )
        self.assertSbomError(
            cyclonedx([good, {"type": "spaceship", "name": "x"}]), "malformed"
        )
        self.assertSbomError(
            cyclonedx_xml(
                '<component type="library"><name>zlib</name></component>'
                '<component type="library"><version>1</version></component>'
            ),
            "malformed",
        )
        broken = json.dumps(
            {"bomFormat": "CycloneDX", "specVersion": "1.5", "components": "zlib"}
        )
        self.assertSbomError(broken.encode(), "malformed")

    def test_blank_name_refused(self):
        error = self.assertSbomError(
            cyclonedx([{"type": "library", "name": "  ", "bom-ref": "r1"}]),
            "component_without_name",
        )
        self.assertEqual(error.params, {"ref": "r1"})

    def test_bad_json_and_xml(self):
        error = self.assertSbomError(
            b'{"bomFormat": "CycloneDX",\n "specVersion": "1.5"', "bad_json"
        )
        self.assertEqual(error.params["line"], "2")
        self.assertSbomError(
            b'<bom xmlns="http://cyclonedx.org/schema/bom/1.5">', "bad_xml"
        )

    def test_xml_entities_refused(self):
        """No entity expansion (billion laughs) nor external entity (XXE)."""
        laughs = (
            b'<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            b'<bom xmlns="http://cyclonedx.org/schema/bom/1.5"><components>'
            b'<component type="library"><name>&b;</name></component>'
            b"</components></bom>"
        )
        self.assertSbomError(laughs, "bad_xml")
        xxe = (
            b'<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY x SYSTEM '
            b'"file:///etc/passwd">]><bom xmlns="http://cyclonedx.org/schema/bom/1.5">'
            b'<components><component type="library"><name>&x;</name></component>'
            b"</components></bom>"
        )
        self.assertSbomError(xxe, "bad_xml")


class TestSpdx(SbomErrorMixin, unittest.TestCase):
    def test_json_sample(self):
        openssl, busybox = read_sbom(sample("infusion_pump_spdx_2.3.json"))
        self.assertEqual(
            openssl,
            Component(
                name="openssl",
                version="1.1.1k",
                supplier="OpenSSL Software Foundation",
                purl="pkg:generic/openssl@1.1.1k",
                cpe="cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*",
                bom_ref="SPDXRef-Package-openssl",
            ),
        )
        # Supplier NOASSERTION: the originator stands for it.
        self.assertEqual(busybox.supplier, "BusyBox")
        self.assertIsNone(busybox.cpe)

    def test_tag_value_sample(self):
        data = sample("patient_monitor_spdx_2.3.spdx")
        self.assertEqual(sbom.sniff(data)[0], sbom.SPDX_TAG_VALUE)
        sqlite, newtonsoft = read_sbom(data)
        self.assertEqual(sqlite.version, "3.31.1")
        self.assertEqual(sqlite.cpe, "cpe:2.3:a:sqlite:sqlite:3.31.1:*:*:*:*:*:*:*")
        self.assertEqual(sqlite.supplier, "SQLite")
        self.assertEqual(newtonsoft.purl, "pkg:nuget/Newtonsoft.Json@12.0.1")

    def test_json_and_tag_value_agree(self):
        """The same document in both syntaxes gives the same components."""
        tag_value = SPDX_TAG_HEADER + (
            "\nPackageName: zlib\nSPDXID: SPDXRef-zlib\nPackageVersion: 1.2.11\n"
            "PackageSupplier: Organization: zlib\n"
            "PackageDownloadLocation: NOASSERTION\nFilesAnalyzed: false\n"
            "ExternalRef: PACKAGE-MANAGER purl pkg:generic/zlib@1.2.11\n"
        )
        as_json = {
            "spdxVersion": "SPDX-2.3",
            "dataLicense": "CC0-1.0",
            "SPDXID": "SPDXRef-DOCUMENT",
            "name": "test",
            "documentNamespace": "https://example.org/spdx/test",
            "creationInfo": {
                "created": "2025-01-01T00:00:00Z",
                "creators": ["Tool: test"],
            },
            "packages": [
                {
                    "SPDXID": "SPDXRef-zlib",
                    "name": "zlib",
                    "versionInfo": "1.2.11",
                    "supplier": "Organization: zlib",
                    "downloadLocation": "NOASSERTION",
                    "filesAnalyzed": False,
                    "externalRefs": [
                        {
                            "referenceCategory": "PACKAGE-MANAGER",
                            "referenceType": "purl",
                            "referenceLocator": "pkg:generic/zlib@1.2.11",
                        }
                    ],
                }
            ],
        }
        self.assertEqual(
            read_sbom(tag_value.encode()), read_sbom(json.dumps(as_json).encode())
        )

    def test_errors(self):
        self.assertSbomError(
            json.dumps(
                {"spdxVersion": "SPDX-2.3", "packages": [{"name": "x"}]}
            ).encode(),
            "malformed",
        )
        self.assertSbomError(
            (SPDX_TAG_HEADER + "PackageName: x\n").encode(), "malformed"
        )
        error = self.assertSbomError(
            b"SPDXVersion: SPDX-2.1\nDataLicense: CC0-1.0\n", "unsupported_version"
        )
        self.assertEqual(error.params["format"], "SPDX")


class TestSniff(SbomErrorMixin, unittest.TestCase):
    def test_not_an_sbom(self):
        self.assertSbomError(b"", "empty")
        self.assertSbomError(b"  \n", "empty")
        self.assertSbomError(b"\xff\xfe\x00b\x00o\x00m", "not_text")
        self.assertSbomError(b'{"hello": "world"}', "unknown_format", "x.json")
        self.assertSbomError(b"name,version\nzlib,1.2.11\n", "unknown_format")
        self.assertSbomError(b"<html><body>SBOM</body></html>", "unknown_format")
        with self.assertRaises(TypeError):
            read_sbom("not bytes")

    def test_size_limit(self):
        self.assertSbomError(b" " + b"x" * sbom.MAX_BYTES, "too_large")
