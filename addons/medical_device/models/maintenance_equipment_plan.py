from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import checklist, plans
from .maintenance_plan import (
    DEVICE_PLAN_KEEPERS,
    MODEL_PLAN_KEEPERS,
    SYNC_KEY,
    ilike_exact,
)

# The device's data a model's plan is matched on.
MODEL_KEY_FIELDS = ("model", "manufacturer_id", "is_medical_device", "company_id")
# The device's data its obligations, hence its mandatory plans, follow.
OBLIGATION_FIELDS = (
    "dm_risk_class",
    "is_ionising",
    "imaging_modality",
    "is_medical_device",
)


class MaintenanceEquipment(models.Model):
    """The plans of a medical device: those of its model, those of its own,
    the mandatory ones proposed at reception, and the gate that keeps a device
    whose maintenance or quality control is obligatory out of service without
    them."""

    _inherit = "maintenance.equipment"  # pylint: disable=consider-merging-classes-inherited

    imaging_modality = fields.Selection(
        plans.IMAGING_MODALITIES,
        string="Imaging modality",
        tracking=True,
        help="For an ionising radiation device: the modality whose ANSM "
        "quality-control decision applies (mammography, CT…).",
    )
    dm_plans_missing = fields.Text(
        string="Mandatory plans missing",
        compute="_compute_dm_plans_missing",
        help="The plans the device's obligations require and it does not have "
        "yet (arrêté of 3 March 2003, ANSM decisions); it goes in service only "
        "with them.",
    )

    @api.depends(
        "maintenance_obligatory",
        "quality_control_obligatory",
        "imaging_modality",
        "maintenance_plan_ids.dm_nature",
        "maintenance_plan_ids.interval",
        "maintenance_plan_ids.interval_step",
        "maintenance_plan_ids.dm_performer",
        "maintenance_plan_ids.active",
    )
    def _compute_dm_plans_missing(self):
        for device in self:
            missing = device._dm_plans_missing() if device.id else []
            device.dm_plans_missing = "\n".join(missing) or False

    def _compute_team_required(self):
        # A medical device's plan without a team generates with the default
        # maintenance team (OCA's fallback): the device needs no team of its own.
        result = super()._compute_team_required()
        for device in self.filtered("is_medical_device"):
            device.maintenance_team_required = False
        return result

    # ------------------------------------------------------------ gate
    def _dm_plans_checklist(self):
        """One ``tools.checklist`` item per plan the device's obligations
        require, met when its active plans meet it (nature, period,
        performer), read from the plans themselves."""
        self.ensure_one()
        if not self.is_medical_device:
            return []
        # sudo: the gate reads the rules and every plan, whoever moves the device.
        device = self.sudo()
        requirements = self.env["dm.plan.requirement"].sudo()._dm_applicable(device)
        if not requirements:
            return []
        active_plans = device.maintenance_plan_ids.filtered("active")
        return [
            checklist.item(
                requirement._dm_label(),
                requirement._dm_met_by(active_plans),
                "maintenance_plan_ids",
            )
            for requirement in requirements
        ]

    def _dm_plans_missing(self):
        """What the device's obligations require and its active plans do not
        meet (see ``_dm_plans_checklist``)."""
        return checklist.missing(self._dm_plans_checklist())

    def _dm_plans_missing_by_device(self):
        """``{device id: set of missing plans}`` of the devices in service."""
        return {
            device.id: set(device._dm_plans_missing())
            for device in self.sudo()
            if device.is_medical_device and device.lifecycle_state == "in_service"
        }

    def _dm_check_plans_kept(self, before):
        """Refuse a change that takes from a device in service a plan its
        obligations require (``before``: ``_dm_plans_missing_by_device()``
        before the change). What was already missing may stay missing: the
        change that completes it must not be refused."""
        for device in self.sudo():
            if not (
                device.is_medical_device and device.lifecycle_state == "in_service"
            ):
                continue
            lost = set(device._dm_plans_missing()) - before.get(device.id, set())
            if lost:
                raise UserError(
                    self.env._(
                        "%(device)s is in service and its maintenance or quality "
                        "control is obligatory: it needs %(missing)s. Plan it "
                        "before this change.",
                        device=device.display_name,
                        missing="; ".join(sorted(lost)),
                    )
                )

    def _lifecycle_checklist(self, state):
        items = super()._lifecycle_checklist(state)
        if state == "in_service":
            items += self._dm_plans_checklist()
        return items

    # ------------------------------------------------------------ proposals
    def _dm_propose_plans(self):
        """Propose the mandatory plans the devices lack: one plan per nature,
        of the strictest obligation's period, done by the hospital's team (an
        external control waits for the technician to name its accredited
        body). A nature already proposed, or planned on the device (its own
        plan or its model's), is not proposed again."""
        # sudo: the proposals are the server's records of the rules, made when
        # a device reaches reception (a move checked as the user).
        plan_model = self.env["maintenance.plan"].sudo().with_context(active_test=False)
        requirement_model = self.env["dm.plan.requirement"].sudo()
        vals_list = []
        for device in self.sudo().filtered("is_medical_device"):
            existing = plan_model.search([("equipment_id", "=", device.id)])
            natures = set(existing.filtered("active").mapped("dm_nature"))
            natures |= set(existing.dm_requirement_id.mapped("nature"))
            # The strictest obligation of each nature: its plan meets the others.
            requirements = requirement_model._dm_applicable(device).sorted(
                lambda r: plans.period_days(r.interval, r.interval_step) or float("inf")
            )
            for requirement in requirements:
                if requirement.nature in natures:
                    continue
                natures.add(requirement.nature)
                interval = requirement.interval or 1
                step = requirement.interval_step if requirement.interval else "year"
                # The hospital's team by default; an external control names
                # its accredited body first.
                performer = False if requirement.nature == "qc_external" else "internal"
                vals_list.append(
                    {
                        "name": requirement.name,
                        "equipment_id": device.id,
                        "company_id": device.company_id.id,
                        "dm_nature": requirement.nature,
                        "interval": interval,
                        "interval_step": step,
                        "maintenance_plan_horizon": interval,
                        "planning_step": step,
                        "dm_source": requirement.source,
                        "dm_source_reference": requirement.source_reference,
                        "dm_requirement_id": requirement.id,
                        "dm_performer": performer,
                    }
                )
        return plan_model.create(vals_list)

    def action_propose_plans(self):
        """Propose the mandatory plans now (for a device received before the
        rules, or whose obligations changed)."""
        # Who may set the plans of these devices: the plans' own rule.
        self.check_access("write")
        keepers = DEVICE_PLAN_KEEPERS
        if not self.env.su and not any(self.env.user.has_group(g) for g in keepers):
            raise AccessError(
                self.env._(
                    "Only %(roles)s may set, change or delete the maintenance and "
                    "quality-control plans of %(device)s.",
                    roles=self._dm_group_names(keepers + MODEL_PLAN_KEEPERS),
                    device=", ".join(self.mapped("display_name")),
                )
            )
        self._dm_propose_plans()
        return True

    # ------------------------------------------------------------ model plans
    def _dm_sync_model_plans(self):
        """Give the devices the plans of their model, and archive the plans
        of a model they no longer are (those they override stay)."""
        devices = self.sudo().filtered("id")
        if not devices:
            return
        plan_model = self.env["maintenance.plan"].sudo().with_context(active_test=False)
        names = {ilike_exact(n) for n in devices.mapped("model") if n and n.strip()}
        model_plans = plan_model.browse()
        if names:
            domain = [("dm_is_model_plan", "=", True)]
            name_domain = [("dm_model_name", "=ilike", name) for name in names]
            domain += ["|"] * (len(name_domain) - 1) + name_domain
            model_plans = plan_model.search(domain)
        followed = plan_model.search(
            [("equipment_id", "in", devices.ids), ("dm_model_plan_id", "!=", False)]
        ).dm_model_plan_id
        (model_plans | followed)._dm_sync_derived(devices)

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        devices = super().create(vals_list)
        medical = devices.filtered("is_medical_device")
        if medical:
            medical._dm_sync_model_plans()
            # A device received at once gets its proposals; a fleet imported
            # in service shows what it misses (dm_plans_missing) instead of
            # plans nobody chose.
            medical.filtered(
                lambda d: d.lifecycle_state == "reception"
            )._dm_propose_plans()
        return devices

    def write(self, vals):
        watched = set(vals) & set(OBLIGATION_FIELDS)
        before = self._dm_plans_missing_by_device() if watched else {}
        result = super().write(vals)
        if set(vals) & set(MODEL_KEY_FIELDS):
            self._dm_sync_model_plans()
        if vals.get("lifecycle_state") == "reception":
            self._dm_propose_plans()
        elif watched:
            # Obligations that arise during reception or in service (a class
            # filled in, an ionising device) bring their plans' proposals.
            self.filtered(
                lambda d: d.lifecycle_state in ("reception", "in_service")
            )._dm_propose_plans()
        if watched:
            self._dm_check_plans_kept(before)
        return result

    def _dm_stop_preventive_maintenance(self):
        result = super()._dm_stop_preventive_maintenance()
        # sudo: a disposed device's plans stop with it, whoever set them; kept
        # archived with the operations they generated.
        plans_ = (
            self.env["maintenance.plan"]
            .sudo()
            .search([("equipment_id", "in", self.ids)])
        )
        plans_.with_context(**{SYNC_KEY: True}).write({"active": False})
        return result

    # ------------------------------------------------------------ generation
    @api.model
    def _cron_generate_requests(self):
        """OCA's daily generation: the plans of medical devices together (see
        ``maintenance.plan._dm_generate_requests``: a few queries per 1,000
        plans, not a few per plan), the others by OCA's own loop."""
        # sudo: the cron generates every plan, as OCA's does.
        Plan = self.env["maintenance.plan"].sudo()
        Plan.search(
            [
                ("interval", ">", 0),
                ("is_medical_device", "=", True),
                ("dm_performer", "!=", False),
                ("equipment_id.active", "=", True),
                ("equipment_id.lifecycle_state", "=", "in_service"),
            ],
            order="id",
        )._dm_generate_requests()
        # OCA's loop (maintenance_plan's _cron_generate_requests), for the
        # plans of other equipment and the plans applied by a domain.
        for plan in Plan.search(
            [("interval", ">", 0), ("is_medical_device", "=", False)]
        ).filtered(lambda x: True if not x.equipment_id else x.equipment_id.active):
            plan.equipment_id._create_new_request(plan)

    def _create_new_request(self, mtn_plan):
        """A model's plan generates through the plans of its devices; a
        medical device's plan generates once the device is in service and the
        plan names its performer."""
        requests = self.env["maintenance.request"]
        if mtn_plan.dm_is_model_plan:
            return requests
        if self.is_medical_device and (
            self.lifecycle_state != "in_service" or not mtn_plan.dm_performer
        ):
            return requests
        return super()._create_new_request(mtn_plan)

    def _prepare_requests_from_plan(self, maintenance_plan, next_maintenance_date):
        if self:
            return super()._prepare_requests_from_plan(
                maintenance_plan, next_maintenance_date
            )
        # A plan applied by a domain (OCA) leaves out the medical devices:
        # they follow their own plans and their model's, typed and gated.
        equipments = maintenance_plan._get_maintenance_equipments()
        return [
            equipment._prepare_request_from_plan(
                maintenance_plan, next_maintenance_date
            )
            for equipment in equipments
            if not equipment.is_medical_device
        ]

    def _prepare_request_from_plan(self, maintenance_plan, next_maintenance_date):
        data = super()._prepare_request_from_plan(
            maintenance_plan, next_maintenance_date
        )
        if not (self and self.is_medical_device):
            return data
        # The operation is typed by the plan's nature in the register; its
        # name is in the language of the device's hospital.
        lang = self.company_id.partner_id.lang or self.env.lang
        plan = maintenance_plan.with_context(lang=lang)
        nature = dict(plan._fields["dm_nature"]._description_selection(plan.env)).get(
            maintenance_plan.dm_nature, ""
        )
        data["name"] = plan.env._(
            "%(nature)s - %(device)s", nature=nature, device=self.display_name
        )
        data["operation_nature"] = maintenance_plan.dm_nature or "preventive"
        # The category follows the device (a related field, not a client's).
        data.pop("category_id", None)
        if maintenance_plan.dm_performer == "contractor":
            data["performer_employer"] = maintenance_plan.dm_contractor_id.name
        return data
