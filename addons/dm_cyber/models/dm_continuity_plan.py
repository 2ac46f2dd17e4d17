from odoo import api, fields, models
from odoo.addons.medical_device.tools import pieu
from odoo.exceptions import ValidationError
from odoo.fields import Domain

from ..tools import continuity

# The devices of a continuity sheet, the most critical first.
SHEET_ORDER = (pieu.VERY_CRITICAL, pieu.MODERATE, pieu.LOW)


class DmContinuityPlan(models.Model):
    """How care goes on when a cyberattack takes a device or the network down
    (the seeds' PRA/PCA): the degraded mode, the fallback devices, the restore
    procedure with its backups and who restores, the maximum tolerable
    downtime, and when the plan was last exercised.

    A plan is written for one device, or for a device model (as medical_device's
    model plans: ``dm_model_name`` and optionally its manufacturer), which every
    device of that model and company follows unless it has its own plan
    (``maintenance.equipment.cyber_continuity_plan_id``). The RSSI and the
    biomedical engineer keep the plans; every medical device role reads them.
    A plan is history: archived, never deleted."""

    _name = "dm.continuity.plan"
    _description = "Continuity plan (cyberattack)"
    _inherit = ["mail.thread", "dm.workflow.mixin"]
    _order = "equipment_id, dm_model_name, id desc"
    _check_company_auto = True

    # No steps: the mixin guards the computed fields (the scope, the service)
    # and the context defaults; a plan stays on its device and its hospital.
    _dm_state_field = None
    _dm_create_only_fields = ("equipment_id", "company_id")
    # A plan is archived, never deleted (no step: always history).
    _dm_deletable_states = ()

    name = fields.Char(string="Plan", required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    equipment_id = fields.Many2one(
        "maintenance.equipment",
        string="Device",
        index="btree_not_null",
        tracking=True,
        # A copy is written for another device or model: given to copy().
        copy=False,
        check_company=True,
        domain="[('is_medical_device', '=', True)]",
        help="The device this plan is for. Leave empty for a plan of a device model.",
    )
    dm_model_name = fields.Char(
        string="Device model",
        tracking=True,
        copy=False,
        help="For a plan of a device model (no device): every medical device of "
        "this model (and of this manufacturer, if set) in the plan's hospital "
        "follows it, unless it has its own plan.",
    )
    dm_model_manufacturer_id = fields.Many2one(
        "res.partner",
        string="Manufacturer of the model",
        tracking=True,
        check_company=True,
    )
    plan_scope = fields.Selection(
        [("device", "Device"), ("model", "Device model")],
        string="Plan of",
        compute="_compute_plan_scope",
        store=True,
        index=True,
    )
    department_id = fields.Many2one(
        related="equipment_id.department_id",
        store=True,
        index="btree_not_null",
        string="Service",
        help="The service of the device (a plan of a device model covers the "
        "devices of every service).",
    )
    degraded_mode = fields.Text(
        string="Degraded mode without the device",
        tracking=True,
        help="How care continues while the device is unavailable: the manual "
        "procedure, the patients redirected, the staff to call.",
    )
    degraded_mode_network = fields.Text(
        string="Degraded mode without the network",
        tracking=True,
        help="How the device is used when the network is cut (stand-alone "
        "mode, results on paper, manual entry afterwards).",
    )
    fallback_equipment_ids = fields.Many2many(
        "maintenance.equipment",
        "dm_continuity_plan_fallback_rel",
        "plan_id",
        "equipment_id",
        string="Fallback devices",
        check_company=True,
        help="The devices used instead (another unit, a loaned device, a "
        "device of another service).",
    )
    restore_procedure = fields.Text(
        string="Restore procedure",
        tracking=True,
        help="The steps to put the device back in service after the attack "
        "(reinstallation, configuration, checks before clinical use).",
    )
    config_backup = fields.Text(
        string="Configuration backup",
        tracking=True,
        help="Where the configuration is backed up, how often, and how it is restored.",
    )
    data_backup = fields.Text(
        string="Data backup",
        tracking=True,
        help="Where the data (patient data, logs, protocols) are backed up, how "
        "often, and how they are restored.",
    )
    restorer_user_id = fields.Many2one(
        "res.users",
        string="Restored by (hospital)",
        tracking=True,
        check_company=True,
        help="The hospital's person in charge of the restore.",
    )
    restorer_partner_id = fields.Many2one(
        "res.partner",
        string="Restored by (supplier)",
        tracking=True,
        check_company=True,
        help="The supplier or service company that restores, when it is not "
        "the hospital.",
    )
    max_downtime_hours = fields.Float(
        string="Maximum tolerable downtime (hours)",
        digits=(16, 1),
        tracking=True,
        help="How long care can do without the device before patients are "
        "put at risk (the recovery time objective).",
    )
    last_exercised_on = fields.Date(
        string="Last exercised on",
        tracking=True,
        # A copy for another device has not been exercised yet.
        copy=False,
        help="The date the plan was last exercised (drill or real event). A "
        "very critical connected device whose plan was not exercised within "
        "the period set in the settings appears in the dashboards.",
    )
    exercise_overdue = fields.Boolean(
        string="Not exercised within the period",
        compute="_compute_exercise_overdue",
        search="_search_exercise_overdue",
        help="Never exercised, or last exercised longer ago than the period "
        "set in the settings.",
    )
    document = fields.Binary(string="Plan document", attachment=True, copy=False)
    document_name = fields.Char(string="Plan document name")
    notes = fields.Html()
    covered_equipment_ids = fields.Many2many(
        "maintenance.equipment",
        string="Devices following it",
        compute="_compute_covered_equipment_ids",
        help="The devices for which this plan is the one that applies.",
    )
    covered_count = fields.Integer(
        string="Devices", compute="_compute_covered_equipment_ids"
    )

    _max_downtime_positive = models.Constraint(
        "CHECK (max_downtime_hours IS NULL OR max_downtime_hours >= 0)",
        "The maximum tolerable downtime cannot be negative.",
    )
    _one_plan_per_device = models.UniqueIndex(
        "(equipment_id) WHERE active AND equipment_id IS NOT NULL",
        "A device has one continuity plan: archive the old one first.",
    )
    _one_plan_per_model = models.UniqueIndex(
        "(company_id, lower(dm_model_name), "
        "COALESCE(dm_model_manufacturer_id, 0)) "
        "WHERE active AND equipment_id IS NULL",
        "A device model has one continuity plan per manufacturer in a hospital: "
        "archive the old one first.",
    )

    # ------------------------------------------------------------ computes
    @api.depends("equipment_id")
    def _compute_plan_scope(self):
        for plan in self:
            plan.plan_scope = "device" if plan.equipment_id else "model"

    @api.depends("last_exercised_on")
    def _compute_exercise_overdue(self):
        today = fields.Date.context_today(self)
        days = self.env["maintenance.equipment"]._cyber_continuity_exercise_days()
        for plan in self:
            plan.exercise_overdue = not continuity.exercised_within(
                plan.last_exercised_on, today, days
            )

    def _search_exercise_overdue(self, operator, value):
        if operator != "in":
            return NotImplemented
        if {True, False} <= set(value):
            return Domain.TRUE
        limit = continuity.exercise_limit(
            fields.Date.context_today(self),
            self.env["maintenance.equipment"]._cyber_continuity_exercise_days(),
        )
        overdue = [
            "|",
            ("last_exercised_on", "=", False),
            ("last_exercised_on", "<", fields.Date.to_string(limit)),
        ]
        if True in value:
            return overdue
        return [("last_exercised_on", ">=", fields.Date.to_string(limit))]

    def _compute_covered_equipment_ids(self):
        Equipment = self.env["maintenance.equipment"]
        plans = self.filtered("id")
        devices = (
            Equipment.search([("cyber_continuity_plan_id", "in", plans.ids)])
            if plans
            else Equipment
        )
        by_plan = devices.grouped("cyber_continuity_plan_id")
        for plan in self:
            covered = by_plan.get(plan, Equipment)
            plan.covered_equipment_ids = covered
            plan.covered_count = len(covered)

    # ------------------------------------------------------------ constraints
    @api.constrains("equipment_id", "dm_model_name")
    def _check_device_or_model(self):
        for plan in self:
            if bool(plan.equipment_id) == bool(plan.dm_model_name):
                raise ValidationError(
                    self.env._(
                        "Continuity plan %(plan)s: give either a device or a device "
                        "model, not both and not neither.",
                        plan=plan.display_name,
                    )
                )

    @api.constrains("last_exercised_on")
    def _check_exercise_date(self):
        today = fields.Date.context_today(self)
        for plan in self:
            if plan.last_exercised_on and plan.last_exercised_on > today:
                raise ValidationError(
                    self.env._(
                        "Continuity plan %(plan)s: the last exercise (%(date)s) "
                        "cannot be in the future.",
                        plan=plan.display_name,
                        date=plan.last_exercised_on,
                    )
                )

    # ------------------------------------------------------------ CRUD
    def _dm_prepare_vals(self, vals):
        if "dm_model_name" in vals:
            vals = {
                **vals,
                "dm_model_name": continuity.normalise_model(vals["dm_model_name"]),
            }
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        plans = super().create(vals_list)
        # Checked whatever the values given (a constraint runs on its fields).
        plans._check_device_or_model()
        self._dm_continuity_changed()
        return plans

    def write(self, vals):
        result = super().write(vals)
        self._dm_continuity_changed()
        return result

    def unlink(self):
        result = super().unlink()
        self._dm_continuity_changed()
        return result

    @api.model
    def _dm_continuity_changed(self):
        """The devices' continuity is read from the plans: forget what was
        computed from them."""
        self.env["maintenance.equipment"].invalidate_model(
            [
                "cyber_continuity_plan_id",
                "cyber_continuity_missing",
                "cyber_continuity_stale",
            ]
        )
        self.invalidate_model(["covered_equipment_ids", "covered_count"])

    # ------------------------------------------------------------ messages
    def _dm_protected_message(self, fnames):
        return self.env._(
            "The scope and the service of a continuity plan follow its device "
            "or device model, and a plan stays on the device and the hospital "
            "it was written for: archive it and write a new one (fields "
            "refused: %(fields)s).",
            fields=self._dm_field_labels(fnames),
        )

    # ------------------------------------------------------------ sheets
    def _dm_continuity_departments(self):
        """The services of the devices following these plans (the sheets to
        print from the plans' list)."""
        # The values may be in the transaction's cache: the rules are checked.
        self.check_access("read")
        return self.covered_equipment_ids.department_id.sorted("complete_name")

    @api.model
    def _dm_sheet_lines(self, department):
        """The continuity sheet of a service: its medical devices not disposed
        that are connected or follow a plan, the most critical first, each
        with its plan and its flags. Read as the printing user, who must be
        one who reads the plans (a medical device role) and the service (its
        hospital): the values may be in the transaction's cache, where reading
        a field checks no rule."""
        self.check_access("read")
        department.check_access("read")
        devices = self.env["maintenance.equipment"].search(
            [
                ("department_id", "=", department.id),
                ("is_medical_device", "=", True),
                ("lifecycle_state", "!=", "disposed"),
                "|",
                ("is_connected", "=", True),
                ("cyber_continuity_plan_id", "!=", False),
            ]
        )
        order = {key: rank for rank, key in enumerate(SHEET_ORDER)}
        devices = devices.sorted(
            lambda d: (order.get(d.pieu_criticality, len(order)), d.name or "", d.id)
        )
        return [
            {
                "device": device,
                "plan": device.cyber_continuity_plan_id,
                "missing": device.cyber_continuity_missing,
                "stale": device.cyber_continuity_stale,
            }
            for device in devices
        ]
