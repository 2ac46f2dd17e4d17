from odoo import api, fields, models
from odoo.addons.medical_device.models.dm_disposal import ENGINEER
from odoo.addons.medical_device.models.dm_disposal import DmDisposal as BaseDisposal
from odoo.addons.medical_device.tools import checklist
from odoo.addons.medical_device.tools import reader_text as rt
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

RULE_VERIFY = "disposal_erasure_verification"
RULE_SIGN_OFF = "disposal_erasure_sign_off"


class DmDisposal(models.Model):
    """The erasure part of a disposal: the plan of the storage media to
    sanitise (NIST SP 800-88), verified by the RSSI and signed off by the DPO
    through the approval engine, or an engineer's no-data statement; the
    certificate of sanitisation is issued when the device is disposed."""

    _inherit = "dm.disposal"

    # The erasure steps (see dm.workflow.mixin), between the confirmation (now
    # to the erasure) and Ready: whoever may write the disposal submits the
    # erasure, or the engineer states that the device holds no data. The
    # RSSI's and the DPO's steps are the approval engine's only: it is the gate
    # (the rule's group, which a hospital may change, four eyes, the data) and
    # moves the disposal in sudo, the reviewers only reading it: no group here.
    _dm_transitions = {
        **{
            move: groups
            for move, groups in BaseDisposal._dm_transitions.items()
            if move != ("draft", "ready")
        },
        ("draft", "erasure"): (ENGINEER,),
        ("erasure", "verification"): (),
        ("erasure", "ready"): (ENGINEER,),
        ("verification", "sign_off"): (),
        ("verification", "erasure"): (),
        ("sign_off", "ready"): (),
        ("sign_off", "erasure"): (),
        # A sign-off re-opened by a change of its data, then rejected.
        ("ready", "erasure"): (),
        ("erasure", "cancelled"): (ENGINEER,),
        ("verification", "cancelled"): (ENGINEER,),
        ("sign_off", "cancelled"): (ENGINEER,),
    }
    # The no-data statement and the certificate: the actions' only.
    _dm_protected_fields = (
        *BaseDisposal._dm_protected_fields,
        "no_data_confirmed_by_id",
        "no_data_confirmed_on",
        "certificate_issued_on",
    )
    # The erasure plan and the data statement: until the erasure is submitted.
    _dm_editable_states = {
        **BaseDisposal._dm_editable_states,
        **dict.fromkeys(
            ("holds_data", "no_data_statement", "medium_ids"), ("draft", "erasure")
        ),
    }

    state = fields.Selection(
        selection_add=[
            ("erasure", "Erasure"),
            ("verification", "RSSI verification"),
            ("sign_off", "DPO sign-off"),
            ("ready",),
        ],
        ondelete={
            "erasure": "set default",
            "verification": "set default",
            "sign_off": "set default",
        },
    )
    patient_data = fields.Boolean(related="equipment_id.patient_data")
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

    certificate_issued_on = fields.Datetime(
        string="Certificate issued on",
        readonly=True,
        copy=False,
        index=True,
        help="The certificate of sanitisation is issued when the device is "
        "disposed; its PDF is kept in the attachments once printed.",
    )

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
    @api.depends_context("lang")
    def _compute_erasure_summary(self):
        render = self.env["mail.message"]._dm_render
        for disposal in self:
            disposal.erasure_summary = (
                "\n".join(render(m._summary_line()) for m in disposal.medium_ids)
                or False
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

    # ------------------------------------------------------------ guard
    def _dm_state_checklist(self, new_state):
        """The request (reason, destination, recipient) is complete before the
        erasure goes to the RSSI and the DPO, or is skipped by the engineer's
        no-data statement: nobody discovers after the signatures that the
        recipient is missing."""
        items = super()._dm_state_checklist(new_state)
        if new_state in ("verification", "ready"):
            items += self._request_checklist()
        return items

    def _dm_protected_message(self, fnames):
        return self.env._(
            "The steps, decisions and dates of a disposal are set by its actions "
            "(Confirm, Submit for verification, Verify, Sign off, Dispose), not "
            "edited (fields refused: %(fields)s).",
            fields=self._dm_field_labels(fnames),
        )

    # ------------------------------------------------------------ helpers
    def _check_plan_open(self):
        for disposal in self:
            if disposal.state not in ("draft", "erasure"):
                raise UserError(
                    self.env._(
                        "The erasure plan of %(disposal)s is frozen at step %(state)s.",
                        disposal=disposal.display_name,
                        state=disposal._dm_state_label(),
                    )
                )

    def _erasure_evidence_checklist(self):
        """What the erasure needs before the RSSI can verify it, as
        ``tools.checklist`` items: every medium executed, with its result,
        verification method, performer and date."""
        self.ensure_one()
        if not self.medium_ids:
            return [
                checklist.item(
                    self.env._("an erasure plan (at least one storage medium)"),
                    False,
                    "medium_ids",
                )
            ]
        items = []
        for medium in self.medium_ids:
            sanitised = medium.state == "sanitised"
            problems = medium._execution_problem_messages() if sanitised else []
            if problems:
                items += [
                    checklist.item(problem, False, "medium_ids") for problem in problems
                ]
                continue
            if medium.state == "planned":
                # The line a performer filled but did not record stays Planned:
                # say which one, and the button that records it.
                label = self.env._(
                    "the sanitisation of %(medium)s (%(state)s: fill its "
                    "date, result, verification method and sanitiser, then "
                    "click “Record the erasure” on its line)",
                    medium=medium.display_name,
                    state=medium._dm_state_label(),
                )
            else:
                label = self.env._(
                    "the sanitisation of %(medium)s (%(state)s)",
                    medium=medium.display_name,
                    state=medium._dm_state_label(),
                )
            items.append(checklist.item(label, sanitised, "medium_ids"))
        return items

    def _erasure_evidence_missing(self):
        """What the erasure lacks before the RSSI can verify it (see
        ``_erasure_evidence_checklist``)."""
        return checklist.missing(self._erasure_evidence_checklist())

    def _disposal_checklist(self):
        """What this open disposal needs for its device to be disposed: the
        request's own needs, then the verified and signed-off erasure, or an
        engineer's no-data statement."""
        items = super()._disposal_checklist()
        if self.holds_data:
            items += self._erasure_evidence_checklist()
            items += self._dm_approvals_checklist("verify")
            items += self._dm_approvals_checklist("sign_off")
        else:
            items.append(
                checklist.item(
                    self.env._(
                        "a biomedical engineer's statement that the device holds "
                        "no data"
                    ),
                    self.no_data_confirmed_by_id,
                    "no_data_statement",
                )
            )
        return items

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
                        state=disposal._dm_state_label(),
                    )
                )
            super(DmDisposal, disposal).action_request_approvals(due)
        return True

    def _dm_before_approval(self, line):
        result = super()._dm_before_approval(line)
        if line.rule_key == RULE_VERIFY:
            self._dm_check_step({"verification"}, self.env._("be verified"))
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
            # sudo: the engine is the gate (see _dm_transitions).
            self.sudo()._dm_set_state("sign_off" if approved else "erasure")
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
            # sudo: the engine is the gate (see _dm_transitions).
            self.sudo()._dm_set_state("ready" if approved else "erasure")
        return result

    # ------------------------------------------------------------ next step
    def _dm_next_action(self):
        """The erasure steps: submit it (or state no data), then the RSSI's
        verification and the DPO's sign-off, decided through the engine."""
        if self.state == "erasure":
            if not self.holds_data:
                return {
                    "state": "ready",
                    "method": "action_state_no_data",
                    "string": self.env._("State no data"),
                    "items": [
                        checklist.item(
                            self.env._("the no-data statement"),
                            (self.no_data_statement or "").strip(),
                            "no_data_statement",
                        ),
                        *self._dm_state_checklist("ready"),
                    ],
                }
            blockers = []
            if not self.has_access("write"):
                blockers.append(
                    self.env._(
                        "Only a user who may change %(disposal)s submits its erasure.",
                        disposal=self.display_name,
                    )
                )
            # What action_submit_verification checks.
            return {
                "state": "verification",
                "method": "action_submit_verification",
                "string": self.env._("Submit for verification"),
                "items": self._request_checklist() + self._erasure_evidence_checklist(),
                "blockers": blockers,
            }
        if self.state in ("verification", "sign_off"):
            verify = self.state == "verification"
            rule_key = RULE_VERIFY if verify else RULE_SIGN_OFF
            return {
                "state": "sign_off" if verify else "ready",
                "method": "action_verify" if verify else "action_sign_off",
                "string": self.env._("Verify erasure")
                if verify
                else self.env._("Sign off"),
                # What the engine checks before the decision (_dm_before_approval).
                "items": self._erasure_evidence_checklist()
                if verify
                else self._dm_approvals_checklist("verify"),
                "blockers": self._dm_decision_blockers(rule_key),
            }
        return super()._dm_next_action()

    # ------------------------------------------------------------ actions
    def _dm_confirmed_state(self):
        return "erasure"

    def action_submit_verification(self):
        self.check_access("write")
        self._dm_check_step({"erasure"}, self.env._("be submitted for verification"))
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
            disposal._dm_set_state("verification")
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
        # The role first, then the step.
        self._dm_check_role("erasure", "ready")
        self._dm_check_step({"erasure"}, self.env._("skip the erasure"))
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
            disposal._dm_set_state(
                "ready",
                {
                    "holds_data": False,
                    "no_data_statement": text,
                    "no_data_confirmed_by_id": self.env.uid,
                    "no_data_confirmed_on": fields.Datetime.now(),
                },
            )
            disposal._dm_post_note(
                rt.msg(
                    _lt(
                        "%(user)s (biomedical engineer) states that the device "
                        "holds no data: %(statement)s"
                    ),
                    user=self.env.user.name,
                    statement=text,
                )
            )
        return True

    def _dm_done_values(self):
        return {
            **super()._dm_done_values(),
            "certificate_issued_on": fields.Datetime.now(),
        }

    def _dm_done_message(self):
        return rt.msg(
            _lt(
                "Device disposed by %(user)s; certificate of sanitisation "
                "issued. Records kept until %(date)s."
            ),
            user=self.env.user.name,
            date=rt.date(self.retention_until),
        )

    def action_print_certificate(self):
        # Only for a user who may read the disposal (see docs/security.md).
        self.check_access("read")
        return self.env.ref(
            "dm_cyber.action_report_dm_erasure_certificate"
        ).report_action(self)
