"""The lifecycle kanban's Disposed column: disposed devices are archived, yet
the column counts and shows them (and no other archived equipment)."""

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import MedicalDeviceCase
from .web_client import view_specification

ACTION = "medical_device.maintenance_equipment_action_medical_devices"


@tagged("post_install", "-at_install")
class TestKanbanDisposedColumn(MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # sudo: only imports (superuser) bring a device in past acquisition.
        Equipment = cls.Equipment.sudo().with_context(tracking_disable=True)
        cls.in_service = Equipment.create(
            cls._acquisition_vals(
                serial_no="KDSP-IN", name="KB in service", lifecycle_state="in_service"
            )
        )
        cls.disposed = Equipment.create(
            cls._acquisition_vals(
                serial_no="KDSP-DISP", name="KB disposed", lifecycle_state="disposed"
            )
        )
        # Archived as _dm_after_disposed does.
        cls.disposed.active = False
        # An archived device that is not disposed (archived by hand) stays out.
        cls.archived = Equipment.create(
            cls._acquisition_vals(
                serial_no="KDSP-ARCH", name="KB archived", lifecycle_state="in_service"
            )
        )
        cls.archived.active = False

    def kanban(self, user, extra_domain=()):
        """The kanban's first page as the web client asks for it: the action's
        domain and context (as the web client passes it), grouped by lifecycle."""
        action = self.env.ref(ACTION).sudo()  # the web client loads actions sudo
        eval_context = action._get_eval_context()
        context = safe_eval(action.context, eval_context)
        domain = safe_eval(action.domain, eval_context) + list(extra_domain)
        Model = (
            self.env["maintenance.equipment"].with_user(user).with_context(**context)
        )
        arch = Model.get_view(action.view_id.id, "kanban")["arch"]
        result = Model.web_read_group(
            domain,
            [context["group_by"]],
            auto_unfold=True,
            unfold_read_specification=view_specification(Model, arch),
            unfold_read_default_limit=80,
        )
        return Model, domain, {g["lifecycle_state"]: g for g in result["groups"]}

    def ids(self, group):
        return {record["id"] for record in group.get("__records", [])}

    def test_disposed_column_shows_disposed_devices_only(self):
        for role in ("engineer", "technician", "auditor"):
            with self.subTest(role=role):
                Model, domain, groups = self.kanban(
                    self.users[role], [("serial_no", "=like", "KDSP-%")]
                )
                disposed = groups["disposed"]
                self.assertIn(self.disposed.id, self.ids(disposed))
                self.assertGreaterEqual(disposed["__count"], 1)
                self.assertEqual(
                    Model.search_count([*domain, ("lifecycle_state", "=", "disposed")]),
                    disposed["__count"],
                )
                in_service = self.ids(groups["in_service"])
                self.assertIn(self.in_service.id, in_service)
                shown = set().union(*(self.ids(g) for g in groups.values()))
                self.assertNotIn(self.archived.id, shown, "archived, not disposed")
                self.assertNotIn(
                    self.archived, Model.search(domain), "the list of the action"
                )

    def test_archived_filter_and_other_screens_are_unchanged(self):
        engineer = self.users["engineer"]
        Equipment = self.env["maintenance.equipment"].with_user(engineer)
        # Outside the kanban's action: archived devices stay hidden.
        found = Equipment.search([("serial_no", "=like", "KDSP-%")])
        self.assertEqual(found, self.in_service)
        # The Archived filter names `active`: it decides alone.
        Model = Equipment.with_context(dm_show_disposed=True)
        archived = Model.search(
            [("serial_no", "=like", "KDSP-%"), ("active", "=", False)]
        )
        self.assertEqual(archived, self.disposed | self.archived)
        # active_test=False (the web client's "archived included") is kept.
        every = Model.with_context(active_test=False).search(
            [("serial_no", "=like", "KDSP-%")]
        )
        self.assertEqual(every, self.in_service | self.disposed | self.archived)

    def test_without_the_fix_the_column_would_be_empty(self):
        """The test above can fail: without the action's flag the disposed
        (archived) device is not in its column."""
        Model = self.env["maintenance.equipment"].with_user(self.users["engineer"])
        result = Model.web_read_group(
            [("is_medical_device", "=", True), ("serial_no", "=like", "KDSP-%")],
            ["lifecycle_state"],
        )
        states = {g["lifecycle_state"] for g in result["groups"]}
        self.assertNotIn("disposed", states)
