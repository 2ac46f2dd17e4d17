import base64

from odoo import api, fields, models
from odoo.addons.medical_device.models.dm_regulatory_mixin import REGULATORY_FIELDS
from odoo.addons.medical_device.tools import reader_text as rt
from odoo.addons.medical_device.tools.messages import render
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from ..tools import has_mapping
from ..tools.selections import HOSTING, LIFECYCLE_STATES, QUALIFICATION_STATES

_lt = LazyTranslate(__name__)

# The roles of the software workflows (any of the groups; engineers are
# technicians too).
MANAGERS = ("medical_device.group_dm_technician", "medical_device.group_dm_pharmacist")
REGULATORY = ("medical_device.group_dm_pharmacist", "medical_device.group_dm_engineer")
INSTALLERS = ("medical_device.group_dm_technician",)
PHARMACIST_GROUP = "medical_device.group_dm_pharmacist"
# The software's regulatory identity beyond the shared one: its exemption from
# CE marking (MDR art. 5(5)).
SOFTWARE_REGULATORY_FIELDS = ("in_house", "in_house_justification")
# The CE data: filled while the software is requested and received, then kept
# by the pharmacist and the engineer.
CE_DATA_GROUPS = {"request": MANAGERS, "reception": MANAGERS, None: REGULATORY}
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
    _dm_regulatory_extra_fields = SOFTWARE_REGULATORY_FIELDS
    _dm_field_groups = dict.fromkeys(
        REGULATORY_FIELDS + SOFTWARE_REGULATORY_FIELDS, CE_DATA_GROUPS
    )

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
        check_company=True,
        help="The professionals who use it; they may record quality controls.",
    )
    services = fields.Char(help="Care units or departments that use it.")
    referent_id = fields.Many2one(
        "res.users",
        tracking=True,
        index=True,
        check_company=True,
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
        check_company=True,
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
        check_company=True,
    )
    requalification_reason = fields.Char(
        string="Re-qualify because", readonly=True, copy=False, tracking=True
    )
    requalification_version_id = fields.Many2one(
        "dm.software.version",
        string="Version to qualify",
        readonly=True,
        copy=False,
        check_company=True,
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
        )._ask_qualification(rt.msg(_lt("New software to qualify")))
        return softwares

    def write(self, vals):
        self._dm_check_input_vals(vals)
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
                rt.msg(_lt("the intended purpose changed"))
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

    def _dm_state_checklist(self, new_state):
        return self._lifecycle_checklist(new_state)

    # ------------------------------------------------------------ views
    def action_view_versions(self):
        self.ensure_one()
        # Only for a user who may read the record (see docs/security.md).
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dm_software.dm_software_version_action"
        )
        action["domain"] = [("software_id", "=", self.id)]
        action["context"] = {"default_software_id": self.id}
        return action

    def action_new_version(self):
        self.ensure_one()
        # Only for a user who may read the record (see docs/security.md).
        self.check_access("read")
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
        return has_mapping.mapping_rows(
            [
                {
                    "software": software.name,
                    "publisher": software.publisher_id.name,
                    "version": software.current_version_id.version,
                    "intended_purpose": software.intended_purpose,
                    "risk_class": classes.get(software.dm_risk_class),
                    "ce_marking": has_mapping.ce_marking(
                        regimes.get(software.ce_regime),
                        software.notified_body_number,
                        software.ce_certificate_ref,
                    ),
                    "in_house": software.in_house,
                    "contains_ai": software.contains_ai,
                    "referent": software.referent_id.name,
                    "services": software.services,
                    "trained_users": software.trained_user_ids.mapped("name"),
                    "last_qc": fields.Date.to_string(software.last_qc_date),
                    "result": results.get(software.last_qc_result),
                }
                for software in self
            ],
            translate=lambda template: render(template, env=self.env),
        )

    def action_export_has_mapping(self):
        """Download the HAS mapping of the medical device software as XLSX:
        the selected ones, or every medical device software in use."""
        softwares = self or self.search(
            [("is_medical_device", "=", True), ("lifecycle_state", "!=", "withdrawn")]
        )
        content = has_mapping.xlsx_content(
            softwares._has_mapping_rows(),
            render(has_mapping.SHEET_NAME, env=self.env),
        )
        today = fields.Date.to_string(fields.Date.context_today(self))
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"has_dmn_mapping_{today}.xlsx",
                "datas": base64.b64encode(content),
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
