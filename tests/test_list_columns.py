"""Lists a screen can show: every list of the suite opens with at most
``MAX_COLUMNS`` columns (the others are optional, one click away), so that
none is cut to one letter; the PIEU score is never rounded to 0,00; the
pharmacist's CE deadlines list is sorted by its deadline column."""

from lxml import etree

from odoo.tests import TransactionCase
from odoo.tools.safe_eval import safe_eval

ADDONS = ("medical_device", "dm_cyber", "dm_software", "dm_cyber_software")
# What a laptop screen shows without cutting headers (the cyber matrix had 17).
MAX_COLUMNS = 10


def default_columns(arch):
    """Names of the columns a list shows before the user picks optional ones
    (top-level fields and buttons of the list, not those of embedded lists)."""
    root = etree.fromstring(arch)
    columns = []
    previous = None
    for node in root:
        if node.tag not in ("field", "button"):
            continue
        if node.get("optional") == "hide" or node.get("column_invisible") in (
            "1",
            "True",
        ):
            continue
        # consecutive buttons share one column
        if not (node.tag == "button" and previous == "button"):
            columns.append(node.get("name"))
        previous = node.tag
    return columns


class TestListColumns(TransactionCase):
    test_tags = {"standard", "post_install"}
    test_module = "medical_device"

    def lists(self):
        data = self.env["ir.model.data"].search(
            [("module", "in", ADDONS), ("model", "=", "ir.ui.view")]
        )
        views = self.env["ir.ui.view"].browse(data.mapped("res_id")).exists()
        return views.filtered(lambda v: v.type == "list" and v.mode == "primary")

    def test_every_list_opens_with_few_columns(self):
        lists = self.lists()
        self.assertGreater(len(lists), 20)
        admin = self.env.ref("base.user_admin")
        for view in lists:
            with self.subTest(view=view.xml_id):
                Model = self.env[view.model].with_user(admin)
                arch = Model.get_views([(view.id, "list")])["views"]["list"]["arch"]
                columns = default_columns(arch)
                self.assertLessEqual(len(columns), MAX_COLUMNS, columns)

    def test_cyber_matrix_keeps_the_columns_that_decide(self):
        view = self.env.ref("dm_cyber.maintenance_equipment_view_list_cyber")
        arch = self.env["maintenance.equipment"].get_views([(view.id, "list")])[
            "views"
        ]["list"]["arch"]
        columns = default_columns(arch)
        for name in ("name", "os_version_id", "antivirus", "cyber_risk_level"):
            self.assertIn(name, columns)
        # every answer of the matrix is still one click away
        every = {node.get("name") for node in etree.fromstring(arch).iter("field")}
        self.assertTrue({"ip_address", "mac_address", "usb_locked"} <= every)

    def test_pieu_score_is_never_rounded_to_zero(self):
        """The lowest score of the shipped scales (0.01 x 0.01 x 1 x 1) reads
        0,0001 wherever a score is shown, not 0,00."""
        lowest = 0.01 * 0.01 * 1 * 1
        for model in ("maintenance.equipment", "dm.criticality.report"):
            with self.subTest(model=model):
                field = self.env[model]._fields["pieu_score"]
                digits = field.get_digits(self.env)
                self.assertTrue(digits and round(lowest, digits[1]) > 0, digits)
                # grouped lists show the most critical score, not a sum
                self.assertEqual(field.aggregator, "min")
        for view in self.lists():
            for node in etree.fromstring(view.arch).iter("field"):
                if node.get("name") == "pieu_score":
                    with self.subTest(view=view.xml_id):
                        self.assertNotIn("digits", node.get("options") or "")
                        self.assertNotIn(node.get("widget"), ("integer", "monetary"))

    def test_pharmacist_ce_deadlines_sorted_by_the_deadline_column(self):
        action = self.env.ref(
            "medical_device.maintenance_equipment_action_ce_deadlines"
        )
        pharmacist = self.env.ref("medical_device.user_dm_pharmacist_demo")
        self.assertEqual(pharmacist.action_id.id, action.id)
        Equipment = self.env["maintenance.equipment"].with_user(pharmacist)
        view = Equipment.get_views([(action.view_id.id, "list")])["views"]["list"]
        root = etree.fromstring(view["arch"])
        self.assertTrue(root.get("default_order").startswith("ce_next_deadline"))
        columns = default_columns(view["arch"])
        self.assertEqual(columns[0], "ce_next_deadline")
        # the list as the pharmacist opens it: nearest deadline first
        rows = Equipment.web_search_read(
            safe_eval(action.domain),
            {"ce_next_deadline": {}},
            order=root.get("default_order"),
        )["records"]
        dates = [row["ce_next_deadline"] for row in rows]
        self.assertTrue(dates, "the demo has CE deadlines")
        self.assertEqual(dates, sorted(dates))
