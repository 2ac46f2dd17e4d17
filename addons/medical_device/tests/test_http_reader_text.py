"""The chatter over the web client's own route (``/mail/thread/messages``):
a note the suite wrote for an English-speaking pharmacist's action reaches a
French reader in French, and an English reader in English."""

from markupsafe import Markup

from odoo.tests import new_test_user, tagged
from odoo.tools import html2plaintext

from .common import DmHttpCase
from .french_reader import load_french


@tagged("post_install", "-at_install", "dm_http")
class TestReaderTextOverHttp(DmHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_french(cls.env)
        env = cls.env
        technician = new_test_user(
            env,
            login="rt_http_tech",
            groups="medical_device.group_dm_technician",
            lang="en_US",
        )
        engineer = new_test_user(
            env,
            login="rt_http_eng",
            groups="medical_device.group_dm_engineer",
            lang="en_US",
        )
        cls.pharmacist = new_test_user(
            env,
            login="rt_http_pharma",
            groups="medical_device.group_dm_pharmacist",
            lang="en_US",
        )
        for login, lang in (("rt_http_fr", "fr_FR"), ("rt_http_en", "en_US")):
            new_test_user(
                env,
                login=login,
                groups="medical_device.group_dm_auditor",
                lang=lang,
            )
        cls.device = cls.device_in_service(
            technician=technician,
            engineer=engineer,
            name="Pousse-seringue",
            serial_no="RT-HTTP-1",
        )
        cls.incident = (
            env["dm.vigilance.incident"]
            .with_user(technician)
            .create(
                {
                    "equipment_id": cls.device.id,
                    "description": "Bolus inattendu.",
                    "service": "Réanimation",
                }
            )
        )
        cls.incident.with_user(cls.pharmacist).action_stop_use()

    def chatter(self, login):
        self.authenticate(login, login)
        result = self.make_jsonrpc_request(
            "/mail/thread/messages",
            {
                "thread_model": "maintenance.equipment",
                "thread_id": self.device.id,
                "fetch_params": {"limit": 50},
            },
        )
        bodies = []
        for values in result["data"].get("mail.message", []):
            body = values.get("body")
            if isinstance(body, list):  # ["markup", html]
                body = body[1]
            bodies.append(html2plaintext(Markup(body or "")))
        return "\n".join(bodies)

    def test_the_web_client_serves_each_reader_their_language(self):
        self.assertEqual(self.device.lifecycle_state, "in_service")
        french = self.chatter("rt_http_fr")
        self.assertIn("Utilisation du dispositif arrêtée par", french)
        self.assertIn(f"Incident {self.incident.name} signalé par", french)
        self.assertNotIn("Use of the device stopped", french)
        english = self.chatter("rt_http_en")
        self.assertIn("Use of the device stopped by", english)
        self.assertNotIn("Utilisation du dispositif arrêtée", english)
