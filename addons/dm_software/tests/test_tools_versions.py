"""Natural ordering of version strings (plain unittest, run by pytest)."""

import itertools
import random
import unittest

from odoo.addons.dm_software.tools import versions


class TestVersionOrdering(unittest.TestCase):
    def assertOlder(self, older, newer):
        self.assertLess(versions.version_key(older), versions.version_key(newer))
        self.assertEqual(versions.compare_versions(older, newer), -1)
        self.assertEqual(versions.compare_versions(newer, older), 1)

    def test_numbers_compare_by_value(self):
        self.assertOlder("2.9", "2.10")
        self.assertOlder("2.10", "2.11")
        self.assertOlder("9", "10")
        self.assertOlder("1.99.99", "2.0")
        self.assertOlder("2.0", "2.0.1")
        self.assertOlder("16.1", "18.0")
        self.assertOlder("2023.1", "2024.01")

    def test_long_numbers(self):
        self.assertOlder("1.0.20240101", "1.0.20241231")
        self.assertOlder("1.0.999999999999", "1.0.1000000000000")

    def test_pre_releases_come_before_the_release(self):
        chain = [
            "3.0.dev1",
            "3.0a1",
            "3.0-alpha.2",
            "3.0b1",
            "3.0-beta.2",
            "3.0-rc1",
            "3.0-RC2",
            "3.0",
            "3.0.1",
        ]
        for older, newer in itertools.pairwise(chain):
            self.assertOlder(older, newer)

    def test_other_words_come_after_the_release(self):
        self.assertOlder("2.0", "2.0 SP1")
        self.assertOlder("2.0 SP1", "2.0 SP2")
        self.assertOlder("2.0 SP2", "2.1")
        self.assertOlder("VA40", "VA50")
        self.assertOlder("VA40", "VB10")

    def test_same_version_whatever_the_spelling(self):
        for left, right in (
            ("2.1", "v2.1"),
            ("2.1", "V2.01"),
            ("2.1.0-RC1", "2.1.0.rc1"),
            ("2_1", "2.1"),
            (" 2.1 ", "2.1"),
        ):
            self.assertEqual(versions.version_key(left), versions.version_key(right))
            self.assertEqual(versions.compare_versions(left, right), 0)

    def test_sort(self):
        expected = ["1.0", "1.2", "1.10", "2.0rc1", "2.0", "2.0.1", "2.9", "2.10"]
        shuffled = expected[:]
        random.Random(4).shuffle(shuffled)
        self.assertEqual(versions.sort_versions(shuffled), expected)
        self.assertEqual(versions.sort_versions(shuffled, reverse=True), expected[::-1])

    def test_key_is_made_of_digits_and_lower_case_letters(self):
        # Any database collation sorts such keys like Python does.
        for version in ("2.10", "2.0-RC1", "VA40 SP2", "18.0.1éé"):
            key = versions.version_key(version)
            self.assertRegex(key, r"^[0-9a-z]+$")

    def test_empty_version_is_refused(self):
        for text in ("", "  ", "-.-"):
            with self.assertRaises(versions.VersionError):
                versions.version_key(text)
        with self.assertRaises(TypeError):
            versions.version_key(None)

    def test_too_long_version_is_refused(self):
        """Bounded length and digits: no ValueError from Python's limit on
        long integers, no key whose order breaks (a number of 100 digits)."""
        for text in (
            "1" * 5000,
            "1." * versions.MAX_LENGTH,
            "2." + "1" * (versions.MAX_NUMBER_DIGITS + 1),
        ):
            with self.assertRaises(versions.VersionTooLongError):
                versions.version_key(text)
        longest = "9" * versions.MAX_NUMBER_DIGITS
        self.assertOlder("9" * (versions.MAX_NUMBER_DIGITS - 1), longest)
        self.assertEqual(
            versions.version_key("0" * 40 + "1"), versions.version_key("1")
        )
