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

    # ------------------------------------------------------------ daily job
    @api.model
    def _cron_training_expiry(self):
        """Daily: remind the biomedical engineers of the trainings expiring
        within the setting's days, one digest per company and department (its
        activity to the company's first engineer), never per device; a
        session's expiry is signalled once (``dm_expiry_signalled``)."""
        today = fields.Date.context_today(self)
        horizon = today + timedelta(days=self._dm_warning_days())
        # sudo: the daily job reads the whole register.
        rows = self.sudo().search(
            [("expiry_date", ">=", today), ("expiry_date", "<=", horizon)]
        )
        fresh = rows.filtered(
            lambda r: r.session_id.dm_expiry_signalled != r.session_id.expiry_date
        )
        if not fresh:
            return self.env["mail.activity"]
        Approval = self.env["dm.approval"]
        engineers = Approval._group_members("medical_device.group_dm_engineer")
        Digest = (
            self.env["dm.activity.digest"]
            .sudo()
            .with_context(
                tracking_disable=True,
                mail_create_nolog=True,
                mail_create_nosubscribe=True,
            )
        )
        activity_type = self.env.ref("medical_device.mail_activity_type_dm_digest")
        model_id = self.env["ir.model"]._get_id("dm.activity.digest")
        activities = self.env["mail.activity"]
        groups = fresh.grouped(lambda r: (r.company_id, r.department_id))
        for (company, department), group in groups.items():
            user = Approval._users_of_company(engineers, company)[:1]
            if not user:
                continue
            digest = Digest.create(
                {
                    "kind": "training_expiry",
                    "company_id": company.id,
                    "site": department.name or False,
                    "department_id": department.id,
                    "device_count": len(group),
                }
            )
            text = digest.with_context(lang=user.lang)._dm_text()
            activities |= (
                self.env["mail.activity"]
                .with_context(mail_activity_quick_update=True)
                .create(
                    {
                        "res_model_id": model_id,
                        "res_id": digest.id,
                        "activity_type_id": activity_type.id,
                        "automated": True,
                        "res_name": text,
                        "summary": text,
                        "user_id": user.id,
                        "date_deadline": today,
                    }
                )
            )
        for session in fresh.session_id:
            # sudo: what the daily job signalled is closed to clients.
            session.sudo().dm_expiry_signalled = session.expiry_date
        return activities

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
