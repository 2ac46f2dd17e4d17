from odoo import api, fields, models

from ..tools.selections import RISK_CLASSES


class DmCeTransitionRule(models.Model):
    _name = "dm.ce.transition.rule"
    _inherit = ["dm.input.guard"]
    _description = "CE transition deadline of legacy devices"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    ce_regime = fields.Selection(
        [
            ("mdd", "MDD (93/42/EEC)"),
            ("aimdd", "AIMDD (90/385/EEC)"),
            ("ivdd", "IVDD (98/79/EC)"),
        ],
        string="Legacy regime",
        required=True,
    )
    risk_class = fields.Selection(
        RISK_CLASSES, help="Leave empty for a rule that applies to every class."
    )
    implantable_only = fields.Boolean(
        help="The rule only applies to implantable devices."
    )
    deadline = fields.Date(required=True)
    legal_basis = fields.Char(help="Regulation that sets this deadline.")
    active = fields.Boolean(default=True)

    def _as_rule_dicts(self):
        return [
            {
                "ce_regime": rule.ce_regime,
                "risk_class": rule.risk_class,
                "implantable_only": rule.implantable_only,
                "deadline": rule.deadline,
            }
            for rule in self.sorted()
        ]

    def _recompute_devices(self):
        self.env["maintenance.equipment"]._recompute_stored(
            ["ce_transition_deadline", "ce_next_deadline"],
            [("ce_regime", "in", ["mdd", "aimdd", "ivdd"])],
        )

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        rules._recompute_devices()
        return rules

    def write(self, vals):
        result = super().write(vals)
        self._recompute_devices()
        return result

    def unlink(self):
        result = super().unlink()
        self.env["dm.ce.transition.rule"]._recompute_devices()
        return result
