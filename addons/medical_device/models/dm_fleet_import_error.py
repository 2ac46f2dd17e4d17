from odoo import fields, models


class DmFleetImportError(models.Model):
    _name = "dm.fleet.import.error"
    _description = "Rejected row or ignored column of a fleet import"
    _order = "import_id, row_number, id"

    import_id = fields.Many2one(
        "dm.fleet.import",
        required=True,
        ondelete="cascade",
        index=True,
    )
    row_number = fields.Integer(
        string="Row", help="Row of the file as a spreadsheet shows it (1: headers)."
    )
    column = fields.Char()
    message = fields.Text(required=True)
    kind = fields.Selection(
        [("error", "Row rejected"), ("ignored", "Column ignored")],
        default="error",
        required=True,
    )

    def write(self, vals):
        # A line follows its import's company (record rule): a client moves it
        # only under an import it may read, never into another company's.
        if vals.get("import_id") and not self.env.su:
            self.import_id.browse(vals["import_id"]).check_access("read")
        return super().write(vals)
