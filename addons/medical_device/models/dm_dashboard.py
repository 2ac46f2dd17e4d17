from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL, format_date
from odoo.tools.misc import formatLang

from ..tools import dashboard

# Who sees the criticality panels: every role of the suite (each implies the
# auditor). The other panels name their readers (see _dm_panels).
CRITICALITY_READERS = ("medical_device.group_dm_auditor",)
CE_READERS = ("medical_device.group_dm_pharmacist", "medical_device.group_dm_engineer")
# Bar colours of the charts (Odoo's palette): green, amber, red, grey.
COLOURS = {
    dashboard.SUCCESS: "#28a745",
    dashboard.WARNING: "#ffac00",
    dashboard.DANGER: "#dc3545",
    dashboard.MUTED: "#6c757d",
}
MONTHS_AHEAD = 12


class DmDashboard(models.AbstractModel):
    """The criticality dashboard the seeds describe: very critical devices
    followed by their unavailability and downtime, moderately critical ones by
    their overdue preventive maintenance, low criticality ones by their
    maintenance programme; the CE deadlines of the pharmacist (and the
    RSSI's cyber panel, dm_cyber).

    One call, ``get_panels()``, gives every figure with its target, its colour
    and the list behind it (an action whose domain selects exactly the records
    counted). Everything is read as the calling user, so record rules apply:
    a user of another hospital counts none of these devices. The figures are
    counts and sums of the database (``search_count``, ``_read_group``, one
    SQL sum over the rule-filtered query), never a loop over devices."""

    _name = "dm.dashboard"
    _description = "Criticality dashboard"

    # ------------------------------------------------------------ API
    @api.model
    def get_panels(self):
        """The panels the user may see, each with its figures and chart."""
        specs = [
            spec
            for spec in self._dm_panels()
            if any(self.env.user.has_group(g) for g in spec["groups"])
        ]
        if not specs:
            return []
        # The panel of the user's own role first (the pharmacist's CE
        # deadlines, the RSSI's cyber panel), then the seeds' order.
        specs.sort(
            key=lambda spec: (
                not any(self.env.user.has_group(g) for g in spec.get("first_for", ()))
            )
        )
        clock = self._dm_clock()
        indicators = self.env["dm.dashboard.indicator"].search(
            [("panel", "in", [spec["key"] for spec in specs])]
        )
        by_panel = indicators.grouped("panel")
        panels = []
        for spec in specs:
            figures = []
            for indicator in by_panel.get(spec["key"], []):
                compute = getattr(self, f"_dm_indicator_{indicator.code}", None)
                if compute is None:
                    continue
                figures.append(self._dm_figure(indicator, compute(clock), clock))
            chart_method = getattr(self, f"_dm_chart_{spec['key']}", None)
            panels.append(
                {
                    "key": spec["key"],
                    "title": spec["title"],
                    "subtitle": spec["subtitle"],
                    "figures": figures,
                    "chart": chart_method(clock) if chart_method else None,
                    "total": self._dm_total(spec, clock),
                }
            )
        return panels

    # ------------------------------------------------------------ panels
    def _dm_panels(self):
        """The panels in order: key (the indicators' ``panel``), title, the
        groups that see it (``first_for``: those who see it first), and the
        devices it is about (for its total)."""
        return [
            {
                "key": "very_critical",
                "title": self.env._("Very critical devices"),
                "subtitle": self.env._("Heavy equipment: unavailability and downtime"),
                "groups": CRITICALITY_READERS,
                "devices": self._dm_devices_domain("very_critical"),
            },
            {
                "key": "moderate",
                "title": self.env._("Moderately critical devices"),
                "subtitle": self.env._("Overdue preventive maintenance"),
                "groups": CRITICALITY_READERS,
                "devices": self._dm_devices_domain("moderate"),
            },
            {
                "key": "low",
                "title": self.env._("Low criticality devices"),
                "subtitle": self.env._("Follow-up of the maintenance programme"),
                "groups": CRITICALITY_READERS,
                "devices": self._dm_devices_domain("low"),
            },
            {
                "key": "ce",
                "title": self.env._("CE deadlines"),
                "subtitle": self.env._("Certificates and transition periods ending"),
                "groups": CE_READERS,
                "first_for": ("medical_device.group_dm_pharmacist",),
                "devices": self._dm_ce_domain(),
            },
        ]

    def _dm_total(self, spec, clock):
        domain = spec.get("devices")
        if domain is None:
            return None
        count = self.env["maintenance.equipment"].search_count(domain)
        return {
            "value": count,
            "display": self.env._(
                "%(count)s devices", count=self._dm_format(count, "count")
            ),
            "action": self._dm_action(
                spec["title"], "maintenance.equipment", domain, clock
            ),
        }

    # ------------------------------------------------------------ domains
    @api.model
    def _dm_clock(self):
        """One "now" for every figure of a call: the last 12 months end now."""
        now = fields.Datetime.now()
        today = fields.Date.context_today(self)
        return {
            "now": now,
            "today": today,
            "since": now - timedelta(days=dashboard.DAYS_PER_YEAR),
            "since_date": today - timedelta(days=dashboard.DAYS_PER_YEAR),
        }

    @api.model
    def _dm_devices_domain(self, criticality):
        """The devices of a criticality level that are in service."""
        return [
            ("is_medical_device", "=", True),
            ("lifecycle_state", "=", "in_service"),
            ("pieu_criticality", "=", criticality),
        ]

    @api.model
    def _dm_requests_domain(self, criticality):
        """The maintenance requests (not archived) of those devices."""
        return [
            ("archive", "=", False),
            ("equipment_id", "any", self._dm_devices_domain(criticality)),
        ]

    @api.model
    def _dm_unavailable_request_domain(self):
        """A request that keeps its device out of use now: its use was stopped
        and not resumed, or it is a corrective request not done (the device
        broke down and its use stop was not recorded)."""
        return [
            ("archive", "=", False),
            "|",
            "&",
            ("use_stopped_on", "!=", False),
            ("use_resumed_on", "=", False),
            "&",
            "&",
            ("maintenance_type", "=", "corrective"),
            ("use_stopped_on", "=", False),
            ("stage_id.done", "=", False),
        ]

    @api.model
    def _dm_downtime_domain(self, criticality, clock):
        """The requests that count in the downtime of the last 12 months: the
        corrective ones and those that stopped the use, whose downtime ends in
        the period (or has not ended)."""
        since = fields.Datetime.to_string(clock["since"])
        since_date = fields.Date.to_string(clock["since_date"])
        return [
            *self._dm_requests_domain(criticality),
            "|",
            ("maintenance_type", "=", "corrective"),
            ("use_stopped_on", "!=", False),
            "|",
            "|",
            # use stopped: until it resumed, or still stopped
            "&",
            ("use_stopped_on", "!=", False),
            "|",
            ("use_resumed_on", "=", False),
            ("use_resumed_on", ">=", since),
            # no use stop recorded: from the request until it was done
            "&",
            ("use_stopped_on", "=", False),
            ("stage_id.done", "=", False),
            "&",
            ("use_stopped_on", "=", False),
            ("close_date", ">=", since_date),
        ]

    @api.model
    def _dm_late_preventive_domain(self, criticality, clock):
        return self._dm_requests_domain(criticality) + self._dm_late_conditions(clock)

    @api.model
    def _dm_late_conditions(self, clock):
        """A preventive request past its scheduled date and not done."""
        return [
            ("archive", "=", False),
            ("maintenance_type", "=", "preventive"),
            ("stage_id.done", "=", False),
            ("schedule_date", "!=", False),
            ("schedule_date", "<", fields.Datetime.to_string(clock["now"])),
        ]

    @api.model
    def _dm_programme_domain(self, criticality, clock):
        """The preventive requests planned in the last 12 months (scheduled
        then, or requested then when not scheduled)."""
        since = fields.Datetime.to_string(clock["since"])
        now = fields.Datetime.to_string(clock["now"])
        since_date = fields.Date.to_string(clock["since_date"])
        today = fields.Date.to_string(clock["today"])
        return [
            *self._dm_requests_domain(criticality),
            ("maintenance_type", "=", "preventive"),
            "|",
            "&",
            ("schedule_date", ">=", since),
            ("schedule_date", "<=", now),
            "&",
            "&",
            ("schedule_date", "=", False),
            ("request_date", ">=", since_date),
            ("request_date", "<=", today),
        ]

    @api.model
    def _dm_ce_domain(self):
        """The devices whose CE deadlines the pharmacist follows."""
        return [
            ("is_medical_device", "=", True),
            ("lifecycle_state", "!=", "disposed"),
            ("ce_next_deadline", "!=", False),
        ]

    # ------------------------------------------------------------ figures
    def _dm_figure(self, indicator, result, clock):
        """A figure as the client shows it: value and target in the reader's
        format, colour, and the action opening the records behind it."""
        value = result["value"]
        unit = indicator.unit
        return {
            "code": indicator.code,
            "label": indicator.name,
            "help": indicator.description or "",
            "unit": unit,
            "value": value,
            "display": self._dm_format(value, unit),
            "target": indicator.target,
            "alert_threshold": indicator.alert_threshold,
            "target_display": self._dm_target_text(indicator),
            "state": indicator._dm_state(value),
            "action": self._dm_action(
                indicator.name, result["model"], result["domain"], clock
            ),
        }

    def _dm_format(self, value, unit):
        if value is None:
            return "—"
        if unit == "count":
            return formatLang(self.env, value, digits=0)
        text = formatLang(self.env, value, digits=1)
        if unit == "hours":
            return self.env._("%(value)s h", value=text)
        return self.env._("%(value)s %%", value=text)

    def _dm_target_text(self, indicator):
        target = self._dm_format(indicator.target, indicator.unit)
        if indicator.direction == dashboard.LOWER_IS_BETTER:
            return self.env._("Target: ≤ %(target)s", target=target)
        if indicator.direction == dashboard.HIGHER_IS_BETTER:
            return self.env._("Target: ≥ %(target)s", target=target)
        return ""

    def _dm_action(self, name, model, domain, clock):
        """The list behind a figure: exactly the records of its domain."""
        if model == "maintenance.request":
            views = [
                [
                    self.env.ref("medical_device.maintenance_register_view_list").id,
                    "list",
                ],
                [False, "form"],
            ]
        else:
            views = [[False, "list"], [False, "form"]]
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "domain": domain,
            "views": views,
            "target": "current",
            "context": {"create": False},
        }

    # ------------------------------------------------------------ indicators
    # Each returns the figure's value, and the model and domain of the
    # records it is computed from (counted, or summed for hours and rates).
    def _dm_indicator_vc_unavailable(self, clock):
        # Out of use now: a use stop recorded in the register (a failed
        # mandatory QC, an incident) or a corrective request open, or a
        # mandatory QC lapsed (a state of the calendar, computed, with no
        # stop recorded: see maintenance_equipment_qc.py).
        domain = [
            *self._dm_devices_domain("very_critical"),
            "|",
            ("maintenance_ids", "any", self._dm_unavailable_request_domain()),
            ("dm_use_suspended", "=", True),
        ]
        count = self.env["maintenance.equipment"].search_count(domain)
        return {"value": count, "model": "maintenance.equipment", "domain": domain}

    def _dm_indicator_vc_downtime(self, clock):
        domain = self._dm_downtime_domain("very_critical", clock)
        return {
            "value": self._dm_downtime_hours(domain, clock),
            "model": "maintenance.request",
            "domain": domain,
        }

    def _dm_indicator_vc_availability(self, clock):
        devices = self._dm_devices_domain("very_critical")
        count = self.env["maintenance.equipment"].search_count(devices)
        downtime = self._dm_downtime_hours(
            self._dm_downtime_domain("very_critical", clock), clock
        )
        return {
            "value": dashboard.availability_rate(downtime, count),
            "model": "maintenance.equipment",
            "domain": devices,
        }

    def _dm_indicator_mod_preventive_late(self, clock):
        domain = self._dm_late_preventive_domain("moderate", clock)
        count = self.env["maintenance.request"].search_count(domain)
        return {"value": count, "model": "maintenance.request", "domain": domain}

    def _dm_indicator_mod_devices_late_rate(self, clock):
        Equipment = self.env["maintenance.equipment"]
        devices = self._dm_devices_domain("moderate")
        # Late: a preventive request past its date, or a plan past its
        # tolerance window (the plans' "control overdue").
        late = [
            *devices,
            "|",
            ("maintenance_ids", "any", self._dm_late_conditions(clock)),
            ("dm_control_overdue", "=", True),
        ]
        return {
            "value": dashboard.ratio_percent(
                Equipment.search_count(late), Equipment.search_count(devices)
            ),
            "model": "maintenance.equipment",
            "domain": late,
        }

    def _dm_indicator_mod_control_overdue(self, clock):
        domain = [
            *self._dm_devices_domain("moderate"),
            ("dm_control_overdue", "=", True),
        ]
        count = self.env["maintenance.equipment"].search_count(domain)
        return {"value": count, "model": "maintenance.equipment", "domain": domain}

    def _dm_indicator_low_preventive_planned(self, clock):
        domain = self._dm_programme_domain("low", clock)
        count = self.env["maintenance.request"].search_count(domain)
        return {"value": count, "model": "maintenance.request", "domain": domain}

    def _dm_indicator_low_preventive_done(self, clock):
        domain = [
            *self._dm_programme_domain("low", clock),
            ("stage_id.done", "=", True),
        ]
        count = self.env["maintenance.request"].search_count(domain)
        return {"value": count, "model": "maintenance.request", "domain": domain}

    def _dm_indicator_low_programme_rate(self, clock):
        planned = self._dm_programme_domain("low", clock)
        Request = self.env["maintenance.request"]
        done = Request.search_count([*planned, ("stage_id.done", "=", True)])
        return {
            "value": dashboard.ratio_percent(done, Request.search_count(planned)),
            "model": "maintenance.request",
            "domain": planned,
        }

    def _dm_indicator_ce_passed(self, clock):
        domain = [
            *self._dm_ce_domain(),
            ("ce_next_deadline", "<", fields.Date.to_string(clock["today"])),
        ]
        count = self.env["maintenance.equipment"].search_count(domain)
        return {"value": count, "model": "maintenance.equipment", "domain": domain}

    def _dm_indicator_ce_soon(self, clock):
        days = self.env["maintenance.equipment"]._ce_deadline_warning_days()
        domain = [
            *self._dm_ce_domain(),
            ("ce_next_deadline", ">=", fields.Date.to_string(clock["today"])),
            (
                "ce_next_deadline",
                "<=",
                fields.Date.to_string(clock["today"] + timedelta(days=days)),
            ),
        ]
        count = self.env["maintenance.equipment"].search_count(domain)
        return {"value": count, "model": "maintenance.equipment", "domain": domain}

    # ------------------------------------------------------------ sums
    def _dm_downtime_hours(self, domain, clock):
        """Hours out of use in the last 12 months of the requests of the
        domain, summed in the database over the rule-filtered query: from the
        use stop (or the request date) to the use resumption (or, without a
        recorded stop, the close date), the open ones until now, each clipped
        to the period."""
        Request = self.env["maintenance.request"]
        query = Request._search(domain)
        table = query.table

        def column(name):
            return SQL.identifier(table, name)

        done = SQL(
            "(SELECT s.done FROM maintenance_stage s WHERE s.id = %s)",
            column("stage_id"),
        )
        start = SQL(
            "coalesce(%s, %s::timestamp)",
            column("use_stopped_on"),
            column("request_date"),
        )
        end = SQL(
            """CASE WHEN %(stopped)s IS NOT NULL THEN coalesce(%(resumed)s, %(now)s)
                    WHEN coalesce(%(done)s, false)
                         THEN coalesce(%(closed)s::timestamp, %(start)s)
                    ELSE %(now)s END""",
            stopped=column("use_stopped_on"),
            resumed=column("use_resumed_on"),
            now=clock["now"],
            done=done,
            closed=column("close_date"),
            start=start,
        )
        seconds = SQL(
            "sum(greatest(0, extract(epoch FROM least(%s, %s) - greatest(%s, %s))))",
            end,
            clock["now"],
            start,
            clock["since"],
        )
        [(total,)] = self.env.execute_query(query.select(seconds))
        return round(float(total or 0.0) / 3600.0, 1)

    # ------------------------------------------------------------ charts
    # A chart is one series: labels, values, colours, and the list behind
    # each bar (clicked in the client).
    def _dm_chart_very_critical(self, clock):
        """Failures (corrective requests) per month over the last 12 months."""
        domain = [
            *self._dm_requests_domain("very_critical"),
            ("maintenance_type", "=", "corrective"),
            ("request_date", ">=", fields.Date.to_string(clock["since_date"])),
        ]
        labels, values, actions = self._dm_month_bars(
            "maintenance.request",
            domain,
            "request_date",
            clock["today"].replace(day=1) - relativedelta(months=11),
            12,
            self.env._("Failures"),
            clock,
        )
        return {
            "type": "bar",
            "title": self.env._("Failures per month (12 months)"),
            "labels": labels,
            "values": values,
            "colors": [COLOURS[dashboard.DANGER]] * len(values),
            "actions": actions,
        }

    def _dm_chart_moderate(self, clock):
        """Overdue preventive requests by how late they are."""
        late = self._dm_late_preventive_domain("moderate", clock)
        now = clock["now"]
        buckets = [
            (self.env._("< 30 days"), now - timedelta(days=30), None),
            (
                self.env._("30 to 90 days"),
                now - timedelta(days=90),
                now - timedelta(days=30),
            ),
            (self.env._("> 90 days"), None, now - timedelta(days=90)),
        ]
        labels, values, actions = [], [], []
        for label, after, before in buckets:
            domain = list(late)
            if after:
                domain.append(("schedule_date", ">=", fields.Datetime.to_string(after)))
            if before:
                domain.append(("schedule_date", "<", fields.Datetime.to_string(before)))
            labels.append(label)
            values.append(self.env["maintenance.request"].search_count(domain))
            actions.append(
                self._dm_action(
                    self.env._("Overdue preventive maintenance"),
                    "maintenance.request",
                    domain,
                    clock,
                )
            )
        return {
            "type": "bar",
            "title": self.env._("Overdue preventive maintenance by delay"),
            "labels": labels,
            "values": values,
            "colors": [
                COLOURS[dashboard.WARNING],
                COLOURS[dashboard.DANGER],
                COLOURS[dashboard.DANGER],
            ],
            "actions": actions,
        }

    def _dm_chart_low(self, clock):
        """The maintenance programme of the last 12 months: done, not done."""
        planned = self._dm_programme_domain("low", clock)
        Request = self.env["maintenance.request"]
        done = [*planned, ("stage_id.done", "=", True)]
        open_ = [*planned, ("stage_id.done", "=", False)]
        return {
            "type": "doughnut",
            "title": self.env._("Preventive maintenance planned (12 months)"),
            "labels": [self.env._("Done"), self.env._("Not done")],
            "values": [Request.search_count(done), Request.search_count(open_)],
            "colors": [COLOURS[dashboard.SUCCESS], COLOURS[dashboard.WARNING]],
            "actions": [
                self._dm_action(
                    self.env._("Preventive maintenance done"),
                    "maintenance.request",
                    done,
                    clock,
                ),
                self._dm_action(
                    self.env._("Preventive maintenance not done"),
                    "maintenance.request",
                    open_,
                    clock,
                ),
            ],
        }

    def _dm_chart_ce(self, clock):
        """CE deadlines passed, then per month over the next 12 months."""
        today = clock["today"]
        base = self._dm_ce_domain()
        end = today.replace(day=1) + relativedelta(months=MONTHS_AHEAD)
        coming = [
            *base,
            ("ce_next_deadline", ">=", fields.Date.to_string(today)),
            ("ce_next_deadline", "<", fields.Date.to_string(end)),
        ]
        labels, values, actions = self._dm_month_bars(
            "maintenance.equipment",
            coming,
            "ce_next_deadline",
            today.replace(day=1),
            MONTHS_AHEAD,
            self.env._("CE deadlines"),
            clock,
        )
        passed = [*base, ("ce_next_deadline", "<", fields.Date.to_string(today))]
        return {
            "type": "bar",
            "title": self.env._("CE deadlines per month"),
            "labels": [self.env._("Passed"), *labels],
            "values": [self.env["maintenance.equipment"].search_count(passed), *values],
            "colors": [COLOURS[dashboard.DANGER]]
            + [COLOURS[dashboard.WARNING]] * len(values),
            "actions": [
                self._dm_action(
                    self.env._("CE deadlines passed"),
                    "maintenance.equipment",
                    passed,
                    clock,
                ),
                *actions,
            ],
        }

    def _dm_month_bars(self, model, domain, fname, first, months, name, clock):
        """One bar per month for ``months`` months from ``first`` (a month's
        first day): the records of ``domain`` whose date ``fname`` falls in
        it, counted in one grouped read; each bar opens exactly its records."""
        counts = dict(
            self.env[model]._read_group(domain, [f"{fname}:month"], ["__count"])
        )
        labels, values, actions = [], [], []
        for step in range(months):
            month = first + relativedelta(months=step)
            labels.append(format_date(self.env, month, date_format="MMM yy"))
            values.append(counts.get(month, 0))
            actions.append(
                self._dm_action(
                    name,
                    model,
                    [
                        *domain,
                        (fname, ">=", fields.Date.to_string(month)),
                        (
                            fname,
                            "<",
                            fields.Date.to_string(month + relativedelta(months=1)),
                        ),
                    ],
                    clock,
                )
            )
        return labels, values, actions
