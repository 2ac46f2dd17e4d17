from odoo.exceptions import ValidationError
from odoo.orm.model_classes import add_to_registry
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestRegulatoryMixin(TransactionCase):
    """The shared regulatory identity on a throwaway model (OCA style)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        from .regulatory_tester import DmRegulatoryTester

        add_to_registry(cls.registry, DmRegulatoryTester)
        model_names = ["dm.regulatory.tester"]
        cls.registry._setup_models__(cls.env.cr, model_names)
        cls.registry.init_models(cls.env.cr, model_names, {"models_to_check": True})
        cls.addClassCleanup(cls.registry.__delitem__, "dm.regulatory.tester")
        cls.Tester = cls.env["dm.regulatory.tester"].with_context(tracking_disable=True)

    def test_class_must_fit_the_kind_and_regime_the_class(self):
        with self.assertRaisesRegex(
            ValidationError, "not allowed for a device of kind"
        ):
            self.Tester.create({"name": "Pump", "dm_risk_class": "ivd_b"})
        record = self.Tester.create(
            {"name": "Analyser", "kind": "dmdiv", "dm_risk_class": "ivd_b"}
        )
        with self.assertRaisesRegex(ValidationError, "does not fit a device of kind"):
            record.write({"ce_regime": "mdr"})
        # The kind is watched too: changing it alone is checked.
        with self.assertRaisesRegex(
            ValidationError, "not allowed for a device of kind"
        ):
            record.write({"kind": "dm"})
        # Without a kind, only the regime and the class must fit.
        record.write({"kind": False, "ce_regime": "ivdr"})
        with self.assertRaisesRegex(ValidationError, "does not fit the class"):
            record.write({"ce_regime": "mdd"})

    def test_notified_body_and_basic_udi_di(self):
        record = self.Tester.create({"name": "Monitor"})
        for wrong in ("123", "12345", "AB12"):
            with self.assertRaisesRegex(ValidationError, "exactly 4 digits"):
                record.write({"notified_body_number": wrong})
        with self.assertRaisesRegex(ValidationError, "Basic UDI-DI"):
            record.write({"basic_udi_di": "A" * 26})

    def test_codes_are_normalised(self):
        record = self.Tester.create(
            {
                "name": "Monitor",
                "notified_body_number": " 0459 ",
                "basic_udi_di": " 0123456softwareab ",
                "udi_di": "(01)10050428383077(10)LOT1",
            }
        )
        self.assertEqual(record.notified_body_number, "0459")
        self.assertEqual(record.basic_udi_di, "0123456SOFTWAREAB")
        self.assertEqual(record.udi_di, "10050428383077")
        with self.assertRaisesRegex(ValidationError, "check digit"):
            record.write({"udi_di": "10050428383078"})
        record.write({"udi_di": " "})
        self.assertFalse(record.udi_di)

    def test_what_is_missing(self):
        record = self.Tester.create({"name": "Ventilator"})
        self.assertEqual(
            record._dm_regulatory_missing(), ["the risk class", "the CE regime"]
        )
        record.write({"dm_risk_class": "iib", "ce_regime": "mdr"})
        self.assertEqual(
            record._dm_regulatory_missing(),
            ["the notified body number", "the CE certificate reference"],
        )
        record.write({"notified_body_number": "0459", "ce_certificate_ref": "CE-1"})
        self.assertEqual(record._dm_regulatory_missing(), [])
        # Self-certified class I and legacy regimes need no notified body.
        record.write({"dm_risk_class": "i", "notified_body_number": False})
        self.assertEqual(record._dm_regulatory_missing(), [])
        record.write({"dm_risk_class": "iib", "ce_regime": "mdd"})
        self.assertEqual(record._dm_regulatory_missing(), [])
        # Exempt from CE marking: only the class is asked for.
        exempt = self.Tester.create({"name": "In-house", "exempt": True})
        self.assertEqual(exempt._dm_regulatory_missing(), ["the risk class"])
