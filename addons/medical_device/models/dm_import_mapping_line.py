from odoo import api, fields, models

from ..tools import fleet_import

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
]
assert {key for key, _label in TARGET_SELECTION} == set(fleet_import.TARGETS)


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
