from odoo import fields, models


class DmImportMapping(models.Model):
    _name = "dm.import.mapping"
    _inherit = ["dm.input.guard", "dm.reference.data"]
    _description = "Column mapping of a fleet import"
    _order = "is_preset desc, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    is_preset = fields.Boolean(
        string="Preset",
        help="Shipped with the application; edit a copy to keep the original.",
    )
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        help="Leave empty to share the mapping with every company.",
    )
    line_ids = fields.One2many(
        "dm.import.mapping.line", "mapping_id", string="Columns", copy=True
    )
    active = fields.Boolean(default=True)
    description = fields.Text()

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for mapping, vals in zip(self, vals_list, strict=True):
            if "name" not in (default or {}):
                vals["name"] = self.env._("%(name)s (copy)", name=mapping.name)
            vals["is_preset"] = False
        return vals_list

    def _as_dict(self):
        """``{normalised header: target}`` for fleet_import.resolve_columns."""
        self.ensure_one()
        return {line.source_key: line.target_field for line in self.line_ids}
