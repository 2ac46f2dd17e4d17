from odoo import fields, models


class DmEudamedLookupLine(models.TransientModel):
    """One field of the regulatory identity: ours, EUDAMED's, and whether to
    take EUDAMED's."""

    _name = "dm.eudamed.lookup.line"
    _description = "EUDAMED look-up: one field"

    wizard_id = fields.Many2one(
        "dm.eudamed.lookup.wizard", required=True, ondelete="cascade"
    )
    field_name = fields.Char(required=True, readonly=True)
    label = fields.Char(string="Field", readonly=True)
    ours = fields.Char(readonly=True)
    eudamed = fields.Char(string="EUDAMED", readonly=True)
    eudamed_value = fields.Char(readonly=True)
    differs = fields.Boolean(readonly=True)
    can_apply = fields.Boolean(readonly=True)
    apply = fields.Boolean(help="Replace our value with EUDAMED's.")
