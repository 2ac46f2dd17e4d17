from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import checklist, pieu, regulatory, udi
from ..tools.messages import tools_error
from ..tools.selections import LIFECYCLE_STATES
from .dm_regulatory_mixin import REGULATORY_FIELDS

TECHNICIAN = "medical_device.group_dm_technician"
ENGINEER = "medical_device.group_dm_engineer"
PHARMACIST = "medical_device.group_dm_pharmacist"
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
# The device's regulatory identity beyond the shared one (dm.regulatory.mixin).
DEVICE_REGULATORY_FIELDS = ("is_implantable", "udi_carrier", "emdn_code")
# The CE data: inventory work of the technician until the device is put in
# service, then the pharmacist's (materiovigilance) and the engineer's.
CE_DATA_GROUPS = {
    "acquisition": (TECHNICIAN, PHARMACIST),
    "reception": (TECHNICIAN, PHARMACIST),
    None: (PHARMACIST, ENGINEER),
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
        # The regulatory identity (dm.regulatory.mixin) and its deadlines.
        "dm.ce.deadline.mixin",
        "dm.device.acquisition.mixin",
        "dm.device.criticality.mixin",
        "dm.workflow.mixin",
    ]
    _dm_regulatory_kind_field = "dm_kind"
    _dm_regulatory_extra_fields = DEVICE_REGULATORY_FIELDS

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
    _dm_field_groups = dict.fromkeys(
        (*REGULATORY_FIELDS, "dm_kind", *DEVICE_REGULATORY_FIELDS), CE_DATA_GROUPS
    )

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
    common_name = fields.Char(
        string="Common name",
        tracking=True,
        help="Generic name of the device (dénomination commune), e.g. 'Syringe pump'.",
    )
    trade_name = fields.Char(string="Trade name", tracking=True)
    manufacturer_id = fields.Many2one("res.partner", tracking=True, check_company=True)
    # Core leaves it unchecked: a device never shows another hospital's category.
    category_id = fields.Many2one(check_company=True)
    commissioning_date = fields.Date(
        string="First put into service",
        tracking=True,
        copy=False,
        help="Date the device was first put into service (CSP R5212-28). Set "
        "when the device first enters service if empty.",
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
        self._dm_check_input_vals(vals)
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

    def _dm_state_checklist(self, new_state):
        return self._lifecycle_checklist(new_state)

    def _lifecycle_checklist(self, state):
        """What the device needs to be in ``state``, as ``tools.checklist``
        items, read from the source records (the reports, the PIEU factors),
        never from a stored flag."""
        self.ensure_one()
        if not self.is_medical_device:
            return []
        items = []
        if state == "reception":
            items += self._acquisition_checklist()
        elif state == "in_service":
            items += self._dm_regulatory_checklist()
            items.append(
                checklist.item(
                    self.env._("the four PIEU criticality factors"),
                    all(self[f] for f in pieu.FIELDS),
                    next((f for f in pieu.FIELDS if not self[f]), pieu.FIELDS[0]),
                )
            )
            # sudo: the gate reads every report, whoever moves the device.
            receptions = self.sudo().reception_ids
            items.append(
                checklist.item(
                    self.env._("a reception report accepted by a biomedical engineer"),
                    any(r.state == "accepted" for r in receptions),
                    "reception_ids",
                )
            )
            items += self._dm_approvals_checklist("in_service")
        return items

    def _lifecycle_missing(self, state):
        """Human-readable list of what the device lacks to be in ``state``
        (see ``_lifecycle_checklist``)."""
        return checklist.missing(self._lifecycle_checklist(state))

    # ------------------------------------------------------------ next step
    def _dm_next_action(self):
        if not self.is_medical_device:
            return None
        if self.lifecycle_state == "disposal":
            disposal = self._dm_open_disposal()
            # The step's conditions are the disposal's (its media, its
            # recipient): shown only to who may read it.
            if disposal and not (
                self.env["dm.disposal"].has_access("read")
                and disposal.sudo(False).has_access("read")
            ):
                return None
        return {
            "acquisition": {
                "state": "reception",
                "method": "action_to_reception",
                "string": self.env._("Receive"),
            },
            "reception": {
                "state": "in_service",
                "method": "action_put_in_service",
                "string": self.env._("Put in service"),
            },
            "disposal": {
                "state": "disposed",
                "method": "action_mark_disposed",
                "string": self.env._("Mark disposed"),
                "confirm": self.env._("The device will be read-only. Continue?"),
            },
        }.get(self.lifecycle_state)

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
        # Only for a user who may read the record (see docs/security.md).
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reception report"),
            "res_model": "dm.reception",
            "view_mode": "form",
            "context": {"default_equipment_id": self.id},
        }

    def action_view_receptions(self):
        self.ensure_one()
        # Only for a user who may read the record (see docs/security.md).
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "medical_device.dm_reception_action"
        )
        action["domain"] = [("equipment_id", "=", self.id)]
        action["context"] = {"default_equipment_id": self.id}
        return action

    def action_view_register(self):
        self.ensure_one()
        # Only for a user who may read the record (see docs/security.md).
        self.check_access("read")
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
