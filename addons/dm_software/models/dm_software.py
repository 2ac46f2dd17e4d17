import base64
import io

import xlsxwriter

from odoo import api, fields, models
from odoo.addons.medical_device.models.maintenance_equipment import (
    CE_REGIMES,
    RISK_CLASSES,
)
from odoo.addons.medical_device.tools import regulatory, udi
from odoo.addons.medical_device.tools.udi_messages import udi_validation_error
from odoo.exceptions import AccessError, UserError, ValidationError

LIFECYCLE_STATES = [
    ("request", "Request"),
    ("reception", "Reception"),
    ("in_use", "In use"),
    ("suspended", "Suspended"),
    ("withdrawn", "Withdrawn"),
]
# Who may make each move (any of the groups; engineers are technicians too).
MANAGERS = ("medical_device.group_dm_technician", "medical_device.group_dm_pharmacist")
REGULATORY = ("medical_device.group_dm_pharmacist", "medical_device.group_dm_engineer")
INSTALLERS = ("medical_device.group_dm_technician",)
LIFECYCLE_TRANSITIONS = {
    ("request", "reception"): MANAGERS,
    ("reception", "request"): REGULATORY,
    ("reception", "in_use"): MANAGERS,
    ("in_use", "suspended"): REGULATORY,
    ("suspended", "in_use"): REGULATORY,
    ("request", "withdrawn"): REGULATORY,
    ("reception", "withdrawn"): REGULATORY,
    ("in_use", "withdrawn"): REGULATORY,
    ("suspended", "withdrawn"): REGULATORY,
}
HOSTING = [
    ("on_premises", "On premises (hospital servers)"),
    ("hospital_cloud", "Hospital cloud"),
    ("supplier_cloud", "Supplier server or cloud"),
    ("workstation", "Workstation"),
]
QUALIFICATION_STATES = [
    ("to_qualify", "To qualify"),
    ("to_confirm", "To confirm"),
    ("qualified", "Qualified"),
]
# Written only by the lifecycle and qualification actions, in sudo after their
# checks: never by a client's create() or write().
PROTECTED_FIELDS = {
    "lifecycle_state",
    "qualification_state",
    "qualification_id",
    "is_medical_device",
    "dm_risk_class",
    "requalification_reason",
    "requalification_version_id",
    "in_use_since",
    "withdrawn_on",
}
# The protected values a client's create() may give: the starting ones.
CREATE_DEFAULTS = {"lifecycle_state": "request", "qualification_state": "to_qualify"}
PHARMACIST_GROUP = "medical_device.group_dm_pharmacist"
QUALIFICATION_ACTIVITY = "dm_software.mail_activity_type_dm_software_qualification"


class DmSoftware(models.Model):
    """A software used in the hospital: the register identifies the medical
    device software (DMN), follows its reception, versions and, for AI, the
    quality control of its results (HAS)."""

    _name = "dm.software"
    _description = "Software (medical device or not)"
    _inherit = ["mail.thread", "mail.activity.mixin", "dm.approval.mixin"]
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, index=True, tracking=True
    )
    publisher_id = fields.Many2one(
        "res.partner",
        tracking=True,
        check_company=True,
        help="The software's manufacturer (the legal manufacturer of a medical "
        "device software).",
    )
    intended_purpose = fields.Text(
        tracking=True,
        help="What the software is for, as the publisher states it (MDR article "
        "2(12)). Changing it re-opens the qualification.",
    )
    hosting = fields.Selection(HOSTING, tracking=True)
    patient_data = fields.Boolean(
        string="Processes patient data",
        tracking=True,
        help="Stores or processes personal health data.",
    )
    is_networked = fields.Boolean(
        string="Networked",
        tracking=True,
        help="Connected to the hospital network or to the internet: the RSSI "
        "approves the connection before use.",
    )
    contains_ai = fields.Boolean(
        string="Contains AI",
        tracking=True,
        help="Uses artificial intelligence (machine learning): users check the "
        "quality of its results (HAS certification, DMN criterion).",
    )
    in_house = fields.Boolean(
        string="In-house (MDR art. 5(5))",
        tracking=True,
        help="Built and used by the hospital itself. A medical device made in-house "
        "is exempt from CE marking under the conditions of MDR article 5(5).",
    )
    in_house_justification = fields.Text(
        string="Art. 5(5) justification",
        tracking=True,
        help="Why no equivalent CE-marked device meets the need, and how the "
        "general safety and performance requirements (Annex I) are met.",
    )
    user_ids = fields.Many2many(
        "res.users",
        "dm_software_user_rel",
        "software_id",
        "user_id",
        string="Users",
        help="The professionals who use it; they may record quality controls.",
    )
    services = fields.Char(help="Care units or departments that use it.")
    referent_id = fields.Many2one(
        "res.users",
        tracking=True,
        index=True,
        help="The professional in charge of the software in the hospital.",
    )
    request_reason = fields.Text(
        string="Need", help="Why the service asks for this software."
    )
    requested_by_id = fields.Many2one(
        "res.users", string="Requested by", default=lambda self: self.env.user
    )
    request_date = fields.Date(default=fields.Date.context_today)

    # Regulatory identity (set by the confirmed qualification for class and DM).
    is_medical_device = fields.Boolean(
        string="Medical device",
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
        help="Medical device software (DMN), as concluded by the confirmed "
        "qualification.",
    )
    dm_risk_class = fields.Selection(
        RISK_CLASSES,
        string="Risk class",
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
        help="Set by the confirmed qualification (MDR rule 11).",
    )
    ce_regime = fields.Selection(CE_REGIMES, string="CE regime", tracking=True)
    notified_body_number = fields.Char(
        string="Notified body",
        tracking=True,
        help="Four-digit number of the notified body (every class above I).",
    )
    ce_certificate_ref = fields.Char(string="CE certificate", tracking=True)
    ce_certificate_expiry = fields.Date(string="Certificate expiry", tracking=True)
    ce_checked = fields.Boolean(
        string="CE marking checked",
        tracking=True,
        help="The CE marking, the class and the declaration of conformity were "
        "checked at reception.",
    )
    udi_di = fields.Char(
        string="UDI-DI",
        tracking=True,
        index="btree_not_null",
        help="The software's UDI-DI: a GTIN or a full UDI (GS1 or HIBCC) from "
        "which it is read. It changes with every major version (MDR Annex VI).",
    )
    basic_udi_di = fields.Char(
        string="Basic UDI-DI",
        tracking=True,
        help="Model-level key in EUDAMED (up to 25 characters).",
    )
    equipment_ids = fields.Many2many(
        "maintenance.equipment",
        "dm_software_equipment_rel",
        "software_id",
        "equipment_id",
        string="Devices",
        check_company=True,
        help="The devices it runs on or drives (DMIL).",
    )

    # Reception checks.
    training_done = fields.Boolean(string="User training done", tracking=True)
    trained_user_ids = fields.Many2many(
        "res.users",
        "dm_software_trained_user_rel",
        "software_id",
        "user_id",
        string="Trained users",
    )
    dpa_reference = fields.Char(
        string="Data-processing contract",
        tracking=True,
        help="Reference of the data-processing agreement (GDPR art. 28), needed "
        "when patient data is on a supplier server or cloud.",
    )
    hds_certified = fields.Boolean(
        string="Certified health data host (HDS)", tracking=True
    )
    data_retention = fields.Char(tracking=True)
    supplier_security_answers = fields.Text(
        string="Supplier's security answers",
        tracking=True,
        help="The publisher's answers to the security questionnaire: flows, "
        "accounts, updates, remote access. Approved by the RSSI when networked.",
    )

    lifecycle_state = fields.Selection(
        LIFECYCLE_STATES,
        string="Lifecycle",
        default="request",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
        group_expand=True,
    )
    in_use_since = fields.Date(readonly=True, copy=False)
    withdrawn_on = fields.Date(readonly=True, copy=False)

    qualification_state = fields.Selection(
        QUALIFICATION_STATES,
        string="Qualification",
        default="to_qualify",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
    )
    qualification_ids = fields.One2many(
        "dm.software.qualification", "software_id", string="Qualifications"
    )
    qualification_id = fields.Many2one(
        "dm.software.qualification",
        string="Confirmed qualification",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    requalification_reason = fields.Char(
        string="Re-qualify because", readonly=True, copy=False, tracking=True
    )
    requalification_version_id = fields.Many2one(
        "dm.software.version",
        string="Version to qualify",
        readonly=True,
        copy=False,
        help="A version that changes the class or the intended purpose: it is "
        "installed only once the software is qualified again.",
    )

    version_ids = fields.One2many("dm.software.version", "software_id", "Versions")
    version_count = fields.Integer(compute="_compute_version_count")
    install_ids = fields.One2many(
        "dm.software.install", "software_id", string="Installations"
    )
    current_install_ids = fields.One2many(
        "dm.software.install",
        "software_id",
        string="Current installations",
        domain=[("state", "=", "current")],
    )
    current_version_id = fields.Many2one(
        "dm.software.version",
        string="Current version",
        compute="_compute_current_version",
        store=True,
        tracking=True,
        help="The newest version currently installed on a site.",
    )

    qc_plan_ids = fields.One2many(
        "dm.software.qc.plan", "software_id", string="Quality control plans"
    )
    qc_record_ids = fields.One2many(
        "dm.software.qc.record", "software_id", string="Quality controls"
    )
    last_qc_record_id = fields.Many2one(
        "dm.software.qc.record",
        string="Last quality control",
        compute="_compute_last_qc",
        store=True,
    )
    last_qc_date = fields.Date(
        string="Last QC", related="last_qc_record_id.date", store=True
    )
    last_qc_result = fields.Selection(
        related="last_qc_record_id.result", string="Last QC result", store=True
    )
    qc_overdue = fields.Boolean(
        string="QC overdue",
        compute="_compute_qc_overdue",
        search="_search_qc_overdue",
    )

    # ------------------------------------------------------------ computes
    def _compute_version_count(self):
        counts = dict(
            self.env["dm.software.version"]._read_group(
                [("software_id", "in", self.ids)], ["software_id"], ["__count"]
            )
        )
        for software in self:
            software.version_count = counts.get(software, 0)

    @api.depends("install_ids.state", "install_ids.version_id.version_sort_key")
    def _compute_current_version(self):
        for software in self:
            versions = software.install_ids.filtered(
                lambda i: i.state == "current"
            ).version_id
            software.current_version_id = (
                max(versions, key=lambda v: v.version_sort_key) if versions else False
            )

    @api.depends("qc_record_ids.date", "qc_record_ids.active")
    def _compute_last_qc(self):
        for software in self:
            records = software.qc_record_ids.filtered("active").sorted(
                lambda r: (r.date, r.id), reverse=True
            )
            software.last_qc_record_id = records[:1]

    def _compute_qc_overdue(self):
        for software in self:
            software.qc_overdue = any(plan.qc_overdue for plan in software.qc_plan_ids)

    def _search_qc_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on 'QC overdue'."))
        plans = self.env["dm.software.qc.plan"].search([("qc_overdue", "=", True)])
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", plans.software_id.ids)]

    # ------------------------------------------------------------ constraints
    @api.constrains("ce_regime", "dm_risk_class")
    def _check_regime_class(self):
        regimes = dict(self._fields["ce_regime"]._description_selection(self.env))
        classes = dict(self._fields["dm_risk_class"]._description_selection(self.env))
        for software in self:
            if not regulatory.regime_allowed_for_class(
                software.ce_regime, software.dm_risk_class
            ):
                raise ValidationError(
                    self.env._(
                        "%(software)s: the CE regime %(regime)s does not fit the "
                        "class %(klass)s.",
                        software=software.display_name,
                        regime=regimes[software.ce_regime],
                        klass=classes[software.dm_risk_class],
                    )
                )

    @api.constrains("notified_body_number")
    def _check_notified_body_number(self):
        for software in self:
            number = software.notified_body_number
            if number and not regulatory.is_valid_notified_body_number(number):
                raise ValidationError(
                    self.env._(
                        "%(software)s: the notified body number must be exactly 4 "
                        "digits (found '%(number)s').",
                        software=software.display_name,
                        number=number,
                    )
                )

    @api.constrains("basic_udi_di")
    def _check_basic_udi_di(self):
        for software in self:
            if not software.basic_udi_di:
                continue
            try:
                udi.validate_basic_udi_di(software.basic_udi_di)
            except udi.UdiError as error:
                raise udi_validation_error(
                    self.env, software.display_name, error
                ) from error

    # ------------------------------------------------------------ CRUD
    def _normalize_vals(self, vals):
        vals = dict(vals)
        if "udi_di" in vals:
            vals["udi_di"] = self._udi_di_from_input(vals["udi_di"])
        if vals.get("basic_udi_di"):
            vals["basic_udi_di"] = vals["basic_udi_di"].strip().upper()
        if vals.get("notified_body_number"):
            vals["notified_body_number"] = vals["notified_body_number"].strip()
        return vals

    def _udi_di_from_input(self, value):
        """The UDI-DI of a GTIN or of a full UDI, checked by the device parser."""
        value = (value or "").strip()
        if not value:
            return False
        carrier = f"(01){value}" if value.isdigit() else value
        try:
            return udi.parse_udi(carrier).di
        except udi.UdiError as error:
            raise udi_validation_error(
                self.env, self.env._("Invalid UDI-DI '%(value)s'", value=value), error
            ) from error

    def _check_protected(self, vals):
        blocked = PROTECTED_FIELDS & set(vals)
        if blocked and not self.env.su:
            raise UserError(
                self.env._(
                    "%(fields)s change only through the lifecycle and qualification "
                    "actions.",
                    fields=", ".join(
                        sorted(
                            self._fields[f].get_description(self.env)["string"]
                            for f in blocked
                        )
                    ),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # A new software starts as a request and is qualified later: only
            # data loads and imports (superuser) bring a software in another state.
            self._check_protected(
                {
                    key: value
                    for key, value in vals.items()
                    if key in PROTECTED_FIELDS
                    and value
                    and value != CREATE_DEFAULTS.get(key)
                }
            )
        softwares = super().create([self._normalize_vals(v) for v in vals_list])
        softwares.filtered(
            lambda s: s.qualification_state == "to_qualify"
        )._ask_qualification(self.env._("New software to qualify"))
        return softwares

    def write(self, vals):
        self._check_protected(vals)
        vals = self._normalize_vals(vals)
        withdrawn = self.filtered(lambda s: s.lifecycle_state == "withdrawn")
        if withdrawn and not self.env.su and set(vals) - {"active", "color"}:
            raise UserError(
                self.env._(
                    "%(software)s is withdrawn: its record is kept as it is.",
                    software=", ".join(withdrawn.mapped("display_name")),
                )
            )
        purpose_changed = self.browse()
        if "intended_purpose" in vals:
            purpose_changed = self.filtered(
                lambda s: (
                    (s.intended_purpose or "").strip()
                    != (vals["intended_purpose"] or "").strip()
                    and s.qualification_state != "to_qualify"
                )
            )
        result = super().write(vals)
        if purpose_changed:
            purpose_changed._reopen_qualification(
                self.env._("the intended purpose changed")
            )
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        for software in self:
            if (
                software.lifecycle_state != "request"
                or software.version_ids
                or software.qualification_ids
                or software.qc_record_ids
            ):
                raise UserError(
                    self.env._(
                        "%(software)s has a history (lifecycle, qualifications, "
                        "versions or quality controls) that must be kept: archive "
                        "it instead of deleting it.",
                        software=software.display_name,
                    )
                )

    # ------------------------------------------------------------ notifications
    def _role_users(self, group_xmlid):
        """Active internal members of a group who work for the software's company."""
        self.ensure_one()
        users = self.env["dm.approval"]._group_members(group_xmlid)
        if self.company_id:
            users = users.filtered(lambda u: self.company_id in u.company_ids)
        return users

    def _schedule_for(self, users, activity_xmlid, summary, note=""):
        """One activity per user on the software (once per open summary)."""
        self.ensure_one()
        # sudo: the activity points the users (referent, pharmacists) at the
        # software, whoever triggered it (the cron, a user without write access).
        record = self.sudo()
        open_activities = record.activity_ids.filtered(
            lambda a: (
                a.activity_type_id == self.env.ref(activity_xmlid)
                and a.summary == summary
            )
        )
        for user in users:
            if user in open_activities.user_id:
                continue
            record.activity_schedule(
                activity_xmlid, summary=summary, note=note, user_id=user.id
            )

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
            pending = software.qualification_ids.filtered(
                lambda q: q.state == "to_confirm"
            )
            # sudo: qualification records and states are closed to clients.
            pending.sudo().write({"state": "superseded"})
            vals = {"qualification_state": "to_qualify", "requalification_reason": why}
            if version:
                vals["requalification_version_id"] = version.id
            software.sudo().write(vals)
            software.sudo().message_post(
                body=self.env._("The qualification is open again: %(why)s.", why=why),
                subtype_xmlid="mail.mt_note",
            )
            software._ask_qualification(self.env._("Qualify the software again"), why)

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
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dm_software.dm_software_qualification_action"
        )
        action["domain"] = [("software_id", "=", self.id)]
        action["context"] = {"active_test": False}
        return action

    # ------------------------------------------------------------ lifecycle
    def _check_lifecycle_role(self, old_state, new_state, groups, allow_referent):
        if self.env.su:
            return
        user = self.env.user
        if any(user.has_group(g) for g in groups):
            return
        if allow_referent and self.referent_id == user:
            return
        states = dict(self._fields["lifecycle_state"]._description_selection(self.env))
        raise AccessError(
            self.env._(
                "You may not move %(software)s from %(old)s to %(new)s.",
                software=self.display_name,
                old=states[old_state],
                new=states[new_state],
            )
        )

    def _lifecycle_missing(self, state):
        """Readable list of what the software lacks to be in ``state``."""
        self.ensure_one()
        missing = []
        if state == "reception":
            if not self.publisher_id:
                missing.append(self.env._("the publisher"))
            if not (self.intended_purpose or "").strip():
                missing.append(self.env._("the intended purpose"))
            if not self.referent_id:
                missing.append(self.env._("the referent"))
        elif state == "in_use":
            missing += self._lifecycle_missing("reception")
            if self.qualification_state != "qualified":
                missing.append(
                    self.env._("a confirmed qualification (is it a medical device?)")
                )
            if self.is_medical_device:
                missing += self._regulatory_missing()
            if not self.training_done:
                missing.append(self.env._("the user training"))
            if not self.current_version_id:
                missing.append(self.env._("an installed version"))
            if self.contains_ai and not self.qc_plan_ids.filtered("active"):
                missing.append(
                    self.env._("a plan for the quality control of its AI results")
                )
            if self.last_qc_result == "fail":
                missing.append(
                    self.env._("a passed quality control after the failed one")
                )
            missing += self._dm_approvals_missing("in_use")
        return missing

    def _regulatory_missing(self):
        missing = []
        if not self.dm_risk_class:
            missing.append(self.env._("the risk class"))
        if self.in_house:
            if not (self.in_house_justification or "").strip():
                missing.append(self.env._("the in-house justification (art. 5(5))"))
            return missing
        if not self.ce_regime:
            missing.append(self.env._("the CE regime"))
        if regulatory.notified_body_required(self.ce_regime, self.dm_risk_class):
            if not self.notified_body_number:
                missing.append(self.env._("the notified body number"))
            if not self.ce_certificate_ref:
                missing.append(self.env._("the CE certificate reference"))
        if not self.ce_checked:
            missing.append(self.env._("the CE marking check"))
        return missing

    def _set_lifecycle(self, new_state, allow_referent=False):
        states = dict(self._fields["lifecycle_state"]._description_selection(self.env))
        for software in self:
            old_state = software.lifecycle_state
            if old_state == new_state:
                continue
            groups = LIFECYCLE_TRANSITIONS.get((old_state, new_state))
            if groups is None:
                raise UserError(
                    self.env._(
                        "%(software)s cannot move from %(old)s to %(new)s.",
                        software=software.display_name,
                        old=states[old_state],
                        new=states[new_state],
                    )
                )
            software._check_lifecycle_role(old_state, new_state, groups, allow_referent)
            missing = software._lifecycle_missing(new_state)
            if missing:
                raise UserError(
                    self.env._(
                        "%(software)s cannot go to %(state)s yet. Missing: "
                        "%(missing)s.",
                        software=software.display_name,
                        state=states[new_state],
                        missing="; ".join(missing),
                    )
                )
            vals = {"lifecycle_state": new_state}
            if new_state == "in_use" and not software.in_use_since:
                vals["in_use_since"] = fields.Date.context_today(self)
            if new_state == "withdrawn":
                vals["withdrawn_on"] = fields.Date.context_today(self)
            # sudo: the lifecycle is closed to client writes; role and checks ran.
            software.sudo().write(vals)
        return True

    def action_to_reception(self):
        return self._set_lifecycle("reception")

    def action_back_to_request(self):
        return self._set_lifecycle("request")

    def action_put_in_use(self):
        return self._set_lifecycle("in_use")

    def action_suspend(self):
        """Stop the use (e.g. after a failed quality control); the referent may
        do it too."""
        return self._set_lifecycle("suspended", allow_referent=True)

    def action_resume(self):
        return self._set_lifecycle("in_use")

    def action_withdraw(self):
        return self._set_lifecycle("withdrawn")

    # ------------------------------------------------------------ approvals
    def _dm_next_step(self):
        return "in_use"

    # ------------------------------------------------------------ views
    def action_view_versions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dm_software.dm_software_version_action"
        )
        action["domain"] = [("software_id", "=", self.id)]
        action["context"] = {"default_software_id": self.id}
        return action

    def action_new_version(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New version"),
            "res_model": "dm.software.version",
            "view_mode": "form",
            "context": {"default_software_id": self.id},
        }

    # ------------------------------------------------------------ HAS mapping
    def _has_mapping_rows(self):
        """The HAS mapping of professional-use DMN: a header and one row per
        software (name, purpose, class, CE, AI, referent, trained users, last QC)."""
        classes = dict(self._fields["dm_risk_class"]._description_selection(self.env))
        regimes = dict(self._fields["ce_regime"]._description_selection(self.env))
        results = dict(
            self.env["dm.software.qc.record"]
            ._fields["result"]
            ._description_selection(self.env)
        )
        yes, no = self.env._("Yes"), self.env._("No")
        header = [
            self.env._("Software"),
            self.env._("Publisher"),
            self.env._("Version"),
            self.env._("Intended purpose"),
            self.env._("Risk class"),
            self.env._("CE marking"),
            self.env._("In-house (art. 5(5))"),
            self.env._("Contains AI"),
            self.env._("Referent"),
            self.env._("Services"),
            self.env._("Trained users"),
            self.env._("Last quality control"),
            self.env._("Result"),
        ]
        rows = [header]
        for software in self:
            ce = ""
            if software.ce_regime:
                ce = " ".join(
                    part
                    for part in (
                        regimes[software.ce_regime],
                        software.notified_body_number or "",
                        software.ce_certificate_ref or "",
                    )
                    if part
                )
            rows.append(
                [
                    software.name,
                    software.publisher_id.name or "",
                    software.current_version_id.version or "",
                    software.intended_purpose or "",
                    classes.get(software.dm_risk_class, ""),
                    ce,
                    yes if software.in_house else no,
                    yes if software.contains_ai else no,
                    software.referent_id.name or "",
                    software.services or "",
                    ", ".join(software.trained_user_ids.mapped("name")),
                    fields.Date.to_string(software.last_qc_date) or "",
                    results.get(software.last_qc_result, ""),
                ]
            )
        return rows

    def action_export_has_mapping(self):
        """Download the HAS mapping of the medical device software as XLSX:
        the selected ones, or every medical device software in use."""
        softwares = self or self.search(
            [("is_medical_device", "=", True), ("lifecycle_state", "!=", "withdrawn")]
        )
        rows = softwares._has_mapping_rows()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(self.env._("DMN mapping"))
        bold = workbook.add_format({"bold": True})
        wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        for row_index, row in enumerate(rows):
            sheet.write_row(row_index, 0, row, bold if row_index == 0 else wrap)
        sheet.set_column(0, len(rows[0]) - 1, 24)
        sheet.freeze_panes(1, 0)
        workbook.close()
        today = fields.Date.to_string(fields.Date.context_today(self))
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"has_dmn_mapping_{today}.xlsx",
                "datas": base64.b64encode(output.getvalue()),
                "mimetype": (
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                ),
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }
