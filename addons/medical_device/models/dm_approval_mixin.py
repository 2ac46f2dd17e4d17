import hashlib

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.safe_eval import safe_eval
from odoo.tools.translate import LazyTranslate

from ..tools import approval_values, checklist
from ..tools import reader_text as rt

_lt = LazyTranslate(__name__)


class DmApprovalMixin(models.AbstractModel):
    """Approvals by medical device roles, for any model.

    The rules are ``dm.approval.rule`` records (shipped as data, editable by
    an administrator): which step (the transition it gates) needs which
    group, under which condition (a domain), and which fields the reviewer
    approves. The gated transition calls ``_dm_check_approvals(step)``; a
    change of approved fields re-opens the approval, requested again by the
    user who changed them. Names follow OCA base_tier_validation
    (``validation_status``, request / validate / reject).
    """

    _name = "dm.approval.mixin"
    _description = "Approvals by medical device roles"

    approval_ids = fields.One2many(
        "dm.approval",
        "res_id",
        string="Approvals",
        domain=lambda self: [("res_model", "=", self._name)],
    )
    validation_status = fields.Selection(
        [
            ("no", "No approval needed"),
            ("waiting", "To request"),
            ("pending", "Pending"),
            ("rejected", "Rejected"),
            ("validated", "Approved"),
        ],
        compute="_compute_validation_status",
        help="Approvals needed for the next step of this document.",
    )

    dm_review_line_ids = fields.Many2many(
        "dm.approval",
        string="Approvals to decide",
        compute="_compute_dm_review_line_ids",
        help="The pending approvals of this document that you may decide.",
    )

    @api.depends("approval_ids.state")
    @api.depends_context("uid")
    def _compute_dm_review_line_ids(self):
        Approval = self.env["dm.approval"]
        ids = [record.id for record in self if record._origin.id]
        lines = (
            Approval.search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", [record._origin.id for record in self]),
                    ("can_review", "=", True),
                ]
            )
            if ids
            else Approval
        )
        by_doc = lines.grouped("res_id")
        for record in self:
            record.dm_review_line_ids = by_doc.get(record._origin.id, Approval)

    # ------------------------------------------------------------ rules
    def _dm_approval_rules(self):
        """Rules of this model, read from the ``dm.approval.rule`` records: a
        list of dicts with keys ``id``, ``key``, ``step``, ``step_label``,
        ``name``, ``group_id``, ``role``, ``fields`` (approved field names: a
        change re-opens the line), ``summary_fields`` (what the reviewer is
        shown), ``domain`` (when the approval is needed), ``condition_fields``
        and ``four_eyes``. Do not modify the dicts (they are cached)."""
        return self.env["dm.approval.rule"]._rules_of(self._name)

    def _dm_rule(self, rule_key):
        return next(
            (rule for rule in self._dm_approval_rules() if rule["key"] == rule_key),
            None,
        )

    def _dm_rule_applies(self, rule):
        """Does the rule's condition (a domain) match this record?"""
        self.ensure_one()
        domain = safe_eval(rule["domain"], {"uid": self.env.uid})
        # sudo: the condition is the rule's, whatever the user may read.
        return not domain or bool(self.sudo().filtered_domain(domain))

    def _dm_next_step(self):
        """The step whose approvals the status reflects; None: every step;
        False: no step ahead, only the approvals already requested count (a
        re-opened review, for instance)."""
        return None

    def _dm_applicable_rules(self, step=None):
        self.ensure_one()
        return [
            rule
            for rule in self._dm_approval_rules()
            if (step is None or rule["step"] == step) and self._dm_rule_applies(rule)
        ]

    def _dm_current_line(self, rule_key):
        """The latest active approval line of a rule (None if never requested)."""
        self.ensure_one()
        if not self._origin.id:  # a record being created in a form
            return None
        # sudo: the gate reads the approvals whoever asks for the transition.
        line = (
            self.env["dm.approval"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "=", self._origin.id),
                    ("rule_key", "=", rule_key),
                ],
                order="id desc",
                limit=1,
            )
        )
        return line.sudo(False) or None

    def _dm_fingerprint(self, rule):
        values = []
        for fname in rule["fields"]:
            value = self[fname]
            if isinstance(value, models.BaseModel):
                value = value.ids
            values.append(f"{fname}={value!r}")
        return hashlib.sha256("\n".join(values).encode()).hexdigest()

    def _dm_data_values(self, rule):
        """The values shown to the reviewer, raw (field name -> JSON value):
        the line renders them in each reader's language."""
        self.ensure_one()
        return {
            fname: approval_values.raw_value(self, fname)
            for fname in rule.get("summary_fields") or rule["fields"]
        }

    def _dm_summary(self, rule):
        """The values shown to the reviewer, as text in the current language."""
        values = self._dm_data_values(rule)
        Approval = self.env["dm.approval"]
        return "\n".join(
            Approval._dm_value_row(
                self._fields[fname].get_description(self.env)["string"],
                approval_values.render_value(self, fname, value),
            )
            for fname, value in values.items()
        )

    def _dm_approval_risk(self):
        """The risk level shown next to an approval of this document: the
        cyber risk, else the PIEU criticality, of the document or its device."""
        self.ensure_one()
        device = self.env["maintenance.equipment"]
        if "equipment_id" in self._fields:
            device = self.equipment_id
        for record in (self, device):
            if not record:
                continue
            for fname in ("cyber_risk_level", "pieu_criticality"):
                if fname in record._fields and record[fname]:
                    field = record._fields[fname]
                    return dict(field._description_selection(self.env)).get(
                        record[fname]
                    )
        return False

    # ------------------------------------------------------------ status
    def _dm_rule_status(self, rule):
        """missing, pending, approved, rejected, or changed: the data differ
        from what was requested (checked in every state, so a change made
        behind the engine's back never passes the gate)."""
        line = self._dm_current_line(rule["key"])
        if not line:
            return "missing"
        # sudo: the fingerprint covers the data, whatever the user may read.
        if line.state != "rejected" and (
            self.sudo()._dm_fingerprint(rule) != line.sudo().data_fingerprint
        ):
            return "changed"
        return line.state

    @api.depends("approval_ids.state")
    def _compute_validation_status(self):
        for record in self:
            step = record._dm_next_step()
            rules = record._dm_applicable_rules(step or None)
            states = {record._dm_rule_status(rule) for rule in rules}
            if step is False:
                states.discard("missing")
                rules = rules if states else []
            if not rules:
                record.validation_status = "no"
            elif "rejected" in states:
                record.validation_status = "rejected"
            elif "missing" in states or "changed" in states:
                record.validation_status = "waiting"
            elif "pending" in states:
                record.validation_status = "pending"
            else:
                record.validation_status = "validated"

    def _dm_approvals_checklist(self, step):
        """The approvals ``step`` needs, one ``tools.checklist`` item each:
        met once approved (on the data as it is now)."""
        self.ensure_one()
        status_labels = {
            "missing": self.env._("not requested"),
            "pending": self.env._("pending"),
            "rejected": self.env._("rejected"),
            "changed": self.env._("data changed since the request"),
            "approved": self.env._("approved"),
        }
        roles = dict(
            self.env["dm.approval"]._fields["role"]._description_selection(self.env)
        )
        items = []
        for rule in self._dm_applicable_rules(step):
            status = self._dm_rule_status(rule)
            items.append(
                checklist.item(
                    self.env._(
                        "the approval of %(approval)s by the %(role)s (%(status)s)",
                        approval=rule["name"],
                        role=roles.get(rule["role"])
                        # sudo: the group's name, for anyone the gate stops.
                        or self.env["res.groups"].sudo().browse(rule["group_id"]).name,
                        status=status_labels[status],
                    ),
                    status == "approved",
                    "approval_ids",
                )
            )
        return items

    def _dm_approvals_missing(self, step):
        """What still blocks ``step``: one readable line per approval."""
        return checklist.missing(self._dm_approvals_checklist(step))

    def _dm_decision_blockers(self, rule_key):
        """Why the current user may not decide now the approval of
        ``rule_key`` (not pending, another role, four eyes, data changed):
        the engine's own refusal, empty when they may."""
        self.ensure_one()
        line = self._dm_current_line(rule_key)
        if not line:
            return [
                self.env._(
                    "%(document)s has no pending approval to decide.",
                    document=self.display_name,
                )
            ]
        error = line._cannot_decide()
        return [error.args[0]] if error else []

    def _dm_check_approvals(self, step):
        for record in self:
            missing = record._dm_approvals_missing(step)
            if missing:
                raise UserError(
                    self.env._(
                        "%(document)s is waiting for %(missing)s.",
                        document=record.display_name,
                        missing="; ".join(missing),
                    )
                )

    # ------------------------------------------------------------ requests
    def _dm_create_line(self, rule):
        self.ensure_one()
        company = self["company_id"] if "company_id" in self._fields else False
        # sudo: approval lines are closed to clients; they are only created here.
        line = (
            self.env["dm.approval"]
            .sudo()
            .create(
                {
                    "name": rule["name"],
                    "res_model": self._name,
                    "res_id": self.id,
                    "company_id": company.id if company else False,
                    "rule_key": rule["key"],
                    "rule_id": rule.get("id") or False,
                    "group_id": rule.get("group_id") or False,
                    "step": rule["step"],
                    "step_label": rule.get("step_label"),
                    "role": rule["role"],
                    "requested_by_id": self.env.uid,
                    "requested_on": fields.Datetime.now(),
                    "data_values": self._dm_data_values(rule),
                    "data_fingerprint": self.sudo()._dm_fingerprint(rule),
                }
            )
            .sudo(False)
        )
        line._schedule_activities()
        return line

    def action_request_approvals(self, step=None):
        """Request every approval the document needs and does not have yet
        (never requested, rejected, or whose data changed since the request).
        Only a user who may write the document requests; a reviewer who only
        reads it may request the approvals of their own group (a DPO asks
        another DPO)."""
        for record in self:
            record._dm_request_approvals(step, record._dm_requestable_groups(step))
        return True

    def _dm_requestable_groups(self, step=None):
        """None: every rule may be requested (write access); else the ids of
        the user's groups, whose rules only may be requested. A user who
        only reads the document and decides none of its approvals (an
        auditor) is refused."""
        self.ensure_one()
        try:
            self.check_access("write")
        except AccessError:
            # A reviewer who only reads: the document must be readable to them
            # (not another company's).
            self.check_access("read")
            groups = set(self.env.user._get_group_ids())
            if not any(
                rule["group_id"] in groups for rule in self._dm_applicable_rules(step)
            ):
                raise
            return groups
        return None

    def _dm_request_approvals(self, step=None, groups=None):
        """The engine's request, without the requester's access check (the
        workflow calls it after its own checks)."""
        for record in self:
            requested = self.env["dm.approval"]
            for rule in record._dm_applicable_rules(step):
                if groups is not None and rule["group_id"] not in groups:
                    continue
                status = record._dm_rule_status(rule)
                if status in ("pending", "approved"):
                    continue
                current = record._dm_current_line(rule["key"])
                if current:
                    # A reviewer deciding it at the same time: see _decide.
                    current._dm_lock()
                    # sudo: archiving keeps the rejected or outdated line as
                    # history.
                    current._close_activities()
                    current.sudo().write(
                        {
                            "active": False,
                            "superseded_reason": self.env._("New request")
                            if status == "rejected"
                            else self.env._("Approved data changed"),
                        }
                    )
                requested |= record._dm_create_line(rule)
            if requested:
                # sudo: the engine's notes are posted for readers too (a DPO
                # may request or decide without write access to the device).
                record.sudo()._dm_post_note(
                    rt.msg(
                        _lt("Approval requested: %(approvals)s."),
                        approvals=rt.join(
                            rt.msg(
                                _lt("%(approval)s (%(role)s)"),
                                approval=line._dm_name_spec(),
                                role=line._dm_role_spec(),
                            )
                            for line in requested
                        ),
                    )
                )
        return True

    # ------------------------------------------------------------ reset on change
    def write(self, vals):
        result = super().write(vals)
        self._dm_refresh_approvals(set(vals))
        return result

    def _dm_refresh_approvals(self, changed):
        """A line whose approved data changed, pending or approved, is
        re-opened: archived as history and requested again by the user who
        changed the data (so four eyes keeps them from deciding on it); a
        pending line only follows the fields shown to the reviewer; a line
        whose rule no longer applies is withdrawn."""
        rules = [
            rule
            for rule in self._dm_approval_rules()
            if changed
            & set(rule["fields"] + rule["summary_fields"] + rule["condition_fields"])
        ]
        if not rules:
            return
        for record in self:
            for rule in rules:
                current = record._dm_current_line(rule["key"])
                if not current or current.state == "rejected":
                    continue
                # A reviewer deciding it at the same time: see _decide.
                current._dm_lock()
                if not record._dm_rule_applies(rule):
                    if current.state == "pending":
                        current._close_activities()
                        # sudo: withdrawing keeps the line as history.
                        current.sudo().write(
                            {
                                "active": False,
                                "superseded_reason": self.env._("No longer required"),
                            }
                        )
                    continue
                # sudo: the fingerprint covers the data, whatever the user reads.
                fingerprint = record.sudo()._dm_fingerprint(rule)
                if fingerprint != current.sudo().data_fingerprint:
                    record._dm_reopen_approval(
                        rule,
                        rt.msg(
                            _lt("the approved data changed (%(fields)s)"),
                            fields=rt.field_labels(
                                record._name,
                                [f for f in rule["fields"] if f in changed],
                            ),
                        ),
                    )
                elif current.state == "pending":
                    # sudo: the pending request shows the current values.
                    current.sudo().write({"data_values": record._dm_data_values(rule)})

    def _dm_reopen_approval(self, rule, why):
        """Send the line of ``rule`` (approved or pending) back to pending: it
        is archived as history and a new request, by the current user,
        replaces it, with a note saying why."""
        self.ensure_one()
        current = self._dm_current_line(rule["key"])
        if not current or current.state == "rejected":
            return None
        current._dm_lock()
        current._close_activities()
        # sudo: the line stays as history, archived.
        current.sudo().write(
            {"active": False, "superseded_reason": self.env._("Approved data changed")}
        )
        new_line = self._dm_create_line(rule)
        # sudo: see action_request_approvals.
        self.sudo()._dm_post_note(
            rt.msg(
                _lt("The %(role)s approval of %(approval)s is pending again: %(why)s."),
                role=new_line._dm_role_spec(),
                approval=new_line._dm_name_spec(),
                why=why,
            )
        )
        return new_line

    # ------------------------------------------------------------ hooks
    def _dm_before_approval(self, line):
        """Raise to refuse an approval the document is not ready for."""

    def _dm_after_approval_decision(self, line):
        spec = rt.msg(
            _lt("%(approval)s: %(state)s by %(user)s (%(role)s)."),
            approval=line._dm_name_spec(),
            state=rt.selection(line._name, "state", line.state),
            user=self.env.user.name,
            role=line._dm_role_spec(),
        )
        if line.comment:
            spec = rt.join([spec, line.comment], sep="\n")
        # sudo: the reviewer may only read the document (see action_request_approvals).
        self.sudo()._dm_post_note(spec)
