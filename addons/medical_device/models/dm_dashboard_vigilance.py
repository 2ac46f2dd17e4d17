from odoo import fields, models

from ..tools import dashboard
from .dm_dashboard import COLOURS

# Who sees the matériovigilance panel: the pharmacist first, the engineer.
VIGILANCE_READERS = (
    "medical_device.group_dm_pharmacist",
    "medical_device.group_dm_engineer",
)


class DmDashboard(models.AbstractModel):
    """The pharmacist's panel of safety notices: the notices open, the
    progress of their actions, the actions overdue and the devices in
    quarantine, each figure opening its records."""

    _inherit = "dm.dashboard"

    def _dm_panels(self):
        return [
            *super()._dm_panels(),
            {
                "key": "vigilance",
                "title": self.env._("Materiovigilance"),
                "subtitle": self.env._("Safety notices and recalls"),
                "groups": VIGILANCE_READERS,
                "first_for": ("medical_device.group_dm_pharmacist",),
            },
        ]

    def _dm_open_notices_domain(self):
        return [("state", "!=", "closed")]

    def _dm_indicator_vig_open_notices(self, clock):
        domain = self._dm_open_notices_domain()
        count = self.env["dm.vigilance.notice"].search_count(domain)
        return {"value": count, "model": "dm.vigilance.notice", "domain": domain}

    def _dm_indicator_vig_progress(self, clock):
        domain = [("notice_id.state", "!=", "closed")]
        Action = self.env["dm.vigilance.action"]
        counts = dict(Action._read_group(domain, ["state"], ["__count"]))
        total = sum(counts.values())
        handled = counts.get("done", 0) + counts.get("not_applicable", 0)
        return {
            "value": dashboard.ratio_percent(handled, total),
            "model": "dm.vigilance.action",
            "domain": domain,
        }

    def _dm_indicator_vig_overdue(self, clock):
        domain = [
            ("state", "=", "todo"),
            ("notice_id.deadline", "<", fields.Date.to_string(clock["today"])),
        ]
        count = self.env["dm.vigilance.action"].search_count(domain)
        return {"value": count, "model": "dm.vigilance.action", "domain": domain}

    def _dm_indicator_vig_quarantined(self, clock):
        domain = [("is_medical_device", "=", True), ("dm_quarantined", "=", True)]
        count = self.env["maintenance.equipment"].search_count(domain)
        return {"value": count, "model": "maintenance.equipment", "domain": domain}

    def _dm_chart_vigilance(self, clock):
        """The actions of the open notices by step, each bar opening them."""
        Action = self.env["dm.vigilance.action"]
        base = [("notice_id.state", "!=", "closed")]
        counts = dict(Action._read_group(base, ["state"], ["__count"]))
        labels = dict(Action._fields["state"]._description_selection(self.env))
        colours = {
            "todo": COLOURS[dashboard.WARNING],
            "done": COLOURS[dashboard.SUCCESS],
            "not_applicable": COLOURS[dashboard.MUTED],
        }
        chart = {
            "type": "bar",
            "title": self.env._("Actions of the open notices"),
            "labels": [],
            "values": [],
            "colors": [],
            "actions": [],
        }
        for state, colour in colours.items():
            chart["labels"].append(labels[state])
            chart["values"].append(counts.get(state, 0))
            chart["colors"].append(colour)
            chart["actions"].append(
                self._dm_action(
                    labels[state],
                    "dm.vigilance.action",
                    [*base, ("state", "=", state)],
                    clock,
                )
            )
        return chart
