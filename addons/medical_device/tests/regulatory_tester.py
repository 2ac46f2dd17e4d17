from odoo import fields, models


class DmRegulatoryTester(models.Model):
    """A throwaway model that carries the regulatory identity, to test the mixin
    alone (built by the test, never installed)."""

    _name = "dm.regulatory.tester"
    _description = "Regulatory identity tester"
    _inherit = ["mail.thread", "dm.regulatory.mixin"]
    _dm_regulatory_kind_field = "kind"

    name = fields.Char(required=True)
    kind = fields.Selection(
        [("dm", "DM"), ("dmia", "DMIA"), ("dmdiv", "DMDIV")], default="dm"
    )
    exempt = fields.Boolean(help="Needs no CE marking (the hook's test).")

    def _dm_ce_marking_exempt(self):
        return self.exempt
