from odoo import fields, models


class DmSoftwareSite(models.Model):
    """Where software is installed: a hospital site, a building, a server room.
    Each site has exactly one current version of each software."""

    _name = "dm.software.site"
    _inherit = ["dm.workflow.mixin"]
    _description = "Software installation site"
    _order = "sequence, name, id"
    _check_company_auto = True

    # dm.workflow.mixin: no steps; a site with installations is archived, not
    # deleted.
    _dm_state_field = None

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True)
    description = fields.Text()
    install_ids = fields.One2many("dm.software.install", "site_id", "Installations")

    def _dm_history_reasons(self):
        reasons = super()._dm_history_reasons()
        if self.with_context(active_test=False).install_ids:
            reasons.append(self.env._("installations"))
        return reasons

    def _dm_history_message(self, reasons):
        return self.env._(
            "Software was installed on this site: archive it instead of deleting it."
        )
