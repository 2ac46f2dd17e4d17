from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from ..tools import checklist
from ..tools import reader_text as rt
from ..tools.disposal_selections import (
    CLOSED_STATES,
    DESTINATIONS,
    DISPOSAL_REASONS,
    DISPOSAL_STATES,
    RECIPIENT_DESTINATIONS,
)

_lt = LazyTranslate(__name__)

ENGINEER = "medical_device.group_dm_engineer"
RETENTION_PARAM = "medical_device.disposal_retention_years"


class DmDisposal(models.Model):
    """The disposal (réforme) of a medical device: why, where it goes, the
    biomedical engineer's decision; disposing of the device stops its
    preventive maintenance and archives it. dm_cyber adds the proof that its
    data was erased (NIST SP 800-88), verified by the RSSI and signed off by
    the DPO."""

    _name = "dm.disposal"
    _description = "Medical device disposal"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "dm.approval.mixin",
        "dm.workflow.mixin",
    ]
    _order = "requested_on desc, id desc"
    _check_company_auto = True

    # The workflow (see dm.workflow.mixin): a technician or an engineer
    # requests; the biomedical engineer confirms, disposes of the device (its
    # lifecycle gate checks the request) or cancels. dm_cyber inserts its
    # erasure steps between the confirmation and Ready.
    _dm_transitions = {
        ("draft", "ready"): (ENGINEER,),
        ("draft", "cancelled"): (ENGINEER,),
        ("ready", "cancelled"): (ENGINEER,),
        ("ready", "done"): (ENGINEER,),
    }
    # The request's identity and the engineer's decision: set by create() and
    # the actions only (the state, the stamps and the computed fields too).
    # Confirming is no stamp of a state: dm_cyber's erasure step, which a
    # confirmation reaches, is reached again when a reviewer rejects.
    _dm_protected_fields = (
        "name",
        "requested_by_id",
        "requested_on",
        "confirmed_by_id",
        "confirmed_on",
    )
    _dm_state_stamps = {"done": ("disposed_by_id", "disposed_on")}
    # The device changes only on a request not yet confirmed; any other field
    # while the disposal is open.
    _dm_editable_states = {"equipment_id": ("draft",)}
    _dm_frozen_states = CLOSED_STATES
    # A started disposal is part of the device's history.
    _dm_deletable_states = ("draft",)

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    equipment_id = fields.Many2one(
        "maintenance.equipment",
        string="Device",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
        tracking=True,
        domain=[
            ("is_medical_device", "=", True),
            ("lifecycle_state", "in", ("in_service", "disposal")),
        ],
    )
    company_id = fields.Many2one(
        related="equipment_id.company_id", store=True, index=True, precompute=True
    )
    serial_no = fields.Char(related="equipment_id.serial_no")
    manufacturer_id = fields.Many2one(related="equipment_id.manufacturer_id")
    device_model = fields.Char(related="equipment_id.model", string="Model")
    device_location = fields.Char(related="equipment_id.location", string="Location")
    lifecycle_state = fields.Selection(related="equipment_id.lifecycle_state")

    state = fields.Selection(
        DISPOSAL_STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        group_expand=True,
    )
    reason = fields.Selection(DISPOSAL_REASONS, tracking=True)
    reason_details = fields.Text(string="Details")
    requested_by_id = fields.Many2one(
        "res.users",
        string="Requested by",
        readonly=True,
        copy=False,
        default=lambda self: self.env.user,
    )
    requested_on = fields.Datetime(
        readonly=True, copy=False, default=fields.Datetime.now
    )
    planned_date = fields.Date(
        string="Planned for",
        default=fields.Date.context_today,
        tracking=True,
        help="When the device is planned to leave the hospital.",
    )
    confirmed_by_id = fields.Many2one(
        "res.users", string="Confirmed by", readonly=True, copy=False, tracking=True
    )
    confirmed_on = fields.Datetime(readonly=True, copy=False)
    destination = fields.Selection(
        DESTINATIONS,
        tracking=True,
        help="Where the device goes once its data is erased.",
    )
    recipient_id = fields.Many2one(
        "res.partner",
        tracking=True,
        check_company=True,
        help="The supplier, the WEEE (DEEE) recycler, the beneficiary of the "
        "donation or the destruction company.",
    )
    recycler_certificate_ref = fields.Char(
        string="Recycler's certificate number",
        tracking=True,
        help="Number of the WEEE (DEEE) recycler's certificate of treatment; "
        "required to dispose of a device given to a recycler.",
    )
    disposed_on = fields.Date(readonly=True, copy=False, tracking=True)
    disposed_by_id = fields.Many2one(
        "res.users", string="Disposed by", readonly=True, copy=False
    )
    retention_until = fields.Date(
        string="Keep records until",
        compute="_compute_retention_until",
        store=True,
        help="The device, its maintenance register, approvals and this "
        "certificate are kept at least this long (years after the end of use, "
        "set in medical_device.disposal_retention_years, 5 by default).",
    )
    notes = fields.Html()

    # ------------------------------------------------------------ computes
    @api.depends("disposed_on")
    def _compute_retention_until(self):
        years = self._retention_years()
        for disposal in self:
            disposal.retention_until = (
                disposal.disposed_on + relativedelta(years=years)
                if disposal.disposed_on
                else False
            )

    @api.model
    def _retention_years(self):
        # sudo: the settings are admin data.
        params = self.env["ir.config_parameter"].sudo()
        return int(params.get_param(RETENTION_PARAM, 5))

    @api.model
    def _open_states(self):
        """Every step before Disposed or Cancelled (with the steps dm_cyber adds)."""
        return tuple(
            value
            for value, _label in self._fields["state"].selection
            if value not in CLOSED_STATES
        )

    # ------------------------------------------------------------ constraints
    @api.constrains("equipment_id", "state")
    def _check_one_open_disposal(self):
        open_states = self._open_states()
        for disposal in self.filtered(lambda d: d.state in open_states):
            # sudo: a disposal in another company or hidden by a rule still counts.
            others = self.sudo().search_count(
                [
                    ("equipment_id", "=", disposal.equipment_id.id),
                    ("state", "in", open_states),
                    ("id", "!=", disposal.id),
                ]
            )
            if others:
                raise UserError(
                    self.env._(
                        "%(device)s already has a disposal request in progress: "
                        "continue it instead of creating another one.",
                        device=disposal.equipment_id.display_name,
                    )
                )

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        disposals = super().create(vals_list)
        for disposal in disposals:
            # sudo: technicians may request a disposal without following the device.
            disposal.equipment_id.sudo()._dm_post_note(
                rt.msg(
                    _lt("Disposal request %(disposal)s created by %(user)s."),
                    disposal=disposal.name,
                    user=self.env.user.name,
                )
            )
        return disposals

    @api.model
    def _check_device_can_be_disposed(self, device):
        if not device.is_medical_device or device.lifecycle_state not in (
            "in_service",
            "disposal",
        ):
            states = dict(
                device._fields["lifecycle_state"]._description_selection(self.env)
            )
            raise UserError(
                self.env._(
                    "%(device)s cannot be disposed of: only a medical device in "
                    "service can (it is %(state)s).",
                    device=device.display_name,
                    state=states.get(device.lifecycle_state, "-"),
                )
            )

    # ------------------------------------------------------------ workflow
    @api.model
    def _dm_complete_create_vals(self, vals):
        if vals.get("name", self.env._("New")) == self.env._("New"):
            vals["name"] = self.env["ir.sequence"].next_by_code("dm.disposal") or "/"

    @api.model
    def _dm_check_client_create(self, vals):
        result = super()._dm_check_client_create(vals)
        device = self.env["maintenance.equipment"].browse(
            vals.get("equipment_id") or self.env.context.get("default_equipment_id")
        )
        if device:  # else the required device is reported by the ORM
            self._check_device_can_be_disposed(device)
        return result

    def _dm_check_client_write(self, vals):
        result = super()._dm_check_client_write(vals)
        if vals.get("equipment_id"):
            self._check_device_can_be_disposed(
                self.env["maintenance.equipment"].browse(vals["equipment_id"])
            )
        return result

    def _dm_protected_message(self, fnames):
        return self.env._(
            "The steps, decisions and dates of a disposal are set by its actions "
            "(Confirm, Dispose, Cancel), not edited (fields refused: %(fields)s).",
            fields=self._dm_field_labels(fnames),
        )

    def _dm_frozen_message(self, fnames):
        return self.env._(
            "Disposal %(disposal)s is at step %(state)s: %(fields)s can "
            "no longer be changed.",
            disposal=self.display_name,
            state=self._dm_state_label(),
            fields=self._dm_field_labels(fnames),
        )

    def _dm_history_message(self, reasons):
        return self.env._(
            "%(disposals)s is part of the device's history: it cannot be "
            "deleted (cancel it instead).",
            disposals=self.display_name,
        )

    def _dm_step_message(self, states, action):
        return self.env._(
            "Disposal %(disposal)s is at step %(state)s: it cannot %(action)s now.",
            disposal=self.display_name,
            state=self._dm_state_label(),
            action=action,
        )

    # ------------------------------------------------------------ helpers
    @api.model
    def _open_for_device(self, device):
        """The disposal in progress of a device (any step before Disposed)."""
        return self.search(
            [("equipment_id", "=", device.id), ("state", "in", self._open_states())],
            order="id desc",
            limit=1,
        )

    def _dm_form_action(self):
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Disposal"),
            "res_model": "dm.disposal",
        }
        if len(self) == 1:
            action.update(view_mode="form", res_id=self.id)
        else:
            action.update(view_mode="list,form", domain=[("id", "in", self.ids)])
        return action

    def _request_checklist(self):
        """What the request itself needs, as ``tools.checklist`` items: the
        reason, the destination and who receives the device (asked with the
        request, checked before the erasure is submitted, not discovered after
        the signatures)."""
        self.ensure_one()
        items = [
            checklist.item(self.env._("the disposal reason"), self.reason, "reason"),
            checklist.item(
                self.env._("the destination"), self.destination, "destination"
            ),
        ]
        if self.destination in RECIPIENT_DESTINATIONS:
            if self.destination == "recycler":
                label = self.env._("the name of the WEEE recycler")
            else:
                label = self.env._(
                    "the recipient (%(destination)s)",
                    destination=dict(
                        self._fields["destination"]._description_selection(self.env)
                    )[self.destination],
                )
            items.append(checklist.item(label, self.recipient_id, "recipient_id"))
        return items

    def _request_missing(self):
        """What the request itself lacks (see ``_request_checklist``)."""
        return checklist.missing(self._request_checklist())

    def _disposal_checklist(self):
        """What this open disposal needs for its device to be disposed, as
        ``tools.checklist`` items (dm_cyber adds the erasure or the engineer's
        no-data statement)."""
        self.ensure_one()
        items = self._request_checklist()
        items.append(
            checklist.item(
                self.env._("the confirmation of the disposal by a biomedical engineer"),
                self.state != "draft",
            )
        )
        # The recycler's name is the request's (above); its certificate of
        # treatment comes at the end.
        if self.destination == "recycler":
            items.append(
                checklist.item(
                    self.env._("the recycler's certificate number"),
                    self.recycler_certificate_ref,
                    "recycler_certificate_ref",
                )
            )
        return items

    def _disposal_missing(self):
        """What this open disposal lacks for its device to be disposed (see
        ``_disposal_checklist``)."""
        return checklist.missing(self._disposal_checklist())

    def _dm_withdraw_pending(self, reason):
        """Withdraw the pending approvals (kept, archived, as history)."""
        for disposal in self:
            # sudo: approval lines are closed to clients.
            pending = (
                self.env["dm.approval"]
                .sudo()
                .search(
                    [
                        ("res_model", "=", self._name),
                        ("res_id", "=", disposal.id),
                        ("state", "=", "pending"),
                    ]
                )
            )
            # A reviewer deciding one of them at the same time: see _decide.
            pending._dm_lock()
            pending._close_activities()
            pending.write({"active": False, "superseded_reason": reason})

    # ------------------------------------------------------------ next step
    def _dm_next_action(self):
        if self.state == "draft":
            confirmed = self._dm_confirmed_state()
            return {
                "state": confirmed,
                "method": "action_confirm",
                "string": self.env._("Confirm disposal"),
                "confirm": self.env._(
                    "The device leaves service and moves to Disposal. Continue?"
                ),
            }
        if self.state == "ready":
            # The device's gate to Disposed reads this disposal's checklist.
            return {
                "state": "done",
                "method": "action_dispose",
                "string": self.env._("Dispose of the device"),
                "confirm": self.env._(
                    "The device will be disposed of, archived and read-only. Continue?"
                ),
                "items": self._disposal_checklist(),
            }
        return None

    # ------------------------------------------------------------ actions
    def _dm_confirmed_state(self):
        """The step a confirmed request reaches (dm_cyber: the erasure)."""
        return "ready"

    def action_confirm(self):
        """The engineer confirms the request: the device moves to Disposal (the
        lifecycle's role check refuses anyone else)."""
        # The role first, then the step.
        self._dm_check_role("draft", self._dm_confirmed_state())
        self._dm_check_step({"draft"}, self.env._("be confirmed"))
        for disposal in self:
            disposal._dm_set_state(
                disposal._dm_confirmed_state(),
                {
                    "confirmed_by_id": self.env.uid,
                    "confirmed_on": fields.Datetime.now(),
                },
            )
            device = disposal.equipment_id
            if device.lifecycle_state != "disposal":
                device.write({"lifecycle_state": "disposal"})
        return True

    def action_dispose(self):
        """Dispose of the device: the lifecycle gate checks the request (and,
        with dm_cyber, the erasure), then the device is archived."""
        self._dm_check_role("ready", "done")
        for disposal in self:
            disposal._dm_check_step(self._open_states(), self.env._("be completed"))
            disposal.equipment_id.action_mark_disposed()
        return True

    def action_cancel(self):
        # The role first, then the step.
        for disposal in self:
            disposal._dm_check_role(disposal.state, "cancelled")
        self._dm_check_step(self._open_states(), self.env._("be cancelled"))
        for disposal in self:
            device = disposal.equipment_id
            if device.lifecycle_state == "disposal":
                # Back in service: the device's write cancels its open disposal.
                device.action_cancel_disposal()
            if disposal.state != "cancelled":
                disposal._dm_cancel()
        return True

    def _dm_cancel(self):
        for disposal in self:
            disposal._dm_withdraw_pending(self.env._("Disposal cancelled"))
            disposal._dm_set_state("cancelled")
            disposal._dm_post_note(
                rt.msg(
                    _lt("Disposal cancelled by %(user)s: the device stays in service."),
                    user=self.env.user.name,
                )
            )

    def _dm_done_values(self):
        """Values written with the Disposed step, besides its stamps (dm_cyber:
        the certificate)."""
        return {}

    def _dm_done_message(self):
        """The note of the Disposed step, as a reader text."""
        return rt.msg(
            _lt("Device disposed by %(user)s. Records kept until %(date)s."),
            user=self.env.user.name,
            date=rt.date(self.retention_until),
        )

    def _dm_mark_done(self):
        """Called by the device once it is disposed."""
        for disposal in self:
            # The device's lifecycle gate checked the request (the engineer's
            # role, what the disposal lacks); the move is checked again here.
            disposal._dm_set_state("done", disposal._dm_done_values())
            disposal._dm_post_note(disposal._dm_done_message())

    def action_open_device(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "maintenance.equipment",
            "res_id": self.equipment_id.id,
            "view_mode": "form",
            "context": {"active_test": False},
        }
