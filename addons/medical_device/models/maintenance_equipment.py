from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date

from ..tools import pieu, regulatory, udi
from ..tools.messages import tools_error
from ..tools.selections import LIFECYCLE_STATES

TECHNICIAN = "medical_device.group_dm_technician"
ENGINEER = "medical_device.group_dm_engineer"
# The lifecycle: each allowed move and who may make it (engineers are
# technicians too); anything else is refused on the server.
LIFECYCLE_TRANSITIONS = {
    ("acquisition", "reception"): (TECHNICIAN,),
    ("reception", "in_service"): (TECHNICIAN,),
    ("reception", "acquisition"): (ENGINEER,),
    ("in_service", "disposal"): (ENGINEER,),
    ("disposal", "in_service"): (ENGINEER,),
    ("disposal", "disposed"): (ENGINEER,),
}
UDI_PARSED_FIELDS = (
    "udi_issuer",
    "udi_di",
    "udi_lot",
    "udi_serial",
    "udi_expiry_date",
    "udi_manufacture_date",
)


class MaintenanceEquipment(models.Model):
    _name = "maintenance.equipment"
    _inherit = [
        "maintenance.equipment",
        "dm.approval.mixin",
        "dm.regulatory.mixin",
        "dm.workflow.mixin",
    ]
    _dm_regulatory_kind_field = "dm_kind"

    _dm_state_field = "lifecycle_state"
    _dm_state_writable = True
    _dm_transitions = LIFECYCLE_TRANSITIONS
    # Only data loads and imports (superuser) create a device past reception.
    _dm_create_states = ("acquisition", "reception")
    _dm_protected_fields = UDI_PARSED_FIELDS
    # A disposed device is read-only except for its archive data.
    _dm_frozen_states = ("disposed",)
    _dm_always_writable = ("active", "archive_note", "color")
    _dm_deletable_states = ("acquisition",)

    # Inventory fields of CSP R5212-28 and audit trail on core fields.
    serial_no = fields.Char(tracking=True)
    partner_id = fields.Many2one(string="Supplier", tracking=True)
    model = fields.Char(tracking=True)
    location = fields.Char(tracking=True)

    is_medical_device = fields.Boolean(
        string="Medical device",
        tracking=True,
        index=True,
        help="A medical device (DM) under the EU MDR or IVDR: its regulatory "
        "identity, lifecycle gates and criticality apply. Only a biomedical "
        "engineer changes it, with a reason, and never off for a device with a "
        "history.",
    )
    dm_flag_reason = fields.Char(
        string="Reason for the medical-device status",
        tracking=True,
        copy=False,
        help="Why the equipment was made a medical device, or no longer is one; "
        "required to change the status.",
    )
    dm_kind = fields.Selection(
        [
            ("dm", "DM"),
            ("dmia", "DMIA (active implantable)"),
            ("dmdiv", "DMDIV (in-vitro diagnostic)"),
        ],
        string="Device kind",
        default="dm",
        tracking=True,
    )
    embeds_software = fields.Boolean(
        string="Embeds software (DMIL)",
        tracking=True,
        help="The device integrates software (DMIL): infusion pump, monitor, "
        "anaesthesia station…",
    )
    is_connected = fields.Boolean(
        string="Connected",
        tracking=True,
        help="The device communicates data: network, telemonitoring, remote "
        "maintenance, PACS link.",
    )
    contains_ai = fields.Boolean(tracking=True)
    is_implantable = fields.Boolean(
        string="Implantable",
        tracking=True,
        help="Implantable devices of class IIb keep the shorter MDR transition "
        "deadline (Regulation 2023/607).",
    )
    common_name = fields.Char(
        string="Common name",
        tracking=True,
        help="Generic name of the device (dénomination commune), e.g. 'Syringe pump'.",
    )
    trade_name = fields.Char(string="Trade name", tracking=True)
    manufacturer_id = fields.Many2one("res.partner", tracking=True, check_company=True)
    commissioning_date = fields.Date(
        string="First put into service",
        tracking=True,
        copy=False,
        help="Date the device was first put into service (CSP R5212-28). Set "
        "when the device first enters service if empty.",
    )

    ce_transition_deadline = fields.Date(
        string="Transition deadline",
        compute="_compute_ce_deadlines",
        store=True,
        help="For legacy MDD/AIMDD/IVDD devices, the end of the transition "
        "period (Regulations 2023/607 and 2024/1860), from the editable rules.",
    )
    ce_next_deadline = fields.Date(
        string="Next CE deadline",
        compute="_compute_ce_deadlines",
        store=True,
        index=True,
        help="The earlier of the certificate expiry and the transition deadline.",
    )

    udi_carrier = fields.Char(
        string="UDI",
        tracking=True,
        copy=False,
        help="The UDI as scanned or typed: GS1 (with GS separators or "
        "parentheses) or HIBCC. It is checked and split into its parts.",
    )
    udi_issuer = fields.Selection(
        [("gs1", "GS1"), ("hibcc", "HIBCC")], string="UDI issuer", readonly=True
    )
    # Read from the UDI carrier (see _udi_values), never typed.
    udi_di = fields.Char(readonly=True)
    udi_lot = fields.Char(string="UDI lot", readonly=True)
    udi_serial = fields.Char(string="UDI serial", readonly=True, copy=False)
    udi_expiry_date = fields.Date(string="UDI expiry", readonly=True)
    udi_manufacture_date = fields.Date(string="UDI manufacture date", readonly=True)
    emdn_code = fields.Char(
        string="EMDN code",
        tracking=True,
        help="European Medical Device Nomenclature: a category letter, a "
        "two-digit group, then pairs of digits (e.g. Z12030101).",
    )

    is_ionising = fields.Boolean(
        string="Ionising radiation / imaging",
        tracking=True,
        help="Radiodiagnosis imaging, radiotherapy, nuclear medicine or other "
        "exposure to ionising radiation (arrêté of 3 March 2003).",
    )
    maintenance_obligatory = fields.Boolean(
        string="Maintenance obligatory",
        compute="_compute_obligations",
        store=True,
        help="Arrêté of 3 March 2003: class IIb and III devices and ionising "
        "radiation devices.",
    )
    quality_control_obligatory = fields.Boolean(
        string="Quality control obligatory",
        compute="_compute_obligations",
        store=True,
        help="Internal and external quality control: ionising radiation devices.",
    )

    lifecycle_state = fields.Selection(
        LIFECYCLE_STATES,
        string="Lifecycle",
        default="acquisition",
        required=True,
        tracking=True,
        index=True,
        copy=False,
        group_expand=True,
    )
    acquisition_mode = fields.Selection(
        [
            ("purchase", "Purchase"),
            ("rental", "Rental"),
            ("loan", "Supplier loan (MAD)"),
            ("donation", "Donation"),
        ],
        string="Acquisition mode",
        tracking=True,
    )
    acquisition_date = fields.Date(string="Acquisition date")
    acq_ce_checked = fields.Boolean(
        string="CE marking checked", tracking=True, help="Checked at acquisition."
    )
    acq_cyber_questionnaire = fields.Boolean(
        string="Cybersecurity questionnaire answered",
        tracking=True,
        help="The supplier answered the minimum cybersecurity questions "
        "(required for a connected device).",
    )
    acq_data_protection_clauses = fields.Boolean(
        string="Data-protection clauses present",
        tracking=True,
        help="The contract (CCAP) holds the personal data protection clauses "
        "(required for a connected device).",
    )
    acq_archiving_defined = fields.Boolean(
        string="Data archiving defined", tracking=True
    )
    acq_training_planned = fields.Boolean(string="User training planned", tracking=True)
    supplier_cyber_answers = fields.Text(
        string="Supplier's cybersecurity answers",
        tracking=True,
        help="Summary of the supplier's answers to the cybersecurity questionnaire "
        "(or the MDS2 form), approved by the RSSI for a connected device.",
    )
    patient_data = fields.Boolean(
        string="Holds patient data",
        tracking=True,
        help="The device stores personal health data.",
    )
    data_hosting = fields.Selection(
        [
            ("device", "On the device only"),
            ("hospital", "Hospital servers"),
            ("cloud", "Cloud"),
            ("supplier", "Supplier server"),
        ],
        string="Patient data hosting",
        tracking=True,
        help="Data stored in a cloud or on a supplier server needs the DPO's "
        "approval of the data-processing contract before reception.",
    )
    dpa_reference = fields.Char(
        string="Data-processing contract",
        tracking=True,
        help="Reference of the data-processing agreement with the supplier (GDPR "
        "art. 28).",
    )
    hds_certified = fields.Boolean(
        string="Certified health data host (HDS)",
        tracking=True,
        help="The host holds the French HDS certification.",
    )
    data_retention = fields.Char(
        string="Data retention",
        tracking=True,
        help="How long the data is kept, e.g. '10 years after the last stay'.",
    )
    reception_ids = fields.One2many("dm.reception", "equipment_id", string="Receptions")
    reception_count = fields.Integer(compute="_compute_reception_count")
    reception_accepted = fields.Boolean(
        string="Reception accepted",
        compute="_compute_reception_accepted",
        store=True,
    )
    archive_note = fields.Text(
        string="Archive note",
        help="Where the device's records are kept after disposal. Still editable "
        "once the device is disposed.",
    )

    pieu_p_id = fields.Many2one(
        "dm.pieu.level",
        string="P: failure consequence",
        domain=[("factor", "=", "p")],
        tracking=True,
        ondelete="restrict",
    )
    pieu_i_id = fields.Many2one(
        "dm.pieu.level",
        string="I: equipment importance",
        domain=[("factor", "=", "i")],
        tracking=True,
        ondelete="restrict",
    )
    pieu_e_id = fields.Many2one(
        "dm.pieu.level",
        string="E: equipment condition",
        domain=[("factor", "=", "e")],
        tracking=True,
        ondelete="restrict",
    )
    pieu_u_id = fields.Many2one(
        "dm.pieu.level",
        string="U: utilisation rate",
        domain=[("factor", "=", "u")],
        tracking=True,
        ondelete="restrict",
    )
    pieu_score = fields.Float(
        string="PIEU score",
        compute="_compute_pieu",
        store=True,
        digits=(16, 4),
        help="P × I × E × U. The lower, the more critical.",
    )
    pieu_criticality = fields.Selection(
        [
            (pieu.VERY_CRITICAL, "Very critical"),
            (pieu.MODERATE, "Moderately critical"),
            (pieu.LOW, "Low criticality"),
        ],
        string="Criticality",
        compute="_compute_pieu",
        store=True,
        index=True,
        tracking=True,
        # Every level, in its order (very critical first) when grouped.
        group_expand=True,
    )

    # The lifecycle kanban's column counts and criticality bars, read from the
    # index alone on a fleet of 100,000 devices.
    _lifecycle_kanban_idx = models.Index(
        "(lifecycle_state, pieu_criticality) INCLUDE (company_id) "
        "WHERE active IS TRUE AND is_medical_device IS TRUE"
    )

    # ------------------------------------------------------------ computes
    @api.depends("reception_ids.state")
    def _compute_reception_accepted(self):
        for equipment in self:
            equipment.reception_accepted = any(
                r.state == "accepted" for r in equipment.reception_ids
            )

    def _compute_reception_count(self):
        counts = dict(
            self.env["dm.reception"]._read_group(
                [("equipment_id", "in", self.ids)], ["equipment_id"], ["__count"]
            )
        )
        for equipment in self:
            equipment.reception_count = counts.get(equipment, 0)

    @api.depends(
        "pieu_p_id.value", "pieu_i_id.value", "pieu_e_id.value", "pieu_u_id.value"
    )
    def _compute_pieu(self):
        very_critical_below, low_above = self._pieu_thresholds()
        for equipment in self:
            score = pieu.pieu_score(
                equipment.pieu_p_id.value if equipment.pieu_p_id else None,
                equipment.pieu_i_id.value if equipment.pieu_i_id else None,
                equipment.pieu_e_id.value if equipment.pieu_e_id else None,
                equipment.pieu_u_id.value if equipment.pieu_u_id else None,
            )
            equipment.pieu_score = score or 0.0
            equipment.pieu_criticality = pieu.pieu_criticality(
                score, very_critical_below, low_above
            )

    @api.model
    def _pieu_thresholds(self):
        params = self.env["ir.config_parameter"].sudo()  # settings are admin data
        return (
            float(params.get_param("medical_device.pieu_very_critical_below", 1.0)),
            float(params.get_param("medical_device.pieu_low_above", 10.0)),
        )

    @api.depends(
        "ce_regime", "dm_risk_class", "is_implantable", "ce_certificate_expiry"
    )
    def _compute_ce_deadlines(self):
        regimes = [r for r in set(self.mapped("ce_regime")) if r]
        rules = (
            self.env["dm.ce.transition.rule"]
            .search([("ce_regime", "in", regimes)])
            ._as_rule_dicts()
        )
        for equipment in self:
            deadline = regulatory.transition_deadline(
                rules,
                equipment.ce_regime,
                equipment.dm_risk_class,
                equipment.is_implantable,
            )
            equipment.ce_transition_deadline = deadline
            dates = [d for d in (deadline, equipment.ce_certificate_expiry) if d]
            equipment.ce_next_deadline = min(dates) if dates else False

    @api.depends("dm_risk_class", "is_ionising", "is_medical_device")
    def _compute_obligations(self):
        for equipment in self:
            if not equipment.is_medical_device:
                equipment.maintenance_obligatory = False
                equipment.quality_control_obligatory = False
                continue
            maintenance, quality_control = regulatory.maintenance_obligations(
                equipment.dm_risk_class, equipment.is_ionising
            )
            equipment.maintenance_obligatory = maintenance
            equipment.quality_control_obligatory = quality_control

    # ------------------------------------------------------------ constraints
    @api.constrains("emdn_code")
    def _check_emdn_code(self):
        for equipment in self:
            try:
                if equipment.emdn_code:
                    udi.validate_emdn_code(equipment.emdn_code)
            except udi.UdiError as error:
                raise tools_error(self.env, equipment.display_name, error) from error

    def _compute_field_value(self, field):
        # Installing or updating an addon computes its new stored fields on the
        # whole fleet (100,000 devices): no tracking message on each device.
        records = self
        if not self.pool.ready and not self.env.context.get("tracking_disable"):
            records = self.with_context(tracking_disable=True)
        return super(MaintenanceEquipment, records)._compute_field_value(field)

    def _check_company(self, fnames=None):
        """Check each distinct (company, linked records) combination once: an
        import creates thousands of devices linked to a few dozen partners and
        categories, and the core check evaluates a domain per record and field."""
        if len(self) < 2:
            return super()._check_company(fnames)
        # As the core check: a change of company checks every linked field.
        if fnames is None or {"company_id", "company_ids"} & set(fnames):
            fnames = list(self._fields)
        names = [
            name
            for name in fnames
            if self._fields[name].relational and self._fields[name].check_company
        ]
        representatives = {}
        for record in self.sudo():
            key = (record.company_id.id, *(record[name]._ids for name in names))
            representatives.setdefault(key, record.id)
        distinct = self.browse(representatives.values())
        return super(MaintenanceEquipment, distinct)._check_company(fnames)

    # ------------------------------------------------------------ UDI parsing
    def _udi_values(self, carrier):
        """Parsed UDI fields for a carrier string; raises a translated error."""
        if not carrier:
            return dict.fromkeys(UDI_PARSED_FIELDS, False)
        try:
            data = udi.parse_udi(carrier)
        except udi.UdiError as error:
            shown = carrier.replace("\x1d", "<GS>")
            raise tools_error(
                self.env, self.env._("Invalid UDI '%(carrier)s'", carrier=shown), error
            ) from error
        return {
            "udi_issuer": data.issuer,
            "udi_di": data.di,
            "udi_lot": data.lot or False,
            "udi_serial": data.serial or False,
            "udi_expiry_date": data.expiry_date or False,
            "udi_manufacture_date": data.manufacture_date or False,
        }

    def _normalize_vals(self, vals):
        vals = dict(vals)
        if "udi_carrier" in vals:
            carrier = (vals["udi_carrier"] or "").strip()
            vals["udi_carrier"] = carrier or False
            vals.update(self._udi_values(carrier))
        if vals.get("emdn_code"):
            vals["emdn_code"] = vals["emdn_code"].strip().upper()
        return vals

    def _dm_udi_di_from_input(self, value):
        # The device's UDI-DI comes from its UDI carrier, parsed above.
        return value

    # ------------------------------------------------------------ workflow
    def _dm_prepare_vals(self, vals):
        # After the client guard: the UDI parts are derived from the carrier.
        return self._normalize_vals(super()._dm_prepare_vals(vals))

    @api.model
    def _dm_governs_new(self, vals):
        return bool(vals.get("is_medical_device"))

    def _dm_workflow_records(self, vals=None):
        if vals and vals.get("is_medical_device"):
            return self
        return self.filtered("is_medical_device")

    # ------------------------------------------------------------ CRUD
    def write(self, vals):
        if "is_medical_device" in vals and not self.env.su:
            self._check_medical_device_flag(vals)
        first_in_service = self.browse()
        if vals.get("lifecycle_state") == "in_service":
            first_in_service = self.filtered(lambda e: not e.commissioning_date)
        result = super().write(vals)
        if first_in_service:
            first_in_service.write(
                {"commissioning_date": fields.Date.context_today(self)}
            )
        return result

    def _check_medical_device_flag(self, vals):
        """The medical-device flag decides which rules apply: only a biomedical
        engineer switches it, with a tracked reason, and never off on a device
        with a history, nor on for equipment past reception."""
        changed = self.filtered(
            lambda e: e.is_medical_device != bool(vals["is_medical_device"])
        )
        if not changed:
            return
        if not self.env.user.has_group("medical_device.group_dm_engineer"):
            raise AccessError(
                self.env._(
                    "Only a biomedical engineer may change whether %(device)s is a "
                    "medical device.",
                    device=", ".join(changed.mapped("display_name")),
                )
            )
        if not (vals.get("dm_flag_reason") or "").strip():
            raise UserError(
                self.env._(
                    "Say why %(device)s changes its medical-device status (reason).",
                    device=", ".join(changed.mapped("display_name")),
                )
            )
        for equipment in changed:
            if vals["is_medical_device"]:
                if equipment.lifecycle_state not in self._dm_create_states:
                    raise UserError(
                        self.env._(
                            "%(device)s is at step %(state)s: equipment becomes a "
                            "medical device in acquisition or reception, and goes "
                            "through the gates from there.",
                            device=equipment.display_name,
                            state=equipment._dm_state_label(),
                        )
                    )
                continue
            reasons = equipment._dm_history_reasons()
            if reasons:
                raise UserError(
                    self.env._(
                        "%(device)s has a history as a medical device (%(reasons)s): "
                        "it stays one.",
                        device=equipment.display_name,
                        reasons=", ".join(reasons),
                    )
                )

    def _dm_frozen_message(self, fnames):
        return self.env._(
            "%(device)s is disposed: it is read-only except for its archive data "
            "(fields refused: %(fields)s).",
            device=self.display_name,
            fields=self._dm_field_labels(fnames),
        )

    def _dm_history_reasons(self):
        """The one delete rule of a device: a device with a history (past
        acquisition, receptions, maintenance, approvals or a disposal) is kept,
        at least for the disposal's retention period, and archived instead; even
        an administrator cannot delete it."""
        reasons = super()._dm_history_reasons()
        # sudo: every record of the history counts, whatever the user may read.
        history = (
            ("dm.reception", [("equipment_id", "=", self.id)], "receptions"),
            ("maintenance.request", [("equipment_id", "=", self.id)], "maintenance"),
            ("dm.disposal", [("equipment_id", "=", self.id)], "disposal"),
            (
                "dm.approval",
                [("res_model", "=", self._name), ("res_id", "=", self.id)],
                "approvals",
            ),
        )
        labels = {
            "receptions": self.env._("receptions"),
            "maintenance": self.env._("maintenance"),
            "disposal": self.env._("disposal"),
            "approvals": self.env._("approvals"),
        }
        for model, domain, key in history:
            records = self.env[model].sudo().with_context(active_test=False)
            if records.search_count(domain, limit=1):
                reasons.append(labels[key])
        return reasons

    def _dm_history_message(self, reasons):
        return self.env._(
            "%(device)s has a history (%(reasons)s) that must be kept at least "
            "%(years)s years after the end of use: it cannot be deleted, archive "
            "it instead.",
            device=self.display_name,
            reasons=", ".join(reasons),
            years=self.env["dm.disposal"]._retention_years(),
        )

    # ------------------------------------------------------------ lifecycle gates
    def _check_lifecycle_move(self, new_state):
        """Refuse a move the lifecycle does not allow, or a role that may not
        make it (see ``_dm_transitions``)."""
        self._dm_workflow_records()._dm_check_transition(new_state)

    def _dm_state_missing(self, new_state):
        return self._lifecycle_missing(new_state)

    def _lifecycle_missing(self, state):
        """Human-readable list of what the device lacks to be in ``state``,
        read from the source records (the reports, the PIEU factors), never
        from a stored flag."""
        self.ensure_one()
        if not self.is_medical_device:
            return []
        missing = []
        if state == "reception":
            if not self.acquisition_mode:
                missing.append(self.env._("the acquisition mode"))
            if not self.acq_ce_checked:
                missing.append(self.env._("the CE marking check at acquisition"))
            if not self.acq_training_planned:
                missing.append(self.env._("planned user training"))
            if self.is_connected and not self.acq_cyber_questionnaire:
                missing.append(
                    self.env._(
                        "the supplier's cybersecurity answers (connected device)"
                    )
                )
            if self.is_connected and not self.acq_data_protection_clauses:
                missing.append(
                    self.env._("the data-protection clauses (connected device)")
                )
            missing += self._dm_approvals_missing("reception")
        elif state == "in_service":
            missing += self._dm_regulatory_missing()
            if not all(self[f] for f in pieu.FIELDS):
                missing.append(self.env._("the four PIEU criticality factors"))
            # sudo: the gate reads every report, whoever moves the device.
            receptions = self.sudo().reception_ids
            if not any(r.state == "accepted" for r in receptions):
                missing.append(
                    self.env._("a reception report accepted by a biomedical engineer")
                )
            missing += self._dm_approvals_missing("in_service")
        return missing

    # ------------------------------------------------------------ approvals
    def _dm_next_step(self):
        return {"acquisition": "reception", "reception": "in_service"}.get(
            self.lifecycle_state, False
        )

    # ------------------------------------------------------------ actions
    def action_to_reception(self):
        self.write({"lifecycle_state": "reception"})

    def action_back_to_acquisition(self):
        self.write({"lifecycle_state": "acquisition"})

    def action_put_in_service(self):
        self.write({"lifecycle_state": "in_service"})

    def action_cancel_disposal(self):
        self.write({"lifecycle_state": "in_service"})

    def action_mark_disposed(self):
        self.write({"lifecycle_state": "disposed"})

    def action_new_reception(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reception report"),
            "res_model": "dm.reception",
            "view_mode": "form",
            "context": {"default_equipment_id": self.id},
        }

    def action_view_receptions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "medical_device.dm_reception_action"
        )
        action["domain"] = [("equipment_id", "=", self.id)]
        action["context"] = {"default_equipment_id": self.id}
        return action

    def action_view_register(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "medical_device.maintenance_register_action"
        )
        action["domain"] = [("equipment_id", "=", self.id)]
        action["context"] = {
            "default_equipment_id": self.id,
            "search_default_filter_all": 1,
        }
        return action

    @api.model
    def _recompute_stored(self, fnames, domain, track=False):
        """Recompute stored fields after a change of the reference data they read
        (thresholds, transition rules) that their dependencies cannot see.

        A reference change may touch the whole fleet: no chatter tracking per
        device, whoever changes the reference data reports it once. ``track``
        keeps it, for the few devices a daily job finds changed by the date."""
        context = {"active_test": False}
        if not track:
            context["tracking_disable"] = True
        devices = self.with_context(**context).search(domain)
        for fname in fnames:
            self.env.add_to_compute(self._fields[fname], devices)
        devices._recompute_recordset(fnames)
        return devices

    # ------------------------------------------------------------ daily job
    @api.model
    def _ce_deadline_warning_days(self):
        params = self.env["ir.config_parameter"].sudo()  # settings are admin data
        return int(params.get_param("medical_device.ce_deadline_warning_days", 180))

    @api.model
    def _cron_ce_deadlines(self):
        """Daily: an activity for the pharmacists on each medical device whose CE
        certificate expires, or whose legacy-directive transition ends, within N
        days (or already did); never a second one while the first is open."""
        today = fields.Date.context_today(self)
        days = self._ce_deadline_warning_days()
        devices = self.search(
            [
                ("is_medical_device", "=", True),
                ("active", "=", True),
                ("lifecycle_state", "!=", "disposed"),
                ("ce_next_deadline", "<=", today + timedelta(days=days)),
            ],
            order="id",
        )
        pharmacists = self.env["dm.approval"]._group_members(
            "medical_device.group_dm_pharmacist"
        )
        responsible = pharmacists[:1] or self.env.user
        activity_type = self.env.ref("medical_device.mail_activity_type_dm_ce_deadline")

        def values(device):
            deadline = device.ce_next_deadline
            if deadline == device.ce_certificate_expiry:
                summary = self.env._(
                    "CE certificate expiry: %(date)s",
                    date=format_date(self.env, deadline),
                )
            else:
                summary = self.env._(
                    "End of the CE transition period: %(date)s",
                    date=format_date(self.env, deadline),
                )
            return {
                "summary": summary,
                "user_id": responsible.id,
                "date_deadline": max(deadline, today),
            }

        # By batches, each prefetching its own devices (see _dm_schedule_once).
        created = self.env["mail.activity"]._dm_schedule_once(
            devices, activity_type, values
        )
        if created and pharmacists:
            self._ce_deadline_summary(created, days, pharmacists, responsible)
        return created

    @api.model
    def _ce_deadline_summary(self, activities, days, pharmacists, responsible):
        body = Markup("<p>%s</p>") % self.env._(
            "%(count)s medical device(s) reach a CE deadline within %(days)s days or "
            "have passed it (certificate expiry or end of the transition period). "
            "%(user)s has an activity on each.",
            count=len(activities),
            days=days,
            user=responsible.name,
        )
        # sudo: the cron user notifies the pharmacists' group, not tied to one record.
        self.env["mail.thread"].sudo().message_notify(
            partner_ids=pharmacists.partner_id.ids,
            subject=self.env._("CE deadlines"),
            body=body,
        )
