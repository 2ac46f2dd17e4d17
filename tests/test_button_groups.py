"""Every button a role sees on the addons' screens is one the server lets it
call. For each ``type="object"`` button of the addons' views (forms, lists,
kanbans, the lines they embed), as each medical device role, the view the
client receives (``get_views``, where Odoo drops the nodes of other groups)
is compared with docs/security.md, the matrix that
``tests/test_security_matrix.py`` measures on the running system: a button
shown to a role whose cell is refused ("—") fails. So the ``groups`` of the
views and the guards of the methods cannot drift apart. Per-record rules
(four eyes) hide their buttons with a computed field (``can_review``,
``can_decide``, …) and have their own tests."""

from pathlib import Path

import security_matrix_probe as sm
from lxml import etree

from odoo.addons.medical_device.tests.figures import record_figure
from odoo.tests import TransactionCase

DOCUMENT = Path(__file__).resolve().parent.parent / "docs" / "security.md"
ROLES = [role for role in sm.ROLES if role[2][0].startswith("medical_device.")]
# Computed fields that hide a button per record from whom the engine would
# refuse (reviewer group, four eyes): such buttons are checked by the tests of
# those fields (test_approval, test_reception_can_decide, the disposal tests).
CAN_ACT = ("can_review", "can_decide", "can_verify", "can_sign_off", "can_confirm")
# Buttons that move a record of the rulebook (dm.workflow.mixin) from one step
# to another: the roles that see them must hold the transition's groups
# (``_dm_transitions``), and the button shows in the source step only.
TRANSITIONS = {
    ("maintenance.equipment", "action_to_reception"): ("acquisition", "reception"),
    ("maintenance.equipment", "action_put_in_service"): ("reception", "in_service"),
    ("maintenance.equipment", "action_back_to_acquisition"): (
        "reception",
        "acquisition",
    ),
    ("maintenance.equipment", "action_request_disposal"): ("in_service", "disposal"),
    ("maintenance.equipment", "action_cancel_disposal"): ("disposal", "in_service"),
    ("maintenance.equipment", "action_mark_disposed"): ("disposal", "disposed"),
}
# Cells of docs/security.md measured on another step than the button's: the
# rulebook's transition decides (the matrix tries action_put_in_service on a
# device in disposal, where it would move it back to service: engineer only).
MEASURED_ON_ANOTHER_STEP = {("maintenance.equipment", "action_put_in_service")}
# Cells the matrix cannot measure on the demo data (docs/security.md, notes:
# "their role gates are proven by the addons' own tests").
UNMEASURED = {
    ("dm.cyber.campaign", "action_generate_lines"),
    ("dm.disposal", "action_state_no_data"),
    ("dm.disposal", "action_submit_verification"),
    ("dm.erasure.medium", "action_record_execution"),
    ("dm.fleet.import", "action_import"),
    ("dm.fleet.import", "action_download_error_report"),
    ("dm.software.install.wizard", "action_confirm"),
    ("dm.software.qualification.wizard", "action_save"),
    ("dm.software.qualification.wizard", "action_record"),
    ("dm.software.qualification.wizard", "action_save_and_confirm"),
    # A file to import: the pharmacist's alone (test_vigilance_import.py).
    ("dm.vigilance.notice.import", "action_import"),
    # A file to import: RSSI and engineer (test_advisory_import.py,
    # test_advisory_attacks.py).
    ("dm.advisory.import", "action_import"),
    ("dm.advisory.import", "action_view_advisories"),
}


def root_view(view):
    while view.mode != "primary" and view.inherit_id:
        view = view.inherit_id
    return view


def object_buttons(env, arch, model):
    """(model, method) of the object buttons of an arch, the buttons of an
    embedded list belonging to the field's comodel."""
    for button in etree.fromstring(arch).iter("button"):
        if button.get("type") != "object":
            continue
        owner = model
        fields = [a for a in button.iterancestors() if a.tag == "field"]
        for field in reversed(fields):
            owner = env[owner]._fields[field.get("name")].comodel_name
        yield owner, button.get("name"), button.get("invisible") or ""


class TestButtonGroups(TransactionCase):
    test_tags = {"standard", "post_install"}
    test_module = "medical_device"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.document = sm.parse(DOCUMENT.read_text(encoding="utf-8"))
        cls.actions = sm.addon_models(cls.env)
        cls.users = {
            key: cls.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": f"buttons_{key}",
                    "login": f"buttons_{key}",
                    "group_ids": [(6, 0, [cls.env.ref(g).id for g in groups])],
                }
            )
            for key, _label, groups in ROLES
        }

    def views(self):
        data = self.env["ir.model.data"].search(
            [("module", "in", sm.ADDONS), ("model", "=", "ir.ui.view")]
        )
        views = self.env["ir.ui.view"].browse(data.mapped("res_id")).exists()
        roots = {root_view(view) for view in views}
        return sorted(
            (v for v in roots if v.type in ("form", "list", "kanban")),
            key=lambda v: v.id,
        )

    def shown_but_refused(self, views=None):
        """[(role, view, model, method)] shown to a role the matrix refuses,
        and the number of (role, button) pairs checked."""
        wrong, checked = [], 0
        for view in views or self.views():
            for key, label, _groups in ROLES:
                Model = self.env[view.model].with_user(self.users[key])
                if not Model.has_access("read"):
                    continue  # the role never opens the view
                arch = Model.get_views([(view.id, view.type)])["views"][view.type]
                buttons = object_buttons(self.env, arch["arch"], view.model)
                for model, method, invisible in buttons:
                    if method not in self.actions.get(model, ()):
                        continue  # a core button: core guards it
                    if any(field in invisible for field in CAN_ACT):
                        continue  # hidden per record from whom the engine refuses
                    checked += 1
                    refused = self.refused(key, label, model, method, invisible)
                    if refused:
                        wrong.append(
                            (label, view.xml_id or view.name, model, method, refused)
                        )
        return wrong, checked

    def refused(self, key, label, model, method, invisible):
        """Why the server refuses the role the button it sees (or "")."""
        if (model, method) in TRANSITIONS:
            old, new = TRANSITIONS[model, method]
            Model = self.env[model]
            if f"{Model._dm_state_field} != '{old}'" not in invisible:
                return f"not limited to the step {old}"
            groups = Model._dm_transition_groups(old, new)
            user = self.users[key]
            if groups and not any(user.has_group(group) for group in groups):
                return f"transition {old} -> {new} is {', '.join(groups)}"
            if (model, method) in MEASURED_ON_ANOTHER_STEP:
                return ""
        if (model, method) in UNMEASURED:
            return ""
        if self.document[model]["rows"][label][method] == sm.NONE:
            return "docs/security.md: refused"
        return ""

    def test_no_role_sees_a_button_the_server_refuses(self):
        wrong, checked = self.shown_but_refused()
        record_figure("button_groups", buttons_checked=checked)
        self.assertGreater(checked, 100, "the views' buttons were not found")
        self.assertFalse(
            wrong,
            "buttons shown to roles the server refuses (add groups= or a "
            "computed 'can act' field):\n"
            + "\n".join(" / ".join(item) for item in sorted(set(wrong))),
        )

    def test_a_button_without_groups_is_caught(self):
        form = self.env.ref("maintenance.hr_equipment_view_form")
        self.env["ir.ui.view"].create(
            {
                "name": "buttons test: an ungrouped disposal button",
                "model": "maintenance.equipment",
                "inherit_id": form.id,
                "arch": '<xpath expr="//header" position="inside">'
                '<button name="action_mark_disposed" type="object" string="X"'
                " invisible=\"lifecycle_state != 'disposal'\"/>"
                "</xpath>",
            }
        )
        wrong, _checked = self.shown_but_refused([form])
        refused = {item[0] for item in wrong if item[3] == "action_mark_disposed"}
        self.assertEqual(
            refused, {"technician", "pharmacist", "RSSI", "DPO", "auditor"}
        )
