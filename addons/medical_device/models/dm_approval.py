from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import plaintext2html

from ..tools import reader_text as rt
from .dm_workflow_mixin import ORM_FIELDS

# Decision fields are written only by the engine's own methods, in sudo, after
# their checks: never by a client's write(), and no longer once the line is
# decided, even by the superuser.
DECISION_FIELDS = {
    "state",
    "reviewer_id",
    "reviewed_on",
    "requested_by_id",
    "requested_on",
    "res_model",
    "res_id",
    "role",
    "step",
    "rule_key",
    "rule_id",
    "group_id",
    "data_fingerprint",
    "data_values",
}
# A reminder digest lists this many approvals, then says how many more wait.
REMINDER_DIGEST_LINES = 20


# The decision of a line (who, when, what, why) and its supersession: the
# audit trail kept in the approved document's chatter.
TRACKED_DECISION_FIELDS = (
    "state",
    "reviewer_id",
    "reviewed_on",
    "comment",
    "active",
    "superseded_reason",
)


class DmApproval(models.Model):
    """One required sign-off on a record: a role approves or rejects one step."""

    _name = "dm.approval"
    _description = "Medical device approval"
    _inherit = ["dm.document.tracking", "dm.workflow.mixin"]
    _order = "requested_on desc, id desc"
    # Its tracked reason is one of the engine's texts, shown in the reader's
    # language (see mail.tracking.value).
    _dm_reader_char_fields = ("superseded_reason", "name")
    _rec_name = "name"
    # The decision and its supersession, in the document's chatter.
    _dm_document_tracked_fields = TRACKED_DECISION_FIELDS

    # The workflow (see dm.workflow.mixin): the engine creates the lines (in
    # sudo: no client creates one, no context default reaches them), decides
    # them in _decide() after its checks (the deciding group, four eyes, the
    # data) and archives them; a decided line is frozen, and kept.
    _dm_transitions = {("pending", "approved"): (), ("pending", "rejected"): ()}
    _dm_create_states = ()
    _dm_frozen_states = ("approved", "rejected")
    _dm_deletable_states = ()

    name = fields.Char(string="Approval", required=True, readonly=True)
    res_model = fields.Char(
        string="Document model", required=True, readonly=True, index=True
    )
    res_id = fields.Many2oneReference(
        string="Document",
        model_field="res_model",
        required=True,
        readonly=True,
        index=True,
    )
    res_name = fields.Char(string="Document name", compute="_compute_res_name")
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    rule_key = fields.Char(required=True, readonly=True)
    rule_id = fields.Many2one(
        "dm.approval.rule",
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    step = fields.Char(
        required=True, readonly=True, help="Technical key of the transition it gates."
    )
    step_label = fields.Char(string="Gates", readonly=True)
    role = fields.Selection(
        [
            ("dpo", "DPO"),
            ("rssi", "RSSI"),
            ("biomed_engineer", "Biomedical engineer"),
        ],
        readonly=True,
        index=True,
        help="The medical device role of the deciding group (empty for a group of "
        "a hospital's own rule).",
    )
    group_id = fields.Many2one(
        "res.groups",
        string="Decided by",
        readonly=True,
        index=True,
        ondelete="restrict",
        help="Its members decide, as the rule said when the approval was requested.",
    )
    state = fields.Selection(
        [("pending", "Pending"), ("approved", "Approved"), ("rejected", "Rejected")],
        default="pending",
        required=True,
        readonly=True,
        index=True,
    )
    requested_by_id = fields.Many2one("res.users", string="Requested by", readonly=True)
    requested_on = fields.Datetime(readonly=True, default=fields.Datetime.now)
    reviewer_id = fields.Many2one("res.users", string="Reviewed by", readonly=True)
    reviewed_on = fields.Datetime(readonly=True)
    comment = fields.Text(
        readonly=True, help="The reviewer's comment; required to reject."
    )
    data_fingerprint = fields.Char(readonly=True)
    active = fields.Boolean(
        default=True,
        readonly=True,
        help="Superseded approvals are archived and kept as history.",
    )
    superseded_reason = fields.Char(readonly=True)
    activity_ids = fields.Many2many("mail.activity", string="Activities", readonly=True)
    last_reminder_on = fields.Datetime(readonly=True)
    can_review = fields.Boolean(
        compute="_compute_can_review", search="_search_can_review"
    )

    # ------------------------------------------------------------ roles
    @api.model
    def _role_groups(self):
        """Group (xml id) whose members decide for each role; addons extend it."""
        return {
            "dpo": "medical_device.group_dm_dpo",
            "rssi": "medical_device.group_dm_rssi",
            "biomed_engineer": "medical_device.group_dm_engineer",
        }

    @api.model
    def _group_roles(self):
        """Role of each group id (the reverse of ``_role_groups``)."""
        roles = {}
        for role, xmlid in self._role_groups().items():
            group = self.env.ref(xmlid, raise_if_not_found=False)
            if group:
                roles[group.id] = role
        return roles

    @api.model
    def _role_members(self, role, company=None):
        return self._group_members(self._role_groups()[role], company=company)

    def _members(self):
        """Active internal members of the line's deciding group who work for
        the document's company."""
        self.ensure_one()
        return self._active_members(self.group_id, self.company_id)

    @api.model
    def _group_members(self, group_xmlid, company=None):
        """Active internal members of a group (xml id), to notify or assign;
        with ``company``, only those who work for it (a user of another
        hospital never hears of its documents)."""
        return self._active_members(self.env.ref(group_xmlid), company)

    @api.model
    def _active_members(self, group, company=None):
        # sudo: whoever triggers the notification may not read the group members.
        members = group.sudo().all_user_ids.filtered(lambda u: u.active and not u.share)
        return self._users_of_company(members, company).sudo(False)

    @api.model
    def _users_of_company(self, users, company):
        """The ``users`` who work for ``company`` (all of them without one). The
        main company is read with the user, the others only when it differs."""
        if not company:
            return users
        return users.filtered(
            lambda u: u.company_id == company or company in u.company_ids
        )

    # ------------------------------------------------------------ computes
    @api.depends("res_model", "res_id")
    def _compute_res_name(self):
        # One existence check per document model, not per line (list views).
        ids_by_model = {}
        for line in self:
            ids_by_model.setdefault(line.res_model, []).append(line.res_id)
        names = {}
        for res_model, ids in ids_by_model.items():
            if res_model not in self.env:
                continue
            # sudo: the name of the document is shown to whoever sees the line
            for record in self.env[res_model].sudo().browse(ids).exists():
                names[res_model, record.id] = record.display_name
        for line in self:
            line.res_name = names.get((line.res_model, line.res_id), False)

    @api.depends_context("uid")
    def _compute_can_review(self):
        for line in self:
            line.can_review = not line._cannot_decide()

    def _search_can_review(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on 'can review'."))
        domain = Domain(
            [
                ("state", "=", "pending"),
                ("active", "=", True),
                ("group_id", "in", list(self.env.user._get_group_ids())),
                "|",
                ("requested_by_id", "!=", self.env.uid),
                ("rule_id.four_eyes", "=", False),
            ]
        )
        return domain if (operator == "=") == value else ~domain

    # ------------------------------------------------------------ CRUD
    @api.model
    def _dm_complete_create_vals(self, vals):
        self._fill_from_rule(vals)

    @api.model
    def _fill_from_rule(self, vals):
        """Lines written as data (demo, imports) name their rule by key: link
        the rule record and take its deciding group."""
        Rule = self.env["dm.approval.rule"].with_context(active_test=False)
        rule = Rule.browse(vals.get("rule_id"))
        if not rule and vals.get("res_model") and vals.get("rule_key"):
            rule = Rule.search(
                [("model", "=", vals["res_model"]), ("key", "=", vals["rule_key"])],
                limit=1,
            )
            vals["rule_id"] = rule.id
        if rule and not vals.get("group_id"):
            vals["group_id"] = rule.group_id.id
        if rule and not vals.get("role"):
            vals["role"] = rule.role
        record = (
            self.env[vals["res_model"]].browse(vals.get("res_id")).exists()
            if rule and vals.get("res_model") in self.env
            else None
        )
        if record and "data_fingerprint" not in vals:
            # The data as they are when the line is written.
            vals["data_fingerprint"] = record._dm_fingerprint(
                record._dm_rule(rule.key) or {"fields": []}
            )
        if record and "data_values" not in vals and record._dm_rule(rule.key):
            vals["data_values"] = record._dm_data_values(record._dm_rule(rule.key))
        if not vals.get("group_id") and vals.get("role"):
            group = self.env.ref(self._role_groups()[vals["role"]])
            vals["group_id"] = group.id

    def write(self, vals):
        # Its own rule (clients are refused every field by the workflow): a
        # decided line is frozen for the superuser too (the engine, a data fix).
        decided = self.filtered(lambda line: line.state != "pending")
        if decided and set(vals) & (DECISION_FIELDS | {"comment"}):
            raise UserError(
                self.env._(
                    "%(approval)s is already decided and cannot change; request a "
                    "new approval instead.",
                    approval=", ".join(decided.mapped("display_name")),
                )
            )
        return super().write(vals)

    @api.model
    def _dm_client_protected_fields(self):
        # The decision and everything else: nothing of a line is a client's.
        return set(self._fields) - ORM_FIELDS

    @api.model
    def _dm_no_create_message(self):
        return self.env._("Approvals are requested from the document, not created.")

    def _dm_protected_message(self, fnames):
        return self.env._(
            "An approval is decided with its Approve and Reject actions; it "
            "cannot be edited."
        )

    def _dm_history_message(self, reasons):
        return self.env._("Approvals are part of the history: they cannot be deleted.")

    def _dm_changed_meanwhile_text(self, before):
        for line in self.exists():
            if line.state == "approved":
                return self.env._(
                    "%(approval)s was approved by %(user)s meanwhile: the decision "
                    "stands. Reload the page to see it.",
                    approval=line.display_name,
                    user=line.reviewer_id.name,
                )
            if line.state == "rejected":
                return self.env._(
                    "%(approval)s was rejected by %(user)s meanwhile: the decision "
                    "stands. Reload the page to see it.",
                    approval=line.display_name,
                    user=line.reviewer_id.name,
                )
            if not line.active:
                return self.env._(
                    "%(approval)s was withdrawn meanwhile (%(reason)s): it can no "
                    "longer be decided. Reload the page.",
                    approval=line.display_name,
                    reason=line.superseded_reason or self.env._("superseded"),
                )
        return super()._dm_changed_meanwhile_text(before)

    # ------------------------------------------------------------ helpers
    def _dm_tracking_document(self):
        # sudo: the trail is kept whatever the user may read of the document.
        record = self.sudo()._record()
        return record if record is not None and "message_ids" in record else None

    def _record(self):
        self.ensure_one()
        if not self.res_model or self.res_model not in self.env:
            return None
        return self.env[self.res_model].browse(self.res_id).exists()

    @api.model
    def _dm_reader_tracked_text(self, fname, stored):
        """A tracked name of a line (its rule's, stored in the requester's
        language) in the reader's; ``None`` for the other fields."""
        if fname != "name":
            return None
        self.env.cr.execute(
            "SELECT r.id FROM dm_approval_rule r, jsonb_each_text(r.name) t "
            "WHERE t.value = %s ORDER BY r.id LIMIT 1",
            [stored],
        )
        row = self.env.cr.fetchone()
        # sudo: the rule's name only, for whoever reads the line's trail.
        return self.env["dm.approval.rule"].sudo().browse(row[0]).name if row else None

    def _dm_role_spec(self):
        """The line's role as a reader text (see ``tools/reader_text.py``)."""
        self.ensure_one()
        if self.role:
            return rt.selection(self._name, "role", self.role)
        # sudo: the group's name only.
        group = self.group_id.sudo()
        return rt.group(group.id) if group else ""

    def _dm_name_spec(self):
        """The line's name (its rule's, in the reader's language) as a reader
        text."""
        self.ensure_one()
        return rt.record(self._name, self.id, self.name)

    def _role_label(self):
        if self.role:
            return dict(self._fields["role"]._description_selection(self.env))[
                self.role
            ]
        return self.group_id.sudo().name or ""

    def _four_eyes(self):
        # sudo: the rule's setting applies whoever decides.
        return self.rule_id.sudo().four_eyes if self.rule_id else True

    def _data_changed(self):
        """The document's approved data differ from what was requested."""
        self.ensure_one()
        record = self._record()
        if not record or self.state == "rejected":
            return False
        rule = record._dm_rule(self.rule_key)
        # sudo: the fingerprint covers the data, whatever the user may read.
        return bool(rule) and (
            record.sudo()._dm_fingerprint(rule) != self.data_fingerprint
        )

    def _cannot_decide(self):
        """Why the current user may not decide on this line, as the exception
        to raise (None: may decide)."""
        self.ensure_one()
        if not self.active:
            return UserError(
                self.env._(
                    "%(approval)s was withdrawn (%(reason)s): it can no longer be "
                    "decided.",
                    approval=self.display_name,
                    reason=self.superseded_reason or self.env._("superseded"),
                )
            )
        if self.state != "pending":
            return UserError(
                self.env._(
                    "%(approval)s is already decided; request a new approval instead.",
                    approval=self.display_name,
                )
            )
        if not self.group_id or self.group_id.id not in self.env.user._get_group_ids():
            return AccessError(
                self.env._(
                    "Only a member of the %(role)s group can decide on %(approval)s.",
                    role=self._role_label(),
                    approval=self.display_name,
                )
            )
        # Four eyes: compared with the real user, so sudo or an administrator
        # account does not bypass it.
        if self._four_eyes() and self.requested_by_id == self.env.user:
            return AccessError(
                self.env._(
                    "You requested %(approval)s: someone else must decide on it "
                    "(four-eyes principle).",
                    approval=self.display_name,
                )
            )
        if self._data_changed():
            return UserError(
                self.env._(
                    "The data of %(approval)s changed since it was requested: "
                    "request the approval again.",
                    approval=self.display_name,
                )
            )
        return None

    # ------------------------------------------------------------ decisions
    def _check_can_decide(self):
        for line in self:
            error = line._cannot_decide()
            if error:
                raise error

    def _decide(self, state, comment):
        # Two reviewers deciding the same line, or a decision racing a change
        # of its document (cancelled, edited): the lines, then their
        # documents, are locked before the checks read them; the second
        # transaction waits for the first, then is told what it did.
        self._dm_lock()
        for line in self:
            record = line._record()
            if record and hasattr(record, "_dm_lock"):
                record._dm_lock()
        self._check_can_decide()
        for line in self:
            record = line._record()
            if record and state == "approved":
                record._dm_before_approval(line)
            # The reviewer is given with the decision (not stamped after it):
            # the decided line is frozen, for the superuser too.
            line._dm_set_state(
                state,
                {
                    "reviewer_id": self.env.uid,
                    "reviewed_on": fields.Datetime.now(),
                    "comment": comment or False,
                },
            )
            line._close_activities()
            if record:
                record._dm_after_approval_decision(line)

    def action_approve(self, comment=None):
        self._decide("approved", comment)
        return True

    def action_reject(self, comment=None):
        # The role first, then the comment: a user who may not decide is told
        # so, whatever the call's arguments.
        self._check_can_decide()
        if not (comment or "").strip():
            raise UserError(self.env._("Say why in a comment to reject an approval."))
        self._decide("rejected", comment)
        return True

    def action_open_reject_wizard(self):
        self._check_can_decide()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject"),
            "res_model": "dm.approval.reject.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_approval_ids": self.ids, "default_decision": "reject"},
        }

    def action_open_approve_wizard(self):
        """Approve with an optional comment, after reading the data."""
        self._check_can_decide()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Approve"),
            "res_model": "dm.approval.reject.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_approval_ids": self.ids,
                "default_decision": "approve",
            },
        }

    def action_open_document(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------ activities
    def _schedule_activities(self):
        activity_type = self.env.ref("medical_device.mail_activity_type_dm_approval")
        for line in self:
            record = line._record()
            if not record or not hasattr(record, "activity_schedule"):
                continue
            activities = self.env["mail.activity"]
            for user in line._members():
                if user == line.requested_by_id:
                    continue
                # Written in the reviewer's language, not the requester's.
                in_lang = line.with_context(lang=user.lang or self.env.lang)
                # sudo: the requester may not be allowed to assign activities to
                # the reviewers' role; the activity only points at the record.
                activities |= record.sudo().activity_schedule(
                    activity_type_id=activity_type.id,
                    summary=in_lang.env._(
                        "Approval requested: %(approval)s",
                        approval=in_lang.display_name,
                    ),
                    note=plaintext2html(in_lang.data_summary or ""),
                    user_id=user.id,
                )
            line.sudo().activity_ids = activities

    def _close_activities(self):
        for line in self:
            # sudo: the activities belong to every member of the role.
            # Removed, not marked done: the decision's note says who approved,
            # in each reader's language; a "done" message would repeat the
            # request in the decider's language.
            line.sudo().activity_ids.exists().unlink()

    # ------------------------------------------------------------ reminders
    @api.model
    def _reminder_days(self):
        return int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("medical_device.approval_reminder_days", 3)
        )

    @api.model
    def _cron_remind_pending(self):
        """Remind each role once every N days about approvals pending > N days:
        one digest per role, not one message per document."""
        days = self._reminder_days()
        now = fields.Datetime.now()
        limit = now - timedelta(days=days)
        lines = self.search(
            [
                ("state", "=", "pending"),
                ("requested_on", "<", limit),
                "|",
                ("last_reminder_on", "=", False),
                ("last_reminder_on", "<", limit),
            ],
            order="requested_on, id",
        )
        # One digest per role and company: a hospital's pending approvals are
        # listed to its own reviewers only.
        by_role = lines.grouped(lambda line: (line.group_id, line.company_id))
        for role_lines in by_role.values():
            members = role_lines[0]._members()
            # Lines whose document was deleted have no name: nothing to review.
            role_lines = role_lines.filtered("res_name")
            if members and role_lines:
                role_lines._send_reminder_digest(members, days)
        # sudo: approval lines are closed to direct writes, the cron included.
        lines.sudo().write({"last_reminder_on": now})

    def _send_reminder_digest(self, members, days):
        """The reminder, in each member's language (one notification per
        language)."""
        for lang, readers in members.grouped(lambda u: u.lang or "en_US").items():
            self.with_context(lang=lang)._send_reminder_digest_in_lang(readers, days)

    def _send_reminder_digest_in_lang(self, members, days):
        role_label = self[0]._role_label()
        shown = self[:REMINDER_DIGEST_LINES]
        body = Markup("<p>%s</p><ul>%s</ul>") % (
            self.env._(
                "Approvals pending for more than %(days)s days (%(role)s):",
                days=days,
                role=role_label,
            ),
            Markup("").join(
                Markup("<li>%s — %s</li>") % (line.res_name, line.display_name)
                for line in shown
            ),
        )
        if len(self) > len(shown):
            body += Markup("<p>%s</p>") % self.env._(
                "and %(count)s more.", count=len(self) - len(shown)
            )
        body += Markup('<p><a href="/odoo/my-dm-approvals">%s</a></p>') % self.env._(
            "My approvals"
        )
        # sudo: the cron user notifies the role's group, not tied to one record.
        self.env["mail.thread"].sudo().message_notify(
            partner_ids=members.partner_id.ids,
            subject=self.env._(
                "Reminder: %(count)s approval(s) pending (%(role)s)",
                count=len(self),
                role=role_label,
            ),
            body=body,
        )
