from odoo import api, fields, models
from odoo.exceptions import UserError


class DmSoftwareSite(models.Model):
    """Where software is installed: a hospital site, a building, a server room.
    Each site has exactly one current version of each software."""

    _name = "dm.software.site"
    _description = "Software installation site"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True)
    description = fields.Text()
    install_ids = fields.One2many("dm.software.install", "site_id", "Installations")

    @api.ondelete(at_uninstall=False)
    def _unlink_except_installs(self):
        if self.with_context(active_test=False).install_ids:
            raise UserError(
                self.env._(
                    "Software was installed on this site: archive it instead of "
                    "deleting it."
                )
            )
