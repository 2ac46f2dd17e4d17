from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import AI_NODULE_DETECTOR, SoftwareCase


@tagged("post_install", "-at_install")
class TestRegulatoryIdentity(SoftwareCase):
    """Devices and software share one regulatory identity: same rules, same
    messages, same list of what is missing."""

    def refusal(self, record, vals):
        """The message refusing ``vals`` on ``record``, without its name."""
        with self.assertRaises(ValidationError) as caught:
            record.with_user(self.users["pharmacist"]).write(vals)
        message = str(caught.exception)
        prefix = f"{record.display_name}: "
        self.assertTrue(message.startswith(prefix), message)
        return message.removeprefix(prefix)

    def test_same_notified_body_rule(self):
        device = self.create_device()
        software = self.create_software()
        for wrong in ("123", "12A4"):
            device_message = self.refusal(device, {"notified_body_number": wrong})
            self.assertIn("exactly 4 digits", device_message)
            self.assertEqual(
                self.refusal(software, {"notified_body_number": wrong}),
                device_message,
            )
        for record in (device, software):
            record.with_user(self.users["pharmacist"]).write(
                {"notified_body_number": " 0459 "}
            )
            self.assertEqual(record.notified_body_number, "0459")

    def test_same_basic_udi_di_rule(self):
        device = self.create_device()
        software = self.create_software()
        self.assertEqual(
            self.refusal(software, {"basic_udi_di": "A" * 26}),
            self.refusal(device, {"basic_udi_di": "A" * 26}),
        )
        for record in (device, software):
            record.with_user(self.users["pharmacist"]).write(
                {"basic_udi_di": " 0123456softwareab "}
            )
            self.assertEqual(record.basic_udi_di, "0123456SOFTWAREAB")

    def test_same_regime_and_class_rule(self):
        device = self.create_device(dm_kind=False, dm_risk_class="iia")
        software = self.create_software()
        self.qualify(software, AI_NODULE_DETECTOR)
        self.assertEqual(software.dm_risk_class, "iia")
        self.assertEqual(
            self.refusal(software, {"ce_regime": "ivdr"}),
            self.refusal(device, {"ce_regime": "ivdr"}),
        )

    def test_same_missing_identity_at_the_gates(self):
        device = self.create_device(dm_risk_class="iia", ce_regime="mdr")
        software = self.create_software()
        self.qualify(software, AI_NODULE_DETECTOR)
        software.with_user(self.users["pharmacist"]).write({"ce_regime": "mdr"})
        expected = ["the notified body number", "the CE certificate reference"]
        self.assertEqual(device._dm_regulatory_missing(), expected)
        # The software asks, on top, for the check of its CE marking.
        self.assertEqual(
            software._dm_regulatory_missing(), [*expected, "the CE marking check"]
        )
        for missing in expected:
            self.assertIn(missing, device._lifecycle_missing("in_service"))
            self.assertIn(missing, software._lifecycle_missing("in_use"))
