from odoo import fields, models

SBOM_FORMATS = [
    ("cyclonedx_json", "CycloneDX (JSON)"),
    ("cyclonedx_xml", "CycloneDX (XML)"),
    ("spdx_json", "SPDX (JSON)"),
    ("spdx_tag_value", "SPDX (tag-value)"),
]


class DmSbom(models.Model):
    """A software bill of materials received from a manufacturer, for one
    device or for every device of a model (manufacturer + model, as the
    model plans of maintenance.plan), read into its components."""

    _name = "dm.sbom"
    _description = "Software bill of materials (SBOM)"
    _inherit = ["mail.thread", "dm.input.guard"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    document = fields.Binary(string="SBOM file", attachment=True)
    filename = fields.Char(string="File name")
    sbom_format = fields.Selection(SBOM_FORMATS, string="Format", readonly=True)
    equipment_id = fields.Many2one(
        "maintenance.equipment",
        string="Device",
        index=True,
        ondelete="restrict",
        check_company=True,
        tracking=True,
        help="The device this SBOM describes. Leave empty for an SBOM of a "
        "device model.",
    )
    dm_model_name = fields.Char(
        string="Device model",
        index=True,
        tracking=True,
        help="For an SBOM of a device model: every device whose model is this "
        "one (and of this manufacturer, if set) has these components.",
    )
    dm_model_manufacturer_id = fields.Many2one(
        "res.partner", string="Manufacturer", check_company=True, tracking=True
    )
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, index=True
    )
    component_ids = fields.One2many("dm.sbom.component", "sbom_id", string="Components")
    read_on = fields.Datetime(string="Read on", readonly=True)
    read_by_id = fields.Many2one("res.users", string="Read by", readonly=True)
    active = fields.Boolean(default=True)
