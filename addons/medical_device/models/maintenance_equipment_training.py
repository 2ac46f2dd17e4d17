from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from .dm_training_session import match_sql
from .maintenance_plan import ilike_exact


class MaintenanceEquipment(models.Model):
    """The trained users of a device (HAS): the attendees of the valid
    training sessions of its model, and whether its service (the device's
    department, ``department_id`` of ``hr_maintenance``) has one."""

    _inherit = "maintenance.equipment"  # pylint: disable=consider-merging-classes-inherited

    dm_trained_employee_ids = fields.Many2many(
        "hr.employee",
        string="Trained users",
        compute="_compute_dm_trained_employee_ids",
        search="_search_dm_trained_employee_ids",
        # sudo: employees are HR's records; every role reads their public
        # profile (name, job, department) through hr.employee.public.
        compute_sudo=True,
        help="The attendees of the training sessions of the device's model still "
        "valid today.",
    )
    dm_trained_count = fields.Integer(
        string="Trained users count",
        compute="_compute_dm_trained_employee_ids",
        compute_sudo=True,
    )
    dm_training_session_ids = fields.Many2many(
        "dm.training.session",
        string="Training sessions",
        compute="_compute_dm_training_session_ids",
        help="The training sessions of the device's model, valid or not.",
    )
    dm_training_gap = fields.Boolean(
        string="No trained user in its service",
        compute="_compute_dm_training_gap",
        search="_search_dm_training_gap",
        help="In service, and no employee of the device's department holds a "
        "valid training on its model (for a device without department: nobody "
        "does).",
    )

    # ------------------------------------------------------------ computes
    def _dm_trained_rows(self, extra=None):
        """``{device id: employee ids}`` of the valid trainings of the devices'
        models today (one query)."""
        ids = [i for i in self.ids if isinstance(i, int)]
        if not ids:
            return {}
        today = fields.Date.context_today(self)
        self.env["dm.training.session"]._dm_flush_register()
        self.flush_recordset(["model", "manufacturer_id", "company_id"])
        self.env.cr.execute(
            SQL(
                """SELECT e.id, array_agg(DISTINCT r.employee_id)
                     FROM maintenance_equipment e
                     JOIN dm_training_session s ON %(match)s
                     JOIN dm_training_session_employee_rel r ON r.session_id = s.id
                     JOIN hr_employee emp ON emp.id = r.employee_id
                    WHERE e.id = ANY(%(ids)s) AND s.active AND emp.active
                      AND s.session_date <= %(today)s
                      AND (s.expiry_date IS NULL OR s.expiry_date >= %(today)s)
                      AND %(extra)s
                 GROUP BY e.id""",
                ids=ids,
                match=match_sql("s", "e"),
                today=today,
                extra=extra or SQL("TRUE"),
            )
        )
        return dict(self.env.cr.fetchall())

    def _compute_dm_trained_employee_ids(self):
        rows = self._dm_trained_rows()
        Employee = self.env["hr.employee"]
        for device in self:
            employees = Employee.browse(rows.get(device.id, []))
            device.dm_trained_employee_ids = employees
            device.dm_trained_count = len(employees)

    def _compute_dm_training_session_ids(self):
        Session = self.env["dm.training.session"]
        for device in self:
            device.dm_training_session_ids = (
                Session.search(device._dm_training_session_domain())
                if device.id
                else Session
            )

    def _dm_training_session_domain(self):
        self.ensure_one()
        return (
            Domain("device_model", "=ilike", ilike_exact(self.model))
            & Domain("company_id", "=", self.company_id.id)
            & (
                Domain("manufacturer_id", "=", False)
                | Domain("manufacturer_id", "=", self.manufacturer_id.id)
            )
        )

    def _compute_dm_training_gap(self):
        gaps = set(self.filtered("id").filtered_domain(self._dm_gap_domain()).ids)
        for device in self:
            device.dm_training_gap = device.id in gaps

    @api.model
    def _dm_gap_domain(self):
        today = fields.Date.context_today(self)
        # The department of the device (hr_maintenance), the attendee's
        # current one; a device without department: any attendee.
        trained = self.env["dm.training.session"]._dm_valid_sql(
            "maintenance_equipment",
            today,
            SQL(
                "(maintenance_equipment.department_id IS NULL "
                "OR v.department_id = maintenance_equipment.department_id)"
            ),
        )
        return (
            Domain("is_medical_device", "=", True)
            & Domain("lifecycle_state", "=", "in_service")
            & Domain(
                "id",
                "in",
                SQL(
                    "(SELECT maintenance_equipment.id FROM maintenance_equipment "
                    "WHERE NOT %s)",
                    trained,
                ),
            )
        )

    def _search_dm_training_gap(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        gap = self._dm_gap_domain()
        positive = True in value
        if operator == "not in":
            positive = not positive
        return gap if positive else ~gap

    def _search_dm_trained_employee_ids(self, operator, value):
        if operator not in ("in", "not in", "any", "not any"):
            return NotImplemented
        today = fields.Date.context_today(self)
        if operator in ("any", "not any"):
            employees = self.env["hr.employee"].search(value)
            employee_ids = employees.ids
        else:
            employee_ids = [v for v in value if v]
            if False in value and operator == "in":
                # No trained user: the devices with none.
                trained = self.env["dm.training.session"]._dm_valid_sql(
                    "maintenance_equipment", today
                )
                return Domain(
                    "id",
                    "in",
                    SQL(
                        "(SELECT maintenance_equipment.id FROM maintenance_equipment "
                        "WHERE NOT %s)",
                        trained,
                    ),
                )
        trained = self.env["dm.training.session"]._dm_valid_sql(
            "maintenance_equipment",
            today,
            SQL("r.employee_id = ANY(%s)", employee_ids or [0]),
        )
        domain = Domain(
            "id",
            "in",
            SQL(
                "(SELECT maintenance_equipment.id FROM maintenance_equipment WHERE %s)",
                trained,
            ),
        )
        return ~domain if operator in ("not in", "not any") else domain

    # ------------------------------------------------------------ receptions
    def write(self, vals):
        result = super().write(vals)
        if set(vals) & {"model", "manufacturer_id", "company_id"}:
            self._dm_refresh_training()
        return result

    def _dm_refresh_training(self):
        """Bring the training of the devices' draft receptions in line with the
        sessions (see ``dm.reception._dm_find_training_session``)."""
        # sudo: the receptions follow the sessions, whoever recorded them.
        receptions = self.sudo().reception_ids.filtered(lambda r: r.state == "draft")
        receptions._dm_refresh_training()

    def action_view_training_sessions(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "medical_device.dm_training_session_action"
        )
        action["domain"] = self._dm_training_session_domain()
        action["context"] = {
            "default_device_model": self.model,
            "default_manufacturer_id": self.manufacturer_id.id,
            "default_equipment_id": self.id,
            "default_company_id": self.company_id.id,
        }
        return action
