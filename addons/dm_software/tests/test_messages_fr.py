"""The qualification reasons and the UDI checks of software are written once,
in English, in tools/, and reach a French user in French."""

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from ..tools import qualification
from .common import SoftwareCase


@tagged("post_install", "-at_install")
class TestSoftwareMessagesInFrench(SoftwareCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")

    def test_qualification_reasons_in_french(self):
        conclusion = qualification.Conclusion(
            outcome=qualification.NOT_MDSW,
            reasons=("step3_no_action_on_data", "rule11_other"),
        )
        answers = self.env["dm.software.qualification.answers"]
        self.assertEqual(
            answers.with_context(lang="fr_FR")._conclusion_text(conclusion),
            "MDCG 2019-11, étape 3 : il ne fait que stocker, archiver, communiquer, "
            "rechercher ou compresser sans perte des données : ce n'est pas un "
            "logiciel dispositif médical.\n"
            "Règle 11 : tous les autres logiciels sont de classe I.",
        )
        self.assertEqual(
            answers.with_context(lang="en_US")._conclusion_text(conclusion),
            "\n".join(
                str(qualification.REASONS[code]._translate("en_US"))
                for code in conclusion.reasons
            ),
        )

    def test_every_reason_has_its_text(self):
        answers = self.env["dm.software.qualification.answers"]
        for code in qualification.REASONS:
            conclusion = qualification.Conclusion(outcome="x", reasons=(code,))
            self.assertNotEqual(answers._conclusion_text(conclusion), code)

    def test_invalid_udi_di_is_refused_in_french(self):
        with self.assertRaises(ValidationError) as caught:
            self.create_software().with_context(lang="fr_FR").write(
                {"udi_di": "03760123450019"}
            )
        message = str(caught.exception)
        self.assertIn("UDI-DI « 03760123450019 » invalide", message)
        self.assertIn("Le chiffre de contrôle du GTIN est erroné", message)
