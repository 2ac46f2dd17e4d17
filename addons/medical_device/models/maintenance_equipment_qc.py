from odoo import _lt, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, format_datetime

from ..tools import qc
from ..tools import reader_text as rt
from .maintenance_equipment_plan import OBLIGATION_FIELDS

# The statuses' conditions, on the plan and on its device: the searches join
# them (``on_device``), the compute of a page of devices reads the device's
# part on the devices at hand.
IN_SERVICE_DEVICE = [
    ("is_medical_device", "=", True),
    ("lifecycle_state", "=", "in_service"),
]
QC_OBLIGATORY_DEVICE = [("quality_control_obligatory", "=", True)]
OVERDUE_PLAN = [("dm_overdue", "=", True)]
QC_PLAN = [("dm_nature", "in", qc.QC_NATURES)]
FAILED_PLAN = [("dm_failed_control_id", "!=", False), *QC_PLAN]


def on_device(domain):
    """``domain`` of a device, as conditions of its plans."""
    return [(f"equipment_id.{fname}", op, value) for fname, op, value in domain]


class MaintenanceEquipment(models.Model):
    """Whether a medical device may be used, read from its plans' controls:
    a mandatory quality control non-compliant (until a compliant control of
    the plan) or overdue (unless an engineer's override holds) suspends its
    use; any plan past its tolerance window marks it "control overdue". No
    flag a client could write: every status is computed and searched from
    the plans, the controls and the overrides."""

    _inherit = "maintenance.equipment"  # pylint: disable=consider-merging-classes-inherited

    dm_control_overdue = fields.Boolean(
        string="Control overdue",
        compute="_compute_dm_qc_status",
        search="_search_dm_control_overdue",
        help="A plan of the device in service is past its due date and its "
        "tolerance window.",
    )
    dm_use_suspended = fields.Boolean(
        string="Use suspended",
        compute="_compute_dm_qc_status",
        search="_search_dm_use_suspended",
        help="A mandatory quality control is non-compliant (until a compliant "
        "control of its plan), or overdue without an engineer's override in "
        "force.",
    )
    dm_use_suspension_reason = fields.Text(
        string="Why use is suspended", compute="_compute_dm_qc_status"
    )
    dm_qc_override_ids = fields.One2many(
        "dm.qc.override",
        "equipment_id",
        string="Overrides of overdue controls",
        groups="medical_device.group_dm_auditor",
    )
    dm_qc_measure_count = fields.Integer(
        string="QC measures",
        compute="_compute_dm_qc_measure_count",
        groups="medical_device.group_dm_auditor",
    )

    # ------------------------------------------------------------ gates
    def write(self, vals):
        # The device's obligations decide whether a failed or lapsed control
        # suspends its use: while it does, they are not a route back to use.
        if (
            not self.env.su
            and set(vals) & set(OBLIGATION_FIELDS)
            and (suspended := self.filtered("dm_use_suspended"))
        ):
            raise UserError(
                self.env._(
                    "The use of %(device)s is suspended by its mandatory quality "
                    "control: its class, radiation and modality stay as they are "
                    "until a compliant control (or an engineer's override of an "
                    "overdue control).",
                    device=suspended[0].display_name,
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------ domains
    @api.model
    def _dm_plans_query(self, domain):
        # sudo: the statuses follow every plan, whatever the user may read.
        plans_ = self.env["maintenance.plan"].sudo().with_context(active_test=False)
        return plans_._search(domain).subselect("equipment_id")

    @api.model
    def _dm_overdue_plan_domain(self):
        return [*OVERDUE_PLAN, *on_device(IN_SERVICE_DEVICE)]

    @api.model
    def _dm_failed_plan_domain(self):
        return [*FAILED_PLAN, *on_device(QC_OBLIGATORY_DEVICE)]

    @api.model
    def _dm_lapsed_plan_domain(self):
        """Mandatory quality controls overdue without an override in force."""
        return [
            *self._dm_overdue_plan_domain(),
            *QC_PLAN,
            *on_device(QC_OBLIGATORY_DEVICE),
            self._dm_not_overridden(),
        ]

    @api.model
    def _dm_not_overridden(self):
        # sudo: see _dm_plans_query.
        overrides = self.env["dm.qc.override"].sudo()._search([("dm_valid", "=", True)])
        return ("id", "not in", overrides.subselect("plan_id"))

    def _search_dm_control_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        ids = self._dm_plans_query(self._dm_overdue_plan_domain())
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", ids)]

    def _search_dm_use_suspended(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        failed = self._dm_plans_query(self._dm_failed_plan_domain())
        lapsed = self._dm_plans_query(self._dm_lapsed_plan_domain())
        if (operator == "=") == value:
            return ["|", ("id", "in", failed), ("id", "in", lapsed)]
        return [("id", "not in", failed), ("id", "not in", lapsed)]

    # ------------------------------------------------------------ computes
    @api.depends_context("tz", "lang")
    def _compute_dm_qc_status(self):
        """Three reads for the whole batch (overdue plans, failed plans,
        lapsed plans), whatever the number of devices."""
        devices = self.filtered(lambda d: isinstance(d.id, int) and d.is_medical_device)
        plan_model = self.env["maintenance.plan"].sudo().with_context(active_test=False)
        # The domains of the searches above, the device's part read on the
        # devices at hand: each plan search starts from the page's devices (an
        # index), not from every overdue plan of the fleet joined to its device.
        in_service = devices.filtered_domain(IN_SERVICE_DEVICE)
        obligatory = devices.filtered_domain(QC_OBLIGATORY_DEVICE)
        overdue = failed = lapsed = plan_model
        if in_service:
            overdue = plan_model.search(
                [("equipment_id", "in", in_service.ids), *OVERDUE_PLAN]
            )
        if obligatory:
            failed = plan_model.search(
                [("equipment_id", "in", obligatory.ids), *FAILED_PLAN]
            )
        candidates = overdue.filtered_domain(
            [*QC_PLAN, ("equipment_id", "in", obligatory.ids)]
        )
        if candidates:
            lapsed = plan_model.search(
                [("id", "in", candidates.ids), self._dm_not_overridden()]
            )
        overdue_by = overdue.grouped("equipment_id")
        failed_by = failed.grouped("equipment_id")
        lapsed_by = lapsed.grouped("equipment_id")
        for device in self:
            origin = device._origin
            reasons = [
                self.env._(
                    "%(plan)s: control %(request)s non-compliant; use resumes "
                    "after a compliant control of the plan.",
                    plan=plan.name,
                    request=plan.dm_failed_control_id.name,
                )
                for plan in failed_by.get(origin, [])
            ] + [
                self.env._(
                    "%(plan)s: mandatory quality control overdue since "
                    "%(date)s, no engineer's override in force.",
                    plan=plan.name,
                    date=format_date(self.env, plan.dm_overdue_after),
                )
                for plan in lapsed_by.get(origin, [])
            ]
            device.dm_control_overdue = bool(overdue_by.get(origin))
            device.dm_use_suspended = bool(reasons)
            device.dm_use_suspension_reason = "\n".join(reasons) or False

    def _compute_dm_qc_measure_count(self):
        counts = dict(
            self.env["dm.qc.measure"]._read_group(
                [("equipment_id", "in", self.ids)], ["equipment_id"], ["__count"]
            )
        )
        for device in self:
            device.dm_qc_measure_count = counts.get(device, 0)

    # ------------------------------------------------------------ actions
    def action_open_qc_trends(self):
        """The trend chart of the device's quality-control tests."""
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.client",
            "tag": "medical_device.qc_trends",
            "name": self.env._("QC trends: %(device)s", device=self.display_name),
            "params": {"equipment_id": self.id},
        }

    def action_view_qc_measures(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "medical_device.dm_qc_measure_action"
        )
        action["domain"] = [("equipment_id", "=", self.id)]
        action["context"] = {"search_default_groupby_test": 1}
        return action

    @api.model
    def get_qc_trend_devices(self):
        """The devices the user reads that have measures, for the chooser."""
        rows = self.env["dm.qc.measure"]._read_group([], ["equipment_id"], ["__count"])
        return [
            {"id": device.id, "name": device.display_name}
            for device, _count in rows
            if device
        ]

    @api.model
    def get_qc_trends(self, equipment_id, test_id=None):
        """The trend chart's data, read as the user: the device's tests and,
        for the chosen one (default: the first), its measures over time with
        the reference, tolerance and action bands they were recorded with."""
        device = self.browse(equipment_id)
        device.check_access("read")
        tests = self.env["dm.qc.test"].search(
            [("equipment_id", "=", device.id)], order="plan_id, sequence, id"
        )
        test = tests.filtered(lambda t: t.id == test_id)[:1] or tests[:1]
        points = []
        if test:
            measures = self.env["dm.qc.measure"].search(
                [("test_id", "=", test.id)], order="measured_on, id"
            )
            status_labels = dict(
                measures._fields["status"]._description_selection(self.env)
            )
            for measure in measures:
                points.append(
                    {
                        "id": measure.id,
                        "date": fields.Datetime.to_string(measure.measured_on),
                        "date_label": format_datetime(
                            self.env, measure.measured_on, dt_format="short"
                        ),
                        "value": measure.value,
                        "reference": measure.reference,
                        "tolerance_low": measure.tolerance_low,
                        "tolerance_high": measure.tolerance_high,
                        "action_low": measure.action_low,
                        "action_high": measure.action_high,
                        "status": measure.status,
                        "status_label": status_labels.get(measure.status, ""),
                        "request": measure.request_id.display_name,
                    }
                )
        return {
            "device": device.display_name,
            "tests": [
                {
                    "id": t.id,
                    "name": f"{t.plan_id.name} — {t.name}",
                    "unit": t.unit or "",
                }
                for t in tests
            ],
            "test_id": test.id or False,
            "unit": test.unit or "",
            "points": points,
            "labels": {
                "value": self.env._("Measure"),
                "reference": self.env._("Reference"),
                "tolerance": self.env._("Tolerance"),
                "action": self.env._("Action level"),
                "empty": self.env._("No measure recorded for this test yet."),
                "no_test": self.env._(
                    "No quality-control test on this device's plans."
                ),
                "test": self.env._("Test"),
            },
        }

    def _dm_qc_note_override(self, override):
        self.ensure_one()
        self._dm_post_note(
            rt.msg(
                _lt(
                    "Use kept by %(engineer)s until %(date)s although %(plan)s "
                    "is overdue: %(reason)s"
                ),
                engineer=rt.record("res.users", override.engineer_id.id),
                date=rt.date(override.expiry_date),
                plan=rt.record(override.plan_id._name, override.plan_id.id),
                reason=override.reason,
            )
        )
