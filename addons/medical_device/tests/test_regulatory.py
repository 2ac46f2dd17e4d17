from datetime import date

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import MedicalDeviceCase

VALID_GS1 = "(01)10050428383077(17)271231(10)LOT42(21)SN0001"


@tagged("post_install", "-at_install")
class TestRegulatoryIdentity(MedicalDeviceCase):
    def test_ivdr_class_only_for_in_vitro_devices(self):
        device = self.create_device()
        pharmacist = self.users["pharmacist"]
        with self.assertRaisesRegex(
            ValidationError, "not allowed for a device of kind"
        ):
            device.with_user(pharmacist).write({"dm_risk_class": "ivd_b"})
        device.with_user(pharmacist).write(
            {"dm_kind": "dmdiv", "dm_risk_class": "ivd_b", "ce_regime": "ivdr"}
        )
        self.assertEqual(device.dm_risk_class, "ivd_b")
        with self.assertRaisesRegex(ValidationError, "CE regime"):
            device.with_user(pharmacist).write({"ce_regime": "mdr"})

    def test_active_implantable_is_class_three(self):
        with self.assertRaisesRegex(ValidationError, "not allowed"):
            self.create_device(dm_kind="dmia", dm_risk_class="iia")
        device = self.create_device(
            dm_kind="dmia", dm_risk_class="iii", ce_regime="aimdd"
        )
        self.assertEqual(device.ce_transition_deadline, date(2027, 12, 31))

    def test_notified_body_number_is_four_digits(self):
        device = self.create_device()
        for wrong in ("123", "12345", "AB12"):
            with self.assertRaisesRegex(ValidationError, "exactly 4 digits"):
                device.write({"notified_body_number": wrong})
        device.write({"notified_body_number": "0459"})
        self.assertEqual(device.notified_body_number, "0459")

    def test_legacy_transition_deadline_and_next_deadline(self):
        device = self.create_device(dm_risk_class="iib", ce_regime="mdd")
        self.assertEqual(device.ce_transition_deadline, date(2028, 12, 31))
        device.write({"is_implantable": True})
        self.assertEqual(device.ce_transition_deadline, date(2027, 12, 31))
        device.write({"ce_certificate_expiry": date(2027, 5, 26)})
        self.assertEqual(device.ce_next_deadline, date(2027, 5, 26))
        device.write({"ce_regime": "mdr"})
        self.assertFalse(device.ce_transition_deadline)
        self.assertEqual(device.ce_next_deadline, date(2027, 5, 26))

    def test_editing_a_transition_rule_recomputes_devices(self):
        device = self.create_device(dm_risk_class="iia", ce_regime="mdd")
        rule = self.env["dm.ce.transition.rule"].search(
            [("ce_regime", "=", "mdd"), ("risk_class", "=", "iia")]
        )
        rule.with_user(self.users["pharmacist"]).write({"deadline": date(2029, 6, 30)})
        self.assertEqual(device.ce_transition_deadline, date(2029, 6, 30))

    def test_deadline_within_twelve_months_filter(self):
        soon = fields.Date.today() + relativedelta(months=6)
        later = fields.Date.today() + relativedelta(months=30)
        near = self.create_device(serial_no="NEAR", ce_certificate_expiry=soon)
        far = self.create_device(serial_no="FAR", ce_certificate_expiry=later)
        legacy = self.create_device(
            serial_no="LEGACY", dm_risk_class="iii", ce_regime="mdd"
        )
        # Evaluate the search view's own filter domain as the web client does.
        arch = etree.fromstring(
            self.env.ref("medical_device.hr_equipment_view_search").arch_db
        )
        [node] = arch.xpath("//filter[@name='filter_ce_deadline_soon']")
        domain = safe_eval(
            node.get("domain"),
            {"context_today": fields.Date.today, "relativedelta": relativedelta},
        )
        ids = (near | far | legacy).ids
        found = self.Equipment.search([*domain, ("id", "in", ids)])
        expected = near
        if legacy.ce_transition_deadline <= fields.Date.today() + relativedelta(
            months=12
        ):
            expected |= legacy
        self.assertEqual(found, expected)

    def test_maintenance_obligations_are_searchable(self):
        imaging = self.create_device(
            serial_no="XR-1", dm_risk_class="iia", is_ionising=True
        )
        ventilator = self.create_device(serial_no="VE-1", dm_risk_class="iib")
        pump = self.create_device(serial_no="SP-9", dm_risk_class="iia")
        ids = (imaging | ventilator | pump).ids
        obligatory = self.Equipment.search(
            [("maintenance_obligatory", "=", True), ("id", "in", ids)]
        )
        self.assertEqual(obligatory, imaging | ventilator)
        qc = self.Equipment.search(
            [("quality_control_obligatory", "=", True), ("id", "in", ids)]
        )
        self.assertEqual(qc, imaging)

    def test_udi_is_parsed_on_create_and_write(self):
        device = self.create_device(udi_carrier=VALID_GS1)
        self.assertEqual(device.udi_issuer, "gs1")
        self.assertEqual(device.udi_di, "10050428383077")
        self.assertEqual(device.udi_lot, "LOT42")
        self.assertEqual(device.udi_serial, "SN0001")
        self.assertEqual(device.udi_expiry_date, date(2027, 12, 31))
        device.write({"udi_carrier": False})
        self.assertFalse(device.udi_di)

    def test_invalid_udi_is_refused_and_nothing_written(self):
        device = self.create_device(udi_carrier=VALID_GS1)
        with self.assertRaisesRegex(ValidationError, "check digit"):
            device.with_user(self.users["technician"]).write(
                {
                    "udi_carrier": VALID_GS1.replace("077", "078"),
                    "location": "Should not be written",
                }
            )
        self.assertEqual(device.udi_di, "10050428383077")
        self.assertNotEqual(device.location, "Should not be written")

    def test_basic_udi_di_and_emdn_are_format_checked(self):
        device = self.create_device()
        with self.assertRaises(ValidationError):
            device.write({"basic_udi_di": "X" * 26})
        with self.assertRaises(ValidationError):
            device.write({"emdn_code": "Z1"})
        device.write({"emdn_code": " z12030101 "})
        self.assertEqual(device.emdn_code, "Z12030101")

    def test_regulatory_changes_are_tracked(self):
        device = self.create_device()
        self.flush_tracking()
        device.with_user(self.users["pharmacist"]).write(
            {
                "dm_risk_class": "iii",
                "notified_body_number": "0123",
                "udi_carrier": VALID_GS1,
            }
        )
        tracked = self.tracked_fields(device)
        for name in ("dm_risk_class", "notified_body_number", "udi_carrier"):
            self.assertIn(name, tracked)
