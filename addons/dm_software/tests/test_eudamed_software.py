"""The EUDAMED look-up of a software by its Basic UDI-DI (local EUDAMED
serving recorded answers): registered as medical device software, its class
shown but left to the qualification, the CE data applied by choice."""

from odoo.addons.medical_device.tests.eudamed_server import EudamedServer
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AI_NODULE_DETECTOR, SoftwareCase

TPS_BASIC = "735000ONCOPLANTPSV7"


@tagged("post_install", "-at_install")
class TestEudamedSoftware(SoftwareCase):
    def setUp(self):
        super().setUp()
        server = EudamedServer()
        server.__enter__()
        self.addCleanup(server.__exit__, None, None, None)
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("medical_device.eudamed_url", server.url)
        params.set_param("medical_device.eudamed_retries", "0")
        self.software = self.create_software(name="OncoPlan TPS")
        self.qualify(self.software, AI_NODULE_DETECTOR)
        self.software.with_user(self.users["pharmacist"]).write(
            {"basic_udi_di": TPS_BASIC, "notified_body_number": "0459"}
        )

    def test_lookup_shows_the_class_and_applies_the_ce_data(self):
        action = self.software.with_user(
            self.users["pharmacist"]
        ).action_eudamed_lookup()
        wizard = self.env["dm.eudamed.lookup.wizard"].browse(action["res_id"])
        self.assertEqual(wizard.registered_as, "Medical device software")
        self.assertIn("SE-MF-000021957", wizard.manufacturer_eudamed)
        lines = {line.field_name: line for line in wizard.line_ids}
        # IIa by our qualification, IIb in EUDAMED: shown, not appliable here.
        self.assertEqual(self.software.dm_risk_class, "iia")
        self.assertTrue(lines["dm_risk_class"].differs)
        self.assertFalse(lines["dm_risk_class"].can_apply)
        lines["dm_risk_class"].apply = True
        with self.assertRaisesRegex(UserError, "cannot be taken from EUDAMED"):
            wizard.action_apply()
        self.assertEqual(self.software.dm_risk_class, "iia")
        lines["dm_risk_class"].apply = False
        lines["notified_body_number"].apply = True
        wizard.action_apply()
        self.assertEqual(self.software.notified_body_number, "2797")
        self.assertTrue(self.software.eudamed_hash)
