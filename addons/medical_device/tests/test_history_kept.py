"""Nothing with a history is deleted, only archived: every model of the suite
with an ``active`` field or a workflow has a delete rule (read from the
registry), and a record with a history resists every role and the
superuser."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .audit import HistoryKeptMixin
from .common import MedicalDeviceCase
from .figures import record_figure

ADDONS = {"medical_device", "dm_cyber", "dm_software", "dm_cyber_software"}
# Models with an ``active`` field and no history of their own, and why.
NO_HISTORY = {
    # Core's model, extended: activities are reminders, not records.
    "mail.activity": "reminder",
    # Configuration read when computing: nothing points to a rule or a
    # factor; a change is tracked by the deadlines and scores it recomputes.
    "dm.ce.transition.rule": "configuration",
    "dm.cyber.risk.factor": "configuration",
    # The dashboard's targets: read when computing it, nothing points to an
    # indicator, and no role has the right to delete one (archive it).
    "dm.dashboard.indicator": "configuration",
    # Core's model, extended only to limit what the engineer's create right
    # on contacts gives (a recipient's own data): core's delete rules.
    "res.partner": "core contacts",
}


@tagged("post_install", "-at_install")
class TestHistoryKept(HistoryKeptMixin, MedicalDeviceCase):
    def our_models(self):
        names = []
        for model in self.env["ir.model"].search([]):
            modules = {m.strip() for m in (model.modules or "").split(",")}
            Model = self.env.get(model.model)
            if (
                modules & ADDONS
                and Model is not None
                and not Model._abstract
                and not Model._transient
                and Model._auto
            ):
                names.append(model.model)
        return sorted(names)

    def test_every_model_with_history_has_a_delete_rule(self):
        """Registry-driven: a new model with an ``active`` field or a workflow
        gets a delete rule, or a reason here."""
        workflow = set(self.env.registry.descendants(["dm.workflow.mixin"], "_inherit"))
        reference = set(
            self.env.registry.descendants(["dm.reference.data"], "_inherit")
        )
        base_reasons = type(self.env["dm.workflow.mixin"])._dm_history_reasons
        covered = 0
        for name in self.our_models():
            Model = self.env[name]
            if "active" not in Model._fields and name not in workflow:
                continue
            with self.subTest(model=name):
                if name in workflow:
                    own_rule = type(Model)._dm_history_reasons is not base_reasons
                    self.assertTrue(
                        Model._dm_deletable_states is not None or own_rule,
                        f"{name}: no history rule",
                    )
                elif name in reference:
                    self.assertTrue(Model._dm_reference_fields(), name)
                else:
                    self.assertIn(name, NO_HISTORY, f"{name}: no delete rule")
                covered += 1
        self.assertGreaterEqual(covered, 10)
        record_figure("history_models", models=covered)

    def test_device_history_is_kept(self):
        device = self.device_in_service()
        reception = device.reception_ids
        self.assertEqual(reception.state, "accepted")
        request = self.env["maintenance.request"].create(
            {
                "name": "Annual check",
                "equipment_id": device.id,
                "stage_id": self.env.ref("maintenance.stage_3").id,
            }
        )
        refused = 0
        for record in (device, reception, request):
            refused += self.assertKept(record)
        level = device.pieu_p_id
        refused += self.assertKept(level)
        record_figure("history_unlink_refused_medical_device", attempts=refused)

    def test_decided_approval_and_its_rule_are_kept(self):
        device = self.create_device(
            serial_no="KEPT-CLOUD",
            patient_data=True,
            data_hosting="cloud",
            dpa_reference="DPA-2026-017",
            hds_certified=True,
            data_retention="20 years",
        )
        device.with_user(self.users["technician"]).action_request_approvals()
        line = device._dm_current_line("dpo_data_contract")
        line.with_user(self.users["dpo"]).action_approve()
        self.assertKept(line)
        self.assertKept(line.rule_id)
        # Archived, not deleted: the rule stops applying, its approvals stay.
        line.rule_id.sudo().action_archive()
        self.assertTrue(line.exists())

    def test_unused_reference_data_may_be_deleted(self):
        level = self.env["dm.pieu.level"].create(
            {"factor": "p", "value": 7, "name": "Unused level"}
        )
        level.with_user(self.users["engineer"]).unlink()
        self.assertFalse(level.exists())
        used = self.env["dm.pieu.level"].create(
            {"factor": "p", "value": 8, "name": "Level of a reception"}
        )
        device = self.create_device(serial_no="KEPT-LEVEL")
        self.env["dm.reception"].create(
            {"equipment_id": device.id, "pieu_p_id": used.id}
        )
        with self.assertRaisesRegex(UserError, "Reception.*archive it instead"):
            used.with_user(self.users["engineer"]).unlink()
        self.assertTrue(used.exists())
