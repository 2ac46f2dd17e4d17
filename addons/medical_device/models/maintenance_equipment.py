from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

from ..tools import pieu, regulatory, udi
from ..tools.udi_messages import udi_validation_error

RISK_CLASSES = [
    ("i", "Class I"),
    ("is", "Class Is (sterile)"),
    ("im", "Class Im (measuring)"),
    ("ir", "Class Ir (reusable surgical)"),
    ("iia", "Class IIa"),
    ("iib", "Class IIb"),
    ("iii", "Class III"),
    ("ivd_a", "IVD class A"),
    ("ivd_b", "IVD class B"),
    ("ivd_c", "IVD class C"),
    ("ivd_d", "IVD class D"),
]
CE_REGIMES = [
    ("mdr", "MDR (EU 2017/745)"),
    ("ivdr", "IVDR (EU 2017/746)"),
    ("mdd", "MDD (93/42/EEC, legacy)"),
    ("aimdd", "AIMDD (90/385/EEC, legacy)"),
    ("ivdd", "IVDD (98/79/EC, legacy)"),
]
LIFECYCLE_STATES = [
    ("acquisition", "Acquisition"),
    ("reception", "Reception"),
    ("in_service", "In service"),
    ("disposal", "Disposal"),
    ("disposed", "Disposed"),
]
# Allowed moves of the lifecycle; anything else is refused on the server.
LIFECYCLE_TRANSITIONS = {
    ("acquisition", "reception"),
    ("reception", "acquisition"),
    ("reception", "in_service"),
    ("in_service", "disposal"),
    ("disposal", "in_service"),
    ("disposal", "disposed"),
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
    _inherit = ["maintenance.equipment", "dm.approval.mixin"]

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
        "identity, lifecycle gates and criticality apply.",
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

    dm_risk_class = fields.Selection(
        RISK_CLASSES, string="Risk class", tracking=True, index=True
    )
    ce_regime = fields.Selection(CE_REGIMES, string="CE regime", tracking=True)
    notified_body_number = fields.Char(
        string="Notified body",
        tracking=True,
        help="Four-digit identification number of the notified body, required "
        "for every class above I (MDR) or A (IVDR).",
    )
    ce_certificate_ref = fields.Char(string="CE certificate", tracking=True)
    ce_certificate_expiry = fields.Date(string="Certificate expiry", tracking=True)
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
    udi_di = fields.Char(string="UDI-DI", readonly=True, index="btree_not_null")
    udi_lot = fields.Char(string="UDI lot", readonly=True)
    udi_serial = fields.Char(string="UDI serial", readonly=True, copy=False)
    udi_expiry_date = fields.Date(string="UDI expiry", readonly=True)
    udi_manufacture_date = fields.Date(string="UDI manufacture date", readonly=True)
    basic_udi_di = fields.Char(
        string="Basic UDI-DI",
        tracking=True,
        help="Model-level key in EUDAMED (up to 25 characters, never on the label).",
    )
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
    @api.constrains("dm_kind", "dm_risk_class", "ce_regime")
    def _check_class_consistency(self):
        labels = dict(self._fields["dm_risk_class"]._description_selection(self.env))
        kinds = dict(self._fields["dm_kind"]._description_selection(self.env))
        regimes = dict(self._fields["ce_regime"]._description_selection(self.env))
        for equipment in self:
            if not regulatory.class_allowed_for_kind(
                equipment.dm_kind, equipment.dm_risk_class
            ):
                raise ValidationError(
                    self.env._(
                        "%(device)s: risk class %(klass)s is not allowed for a "
                        "device of kind %(kind)s (IVDR classes A-D are for in-vitro "
                        "diagnostic devices only; active implantables are class III).",
                        device=equipment.display_name,
                        klass=labels[equipment.dm_risk_class],
                        kind=kinds[equipment.dm_kind],
                    )
                )
            if not regulatory.regime_allowed_for_kind(
                equipment.dm_kind, equipment.ce_regime
            ) or not regulatory.regime_allowed_for_class(
                equipment.ce_regime, equipment.dm_risk_class
            ):
                raise ValidationError(
                    self.env._(
                        "%(device)s: the CE regime %(regime)s does not fit a device "
                        "of kind %(kind)s and class %(klass)s.",
                        device=equipment.display_name,
                        regime=regimes[equipment.ce_regime],
                        kind=kinds.get(equipment.dm_kind, ""),
                        klass=labels.get(equipment.dm_risk_class, ""),
                    )
                )

    @api.constrains("notified_body_number")
    def _check_notified_body_number(self):
        for equipment in self:
            number = equipment.notified_body_number
            if number and not regulatory.is_valid_notified_body_number(number):
                raise ValidationError(
                    self.env._(
                        "%(device)s: the notified body number must be exactly 4 "
                        "digits (found '%(number)s').",
                        device=equipment.display_name,
                        number=number,
                    )
                )

    @api.constrains("basic_udi_di", "emdn_code")
    def _check_udi_codes(self):
        for equipment in self:
            try:
                if equipment.basic_udi_di:
                    udi.validate_basic_udi_di(equipment.basic_udi_di)
                if equipment.emdn_code:
                    udi.validate_emdn_code(equipment.emdn_code)
            except udi.UdiError as error:
                raise udi_validation_error(
                    self.env, equipment.display_name, error
                ) from error

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
            raise udi_validation_error(
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
        for code_field in ("basic_udi_di", "emdn_code"):
            if vals.get(code_field):
                vals[code_field] = vals[code_field].strip().upper()
        return vals

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._normalize_vals(vals) for vals in vals_list]
        equipments = super().create(vals_list)
        for equipment, vals in zip(equipments, vals_list, strict=True):
            state = vals.get("lifecycle_state", "acquisition")
            if state == "acquisition" or not equipment.is_medical_device:
                continue
            # Only data loads and imports (superuser) may create a device past
            # reception: everyone else walks the gated lifecycle.
            if state != "reception" and not self.env.su:
                raise UserError(
                    self.env._(
                        "A new medical device starts in Acquisition or Reception; "
                        "it reaches %(state)s through the lifecycle steps.",
                        state=dict(LIFECYCLE_STATES)[state],
                    )
                )
            if state == "reception":
                equipment._check_lifecycle_preconditions("reception")
        return equipments

    def write(self, vals):
        vals = self._normalize_vals(vals)
        self._check_disposed_readonly(vals)
        new_state = vals.get("lifecycle_state")
        if not new_state:
            return super().write(vals)
        self._check_lifecycle_move(new_state)
        first_in_service = self.browse()
        if new_state == "in_service":
            first_in_service = self.filtered(lambda e: not e.commissioning_date)
        result = super().write(vals)
        # Preconditions are checked on the data as written, in the same
        # transaction: a failure rolls the whole write back.
        self._check_lifecycle_preconditions(new_state)
        if first_in_service:
            first_in_service.write(
                {"commissioning_date": fields.Date.context_today(self)}
            )
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        for equipment in self:
            if not equipment.is_medical_device:
                continue
            has_history = (
                equipment.lifecycle_state != "acquisition"
                or equipment.maintenance_ids
                or equipment.reception_ids
            )
            if has_history:
                raise UserError(
                    self.env._(
                        "%(device)s has a history (lifecycle, receptions or "
                        "maintenance) that must be kept: archive it instead of "
                        "deleting it.",
                        device=equipment.display_name,
                    )
                )

    # ------------------------------------------------------------ lifecycle gates
    @api.model
    def _disposed_writable_fields(self):
        """Fields that stay editable on a disposed device (its archive data)."""
        return {"active", "archive_note", "color", "message_main_attachment_id"}

    def _check_disposed_readonly(self, vals):
        disposed = self.filtered(lambda e: e.lifecycle_state == "disposed")
        blocked = set(vals) - self._disposed_writable_fields()
        if disposed and blocked:
            raise UserError(
                self.env._(
                    "%(device)s is disposed: it is read-only except for its "
                    "archive data (fields refused: %(fields)s).",
                    device=", ".join(disposed.mapped("display_name")),
                    fields=", ".join(
                        sorted(
                            self._fields[f].get_description(self.env)["string"]
                            for f in blocked
                            if f in self._fields
                        )
                    ),
                )
            )

    def _check_lifecycle_move(self, new_state):
        states = dict(self._fields["lifecycle_state"]._description_selection(self.env))
        for equipment in self:
            old_state = equipment.lifecycle_state
            if old_state == new_state:
                continue
            if (old_state, new_state) not in LIFECYCLE_TRANSITIONS:
                raise UserError(
                    self.env._(
                        "%(device)s cannot move from %(old)s to %(new)s.",
                        device=equipment.display_name,
                        old=states[old_state],
                        new=states[new_state],
                    )
                )
            if equipment.is_medical_device:
                equipment._check_lifecycle_role(old_state, new_state)

    def _check_lifecycle_role(self, old_state, new_state):
        """Who may move a medical device: technicians receive and put in service,
        engineers own every other step (going back, disposal)."""
        user = self.env.user
        if self.env.su:
            return
        engineer = user.has_group("medical_device.group_dm_engineer")
        technician = user.has_group("medical_device.group_dm_technician")
        technician_moves = {("acquisition", "reception"), ("reception", "in_service")}
        allowed = engineer or (
            technician and (old_state, new_state) in technician_moves
        )
        if not allowed:
            states = dict(LIFECYCLE_STATES)
            raise AccessError(
                self.env._(
                    "Only a biomedical engineer may move %(device)s from %(old)s to "
                    "%(new)s (technicians receive devices and put them in service).",
                    device=self.display_name,
                    old=states[old_state],
                    new=states[new_state],
                )
            )

    def _lifecycle_missing(self, state):
        """Human-readable list of what the device lacks to be in ``state``."""
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
            if not self.dm_risk_class:
                missing.append(self.env._("the risk class"))
            if not self.ce_regime:
                missing.append(self.env._("the CE regime"))
            if regulatory.notified_body_required(self.ce_regime, self.dm_risk_class):
                if not self.notified_body_number:
                    missing.append(self.env._("the notified body number"))
                if not self.ce_certificate_ref:
                    missing.append(self.env._("the CE certificate reference"))
            if not self.pieu_criticality:
                missing.append(self.env._("the four PIEU criticality factors"))
            if not self.reception_accepted:
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

    def _check_lifecycle_preconditions(self, state):
        for equipment in self:
            missing = equipment._lifecycle_missing(state)
            if missing:
                states = dict(
                    self._fields["lifecycle_state"]._description_selection(self.env)
                )
                raise UserError(
                    self.env._(
                        "%(device)s cannot go to %(state)s yet. Missing: %(missing)s.",
                        device=equipment.display_name,
                        state=states[state],
                        missing="; ".join(missing),
                    )
                )

    # ------------------------------------------------------------ actions
    def action_to_reception(self):
        self.write({"lifecycle_state": "reception"})

    def action_back_to_acquisition(self):
        self.write({"lifecycle_state": "acquisition"})

    def action_put_in_service(self):
        self.write({"lifecycle_state": "in_service"})

    def action_request_disposal(self):
        self.write({"lifecycle_state": "disposal"})

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
