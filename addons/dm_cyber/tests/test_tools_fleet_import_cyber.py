"""Tests of dm_cyber's fleet import targets (plain unittest, run by pytest)."""

import unittest

from odoo.addons.dm_cyber.tools import fleet_import_cyber as cyber
from odoo.addons.medical_device.tools import fleet_import as fi

TARGETS = fi.BASE_TARGETS | cyber.TARGETS
MAPPING = {
    "n serie": "serial_no",
    "classe": "dm_risk_class",
    "udi": "udi_carrier",
    "date de mise en service": "commissioning_date",
    "adresse ip": "ip_address",
}


def parse(row, headers=None):
    columns, _ignored = fi.resolve_columns(headers or list(row), MAPPING, TARGETS)
    return fi.parse_row(row, columns, TARGETS)


class TestCyberValues(unittest.TestCase):
    def test_choices(self):
        self.assertEqual(cyber.parse_antivirus("Hôpital"), "hospital")
        self.assertEqual(cyber.parse_antivirus("Oui"), "hospital")
        self.assertEqual(cyber.parse_antivirus("Fournisseur"), "vendor")
        self.assertEqual(cyber.parse_antivirus("Aucun"), "none")
        self.assertEqual(cyber.parse_remote_channel("VPN"), "supplier_vpn")
        self.assertEqual(cyber.parse_remote_channel("Non maîtrisé"), "uncontrolled")
        with self.assertRaises(fi.ParseError) as caught:
            cyber.parse_antivirus("peut-être")
        self.assertEqual(caught.exception.code, "unknown_antivirus")

    def test_network(self):
        self.assertEqual(cyber.parse_ip("10.20.3.41"), "10.20.3.41")
        with self.assertRaises(fi.ParseError):
            cyber.parse_ip("10.20.300.1")
        self.assertEqual(cyber.parse_mac("00:1a:2b:3c:4d:5e"), "00:1A:2B:3C:4D:5E")
        with self.assertRaises(fi.ParseError):
            cyber.parse_mac("001A2B")

    def test_targets_are_registered_with_their_addon(self):
        self.assertEqual(TARGETS.field("os_version"), "os_version_id")
        self.assertEqual(TARGETS.addons["antivirus"], "dm_cyber")
        self.assertEqual(TARGETS.addons["serial_no"], "medical_device")
        self.assertNotIn("antivirus", fi.BASE_TARGETS.kinds)
        for code in ("unknown_antivirus", "bad_ip", "bad_mac"):
            self.assertIn(code, TARGETS.messages)


class TestCyberRows(unittest.TestCase):
    def test_errors_name_their_column(self):
        vals, errors = parse(
            {
                "N° série": "SN1",
                "Classe": "Classe IV",
                "UDI": "(01)03760123450019(21)SN1",
                "Date de mise en service": "bientôt",
                "Adresse IP": "localhost",
            }
        )
        self.assertEqual(
            [(column, code) for column, code, _params in errors],
            [
                ("Classe", "unknown_class"),
                ("Date de mise en service", "bad_date"),
                ("Adresse IP", "bad_ip"),
                ("UDI", "udi"),
            ],
        )
        udi_error = errors[3][2]
        self.assertEqual(udi_error["udi_code"], "gs1_gtin_check")
        self.assertIn("check digit", udi_error["message"])
        self.assertNotIn("udi_carrier", vals)
        self.assertIn("check digit", fi.format_error("udi", udi_error))

    def test_cyber_error_text(self):
        _vals, errors = parse({"N° série": "SN1", "Adresse IP": "localhost"})
        _column, code, params = errors[0]
        self.assertEqual(
            fi.error_text(code, params, TARGETS),
            "localhost is not an IPv4 or IPv6 address.",
        )
        self.assertEqual(fi.error_text(code, params), f"bad_ip: {params}")
