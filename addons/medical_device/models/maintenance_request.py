from collections import defaultdict
from uuid import uuid4

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from .dm_workflow_mixin import MAIL_FIELDS
from .maintenance_plan import DEFAULT_TEAM_MEMO

# Who records the maintenance of a medical device (engineers are technicians).
REGISTER_KEEPERS = ("medical_device.group_dm_technician",)
# Who re-opens an operation recorded as done in the register.
REGISTER_REOPENERS = ("medical_device.group_dm_engineer",)
# Core's activity of a scheduled operation.
REQUEST_ACTIVITY = "maintenance.mail_act_maintenance_request"
# Set by create() around core's: its followers are added once for the batch
# after it (core adds them one operation at a time, and hr_maintenance
# subscribes the employee's user of each operation, a query per operation).
# Its value is a token create() keeps in the transaction's cache while it
# runs, with the subscriptions asked meanwhile: a client's context cannot
# skip the followers.
FOLLOWERS_LATER_KEY = "dm_followers_later"


class MaintenanceRequest(models.Model):
    """Maintenance operations double as the device's maintenance register
    (registre sécurité qualité maintenance): who, when, nature, result.

    The operations of a medical device follow the rulebook
    (``dm.workflow.mixin``, no steps of its own): only the biomedical
    technicians and engineers create, change or delete them
    (``_dm_check_open_for_change``), an operation done is kept
    (``_dm_history_reasons``) and only an engineer re-opens it. Operations on
    other equipment keep the core behaviour."""

    _name = "maintenance.request"
    _inherit = ["maintenance.request", "dm.workflow.mixin"]

    # The stage (a record, not a selection) is the core kanban's: no steps here.
    _dm_state_field = None

    is_medical_device = fields.Boolean(
        related="equipment_id.is_medical_device", store=True, string="Medical device"
    )
    # OCA maintenance_plan leaves it unchecked: an operation never names
    # another hospital's plan.
    maintenance_plan_id = fields.Many2one(check_company=True)
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

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        # Core subscribes each operation's owner and technician one at a time,
        # hr_maintenance each operation's employee's user: here once per batch
        # and set of partners (see _add_followers and message_subscribe),
        # after core's create.
        token = uuid4().hex
        pending = self.env.cr.cache.setdefault(FOLLOWERS_LATER_KEY, {})
        pending[token] = []
        try:
            requests = super(
                MaintenanceRequest, self.with_context(**{FOLLOWERS_LATER_KEY: token})
            ).create(vals_list)
        finally:
            asked = pending.pop(token)
        requests = requests.with_env(self.env)
        requests.filtered(lambda r: r.owner_user_id or r.user_id)._dm_add_followers()
        self._dm_subscribe_asked(asked)
        return requests

    @api.model
    def _get_default_team_id(self):
        # A generation of operations reads the default team once per company
        # (maintenance.plan._dm_generate_requests), not once per operation.
        memo = self.env.cr.cache.get(DEFAULT_TEAM_MEMO)
        if memo is None:
            return super()._get_default_team_id()
        if self.env.company.id not in memo:
            memo[self.env.company.id] = super()._get_default_team_id()
        return memo[self.env.company.id]

    def _dm_subscriptions_later(self):
        """The subscriptions asked during the create() running with this
        context's token (a list to append to), or None outside of it."""
        token = self.env.context.get(FOLLOWERS_LATER_KEY)
        if not token or not isinstance(token, str):
            return None
        return self.env.cr.cache.get(FOLLOWERS_LATER_KEY, {}).get(token)

    def _add_followers(self):
        if self._dm_subscriptions_later() is not None:
            return  # create() adds them for its whole batch
        self._dm_add_followers()

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        # During create(): kept for the batch (see _dm_subscribe_asked), as
        # asked (same records, user and partners); those with subtypes at once.
        asked = self._dm_subscriptions_later()
        if asked is not None and partner_ids and not subtype_ids:
            asked.append((self, tuple(partner_ids)))
            return True
        return super().message_subscribe(
            partner_ids=partner_ids, subtype_ids=subtype_ids
        )

    def _dm_subscribe_asked(self, asked):
        """The subscriptions asked during a create(): one ``message_subscribe``
        per environment and set of partners, with its access checks. A user
        subscribing themself needs to read the operation (core skips the
        others one by one): those they cannot read are left out."""
        groups = defaultdict(list)
        for records, partner_ids in asked:
            groups[records.env, frozenset(partner_ids)].extend(records.ids)
        for (env, partner_ids), ids in groups.items():
            records = self.with_env(env).browse(dict.fromkeys(ids))
            if partner_ids == {env.user.partner_id.id}:
                records = records._filtered_access("read")
            records.message_subscribe(partner_ids=list(partner_ids))

    def _dm_add_followers(self):
        """Core's followers (the owner and the technician of each operation),
        one subscription per set of partners instead of one per operation."""
        groups = defaultdict(list)
        for request in self:
            partners = request.owner_user_id.partner_id + request.user_id.partner_id
            groups[tuple(partners.ids)].append(request.id)
        for partner_ids, ids in groups.items():
            self.browse(ids).message_subscribe(partner_ids=list(partner_ids))

    def activity_update(self):
        """Core's activities of the scheduled operations (its deadline, the
        technician's or the owner's), for a batch: one search of the existing
        ones, one write per deadline and user, one create of the missing ones,
        instead of two or three queries per operation."""
        if len(self) < 2 or self.env.context.get("mail_activity_automation_skip"):
            return super().activity_update()
        self.filtered(lambda r: not r.schedule_date).activity_unlink([REQUEST_ACTIVITY])
        dated = self.filtered("schedule_date")
        if not dated:
            return None
        existing = dated.activity_search([REQUEST_ACTIVITY])
        targets = {
            request.id: (
                fields.Datetime.from_string(request.schedule_date).date(),
                request.user_id.id or request.owner_user_id.id or self.env.uid,
            )
            for request in dated
        }
        moves = defaultdict(list)
        for activity in existing:
            moves[targets[activity.res_id]].append(activity.id)
        for (deadline, user_id), ids in moves.items():
            existing.browse(ids).write({"date_deadline": deadline, "user_id": user_id})
        missing = dated.filtered(lambda r: r.id not in set(existing.mapped("res_id")))
        if missing:
            # activity_schedule's values (mail.activity.mixin), one per operation.
            activity_type = self.env.ref(REQUEST_ACTIVITY, raise_if_not_found=False)
            activity_type = activity_type or self._default_activity_type()
            model_id = self.env["ir.model"]._get(self._name).id
            self.env["mail.activity"].create(
                [
                    {
                        "activity_type_id": activity_type.id,
                        "summary": activity_type.summary,
                        "automated": True,
                        "note": request._get_activity_note()
                        or activity_type.default_note,
                        "date_deadline": targets[request.id][0],
                        "res_model_id": model_id,
                        "res_id": request.id,
                        "user_id": targets[request.id][1],
                    }
                    for request in missing
                ]
            )
        return None

    def write(self, vals):
        # The core write reads the stage before the rulebook's guard would.
        self._dm_check_input_vals(vals)
        return super().write(vals)

    # ------------------------------------------------------------ workflow
    @api.model
    def _dm_governs_new(self, vals):
        equipment_id = vals.get("equipment_id")
        if not equipment_id or not isinstance(equipment_id, int):
            return False
        # sudo: whether the equipment is a medical device decides the rules,
        # whatever the user may read of it.
        equipment = self.env["maintenance.equipment"].sudo().browse(equipment_id)
        return bool(equipment.exists().is_medical_device)

    @api.model
    def _dm_governs_new_list(self, vals_list):
        # One search for a batch (a plan generation creates thousands of
        # operations), as _dm_governs_new for each values.
        if len(vals_list) < 2:
            return super()._dm_governs_new_list(vals_list)
        equipment_ids = {
            vals.get("equipment_id")
            for vals in vals_list
            if vals.get("equipment_id") and isinstance(vals.get("equipment_id"), int)
        }
        # sudo: see _dm_governs_new (exists(): archived devices count too).
        medical = set(
            self.env["maintenance.equipment"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [("id", "in", list(equipment_ids)), ("is_medical_device", "=", True)]
            )
            .ids
        )
        return [
            bool(
                vals.get("equipment_id")
                and isinstance(vals.get("equipment_id"), int)
                and vals["equipment_id"] in medical
            )
            for vals in vals_list
        ]

    def _dm_workflow_records(self, vals=None):
        """The operations of a medical device, or those a write moves onto one."""
        if vals and self._dm_governs_new(vals):
            return self
        # sudo: see _dm_governs_new.
        return self.filtered(lambda r: r.sudo().equipment_id.is_medical_device)

    def _dm_check_client_write(self, vals):
        # Posting in the chatter (attachments, followers) is not a change of
        # the register: every role that reads it may.
        if set(vals) <= MAIL_FIELDS:
            return
        super()._dm_check_client_write(vals)
        if "stage_id" in vals:
            stage = self.env["maintenance.stage"].browse(vals["stage_id"])
            reopened = self.filtered(lambda r: r.stage_id.done and not stage.done)
            user = self.env.user
            if reopened and not any(user.has_group(g) for g in REGISTER_REOPENERS):
                raise AccessError(
                    self.env._(
                        "%(request)s is recorded as done in the maintenance "
                        "register: only %(roles)s may re-open it.",
                        request=reopened[:1].display_name,
                        roles=self._dm_group_names(REGISTER_REOPENERS),
                    )
                )

    def _dm_check_open_for_change(self):
        super()._dm_check_open_for_change()
        user = self.env.user
        if not self or any(user.has_group(g) for g in REGISTER_KEEPERS):
            return
        # sudo: the user may not read the device; its name says what is refused.
        devices = self.sudo().equipment_id
        raise AccessError(
            self.env._(
                "Only %(roles)s may record, change or delete the maintenance of "
                "%(device)s: it is the medical device's maintenance register.",
                roles=self._dm_group_names(REGISTER_KEEPERS + REGISTER_REOPENERS),
                device=", ".join(devices.mapped("display_name")),
            )
        )

    def _dm_history_reasons(self):
        reasons = super()._dm_history_reasons()
        # sudo: the stage decides, whatever the user may read of it.
        if self.sudo().stage_id.done:
            reasons.append(self.env._("done"))
        return reasons

    def _dm_history_message(self, reasons):
        return self.env._(
            "%(request)s is recorded in the maintenance register of %(device)s: "
            "it cannot be deleted, archive it instead.",
            request=self.display_name,
            device=self.sudo().equipment_id.display_name,
        )
