from odoo import api, fields, models
from odoo.addons.medical_device.tools import pieu
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools import continuity

# The devices whose continuity the RSSI and the engineer follow: very
# critical connected medical devices in service.
CONTINUITY_SCOPE = [
    ("is_medical_device", "=", True),
    ("is_connected", "=", True),
    ("pieu_criticality", "=", pieu.VERY_CRITICAL),
    ("lifecycle_state", "=", "in_service"),
]
CONTINUITY_FIELDS = [
    "cyber_continuity_plan_id",
    "cyber_continuity_missing",
    "cyber_continuity_stale",
]


class MaintenanceEquipment(models.Model):
    """The continuity plan a device follows when a cyberattack hits: its own
    plan, else its model's (``dm.continuity.plan``); and the very critical
    connected devices without one, or whose plan was not exercised within the
    period of the settings. Read from the plans at each request, never
    stored: no client sets them."""

    _inherit = "maintenance.equipment"  # pylint: disable=consider-merging-classes-inherited

    cyber_continuity_plan_id = fields.Many2one(
        "dm.continuity.plan",
        string="Continuity plan",
        compute="_compute_cyber_continuity",
        search="_search_cyber_continuity_plan_id",
        help="The plan that applies to the device when a cyberattack hits: its "
        "own plan, else the plan of its model.",
    )
    cyber_continuity_missing = fields.Boolean(
        string="No continuity plan",
        compute="_compute_cyber_continuity",
        search="_search_cyber_continuity_missing",
        help="A very critical connected device in service with no continuity "
        "plan, neither its own nor its model's.",
    )
    cyber_continuity_stale = fields.Boolean(
        string="Continuity plan not exercised",
        compute="_compute_cyber_continuity",
        search="_search_cyber_continuity_stale",
        help="A very critical connected device in service whose continuity plan "
        "was never exercised, or not within the period set in the settings.",
    )

    # ------------------------------------------------------------ settings
    @api.model
    def _cyber_continuity_exercise_days(self):
        return int(
            self._cyber_params().get_param(
                "dm_cyber.continuity_exercise_days",
                continuity.DEFAULT_EXERCISE_DAYS,
            )
        )

    # ------------------------------------------------------------ the plan
    @api.model
    def _cyber_continuity_match_sql(self, alias):
        """The active plans that apply to the device of table alias ``alias``
        (as ``p``): its own, and those of its model in its company (of its
        manufacturer, or naming none). The one definition of the matching:
        the compute and the searches read it."""
        device = SQL.identifier(alias)
        return SQL(
            """p.active
               AND (p.equipment_id = %(device)s.id
                    OR (p.equipment_id IS NULL
                        AND p.company_id = %(device)s.company_id
                        AND lower(p.dm_model_name) = lower(btrim(%(device)s.model))
                        AND (p.dm_model_manufacturer_id IS NULL
                             OR p.dm_model_manufacturer_id
                                = %(device)s.manufacturer_id)))""",
            device=device,
        )

    @api.model
    def _cyber_continuity_plan_sql(self, alias, expression):
        """``expression`` (on ``p``) of the plan that applies to the device:
        its own plan, else its model's (the manufacturer's before a plan
        naming none), the newest first; NULL without a plan."""
        return SQL(
            """(SELECT %(expression)s FROM dm_continuity_plan p
                 WHERE %(match)s
              ORDER BY p.equipment_id IS NULL,
                       p.dm_model_manufacturer_id IS NULL,
                       p.id DESC
                 LIMIT 1)""",
            expression=expression,
            match=self._cyber_continuity_match_sql(alias),
        )

    @api.model
    def _cyber_continuity_flush(self):
        self.env["dm.continuity.plan"].flush_model(
            [
                "active",
                "equipment_id",
                "company_id",
                "dm_model_name",
                "dm_model_manufacturer_id",
                "last_exercised_on",
            ]
        )
        self.flush_model(["model", "company_id", "manufacturer_id"])

    @api.depends(
        "model",
        "manufacturer_id",
        "company_id",
        "is_medical_device",
        "is_connected",
        "pieu_criticality",
        "lifecycle_state",
    )
    def _compute_cyber_continuity(self):
        """One query for the whole batch: each device's plan and its last
        exercise (read whoever the user: the flags are facts of the fleet)."""
        devices = self.filtered(lambda d: isinstance(d.id, int))
        rows = {}
        if devices:
            self._cyber_continuity_flush()
            rows = {
                device_id: (plan_id, last)
                for device_id, plan_id, last in self.env.execute_query(
                    SQL(
                        "SELECT e.id, plan.id, plan.last_exercised_on "
                        "FROM maintenance_equipment e "
                        "LEFT JOIN LATERAL %s plan ON TRUE "
                        "WHERE e.id = ANY(%s)",
                        self._cyber_continuity_plan_sql(
                            "e", SQL("p.id, p.last_exercised_on")
                        ),
                        devices.ids,
                    )
                )
            }
        today = fields.Date.context_today(self)
        days = self._cyber_continuity_exercise_days()
        in_scope = devices.filtered_domain(CONTINUITY_SCOPE) if devices else devices
        for device in self:
            plan_id, last = rows.get(device.id, (False, False))
            status = continuity.continuity_status(
                device in in_scope, bool(plan_id), last, today, days
            )
            device.cyber_continuity_plan_id = plan_id
            device.cyber_continuity_missing = status == continuity.MISSING
            device.cyber_continuity_stale = status == continuity.STALE

    # ------------------------------------------------------------ searches
    def _cyber_continuity_condition(self, build):
        """A domain on the devices from SQL on their row (``build(alias)``)."""
        self._cyber_continuity_flush()
        return Domain.custom(to_sql=lambda model, alias, query: build(alias))

    def _search_cyber_continuity_plan_id(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        values = list(value)
        plan_ids = [v for v in values if isinstance(v, int) and v]
        with_none = any(v is False or v is None for v in values)

        def build(alias):
            plan = self._cyber_continuity_plan_sql(alias, SQL("p.id"))
            parts = []
            if plan_ids:
                parts.append(SQL("COALESCE(%s = ANY(%s), FALSE)", plan, plan_ids))
            if with_none:
                parts.append(SQL("%s IS NULL", plan))
            return SQL("(%s)", SQL(" OR ").join(parts)) if parts else SQL("FALSE")

        domain = self._cyber_continuity_condition(build)
        return domain if operator == "in" else ~domain

    def _search_cyber_continuity_missing(self, operator, value):
        return self._cyber_continuity_flag_domain(
            operator,
            value,
            lambda alias: SQL(
                "NOT EXISTS (SELECT 1 FROM dm_continuity_plan p WHERE %s)",
                self._cyber_continuity_match_sql(alias),
            ),
        )

    def _search_cyber_continuity_stale(self, operator, value):
        limit = continuity.exercise_limit(
            fields.Date.context_today(self), self._cyber_continuity_exercise_days()
        )

        def build(alias):
            # One look-up per device: its plan's exercise is missing or old.
            return SQL(
                "COALESCE(%s, FALSE)",
                self._cyber_continuity_plan_sql(
                    alias,
                    SQL(
                        "p.last_exercised_on IS NULL OR p.last_exercised_on < %s",
                        limit,
                    ),
                ),
            )

        return self._cyber_continuity_flag_domain(operator, value, build)

    def _cyber_continuity_flag_domain(self, operator, value, build):
        if operator != "in":
            return NotImplemented
        wanted = set(value)
        if {True, False} <= wanted:
            return Domain.TRUE
        flagged = Domain(CONTINUITY_SCOPE) & self._cyber_continuity_condition(build)
        return flagged if True in wanted else ~flagged
