from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL
from odoo.tools.misc import format_date
from odoo.tools.translate import LazyTranslate

from ..tools import reader_text as rt
from ..tools import training
from .maintenance_plan import ilike_exact

_lt = LazyTranslate(__name__)

TECHNICIAN = "medical_device.group_dm_technician"
# Who records the training sessions (engineers are technicians too).
SESSION_KEEPERS = (TECHNICIAN,)


def match_sql(session, device):
    """An SQL condition: the session (alias ``session``) trains on the device
    (alias ``device``): it was held for it, or it is of its model (case and
    surrounding spaces aside) and company, and of its manufacturer when it
    names one."""
    return SQL(
        """(%(s)s.equipment_id = %(e)s.id
            OR (%(s)s.company_id = %(e)s.company_id
                AND coalesce(trim(%(s)s.device_model), '') != ''
                AND lower(trim(%(s)s.device_model)) = lower(trim(%(e)s.model))
                AND (%(s)s.manufacturer_id IS NULL
                     OR %(s)s.manufacturer_id = %(e)s.manufacturer_id)))""",
        s=SQL.identifier(session),
        e=SQL.identifier(device),
    )


class DmTrainingSession(models.Model):
    """A training of users on a device model (HAS register of trained users):
    when, by whom, on what, who attended, and how long it counts. A device
    model is the device's ``model`` text (case and surrounding spaces aside)
    and, when the session names one, its manufacturer, as the plans of a
    device model match their devices.

    A session held at a device's reception names that device
    (``equipment_id``); it still trains its attendees on the whole model. The
    attendees' training is valid from the session's date for its validity
    (``expiry_date``, computed); the register of trained users reads it
    (``dm.training.attendance``, one row per attendee)."""

    _name = "dm.training.session"
    _description = "User training session"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "hr.mixin",
        "dm.workflow.mixin",
    ]
    _order = "session_date desc, id desc"
    _check_company_auto = True

    _dm_state_field = None
    # The register keeps its sessions: one with attendees is archived, not
    # deleted (see _dm_history_reasons).
    _dm_deletable_states = ()
    # Set by the daily reminder of the trainings expiring.
    _dm_protected_fields = ("dm_expiry_signalled",)

    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    device_model = fields.Char(
        string="Device model",
        compute="_compute_device_model",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="The model of the devices this training is for, as written on the "
        "devices (case and surrounding spaces aside); by default, the model of "
        "the device the session was held for.",
    )
    manufacturer_id = fields.Many2one(
        "res.partner",
        tracking=True,
        check_company=True,
        help="When set, only the devices of the model made by this manufacturer.",
    )
    equipment_id = fields.Many2one(
        "maintenance.equipment",
        string="Held for device",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain=[("is_medical_device", "=", True)],
        help="The device at whose reception the session was held, if any; the "
        "session trains its attendees on the whole model.",
    )
    session_date = fields.Date(
        string="Date",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    trainer_kind = fields.Selection(
        [("internal", "Hospital staff"), ("supplier", "Supplier's trainer")],
        string="Trainer",
        required=True,
        default="internal",
        tracking=True,
    )
    trainer_employee_id = fields.Many2one(
        "hr.employee",
        string="Trainer (employee)",
        tracking=True,
        check_company=True,
        help="The hospital's employee who gave the training.",
    )
    trainer_name = fields.Char(
        string="Trainer's name",
        tracking=True,
        help="The name of the supplier's or manufacturer's trainer.",
    )
    trainer_partner_id = fields.Many2one(
        "res.partner",
        string="Trainer's company",
        tracking=True,
        check_company=True,
    )
    content = fields.Text(
        help="What the training covered: functions, alarms, cleaning, the "
        "incidents to report…",
    )
    attendee_ids = fields.Many2many(
        "hr.employee",
        "dm_training_session_employee_rel",
        "session_id",
        "employee_id",
        string="Attendees",
        check_company=True,
        tracking=True,
    )
    attendee_count = fields.Integer(
        string="Attendees count", compute="_compute_attendee_count"
    )
    validity_months = fields.Integer(
        string="Validity (months)",
        compute="_compute_validity_months",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="How long the training counts, from its date (0: it does not "
        "expire). By default, the last session of the same model's, otherwise "
        "the setting.",
    )
    expiry_date = fields.Date(
        string="Valid until",
        compute="_compute_expiry_date",
        store=True,
        index=True,
        help="The last day the attendees' training is valid.",
    )

    dm_expiry_signalled = fields.Date(
        string="Expiry signalled",
        readonly=True,
        copy=False,
        help="The expiry the daily reminder last signalled for this session.",
    )

    _validity_positive = models.Constraint(
        "CHECK (validity_months IS NULL OR validity_months >= 0)",
        "The validity of a training cannot be negative.",
    )
    _supplier_trainer_named = models.Constraint(
        "CHECK (trainer_kind != 'supplier' OR trainer_name IS NOT NULL "
        "OR trainer_partner_id IS NOT NULL)",
        "A session given by a supplier's trainer names the trainer or the supplier.",
    )

    # ------------------------------------------------------------ computes
    @api.depends("device_model", "equipment_id", "session_date")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for session in self:
            session.display_name = self.env._(
                "Training %(model)s, %(date)s",
                model=session._dm_subject(),
                date=format_date(self.env, session.session_date),
            )

    @api.depends("equipment_id")
    def _compute_device_model(self):
        for session in self:
            if not (session.device_model or "").strip() and session.equipment_id:
                session.device_model = session.equipment_id.model
            else:
                session.device_model = session.device_model

    @api.constrains("device_model", "equipment_id")
    def _check_model_or_device(self):
        for session in self:
            if not (session.device_model or "").strip() and not session.equipment_id:
                raise ValidationError(
                    self.env._(
                        "A training session names the device model it trains on, "
                        "or the device it was held for."
                    )
                )

    def _dm_subject(self):
        """What the session trains on, in words: its model, else its device."""
        self.ensure_one()
        # sudo: the name of the device the session was held for.
        return self.device_model or self.sudo().equipment_id.display_name or ""

    @api.depends("attendee_ids")
    def _compute_attendee_count(self):
        for session in self:
            session.attendee_count = len(session.attendee_ids)

    @api.depends("device_model", "manufacturer_id", "company_id")
    def _compute_validity_months(self):
        for session in self:
            if session.validity_months or session._origin.validity_months:
                session.validity_months = (
                    session.validity_months or session._origin.validity_months
                )
                continue
            session.validity_months = session._dm_default_validity()

    @api.depends("session_date", "validity_months")
    def _compute_expiry_date(self):
        for session in self:
            session.expiry_date = training.expiry_date(
                session.session_date, session.validity_months
            )

    def _dm_default_validity(self):
        """The validity of the last session of the same model (the model's
        own), otherwise the setting."""
        self.ensure_one()
        if (self.device_model or "").strip():
            # sudo: the default follows the model's history, whoever records.
            last = (
                self.sudo()
                .with_context(active_test=False)
                .search(
                    [
                        ("device_model", "=ilike", ilike_exact(self.device_model)),
                        ("company_id", "=", self.company_id.id),
                        ("validity_months", ">", 0),
                        ("id", "not in", self._origin.ids),
                    ],
                    order="session_date desc, id desc",
                    limit=1,
                )
            )
            if last:
                return last.validity_months
        return self._dm_setting_validity()

    @api.model
    def _dm_setting_validity(self):
        # sudo: settings are admin data.
        params = self.env["ir.config_parameter"].sudo()
        return int(
            params.get_param(
                "medical_device.training_validity_months",
                training.DEFAULT_VALIDITY_MONTHS,
            )
        )

    # ------------------------------------------------------------ workflow
    def _dm_check_open_for_change(self):
        result = super()._dm_check_open_for_change()
        user = self.env.user
        if not any(user.has_group(group) for group in SESSION_KEEPERS):
            raise AccessError(
                self.env._(
                    "Only %(roles)s may record the training sessions of users.",
                    roles=self._dm_group_names(SESSION_KEEPERS),
                )
            )
        return result

    def _dm_history_reasons(self):
        reasons = super()._dm_history_reasons()
        if self.attendee_ids:
            reasons.append(self.env._("attendees recorded"))
        return [r for r in reasons if r != self._dm_document_label()]

    def _dm_history_message(self, reasons):
        return self.env._(
            "A training session with attendees is part of the register of trained "
            "users: archive it instead."
        )

    # ------------------------------------------------------------ CRUD
    def _dm_prepare_vals(self, vals):
        # The model as the devices write it: without surrounding spaces.
        if isinstance(vals.get("device_model"), str):
            vals = {**vals, "device_model": vals["device_model"].strip() or False}
        return super()._dm_prepare_vals(vals)

    @api.model_create_multi
    def create(self, vals_list):
        sessions = super().create(vals_list)
        sessions._dm_refresh_receptions()
        sessions._dm_note_on_device()
        return sessions

    def _dm_note_on_device(self):
        """The device a session was held for keeps it in its history (its
        chatter); the devices of the model show their sessions on their
        *Trained users* tab."""
        for session in self.sudo().filtered("equipment_id"):
            # sudo: the device's history is written by the server, whoever
            # recorded the session (its recorder was checked).
            session.equipment_id._dm_post_note(
                rt.msg(
                    _lt(
                        "Training session of %(date)s: %(count)s user(s) trained "
                        "on %(model)s (%(session)s)."
                    ),
                    date=rt.date(session.session_date),
                    count=len(session.attendee_ids),
                    model=session._dm_subject(),
                    session=rt.record(session._name, session.id, session.display_name),
                )
            )

    def write(self, vals):
        before = self._dm_matched_devices()
        result = super().write(vals)
        (before | self._dm_matched_devices())._dm_refresh_training()
        return result

    def _dm_refresh_receptions(self):
        self._dm_matched_devices()._dm_refresh_training()

    def _dm_matched_devices(self):
        """The medical devices of the sessions' models (and the devices they
        were held for), read in sudo: which receptions a session serves does
        not depend on what its recorder may read."""
        Equipment = self.env["maintenance.equipment"].sudo()
        devices = Equipment.browse()
        for session in self.sudo():
            devices |= session.equipment_id
            if not (session.device_model or "").strip():
                continue
            domain = [
                ("is_medical_device", "=", True),
                ("model", "=ilike", ilike_exact(session.device_model)),
                ("company_id", "=", session.company_id.id),
                ("lifecycle_state", "in", ("acquisition", "reception")),
            ]
            if session.manufacturer_id:
                domain.append(("manufacturer_id", "=", session.manufacturer_id.id))
            devices |= Equipment.search(domain)
        return devices

    # ------------------------------------------------------------ matching
    @api.model
    def _dm_flush_register(self):
        """Write to the database what the SQL of the register reads: the
        sessions, their attendees, the employees' active flag and department."""
        self.flush_model()
        self.env["hr.employee"].flush_model(["active", "current_version_id"])
        self.env["hr.version"].flush_model(["department_id"])

    @api.model
    def _dm_valid_sql(self, device_alias, day, extra=None):
        """An SQL condition: a session of the device's model (``device_alias``:
        the ``maintenance_equipment`` row), of its company, held on ``day`` or
        before and valid that day, with an attendee (``extra``: a condition
        on its row ``r`` of the attendees' relation and ``v``, its current
        version: department, company)."""
        self._dm_flush_register()
        return SQL(
            """EXISTS (
                SELECT 1 FROM dm_training_session s
                JOIN dm_training_session_employee_rel r ON r.session_id = s.id
                JOIN hr_employee emp ON emp.id = r.employee_id
                LEFT JOIN hr_version v ON v.id = emp.current_version_id
                WHERE s.active AND emp.active
                  AND %(match)s
                  AND s.session_date <= %(day)s
                  AND (s.expiry_date IS NULL OR s.expiry_date >= %(day)s)
                  AND %(extra)s
            )""",
            match=match_sql("s", device_alias),
            day=day,
            extra=extra or SQL("TRUE"),
        )

    def action_view_attendance(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "medical_device.dm_training_attendance_action"
        )
        action["domain"] = [("session_id", "=", self.id)]
        action["context"] = {}
        return action
