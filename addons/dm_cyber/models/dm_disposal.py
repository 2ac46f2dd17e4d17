from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

DISPOSAL_STATES = [
    ("draft", "Draft"),
    ("erasure", "Erasure"),
    ("verification", "RSSI verification"),
    ("sign_off", "DPO sign-off"),
    ("ready", "Ready to dispose"),
    ("done", "Disposed"),
    ("cancelled", "Cancelled"),
]
OPEN_STATES = ("draft", "erasure", "verification", "sign_off", "ready")
DISPOSAL_REASONS = [
    ("obsolete", "Obsolete"),
    ("beyond_repair", "Beyond repair"),
    ("replaced", "Replaced"),
    ("recalled", "Recalled by the manufacturer"),
    ("loan_end", "End of loan"),
]
DESTINATIONS = [
    ("supplier_return", "Return to the supplier"),
    ("recycler", "WEEE recycler (DEEE)"),
    ("donation", "Donation"),
    ("destruction", "Destruction"),
]
RULE_VERIFY = "disposal_erasure_verification"
RULE_SIGN_OFF = "disposal_erasure_sign_off"
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
    "no_data_confirmed_by_id",
    "no_data_confirmed_on",
    "disposed_on",
    "disposed_by_id",
    "certificate_issued_on",
}
# Fields a client may edit, and in which states (any other field: while the
# disposal is open). A disposed or cancelled disposal is read-only.
EDITABLE_IN_STATES = {
    "equipment_id": {"draft"},
    "holds_data": {"draft", "erasure"},
    "no_data_statement": {"draft", "erasure"},
    "medium_ids": {"draft", "erasure"},
}
ALWAYS_WRITABLE = {"message_main_attachment_id"}


class DmDisposal(models.Model):
    """The disposal (réforme) of a medical device: why, where it goes, and the
    proof that its data was erased (NIST SP 800-88), verified by the RSSI and
    signed off by the DPO through the approval engine."""

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
    patient_data = fields.Boolean(related="equipment_id.patient_data")

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

    holds_data = fields.Boolean(
        compute="_compute_holds_data",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="The device (or a medium linked to it) stores data that must be "
        "erased before it leaves. Defaults to 'Holds patient data' on the device; "
        "planning a storage medium sets it.",
    )
    no_data_statement = fields.Text(
        string="No-data statement",
        tracking=True,
        help="Why the device holds no data: a biomedical engineer states it to "
        "skip the erasure.",
    )
    no_data_confirmed_by_id = fields.Many2one(
        "res.users", string="Stated by", readonly=True, copy=False, tracking=True
    )
    no_data_confirmed_on = fields.Datetime(
        string="Stated on", readonly=True, copy=False
    )
    medium_ids = fields.One2many(
        "dm.erasure.medium", "disposal_id", string="Erasure plan", copy=False
    )
    medium_count = fields.Integer(
        string="Media", compute="_compute_media_progress", store=True
    )
    media_sanitised_count = fields.Integer(
        string="Media sanitised", compute="_compute_media_progress", store=True
    )
    erasure_summary = fields.Text(string="Erasure", compute="_compute_erasure_summary")

    verified_by_id = fields.Many2one(
        "res.users", string="Verified by (RSSI)", compute="_compute_decisions"
    )
    verified_on = fields.Datetime(string="Verified on", compute="_compute_decisions")
    signed_off_by_id = fields.Many2one(
        "res.users", string="Signed off by (DPO)", compute="_compute_decisions"
    )
    signed_off_on = fields.Datetime(
        string="Signed off on", compute="_compute_decisions"
    )
    can_verify = fields.Boolean(compute="_compute_decisions")
    can_sign_off = fields.Boolean(compute="_compute_decisions")

    disposed_on = fields.Date(readonly=True, copy=False, tracking=True)
    disposed_by_id = fields.Many2one(
        "res.users", string="Disposed by", readonly=True, copy=False
    )
    certificate_issued_on = fields.Datetime(
        string="Certificate issued on",
        readonly=True,
        copy=False,
        index=True,
        help="The certificate of sanitisation is issued when the device is "
        "disposed; its PDF is kept in the attachments once printed.",
    )
    retention_until = fields.Date(
        string="Keep records until",
        compute="_compute_retention_until",
        store=True,
        help="The device, its maintenance register, approvals and this "
        "certificate are kept at least this long (years after the end of use, "
        "set in dm_cyber.disposal_retention_years, 5 by default).",
    )
    notes = fields.Html()

    # ------------------------------------------------------------ computes
    @api.depends("equipment_id")
    def _compute_holds_data(self):
        for disposal in self:
            disposal.holds_data = bool(
                disposal.equipment_id.patient_data or disposal.medium_ids
            )

    @api.depends("medium_ids.state")
    def _compute_media_progress(self):
        for disposal in self:
            disposal.medium_count = len(disposal.medium_ids)
            disposal.media_sanitised_count = len(
                disposal.medium_ids.filtered(lambda m: m.state == "sanitised")
            )

    @api.depends(
        "medium_ids.media_type",
        "medium_ids.name",
        "medium_ids.serial_no",
        "medium_ids.level",
        "medium_ids.method",
        "medium_ids.tool",
        "medium_ids.tool_version",
        "medium_ids.state",
        "medium_ids.executed_on",
        "medium_ids.sanitiser_name",
        "medium_ids.verification_method",
    )
    def _compute_erasure_summary(self):
        for disposal in self:
            disposal.erasure_summary = (
                "\n".join(m._summary_line() for m in disposal.medium_ids) or False
            )

    @api.depends("approval_ids.state")
    @api.depends_context("uid")
    def _compute_decisions(self):
        for disposal in self:
            verify = sign_off = None
            if disposal._origin.id:
                origin = disposal._origin
                verify = origin._dm_current_line(RULE_VERIFY)
                sign_off = origin._dm_current_line(RULE_SIGN_OFF)
            # sudo: the names and dates of the decisions are part of the record.
            verify = verify.sudo() if verify else None
            sign_off = sign_off.sudo() if sign_off else None
            verified = verify and verify.state == "approved"
            signed = sign_off and sign_off.state == "approved"
            disposal.verified_by_id = verify.reviewer_id if verified else False
            disposal.verified_on = verify.reviewed_on if verified else False
            disposal.signed_off_by_id = sign_off.reviewer_id if signed else False
            disposal.signed_off_on = sign_off.reviewed_on if signed else False
            disposal.can_verify = bool(
                disposal.state == "verification"
                and verify
                and verify.sudo(False).can_review
            )
            disposal.can_sign_off = bool(
                disposal.state == "sign_off"
                and sign_off
                and sign_off.sudo(False).can_review
            )

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
        return int(params.get_param("dm_cyber.disposal_retention_years", 5))

    # ------------------------------------------------------------ constraints
    @api.constrains("equipment_id", "state")
    def _check_one_open_disposal(self):
        for disposal in self.filtered(lambda d: d.state in OPEN_STATES):
            # sudo: a disposal in another company or hidden by a rule still counts.
            others = self.sudo().search_count(
                [
                    ("equipment_id", "=", disposal.equipment_id.id),
                    ("state", "in", OPEN_STATES),
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
                forbidden = set(vals) & PROTECTED_FIELDS
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
        disposals = super().create(vals_list)
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

    def _check_client_write(self, vals):
        forbidden = set(vals) & PROTECTED_FIELDS
        if forbidden:
            raise UserError(self._protected_message(forbidden))
        states = dict(self._fields["state"]._description_selection(self.env))
        for disposal in self:
            frozen = [
                fname
                for fname in vals
                if fname not in ALWAYS_WRITABLE
                and disposal.state not in EDITABLE_IN_STATES.get(fname, OPEN_STATES)
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
            "(Confirm, Submit for verification, Verify, Sign off, Dispose), not "
            "edited (fields refused: %(fields)s).",
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
            [("equipment_id", "=", device.id), ("state", "in", OPEN_STATES)],
            order="id desc",
            limit=1,
        )

    @api.model
    def _check_devices_deletable(self, devices):
        """A device with a disposal (or disposed) is kept with its history for
        at least the retention period: it can never be deleted, even by an
        administrator."""
        # sudo: every disposal counts, whatever the user may read.
        disposed = devices.filtered(
            lambda d: (
                d.lifecycle_state == "disposed"
                or self.sudo().search_count([("equipment_id", "=", d.id)])
            )
        )
        if disposed:
            raise UserError(
                self.env._(
                    "%(devices)s has a disposal record: the device, its maintenance "
                    "register, approvals and erasure certificate are kept (at least "
                    "%(years)s years after the end of use) and cannot be deleted.",
                    devices=", ".join(disposed.mapped("display_name")),
                    years=self._retention_years(),
                )
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

    def _check_plan_open(self):
        for disposal in self:
            if disposal.state not in ("draft", "erasure"):
                raise UserError(
                    self.env._(
                        "The erasure plan of %(disposal)s is frozen at step %(state)s.",
                        disposal=disposal.display_name,
                        state=disposal._state_label(),
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

    def _erasure_evidence_missing(self):
        """What the erasure lacks before the RSSI can verify it: every medium
        executed, with its result, verification method, performer and date."""
        self.ensure_one()
        if not self.medium_ids:
            return [self.env._("an erasure plan (at least one storage medium)")]
        missing = []
        for medium in self.medium_ids:
            if medium.state != "sanitised":
                missing.append(
                    self.env._(
                        "the sanitisation of %(medium)s (%(state)s)",
                        medium=medium.display_name,
                        state=medium._state_label(),
                    )
                )
            else:
                missing += medium._execution_problem_messages()
        return missing

    def _disposal_missing(self):
        """What this open disposal lacks for its device to be disposed."""
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
        if self.holds_data:
            missing += self._erasure_evidence_missing()
            missing += self._dm_approvals_missing("verify")
            missing += self._dm_approvals_missing("sign_off")
        elif not self.no_data_confirmed_by_id:
            missing.append(
                self.env._(
                    "a biomedical engineer's statement that the device holds no data"
                )
            )
        return missing

    def _summary_people(self):
        """Sanitisers, verifier and approver for the certificate."""
        self.ensure_one()
        roles = dict(
            self.env["dm.approval"]._fields["role"]._description_selection(self.env)
        )
        people = []
        for rule_key, role in ((RULE_VERIFY, "rssi"), (RULE_SIGN_OFF, "dpo")):
            line = self._dm_current_line(rule_key)
            # sudo: the certificate shows who decided, whoever prints it.
            line = line.sudo() if line else None
            if not line or line.state != "approved":
                continue
            reviewer = line.reviewer_id
            people.append(
                {
                    "role": roles[role],
                    "name": reviewer.name,
                    "title": reviewer.partner_id.function or roles[role],
                    "contact": reviewer.email or reviewer.phone or "",
                    "date": line.reviewed_on,
                }
            )
        return people

    # ------------------------------------------------------------ approvals
    def _dm_next_step(self):
        return {
            "erasure": "verify",
            "verification": "verify",
            "sign_off": "sign_off",
        }.get(self.state)

    def action_request_approvals(self, step=None):
        """A disposal's approvals follow its workflow: only the approval its
        current step waits for can be requested (the RSSI's verification once
        the erasure is submitted, the DPO's sign-off once the RSSI approved),
        which the actions below do themselves."""
        due_steps = {"verification": "verify", "sign_off": "sign_off"}
        for disposal in self:
            due = due_steps.get(disposal.state)
            if not due or step not in (None, due):
                raise UserError(
                    self.env._(
                        "Disposal %(disposal)s is at step %(state)s: its approvals "
                        "are requested by its workflow (Submit for verification, "
                        "then the RSSI's verification).",
                        disposal=disposal.display_name,
                        state=disposal._state_label(),
                    )
                )
            super(DmDisposal, disposal).action_request_approvals(due)
        return True

    def _dm_before_approval(self, line):
        result = super()._dm_before_approval(line)
        if line.rule_key == RULE_VERIFY:
            self._check_state({"verification"}, self.env._("be verified"))
            missing = self._erasure_evidence_missing()
            if missing:
                raise UserError(
                    self.env._(
                        "The erasure of %(disposal)s cannot be verified yet. "
                        "Missing: %(missing)s.",
                        disposal=self.display_name,
                        missing="; ".join(missing),
                    )
                )
        elif line.rule_key == RULE_SIGN_OFF:
            verify = self._dm_current_line(RULE_VERIFY)
            if self.state != "sign_off" or not verify or verify.state != "approved":
                raise UserError(
                    self.env._(
                        "The DPO signs off %(disposal)s only after the RSSI verified "
                        "its erasure.",
                        disposal=self.display_name,
                    )
                )
        return result

    def _dm_after_approval_decision(self, line):
        result = super()._dm_after_approval_decision(line)
        approved = line.state == "approved"
        if line.rule_key == RULE_VERIFY:
            # sudo: the step is closed to clients; the engine checked the RSSI.
            self.sudo().write({"state": "sign_off" if approved else "erasure"})
            if approved:
                # The engine's next request (the RSSI only reads the disposal).
                self._dm_request_approvals("sign_off")
        elif line.rule_key == RULE_SIGN_OFF:
            if not approved:
                verify = self._dm_current_line(RULE_VERIFY)
                if verify and verify.state == "approved":
                    # sudo: the superseded verification stays as history.
                    verify.sudo().write(
                        {
                            "active": False,
                            "superseded_reason": self.env._(
                                "Sign-off rejected by the DPO"
                            ),
                        }
                    )
            # sudo: the step is closed to clients; the engine checked the DPO.
            self.sudo().write({"state": "ready" if approved else "erasure"})
        return result

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
                    "state": "erasure",
                    "confirmed_by_id": self.env.uid,
                    "confirmed_on": fields.Datetime.now(),
                }
            )
            device = disposal.equipment_id
            if device.lifecycle_state != "disposal":
                device.write({"lifecycle_state": "disposal"})
        return True

    def action_submit_verification(self):
        self.check_access("write")
        self._check_state({"erasure"}, self.env._("be submitted for verification"))
        for disposal in self:
            if not disposal.holds_data:
                raise UserError(
                    self.env._(
                        "%(disposal)s is recorded as holding no data: there is no "
                        "erasure to verify. A biomedical engineer states it instead "
                        "(State no data).",
                        disposal=disposal.display_name,
                    )
                )
            missing = disposal._request_missing() + (
                disposal._erasure_evidence_missing()
            )
            if missing:
                raise UserError(
                    self.env._(
                        "%(disposal)s cannot be submitted for verification yet. "
                        "Missing: %(missing)s.",
                        disposal=disposal.display_name,
                        missing="; ".join(missing),
                    )
                )
            # sudo: the step is closed to clients; the checks above ran.
            disposal.sudo().write({"state": "verification"})
            disposal.action_request_approvals("verify")
        return True

    def _current_pending_line(self, rule_key):
        self.ensure_one()
        line = self._dm_current_line(rule_key)
        if not line or line.state != "pending":
            raise UserError(
                self.env._(
                    "%(disposal)s has no pending %(step)s.",
                    disposal=self.display_name,
                    step=self.env._("verification")
                    if rule_key == RULE_VERIFY
                    else self.env._("sign-off"),
                )
            )
        return line

    def action_verify(self):
        """The RSSI verifies the erasure: the approval engine checks the role
        (a DPO is refused) and four eyes."""
        for disposal in self:
            disposal._current_pending_line(RULE_VERIFY).action_approve()
        return True

    def action_sign_off(self):
        """The DPO signs off the verified erasure, through the approval engine."""
        for disposal in self:
            disposal._current_pending_line(RULE_SIGN_OFF).action_approve()
        return True

    def action_open_reject_wizard(self):
        self.ensure_one()
        rule_key = RULE_SIGN_OFF if self.state == "sign_off" else RULE_VERIFY
        return self._current_pending_line(rule_key).action_open_reject_wizard()

    def action_state_no_data(self, statement=None):
        """A biomedical engineer states that the device holds no data: the
        erasure is skipped, with the statement tracked on the request."""
        self._check_engineer(self.env._("state 'no data' on"))
        self.check_access("write")
        self._check_state({"erasure"}, self.env._("skip the erasure"))
        for disposal in self:
            if disposal.medium_ids:
                raise UserError(
                    self.env._(
                        "%(disposal)s plans the erasure of %(count)s storage "
                        "medium(s): the device holds data.",
                        disposal=disposal.display_name,
                        count=len(disposal.medium_ids),
                    )
                )
            if disposal.equipment_id.patient_data:
                raise UserError(
                    self.env._(
                        "%(device)s is recorded as holding patient data: plan and "
                        "verify its erasure, or correct its data protection record "
                        "first.",
                        device=disposal.equipment_id.display_name,
                    )
                )
            text = (statement or disposal.no_data_statement or "").strip()
            if not text:
                raise UserError(
                    self.env._(
                        "Write in the no-data statement why %(device)s holds no data.",
                        device=disposal.equipment_id.display_name,
                    )
                )
            missing = disposal._request_missing()
            if missing:
                raise UserError(
                    self.env._(
                        "%(disposal)s is incomplete. Missing: %(missing)s.",
                        disposal=disposal.display_name,
                        missing="; ".join(missing),
                    )
                )
            # sudo: the statement's author and date are closed to clients.
            disposal.sudo().write(
                {
                    "holds_data": False,
                    "no_data_statement": text,
                    "no_data_confirmed_by_id": self.env.uid,
                    "no_data_confirmed_on": fields.Datetime.now(),
                    "state": "ready",
                }
            )
            disposal.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "%(user)s (biomedical engineer) states that the device holds no "
                    "data: %(statement)s",
                    user=self.env.user.name,
                    statement=text,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_dispose(self):
        """Dispose of the device: the lifecycle gate checks the erasure (or the
        no-data statement), then the device is archived."""
        self._check_engineer(self.env._("complete"))
        for disposal in self:
            disposal._check_state(OPEN_STATES, self.env._("be completed"))
            disposal.equipment_id.action_mark_disposed()
        return True

    def action_cancel(self):
        self._check_engineer(self.env._("cancel"))
        self.check_access("write")
        self._check_state(OPEN_STATES, self.env._("be cancelled"))
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

    def _dm_mark_done(self):
        """Called by the device once it is disposed: the certificate is issued."""
        now = fields.Datetime.now()
        for disposal in self:
            # sudo: the step and the certificate are closed to clients; the
            # device's lifecycle gate checked everything.
            disposal.sudo().write(
                {
                    "state": "done",
                    "disposed_on": fields.Date.context_today(self),
                    "disposed_by_id": self.env.uid,
                    "certificate_issued_on": now,
                }
            )
            disposal.message_post(
                body=self.env._(
                    "Device disposed by %(user)s; certificate of sanitisation "
                    "issued. Records kept until %(date)s.",
                    user=self.env.user.name,
                    date=disposal.retention_until,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def action_print_certificate(self):
        return self.env.ref(
            "dm_cyber.action_report_dm_erasure_certificate"
        ).report_action(self)

    def action_open_device(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "maintenance.equipment",
            "res_id": self.equipment_id.id,
            "view_mode": "form",
            "context": {"active_test": False},
        }
