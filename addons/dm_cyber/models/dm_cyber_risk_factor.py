from odoo import api, fields, models

from ..tools.cyber_risk import FACTOR_CHECKS


class DmCyberRiskFactor(models.Model):
    """A matrix answer that raises a device's cyber risk, with its weight."""

    _name = "dm.cyber.risk.factor"
    _inherit = ["dm.input.guard"]
    _description = "Cyber risk factor"
    _order = "weight desc, code"

    code = fields.Selection(
        [(code, code) for code in FACTOR_CHECKS],
        required=True,
        help="Which matrix answer this factor reads.",
    )
    name = fields.Char(required=True, translate=True)
    weight = fields.Integer(
        required=True, help="Points added to the score when the answer applies."
    )
    active = fields.Boolean(default=True)

    _code_unique = models.Constraint("UNIQUE (code)", "Each factor is defined once.")
    _weight_positive = models.Constraint(
        "CHECK (weight >= 0)", "A factor's weight cannot be negative."
    )

    @api.model
    def _weights(self):
        return {factor.code: factor.weight for factor in self.search([])}

    def _recompute_devices(self):
        self.env["maintenance.equipment"]._recompute_stored(
            ["cyber_risk_score", "cyber_risk_level"], [("is_connected", "=", True)]
        )

    @api.model_create_multi
    def create(self, vals_list):
        factors = super().create(vals_list)
        factors._recompute_devices()
        return factors

    def write(self, vals):
        result = super().write(vals)
        self._recompute_devices()
        return result

    def unlink(self):
        result = super().unlink()
        self.env["dm.cyber.risk.factor"]._recompute_devices()
        return result
