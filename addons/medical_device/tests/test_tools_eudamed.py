"""The EUDAMED client against a local server serving recorded answers of
EUDAMED's public API (plain unittest, run by pytest): reading a registration,
not found, timeout, server errors and retries, offline."""

import json
import unittest

from odoo.addons.medical_device.tools import eudamed

from .eudamed_server import SAMPLES, EudamedServer, closed_port_url

AGILIA = "03760123450010"
TPS_BASIC = "735000ONCOPLANTPSV7"


def client(url, **kwargs):
    kwargs.setdefault("timeout", 2)
    kwargs.setdefault("retries", 2)
    kwargs.setdefault("backoff", 0)
    return eudamed.EudamedClient(url, **kwargs)


class TestEudamedParsing(unittest.TestCase):
    def load(self, name):
        return json.loads((SAMPLES / name).read_text())

    def test_search_takes_the_latest_version_of_the_code(self):
        entry = eudamed.parse_search(
            self.load(f"search_udi_di_{AGILIA}.json"), udi_di=AGILIA
        )
        self.assertEqual(entry["versionNumber"], 3)
        self.assertIsNone(
            eudamed.parse_search(
                self.load(f"search_udi_di_{AGILIA}.json"), udi_di="00000000000000"
            )
        )
        self.assertIsNone(eudamed.parse_search(self.load("search_not_found.json")))

    def test_not_a_search_answer(self):
        with self.assertRaises(eudamed.EudamedError) as caught:
            eudamed.parse_search({"message": "Service unavailable"})
        self.assertEqual(caught.exception.kind, "invalid")

    def test_device_record(self):
        entry = eudamed.parse_search(
            self.load(f"search_udi_di_{AGILIA}.json"), udi_di=AGILIA
        )
        record = eudamed.parse_device(entry, self.load(f"basic_udi_data_{AGILIA}.json"))
        self.assertEqual(record.udi_di, AGILIA)
        self.assertEqual(record.basic_udi_di, "3760123AGILIASPPD")
        self.assertEqual(record.risk_class, "iib")
        self.assertEqual(record.ce_regime, "mdr")
        self.assertEqual(record.manufacturer_srn, "DE-MF-000006180")
        self.assertEqual(record.manufacturer_name, "Fresenius Kabi AG")
        self.assertEqual(record.trade_name, "Agilia SP MC")
        self.assertEqual(record.device_status, "on-the-market")
        self.assertTrue(record.is_medical_device)
        self.assertFalse(record.is_software)
        self.assertEqual(len(record.certificates), 2)
        main = record.main_certificate()
        # The expired MDD certificate is not the one to compare with.
        self.assertEqual(main.number, "GMED-MDR-19651")
        self.assertEqual(main.expiry, "2029-04-30")
        self.assertEqual(main.notified_body_number, "0459")
        self.assertTrue(main.in_force)

    def test_software_manufacturer_in_public_view(self):
        entry = eudamed.parse_search(
            self.load(f"search_basic_udi_{TPS_BASIC}.json"), basic_udi_di=TPS_BASIC
        )
        record = eudamed.parse_device(
            entry, self.load(f"basic_udi_data_{TPS_BASIC}.json")
        )
        self.assertTrue(record.is_software)
        self.assertEqual(record.manufacturer_srn, "SE-MF-000021957")
        self.assertEqual(record.manufacturer_name, "OncoPlan Medical AB")
        self.assertEqual(record.main_certificate().notified_body_number, "2797")

    def test_fingerprint_changes_with_the_certificate_only(self):
        entry = eudamed.parse_search(
            self.load(f"search_udi_di_{AGILIA}.json"), udi_di=AGILIA
        )
        basic = self.load(f"basic_udi_data_{AGILIA}.json")
        first = eudamed.fingerprint(eudamed.parse_device(entry, basic))
        # The same data read again (another order of certificates): same hash.
        basic["deviceCertificateInfoList"].reverse()
        self.assertEqual(first, eudamed.fingerprint(eudamed.parse_device(entry, basic)))
        suspended = eudamed.parse_device(
            entry, self.load(f"basic_udi_data_{AGILIA}_suspended.json")
        )
        self.assertNotEqual(first, eudamed.fingerprint(suspended))
        self.assertFalse(suspended.certificates[0].in_force)
        self.assertNotEqual(eudamed.fingerprint(None), first)


class TestEudamedClient(unittest.TestCase):
    def test_lookup_by_udi_di(self):
        with EudamedServer() as server:
            record = client(server.url).lookup(udi_di=AGILIA)
        self.assertEqual(record.risk_class, "iib")
        self.assertEqual(record.main_certificate().number, "GMED-MDR-19651")
        self.assertEqual(len(server.requests), 2)
        self.assertIn("primaryDi=03760123450010", server.requests[0])
        self.assertIn("basicUdiData/udiDiData/5f0d3c1e", server.requests[1])

    def test_lookup_by_basic_udi_di(self):
        with EudamedServer() as server:
            record = client(server.url).lookup(basic_udi_di=TPS_BASIC)
        self.assertEqual(record.basic_udi_di, TPS_BASIC)
        self.assertTrue(record.is_software)

    def test_not_found(self):
        with EudamedServer() as server:
            self.assertIsNone(client(server.url).lookup(udi_di="04012345678901"))
            self.assertIsNone(client(server.url).lookup())
        self.assertEqual(len(server.requests), 1)

    def test_server_errors_are_retried(self):
        with EudamedServer(failures=2) as server:
            record = client(server.url, retries=2).lookup(udi_di=AGILIA)
        self.assertEqual(record.udi_di, AGILIA)
        # two errors, then the search and the Basic UDI-DI data
        self.assertEqual(len(server.requests), 4)

    def test_server_error_after_the_retries(self):
        with (
            EudamedServer(failures=10) as server,
            self.assertRaises(eudamed.EudamedError) as caught,
        ):
            client(server.url, retries=1).lookup(udi_di=AGILIA)
        self.assertEqual(caught.exception.kind, "http")
        self.assertEqual(caught.exception.params["status"], 500)
        self.assertEqual(len(server.requests), 2)

    def test_timeout(self):
        with (
            EudamedServer(delay=0.6) as server,
            self.assertRaises(eudamed.EudamedError) as caught,
        ):
            client(server.url, timeout=0.2, retries=1).lookup(udi_di=AGILIA)
        self.assertEqual(caught.exception.kind, "timeout")
        self.assertEqual(caught.exception.params["attempts"], 2)

    def test_offline(self):
        with self.assertRaises(eudamed.EudamedError) as caught:
            client(closed_port_url(), retries=1).lookup(udi_di=AGILIA)
        self.assertEqual(caught.exception.kind, "offline")

    def test_answer_that_is_not_json(self):
        with EudamedServer(overrides={}) as server:
            server.overrides["5f0d3c1e-8a52-4b7e-9d0c-2b9e6f41a7c3"] = "README.md"
            with self.assertRaises(eudamed.EudamedError) as caught:
                client(server.url).lookup(udi_di=AGILIA)
        self.assertEqual(caught.exception.kind, "invalid")
