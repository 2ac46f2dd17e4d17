from odoo import api, fields, models

from ..tools import plans


class DmPlanRequirement(models.Model):
    """A plan the regulation requires of a device (arrêté of 3 March 2003,
    ANSM quality-control decisions): reference data an engineer edits. A
    device whose maintenance or quality control is obligatory (and, for an
    ANSM decision, of that imaging modality) gets it proposed at reception and
    goes in service only with an active plan that meets it."""

    _name = "dm.plan.requirement"
    _inherit = ["dm.input.guard", "dm.reference.data"]
    _description = "Mandatory maintenance or quality-control plan"
    _order = "sequence, id"

    name = fields.Char(string="Obligation", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    obligation = fields.Selection(
        plans.OBLIGATIONS,
        string="Applies to devices with",
        required=True,
        help="Which obligation of the device (computed from its class and "
        "ionising radiation, arrêté of 3 March 2003) brings this requirement.",
    )
    imaging_modality = fields.Selection(
        plans.IMAGING_MODALITIES,
        string="Imaging modality",
        help="Only for devices of this imaging modality (an ANSM decision); "
        "empty: every device with the obligation.",
    )
    nature = fields.Selection(plans.PLAN_NATURES, required=True)
    interval = fields.Integer(
        string="At most every",
        help="The longest period allowed between two operations; 0: the "
        "periodicity is the manufacturer's.",
    )
    interval_step = fields.Selection(
        [
            ("day", "Day(s)"),
            ("week", "Week(s)"),
            ("month", "Month(s)"),
            ("year", "Year(s)"),
        ],
        string="Unit",
        default="year",
        required=True,
    )
    source = fields.Selection(plans.PLAN_SOURCES, required=True)
    source_reference = fields.Char(
        string="Reference",
        translate=True,
        help="The text that sets the obligation, e.g. the ANSM decision and its date.",
    )
    notify_pharmacist = fields.Boolean(
        string="Non-compliance declared by the pharmacist",
        help="The decision asks the operator to declare a serious non-compliance "
        "of this control (e.g. the ANSM decision on digital mammography): a "
        "non-compliant control tells the pharmacist, who decides on the "
        "matériovigilance declaration.",
    )

    _interval_positive = models.Constraint(
        "CHECK (interval >= 0)", "The period of a mandatory plan cannot be negative."
    )

    @api.model
    def _dm_applicable(self, device):
        """The active requirements that apply to ``device``."""
        obligations = [
            name
            for name, obliged in (
                ("maintenance", device.maintenance_obligatory),
                ("quality_control", device.quality_control_obligatory),
            )
            if obliged
        ]
        if not obligations:
            return self.browse()
        return self.search([("obligation", "in", obligations)]).filtered(
            lambda r: plans.requirement_applies(
                r.obligation,
                r.imaging_modality,
                device.maintenance_obligatory,
                device.quality_control_obligatory,
                device.imaging_modality,
            )
        )

    def _dm_met_by(self, plan_records):
        """Whether one of ``plan_records`` meets this requirement."""
        self.ensure_one()
        wanted = (self.nature, self.interval, self.interval_step)
        return any(
            plans.plan_meets(
                (
                    plan.dm_nature,
                    plan.interval,
                    plan.interval_step,
                    plan.dm_performer,
                ),
                wanted,
            )
            for plan in plan_records
        )

    def _dm_label(self):
        """What the requirement asks, for a message: nature, period, reference."""
        self.ensure_one()
        nature = dict(self._fields["nature"]._description_selection(self.env))[
            self.nature
        ]
        if self.interval:
            step = dict(self._fields["interval_step"]._description_selection(self.env))[
                self.interval_step
            ]
            period = self.env._(
                "at most every %(interval)s %(step)s",
                interval=self.interval,
                step=step.lower(),
            )
        else:
            period = self.env._("at the manufacturer's periodicity")
        return self.env._(
            "a plan of %(nature)s %(period)s with its performer (%(reference)s)",
            nature=nature.lower(),
            period=period,
            reference=self.source_reference or self.name,
        )
