from odoo import api, fields, models
from odoo.addons.medical_device.tools import reader_text as rt
from odoo.addons.medical_device.tools.selections import RISK_CLASSES
from odoo.exceptions import AccessError, UserError
from odoo.tools.translate import LazyTranslate

from ..models.dm_software import MANAGERS, REGULATORY
from ..models.dm_software_qualification_answers import OUTCOMES
from ..tools import qualification

_lt = LazyTranslate(__name__)

ANSWER_FIELDS = [f"q_{key}" for key in qualification.QUESTIONS]


class DmSoftwareQualificationWizard(models.TransientModel):
    """Walks the MDCG 2019-11 questions, then MDR rule 11's, shows the
    suggestion as the answers come, and records them with the conclusion."""

    _name = "dm.software.qualification.wizard"
    _inherit = ["dm.software.qualification.answers", "dm.input.guard"]
    _description = "Software qualification wizard"

    software_id = fields.Many2one("dm.software", required=True)
    version_id = fields.Many2one(
        "dm.software.version",
        string="For version",
        compute="_compute_version_id",
        store=True,
        readonly=False,
    )
    intended_purpose = fields.Text(related="software_id.intended_purpose")
    asked_questions = fields.Char(
        compute="_compute_suggestion",
        help="Technical: the questions the walk reaches, between spaces.",
    )
    suggested_outcome = fields.Selection(
        OUTCOMES, string="Suggestion", compute="_compute_suggestion"
    )
    suggestion_reasons = fields.Text(string="Why", compute="_compute_suggestion")
    is_medical_device = fields.Boolean(
        string="Conclusion: medical device",
        compute="_compute_is_medical_device",
        store=True,
        readonly=False,
    )
    risk_class = fields.Selection(
        RISK_CLASSES,
        string="Conclusion: class",
        compute="_compute_risk_class",
        store=True,
        readonly=False,
    )
    conclusion_note = fields.Text(
        string="Justification",
        help="Required when the conclusion departs from the suggestion.",
    )
    can_confirm = fields.Boolean(compute="_compute_can_confirm")

    @api.depends("software_id")
    def _compute_version_id(self):
        for wizard in self:
            wizard.version_id = wizard.software_id.requalification_version_id

    @api.depends(*ANSWER_FIELDS, "driven_equipment_id")
    def _compute_suggestion(self):
        for wizard in self:
            answers = wizard._qualification_answers()
            driven_class = wizard._driven_device_class()
            conclusion = qualification.qualify(answers, driven_class)
            asked = qualification.asked_questions(answers, driven_class)
            wizard.asked_questions = f" {' '.join(asked)} "
            wizard.suggested_outcome = conclusion.outcome
            wizard.suggestion_reasons = wizard._conclusion_text(conclusion)

    # Two computes: a value given for one of them (the user departs from the
    # suggestion) must not stop the other from following the answers.
    @api.depends(*ANSWER_FIELDS, "driven_equipment_id")
    def _compute_is_medical_device(self):
        for wizard in self:
            wizard.is_medical_device = bool(wizard._conclusion().is_medical_device)

    @api.depends(*ANSWER_FIELDS, "driven_equipment_id")
    def _compute_risk_class(self):
        for wizard in self:
            wizard.risk_class = wizard._conclusion().risk_class or False

    @api.depends_context("uid")
    def _compute_can_confirm(self):
        can_confirm = any(self.env.user.has_group(g) for g in REGULATORY)
        for wizard in self:
            wizard.can_confirm = can_confirm

    def _check_answers(self):
        self.ensure_one()
        if not any(self.env.user.has_group(g) for g in MANAGERS):
            raise AccessError(
                self.env._(
                    "A technician, a pharmacist or a biomedical engineer qualifies "
                    "a software."
                )
            )
        software = self.software_id
        if software.lifecycle_state == "withdrawn":
            raise UserError(
                self.env._("%(software)s is withdrawn.", software=software.display_name)
            )
        conclusion = self._conclusion()
        if conclusion.next_question:
            raise UserError(
                self.env._(
                    "Answer the question “%(question)s” first.",
                    question=self._fields[
                        f"q_{conclusion.next_question}"
                    ].get_description(self.env)["string"],
                )
            )
        if self.is_medical_device and not self.risk_class:
            raise UserError(
                self.env._("Give the class of the medical device software.")
            )
        suggested = (bool(conclusion.is_medical_device), conclusion.risk_class or False)
        concluded = (self.is_medical_device, self.is_medical_device and self.risk_class)
        if concluded != suggested and not (self.conclusion_note or "").strip():
            raise UserError(
                self.env._("The conclusion departs from the suggestion: justify it.")
            )
        return conclusion

    def action_save(self):
        """Record the answers and the conclusion, to be confirmed."""
        self.ensure_one()
        conclusion = self._check_answers()
        software = self.software_id
        answers = self._qualification_answers()
        asked = set(qualification.asked_questions(answers, self._driven_device_class()))
        vals = {
            f"q_{key}": answers[key] if key in asked else False
            for key in qualification.QUESTIONS
        }
        if "drives_device" in asked and answers["drives_device"] == qualification.YES:
            vals["driven_equipment_id"] = self.driven_equipment_id.id
        vals.update(
            {
                "software_id": software.id,
                "version_id": self.version_id.id,
                "intended_purpose": software.intended_purpose,
                "suggested_outcome": conclusion.outcome,
                "suggested_is_medical_device": bool(conclusion.is_medical_device),
                "suggested_risk_class": conclusion.risk_class or False,
                "suggestion_reasons": self._conclusion_text(conclusion),
                "is_medical_device": self.is_medical_device,
                "risk_class": self.is_medical_device and self.risk_class,
                "conclusion_note": self.conclusion_note,
                "answered_by_id": self.env.uid,
                "answered_on": fields.Datetime.now(),
            }
        )
        software.qualification_ids.filtered(
            lambda q: q.state == "to_confirm"
        )._dm_set_state("superseded")
        # sudo: qualification records are closed to clients: only this wizard
        # creates them, with the suggestion it computed and the answerer's stamp
        # (no default_* key of the client's context reaches them).
        record = self.env["dm.software.qualification"].sudo().create(vals).sudo(False)
        software._dm_set_state("to_confirm", state_field="qualification_state")
        software.sudo()._dm_post_note(
            rt.msg(
                _lt(
                    "Qualification answered by %(user)s, to be confirmed by a "
                    "pharmacist or a biomedical engineer."
                ),
                user=self.env.user.name,
            )
        )
        return record

    def action_save_and_confirm(self):
        record = self.action_save()
        record.action_confirm()
        return True

    def action_record(self):
        """Button: record the answers and close."""
        self.action_save()
        return {"type": "ir.actions.act_window_close"}
