"""The demo users read French where French is installed (``make run``)."""

from odoo.tests import TransactionCase, tagged

DEMO_ENGINEER = "medical_device.user_dm_engineer_demo"


@tagged("post_install", "-at_install")
class TestDemoLanguage(TransactionCase):
    def test_demo_users_read_french_where_french_is_installed(self):
        engineer = self.env.ref(DEMO_ENGINEER, raise_if_not_found=False)
        if not engineer:
            self.skipTest("installed without demo data")
        engineer.partner_id.lang = "en_US"
        self.env["res.lang"]._activate_lang("fr_FR")
        Partner = self.env["res.partner"]
        self.assertTrue(
            Partner._dm_demo_in_french([DEMO_ENGINEER, "medical_device.no_such_user"])
        )
        self.assertEqual(engineer.lang, "fr_FR")
        # Another user keeps its language.
        self.assertEqual(self.env.ref("base.user_admin").lang, "en_US")
