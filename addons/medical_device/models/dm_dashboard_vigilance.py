from odoo import fields, models

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
            "value": 100.0 * handled / total if total else None,
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
