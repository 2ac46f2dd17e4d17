from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.translate import LazyTranslate

from ..tools import checklist
from ..tools import reader_text as rt
from ..tools.selections import RISK_CLASSES

_lt = LazyTranslate(__name__)

PHARMACIST = "medical_device.group_dm_pharmacist"
TECHNICIAN = "medical_device.group_dm_technician"
# Every medical device role that may report an incident (engineers are
# technicians); the auditor only reads.
REPORTERS = (
    TECHNICIAN,
    PHARMACIST,
    "medical_device.group_dm_rssi",
    "medical_device.group_dm_dpo",
)
# Who may stop the use of a device from an incident: the biomedical team and
# the matériovigilance correspondent.
USE_STOPPERS = (TECHNICIAN, PHARMACIST)
INCIDENT_ACTIVITY = "medical_device.mail_activity_type_dm_vigilance_incident"
PATIENT_CONSEQUENCES = [
    ("none", "None"),
    ("injury", "Injury"),
    ("serious_deterioration", "Serious deterioration of health"),
    ("death", "Death"),
]
# A consequence that makes the incident serious (CSP L5212-2, MDR art. 2(65)).
SERIOUS_CONSEQUENCES = ("serious_deterioration", "death")
# What the device was when the incident happened, captured at creation.
CAPTURED_FIELDS = (
    "udi_di",
    "lot",
    "serial_no",
    "trade_name",
    "device_model",
    "manufacturer_name",
    "dm_risk_class",
)
# What the reporter writes: anyone who may report while it is a draft, then
# the matériovigilance correspondent only.
REPORT_FIELDS = (
    "incident_date",
    "service",
    "description",
    "patient_consequence",
    "is_serious",
    "actions_taken",
)
REPORT_FIELD_GROUPS = {"draft": (), None: (PHARMACIST,)}
DECLARATION_FIELD_GROUPS = {None: (PHARMACIST,)}
DECLARATION_FIELDS = (
    "ansm_reference",
    "ansm_declaration_date",
    "manufacturer_reference",
    "manufacturer_conclusion",
)


class DmVigilanceIncident(models.Model):
    """An adverse event involving a medical device (matériovigilance): what
    happened, to which device as it was then, its consequence for the
    patient; the local matériovigilance correspondent (a pharmacist) declares
    it to the ANSM and closes it with the manufacturer's conclusion."""

    _name = "dm.vigilance.incident"
    _description = "Adverse event (materiovigilance)"
    _inherit = ["mail.thread", "mail.activity.mixin", "dm.workflow.mixin"]
    _order = "incident_date desc, id desc"
    _check_company_auto = True

    # The workflow (dm.workflow.mixin): any DM role reports a draft; only the
    # pharmacist declares it to the ANSM and closes it.
    _dm_transitions = {
        ("draft", "declared"): (PHARMACIST,),
        ("declared", "closed"): (PHARMACIST,),
    }
    _dm_protected_fields = ("name", "reported_by_id", "stop_request_id")
    _dm_create_only_fields = ("equipment_id",)
    _dm_state_stamps = {
        "declared": ("declarant_id", "declared_on"),
        "closed": ("closed_by_id", "closed_on"),
    }
    _dm_frozen_states = ("closed",)
    _dm_deletable_states = ("draft",)
    _dm_field_groups = {
        **dict.fromkeys(REPORT_FIELDS, REPORT_FIELD_GROUPS),
        **dict.fromkeys(DECLARATION_FIELDS, DECLARATION_FIELD_GROUPS),
    }

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    state = fields.Selection(
        [("draft", "Draft"), ("declared", "Declared to ANSM"), ("closed", "Closed")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        group_expand=True,
    )
    incident_date = fields.Date(
        string="Date of the incident",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
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
    # The device as it was: kept even if the device changes afterwards.
    udi_di = fields.Char(string="UDI-DI", readonly=True, copy=False)
    lot = fields.Char(readonly=True, copy=False)
    serial_no = fields.Char(string="Serial number", readonly=True, copy=False)
    trade_name = fields.Char(string="Trade name", readonly=True, copy=False)
    device_model = fields.Char(string="Model", readonly=True, copy=False)
    manufacturer_name = fields.Char(string="Manufacturer", readonly=True, copy=False)
    dm_risk_class = fields.Selection(
        RISK_CLASSES, string="Risk class", readonly=True, copy=False
    )
    service = fields.Char(
        string="Care unit",
        tracking=True,
        help="The service or care unit where the incident happened.",
    )
    description = fields.Text(
        required=True,
        tracking=True,
        help="What happened, in what circumstances, with which accessories or "
        "consumables.",
    )
    patient_consequence = fields.Selection(
        PATIENT_CONSEQUENCES,
        string="Consequence for the patient",
        required=True,
        default="none",
        tracking=True,
    )
    is_serious = fields.Boolean(
        string="Serious incident",
        compute="_compute_is_serious",
        store=True,
        readonly=False,
        tracking=True,
        help="An incident that led, or could have led, to death or a serious "
        "deterioration of health: it is declared to the ANSM without delay "
        "(CSP L5212-2). Set by a serious consequence; tick it for a near miss.",
    )
    actions_taken = fields.Text(
        string="Measures taken",
        tracking=True,
        help="What was done after the incident (device set aside, patient care, "
        "manufacturer contacted…).",
    )
    reported_by_id = fields.Many2one(
        "res.users",
        string="Reported by",
        readonly=True,
        copy=False,
        default=lambda self: self.env.user,
    )
    declarant_id = fields.Many2one(
        "res.users",
        readonly=True,
        copy=False,
        tracking=True,
        help="The matériovigilance correspondent who declared the incident.",
    )
    declared_on = fields.Datetime(readonly=True, copy=False)
    ansm_reference = fields.Char(
        string="ANSM reference",
        tracking=True,
        copy=False,
        help="The reference the ANSM gave the declaration.",
    )
    ansm_declaration_date = fields.Date(
        string="Declared to ANSM on", tracking=True, copy=False
    )
    manufacturer_reference = fields.Char(
        string="Manufacturer's reference", tracking=True, copy=False
    )
    manufacturer_conclusion = fields.Text(
        string="Manufacturer's conclusion",
        tracking=True,
        copy=False,
        help="The manufacturer's investigation and conclusion, required to close.",
    )
    closed_by_id = fields.Many2one(
        "res.users", string="Closed by", readonly=True, copy=False
    )
    closed_on = fields.Datetime(readonly=True, copy=False)
    stop_request_id = fields.Many2one(
        "maintenance.request",
        string="Stop of use",
        readonly=True,
        copy=False,
        check_company=True,
        help="The operation of the maintenance register that took the device "
        "out of use after this incident; its use resumes there.",
    )
    use_stopped_on = fields.Datetime(related="stop_request_id.use_stopped_on")
    use_resumed_on = fields.Datetime(related="stop_request_id.use_resumed_on")

    # ------------------------------------------------------------ computes
    @api.depends("patient_consequence")
    def _compute_is_serious(self):
        for incident in self:
            if incident.patient_consequence in SERIOUS_CONSEQUENCES:
                incident.is_serious = True
            elif not incident.is_serious:
                incident.is_serious = False

    @api.constrains("patient_consequence", "is_serious")
    def _check_serious(self):
        for incident in self:
            if (
                incident.patient_consequence in SERIOUS_CONSEQUENCES
                and not incident.is_serious
            ):
                raise UserError(
                    self.env._(
                        "%(incident)s: an incident with a consequence such as "
                        "%(consequence)s is serious.",
                        incident=incident.display_name,
                        consequence=dict(
                            self._fields["patient_consequence"]._description_selection(
                                self.env
                            )
                        )[incident.patient_consequence],
                    )
                )

    # ------------------------------------------------------------ workflow
    @api.model
    def _dm_complete_create_vals(self, vals):
        if vals.get("name", self.env._("New")) == self.env._("New"):
            vals["name"] = (
                self.env["ir.sequence"].next_by_code("dm.vigilance.incident") or "/"
            )
        device_id = vals.get("equipment_id") or self.env.context.get(
            "default_equipment_id"
        )
        if device_id:
            vals.update(self._dm_captured_values(device_id))

    @api.model
    def _dm_captured_values(self, device_id):
        """The device's identity at the time of the incident."""
        # sudo: captured from the device whoever reports (the reporter may
        # read it, checked in _dm_check_client_create).
        device = self.env["maintenance.equipment"].sudo().browse(device_id).exists()
        if not device:
            return {}
        return {
            "udi_di": device.udi_di or False,
            "lot": device.udi_lot or False,
            "serial_no": device.serial_no or device.udi_serial or False,
            "trade_name": device.trade_name or device.name or False,
            "device_model": device.model or False,
            "manufacturer_name": device.manufacturer_id.name or False,
            "dm_risk_class": device.dm_risk_class or False,
        }

    @api.model
    def _dm_client_protected_fields(self):
        # The captured identity is the server's, never a client's.
        return super()._dm_client_protected_fields() | set(CAPTURED_FIELDS)

    @api.model
    def _dm_check_client_create(self, vals):
        result = super()._dm_check_client_create(vals)
        user = self.env.user
        if not any(user.has_group(group) for group in REPORTERS):
            raise AccessError(
                self.env._(
                    "Only %(roles)s may report an incident.",
                    roles=self._dm_group_names(REPORTERS),
                )
            )
        device = self.env["maintenance.equipment"].browse(
            vals.get("equipment_id") or self.env.context.get("default_equipment_id")
        )
        if device:
            # Record rules are not checked on the device given: another
            # hospital's device stays out of reach.
            device.check_access("read")
            if not device.is_medical_device:
                raise UserError(
                    self.env._(
                        "%(device)s is not a medical device: its incidents are not "
                        "matériovigilance.",
                        device=device.display_name,
                    )
                )
        return result

    def _dm_state_checklist(self, new_state):
        self.ensure_one()
        if new_state == "declared":
            return [
                checklist.item(
                    self.env._("the ANSM reference"),
                    self.ansm_reference,
                    "ansm_reference",
                ),
                checklist.item(
                    self.env._("the date of the declaration to the ANSM"),
                    self.ansm_declaration_date,
                    "ansm_declaration_date",
                ),
            ]
        if new_state == "closed":
            return [
                checklist.item(
                    self.env._("the manufacturer's conclusion"),
                    self.manufacturer_conclusion,
                    "manufacturer_conclusion",
                )
            ]
        return []

    def _dm_next_action(self):
        if self.state == "draft":
            return {
                "state": "declared",
                "method": "action_declare",
                "string": self.env._("Declare to ANSM"),
            }
        if self.state == "declared":
            return {
                "state": "closed",
                "method": "action_close",
                "string": self.env._("Close"),
            }
        return None

    def _dm_protected_message(self, fnames):
        return self.env._(
            "The reference, the device's identity at the time of the incident, "
            "the steps and their dates are set by the server and the actions "
            "(Declare, Close), not edited (fields refused: %(fields)s).",
            fields=self._dm_field_labels(fnames),
        )

    def _dm_history_message(self, reasons):
        return self.env._(
            "%(incident)s was declared: it is part of the matériovigilance "
            "records and cannot be deleted.",
            incident=self.display_name,
        )

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        incidents = super().create(vals_list)
        for incident in incidents:
            # sudo: any reporter notes it on the device without following it.
            incident.equipment_id.sudo()._dm_post_note(
                rt.msg(
                    _lt("Incident %(incident)s reported by %(user)s."),
                    incident=incident.name,
                    user=self.env.user.name,
                )
            )
        incidents.filtered("is_serious")._dm_alert_pharmacists()
        return incidents

    def write(self, vals):
        not_serious = self.filtered(lambda i: not i.is_serious)
        result = super().write(vals)
        not_serious.filtered("is_serious")._dm_alert_pharmacists()
        return result

    # ------------------------------------------------------------ alerts
    def _dm_alert_pharmacists(self):
        """An urgent activity for each pharmacist of the device's company, in
        the pharmacist's language, once per incident."""
        activity_type = self.env.ref(INCIDENT_ACTIVITY)
        today = fields.Date.context_today(self)
        for incident in self.filtered(lambda i: i.state == "draft"):
            pharmacists = self.env["dm.approval"]._group_members(
                PHARMACIST, incident.company_id
            )
            # sudo: the reporter may not write the activities of others.
            record = incident.sudo()
            already = record.activity_ids.filtered(
                lambda a, t=activity_type: a.activity_type_id == t
            ).user_id
            for user in pharmacists - already:
                record._dm_activity_schedule(
                    user,
                    summary=rt.msg(
                        _lt("Serious incident to declare to the ANSM: %(device)s"),
                        device=incident.equipment_id.display_name,
                    ),
                    note=rt.msg(
                        _lt(
                            "%(user)s reported a serious incident on %(device)s "
                            "(%(consequence)s): declare it to the ANSM without delay."
                        ),
                        user=self.env.user.name,
                        device=incident.equipment_id.display_name,
                        consequence=rt.selection(
                            self._name,
                            "patient_consequence",
                            incident.patient_consequence,
                        ),
                    ),
                    act_type_xmlid=INCIDENT_ACTIVITY,
                    date_deadline=today,
                )

    # ------------------------------------------------------------ actions
    def action_declare(self):
        """The pharmacist declares the incident (the ANSM reference and date
        are required by the step's checklist)."""
        self._dm_check_role("draft", "declared")
        self._dm_check_step({"draft"}, self.env._("be declared"))
        self._dm_lock()
        for incident in self:
            incident._dm_set_state("declared")
            # sudo: the alert activities are the pharmacists', done by the
            # declaration whoever of them declares.
            incident.sudo().activity_ids.filtered(
                lambda a: a.activity_type_id == self.env.ref(INCIDENT_ACTIVITY)
            )._dm_feedback(
                rt.msg(
                    _lt("Declared to the ANSM (%(ref)s)."),
                    ref=incident.ansm_reference,
                )
            )
            incident._dm_post_note(
                rt.msg(
                    _lt("Declared to the ANSM by %(user)s, reference %(ref)s."),
                    user=self.env.user.name,
                    ref=incident.ansm_reference,
                )
            )
        return True

    def action_close(self):
        self._dm_check_role("declared", "closed")
        self._dm_check_step({"declared"}, self.env._("be closed"))
        self._dm_lock()
        for incident in self:
            incident._dm_set_state("closed")
            incident._dm_post_note(
                rt.msg(
                    _lt("Closed by %(user)s with the manufacturer's conclusion."),
                    user=self.env.user.name,
                )
            )
        return True

    def action_stop_use(self):
        """Take the device out of use: an operation of its maintenance
        register records when its use stopped; it resumes there, by the
        biomedical team (the register's own gate)."""
        user = self.env.user
        if not any(user.has_group(group) for group in USE_STOPPERS):
            raise AccessError(
                self.env._(
                    "Only %(roles)s may stop the use of a device after an incident.",
                    roles=self._dm_group_names(USE_STOPPERS),
                )
            )
        self.check_access("write")
        self._dm_lock()
        now = fields.Datetime.now()
        for incident in self:
            if incident.stop_request_id and not incident.use_resumed_on:
                raise UserError(
                    self.env._(
                        "The use of %(device)s is already stopped after %(incident)s.",
                        device=incident.equipment_id.display_name,
                        incident=incident.display_name,
                    )
                )
            device = incident.equipment_id
            # sudo: the pharmacist is no register keeper; the stop is recorded
            # in the register on behalf of the incident, its resumption is the
            # biomedical team's.
            request = (
                self.env["maintenance.request"]
                .sudo()
                .create(
                    {
                        # Stored: in the hospital's language, not the
                        # pharmacist's.
                        "name": device._dm_company_text(
                            rt.msg(
                                _lt("Use stopped after incident %(incident)s"),
                                incident=incident.name,
                            )
                        ),
                        "equipment_id": device.id,
                        "company_id": device.company_id.id,
                        "maintenance_type": "corrective",
                        "use_stopped_on": now,
                        "description": incident.description,
                    }
                )
            )
            incident.sudo().stop_request_id = request
            note = rt.msg(
                _lt(
                    "Use of the device stopped by %(user)s after incident "
                    "%(incident)s; it resumes through the maintenance register."
                ),
                user=user.name,
                incident=incident.name,
            )
            incident._dm_post_note(note)
            device.sudo()._dm_post_note(note)
        return True

    def action_open_stop_request(self):
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "maintenance.request",
            "res_id": self.stop_request_id.id,
            "view_mode": "form",
        }
