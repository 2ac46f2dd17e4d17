from odoo import api, fields, models
from odoo.exceptions import ValidationError

CYBER_FIELDS = ["cyber_risk_score", "cyber_risk_level"]


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dm_cyber_risk_medium_from = fields.Integer(
        string="Medium risk from",
        config_parameter="dm_cyber.risk_medium_from",
        default=30,
    )
    dm_cyber_risk_high_from = fields.Integer(
        string="High risk from", config_parameter="dm_cyber.risk_high_from", default=50
    )
    dm_cyber_risk_critical_from = fields.Integer(
        string="Critical risk from",
        config_parameter="dm_cyber.risk_critical_from",
        default=70,
    )
    dm_cyber_patch_max_age_days = fields.Integer(
        string="Patch outdated after (days)",
        config_parameter="dm_cyber.patch_max_age_days",
        default=180,
        help="A connected device whose last patch is older than this is flagged.",
    )
    dm_cyber_continuity_exercise_days = fields.Integer(
        string="Continuity plan exercised every (days)",
        config_parameter="dm_cyber.continuity_exercise_days",
        default=365,
        help="A very critical connected device whose continuity plan was not "
        "exercised within this many days appears in the RSSI's and the "
        "engineer's dashboards.",
    )

    dm_cyber_epss_high_from = fields.Float(
        string="EPSS high from",
        config_parameter="dm_cyber.epss_high_from",
        default=0.1,
        digits=(4, 3),
        help="A vulnerability whose EPSS score (probability of exploitation in "
        "the next 30 days, 0 to 1) reaches this is likely to be exploited: it "
        "rises in priority and, open on a device with patient data or Internet "
        "access, raises its cyber risk.",
    )

    @api.constrains("dm_cyber_epss_high_from")
    def _check_epss_high_from(self):
        for settings in self:
            if not 0 < settings.dm_cyber_epss_high_from <= 1:
                raise ValidationError(
                    self.env._("The EPSS threshold must be above 0 and at most 1.")
                )

    @api.constrains(
        "dm_cyber_risk_medium_from",
        "dm_cyber_risk_high_from",
        "dm_cyber_risk_critical_from",
    )
    def _check_cyber_thresholds(self):
        for settings in self:
            if not (
                0
                <= settings.dm_cyber_risk_medium_from
                <= settings.dm_cyber_risk_high_from
                <= settings.dm_cyber_risk_critical_from
            ):
                raise ValidationError(
                    self.env._(
                        "The cyber risk thresholds must increase: medium ≤ high ≤ "
                        "critical."
                    )
                )

    @api.constrains("dm_cyber_continuity_exercise_days")
    def _check_continuity_exercise_days(self):
        for settings in self:
            if settings.dm_cyber_continuity_exercise_days <= 0:
                raise ValidationError(
                    self.env._(
                        "The period between two exercises of a continuity plan "
                        "must be at least one day."
                    )
                )

    def set_values(self):
        Equipment = self.env["maintenance.equipment"]
        old = (Equipment._cyber_thresholds(), Equipment._cyber_patch_max_age())
        Vulnerability = self.env["dm.vulnerability"]
        old_epss = Vulnerability._dm_epss_high_from()
        result = super().set_values()
        if Vulnerability._dm_epss_high_from() != old_epss:
            Vulnerability._dm_refresh_cves()
        if (Equipment._cyber_thresholds(), Equipment._cyber_patch_max_age()) != old:
            Equipment._recompute_stored(
                ["cyber_patch_outdated", *CYBER_FIELDS], [("is_connected", "=", True)]
            )
        return result
