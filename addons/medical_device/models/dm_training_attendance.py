from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools import training


class DmTrainingAttendance(models.Model):
    """The register of trained users: one row per attendee of a training
    session, with the expiry of their training (the session's). Read-only, a
    view of the sessions: a training is recorded on its session, never here."""

    _name = "dm.training.attendance"
    _description = "Trained user (register)"
    _auto = False
    _order = "expiry_date, employee_id"
    _rec_name = "employee_id"

    session_id = fields.Many2one("dm.training.session", readonly=True)
    employee_id = fields.Many2one("hr.employee", readonly=True)
    department_id = fields.Many2one(
        "hr.department",
        readonly=True,
        help="The employee's department (care unit).",
    )
    company_id = fields.Many2one("res.company", readonly=True)
    device_model = fields.Char(string="Device model", readonly=True)
    manufacturer_id = fields.Many2one("res.partner", readonly=True)
    session_date = fields.Date(string="Trained on", readonly=True)
    expiry_date = fields.Date(string="Valid until", readonly=True)
    training_status = fields.Selection(
        [("valid", "Valid"), ("expiring", "Expiring"), ("expired", "Expired")],
        string="Status",
        compute="_compute_training_status",
        search="_search_training_status",
        help="Expiring: within the number of days of the setting.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %s AS (
                SELECT (r.session_id::bigint << 32) | r.employee_id AS id,
                       r.session_id,
                       r.employee_id,
                       v.department_id,
                       s.company_id,
                       s.device_model,
                       s.manufacturer_id,
                       s.session_date,
                       s.expiry_date
                  FROM dm_training_session_employee_rel r
                  JOIN dm_training_session s ON s.id = r.session_id
                  JOIN hr_employee emp ON emp.id = r.employee_id
             LEFT JOIN hr_version v ON v.id = emp.current_version_id
                 WHERE s.active AND emp.active
            )""",
                SQL.identifier(self._table),
            )
        )

    @api.model
    def _search(self, domain, *args, **kwargs):
        # A view of the sessions: what the transaction changed there first.
        self.env["dm.training.session"]._dm_flush_register()
        return super()._search(domain, *args, **kwargs)

    @api.model
    def _dm_warning_days(self):
        # sudo: settings are admin data.
        params = self.env["ir.config_parameter"].sudo()
        return int(
            params.get_param(
                "medical_device.training_expiry_warning_days",
                training.DEFAULT_EXPIRY_WARNING_DAYS,
            )
        )

    @api.depends("expiry_date")
    def _compute_training_status(self):
        today = fields.Date.context_today(self)
        days = self._dm_warning_days()
        for row in self:
            row.training_status = training.training_status(
                row.expiry_date or None, today, days
            )

    def _search_training_status(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        today = fields.Date.context_today(self)
        horizon = today + timedelta(days=self._dm_warning_days())
        domains = {
            "expired": Domain("expiry_date", "<", today),
            "expiring": Domain("expiry_date", ">=", today)
            & Domain("expiry_date", "<=", horizon),
            "valid": Domain("expiry_date", "=", False)
            | Domain("expiry_date", ">", horizon),
        }
        domain = Domain.OR(domains[v] for v in value if v in domains)
        return ~domain if operator == "not in" else domain
