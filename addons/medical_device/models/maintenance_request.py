from odoo import api, fields, models
from odoo.exceptions import ValidationError


class MaintenanceRequest(models.Model):
    """Maintenance operations double as the device's maintenance register
    (registre sécurité qualité maintenance): who, when, nature, result."""

    _inherit = "maintenance.request"

    is_medical_device = fields.Boolean(
        related="equipment_id.is_medical_device", store=True, string="Medical device"
    )
    operation_nature = fields.Selection(
        [
            ("preventive", "Preventive maintenance"),
            ("corrective", "Corrective maintenance"),
            ("qc_internal", "Internal quality control"),
            ("qc_external", "External quality control"),
            ("calibration", "Calibration / metrology"),
            ("update", "Software or firmware update"),
            ("safety_check", "Electrical safety check"),
        ],
        string="Nature of the operation",
        compute="_compute_operation_nature",
        store=True,
        readonly=False,
        tracking=True,
    )
    performed_by = fields.Char(
        string="Performed by",
        tracking=True,
        help="Name of the person who did the operation.",
    )
    performer_employer = fields.Char(
        string="Employer",
        tracking=True,
        help="Employer of the person who did the operation (hospital, "
        "manufacturer, service company).",
    )
    performance_level = fields.Char(
        string="Performance level obtained",
        help="Measured performance, e.g. dose deviation or flow accuracy.",
    )
    operation_result = fields.Selection(
        [
            ("compliant", "Compliant"),
            ("non_compliant", "Non-compliant"),
            ("not_applicable", "Not applicable"),
        ],
        string="Result",
        tracking=True,
    )
    use_stopped_on = fields.Datetime(
        string="Use stopped on",
        tracking=True,
        help="When the device was taken out of use (non-compliance or failure).",
    )
    use_resumed_on = fields.Datetime(string="Use resumed on", tracking=True)

    @api.depends("maintenance_type")
    def _compute_operation_nature(self):
        for request in self:
            if not request.operation_nature:
                request.operation_nature = request.maintenance_type

    @api.constrains("use_stopped_on", "use_resumed_on")
    def _check_use_dates(self):
        for request in self:
            stopped, resumed = request.use_stopped_on, request.use_resumed_on
            if resumed and not stopped:
                raise ValidationError(
                    self.env._(
                        "%(request)s: use can only resume after it was stopped.",
                        request=request.display_name,
                    )
                )
            if stopped and resumed and resumed < stopped:
                raise ValidationError(
                    self.env._(
                        "%(request)s: use cannot resume before it stopped.",
                        request=request.display_name,
                    )
                )
