from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools.translate import LazyTranslate

from ..tools import checklist, pieu
from ..tools import reader_text as rt
from ..tools.pieu import FIELDS as PIEU_FIELDS
from .dm_device_criticality_mixin import check_pieu_factors

_lt = LazyTranslate(__name__)

# The classic acceptance criteria of a PV de réception a person checks, in the
# order of the form.
RECEPTION_CRITERIA = (
    "check_risk_class",
    "check_ce_marking",
    "check_delivery",
    "check_accessories",
    "check_documentation",
    "check_warranty",
    "check_electrical_safety",
)
# The user training, read from the register of trained users (a training
# session of the device's model), never ticked: it ends the printed criteria.
TRAINING_CRITERION = "check_training_done"
REPORT_CRITERIA = (*RECEPTION_CRITERIA, TRAINING_CRITERION)


class DmReception(models.Model):
    _name = "dm.reception"
    _description = "Reception report (PV de réception)"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "dm.approval.mixin",
        "dm.workflow.mixin",
    ]
    _order = "reception_date desc, id desc"
    _check_company_auto = True

    # Decided through the approval engine only (biomedical engineer, four eyes):
    # the decision is closed to clients, and a decided report is frozen.
    _dm_transitions = {("draft", "accepted"): (), ("draft", "rejected"): ()}
    # The training comes from a session of the register, found by the server.
    _dm_protected_fields = (
        "decided_by_id",
        "decided_on",
        "check_training_done",
        "training_session_id",
    )
    # Tracked with the session's name in each reader's language.
    _dm_reader_record_fields = ("training_session_id",)
    _dm_frozen_states = ("accepted", "rejected")
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
        domain=[("is_medical_device", "=", True)],
    )
    company_id = fields.Many2one(
        related="equipment_id.company_id", store=True, index=True, precompute=True
    )
    reception_date = fields.Date(
        default=fields.Date.context_today, required=True, tracking=True
    )
    received_by_id = fields.Many2one(
        "res.users",
        string="Received by",
        default=lambda self: self.env.user,
        required=True,
        tracking=True,
    )
    supplier_id = fields.Many2one(related="equipment_id.partner_id", string="Supplier")
    serial_no = fields.Char(related="equipment_id.serial_no")
    dm_risk_class = fields.Selection(related="equipment_id.dm_risk_class")
    delivery_note_ref = fields.Char(string="Delivery note")
    warranty_end_date = fields.Date(string="Warranty until")

    check_risk_class = fields.Boolean(
        string="Risk class checked", help="The class on the label matches the order."
    )
    check_ce_marking = fields.Boolean(
        string="CE marking checked",
        help="CE mark, notified body number and certificate are present and valid.",
    )
    check_delivery = fields.Boolean(
        string="Delivery complete and undamaged",
    )
    check_accessories = fields.Boolean(string="Accessories complete")
    check_documentation = fields.Boolean(
        string="Documentation in French",
        help="User manual and technical documentation in French are delivered.",
    )
    check_warranty = fields.Boolean(string="Warranty conditions received")
    check_electrical_safety = fields.Boolean(
        string="Electrical safety and functional tests passed"
    )
    check_training_done = fields.Boolean(
        string="User training done",
        readonly=True,
        copy=False,
        tracking=True,
        help="Set from the register of trained users: a training session of the "
        "device's model, with attendees, valid today (one held for this device "
        "first). Kept as it was when the reception was decided.",
    )
    training_session_id = fields.Many2one(
        "dm.training.session",
        string="Training session",
        readonly=True,
        copy=False,
        tracking=True,
        ondelete="set null",
        check_company=True,
        help="The training session of the device's model that meets the "
        "reception's training criterion.",
    )

    pieu_p_id = fields.Many2one(
        "dm.pieu.level", string="P", domain=[("factor", "=", "p")]
    )
    pieu_i_id = fields.Many2one(
        "dm.pieu.level", string="I", domain=[("factor", "=", "i")]
    )
    pieu_e_id = fields.Many2one(
        "dm.pieu.level", string="E", domain=[("factor", "=", "e")]
    )
    pieu_u_id = fields.Many2one(
        "dm.pieu.level", string="U", domain=[("factor", "=", "u")]
    )
    notes = fields.Html()

    state = fields.Selection(
        [("draft", "To decide"), ("accepted", "Accepted"), ("rejected", "Rejected")],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
        index=True,
    )
    decided_by_id = fields.Many2one(
        "res.users", string="Decided by", readonly=True, copy=False, tracking=True
    )
    decided_on = fields.Datetime(readonly=True, copy=False)
    decision_comment = fields.Text(
        help="Required when the reception is rejected: what must be fixed."
    )
    can_decide = fields.Boolean(
        string="Can decide",
        compute="_compute_can_decide",
        help="The current user may accept or reject this report now: its "
        "acceptance is pending and they may decide it (their group, four eyes).",
    )

    _name_company_unique = models.Constraint(
        "UNIQUE (name, company_id)", "This reception report reference already exists."
    )

    @api.depends("state", "approval_ids.state")
    @api.depends_context("uid")
    def _compute_can_decide(self):
        """Shows Accept / Reject only to whom the engine lets decide, so the
        submitter does not meet a four-eyes error after the click."""
        for reception in self:
            line = reception.state == "draft" and reception._dm_current_line(
                "reception_acceptance"
            )
            reception.can_decide = bool(
                line and line.state == "pending" and line.sudo(False).can_review
            )

    @api.constrains(*PIEU_FIELDS)
    def _check_pieu_factors(self):
        check_pieu_factors(self)

    @api.model
    def _dm_complete_create_vals(self, vals):
        # The device's PIEU factors as a start, and the reference.
        if vals.get("equipment_id"):
            device = self.env["maintenance.equipment"].browse(vals["equipment_id"])
            for factor in PIEU_FIELDS:
                vals.setdefault(factor, device[factor].id)
        if not vals.get("name") or vals["name"] == self.env._("New"):
            vals["name"] = self.env["ir.sequence"].next_by_code("dm.reception") or "/"

    def _dm_protected_message(self, fnames):
        if set(fnames) & {"check_training_done", "training_session_id"}:
            return self.env._(
                "The user training of a reception comes from the register of "
                "trained users: record a training session of the device's model "
                "with its attendees."
            )
        return self.env._(
            "A reception is accepted or rejected with its Accept and Reject "
            "actions, by a biomedical engineer."
        )

    @api.model
    def _dm_create_state_message(self, state):
        return self.env._("A reception report is created to decide, not decided.")

    def _dm_history_message(self, reasons):
        return self.env._("A decided reception report is part of the device history.")

    def _dm_frozen_message(self, fnames):
        return self.env._(
            "Reception %(name)s is already decided and cannot be changed; "
            "create a new reception report instead.",
            name=self.name,
        )

    # ------------------------------------------------------------ approval
    def _criteria_checklist(self):
        """The acceptance criteria, one ``tools.checklist`` item each; the
        training's is met by a session of the register (see
        ``_dm_training_met``)."""
        self.ensure_one()
        return [
            *(
                checklist.item(
                    self._fields[name].get_description(self.env)["string"],
                    self[name],
                    name,
                )
                for name in RECEPTION_CRITERIA
            ),
            checklist.item(
                self.env._(
                    "a training session of the device's model with its attendees "
                    "(register of trained users)"
                ),
                self._dm_training_met(),
                "training_session_id",
            ),
        ]

    # ------------------------------------------------------------ training
    def _dm_find_training_session(self):
        """The training session that meets the reception's training criterion:
        a session held for the device or of its model (its company, its
        manufacturer when the session names one), active, with attendees, held
        today or before and still valid today; one held for this device first,
        then the latest. Read in sudo: the gate reads the register, whoever
        asks."""
        self.ensure_one()
        device = self.sudo().equipment_id
        Session = self.env["dm.training.session"].sudo()
        today = fields.Date.context_today(self)
        sessions = Session.search(
            device._dm_training_session_domain()
            & Domain("attendee_ids", "!=", False)
            & Domain("session_date", "<=", today)
            & (Domain("expiry_date", "=", False) | Domain("expiry_date", ">=", today))
        )
        if not sessions:
            return Session
        return sessions.sorted(
            lambda s: (s.equipment_id == device, s.session_date, s.id),
            reverse=True,
        )[:1]

    def _dm_training_met(self):
        """A draft reception reads the register now; a decided one keeps what
        it recorded when it was decided (its history)."""
        self.ensure_one()
        if self.state != "draft":
            return self.check_training_done
        return bool(self._dm_find_training_session())

    def _dm_refresh_training(self):
        """Record on the draft receptions the session that meets their
        training criterion (or none)."""
        for reception in self.sudo().filtered(lambda r: r.state == "draft"):
            session = reception._dm_find_training_session()
            if (
                reception.training_session_id != session
                or reception.check_training_done != bool(session)
            ):
                # sudo: the training is the server's reading of the register,
                # closed to clients.
                reception.write(
                    {
                        "training_session_id": session.id,
                        "check_training_done": bool(session),
                    }
                )

    def _dm_training_migration_note(self):
        """The note of a report to decide whose training box was ticked before
        the training came from the register (migration 19.0.2.3.0)."""
        return rt.msg(
            _lt(
                "The user training is now read from the register of trained "
                "users: the box ticked on this report no longer counts. Record "
                "the training session of the device's model with its attendees."
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        receptions = super().create(vals_list)
        receptions._dm_refresh_training()
        return receptions

    def _pieu_checklist_item(self):
        return checklist.item(
            self.env._("the four PIEU criticality values"),
            all(self[f] for f in PIEU_FIELDS),
            next((f for f in PIEU_FIELDS if not self[f]), PIEU_FIELDS[0]),
        )

    def _acceptance_checklist(self):
        """What the report needs to be accepted (``_dm_before_approval``):
        the criteria, then the four PIEU values."""
        return [*self._criteria_checklist(), self._pieu_checklist_item()]

    def _missing_criteria(self):
        return checklist.missing(self._criteria_checklist())

    def _dm_before_approval(self, line):
        if self.state != "draft":
            raise UserError(
                self.env._("Reception %(name)s is already decided.", name=self.name)
            )
        # The decision keeps the training recorded at submission (the approved
        # data); if the register changed since, the report is submitted again.
        if bool(self._dm_find_training_session()) != self.check_training_done:
            raise UserError(
                self.env._(
                    "The register of trained users changed since reception "
                    "%(name)s was submitted: submit it again.",
                    name=self.name,
                )
            )
        missing = self._missing_criteria()
        if missing:
            raise UserError(
                self.env._(
                    "Reception %(name)s cannot be accepted: these criteria are "
                    "not met: %(missing)s.",
                    name=self.name,
                    missing=", ".join(missing),
                )
            )
        if not self._pieu_checklist_item()["met"]:
            raise UserError(
                self.env._(
                    "Reception %(name)s cannot be accepted without the four PIEU "
                    "criticality values.",
                    name=self.name,
                )
            )

    def _dm_next_action(self):
        """Accept: submitted, every criterion and PIEU value, and a reviewer
        who may decide (the engine's role and four eyes)."""
        if self.state != "draft":
            return None
        line = self._dm_current_line("reception_acceptance")
        pending = bool(line and line.state == "pending")
        blockers = self._dm_decision_blockers("reception_acceptance") if pending else []
        return {
            "state": "accepted",
            "method": "action_accept",
            "string": self.env._("Accept"),
            "items": [
                checklist.item(
                    self.env._("the submission for acceptance (Submit for acceptance)"),
                    pending,
                ),
                *self._acceptance_checklist(),
            ],
            "blockers": blockers,
        }

    def _dm_after_approval_decision(self, line):
        result = super()._dm_after_approval_decision(line)
        decision = {
            "decided_by_id": line.reviewer_id.id,
            "decided_on": line.reviewed_on,
        }
        if line.state == "approved":
            self._dm_set_state("accepted", decision)
            device = self.equipment_id
            device.write(
                {f: self[f].id for f in PIEU_FIELDS}
                | {"warranty_date": self.warranty_end_date or device.warranty_date}
            )
        else:
            self._dm_set_state(
                "rejected", {**decision, "decision_comment": line.comment}
            )
        return result

    def action_submit(self):
        """Ask a biomedical engineer to accept the reception."""
        for reception in self:
            if reception.state != "draft":
                raise UserError(
                    self.env._(
                        "Reception %(name)s is already decided.", name=reception.name
                    )
                )
        # The request carries the training the register holds now.
        self._dm_refresh_training()
        self.action_request_approvals("accept")
        return True

    def _pending_acceptance(self):
        self.ensure_one()
        line = self._dm_current_line("reception_acceptance")
        if self.state != "draft":
            raise UserError(
                self.env._("Reception %(name)s is already decided.", name=self.name)
            )
        if not line or line.state != "pending":
            raise UserError(
                self.env._(
                    "Reception %(name)s must first be submitted for acceptance.",
                    name=self.name,
                )
            )
        return line

    def action_accept(self):
        for reception in self:
            reception._pending_acceptance().action_approve()
        return True

    def action_reject(self):
        for reception in self:
            line = reception._pending_acceptance()
            line._check_can_decide()
            if not (reception.decision_comment or "").strip():
                raise UserError(
                    self.env._(
                        "Write in the decision comment why reception %(name)s is "
                        "rejected.",
                        name=reception.name,
                    )
                )
            line.action_reject(reception.decision_comment)
        return True

    def _report_pieu(self):
        """The PV's PIEU score and level, from the factors the PV records (not
        the device's, which may have changed since): the score as a person
        writes it ("6", "0,0001", in the reader's decimal point), None when a
        factor is missing (the PV says "not assessed", never "0")."""
        self.ensure_one()
        score = pieu.pieu_score(
            *(self[name].value if self[name] else None for name in PIEU_FIELDS)
        )
        Equipment = self.env["maintenance.equipment"]
        level = pieu.pieu_criticality(score, *Equipment._pieu_thresholds())
        decimal_point = self.env["res.lang"]._get_data(code=self.env.lang).decimal_point
        return {
            "score": pieu.format_pieu_score(score, decimal_point or "."),
            "criticality": dict(
                Equipment._fields["pieu_criticality"]._description_selection(self.env)
            ).get(level, ""),
        }

    def _report_criteria(self):
        """(label, checked) pairs for the printed PV, in the form's order."""
        self.ensure_one()
        return [
            (self._fields[name].get_description(self.env)["string"], self[name])
            for name in REPORT_CRITERIA
        ]
