from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import dashboard

# The panels of the criticality dashboard (dm.dashboard); dm_cyber adds its own.
PANELS = [
    ("very_critical", "Very critical devices"),
    ("moderate", "Moderately critical devices"),
    ("low", "Low criticality devices"),
    ("ce", "CE deadlines"),
]


class DmDashboardIndicator(models.Model):
    """A figure of the criticality dashboard with its target and alert
    threshold: reference data an engineer adjusts to the hospital's
    objectives. The figure itself is computed by ``dm.dashboard`` from the
    source records (method ``_dm_indicator_<code>``); a new indicator is a
    record and a method (e.g. the quality controls overdue of the QC plans)."""

    _name = "dm.dashboard.indicator"
    _inherit = ["dm.input.guard"]
    _description = "Criticality dashboard indicator"
    _order = "panel, sequence, id"

    code = fields.Char(
        required=True,
        readonly=True,
        help="Technical key of the computation (dm.dashboard._dm_indicator_<code>).",
    )
    name = fields.Char(string="Indicator", required=True, translate=True)
    description = fields.Text(translate=True, help="What the figure counts.")
    panel = fields.Selection(PANELS, required=True, readonly=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    unit = fields.Selection(
        [("count", "Count"), ("hours", "Hours"), ("percent", "Percentage")],
        required=True,
        default="count",
        readonly=True,
    )
    direction = fields.Selection(
        [
            (dashboard.LOWER_IS_BETTER, "Lower is better"),
            (dashboard.HIGHER_IS_BETTER, "Higher is better"),
            (dashboard.NO_TARGET, "No target (information)"),
        ],
        required=True,
        default=dashboard.LOWER_IS_BETTER,
    )
    target = fields.Float(
        digits=(16, 2),
        help="The objective: the figure is green when it meets it.",
    )
    alert_threshold = fields.Float(
        string="Alert threshold",
        digits=(16, 2),
        help="Beyond it the figure is red; between the target and this threshold, "
        "amber.",
    )

    # What ties the record to its computation: set by the addon's data only.
    _dm_fixed_fields = ("code", "panel", "unit")

    _code_unique = models.Constraint(
        "UNIQUE (code)", "Each dashboard indicator has its own code."
    )

    @api.constrains("direction", "target", "alert_threshold")
    def _check_thresholds(self):
        for indicator in self:
            lower = indicator.direction == dashboard.LOWER_IS_BETTER
            higher = indicator.direction == dashboard.HIGHER_IS_BETTER
            if (lower and indicator.alert_threshold < indicator.target) or (
                higher and indicator.alert_threshold > indicator.target
            ):
                raise ValidationError(
                    self.env._(
                        "%(indicator)s: the alert threshold (%(alert)s) must be "
                        "beyond the target (%(target)s): above it when lower is "
                        "better, below it when higher is better.",
                        indicator=indicator.name,
                        alert=indicator.alert_threshold,
                        target=indicator.target,
                    )
                )

    def write(self, vals):
        # Bad values get the guard's message before anything reads them.
        self._dm_check_input_vals(vals)
        fixed = [f for f in self._dm_fixed_fields if f in vals]
        if fixed and not self.env.su:
            raise UserError(
                self.env._(
                    "%(fields)s of a dashboard indicator tie it to its "
                    "computation and cannot be changed.",
                    fields=", ".join(
                        self._fields[f].get_description(self.env)["string"]
                        for f in fixed
                    ),
                )
            )
        return super().write(vals)

    def _dm_state(self, value):
        self.ensure_one()
        return dashboard.indicator_state(
            value, self.target, self.alert_threshold, self.direction
        )
