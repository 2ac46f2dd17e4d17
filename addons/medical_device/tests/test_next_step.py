"""The "next step" panel (``dm_next_step``) reads the gate's own checklist:
what it lists as missing is exactly what the server refuses, as the role who
clicks, and it follows the data."""

from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..models.dm_reception import RECEPTION_CRITERIA
from ..tools import checklist
from .common import MedicalDeviceCase


def gate_missing(message):
    """The list after "Missing: " in a gate's refusal."""
    return message.split("Missing: ", 1)[1].rstrip(".").split("; ")


def panel_missing(panel):
    return [item["label"] for item in panel["items"] if not item["met"]]


@tagged("post_install", "-at_install")
class TestNextStep(MedicalDeviceCase):
    def panel(self, record, user):
        record = record.with_user(self.users[user])
        record.invalidate_recordset(["dm_next_step"])
        return record.dm_next_step

    # ------------------------------------------------------------ tools
    def test_checklist_tools(self):
        items = [
            checklist.item("the class", "iib", "dm_risk_class"),
            checklist.item("the regime", False, "ce_regime"),
            checklist.item("a report", None),
        ]
        self.assertEqual(checklist.missing(items), ["the regime", "a report"])
        self.assertEqual(
            [(i["met"], i["field"]) for i in items],
            [(True, "dm_risk_class"), (False, "ce_regime"), (False, None)],
        )
        arch = (
            "<form><field name='name'/><notebook>"
            "<page name='one'><field name='a'/><notebook><page name='inner'>"
            "<field name='b'/></page></notebook></page>"
            "<page name='two'><field name='a'/><field name='c'/></page>"
            "<page><field name='d'/></page></notebook></form>"
        )
        self.assertEqual(
            checklist.field_pages(arch), {"a": "one", "b": "one", "c": "two"}
        )

    # ------------------------------------------------------------ device
    def test_device_acquisition_lists_what_reception_refuses(self):
        device = self.create_device(
            serial_no="NS-0001",
            acquisition_mode=False,
            acq_training_planned=False,
            is_connected=True,
        )
        panel = self.panel(device, "technician")
        self.assertEqual(panel["state"], "reception")
        self.assertEqual(panel["button"]["name"], "action_to_reception")
        self.assertFalse(panel["ready"])
        self.assertEqual(panel["blockers"], [])
        missing = panel_missing(panel)
        self.assertIn("the acquisition mode", missing)
        self.assertIn("planned user training", missing)
        self.assertIn(
            "the supplier's cybersecurity answers (connected device)", missing
        )
        self.assertNotIn("the CE marking check at acquisition", missing)
        met = [item for item in panel["items"] if item["met"]]
        self.assertEqual(
            [item["field"] for item in met if item["field"] == "acq_ce_checked"],
            ["acq_ce_checked"],
        )
        # The items open the page where they are fixed.
        pages = {item["field"]: item["page"] for item in panel["items"]}
        self.assertEqual(pages["acquisition_mode"], "dm_lifecycle")

        with self.assertRaises(UserError) as caught:
            device.with_user(self.users["technician"]).action_to_reception()
        self.assertEqual(gate_missing(str(caught.exception)), missing)
        self.assertEqual(device.lifecycle_state, "acquisition")

        device.with_user(self.users["technician"]).write(
            {
                "acquisition_mode": "purchase",
                "acq_training_planned": True,
                "acq_cyber_questionnaire": True,
                "acq_data_protection_clauses": True,
            }
        )
        panel = self.panel(device, "technician")
        still = panel_missing(panel)
        self.assertNotIn("the acquisition mode", still)
        self.assertNotIn("planned user training", still)
        if still:
            # Approvals the engine requires for the connected device.
            self.assertTrue(all("approval" in label for label in still), still)
            with self.assertRaises(UserError) as caught:
                device.with_user(self.users["technician"]).action_to_reception()
            self.assertEqual(gate_missing(str(caught.exception)), still)
            return
        self.assertTrue(panel["ready"])
        device.with_user(self.users["technician"]).action_to_reception()
        self.assertEqual(device.lifecycle_state, "reception")

    def test_device_reception_shows_put_in_service_before_the_pv(self):
        """ "Put in service" is offered before a reception report is accepted:
        disabled, with what is missing, each item on its page."""
        device = self.create_device(serial_no="NS-0002")
        device.with_user(self.users["technician"]).action_to_reception()
        device.write(self._regulatory_vals(ce_certificate_ref=False))
        panel = self.panel(device, "engineer")
        self.assertEqual(panel["state"], "in_service")
        self.assertEqual(panel["button"]["name"], "action_put_in_service")
        self.assertFalse(panel["ready"])
        missing = panel_missing(panel)
        self.assertEqual(
            missing,
            [
                "the CE certificate reference",
                "the four PIEU criticality factors",
                "a reception report accepted by a biomedical engineer",
            ],
        )
        pages = {item["label"]: item["page"] for item in panel["items"]}
        self.assertEqual(pages["the CE certificate reference"], "dm_regulatory")
        self.assertEqual(pages["the four PIEU criticality factors"], "dm_pieu")
        self.assertEqual(
            pages["a reception report accepted by a biomedical engineer"],
            "dm_lifecycle",
        )
        self.assertEqual(pages["the risk class"], "dm_regulatory")

        with self.assertRaises(UserError) as caught:
            device.with_user(self.users["engineer"]).action_put_in_service()
        self.assertEqual(gate_missing(str(caught.exception)), missing)

        # The data fixed, item by item: the panel follows.
        device.with_user(self.users["technician"]).write(
            {"ce_certificate_ref": "CE-NS-2"}
        )
        self.assertNotIn(
            "the CE certificate reference",
            panel_missing(self.panel(device, "engineer")),
        )
        reception = self.reception_ready(device)
        reception.with_user(self.users["engineer"]).action_accept()
        panel = self.panel(device, "engineer")
        self.assertEqual(panel_missing(panel), [])
        self.assertTrue(panel["ready"])
        self.assertTrue(all(item["met"] for item in panel["items"]))
        device.with_user(self.users["engineer"]).action_put_in_service()
        self.assertEqual(device.lifecycle_state, "in_service")
        # In service: no step ahead to show.
        self.assertFalse(self.panel(device, "engineer"))

    def test_device_role_that_may_not_move(self):
        """Everything met but the role: the button stays disabled, with the
        server's own refusal as its reason."""
        device = self.create_device(serial_no="NS-0003")
        panel = self.panel(device, "auditor")
        self.assertEqual(panel_missing(panel), [])
        self.assertFalse(panel["ready"])
        self.assertEqual(len(panel["blockers"]), 1)
        with self.assertRaises(AccessError) as caught:
            device.with_user(self.users["auditor"]).action_to_reception()
        self.assertEqual(str(caught.exception), panel["blockers"][0])
        self.assertTrue(self.panel(device, "technician")["ready"])

    def test_equipment_that_is_not_a_medical_device_has_no_panel(self):
        equipment = self.Equipment.with_user(self.users["engineer"]).create(
            {"name": "Office printer"}
        )
        self.assertFalse(self.panel(equipment, "engineer"))

    def test_panel_is_refused_to_client_writes(self):
        device = self.create_device(serial_no="NS-0004")
        forged = {"state": "in_service", "ready": True, "items": []}
        for user in ("engineer", "technician"):
            with self.assertRaisesRegex(UserError, "Next step"):
                device.with_user(self.users[user]).write({"dm_next_step": forged})
        with self.assertRaisesRegex(UserError, "Next step"):
            self.create_device(serial_no="NS-0005", dm_next_step=forged)
        self.assertIn(
            "dm_next_step",
            device.with_user(self.users["engineer"]).dm_readonly_fields,
        )
        panel = self.panel(device, "engineer")
        self.assertEqual(panel["state"], "reception")

    def test_no_pieu_factors_reads_not_assessed(self):
        device = self.create_device(serial_no="NS-0006")
        self.assertFalse(device.pieu_criticality)
        arch = etree.fromstring(
            self.Equipment.with_user(self.users["engineer"]).get_view(view_type="form")[
                "arch"
            ]
        )
        score = arch.xpath("//page[@name='dm_pieu']//field[@name='pieu_score']")
        self.assertEqual(score[0].get("invisible"), "not pieu_criticality")
        self.assertTrue(arch.xpath("//*[hasclass('o_dm_pieu_not_assessed')]"))

    def test_device_form_opens_on_its_identity(self):
        arch = etree.fromstring(
            self.Equipment.with_user(self.users["engineer"]).get_view(view_type="form")[
                "arch"
            ]
        )
        pages = [page.get("name") for page in arch.xpath("//notebook/page")]
        self.assertEqual(
            arch.xpath("//notebook/page[@autofocus='autofocus']/@name"),
            ["dm_regulatory"],
        )
        self.assertLess(pages.index("dm_regulatory"), pages.index("description"))
        self.assertLess(pages.index("dm_pieu"), pages.index("description"))
        panel = arch.xpath("//field[@name='dm_next_step']")
        self.assertEqual(panel[0].get("widget"), "dm_next_step")

    # ------------------------------------------------------------ reception
    def test_reception_lists_what_acceptance_refuses(self):
        device = self.create_device(serial_no="NS-0010")
        self.train_users(device)
        device.with_user(self.users["technician"]).action_to_reception()
        device.write(self._regulatory_vals())
        reception = (
            self.env["dm.reception"]
            .with_user(self.users["technician"])
            .create(
                {
                    "equipment_id": device.id,
                    **self.pieu_syringe_pump,
                    **dict.fromkeys(RECEPTION_CRITERIA, True),
                    "check_documentation": False,
                    "check_electrical_safety": False,
                }
            )
        )
        panel = self.panel(reception, "engineer")
        self.assertEqual(panel["state"], "accepted")
        self.assertEqual(panel["button"]["name"], "action_accept")
        submission = panel["items"][0]
        self.assertFalse(submission["met"])
        self.assertIn("submission", submission["label"])
        with self.assertRaisesRegex(UserError, "must first be submitted"):
            reception.with_user(self.users["engineer"]).action_accept()

        reception.action_submit()
        panel = self.panel(reception, "engineer")
        self.assertTrue(panel["items"][0]["met"])
        self.assertEqual(panel["blockers"], [])
        missing = panel_missing(panel)
        self.assertEqual(
            missing,
            [
                reception._fields["check_documentation"].string,
                reception._fields["check_electrical_safety"].string,
            ],
        )
        fields = {item["label"]: item["field"] for item in panel["items"]}
        self.assertEqual(fields[missing[0]], "check_documentation")
        with self.assertRaises(UserError) as caught:
            reception.with_user(self.users["engineer"]).action_accept()
        message = str(caught.exception)
        self.assertEqual(
            message.split("not met: ", 1)[1].rstrip(".").split(", "), missing
        )
        # The submitter sees why they may not accept (four eyes or role).
        self.assertFalse(self.panel(reception, "technician")["ready"])
        self.assertTrue(self.panel(reception, "technician")["blockers"])

        reception.with_user(self.users["technician"]).write(
            {"check_documentation": True, "check_electrical_safety": True}
        )
        panel = self.panel(reception, "engineer")
        self.assertTrue(panel["ready"], panel)
        reception.with_user(self.users["engineer"]).action_accept()
        self.assertEqual(reception.state, "accepted")
        self.assertFalse(self.panel(reception, "engineer"))

    def test_reception_pieu_item_is_the_acceptance_gate(self):
        device = self.create_device(serial_no="NS-0011")
        self.train_users(device)
        device.with_user(self.users["technician"]).action_to_reception()
        device.write(self._regulatory_vals())
        three = {k: v for k, v in self.pieu_syringe_pump.items() if k != "pieu_u_id"}
        reception = (
            self.env["dm.reception"]
            .with_user(self.users["technician"])
            .create(
                {
                    "equipment_id": device.id,
                    **three,
                    **dict.fromkeys(RECEPTION_CRITERIA, True),
                }
            )
        )
        reception.action_submit()
        panel = self.panel(reception, "engineer")
        self.assertEqual(panel_missing(panel), ["the four PIEU criticality values"])
        pieu_item = panel["items"][-1]
        self.assertEqual(pieu_item["field"], "pieu_u_id")
        with self.assertRaisesRegex(UserError, "four PIEU"):
            reception.with_user(self.users["engineer"]).action_accept()
        with self.assertRaises(UserError):
            reception.with_user(self.users["technician"]).write(
                {"dm_next_step": {"ready": True}}
            )
        self.assertFalse(self.panel(reception, "engineer")["ready"])
