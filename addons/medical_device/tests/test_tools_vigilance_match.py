"""The pure matching of a safety notice's scope (tools/vigilance_match.py)."""

import unittest
from datetime import date

from odoo.addons.medical_device.tools import messages
from odoo.addons.medical_device.tools import vigilance_match as vm


class TestRanges(unittest.TestCase):
    def test_serial_range_with_prefix(self):
        scope_range = vm.parse_range("SN1000-SN1999")
        self.assertTrue(vm.in_range("SN1000", scope_range))
        self.assertTrue(vm.in_range("sn1999", scope_range))
        self.assertTrue(vm.in_range(" SN1500 ", scope_range))
        self.assertFalse(vm.in_range("SN2000", scope_range))
        self.assertFalse(vm.in_range("SN999", scope_range))
        self.assertFalse(vm.in_range("XX1500", scope_range))
        self.assertFalse(vm.in_range("", scope_range))
        self.assertFalse(vm.in_range(False, scope_range))

    def test_numbers_compare_by_value_not_text(self):
        scope_range = vm.parse_range("A8-A12")
        self.assertTrue(vm.in_range("A9", scope_range))
        self.assertTrue(vm.in_range("A10", scope_range))
        self.assertFalse(vm.in_range("A100", scope_range))

    def test_zero_padding_is_part_of_the_serial(self):
        padded = vm.parse_range("SN0100-SN0999")
        self.assertTrue(vm.in_range("SN0500", padded))
        self.assertFalse(vm.in_range("SN500", padded))
        self.assertFalse(vm.in_range("SN00500", padded))
        unpadded = vm.parse_range("A1-A999")
        self.assertTrue(vm.in_range("A50", unpadded))
        self.assertFalse(vm.in_range("A050", unpadded))

    def test_hyphens_inside_serials(self):
        scope_range = vm.parse_range("SN-0100-SN-0999")
        self.assertEqual(scope_range.low.prefix, "SN-")
        self.assertTrue(vm.in_range("SN-0500", scope_range))
        self.assertFalse(vm.in_range("SN0500", scope_range))

    def test_other_separators_and_suffix(self):
        for text in ("L100A..L199A", "L100A - L199A", "L100A to L199A", "L100A–L199A"):
            scope_range = vm.parse_range(text)
            self.assertTrue(vm.in_range("L150A", scope_range), text)
            self.assertFalse(vm.in_range("L150B", scope_range), text)

    def test_single_values(self):
        self.assertTrue(vm.in_range("lot-abc", vm.parse_range("LOT-ABC")))
        self.assertFalse(vm.in_range("LOT-ABD", vm.parse_range("LOT-ABC")))
        single = vm.parse_range("SN0042")
        self.assertTrue(vm.in_range("SN0042", single))
        self.assertFalse(vm.in_range("SN42", single))

    def test_bad_ranges_name_their_line(self):
        with self.assertRaises(vm.ScopeError) as caught:
            vm.parse_range("SN2000..SN1000", 4)
        self.assertEqual(caught.exception.code, "order")
        self.assertIn(
            "line 4",
            messages.render(caught.exception.template, caught.exception.params),
        )
        with self.assertRaises(vm.ScopeError) as caught:
            vm.parse_range("SN1000 - XX1999", 2)
        self.assertEqual(caught.exception.code, "bounds")
        with self.assertRaises(vm.ScopeError):
            vm.parse_ranges("SN1\n\nAB9..AB1")

    def test_scope_lines_skip_blanks_and_comments(self):
        self.assertEqual(vm.scope_lines(" a \n\n# note\nb"), [(1, "a"), (4, "b")])
        self.assertEqual(
            vm.range_prefixes(vm.parse_ranges("SN1-SN9\nLX\nSN5")), ["LX", "SN"]
        )


class TestPatterns(unittest.TestCase):
    def test_like_pattern_is_a_superset_of_the_folded_text(self):
        self.assertEqual(vm.like_pattern(vm.fold("Evita V500")), "%_v_t_%v500%")
        self.assertEqual(vm.like_pattern("a%b_c"), "%_\\%b\\__%")
        self.assertEqual(vm.escape_like("50%_off\\"), "50\\%\\_off\\\\")


class TestModels(unittest.TestCase):
    def test_fold(self):
        self.assertEqual(vm.fold("  Dräger   Médical-AG "), "drager medical ag")
        self.assertEqual(vm.fold("ÉVITA_V500"), "evita v500")

    def test_model_lines(self):
        line = vm.parse_model("Dräger + Evita V500")
        self.assertTrue(vm.model_matches(line, "DRAGER", "evita  v500"))
        self.assertFalse(vm.model_matches(line, "Philips", "Evita V500"))
        self.assertFalse(vm.model_matches(line, "Dräger", "Evita V300"))
        alone = vm.parse_model("Alaris GH")
        self.assertIsNone(alone.manufacturer)
        self.assertTrue(vm.model_matches(alone, "Anyone", "ALARIS gh"))
        default = vm.parse_model("Alaris GH", "BD")
        self.assertFalse(vm.model_matches(default, "Anyone", "Alaris GH"))
        self.assertTrue(vm.model_matches(default, "bd", "Alaris GH"))


class TestVersions(unittest.TestCase):
    @staticmethod
    def key(text):
        parts = [int(p) for p in text.strip().lstrip("vV").split(".")]
        return tuple(parts)

    def test_natural_version_ranges(self):
        ranges = vm.parse_version_ranges("2.1-2.10\n3.0", self.key)
        self.assertEqual(vm.version_matches("2.9", ranges, self.key), "2.1-2.10")
        self.assertEqual(vm.version_matches("2.10", ranges, self.key), "2.1-2.10")
        self.assertIsNone(vm.version_matches("2.11", ranges, self.key))
        self.assertEqual(vm.version_matches("v3.0", ranges, self.key), "3.0")
        self.assertIsNone(vm.version_matches("garbage", ranges, self.key))
        with self.assertRaises(vm.ScopeError):
            vm.parse_version_ranges("ok\nx.y", self.key)
        with self.assertRaises(vm.ScopeError):
            vm.parse_version_ranges("3.0 - 2.0", self.key)


class TestMatchDevice(unittest.TestCase):
    DEVICE = {
        "udi_di": "04012345678901",
        "manufacturer": "Dräger",
        "model": "Evita V500",
        "lot": "L2305",
        "serials": ["SN1500"],
        "manufacture_date": date(2023, 5, 1),
    }

    def match(self, **scope):
        return vm.match_device(vm.parse_scope(**scope), self.DEVICE)

    def test_each_criterion(self):
        self.assertEqual(self.match(udi_di_list="0401 2345 678901")[0][0], "udi_di")
        self.assertIsNone(self.match(udi_di_list="04099999999999"))
        self.assertEqual(self.match(model_list="drager + EVITA V500")[0][0], "model")
        self.assertIsNone(self.match(model_list="Evita V300"))
        self.assertEqual(
            self.match(lot_ranges="L2300-L2399")[0], ("lot", "L2305", "L2300-L2399")
        )
        self.assertIsNone(self.match(lot_ranges="L2400-L2499"))
        self.assertEqual(self.match(serial_ranges="SN1000-SN1999")[0][0], "serial")
        self.assertIsNone(self.match(serial_ranges="SN2000-SN2999"))
        self.assertEqual(
            self.match(date_from=date(2023, 1, 1), date_to=date(2023, 12, 31))[0][0],
            "manufacture_date",
        )
        self.assertIsNone(self.match(date_from=date(2024, 1, 1)))
        self.assertIsNone(
            vm.match_device(
                vm.parse_scope(date_to=date(2030, 1, 1)),
                {**self.DEVICE, "manufacture_date": None},
            )
        )

    def test_combinations_all_must_hold(self):
        reasons = self.match(
            model_list="Evita V500", serial_ranges="SN1000-SN1999", lot_ranges="L2305"
        )
        self.assertEqual([r[0] for r in reasons], ["model", "lot", "serial"])
        self.assertIsNone(
            self.match(model_list="Evita V500", serial_ranges="SN2000-SN2999")
        )
        self.assertIsNone(self.match(model_list="Other", serial_ranges="SN1000-SN1999"))
        # Any line of a criterion.
        self.assertIsNotNone(self.match(serial_ranges="SN1\nSN1400-SN1600"))

    def test_empty_scope(self):
        scope = vm.parse_scope()
        self.assertTrue(vm.scope_is_empty(scope))
        self.assertEqual(vm.match_device(scope, self.DEVICE), [])
