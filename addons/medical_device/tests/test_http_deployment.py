"""What a client of the served instance gets: JSON-RPC errors without the
server's traceback for ordinary users, and a closed database manager with the
served configuration's ``list_db = False`` (tests/test_deploy.py checks that
``make run`` writes it)."""

import json
import operator
import secrets
from datetime import datetime, timedelta
from unittest.mock import patch

import odoo
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import config


@tagged("post_install", "-at_install", "dm_http")
class TestJsonErrorsWithoutTraceback(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.technician = new_test_user(
            cls.env,
            login="deploy_technician",
            groups="medical_device.group_dm_technician",
            lang="fr_FR",
        )
        cls.administrator = new_test_user(
            cls.env,
            login="deploy_administrator",
            groups="base.group_system,medical_device.group_dm_engineer",
        )
        cls.device = cls.env["maintenance.equipment"].create(
            {
                "name": "Deployment test pump",
                "is_medical_device": True,
                "dm_kind": "dm",
                "serial_no": "DEPLOY-0001",
                "acquisition_mode": "purchase",
            }
        )

    def call_kw(self, login, method, args, kwargs=None):
        """The web client's call, as ``login``; returns the JSON-RPC error."""
        self.authenticate(login, login)
        response = self.url_open(
            f"/web/dataset/call_kw/maintenance.equipment/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "model": "maintenance.equipment",
                        "method": method,
                        "args": args,
                        "kwargs": kwargs or {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertIn("error", body, "the call was expected to fail")
        return body["error"]

    def refusal(self, lang):
        """The refusal of putting a device in acquisition in service, as the
        technician gets it in ``lang`` when calling the model directly."""
        device = self.device.with_user(self.technician).with_context(lang=lang)
        with self.assertRaises(UserError) as caught, self.env.cr.savepoint():
            device.action_put_in_service()
        return caught.exception

    def test_technician_gets_translated_message_without_traceback(self):
        french, english = self.refusal("fr_FR"), self.refusal("en_US")
        self.assertNotEqual(french.args[0], english.args[0], "it is translated")
        with self.assertLogs("odoo.http", "WARNING"):
            error = self.call_kw(
                "deploy_technician",
                "action_put_in_service",
                [[self.device.id]],
                {"context": {"lang": "fr_FR"}},
            )
        self.assertEqual(
            error["data"]["name"], f"odoo.exceptions.{type(french).__name__}"
        )
        self.assertEqual(error["data"]["message"], french.args[0])
        self.assertEqual(error["data"]["debug"], "")
        self.assertNotIn("Traceback", json.dumps(error))
        self.assertNotIn(".py", json.dumps(error))

    def test_technician_gets_no_traceback_of_a_programming_error(self):
        # A wrong call (an extra argument) fails with a TypeError in Python.
        with self.assertLogs("odoo.http", "ERROR"):
            error = self.call_kw(
                "deploy_technician", "action_put_in_service", [[self.device.id], 1]
            )
        self.assertEqual(error["data"]["name"], "builtins.TypeError")
        self.assertIn("positional argument", error["data"]["message"])
        self.assertEqual(error["data"]["debug"], "")
        self.assertNotIn("Traceback", json.dumps(error))

    def test_json2_api_gives_no_traceback_either(self):
        # Odoo 19's JSON-2 API (rpc addon, API keys) serialises errors the same way.
        key = (
            self.env["res.users.apikeys"]
            .with_user(self.technician)
            ._generate("rpc", "deployment test", datetime.now() + timedelta(days=1))
        )
        french = self.refusal("fr_FR")
        with self.assertLogs("odoo.http", "WARNING"):
            response = self.url_open(
                "/json/2/maintenance.equipment/action_put_in_service",
                data=json.dumps(
                    {"ids": [self.device.id], "context": {"lang": "fr_FR"}}
                ),
                headers={
                    "Content-Type": "application/json",
                    "Authorization": f"bearer {key}",
                    "X-Odoo-Database": self.env.cr.dbname,
                },
            )
        body = response.json()
        self.assertEqual(response.status_code, french.http_status)
        self.assertEqual(body["message"], french.args[0])
        self.assertEqual(body["debug"], "")
        self.assertNotIn("Traceback", response.text)

    def test_administrator_and_dev_mode_keep_the_traceback(self):
        with self.assertLogs("odoo.http", "ERROR"):
            error = self.call_kw(
                "deploy_administrator", "action_put_in_service", [[self.device.id], 1]
            )
        self.assertIn("Traceback (most recent call last)", error["data"]["debug"])
        self.addCleanup(operator.setitem, config, "dev_mode", config["dev_mode"])
        config["dev_mode"] = ["xml"]
        with self.assertLogs("odoo.http", "ERROR"):
            error = self.call_kw(
                "deploy_technician", "action_put_in_service", [[self.device.id], 1]
            )
        self.assertIn("Traceback (most recent call last)", error["data"]["debug"])


@tagged("post_install", "-at_install", "dm_http")
class TestDatabaseManagerClosed(HttpCase):
    """With ``list_db = False`` (the served configuration) the database
    manager's actions are refused even with the right master password."""

    def setUp(self):
        super().setUp()
        self.master_password = secrets.token_hex()
        self.startPatcher(
            patch.object(config, "verify_admin_password", self.master_password.__eq__)
        )
        self.addCleanup(operator.setitem, config, "list_db", config["list_db"])
        config["list_db"] = False
        self.db_name = self.env.cr.dbname

    def post(self, route, **data):
        return self.url_open(
            route, data={"master_pwd": self.master_password, **data}, timeout=60
        )

    def databases(self):
        return set(odoo.service.db.list_dbs(True))

    def test_listing_is_refused(self):
        response = self.url_open(
            "/web/database/list",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": {}}),
            headers={"Content-Type": "application/json"},
        )
        body = response.json()
        self.assertNotIn("result", body)
        self.assertEqual(body["error"]["data"]["name"], "odoo.exceptions.AccessDenied")
        self.assertNotIn(self.db_name, response.text)

    def test_manager_page_says_disabled_and_lists_nothing(self):
        response = self.url_open("/web/database/manager")
        self.assertIn("disabled by the administrator", response.text)
        # No database listed, no backup/duplicate/delete button (the forms
        # of the hidden dialogs remain, and are refused: see below).
        self.assertNotIn("/odoo?db=", response.text)
        self.assertNotIn("o_database_action", response.text)

    def test_backup_gives_no_dump(self):
        with self.assertLogs("odoo", "ERROR"):
            response = self.post(
                "/web/database/backup", name=self.db_name, backup_format="zip"
            )
        self.assertNotIn("zip", response.headers.get("Content-Type", ""))
        self.assertNotIn("attachment", response.headers.get("Content-Disposition", ""))
        self.assertFalse(response.content.startswith(b"PK"))
        self.assertIn("Access Denied", response.text)

    def test_create_duplicate_drop_restore_are_refused(self):
        before = self.databases()
        new_name = f"dm_deploy_probe_{secrets.token_hex(4)}"
        with self.assertLogs("odoo", "ERROR"):
            for route, data in [
                (
                    "/web/database/create",
                    {
                        "name": new_name,
                        "lang": "en_US",
                        "password": "x",
                        "login": "admin",
                        "phone": "",
                    },
                ),
                (
                    "/web/database/duplicate",
                    {"name": self.db_name, "new_name": new_name},
                ),
                ("/web/database/drop", {"name": new_name}),
                ("/web/database/change_password", {"master_pwd_new": "new"}),
            ]:
                response = self.post(route, **data)
                self.assertIn("Access Denied", response.text, route)
            response = self.url_open(
                "/web/database/restore",
                data={"master_pwd": self.master_password, "name": new_name},
                files={"backup_file": ("dump.zip", b"PK\x03\x04 not a dump")},
            )
            self.assertIn("Access Denied", response.text)
        self.assertEqual(self.databases(), before)
