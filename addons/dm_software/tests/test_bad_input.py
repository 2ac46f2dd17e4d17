"""Bad values sent by an RPC client on software: a clear refusal, never a
traceback (AttributeError, KeyError, ValueError) nor a value stored as sent."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..tools import versions
from .common import SoftwareCase


@tagged("post_install", "-at_install")
class TestSoftwareBadInput(SoftwareCase):
    def test_codes_that_are_not_text(self):
        software = self.create_software()
        for fname in ("udi_di", "basic_udi_di", "name", "intended_purpose"):
            for value in (123, 1.5, ["x"], {"x": 1}):
                with self.subTest(field=fname, value=value):
                    with self.assertRaisesRegex(UserError, "a text is expected"):
                        software.with_user(self.users["technician"]).write(
                            {fname: value}
                        )
                    with self.assertRaises(UserError):
                        self.create_software(**{fname: value})
        self.assertFalse(software.udi_di)

    def test_unknown_selection_values(self):
        software = self.create_software()
        for fname in ("hosting", "dm_risk_class", "ce_regime", "lifecycle_state"):
            for value in ("zz", 3, ["on_premises"]):
                with (
                    self.subTest(field=fname, value=value),
                    self.assertRaisesRegex(UserError, "not one of the allowed"),
                ):
                    software.with_user(self.users["technician"]).write({fname: value})
        self.assertEqual(software.hosting, "on_premises")

    def test_huge_version_is_refused(self):
        software = self.create_software()
        too_long = (
            "1" * 5000,
            "1." + "9" * (versions.MAX_NUMBER_DIGITS + 1),
            "1." * versions.MAX_LENGTH,
        )
        for version in too_long:
            with self.subTest(length=len(version)), self.assertRaises(UserError):
                self.add_version(software, version)
        for version in (123, ["1.0"]):
            with self.subTest(version=version), self.assertRaises(UserError):
                self.add_version(software, version)
        longest = "1." + "9" * versions.MAX_NUMBER_DIGITS
        self.assertEqual(self.add_version(software, longest).version, longest)
        self.assertFalse(
            self.Version.search(
                [("software_id", "=", software.id), ("version", "=like", "11111%")]
            )
        )
