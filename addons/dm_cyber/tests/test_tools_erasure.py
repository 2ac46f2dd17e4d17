"""Tests of the pure NIST SP 800-88 rules (plain unittest, run by pytest)."""

import unittest
from datetime import date

from odoo.addons.dm_cyber.tools import erasure


def execution(**overrides):
    values = {
        "level": "purge",
        "method": "secure_erase",
        "executed_on": date(2026, 3, 2),
        "result": "success",
        "verification_method": "sampling",
        "sanitiser_name": "Julien Moreau",
        "performer_type": "hospital",
        "has_supplier_certificate": False,
    }
    values.update(overrides)
    return erasure.execution_problems(**values)


def codes(problems):
    return [code for code, _params in problems]


class TestLevels(unittest.TestCase):
    def test_every_media_type_has_a_default_among_its_allowed_levels(self):
        for media_type in erasure.MEDIA_TYPES:
            with self.subTest(media_type=media_type):
                levels = erasure.allowed_levels(media_type)
                self.assertTrue(levels)
                self.assertIn(erasure.default_level(media_type), levels)
                self.assertTrue(set(levels) <= set(erasure.LEVELS))

    def test_ssd_is_purged_or_destroyed_never_cleared(self):
        self.assertEqual(erasure.allowed_levels("ssd"), ("purge", "destroy"))
        self.assertEqual(erasure.default_level("ssd"), "purge")
        self.assertEqual(
            codes(erasure.plan_problems("ssd", "clear", "overwrite")),
            ["level_not_allowed"],
        )

    def test_flash_media_are_never_cleared(self):
        for media_type in ("ssd", "removable_card", "workstation"):
            with self.subTest(media_type=media_type):
                self.assertNotIn("clear", erasure.allowed_levels(media_type))

    def test_removable_card_is_destroyed(self):
        self.assertEqual(erasure.allowed_levels("removable_card"), ("destroy",))
        self.assertEqual(erasure.default_level("removable_card"), "destroy")

    def test_hard_disk_and_internal_memory_accept_every_level(self):
        for media_type in ("internal_disk", "internal_memory"):
            with self.subTest(media_type=media_type):
                self.assertEqual(erasure.allowed_levels(media_type), erasure.LEVELS)
                self.assertEqual(erasure.default_level(media_type), "purge")

    def test_unknown_media_type(self):
        self.assertEqual(erasure.allowed_levels("floppy"), ())
        self.assertIsNone(erasure.default_level("floppy"))
        self.assertIsNone(erasure.default_method("floppy", "purge"))
        self.assertEqual(
            codes(erasure.plan_problems("floppy", "purge", None)), ["unknown_media"]
        )


class TestMethods(unittest.TestCase):
    def test_default_method_reaches_the_default_level(self):
        for media_type in erasure.MEDIA_TYPES:
            for level in erasure.allowed_levels(media_type):
                with self.subTest(media_type=media_type, level=level):
                    method = erasure.default_method(media_type, level)
                    self.assertIn(method, erasure.allowed_methods(media_type, level))
                    self.assertEqual(
                        erasure.plan_problems(media_type, level, method), []
                    )

    def test_known_defaults(self):
        self.assertEqual(
            erasure.default_method("internal_disk", "purge"), "secure_erase"
        )
        self.assertEqual(erasure.default_method("internal_disk", "clear"), "overwrite")
        self.assertEqual(
            erasure.default_method("internal_memory", "clear"), "factory_reset"
        )
        self.assertEqual(
            erasure.default_method("internal_memory", "purge"), "block_erase"
        )
        self.assertEqual(erasure.default_method("ssd", "destroy"), "shred")

    def test_degauss_only_purges_magnetic_disks(self):
        self.assertIn("degauss", erasure.allowed_methods("internal_disk", "purge"))
        for media_type in ("ssd", "internal_memory", "workstation"):
            with self.subTest(media_type=media_type):
                self.assertNotIn(
                    "degauss", erasure.allowed_methods(media_type, "purge")
                )
        self.assertEqual(
            codes(erasure.plan_problems("ssd", "purge", "degauss")),
            ["method_not_allowed"],
        )

    def test_a_clear_method_does_not_purge(self):
        problems = erasure.plan_problems("internal_disk", "purge", "overwrite")
        self.assertEqual(codes(problems), ["method_not_allowed"])
        self.assertEqual(
            problems[0][1]["allowed"],
            erasure.allowed_methods("internal_disk", "purge"),
        )

    def test_no_method_for_a_level_the_media_does_not_allow(self):
        self.assertEqual(erasure.allowed_methods("ssd", "clear"), ())
        self.assertIsNone(erasure.default_method("ssd", "clear"))

    def test_every_method_is_known(self):
        for media_type in erasure.MEDIA_TYPES:
            for level in erasure.LEVELS:
                self.assertTrue(
                    set(erasure.allowed_methods(media_type, level))
                    <= set(erasure.METHODS)
                )


class TestExecution(unittest.TestCase):
    def test_complete_execution_has_no_problem(self):
        self.assertEqual(execution(), [])
        self.assertEqual(execution(result="failure"), [])

    def test_verification_method_is_required(self):
        self.assertEqual(
            codes(execution(verification_method=False)), ["no_verification"]
        )

    def test_performer_date_and_result_are_required(self):
        self.assertEqual(codes(execution(sanitiser_name="  ")), ["no_performer"])
        self.assertEqual(codes(execution(executed_on=None)), ["no_date"])
        self.assertEqual(codes(execution(result=False)), ["no_result"])
        self.assertEqual(
            codes(execution(level=False, method=False)), ["no_level", "no_method"]
        )

    def test_destroyed_media_are_inspected_not_read_back(self):
        self.assertEqual(
            codes(execution(level="destroy", method="shred")),
            ["verification_not_allowed"],
        )
        self.assertEqual(
            execution(level="destroy", method="shred", verification_method="visual"),
            [],
        )
        self.assertEqual(
            codes(execution(verification_method="visual")),
            ["verification_not_allowed"],
        )

    def test_supplier_certificate_needs_the_supplier_and_the_file(self):
        self.assertEqual(
            codes(execution(verification_method="supplier_certificate")),
            ["certificate_missing"],
        )
        self.assertEqual(
            codes(
                execution(
                    verification_method="supplier_certificate",
                    performer_type="supplier",
                )
            ),
            ["certificate_missing"],
        )
        self.assertEqual(
            execution(
                verification_method="supplier_certificate",
                performer_type="supplier",
                has_supplier_certificate=True,
            ),
            [],
        )
