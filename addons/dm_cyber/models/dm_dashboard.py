from odoo import models
from odoo.addons.medical_device.models.dm_dashboard import COLOURS
from odoo.addons.medical_device.tools import dashboard

from ..controllers.main import BASE_DOMAIN, IT_QUERIES
from .maintenance_equipment import CYBER_LEVELS

# Who sees the cyber panel: the RSSI, IT (hand-over) and the engineer.
CYBER_READERS = (
    "medical_device.group_dm_rssi",
    "dm_cyber.group_dm_it_handover",
    "medical_device.group_dm_engineer",
)
LEVEL_COLOURS = {
    "low": COLOURS[dashboard.SUCCESS],
    "medium": COLOURS[dashboard.WARNING],
    "high": "#fd7e14",
    "critical": COLOURS[dashboard.DANGER],
    "not_assessed": COLOURS[dashboard.MUTED],
}


class DmDashboard(models.AbstractModel):
    """The RSSI's panel: the connected devices by cyber risk level, and those
    with an obsolete OS, no MDS2 or an uncontrolled remote maintenance (the
    domains of the shared queries with IT)."""

    _inherit = "dm.dashboard"

    def _dm_panels(self):
        return [
            *super()._dm_panels(),
            {
                "key": "cyber",
                "title": self.env._("Cybersecurity"),
                "subtitle": self.env._("Connected devices not disposed"),
                "groups": CYBER_READERS,
                "first_for": (
                    "medical_device.group_dm_rssi",
                    "dm_cyber.group_dm_it_handover",
                ),
                "devices": self._dm_cyber_domain(),
            },
        ]

    def _dm_cyber_domain(self, *conditions):
        return [
            *BASE_DOMAIN,
            ("lifecycle_state", "!=", "disposed"),
            *conditions,
        ]

    def _dm_cyber_count(self, domain):
        count = self.env["maintenance.equipment"].search_count(domain)
        return {"value": count, "model": "maintenance.equipment", "domain": domain}

    def _dm_indicator_cyber_high_risk(self, clock):
        return self._dm_cyber_count(
            self._dm_cyber_domain(("cyber_risk_level", "in", ["high", "critical"]))
        )

    def _dm_indicator_cyber_os_obsolete(self, clock):
        return self._dm_cyber_count(self._dm_cyber_domain(*IT_QUERIES["obsolete_os"]))

    def _dm_indicator_cyber_no_mds2(self, clock):
        return self._dm_cyber_count(self._dm_cyber_domain(*IT_QUERIES["no_mds2"]))

    def _dm_indicator_cyber_remote_uncontrolled(self, clock):
        return self._dm_cyber_count(
            self._dm_cyber_domain(*IT_QUERIES["remote_uncontrolled"])
        )

    # Continuity when a cyberattack hits (issue 16): the very critical
    # connected devices in service without a plan, or with a plan not
    # exercised within the period of the settings.
    def _dm_indicator_cyber_continuity_missing(self, clock):
        return self._dm_cyber_count(
            self._dm_cyber_domain(("cyber_continuity_missing", "=", True))
        )

    def _dm_indicator_cyber_continuity_stale(self, clock):
        return self._dm_cyber_count(
            self._dm_cyber_domain(("cyber_continuity_stale", "=", True))
        )

    def _dm_chart_cyber(self, clock):
        """The connected devices by cyber risk level, every level shown."""
        base = self._dm_cyber_domain()
        groups = self.env["maintenance.equipment"]._read_group(
            base, ["cyber_risk_level"], ["__count"]
        )
        counts = dict(groups)
        field = self.env["maintenance.equipment"]._fields["cyber_risk_level"]
        labels = dict(field._description_selection(self.env))
        chart = {
            "type": "bar",
            "title": self.env._("Connected devices by cyber risk"),
            "labels": [],
            "values": [],
            "colors": [],
            "actions": [],
        }
        for level, _label in CYBER_LEVELS:
            chart["labels"].append(labels[level])
            chart["values"].append(counts.get(level, 0))
            chart["colors"].append(LEVEL_COLOURS[level])
            chart["actions"].append(
                self._dm_action(
                    self.env._("Cyber risk: %(level)s", level=labels[level]),
                    "maintenance.equipment",
                    [*base, ("cyber_risk_level", "=", level)],
                    clock,
                )
            )
        return chart
