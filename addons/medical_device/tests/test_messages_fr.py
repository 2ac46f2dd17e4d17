"""The messages of tools/ are written once, in English, and reach a French
user in French: through the model's errors and the import's error text."""

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from ..tools import fleet_import
from .common import MedicalDeviceCase


@tagged("post_install", "-at_install")
class TestMessagesInFrench(MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")

    def create_device_fr(self, **overrides):
        return (
            self.Equipment.with_user(self.users["engineer"])
            .with_context(lang="fr_FR")
            .create(self._acquisition_vals(**overrides))
        )

    def test_invalid_udi_is_refused_in_french(self):
        with self.assertRaises(ValidationError) as caught:
            self.create_device_fr(udi_carrier="(01)03760123450019(21)SN1")
        message = str(caught.exception)
        self.assertIn("UDI « (01)03760123450019(21)SN1 » invalide", message)
        self.assertIn("Le chiffre de contrôle du GTIN est erroné", message)

    def test_invalid_emdn_code_is_refused_in_french(self):
        with self.assertRaises(ValidationError) as caught:
            self.create_device_fr(emdn_code="E1234")
        self.assertIn("Le code EMDN E1234 est invalide", str(caught.exception))

    def test_import_errors_in_french(self):
        env = self.env(context={"lang": "fr_FR"})
        _vals, errors = fleet_import.parse_row(
            {"Date": "bientôt", "UDI": "(01)03760123450019(21)SN1"},
            [("Date", "commissioning_date"), ("UDI", "udi_carrier")],
        )
        texts = [
            fleet_import.error_text(code, params, env=env)
            for _c, code, params in errors
        ]
        self.assertEqual(
            texts[0], "bientôt n'est pas une date (attendu : jj/mm/aaaa ou aaaa-mm-jj)."
        )
        self.assertTrue(texts[1].startswith("IUD (01)03760123450019(21)SN1 invalide"))
        self.assertIn("Le chiffre de contrôle du GTIN est erroné", texts[1])
        # Without an env, the same errors read in English.
        self.assertIn(
            "The GTIN check digit is wrong",
            fleet_import.error_text(*errors[1][1:]),
        )
