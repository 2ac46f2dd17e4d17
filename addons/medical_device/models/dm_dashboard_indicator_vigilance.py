from odoo import fields, models


class DmDashboardIndicator(models.Model):
    _inherit = "dm.dashboard.indicator"

    panel = fields.Selection(
        selection_add=[("vigilance", "Materiovigilance")],
        ondelete={"vigilance": "cascade"},
    )
