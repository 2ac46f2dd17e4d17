from odoo import fields, models


class DmActivityDigest(models.Model):
    _inherit = "dm.activity.digest"

    kind = fields.Selection(
        selection_add=[("cyber_watch", "Cyber watch")],
        ondelete={"cyber_watch": "cascade"},
    )
