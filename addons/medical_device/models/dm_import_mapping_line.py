from odoo import api, fields, models

from ..tools import fleet_import, fleet_import_plans

# The targets of an import column this addon supports (keys of
# fleet_import.TARGETS); another addon adds its own (see dm_cyber).
TARGET_SELECTION = [
    ("serial_no", "Serial number"),
    ("name", "Equipment name"),
    ("common_name", "Common name"),
    ("trade_name", "Trade name"),
    ("manufacturer", "Manufacturer (by name)"),
    ("supplier", "Supplier (by name)"),
    ("model", "Model"),
    ("category", "Equipment category (by name)"),
    ("location", "Location"),
    ("dm_kind", "Device kind (DM, DMIA, DMDIV)"),
    ("is_medical_device", "Medical device (yes/no)"),
    ("dm_risk_class", "Risk class"),
    ("ce_regime", "CE regime"),
    ("notified_body_number", "Notified body"),
    ("ce_certificate_ref", "CE certificate"),
    ("ce_certificate_expiry", "Certificate expiry"),
    ("udi_carrier", "UDI (parsed)"),
    ("basic_udi_di", "Basic UDI-DI"),
    ("emdn_code", "EMDN code"),
    ("is_implantable", "Implantable"),
    ("is_ionising", "Ionising radiation / imaging"),
    ("embeds_software", "Embeds software (DMIL)"),
    ("pieu_p", "PIEU P: failure consequence (value)"),
    ("pieu_i", "PIEU I: equipment importance (value)"),
    ("pieu_e", "PIEU E: equipment condition (value)"),
    ("pieu_u", "PIEU U: utilisation rate (value)"),
    ("lifecycle_state", "Lifecycle (status)"),
    ("acquisition_mode", "Acquisition mode"),
    ("acquisition_date", "Acquisition date"),
    ("commissioning_date", "First put into service"),
    ("warranty_date", "Warranty expiration date"),
    ("scrap_date", "Scrap date"),
    ("cost", "Cost"),
    ("is_connected", "Connected"),
    ("patient_data", "Holds patient data"),
    # Plans and their last operations (fleet_import_plans.TARGETS).
    ("plan_nature", "Plan: nature of the operation"),
    ("plan_periodicity", "Plan: periodicity"),
    ("plan_last_date", "Plan: date of the last operation"),
    ("plan_next_date", "Plan: next due date"),
    ("plan_last_result", "Plan: result of the last operation"),
    ("plan_preventive_periodicity", "Preventive maintenance: periodicity"),
    ("plan_preventive_last_date", "Preventive maintenance: last date"),
    ("plan_preventive_next_date", "Preventive maintenance: next due date"),
    ("plan_preventive_last_result", "Preventive maintenance: last result"),
    ("plan_qc_internal_periodicity", "Internal QC: periodicity"),
    ("plan_qc_internal_last_date", "Internal QC: last date"),
    ("plan_qc_internal_next_date", "Internal QC: next due date"),
    ("plan_qc_internal_last_result", "Internal QC: last result"),
    ("plan_qc_external_periodicity", "External QC: periodicity"),
    ("plan_qc_external_last_date", "External QC: last date"),
    ("plan_qc_external_next_date", "External QC: next due date"),
    ("plan_qc_external_last_result", "External QC: last result"),
    ("plan_safety_check_periodicity", "Electrical safety check: periodicity"),
    ("plan_safety_check_last_date", "Electrical safety check: last date"),
    ("plan_safety_check_next_date", "Electrical safety check: next due date"),
    ("plan_safety_check_last_result", "Electrical safety check: last result"),
    ("plan_calibration_periodicity", "Calibration: periodicity"),
    ("plan_calibration_last_date", "Calibration: last date"),
    ("plan_calibration_next_date", "Calibration: next due date"),
    ("plan_calibration_last_result", "Calibration: last result"),
]
assert {key for key, _label in TARGET_SELECTION} == set(
    fleet_import.TARGETS
) | fleet_import_plans.PLAN_TARGETS


class DmImportMappingLine(models.Model):
    _name = "dm.import.mapping.line"
    _inherit = ["dm.input.guard"]
    _description = "Column of a fleet import mapping"
    _order = "mapping_id, sequence, id"

    mapping_id = fields.Many2one(
        "dm.import.mapping",
        required=True,
        ondelete="cascade",
        index=True,
    )
    sequence = fields.Integer(default=10)
    source_header = fields.Char(
        string="Column header",
        required=True,
        help="The header as written in the export. Case, accents, spaces and "
        "punctuation do not matter: 'N° série' matches 'n serie'.",
    )
    source_key = fields.Char(
        string="Normalised header", compute="_compute_source_key", store=True
    )
    target_field = fields.Selection(
        TARGET_SELECTION,
        string="Fills",
        required=True,
        help="What the column fills on the device. Several headers may fill the "
        "same target (synonyms); the first non-empty column wins.",
    )

    _source_key_unique = models.Constraint(
        "UNIQUE (mapping_id, source_key)",
        "A header appears only once in a mapping.",
    )

    @api.depends("source_header")
    def _compute_source_key(self):
        for line in self:
            line.source_key = fleet_import.normalize_header(line.source_header)

    def write(self, vals):
        # A column follows its mapping's company (record rule): a client moves
        # it only under a mapping it may read, never into another company's.
        self._dm_check_input_vals(vals)  # a well-formed id before it is read
        if vals.get("mapping_id") and not self.env.su:
            self.mapping_id.browse(vals["mapping_id"]).check_access("read")
        return super().write(vals)
