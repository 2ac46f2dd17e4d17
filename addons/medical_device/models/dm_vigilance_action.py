from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools.translate import LazyTranslate

from ..tools import checklist
from ..tools import reader_text as rt

_lt = LazyTranslate(__name__)

TECHNICIAN = "medical_device.group_dm_technician"
PHARMACIST = "medical_device.group_dm_pharmacist"


class DmVigilanceAction(models.Model):
    """What a safety notice asks on one device: created by the notice's
    match only (one per device), recorded done by a technician or an engineer,
    or not applicable with a reason (also by the pharmacist); the pharmacist
    reopens it. An open action of a quarantine notice keeps its device out of
    service (the device's lifecycle gate reads it)."""

    _name = "dm.vigilance.action"
    _description = "Safety notice action on a device"
    _inherit = ["dm.workflow.mixin"]
    _order = "notice_id desc, state_sequence, id"
    _check_company_auto = True

    _dm_transitions = {
        ("todo", "done"): (TECHNICIAN,),
        ("todo", "not_applicable"): (TECHNICIAN, PHARMACIST),
        ("done", "todo"): (PHARMACIST,),
        ("not_applicable", "todo"): (PHARMACIST,),
    }
    # Only the match creates actions, in sudo: no client's values, no
    # default_* keys, reach a new one.
    _dm_create_states = ()
    _dm_protected_fields = ("no_longer_matches", "match_reason")
    _dm_create_only_fields = ("notice_id", "equipment_id")
    _dm_state_stamps = {
        "done": ("done_by_id", "done_on"),
        "not_applicable": ("done_by_id", "done_on"),
    }
    _dm_frozen_states = ("done", "not_applicable")
    _dm_always_writable = ("note",)
    _dm_deletable_states = ()

    notice_id = fields.Many2one(
        "dm.vigilance.notice",
        string="Safety notice",
        required=True,
        ondelete="restrict",
        index=True,
        readonly=True,
        check_company=True,
    )
    equipment_id = fields.Many2one(
        "maintenance.equipment",
        string="Device",
        required=True,
        ondelete="restrict",
        index=True,
        readonly=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="notice_id.company_id", store=True, index=True, precompute=True
    )
    required_action = fields.Selection(
        related="notice_id.required_action",
        store=True,
        index=True,
    )
    deadline = fields.Date(related="notice_id.deadline")
    notice_title = fields.Char(related="notice_id.title", string="Notice")
    serial_no = fields.Char(related="equipment_id.serial_no")
    device_model = fields.Char(related="equipment_id.model", string="Model")
    device_location = fields.Char(related="equipment_id.location", string="Location")
    lifecycle_state = fields.Selection(related="equipment_id.lifecycle_state")
    state = fields.Selection(
        [
            ("todo", "To do"),
            ("done", "Done"),
            ("not_applicable", "Not applicable"),
        ],
        default="todo",
        required=True,
        readonly=True,
        copy=False,
        index=True,
    )
    state_sequence = fields.Integer(compute="_compute_state_sequence", store=True)
    reason = fields.Text(
        help="Why the action does not apply to this device (required to mark it "
        "not applicable).",
    )
    note = fields.Text(help="What was done on the device.")
    done_by_id = fields.Many2one("res.users", string="Recorded by", readonly=True)
    done_on = fields.Datetime(string="Recorded on", readonly=True)
    match_reason = fields.Char(
        readonly=True, help="Which criteria of the notice the device matched."
    )
    no_longer_matches = fields.Boolean(
        readonly=True,
        help="The device no longer matches the notice's scope (its data or the "
        "scope changed since the match): check it, and mark the action not "
        "applicable if it is so.",
    )
    is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
    )

    _notice_device_unique = models.Constraint(
        "UNIQUE (notice_id, equipment_id)",
        "A safety notice has one action per device.",
    )

    @api.depends("state")
    def _compute_state_sequence(self):
        order = {"todo": 0, "done": 1, "not_applicable": 2}
        for action in self:
            action.state_sequence = order.get(action.state, 9)

    @api.depends("state", "deadline")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for action in self:
            action.is_overdue = bool(
                action.state == "todo" and action.deadline and action.deadline < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        today = fields.Date.context_today(self)
        domain = [
            ("state", "=", "todo"),
            ("notice_id.deadline", "<", fields.Date.to_string(today)),
        ]
        positive = (operator == "=") == value
        return Domain(domain) if positive else ~Domain(domain)

    @api.depends("notice_id", "equipment_id")
    def _compute_display_name(self):
        for action in self:
            action.display_name = (
                f"{action.notice_id.name or ''} — {action.equipment_id.display_name}"
            )

    # ------------------------------------------------------------ workflow
    def _dm_transition_groups(self, old_state, new_state, state_field=None):
        """Releasing a quarantined device without the action done (not
        applicable) is the pharmacist's decision alone."""
        groups = super()._dm_transition_groups(old_state, new_state, state_field)
        if (
            (old_state, new_state) == ("todo", "not_applicable")
            # sudo: the notice's required action decides, whoever asks.
            and self.sudo().required_action == "quarantine"
        ):
            return (PHARMACIST,)
        return groups

    def _dm_state_checklist(self, new_state):
        if new_state != "not_applicable":
            return []
        return [
            checklist.item(
                self.env._("the reason why the action does not apply"),
                (self.reason or "").strip(),
                "reason",
            )
        ]

    def _dm_check_open_for_change(self):
        for action in self:
            # sudo: the notice's step, whoever records the action.
            if action.notice_id.sudo().state == "closed":
                raise UserError(
                    self.env._(
                        "Safety notice %(notice)s is closed: its actions can no "
                        "longer change.",
                        notice=action.notice_id.sudo().name,
                    )
                )

    @api.model
    def _dm_no_create_message(self):
        return self.env._(
            "Actions are created by the safety notice's Match devices, one per "
            "device concerned."
        )

    def _dm_protected_message(self, fnames):
        return self.env._(
            "The step of an action is recorded with its Done and Not applicable "
            "buttons, its device and match by the notice (fields refused: "
            "%(fields)s).",
            fields=self._dm_field_labels(fnames),
        )

    def _dm_frozen_message(self, fnames):
        return self.env._(
            "The action on %(device)s is recorded (%(state)s): only its note can "
            "change; the pharmacist reopens it if needed.",
            device=self.equipment_id.display_name,
            state=self._dm_state_label(),
        )

    def _dm_history_message(self, reasons):
        return self.env._(
            "The actions of a safety notice are part of the devices' history: "
            "they cannot be deleted."
        )

    def _dm_step_message(self, states, action):
        return self.env._(
            "The action on %(device)s is %(state)s: it cannot %(action)s now.",
            device=self.equipment_id.display_name,
            state=self._dm_state_label(),
            action=action,
        )

    def _dm_next_action(self):
        if self.state != "todo":
            return None
        return {
            "state": "done",
            "method": "action_done",
            "string": self.env._("Done"),
        }

    # ------------------------------------------------------------ actions
    def action_done(self):
        self._dm_check_step(("todo",), self.env._("be recorded done"))
        self._dm_check_open_for_change()
        self._dm_set_state("done")
        self._dm_note_on_device()
        return True

    def action_not_applicable(self):
        self._dm_check_step(("todo",), self.env._("be marked not applicable"))
        self._dm_check_open_for_change()
        self._dm_set_state("not_applicable")
        self._dm_note_on_device()
        return True

    def _dm_note_on_device(self):
        """The device's history tells what was recorded for each notice."""
        for action in self:
            # sudo: the recorder may not follow the device; the note is the
            # device's history.
            action.equipment_id.sudo()._dm_post_note(
                rt.msg(
                    _lt("Safety notice %(notice)s: action %(state)s, by %(user)s."),
                    notice=action.notice_id.sudo().name,
                    state=rt.selection(self._name, "state", action.state),
                    user=self.env.user.name,
                )
            )

    def action_reopen(self):
        self._dm_check_step(("done", "not_applicable"), self.env._("be reopened"))
        self._dm_check_open_for_change()
        self._dm_set_state("todo", {"done_by_id": False, "done_on": False})
        return True

    def action_open_device(self):
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "maintenance.equipment",
            "res_id": self.equipment_id.id,
            "view_mode": "form",
        }
