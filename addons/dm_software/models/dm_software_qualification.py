from odoo import api, fields, models
from odoo.addons.medical_device.tools import reader_text as rt
from odoo.addons.medical_device.tools.selections import RISK_CLASSES
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from .dm_software import QUALIFICATION_ACTIVITY, REGULATORY
from .dm_software_qualification_answers import OUTCOMES

_lt = LazyTranslate(__name__)


class DmSoftwareQualification(models.Model):
    """The answers to the qualification questions, who gave them and when, the
    suggestion they lead to and the conclusion, confirmed by a pharmacist or a
    biomedical engineer. Written by the qualification wizard only; kept as the
    software's history."""

    _name = "dm.software.qualification"
    _inherit = ["dm.software.qualification.answers", "dm.workflow.mixin"]
    _description = "Software qualification (MDCG 2019-11, MDR rule 11)"
    _order = "answered_on desc, id desc"
    _check_company_auto = True

    # The workflow (dm.workflow.mixin): recorded by the wizard only, confirmed
    # by a pharmacist or an engineer, never edited nor deleted.
    _dm_transitions = {
        ("to_confirm", "confirmed"): REGULATORY,
        # A new run of the wizard, or the software's qualification re-opened.
        ("to_confirm", "superseded"): (),
    }
    _dm_create_states = ()
    _dm_frozen_states = ("to_confirm", "confirmed", "superseded")
    _dm_state_stamps = {"confirmed": ("confirmed_by_id", "confirmed_on")}
    _dm_protected_fields = ("answered_by_id", "answered_on")
    _dm_deletable_states = ()

    software_id = fields.Many2one(
        "dm.software",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="software_id.company_id", store=True, index=True, precompute=True
    )
    version_id = fields.Many2one(
        "dm.software.version",
        string="For version",
        index="btree_not_null",
        check_company=True,
        help="The version whose change of class or intended purpose asked for "
        "this qualification.",
    )
    # The device it drives is one of the software's company (the wizard, which
    # shares the answers, has no company).
    driven_equipment_id = fields.Many2one(check_company=True)
    intended_purpose = fields.Text(
        help="The intended purpose the answers were given for."
    )
    suggested_outcome = fields.Selection(OUTCOMES, string="Suggestion")
    suggested_is_medical_device = fields.Boolean(string="Suggested: medical device")
    suggested_risk_class = fields.Selection(RISK_CLASSES, string="Suggested class")
    suggestion_reasons = fields.Text(string="Why")
    is_medical_device = fields.Boolean(string="Conclusion: medical device")
    risk_class = fields.Selection(RISK_CLASSES, string="Conclusion: class")
    conclusion_note = fields.Text(
        string="Justification",
        help="Required when the conclusion departs from the suggestion.",
    )
    answered_by_id = fields.Many2one("res.users", string="Answered by")
    answered_on = fields.Datetime()
    state = fields.Selection(
        [
            ("to_confirm", "To confirm"),
            ("confirmed", "Confirmed"),
            ("superseded", "Superseded"),
        ],
        default="to_confirm",
        required=True,
        index=True,
    )
    confirmed_by_id = fields.Many2one("res.users", string="Confirmed by")
    confirmed_on = fields.Datetime()

    @api.depends("software_id", "answered_on")
    def _compute_display_name(self):
        for record in self:
            record.display_name = self.env._(
                "Qualification of %(software)s, %(date)s",
                software=record.software_id.name or "",
                date=fields.Date.to_string(record.answered_on.date())
                if record.answered_on
                else "",
            )

    # ------------------------------------------------------------ workflow
    @api.model
    def _dm_no_create_message(self):
        return self.env._("A qualification is recorded with the qualification wizard.")

    def _dm_frozen_message(self, fnames):
        return self.env._(
            "A qualification is part of the software's history: it is "
            "confirmed with its action and never edited. Run the "
            "qualification again to change it."
        )

    @api.model
    def _dm_protected_message(self, fnames):
        return self._dm_frozen_message(fnames)

    def _dm_history_message(self, reasons):
        return self.env._(
            "Qualifications are part of the software's history: they cannot be deleted."
        )

    def _dm_role_message(self, old_state, new_state, state_field=None):
        if new_state == "confirmed":
            return self.env._(
                "A pharmacist or a biomedical engineer confirms a qualification."
            )
        extra = {"state_field": state_field} if state_field else {}
        return super()._dm_role_message(old_state, new_state, **extra)

    # ------------------------------------------------------------ actions
    def action_confirm(self):
        """A pharmacist or a biomedical engineer confirms the conclusion: it
        becomes the software's identity (medical device or not, class)."""
        for record in self:
            software = record.software_id
            if record.state != "to_confirm" or software._pending_qualification() != (
                record
            ):
                raise UserError(
                    self.env._(
                        "%(qualification)s is not waiting for a confirmation.",
                        qualification=record.display_name,
                    )
                )
            record._dm_set_state("confirmed")
            vals = {
                "is_medical_device": record.is_medical_device,
                "dm_risk_class": record.is_medical_device and record.risk_class,
                "qualification_id": record.id,
                "requalification_reason": False,
                "requalification_version_id": False,
            }
            if record.driven_equipment_id:
                vals["equipment_ids"] = [
                    fields.Command.link(record.driven_equipment_id.id)
                ]
            software._dm_set_state("qualified", vals, state_field="qualification_state")
            # Removed, not marked done: the confirmation's note says it in
            # each reader's language; a "done" message would repeat the
            # request in the confirmer's.
            software.sudo().activity_unlink([QUALIFICATION_ACTIVITY])
            software.sudo()._dm_post_note(record._confirmation_message())
        return True

    def _confirmation_message(self):
        """The note of the confirmation, as a reader text."""
        self.ensure_one()
        if not self.is_medical_device:
            return rt.msg(
                _lt("Qualification confirmed by %(user)s: not a medical device."),
                user=self.env.user.name,
            )
        return rt.msg(
            _lt("Qualification confirmed by %(user)s: medical device, %(klass)s."),
            user=self.env.user.name,
            klass=rt.selection(self._name, "risk_class", self.risk_class),
        )
