from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.disposal_selections import (
    CLOSED_STATES,
    DESTINATIONS,
    DISPOSAL_REASONS,
    DISPOSAL_STATES,
)

# The workflow and its evidence: written only by create() and the actions (in
# sudo, after their checks), never by a client's write().
PROTECTED_FIELDS = {
    "name",
    "company_id",
    "state",
    "requested_by_id",
    "requested_on",
    "confirmed_by_id",
    "confirmed_on",
    "disposed_on",
    "disposed_by_id",
}
# Fields a client may edit, and in which states (any other field: while the
# disposal is open). A disposed or cancelled disposal is read-only.
EDITABLE_IN_STATES = {
    "equipment_id": {"draft"},
}
ALWAYS_WRITABLE = {"message_main_attachment_id"}
RETENTION_PARAM = "medical_device.disposal_retention_years"


class DmDisposal(models.Model):
    """The disposal (réforme) of a medical device: why, where it goes, the
    biomedical engineer's decision; disposing of the device stops its
    preventive maintenance and archives it. dm_cyber adds the proof that its
    data was erased (NIST SP 800-88), verified by the RSSI and signed off by
    the DPO."""

    _name = "dm.disposal"
    _description = "Medical device disposal"
    _inherit = ["mail.thread", "mail.activity.mixin", "dm.approval.mixin"]
    _order = "requested_on desc, id desc"
    _check_company_auto = True

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
        Equipment = self.env["maintenance.equipment"]
        for vals in vals_list:
            if not self.env.su:
                forbidden = set(vals) & self._protected_fields()
                if forbidden:
                    raise UserError(self._protected_message(forbidden))
                # Set explicitly, so that context defaults cannot forge them.
                vals.update(
                    state="draft",
                    requested_by_id=self.env.uid,
                    requested_on=fields.Datetime.now(),
                )
                device = Equipment.browse(
                    vals.get("equipment_id")
                    or self.env.context.get("default_equipment_id")
                )
                if device:  # else the required device is reported by the ORM
                    self._check_device_can_be_disposed(device)
            if not self.env.su or vals.get("name", self.env._("New")) == self.env._(
                "New"
            ):
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("dm.disposal") or "/"
                )
        records = self
        if not self.env.su:
            # Context defaults cannot forge a step, a decision or a stamp either.
            protected = self._protected_fields()
            clean = {
                key: value
                for key, value in self.env.context.items()
                if not (key.startswith("default_") and key[8:] in protected)
            }
            records = self.with_env(self.env(context=clean))
        disposals = super(DmDisposal, records).create(vals_list).with_env(self.env)
        for disposal in disposals:
            # sudo: technicians may request a disposal without following the device.
            disposal.equipment_id.sudo().message_post(
                body=self.env._(
                    "Disposal request %(disposal)s created by %(user)s.",
                    disposal=disposal.name,
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
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

    def write(self, vals):
        if not self.env.su:
            self._check_client_write(vals)
        return super().write(vals)

    @api.model
    def _protected_fields(self):
        """Fields only the actions write (dm_cyber adds its evidence)."""
        return PROTECTED_FIELDS

    @api.model
    def _editable_in_states(self):
        """{field: states in which a client may edit it}; other fields: while
        the disposal is open."""
        return EDITABLE_IN_STATES

    def _check_client_write(self, vals):
        forbidden = set(vals) & self._protected_fields()
        if forbidden:
            raise UserError(self._protected_message(forbidden))
        states = dict(self._fields["state"]._description_selection(self.env))
        editable = self._editable_in_states()
        open_states = self._open_states()
        for disposal in self:
            frozen = [
                fname
                for fname in vals
                if fname not in ALWAYS_WRITABLE
                and disposal.state not in editable.get(fname, open_states)
            ]
            if frozen:
                raise UserError(
                    self.env._(
                        "Disposal %(disposal)s is at step %(state)s: %(fields)s can "
                        "no longer be changed.",
                        disposal=disposal.display_name,
                        state=states[disposal.state],
                        fields=self._field_labels(frozen),
                    )
                )
        if vals.get("equipment_id"):
            self._check_device_can_be_disposed(
                self.env["maintenance.equipment"].browse(vals["equipment_id"])
            )

    def _protected_message(self, fnames):
        return self.env._(
            "The steps, decisions and dates of a disposal are set by its actions "
            "(Confirm, Dispose, Cancel), not edited (fields refused: %(fields)s).",
            fields=self._field_labels(fnames),
        )

    def _field_labels(self, fnames):
        return ", ".join(
            sorted(
                self._fields[f].get_description(self.env)["string"]
                for f in fnames
                if f in self._fields
            )
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_started(self):
        started = self.filtered(lambda d: d.state != "draft")
        if started:
            raise UserError(
                self.env._(
                    "%(disposals)s is part of the device's history: it cannot be "
                    "deleted (cancel it instead).",
                    disposals=", ".join(started.mapped("display_name")),
                )
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

    def _state_label(self):
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _check_state(self, states, action):
        for disposal in self:
            if disposal.state not in states:
                raise UserError(
                    self.env._(
                        "Disposal %(disposal)s is at step %(state)s: it cannot "
                        "%(action)s now.",
                        disposal=disposal.display_name,
                        state=disposal._state_label(),
                        action=action,
                    )
                )

    def _check_engineer(self, action):
        if not self.env.user.has_group("medical_device.group_dm_engineer"):
            raise AccessError(
                self.env._(
                    "Only a biomedical engineer may %(action)s a disposal.",
                    action=action,
                )
            )

    def _request_missing(self):
        """What the request itself lacks (the reason and the destination)."""
        self.ensure_one()
        missing = []
        if not self.reason:
            missing.append(self.env._("the disposal reason"))
        if not self.destination:
            missing.append(self.env._("the destination"))
        return missing

    def _disposal_missing(self):
        """What this open disposal lacks for its device to be disposed (dm_cyber
        adds the erasure or the engineer's no-data statement)."""
        self.ensure_one()
        missing = self._request_missing()
        if self.state == "draft":
            missing.append(
                self.env._("the confirmation of the disposal by a biomedical engineer")
            )
        if self.destination == "recycler":
            if not self.recipient_id:
                missing.append(self.env._("the name of the WEEE recycler"))
            if not self.recycler_certificate_ref:
                missing.append(self.env._("the recycler's certificate number"))
        return missing

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
            pending._close_activities()
            pending.write({"active": False, "superseded_reason": reason})

    # ------------------------------------------------------------ actions
    def _dm_confirmed_state(self):
        """The step a confirmed request reaches (dm_cyber: the erasure)."""
        return "ready"

    def action_confirm(self):
        """The engineer confirms the request: the device moves to Disposal (the
        lifecycle's role check refuses anyone else)."""
        self._check_engineer(self.env._("confirm"))
        self.check_access("write")
        self._check_state({"draft"}, self.env._("be confirmed"))
        for disposal in self:
            # sudo: the step is closed to clients; the engineer was checked.
            disposal.sudo().write(
                {
                    "state": disposal._dm_confirmed_state(),
                    "confirmed_by_id": self.env.uid,
                    "confirmed_on": fields.Datetime.now(),
                }
            )
            device = disposal.equipment_id
            if device.lifecycle_state != "disposal":
                device.write({"lifecycle_state": "disposal"})
        return True

    def action_dispose(self):
        """Dispose of the device: the lifecycle gate checks the request (and,
        with dm_cyber, the erasure), then the device is archived."""
        self._check_engineer(self.env._("complete"))
        for disposal in self:
            disposal._check_state(self._open_states(), self.env._("be completed"))
            disposal.equipment_id.action_mark_disposed()
        return True

    def action_cancel(self):
        self._check_engineer(self.env._("cancel"))
        self.check_access("write")
        self._check_state(self._open_states(), self.env._("be cancelled"))
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
            # sudo: the step is closed to clients; the caller checked the engineer.
            disposal.sudo().write({"state": "cancelled"})
            disposal.message_post(
                body=self.env._(
                    "Disposal cancelled by %(user)s: the device stays in service.",
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _dm_done_values(self):
        return {
            "state": "done",
            "disposed_on": fields.Date.context_today(self),
            "disposed_by_id": self.env.uid,
        }

    def _dm_done_message(self):
        return self.env._(
            "Device disposed by %(user)s. Records kept until %(date)s.",
            user=self.env.user.name,
            date=self.retention_until,
        )

    def _dm_mark_done(self):
        """Called by the device once it is disposed."""
        for disposal in self:
            # sudo: the step and its stamps are closed to clients; the device's
            # lifecycle gate checked everything.
            disposal.sudo().write(disposal._dm_done_values())
            disposal.message_post(
                body=disposal._dm_done_message(), subtype_xmlid="mail.mt_note"
            )

    def action_open_device(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "maintenance.equipment",
            "res_id": self.equipment_id.id,
            "view_mode": "form",
            "context": {"active_test": False},
        }
