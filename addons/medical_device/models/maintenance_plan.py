from contextlib import contextmanager

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL, split_every

from ..tools import plans
from .dm_workflow_mixin import MAIL_FIELDS

TECHNICIAN = "medical_device.group_dm_technician"
ENGINEER = "medical_device.group_dm_engineer"
# Who keeps the plans of a device (engineers are technicians), and who sets
# the plans of a device model, which every device of the model follows.
DEVICE_PLAN_KEEPERS = (TECHNICIAN,)
MODEL_PLAN_KEEPERS = (ENGINEER,)
# What a device's plan takes from its model's plan, as long as it follows it.
SYNCED_FIELDS = (
    "name",
    "dm_nature",
    "interval",
    "interval_step",
    "dm_tolerance_days",
    "dm_performer",
    "dm_contractor_id",
    "maintenance_team_id",
    "dm_source",
    "dm_source_reference",
    "dm_source_document",
    "dm_source_document_name",
    "instruction_type",
    "instruction_text",
    "duration",
    "maintenance_plan_horizon",
    "planning_step",
)
# A change of these on a device's plan makes it its own (an override of the
# model's plan); archiving it too: the device no longer follows the model.
OVERRIDING_FIELDS = (*SYNCED_FIELDS, "active")
# The context key of the server's own copies from a model's plan; honoured in
# sudo only (the server's calls), never from a client's context.
SYNC_KEY = "dm_plan_sync"
# Plans whose operations are generated together (one grouped query and one
# create per chunk).
GENERATION_CHUNK = 1000
# The transaction cache's key of the default teams a generation reads once per
# company (see maintenance.request._get_default_team_id).
DEFAULT_TEAM_MEMO = "dm_default_team"


@contextmanager
def default_team_memo(env):
    """Within it, maintenance.request._get_default_team_id reads the default
    team once per company (OCA asks for it for every operation of a plan
    without a team)."""
    env.cr.cache[DEFAULT_TEAM_MEMO] = {}
    try:
        yield
    finally:
        env.cr.cache.pop(DEFAULT_TEAM_MEMO, None)


def ilike_exact(value):
    """An ``=ilike`` pattern matching ``value`` itself, wildcards escaped."""
    value = (value or "").strip()
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class MaintenancePlan(models.Model):
    """The maintenance and quality-control plans of OCA ``maintenance_plan``
    (several per equipment, a horizon, generation by cron and "generate now"),
    for medical devices: the nature of the operation, its tolerance window,
    its performer, the source of the obligation; plans per device model, which
    every device of the model follows unless it overrides them.

    The plans of a medical device and the plans of a device model follow the
    rulebook (``dm.workflow.mixin``, no steps): technicians and engineers keep
    a device's plans, engineers a model's; the computed dates and counts are
    never a client's; a plan with operations is archived, not deleted; and a
    change never takes from a device in service a plan its obligations
    require. Plans of other equipment keep the OCA behaviour."""

    _name = "maintenance.plan"
    _inherit = ["maintenance.plan", "dm.workflow.mixin"]

    _dm_state_field = None
    _check_company_auto = True
    # Set by the server: the model's plan a device's plan follows, the
    # obligation a proposal comes from.
    _dm_protected_fields = ("dm_model_plan_id", "dm_requirement_id")
    # A plan stays on its device: its operations are that device's register.
    _dm_create_only_fields = ("equipment_id",)

    # A plan never points at another hospital's device, team or model plan.
    equipment_id = fields.Many2one(check_company=True)
    maintenance_team_id = fields.Many2one(check_company=True)

    dm_nature = fields.Selection(
        plans.PLAN_NATURES,
        string="Nature",
        default="preventive",
        tracking=True,
        help="The nature of the operations the plan generates, recorded in the "
        "maintenance register.",
    )
    dm_tolerance_days = fields.Integer(
        string="Tolerance (days)",
        tracking=True,
        help="How many days after its due date an operation may still be done "
        "before the plan is overdue.",
    )
    dm_performer = fields.Selection(
        plans.PLAN_PERFORMERS,
        string="Performed by",
        tracking=True,
        help="The hospital's biomedical team or a contractor (the manufacturer, "
        "a service company, a body accredited for external quality control). A "
        "plan generates operations only once its performer is set.",
    )
    dm_contractor_id = fields.Many2one(
        "res.partner",
        string="Contractor",
        tracking=True,
        check_company=True,
    )
    dm_source = fields.Selection(
        plans.PLAN_SOURCES,
        string="Source of the obligation",
        tracking=True,
    )
    dm_source_reference = fields.Char(
        string="Reference of the source",
        tracking=True,
        help="The manufacturer's manual and its section, the ANSM decision and "
        "its date, the internal procedure's number.",
    )
    dm_source_document = fields.Binary(
        string="Source document", attachment=True, copy=False
    )
    dm_source_document_name = fields.Char(string="Source document name")
    dm_model_name = fields.Char(
        string="Device model",
        tracking=True,
        help="For a plan of a device model (no equipment): every medical device "
        "whose model is this one (and of this manufacturer, if set) follows it.",
    )
    dm_model_manufacturer_id = fields.Many2one(
        "res.partner",
        string="Manufacturer of the model",
        tracking=True,
        check_company=True,
    )
    dm_is_model_plan = fields.Boolean(
        string="Plan of a device model",
        compute="_compute_dm_is_model_plan",
        store=True,
        index=True,
    )
    dm_model_plan_id = fields.Many2one(
        "maintenance.plan",
        string="Model's plan",
        ondelete="set null",
        index="btree_not_null",
        readonly=True,
        copy=False,
        check_company=True,
        help="The plan of the device model this plan follows.",
    )
    dm_derived_plan_ids = fields.One2many(
        "maintenance.plan", "dm_model_plan_id", string="Devices' plans"
    )
    dm_overridden = fields.Boolean(
        string="Overrides the model's plan",
        tracking=True,
        copy=False,
        help="The device's plan no longer follows its model's plan (set when it "
        "is changed on the device; clear it to follow the model again).",
    )
    dm_requirement_id = fields.Many2one(
        "dm.plan.requirement",
        string="Obligation",
        ondelete="restrict",
        readonly=True,
        copy=False,
        help="The obligation this plan was proposed for at reception.",
    )
    is_medical_device = fields.Boolean(
        related="equipment_id.is_medical_device", store=True, string="Medical device"
    )

    _contractor_named = models.Constraint(
        "CHECK (dm_performer IS DISTINCT FROM 'contractor' "
        "OR dm_contractor_id IS NOT NULL)",
        "A plan performed by a contractor names the contractor.",
    )
    _tolerance_positive = models.Constraint(
        "CHECK (dm_tolerance_days IS NULL OR dm_tolerance_days >= 0)",
        "The tolerance of a plan cannot be negative.",
    )

    @api.depends("equipment_id", "dm_model_name")
    def _compute_dm_is_model_plan(self):
        for plan in self:
            plan.dm_is_model_plan = not plan.equipment_id and bool(
                (plan.dm_model_name or "").strip()
            )

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        plans_ = super().create(vals_list)
        model_plans = plans_.filtered("dm_is_model_plan")
        if model_plans:
            model_plans._dm_sync_derived()
        return plans_

    def write(self, vals):
        self._dm_check_input_vals(vals)
        overriding = self.browse()
        syncing = self._dm_syncing()
        if (
            not syncing
            and "dm_overridden" not in vals
            and set(vals) & set(OVERRIDING_FIELDS)
        ):
            # sudo: whether a plan follows a model decides, whatever the user reads.
            overriding = self.filtered(
                lambda p: p.sudo().dm_model_plan_id and not p.sudo().dm_overridden
            )
        devices = self.sudo().equipment_id
        before = devices._dm_plans_missing_by_device()
        if overriding:
            super(MaintenancePlan, overriding).write({**vals, "dm_overridden": True})
            rest = self - overriding
            result = super(MaintenancePlan, rest).write(vals) if rest else True
        else:
            result = super().write(vals)
        if vals.get("dm_overridden") is False:
            # Following the model again: its values come back.
            self.sudo().dm_model_plan_id._dm_sync_derived()
        model_plans = self.filtered("dm_is_model_plan")
        if model_plans and not syncing:
            model_plans._dm_sync_derived()
        devices._dm_check_plans_kept(before)
        return result

    def _dm_syncing(self):
        """Whether this write is the server's own copy from a model's plan:
        the sync key counts in sudo only, so that a client passing it can
        neither change a device's plan without making it its own nor stop a
        model's plan from reaching its devices."""
        return self.env.su and bool(self.env.context.get(SYNC_KEY))

    def unlink(self):
        devices = self.sudo().equipment_id
        before = devices._dm_plans_missing_by_device()
        result = super().unlink()
        devices.exists()._dm_check_plans_kept(before)
        return result

    # ------------------------------------------------------------ model plans
    def _dm_synced_values(self):
        self.ensure_one()
        values = {}
        for fname in SYNCED_FIELDS:
            field = self._fields[fname]
            values[fname] = field.convert_to_write(self[fname], self)
        return values

    def _dm_model_devices(self, devices=None):
        """The medical devices of this model's plan (among ``devices``)."""
        self.ensure_one()
        domain = [
            ("is_medical_device", "=", True),
            ("model", "=ilike", ilike_exact(self.dm_model_name)),
            ("lifecycle_state", "!=", "disposed"),
        ]
        if self.dm_model_manufacturer_id:
            domain.append(("manufacturer_id", "=", self.dm_model_manufacturer_id.id))
        if self.company_id:
            domain.append(("company_id", "=", self.company_id.id))
        if devices is not None:
            domain.append(("id", "in", devices.ids))
        # sudo: every device of the model follows it, whoever set the plan.
        return self.env["maintenance.equipment"].sudo().search(domain)

    def _dm_sync_derived(self, devices=None):
        """Give every device of each model's plan (among ``devices``) a plan
        that follows it, bring the following plans in line with the model's,
        and archive those of devices no longer of the model. Plans a device
        overrides are left as they are."""
        # sudo: the devices' plans are the server's copies of the model's plan,
        # whose change was checked as its user (an engineer).
        plan_model = self.sudo().with_context(**{SYNC_KEY: True, "active_test": False})
        for model_plan in self.sudo():
            domain = [("dm_model_plan_id", "=", model_plan.id)]
            if devices is not None:
                domain.append(("equipment_id", "in", devices.ids))
            derived = plan_model.search(domain)
            members = self.env["maintenance.equipment"].sudo().browse()
            if model_plan.active and model_plan.dm_is_model_plan:
                members = model_plan._dm_model_devices(devices)
            values = model_plan._dm_synced_values()
            following = derived.filtered(lambda p: not p.dm_overridden)
            staying = following.filtered(lambda p, m=members: p.equipment_id in m)
            if staying:
                staying.write({**values, "active": True})
            leaving = (following - staying).filtered("active")
            if leaving:
                leaving.write({"active": False})
            new = members - derived.equipment_id
            if new:
                plan_model.create(
                    [
                        {
                            **values,
                            "equipment_id": device.id,
                            "company_id": device.company_id.id,
                            "dm_model_plan_id": model_plan.id,
                        }
                        for device in new
                    ]
                )

    # ------------------------------------------------------------ dates
    @api.depends(
        "interval",
        "interval_step",
        "start_maintenance_date",
        "maintenance_ids.request_date",
        "maintenance_ids.close_date",
    )
    def _compute_next_maintenance(self):
        """OCA's next date (``tools.plans.next_maintenance_date``: the first
        operation not done from the start on, else the last one plus the
        interval, else the start moved to today), from one grouped query for
        all the plans instead of two searches per plan. Plans without an
        interval keep their date, as in OCA."""
        plans_ = self.filtered(lambda p: p.interval > 0)
        dates = plans_._dm_operation_dates()
        today = fields.Date.today()
        for plan in plans_:
            first_open, last = dates.get(plan._origin.id, (None, None))
            plan.next_maintenance_date = plans.next_maintenance_date(
                plan.start_maintenance_date,
                first_open,
                last,
                plan.interval,
                plan.interval_step,
                today,
            )

    def _dm_operation_dates(self):
        """``{plan id: (first date not done, last date)}`` of the operations
        of the plans from each plan's start on (OCA counts those only), in one
        query whatever the number of plans. Every operation counts, whoever
        reads: the dates are stored."""
        starts = {
            plan._origin.id: plan.start_maintenance_date
            for plan in self
            if plan._origin.id and plan.start_maintenance_date
        }
        if not starts:
            return {}
        self.env["maintenance.request"].flush_model(
            ["maintenance_plan_id", "request_date", "close_date", "stage_id"]
        )
        self.env["maintenance.stage"].flush_model(["done"])
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id,
                       min(r.request_date) FILTER (
                           WHERE s.done IS NOT TRUE AND r.close_date IS NULL
                       ),
                       max(r.request_date)
                  FROM unnest(%s::int[], %s::date[]) AS p(id, start)
                  JOIN maintenance_request r
                    ON r.maintenance_plan_id = p.id AND r.request_date >= p.start
                  LEFT JOIN maintenance_stage s ON s.id = r.stage_id
                 GROUP BY p.id
                """,
                list(starts),
                list(starts.values()),
            )
        )
        return {
            plan_id: (first, last) for plan_id, first, last in self.env.cr.fetchall()
        }

    # ------------------------------------------------------------ generation
    def _dm_generating(self):
        """The plans that generate operations: a medical device's plan, once
        the device is in service and the plan names its performer (see
        ``maintenance.equipment._create_new_request``), with an interval."""
        # sudo: the device's state decides, whatever the user may read of it.
        return self.filtered(
            lambda p: (
                p.interval > 0
                and not p.dm_is_model_plan
                and p.dm_performer
                and p.sudo().equipment_id.lifecycle_state == "in_service"
            )
        )

    def _dm_generate_requests(self):
        """OCA's generation (``_create_new_request``) for the plans of medical
        devices, by chunks of plans: one grouped query for their furthest
        operations, one create of the operations up to each plan's horizon
        (``tools.plans.dates_to_generate``), whatever the number of plans.
        The operations are created as the user (the register's checks apply)
        with OCA's notification options; their creation is logged in their
        chatter in one batch (core posts and notifies one message per
        operation; the technician's activity is the reminder). Returns the
        operations created."""
        with default_team_memo(self.env):
            return self._dm_generate_requests_chunks()

    def _dm_generate_requests_chunks(self):
        today = fields.Date.today()
        Request = self.env["maintenance.request"]
        stage = Request._default_stage()
        created = Request
        for ids in split_every(GENERATION_CHUNK, self._dm_generating().ids):
            chunk = self.browse(ids)
            dates = chunk._dm_operation_dates()
            vals_by_quietness = {}
            for plan in chunk:
                days = plans.dates_to_generate(
                    plan.next_maintenance_date,
                    dates.get(plan.id, (None, None))[1],
                    plan.interval,
                    plan.interval_step,
                    plan.maintenance_plan_horizon,
                    plan.planning_step,
                    today,
                )
                if not days:
                    continue
                quiet = plan.skip_notify_follower_on_requests
                first = plan.equipment_id._prepare_request_from_plan(plan, days[0])
                first.setdefault("stage_id", stage.id)
                vals_by_quietness.setdefault(quiet, []).extend(
                    {**first, "request_date": day, "schedule_date": day} for day in days
                )
            for quiet, vals_list in vals_by_quietness.items():
                requests = Request.with_context(
                    mail_activity_quick_update=quiet,
                    mail_auto_subscribe_no_notify=quiet,
                    mail_create_nolog=True,
                ).create(vals_list)
                requests._message_log_batch(
                    bodies={r.id: r._creation_message() for r in requests}
                )
                created |= requests
        return created

    # ------------------------------------------------------------ actions
    def button_manual_request_generation(self):
        """Generate now: a model's plan generates the operations of the plans
        of its devices; a medical device's plans generate together (see
        ``_dm_generate_requests``)."""
        governed = self._dm_workflow_records()
        if governed and not self.env.su:
            governed._dm_check_open_for_change()
            governed.check_access("write")
        model_plans = self.filtered("dm_is_model_plan")
        if model_plans:
            # sudo: the devices' plans follow the model's plan, whose keeper
            # (an engineer) was checked above; the operations are created as
            # the user, through the register's own checks.
            derived = model_plans.sudo().dm_derived_plan_ids.filtered("active")
            derived.with_env(self.env).button_manual_request_generation()
        rest = self - model_plans
        # sudo: whether the equipment is a medical device decides.
        medical = rest.filtered(lambda p: p.sudo().equipment_id.is_medical_device)
        if medical:
            medical._dm_generate_requests()
        return super(MaintenancePlan, rest - medical).button_manual_request_generation()

    # ------------------------------------------------------------ workflow
    @api.model
    def _dm_governs_new(self, vals):
        equipment_id = vals.get("equipment_id")
        if equipment_id and isinstance(equipment_id, int):
            # sudo: whether the equipment is a medical device decides the rules,
            # whatever the user may read of it.
            equipment = self.env["maintenance.equipment"].sudo().browse(equipment_id)
            return bool(equipment.exists().is_medical_device)
        return bool((vals.get("dm_model_name") or "").strip())

    def _dm_workflow_records(self, vals=None):
        """The plans of a medical device or of a device model, or those a write
        makes one."""
        if vals and self._dm_governs_new(vals):
            return self
        # sudo: see _dm_governs_new.
        return self.filtered(
            lambda p: (
                p.sudo().equipment_id.is_medical_device or p.sudo().dm_is_model_plan
            )
        )

    def _dm_check_client_write(self, vals):
        # Posting in the chatter is not a change of the plan.
        if set(vals) <= MAIL_FIELDS:
            return
        super()._dm_check_client_write(vals)
        # Naming a model on a plan without equipment makes it a model's plan.
        # sudo: whether the plan has a device decides, whatever the user reads.
        if "dm_model_name" in vals and any(not p.sudo().equipment_id for p in self):
            user = self.env.user
            if not any(user.has_group(group) for group in MODEL_PLAN_KEEPERS):
                raise AccessError(
                    self.env._(
                        "Only %(roles)s may set the plans of the device model "
                        "%(model)s.",
                        roles=self._dm_group_names(MODEL_PLAN_KEEPERS),
                        model=vals["dm_model_name"] or "",
                    )
                )

    def _dm_check_open_for_change(self):
        result = super()._dm_check_open_for_change()
        user = self.env.user
        for plan in self:
            # sudo: the user may not read the device; its name says what is refused.
            model_plan = plan.sudo().dm_is_model_plan or (
                not plan.sudo().equipment_id and plan.dm_model_name
            )
            keepers = MODEL_PLAN_KEEPERS if model_plan else DEVICE_PLAN_KEEPERS
            if any(user.has_group(group) for group in keepers):
                continue
            if model_plan:
                message = self.env._(
                    "Only %(roles)s may set the plans of the device model %(model)s.",
                    roles=self._dm_group_names(keepers),
                    model=plan.dm_model_name,
                )
            else:
                message = self.env._(
                    "Only %(roles)s may set, change or delete the maintenance and "
                    "quality-control plans of %(device)s.",
                    roles=self._dm_group_names(keepers + MODEL_PLAN_KEEPERS),
                    device=plan.sudo().equipment_id.display_name,
                )
            raise AccessError(message)
        return result

    def _dm_history_reasons(self):
        reasons = super()._dm_history_reasons()
        # sudo: every operation counts, whatever the user may read.
        requests = (
            self.env["maintenance.request"].sudo().with_context(active_test=False)
        )
        if requests.search_count([("maintenance_plan_id", "=", self.id)], limit=1):
            reasons.append(self.env._("operations generated"))
        return reasons

    def _dm_history_message(self, reasons):
        return self.env._(
            "%(plan)s has %(reasons)s, kept in the maintenance register: it "
            "cannot be deleted, archive it instead.",
            plan=self.display_name,
            reasons=", ".join(reasons),
        )
