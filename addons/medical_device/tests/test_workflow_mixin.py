from odoo.exceptions import AccessError, UserError
from odoo.orm.model_classes import add_to_registry
from odoo.tests import new_test_user, tagged

from .common import MedicalDeviceCase


@tagged("post_install", "-at_install")
class TestWorkflowMixin(MedicalDeviceCase):
    """dm.workflow.mixin on a throwaway model: every guard, as a client would
    meet it over RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        from .workflow_tester import DmWorkflowTester

        add_to_registry(cls.registry, DmWorkflowTester)
        cls.registry._setup_models__(cls.env.cr, ["dm.workflow.tester"])
        cls.registry.init_models(
            cls.env.cr, ["dm.workflow.tester"], {"models_to_check": True}
        )
        cls.addClassCleanup(cls.registry.__delitem__, "dm.workflow.tester")
        model = cls.env["ir.model"]._get("dm.workflow.tester")
        cls.env["ir.model.access"].create(
            {
                "name": "tester",
                "model_id": model.id,
                "group_id": cls.env.ref("base.group_user").id,
                "perm_read": True,
                "perm_write": True,
                "perm_create": True,
                "perm_unlink": True,
            }
        )
        cls.plain = new_test_user(
            cls.env, login="test_wf_plain", groups="base.group_user"
        )

    def tester(self, user=None):
        model = self.env["dm.workflow.tester"]
        return model.with_user(user or self.plain)

    def read_back(self, record):
        record.invalidate_recordset()
        return record.sudo()

    # ------------------------------------------------------------ create
    def test_context_defaults_of_protected_fields_are_dropped(self):
        record = (
            self.tester()
            .with_context(
                default_done_by_id=self.users["engineer"].id,
                default_certificate_ref="FORGED",
                default_double=42,
            )
            .create({"name": "A"})
        )
        record = self.read_back(record)
        self.assertEqual(record.state, "draft")
        self.assertFalse(record.done_by_id)
        self.assertFalse(record.certificate_ref)
        self.assertEqual(record.double, 0)

    def test_context_defaults_are_dropped_for_the_superuser_too(self):
        # An action running in sudo inherits the client's context.
        record = (
            self.env["dm.workflow.tester"]
            .sudo()
            .with_context(default_certificate_ref="FORGED", default_state="done")
            .create({"name": "A"})
        )
        self.assertFalse(record.certificate_ref)
        self.assertEqual(record.state, "draft")

    def test_state_default_of_a_client_is_kept_only_where_a_record_may_start(self):
        record = self.tester().with_context(default_state="confirmed").create({})
        self.assertEqual(self.read_back(record).state, "draft")
        with self.assertRaisesRegex(UserError, "State"):
            self.tester().create({"state": "confirmed"})
        self.assertEqual(self.env["dm.workflow.tester"].search([]), record)

    def test_client_create_refuses_protected_and_computed_values(self):
        for vals in (
            {"state": "done"},
            {"certificate_ref": "X"},
            {"done_by_id": self.plain.id},
            {"double": 8},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                self.tester().create({"name": "A", **vals})
        self.assertFalse(self.env["dm.workflow.tester"].search([]))
        # An editable compute is the user's to set.
        record = self.tester().create({"name": "A", "editable_double": 5})
        self.assertEqual(record.editable_double, 5)

    def test_copy_cannot_forge_a_state(self):
        record = self.tester().create({"name": "A"})
        with self.assertRaises(UserError):
            record.copy({"state": "done"})
        with self.assertRaises(UserError):
            record.copy({"certificate_ref": "X"})
        self.assertEqual(self.env["dm.workflow.tester"].search_count([]), 1)

    # ------------------------------------------------------------ write
    def test_client_write_of_protected_computed_and_related_fields(self):
        record = self.tester().create({"name": "A", "amount": 2})
        for vals in (
            {"certificate_ref": "X"},
            {"done_on": "2026-01-01 00:00:00"},
            {"double": 1},
            {"user_login": "admin"},
            {"state": "confirmed"},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                record.write(vals)
        record = self.read_back(record)
        self.assertEqual((record.double, record.state), (4, "draft"))
        self.assertFalse(record.certificate_ref)
        self.assertEqual(self.env.ref("base.user_admin").login, "admin")

    def test_editable_states_and_frozen_state(self):
        record = self.tester().create({"name": "A", "amount": 1, "ready": True})
        record._dm_set_state("confirmed")
        with self.assertRaisesRegex(UserError, "Amount"):
            record.write({"amount": 3})
        record.with_user(self.users["engineer"]).action_done()
        with self.assertRaisesRegex(UserError, "step Done"):
            record.write({"name": "B"})
        record.write({"note": "archive box 12"})
        record = self.read_back(record)
        self.assertEqual((record.amount, record.name), (1, "A"))
        self.assertFalse(record.dm_is_editable)
        self.assertIn("name", record.with_user(self.plain).dm_readonly_fields)

    # ------------------------------------------------------------ transitions
    def test_transitions_roles_stamps_and_entry_conditions(self):
        record = self.tester().create({"name": "A"})
        with self.assertRaisesRegex(UserError, "cannot move from Draft to Done"):
            record._dm_set_state("done")
        with self.assertRaisesRegex(UserError, "cannot move from Draft to Done"):
            record.sudo()._dm_set_state("done")
        record._dm_set_state("confirmed")
        with self.assertRaises(AccessError):
            record.action_done()
        engineer_record = record.with_user(self.users["engineer"])
        with self.assertRaisesRegex(UserError, "Missing: readiness"):
            engineer_record.action_done()
        record.write({"ready": True})
        engineer_record.action_done()
        record = self.read_back(record)
        self.assertEqual(record.state, "done")
        self.assertEqual(record.done_by_id, self.users["engineer"])
        self.assertTrue(record.done_on)

    # ------------------------------------------------------------ delete
    def test_history_cannot_be_deleted(self):
        draft = self.tester().create({"name": "A"})
        kept = self.tester().create({"name": "B"})
        kept._dm_set_state("confirmed")
        with self.assertRaisesRegex(UserError, "history"):
            kept.unlink()
        with self.assertRaisesRegex(UserError, "history"):
            kept.sudo().unlink()
        draft.unlink()
        self.assertEqual(self.env["dm.workflow.tester"].search([]), kept)
