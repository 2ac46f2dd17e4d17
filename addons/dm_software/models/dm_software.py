import base64
import io

import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.selections import HOSTING, QUALIFICATION_STATES

LIFECYCLE_STATES = [
    ("request", "Request"),
    ("reception", "Reception"),
    ("in_use", "In use"),
    ("suspended", "Suspended"),
    ("withdrawn", "Withdrawn"),
]
# The roles of the software workflows (any of the groups; engineers are
# technicians too).
MANAGERS = ("medical_device.group_dm_technician", "medical_device.group_dm_pharmacist")
REGULATORY = ("medical_device.group_dm_pharmacist", "medical_device.group_dm_engineer")
INSTALLERS = ("medical_device.group_dm_technician",)
PHARMACIST_GROUP = "medical_device.group_dm_pharmacist"
QUALIFICATION_ACTIVITY = "dm_software.mail_activity_type_dm_software_qualification"


class DmSoftware(models.Model):
    """A software used in the hospital: the register identifies the medical
    device software (DMN), follows its reception, versions and, for AI, the
    quality control of its results (HAS)."""

    _name = "dm.software"
    _description = "Software (medical device or not)"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "dm.approval.mixin",
        "dm.regulatory.mixin",
        "dm.workflow.mixin",
    ]
    _order = "name, id"
    _check_company_auto = True

    # The workflow (dm.workflow.mixin): who moves the lifecycle and the
    # qualification, what a client never sets, what is frozen once withdrawn.
    _dm_state_field = "lifecycle_state"
    _dm_transitions = {
        ("request", "reception"): MANAGERS,
        ("reception", "request"): REGULATORY,
        ("reception", "in_use"): MANAGERS,
        # The referent may suspend too (_dm_may_move).
        ("in_use", "suspended"): REGULATORY,
        ("suspended", "in_use"): REGULATORY,
        ("request", "withdrawn"): REGULATORY,
        ("reception", "withdrawn"): REGULATORY,
        ("in_use", "withdrawn"): REGULATORY,
        ("suspended", "withdrawn"): REGULATORY,
    }
    _dm_extra_transitions = {
        "qualification_state": {
            # The answers of the qualification wizard.
            ("to_qualify", "to_confirm"): MANAGERS,
            ("qualified", "to_confirm"): MANAGERS,
            # Their confirmation (dm.software.qualification).
            ("to_confirm", "qualified"): REGULATORY,
            # Re-opened by whoever changes the intended purpose, or by the
            # validation of a version that changes the class or the purpose.
            ("to_confirm", "to_qualify"): (),
            ("qualified", "to_qualify"): (),
        },
    }
    # Set by the confirmed qualification and the lifecycle actions only.
    _dm_protected_fields = (
        "qualification_id",
        "is_medical_device",
        "dm_risk_class",
        "requalification_reason",
        "requalification_version_id",
        "in_use_since",
        "withdrawn_on",
    )
    _dm_frozen_states = ("withdrawn",)
    _dm_always_writable = ("active", "color")
    _dm_deletable_states = ("request",)

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
        readonly=True,
        copy=False,
        help="Set by the confirmed qualification (MDR rule 11).",
    )
    ce_checked = fields.Boolean(
        string="CE marking checked",
        tracking=True,
        help="The CE marking, the class and the declaration of conformity were "
        "checked at reception.",
    )
    udi_di = fields.Char(
        tracking=True,
        help="The software's UDI-DI: a GTIN or a full UDI (GS1 or HIBCC) from "
        "which it is read. It changes with every major version (MDR Annex VI).",
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

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        # A new software starts as a request and is qualified later: only data
        # loads and imports (superuser) bring one in another state (the mixin).
        softwares = super().create(vals_list)
        softwares.filtered(
            lambda s: s.qualification_state == "to_qualify"
        )._ask_qualification(self.env._("New software to qualify"))
        return softwares

    def write(self, vals):
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

    # ------------------------------------------------------------ workflow
    def _dm_history_reasons(self):
        reasons = super()._dm_history_reasons()
        # Archived ones count: they are history too.
        software = self.with_context(active_test=False)
        if software.version_ids:
            reasons.append(self.env._("versions"))
        if software.qualification_ids:
            reasons.append(self.env._("qualifications"))
        if software.qc_record_ids:
            reasons.append(self.env._("quality controls"))
        return reasons

    def _dm_history_message(self, reasons):
        return self.env._(
            "%(software)s has a history (lifecycle, qualifications, "
            "versions or quality controls) that must be kept: archive "
            "it instead of deleting it.",
            software=self.display_name,
        )

    def _dm_protected_message(self, fnames):
        if set(fnames) & self._dm_computed_readonly_fields():
            return super()._dm_protected_message(fnames)
        return self.env._(
            "%(fields)s change only through the lifecycle and qualification actions.",
            fields=self._dm_field_labels(fnames),
        )

    def _dm_frozen_message(self, fnames):
        return self.env._(
            "%(software)s is withdrawn: its record is kept as it is.",
            software=self.display_name,
        )

    def _dm_may_move(self, old_state, new_state, state_field=None):
        # The software's referent may stop its use (e.g. after a failed control).
        if (
            not state_field
            and new_state == "suspended"
            and self.referent_id == self.env.user
        ):
            return True
        extra = {"state_field": state_field} if state_field else {}
        return super()._dm_may_move(old_state, new_state, **extra)

    def _dm_state_missing(self, new_state):
        return self._lifecycle_missing(new_state)

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
            software.qualification_ids.filtered(
                lambda q: q.state == "to_confirm"
            )._dm_set_state("superseded")
            software._dm_set_state("to_qualify", state_field="qualification_state")
            vals = {"requalification_reason": why}
            if version:
                vals["requalification_version_id"] = version.id
            # sudo: the reason is closed to clients; set by this re-opening only.
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
                missing += self._dm_regulatory_missing()
            if not self.training_done:
                missing.append(self.env._("the user training"))
            # From the installations themselves, not the stored current version.
            if not self.install_ids.filtered(
                lambda i: i.state == "current" and i.version_id.software_id == self
            ):
                missing.append(self.env._("an installed version"))
            if self.contains_ai and not self.qc_plan_ids.filtered("active"):
                missing.append(
                    self.env._("a plan for the quality control of its AI results")
                )
            last_qc = self.qc_record_ids.filtered("active").sorted(
                lambda r: (r.date, r.id), reverse=True
            )[:1]
            if last_qc and last_qc._measured_result()[1] == "fail":
                missing.append(
                    self.env._("a passed quality control after the failed one")
                )
            missing += self._dm_approvals_missing("in_use")
        return missing

    def _dm_ce_marking_exempt(self):
        # A medical device made in-house (MDR art. 5(5)) carries no CE marking.
        return self.in_house

    def _dm_regulatory_missing(self):
        missing = super()._dm_regulatory_missing()
        if self.in_house:
            if not (self.in_house_justification or "").strip():
                missing.append(self.env._("the in-house justification (art. 5(5))"))
        elif not self.ce_checked:
            missing.append(self.env._("the CE marking check"))
        return missing

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
