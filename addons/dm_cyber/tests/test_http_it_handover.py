"""Who hands the cyber matrix over to IT: the IT hand-over group (the RSSI
through the role, a user given it), not every medical device role."""

from datetime import datetime, timedelta

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from ..controllers.main import BASE_DOMAIN, IT_QUERIES, cyber_matrix_rows

API_URL = "/dm_cyber/api/v1/cyber-matrix"
EXPORT_URLS = (
    "/dm_cyber/export/cyber-matrix.csv",
    "/dm_cyber/export/cyber-matrix.xlsx",
)
HANDOVER = "dm_cyber.group_dm_it_handover"
GROUPS = {
    "technician": "medical_device.group_dm_technician",
    "engineer": "medical_device.group_dm_engineer",
    "dpo": "medical_device.group_dm_dpo",
    "pharmacist": "medical_device.group_dm_pharmacist",
    "auditor": "medical_device.group_dm_auditor",
    "rssi": "medical_device.group_dm_rssi",
    # An IT user without a medical device role, given the hand-over.
    "it": f"base.group_user,{HANDOVER}",
}
REFUSED = ("technician", "engineer", "dpo", "pharmacist", "auditor")
ALLOWED = ("rssi", "it")


@tagged("post_install", "-at_install", "dm_http")
class TestItHandoverGroup(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context=dict(cls.env.context, lang="en_US"))
        cls.env = env
        cls.users = {
            role: new_test_user(env, login=f"handover_{role}", groups=group)
            for role, group in GROUPS.items()
        }
        expiration = datetime.now() + timedelta(days=0.5)
        cls.keys = {
            role: env["res.users.apikeys"]
            .with_user(user)
            ._generate("rpc", "IT tools", expiration)
            for role, user in cls.users.items()
        }
        cls.device = env["maintenance.equipment"].create(
            {
                "name": "Handover monitor",
                "serial_no": "HANDOVER-1",
                "is_medical_device": True,
                "is_connected": True,
                "antivirus": "none",
            }
        )
        cls.action = env.ref("dm_cyber.maintenance_equipment_action_it_handover")
        cls.queries = env["ir.filters"].browse(
            [env.ref(f"dm_cyber.filter_it_{query}").id for query in IT_QUERIES]
        )

    def api_get(self, role):
        headers = {"Authorization": f"Bearer {self.keys[role]}"}
        return self.url_open(API_URL, headers=headers)

    def test_the_rssi_holds_the_group(self):
        for role in ALLOWED:
            self.assertTrue(self.users[role].has_group(HANDOVER), role)
        for role in REFUSED:
            self.assertFalse(self.users[role].has_group(HANDOVER), role)

    def test_api_refuses_every_other_role(self):
        for role in REFUSED:
            with self.subTest(role=role):
                response = self.api_get(role)
                self.assertEqual(response.status_code, 403)
                self.assertIn("application/json", response.headers["Content-Type"])
                body = response.json()
                self.assertEqual(body["error"]["status"], 403)
                self.assertIn("IT hand-over", body["error"]["message"])
                self.assertNotIn("HANDOVER-1", response.text)

    def test_api_answers_the_group(self):
        for role in ALLOWED:
            with self.subTest(role=role):
                response = self.api_get(role)
                self.assertEqual(response.status_code, 200, response.text)
                ids = [row["id"] for row in response.json()["devices"]]
                self.assertIn(self.device.id, ids)

    def test_exports_refuse_every_other_role(self):
        for role in REFUSED:
            self.authenticate(f"handover_{role}", f"handover_{role}")
            for url in EXPORT_URLS:
                with self.subTest(role=role, url=url):
                    response = self.url_open(url)
                    self.assertEqual(response.status_code, 403)
                    self.assertNotIn("HANDOVER-1", response.text)

    def test_rows_are_the_groups_whatever_the_path(self):
        """The rows every export is made of: an AccessError for the other
        roles, whatever calls them (a controller, a server action)."""
        for role in REFUSED:
            with (
                self.subTest(role=role),
                self.assertRaisesRegex(AccessError, "IT hand-over"),
            ):
                cyber_matrix_rows(self.env(user=self.users[role]), BASE_DOMAIN)
        for role in ALLOWED:
            rows = cyber_matrix_rows(self.env(user=self.users[role]), BASE_DOMAIN)
            self.assertIn(self.device.id, [row["id"] for row in rows], role)

    def test_exports_answer_the_group(self):
        for role in ALLOWED:
            self.authenticate(f"handover_{role}", f"handover_{role}")
            for url in EXPORT_URLS:
                with self.subTest(role=role, url=url):
                    response = self.url_open(url)
                    self.assertEqual(response.status_code, 200, response.text)
                    self.assertTrue(response.content)

    def test_shared_queries_are_the_groups(self):
        Filters = self.env["ir.filters"]
        # A filter shared with everyone on another action stays everyone's.
        other = Filters.create(
            {"name": "Everyone's", "model_id": "maintenance.equipment"}
        )
        for role in REFUSED:
            with self.subTest(role=role):
                as_user = Filters.with_user(self.users[role])
                self.assertFalse(as_user.search([("id", "in", self.queries.ids)]))
                shown = as_user.get_filters("maintenance.equipment", self.action.id)
                self.assertNotIn("IT: no antivirus", [f["name"] for f in shown])
                self.assertEqual(as_user.search([("id", "=", other.id)]), other)
        for role in ALLOWED:
            with self.subTest(role=role):
                as_user = Filters.with_user(self.users[role])
                shown = as_user.get_filters("maintenance.equipment", self.action.id)
                names = {f["name"] for f in shown}
                self.assertTrue(set(self.queries.mapped("name")) <= names)

    def test_the_menu_and_action_are_the_groups(self):
        menu = self.env.ref("dm_cyber.dm_cyber_export_menu")
        Menu = self.env["ir.ui.menu"]
        for role in REFUSED:
            visible = Menu.with_user(self.users[role])._visible_menu_ids()
            self.assertNotIn(menu.id, visible, role)
        for role in ALLOWED:
            visible = Menu.with_user(self.users[role])._visible_menu_ids()
            self.assertIn(menu.id, visible, role)
