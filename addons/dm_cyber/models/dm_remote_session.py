from odoo import api, fields, models
from odoo.addons.medical_device.tools import reader_text as rt
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.translate import LazyTranslate

from .dm_remote_agreement import AUTHORISED_CHANNELS

_lt = LazyTranslate(__name__)

SESSION_STATES = [
    ("requested", "Requested"),
    ("authorised", "Authorised"),
    ("refused", "Refused"),
    ("in_progress", "In progress"),
    ("done", "Done"),
]
RSSI = "medical_device.group_dm_rssi"


class DmRemoteSession(models.Model):
    """One remote maintenance (télémaintenance) session of a supplier on a
    device: requested, authorised by the RSSI (or pre-authorised by a standing
    agreement), then logged with its start, end and summary."""

    _name = "dm.remote.session"
    _description = "Remote maintenance session"
    _inherit = ["mail.thread", "mail.activity.mixin", "dm.workflow.mixin"]
    _order = "requested_on desc, id desc"
    _check_company_auto = True

    # The workflow (see dm.workflow.mixin): the RSSI decides, anyone who may
    # write a session (technician, engineer, RSSI) logs its start and end. A
    # standing agreement authorises on the RSSI's behalf at request time.
    _dm_transitions = {
        ("requested", "authorised"): (RSSI,),
        ("requested", "refused"): (RSSI,),
        ("authorised", "refused"): (RSSI,),
        ("authorised", "in_progress"): (),
        ("in_progress", "done"): (),
    }
    # The request's identity, the decision and the log: set by create() and the
    # actions only (the state, the stamps and the computed fields too).
    _dm_protected_fields = (
        "name",
        "channel",
        "requested_by_id",
        "requested_on",
        "agreement_id",
        "start",
        "end",
    )
    _dm_create_only_fields = ("equipment_id", "supplier_id")
    _dm_state_stamps = {
        "authorised": ("authorised_by_id", "authorised_on"),
        "refused": ("refused_by_id", "refused_on"),
    }
    _dm_editable_states = {
        "technician_name": ("requested",),
        "reason": ("requested",),
        "planned_start": ("requested", "authorised"),
        "refusal_reason": ("requested", "authorised"),
        "summary": ("in_progress",),
    }
    _dm_frozen_states = ("refused", "done")
    # A withdrawn request may go; a decided or logged session is the log.
    _dm_deletable_states = ("requested",)

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
    )
    company_id = fields.Many2one(
        related="equipment_id.company_id", store=True, index=True, precompute=True
    )
    supplier_id = fields.Many2one(
        "res.partner",
        index=True,
        check_company=True,
        tracking=True,
        help="Defaults to the device's vendor.",
    )
    technician_name = fields.Char(
        string="Supplier technician", required=True, tracking=True
    )
    reason = fields.Text(required=True, tracking=True)
    channel = fields.Selection(
        AUTHORISED_CHANNELS,
        readonly=True,
        copy=False,
        tracking=True,
        help="The device's remote maintenance channel when the session was requested.",
    )
    requested_by_id = fields.Many2one(
        "res.users",
        string="Requested by",
        readonly=True,
        default=lambda self: self.env.user,
        copy=False,
    )
    requested_on = fields.Datetime(
        readonly=True, default=fields.Datetime.now, copy=False
    )
    planned_start = fields.Datetime(string="Planned for", tracking=True)
    state = fields.Selection(
        SESSION_STATES,
        default="requested",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    authorised_by_id = fields.Many2one(
        "res.users", string="Authorised by", readonly=True, copy=False, tracking=True
    )
    authorised_on = fields.Datetime(readonly=True, copy=False)
    agreement_id = fields.Many2one(
        "dm.remote.agreement",
        string="Pre-authorised by",
        readonly=True,
        copy=False,
        ondelete="restrict",
        index="btree_not_null",
        check_company=True,
        tracking=True,
    )
    refused_by_id = fields.Many2one(
        "res.users", string="Refused by", readonly=True, copy=False, tracking=True
    )
    refused_on = fields.Datetime(readonly=True, copy=False)
    refusal_reason = fields.Text(copy=False, tracking=True)
    start = fields.Datetime(
        string="Started on", readonly=True, copy=False, tracking=True
    )
    end = fields.Datetime(string="Ended on", readonly=True, copy=False, tracking=True)
    duration = fields.Float(
        string="Duration (hours)", compute="_compute_duration", store=True
    )
    summary = fields.Text(
        string="What was done", copy=False, help="Required to end the session."
    )

    # ------------------------------------------------------------ computes
    @api.depends("start", "end")
    def _compute_duration(self):
        for session in self:
            if session.start and session.end:
                seconds = (session.end - session.start).total_seconds()
                session.duration = seconds / 3600
            else:
                session.duration = 0.0

    # ------------------------------------------------------------ constraints
    @api.constrains("start", "end")
    def _check_start_end(self):
        for session in self:
            if session.end and (not session.start or session.end < session.start):
                raise ValidationError(
                    self.env._(
                        "Session %(session)s cannot end (%(end)s) before it starts "
                        "(%(start)s).",
                        session=session.display_name,
                        end=session.end,
                        start=session.start or "-",
                    )
                )

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        sessions = super().create(vals_list)
        for session in sessions.filtered(lambda s: s.state == "requested"):
            session._pre_authorise_or_request()
        return sessions

    @api.model
    def _dm_complete_create_vals(self, vals):
        device = self.env["maintenance.equipment"].browse(
            vals.get("equipment_id") or self.env.context.get("default_equipment_id")
        )
        if device:  # else the required device is reported by the ORM
            self._check_channel(device)
        if "supplier_id" not in vals and not self.env.context.get(
            "default_supplier_id"
        ):
            vals["supplier_id"] = device.partner_id.id
        vals["name"] = self.env["ir.sequence"].next_by_code("dm.remote.session") or "/"
        vals["channel"] = device.remote_maintenance_channel

    # ------------------------------------------------------------ messages
    def _dm_protected_message(self, fnames):
        return self.env._(
            "The request, decision and log of a remote maintenance session are set "
            "by its actions (Authorise, Refuse, Start, End), not edited (fields "
            "refused: %(fields)s).",
            fields=self._dm_field_labels(fnames),
        )

    def _dm_role_message(self, old_state, new_state):
        if new_state not in ("authorised", "refused"):
            return super()._dm_role_message(old_state, new_state)
        return self.env._(
            "Only the RSSI may authorise or refuse a remote maintenance session."
        )

    def _dm_history_message(self, reasons):
        return self.env._(
            "%(sessions)s is part of the remote maintenance log: it cannot be deleted.",
            sessions=self.display_name,
        )

    # ------------------------------------------------------------ channel
    def _channel_label(self, channel):
        labels = dict(
            self.env["maintenance.equipment"]
            ._fields["remote_maintenance_channel"]
            ._description_selection(self.env)
        )
        return labels.get(channel) or self.env._("not set")

    @api.model
    def _check_channel(self, device, expected=None):
        """Refuse a session on a device without an authorised channel (or, when
        ``expected`` is given, whose channel is no longer that one)."""
        channel = device.remote_maintenance_channel
        authorised = dict(AUTHORISED_CHANNELS)
        if channel in authorised and (not expected or channel == expected):
            return
        raise UserError(
            self.env._(
                "%(device)s cannot be maintained remotely: its remote maintenance "
                "channel is %(channel)s, and a session needs %(needed)s (set in the "
                "device's cyber matrix).",
                device=device.display_name or self.env._("The device"),
                channel=self._channel_label(channel),
                needed=(
                    self._channel_label(expected)
                    if expected
                    else self.env._(
                        "%(vpn)s or %(bastion)s",
                        vpn=self._channel_label("supplier_vpn"),
                        bastion=self._channel_label("hospital_bastion"),
                    )
                ),
            )
        )

    # ------------------------------------------------------------ request
    def _pre_authorise_or_request(self):
        self.ensure_one()
        today = fields.Date.context_today(self)
        agreement = self.env["dm.remote.agreement"]._find_covering(
            self.equipment_id, self.supplier_id, self.channel, today
        )
        if agreement:
            # sudo: the agreement signed by the RSSI is the authorisation, given
            # in the RSSI's name whoever requests the session.
            self.sudo()._dm_set_state(
                "authorised",
                {
                    "agreement_id": agreement.id,
                    "authorised_by_id": agreement.sudo().approved_by_id.id,
                },
            )
            self._dm_post_note(
                rt.msg(
                    _lt(
                        "Pre-authorised by agreement %(agreement)s (valid until "
                        "%(end)s)."
                    ),
                    agreement=agreement.sudo().display_name,
                    end=rt.date(agreement.sudo().date_end),
                )
            )
            return
        activity_type = self.env.ref("medical_device.mail_activity_type_dm_approval")
        deadline = (
            fields.Date.to_date(self.planned_start) if self.planned_start else today
        )
        rssi_users = self.env["dm.approval"]._role_members(
            "rssi", company=self.company_id
        )
        for user in rssi_users:
            if user == self.requested_by_id:
                continue
            # sudo: the requester may not assign activities to the RSSI; the
            # activity only points at the request.
            # In the RSSI's language, whoever requests.
            self.sudo()._dm_activity_schedule(
                user,
                summary=rt.msg(
                    _lt("Authorise remote maintenance: %(device)s"),
                    device=self.equipment_id.display_name,
                ),
                note=self.reason,
                activity_type_id=activity_type.id,
                date_deadline=max(deadline, today),
            )

    def _request_activities(self):
        activity_type = self.env.ref("medical_device.mail_activity_type_dm_approval")
        # sudo: the activities belong to every member of the RSSI group.
        return self.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )

    # ------------------------------------------------------------ decisions
    def action_authorise(self):
        # The role first, then the step (a decided session is not decided again).
        self._dm_check_transition("authorised")
        self._dm_check_step({"requested"}, self.env._("authorise"))
        for session in self:
            # Four eyes: compared with the real user, so sudo or an
            # administrator account does not bypass it.
            if session.requested_by_id == self.env.user:
                raise AccessError(
                    self.env._(
                        "You requested %(session)s: another RSSI must authorise it "
                        "(four-eyes principle).",
                        session=session.display_name,
                    )
                )
            self._check_channel(session.equipment_id, session.channel)
            session._dm_set_state("authorised")
            # Removed, not marked done: the note below says who authorised, in
            # each reader's language.
            session._request_activities().unlink()
            session._dm_post_note(
                rt.msg(_lt("Authorised by %(user)s."), user=self.env.user.name)
            )
        return True

    def action_refuse(self, reason=None):
        self._dm_check_transition("refused")
        self._dm_check_step({"requested", "authorised"}, self.env._("refuse"))
        for session in self:
            why = (reason or session.refusal_reason or "").strip()
            if not why:
                raise UserError(
                    self.env._(
                        "Say why in the refusal reason to refuse %(session)s.",
                        session=session.display_name,
                    )
                )
            session._dm_set_state("refused", {"refusal_reason": why})
            session._request_activities().unlink()
            session._dm_post_note(
                rt.msg(
                    _lt("Refused by %(user)s: %(reason)s"),
                    user=self.env.user.name,
                    reason=why,
                )
            )
        return True

    # ------------------------------------------------------------ log
    def _check_agreement_still_valid(self):
        self.ensure_one()
        agreement = self.sudo().agreement_id
        if not agreement:
            return
        today = fields.Date.context_today(self)
        if not agreement._is_valid_on(today):
            raise UserError(
                self.env._(
                    "Session %(session)s was pre-authorised by agreement "
                    "%(agreement)s, which is no longer in force (%(state)s, valid "
                    "%(start)s to %(end)s): ask the RSSI for a new authorisation.",
                    session=self.display_name,
                    agreement=agreement.display_name,
                    state=agreement._dm_state_label(),
                    start=agreement.date_start,
                    end=agreement.date_end,
                )
            )

    def action_start(self):
        self._dm_check_step({"authorised"}, self.env._("start"))
        self._dm_check_transition("in_progress")
        for session in self:
            self._check_channel(session.equipment_id, session.channel)
            session._check_agreement_still_valid()
            session._dm_set_state("in_progress", {"start": fields.Datetime.now()})
            session._log_on_device("start")
        return True

    def action_end(self, summary=None):
        self._dm_check_step({"in_progress"}, self.env._("end"))
        self._dm_check_transition("done")
        for session in self:
            done = (summary or session.summary or "").strip()
            if not done:
                raise UserError(
                    self.env._(
                        "Say what was done in the summary to end %(session)s.",
                        session=session.display_name,
                    )
                )
            session._dm_set_state(
                "done", {"end": fields.Datetime.now(), "summary": done}
            )
            session._log_on_device("end")
        return True

    def _format_duration(self):
        minutes = round(self.duration * 60)
        return f"{minutes // 60}:{minutes % 60:02d}"

    def _log_on_device(self, event):
        """Post the session on the device's chatter: the device keeps the log."""
        self.ensure_one()
        if self.agreement_id:
            authorisation = rt.msg(
                _lt("pre-authorised by agreement %(agreement)s"),
                agreement=self.sudo().agreement_id.display_name,
            )
        else:
            authorisation = rt.msg(
                _lt("authorised by %(user)s"), user=self.authorised_by_id.name
            )
        values = {
            "session": self.name,
            "user": self.env.user.name,
            "supplier": self.supplier_id.display_name or "-",
            "technician": self.technician_name,
            "channel": rt.selection(
                "maintenance.equipment", "remote_maintenance_channel", self.channel
            )
            or rt.msg(_lt("not set")),
            "reason": self.reason,
            "authorisation": authorisation,
        }
        if event == "start":
            text = rt.msg(
                _lt(
                    "Remote maintenance %(session)s started by %(user)s: supplier "
                    "%(supplier)s, technician %(technician)s, via %(channel)s "
                    "(%(authorisation)s). Reason: %(reason)s"
                ),
                **values,
            )
        else:
            text = rt.msg(
                _lt(
                    "Remote maintenance %(session)s ended by %(user)s after "
                    "%(duration)s (h:mm): supplier %(supplier)s, technician "
                    "%(technician)s, via %(channel)s. Reason: %(reason)s. Done: "
                    "%(summary)s"
                ),
                duration=self._format_duration(),
                summary=self.summary,
                **values,
            )
        # sudo: a technician logging a session may not write on the device; the
        # note only records what happened.
        self.equipment_id.sudo()._dm_post_note(text)

    def action_open_device(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "maintenance.equipment",
            "res_id": self.equipment_id.id,
            "view_mode": "form",
        }
