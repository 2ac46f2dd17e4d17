"""The software's "next step" panel lists what its lifecycle gate refuses."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import AI_NODULE_DETECTOR, SoftwareCase


def gate_missing(message):
    return message.split("Missing: ", 1)[1].rstrip(".").split("; ")


def panel_missing(panel):
    return [item["label"] for item in panel["items"] if not item["met"]]


@tagged("post_install", "-at_install")
class TestSoftwareNextStep(SoftwareCase):
    def panel(self, record, user):
        record = record.with_user(self.users[user])
        record.invalidate_recordset(["dm_next_step"])
        return record.dm_next_step

    def test_request_lists_what_reception_refuses(self):
        software = self.create_software(intended_purpose=False, referent_id=False)
        panel = self.panel(software, "technician")
        self.assertEqual(panel["state"], "reception")
        self.assertEqual(panel["button"]["name"], "action_to_reception")
        missing = panel_missing(panel)
        self.assertEqual(missing, ["the intended purpose", "the referent"])
        pages = {item["field"]: item["page"] for item in panel["items"]}
        self.assertEqual(pages["referent_id"], False)  # in the sheet, no page
        self.assertEqual(pages["intended_purpose"], False)
        with self.assertRaises(UserError) as caught:
            software.with_user(self.users["technician"]).action_to_reception()
        self.assertEqual(gate_missing(str(caught.exception)), missing)

        software.with_user(self.users["technician"]).write(
            {
                "intended_purpose": "Flags chest X-rays.",
                "referent_id": self.users["referent"].id,
            }
        )
        panel = self.panel(software, "technician")
        self.assertTrue(panel["ready"], panel)
        # A role that may not move it: disabled with the server's reason.
        blocked = self.panel(software, "auditor")
        self.assertFalse(blocked["ready"])
        with self.assertRaises(AccessError) as caught:
            software.with_user(self.users["auditor"]).action_to_reception()
        self.assertEqual(str(caught.exception), blocked["blockers"][0])

    def test_reception_lists_what_use_refuses(self):
        software = self.create_software(contains_ai=True)
        self.qualify(software, AI_NODULE_DETECTOR)
        software.with_user(self.users["technician"]).action_to_reception()
        panel = self.panel(software, "pharmacist")
        self.assertEqual(panel["state"], "in_use")
        self.assertEqual(panel["button"]["name"], "action_put_in_use")
        missing = panel_missing(panel)
        for label in (
            "the user training",
            "an installed version",
            "a plan for the quality control of its AI results",
        ):
            self.assertIn(label, missing)
        pages = {item["field"]: item["page"] for item in panel["items"]}
        self.assertEqual(pages["qc_plan_ids"], "ai_qc")
        self.assertEqual(pages["install_ids"], "versions")
        with self.assertRaises(UserError) as caught:
            software.with_user(self.users["pharmacist"]).action_put_in_use()
        self.assertEqual(gate_missing(str(caught.exception)), missing)

        software.with_user(self.users["pharmacist"]).write({"training_done": True})
        self.assertNotIn(
            "the user training", panel_missing(self.panel(software, "pharmacist"))
        )
        with self.assertRaises(UserError):
            software.with_user(self.users["pharmacist"]).write(
                {"dm_next_step": {"ready": True}}
            )
