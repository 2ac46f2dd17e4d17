from odoo import fields, models


class DmActivityDigest(models.Model):
    """The weekly EUDAMED check signals its changed devices by digest."""

    _inherit = "dm.activity.digest"

    kind = fields.Selection(
        selection_add=[("eudamed_change", "EUDAMED registrations changed")],
        ondelete={"eudamed_change": "cascade"},
    )
