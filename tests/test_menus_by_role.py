"""Menus by role: each demo user lands on its main screen (its home action)
and sees the sections of the Medical devices app it uses, not the others
(``ir.ui.menu._visible_menu_ids`` as that user, what the web client shows)."""

from odoo.tests import TransactionCase

SECTIONS = {
    "fleet": "medical_device.dm_menu_fleet",
    "approvals": "medical_device.dm_menu_approvals",
    "maintenance": "medical_device.dm_menu_maintenance",
    "cyber": "dm_cyber.dm_menu_cyber",
    "software": "dm_software.dm_menu_software",
    "disposal": "medical_device.dm_menu_disposal",
    "vigilance": "medical_device.menu_dm_vigilance_root",
    "configuration": "medical_device.medical_device_menu_config",
}
# demo user: (home action, sections it sees)
ROLES = {
    "medical_device.user_dm_engineer_demo": (
        "medical_device.maintenance_equipment_action_medical_devices",
        set(SECTIONS),
    ),
    "medical_device.user_dm_technician_demo": (
        "medical_device.maintenance_equipment_action_medical_devices",
        {
            "fleet",
            "approvals",
            "maintenance",
            "cyber",
            "software",
            "disposal",
            "vigilance",
        },
    ),
    "medical_device.user_dm_pharmacist_demo": (
        "medical_device.maintenance_equipment_action_ce_deadlines",
        {
            "fleet",
            "approvals",
            "maintenance",
            "software",
            "disposal",
            "vigilance",
            "configuration",
        },
    ),
    "medical_device.user_dm_rssi_demo": (
        "dm_cyber.maintenance_equipment_action_cyber",
        {
            "fleet",
            "approvals",
            "maintenance",
            "cyber",
            "disposal",
            "vigilance",
            "configuration",
        },
    ),
    "medical_device.user_dm_dpo_demo": (
        "medical_device.dm_approval_action_my",
        {"fleet", "approvals", "maintenance", "disposal", "vigilance"},
    ),
    # the demo auditor also hands the cyber matrix over to IT
    "medical_device.user_dm_auditor_demo": (
        "medical_device.maintenance_equipment_action_medical_devices_list",
        {"fleet", "approvals", "maintenance", "cyber", "disposal", "vigilance"},
    ),
}


# demo users who see the daily digests menu: those who receive digests
# (pharmacist: CE deadlines; RSSI: cyber watch) and the engineer.
DIGEST_READERS = {
    "medical_device.user_dm_engineer_demo",
    "medical_device.user_dm_pharmacist_demo",
    "medical_device.user_dm_rssi_demo",
}


class TestMenusByRole(TransactionCase):
    test_tags = {"standard", "post_install"}
    test_module = "medical_device"

    def visible(self, user):
        Menu = self.env["ir.ui.menu"].with_user(user)
        return Menu.browse(Menu._visible_menu_ids())

    def test_each_demo_user_lands_on_its_main_screen(self):
        for xmlid, (action, _sections) in ROLES.items():
            with self.subTest(user=xmlid):
                user = self.env.ref(xmlid)
                self.assertEqual(user.action_id.id, self.env.ref(action).id)
                # the home action opens: its model is readable by the user
                model = self.env.ref(action).res_model
                self.assertTrue(self.env[model].with_user(user).has_access("read"))

    def test_each_demo_user_sees_its_sections_and_not_the_others(self):
        root = self.env.ref("medical_device.medical_device_menu_root")
        self.assertFalse(root.parent_id, "the Medical devices app is top-level")
        for xmlid, (_action, sections) in ROLES.items():
            with self.subTest(user=xmlid):
                visible = self.visible(self.env.ref(xmlid))
                self.assertIn(root, visible)
                shown = {
                    key
                    for key, menu in SECTIONS.items()
                    if self.env.ref(menu) in visible
                }
                self.assertEqual(shown, sections)
                # every section it sees leads somewhere
                for key in shown:
                    menu = self.env.ref(SECTIONS[key])
                    self.assertTrue(menu.child_id & visible, key)

    def test_the_sections_hold_the_suite_menus(self):
        """Every menu of the suite is in a section of the app (none left in
        Maintenance, none flat under the app's root)."""
        root = self.env.ref("medical_device.medical_device_menu_root")
        sections = {self.env.ref(menu) for menu in SECTIONS.values()}
        data = self.env["ir.model.data"].search(
            [
                ("module", "in", ("medical_device", "dm_cyber", "dm_software")),
                ("model", "=", "ir.ui.menu"),
            ]
        )
        menus = self.env["ir.ui.menu"].browse(data.mapped("res_id")) - root
        self.assertGreater(len(menus), 30)
        for menu in menus - self.env["ir.ui.menu"].browse([m.id for m in sections]):
            with self.subTest(menu=menu.complete_name):
                ancestors = menu.parent_id
                while ancestors[-1:].parent_id:
                    ancestors |= ancestors[-1].parent_id
                self.assertIn(root, ancestors)
                self.assertTrue(set(ancestors) & sections)

    def test_my_approvals_for_the_reviewers_only(self):
        """My approvals for the reviewers (who decide) only."""
        my = self.env.ref("medical_device.dm_approval_menu_my")
        for xmlid in ROLES:
            user = self.env.ref(xmlid)
            reviewer = any(
                user.has_group(f"medical_device.group_dm_{g}")
                for g in ("engineer", "rssi", "dpo")
            )
            with self.subTest(user=xmlid):
                self.assertEqual(my in self.visible(user), reviewer)

    def test_daily_digests_for_the_roles_that_receive_them(self):
        """The digests of the daily jobs have a menu in the fleet section, for
        the roles they are assigned to; it opens the digests still to follow
        up, which these roles may read."""
        menu = self.env.ref("medical_device.dm_activity_digest_menu")
        fleet = self.env.ref(SECTIONS["fleet"])
        self.assertEqual(menu.parent_id, fleet)
        action = self.env.ref("medical_device.dm_activity_digest_action")
        self.assertEqual(menu.action, action)
        for xmlid in ROLES:
            user = self.env.ref(xmlid)
            with self.subTest(user=xmlid):
                self.assertEqual(menu in self.visible(user), xmlid in DIGEST_READERS)
                if xmlid in DIGEST_READERS:
                    Digest = self.env["dm.activity.digest"].with_user(user)
                    self.assertTrue(Digest.has_access("read"))
