"""The lifecycle and the qualification of a software, as actions.

The two state machines are declared with the model (``dm_software.py``, the
``dm.workflow.mixin`` attributes); here: the activities that ask for the
qualification, its re-opening and confirmation, what each lifecycle state
needs, and the actions that move the lifecycle.
"""

from odoo import fields, models
from odoo.addons.medical_device.tools import checklist
from odoo.addons.medical_device.tools import reader_text as rt
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from .dm_software import PHARMACIST_GROUP, QUALIFICATION_ACTIVITY

_lt = LazyTranslate(__name__)


class DmSoftware(models.Model):
    _inherit = "dm.software"

    # ------------------------------------------------------------ notifications
    def _role_users(self, group_xmlid):
        """Active internal members of a group who work for the software's company."""
        self.ensure_one()
        users = self.env["dm.approval"]._group_members(group_xmlid)
        if self.company_id:
            users = users.filtered(lambda u: self.company_id in u.company_ids)
        return users

    def _schedule_for(self, users, activity_xmlid, summary, note=""):
        """One activity per user on the software (once per open summary); the
        summary and the note (reader texts or plain strings) are written in
        each user's language."""
        self.ensure_one()
        # sudo: the activity points the users (referent, pharmacists) at the
        # software, whoever triggered it (the cron, a user without write access).
        record = self.sudo()
        activity_type = self.env.ref(activity_xmlid)
        for user in users:
            texts = record._dm_activity_texts(user, summary, note)
            if record.activity_ids.filtered(
                lambda a, texts=texts, user=user: (
                    a.activity_type_id == activity_type
                    and a.user_id == user
                    and a.summary == texts["summary"]
                )
            ):
                continue
            record.activity_schedule(activity_xmlid, user_id=user.id, **texts)

    def _ask_qualification(self, summary, note=""):
        for software in self:
            software._schedule_for(
                software._role_users(PHARMACIST_GROUP),
                QUALIFICATION_ACTIVITY,
                summary,
                note or software.requalification_reason or "",
            )

    # ------------------------------------------------------------ qualification
    def _reopen_qualification(self, why, version=None):
        """Qualify again: pending answers are superseded, the last conclusion
        stays in force until a new one is confirmed."""
        for software in self:
            software.qualification_ids.filtered(
                lambda q: q.state == "to_confirm"
            )._dm_set_state("superseded")
            software._dm_set_state("to_qualify", state_field="qualification_state")
            # The stored reason reads in the language of whoever re-opened it;
            # the note and the activities in their readers' (reader texts).
            vals = {"requalification_reason": self.env["mail.message"]._dm_render(why)}
            if version:
                vals["requalification_version_id"] = version.id
            # sudo: the reason is closed to clients; set by this re-opening only.
            software.sudo().write(vals)
            software.sudo()._dm_post_note(
                rt.msg(_lt("The qualification is open again: %(why)s."), why=why)
            )
            software._ask_qualification(rt.msg(_lt("Qualify the software again")), why)

    def action_open_qualification_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Qualification of %(software)s", software=self.name),
            "res_model": "dm.software.qualification.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_software_id": self.id},
        }

    def _pending_qualification(self):
        self.ensure_one()
        return self.qualification_ids.filtered(lambda q: q.state == "to_confirm")[:1]

    def action_confirm_qualification(self):
        for software in self:
            pending = software._pending_qualification()
            if not pending:
                raise UserError(
                    self.env._(
                        "%(software)s has no qualification to confirm: run the "
                        "qualification first.",
                        software=software.display_name,
                    )
                )
            pending.action_confirm()
        return True

    def action_view_qualifications(self):
        self.ensure_one()
        # Only for a user who may read the record (see docs/security.md).
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dm_software.dm_software_qualification_action"
        )
        action["domain"] = [("software_id", "=", self.id)]
        action["context"] = {"active_test": False}
        return action

    # ------------------------------------------------------------ lifecycle
    def _lifecycle_checklist(self, state):
        """What the software needs to be in ``state``, as ``tools.checklist``
        items."""
        self.ensure_one()
        items = []
        if state == "reception":
            items += [
                checklist.item(
                    self.env._("the publisher"), self.publisher_id, "publisher_id"
                ),
                checklist.item(
                    self.env._("the intended purpose"),
                    (self.intended_purpose or "").strip(),
                    "intended_purpose",
                ),
                checklist.item(
                    self.env._("the referent"), self.referent_id, "referent_id"
                ),
            ]
        elif state == "in_use":
            items += self._lifecycle_checklist("reception")
            items.append(
                checklist.item(
                    self.env._("a confirmed qualification (is it a medical device?)"),
                    self.qualification_state == "qualified",
                    "qualification_state",
                )
            )
            if self.is_medical_device:
                items += self._dm_regulatory_checklist()
            items.append(
                checklist.item(
                    self.env._("the user training"), self.training_done, "training_done"
                )
            )
            # From the installations themselves, not the stored current version.
            items.append(
                checklist.item(
                    self.env._("an installed version"),
                    self.install_ids.filtered(
                        lambda i: (
                            i.state == "current" and i.version_id.software_id == self
                        )
                    ),
                    "install_ids",
                )
            )
            if self.contains_ai:
                items.append(
                    checklist.item(
                        self.env._("a plan for the quality control of its AI results"),
                        self.qc_plan_ids.filtered("active"),
                        "qc_plan_ids",
                    )
                )
            last_qc = self.qc_record_ids.filtered("active").sorted(
                lambda r: (r.date, r.id), reverse=True
            )[:1]
            if last_qc and last_qc._measured_result()[1] == "fail":
                items.append(
                    checklist.item(
                        self.env._("a passed quality control after the failed one"),
                        False,
                        "qc_record_ids",
                    )
                )
            items += self._dm_approvals_checklist("in_use")
        return items

    def _lifecycle_missing(self, state):
        """Readable list of what the software lacks to be in ``state`` (see
        ``_lifecycle_checklist``)."""
        return checklist.missing(self._lifecycle_checklist(state))

    def _dm_ce_marking_exempt(self):
        # A medical device made in-house (MDR art. 5(5)) carries no CE marking.
        return self.in_house

    def _dm_regulatory_checklist(self):
        items = super()._dm_regulatory_checklist()
        if self.in_house:
            items.append(
                checklist.item(
                    self.env._("the in-house justification (art. 5(5))"),
                    (self.in_house_justification or "").strip(),
                    "in_house_justification",
                )
            )
        else:
            items.append(
                checklist.item(
                    self.env._("the CE marking check"), self.ce_checked, "ce_checked"
                )
            )
        return items

    # ------------------------------------------------------------ next step
    def _dm_next_action(self):
        return {
            "request": {
                "state": "reception",
                "method": "action_to_reception",
                "string": self.env._("Receive"),
            },
            "reception": {
                "state": "in_use",
                "method": "action_put_in_use",
                "string": self.env._("Put in use"),
            },
            "suspended": {
                "state": "in_use",
                "method": "action_resume",
                "string": self.env._("Resume use"),
            },
        }.get(self.lifecycle_state)

    def action_to_reception(self):
        return self._dm_set_state("reception")

    def action_back_to_request(self):
        return self._dm_set_state("request")

    def action_put_in_use(self):
        today = fields.Date.context_today(self)
        for software in self:
            # The first day of use stays when the use resumes.
            software._dm_set_state(
                "in_use", {} if software.in_use_since else {"in_use_since": today}
            )
        return True

    def action_suspend(self):
        """Stop the use (e.g. after a failed quality control); the referent may
        do it too."""
        return self._dm_set_state("suspended")

    def action_resume(self):
        return self.action_put_in_use()

    def action_withdraw(self):
        return self._dm_set_state(
            "withdrawn", {"withdrawn_on": fields.Date.context_today(self)}
        )

    # ------------------------------------------------------------ approvals
    def _dm_next_step(self):
        return "in_use"
