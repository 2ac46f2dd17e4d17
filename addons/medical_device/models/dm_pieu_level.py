from odoo import api, fields, models


class DmPieuLevel(models.Model):
    _name = "dm.pieu.level"
    _inherit = ["dm.input.guard", "dm.reference.data"]
    _description = "PIEU criticality scale level"
    _order = "factor, value"

    factor = fields.Selection(
        [
            ("p", "P: failure consequence"),
            ("i", "I: equipment importance"),
            ("e", "E: equipment condition"),
            ("u", "U: utilisation rate"),
        ],
        required=True,
    )
    value = fields.Float(required=True, digits=(16, 4))
    name = fields.Char(string="Label", required=True, translate=True)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _value_positive = models.Constraint(
        "CHECK (value > 0)", "A PIEU level value must be strictly positive."
    )
    _factor_value_unique = models.Constraint(
        "UNIQUE (factor, value)", "Each PIEU factor has one level per value."
    )

    @api.depends("factor", "value", "name")
    def _compute_display_name(self):
        for level in self:
            level.display_name = f"{level.value:g} - {level.name}"
