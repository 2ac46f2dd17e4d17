from odoo import fields, models, tools
from odoo.tools import SQL

from ..tools.selections import LIFECYCLE_STATES


class DmCriticalityReport(models.Model):
    """One row per active medical device with the follow-up figures the seed asks
    for each criticality: downtime and unavailability for very critical devices,
    overdue preventive maintenance for moderate ones, programme status for low."""

    _name = "dm.criticality.report"
    _description = "Medical device criticality dashboard"
    _auto = False
    _order = "pieu_score"

    equipment_id = fields.Many2one(
        "maintenance.equipment", string="Device", readonly=True
    )
    company_id = fields.Many2one("res.company", readonly=True)
    category_id = fields.Many2one("maintenance.equipment.category", readonly=True)
    lifecycle_state = fields.Selection(
        LIFECYCLE_STATES, string="Lifecycle", readonly=True
    )
    pieu_criticality = fields.Selection(
        [
            ("very_critical", "Very critical"),
            ("moderate", "Moderately critical"),
            ("low", "Low criticality"),
        ],
        string="Criticality",
        readonly=True,
    )
    # The device's precision: a very critical score (e.g. 0.0001) must not
    # read 0.00.
    pieu_score = fields.Float(
        string="PIEU score", readonly=True, aggregator="min", digits=(16, 4)
    )
    device_count = fields.Integer(string="Devices", readonly=True)
    corrective_count = fields.Integer(
        string="Failures (12 months)",
        readonly=True,
        help="Corrective maintenance requests over the last 12 months.",
    )
    downtime_hours = fields.Float(
        string="Downtime (h, 12 months)",
        readonly=True,
        help="Hours out of use over the last 12 months, from the use stop/resume "
        "dates of corrective requests, or their request and close dates.",
    )
    unavailability_rate = fields.Float(
        string="Unavailability (%)",
        readonly=True,
        aggregator="avg",
        help="Downtime over the last 12 months divided by the hours in 12 months.",
    )
    preventive_overdue_count = fields.Integer(
        string="Overdue preventive",
        readonly=True,
        help="Preventive requests not done whose scheduled date is past.",
    )
    preventive_planned_count = fields.Integer(
        string="Planned preventive", readonly=True
    )
    preventive_done_count = fields.Integer(
        string="Preventive done (12 months)", readonly=True
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %s AS (
            WITH clock AS (
                SELECT now() AT TIME ZONE 'UTC' AS now_utc
            ), corrective AS (
                SELECT r.equipment_id,
                       count(*) AS corrective_count,
                       sum(greatest(0, extract(epoch FROM (
                           least(coalesce(r.use_resumed_on, r.close_date::timestamp,
                                          clock.now_utc),
                                 clock.now_utc)
                           - greatest(coalesce(r.use_stopped_on,
                                               r.request_date::timestamp),
                                      clock.now_utc - interval '365 days')
                       )) / 3600.0)) AS downtime_hours
                  FROM maintenance_request r
                 CROSS JOIN clock
                 WHERE r.maintenance_type = 'corrective'
                   AND r.equipment_id IS NOT NULL
                   AND NOT coalesce(r.archive, false)
                   AND coalesce(r.close_date, current_date) >= current_date - 365
                 GROUP BY r.equipment_id
            ), preventive AS (
                SELECT r.equipment_id,
                       count(*) FILTER (WHERE NOT coalesce(s.done, false)
                                          AND r.schedule_date < clock.now_utc)
                           AS overdue,
                       count(*) FILTER (WHERE NOT coalesce(s.done, false)
                                          AND (r.schedule_date IS NULL
                                               OR r.schedule_date >= clock.now_utc))
                           AS planned,
                       count(*) FILTER (WHERE coalesce(s.done, false)
                                          AND r.close_date >= current_date - 365)
                           AS done
                  FROM maintenance_request r
                  JOIN maintenance_stage s ON s.id = r.stage_id
                 CROSS JOIN clock
                 WHERE r.maintenance_type = 'preventive'
                   AND r.equipment_id IS NOT NULL
                   AND NOT coalesce(r.archive, false)
                 GROUP BY r.equipment_id
            )
            SELECT e.id AS id,
                   e.id AS equipment_id,
                   e.company_id,
                   e.category_id,
                   e.lifecycle_state,
                   e.pieu_criticality,
                   e.pieu_score,
                   1 AS device_count,
                   coalesce(c.corrective_count, 0) AS corrective_count,
                   round(coalesce(c.downtime_hours, 0)::numeric, 2) AS downtime_hours,
                   round((coalesce(c.downtime_hours, 0) / (365 * 24) * 100)::numeric, 2)
                       AS unavailability_rate,
                   coalesce(p.overdue, 0) AS preventive_overdue_count,
                   coalesce(p.planned, 0) AS preventive_planned_count,
                   coalesce(p.done, 0) AS preventive_done_count
              FROM maintenance_equipment e
              LEFT JOIN corrective c ON c.equipment_id = e.id
              LEFT JOIN preventive p ON p.equipment_id = e.id
             WHERE e.is_medical_device AND e.active
            )
            """,
                SQL.identifier(self._table),
            )
        )
