from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dm_pieu_very_critical_below = fields.Float(
        string="Very critical below",
        config_parameter="medical_device.pieu_very_critical_below",
        default=1.0,
        help="A PIEU score below this value makes a device very critical.",
    )
    dm_pieu_low_above = fields.Float(
        string="Low criticality above",
        config_parameter="medical_device.pieu_low_above",
        default=10.0,
        help="A PIEU score above this value makes a device of low criticality. "
        "Scores between both thresholds (included) are moderately critical.",
    )

    dm_approval_reminder_days = fields.Integer(
        string="Remind pending approvals after (days)",
        config_parameter="medical_device.approval_reminder_days",
        default=3,
        help="A daily job reminds the reviewers of approvals pending longer than "
        "this, once every such period.",
    )
    dm_ce_deadline_warning_days = fields.Integer(
        string="Warn of CE deadlines (days before)",
        config_parameter="medical_device.ce_deadline_warning_days",
        default=180,
        help="A daily job gives the pharmacists an activity on each medical device "
        "whose CE certificate expires, or whose legacy-directive transition ends, "
        "within this many days (or already did).",
    )

    dm_eudamed_url = fields.Char(
        string="EUDAMED address",
        config_parameter="medical_device.eudamed_url",
        default="https://ec.europa.eu/tools/eudamed/api",
        help="Base address of EUDAMED's public device API.",
    )
    dm_eudamed_timeout = fields.Integer(
        string="EUDAMED timeout (seconds)",
        config_parameter="medical_device.eudamed_timeout",
        default=10,
        help="How long a look-up waits for each EUDAMED answer.",
    )
    dm_eudamed_retries = fields.Integer(
        string="EUDAMED retries",
        config_parameter="medical_device.eudamed_retries",
        default=2,
        help="Further attempts after a network error, a timeout or a server error.",
    )
    dm_eudamed_proxy = fields.Char(
        string="EUDAMED proxy",
        config_parameter="medical_device.eudamed_proxy",
        help="The hospital's outgoing proxy, e.g. http://proxy.chu.local:3128 "
        "(empty: direct connection).",
    )

    dm_training_validity_months = fields.Integer(
        string="Training validity (months)",
        config_parameter="medical_device.training_validity_months",
        default=12,
        help="The validity of a training session of a device model with no "
        "earlier session (0: it does not expire).",
    )
    dm_training_expiry_warning_days = fields.Integer(
        string="Trainings expiring within (days)",
        config_parameter="medical_device.training_expiry_warning_days",
        default=60,
        help="A training is listed as expiring this many days before it expires.",
    )

    @api.constrains("dm_pieu_very_critical_below", "dm_pieu_low_above")
    def _check_pieu_thresholds(self):
        for settings in self:
            if settings.dm_pieu_very_critical_below > settings.dm_pieu_low_above:
                raise ValidationError(
                    self.env._(
                        "The 'very critical' threshold (%(low)s) cannot be above "
                        "the 'low criticality' threshold (%(high)s).",
                        low=settings.dm_pieu_very_critical_below,
                        high=settings.dm_pieu_low_above,
                    )
                )

    def set_values(self):
        old = self.env["maintenance.equipment"]._pieu_thresholds()
        result = super().set_values()
        if self.env["maintenance.equipment"]._pieu_thresholds() != old:
            self.env["maintenance.equipment"]._recompute_stored(
                ["pieu_criticality"], [("pieu_criticality", "!=", False)]
            )
        return result
