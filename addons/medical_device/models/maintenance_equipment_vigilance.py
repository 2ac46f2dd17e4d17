from odoo import fields, models
from odoo.tools import SQL

from ..tools import checklist

# An open action of a quarantine notice keeps its device out of service.
QUARANTINE_DOMAIN = [("state", "=", "todo"), ("required_action", "=", "quarantine")]


class MaintenanceEquipment(models.Model):
    """The safety notices of a device: its actions, and the quarantine gate
    of its lifecycle (read from the action records, never from a flag)."""

    _inherit = "maintenance.equipment"  # pylint: disable=consider-merging-classes-inherited

    dm_vigilance_action_ids = fields.One2many(
        "dm.vigilance.action",
        "equipment_id",
        string="Safety notice actions",
        groups="medical_device.group_dm_auditor",
    )
    dm_vigilance_action_count = fields.Integer(
        string="Safety notices",
        compute="_compute_dm_vigilance",
        groups="medical_device.group_dm_auditor",
    )
    dm_quarantined = fields.Boolean(
        string="Quarantined",
        compute="_compute_dm_vigilance",
        search="_search_dm_quarantined",
        help="An action of a quarantine safety notice is still to do on the "
        "device: it cannot be put (back) in service until it is done.",
    )

    def _compute_dm_vigilance(self):
        # sudo: the gate and the badge count every action, whoever reads.
        Action = self.env["dm.vigilance.action"].sudo()
        counts = dict(
            Action._read_group(
                [("equipment_id", "in", self.ids)], ["equipment_id"], ["__count"]
            )
        )
        quarantined = dict(
            Action._read_group(
                [("equipment_id", "in", self.ids), *QUARANTINE_DOMAIN],
                ["equipment_id"],
                ["__count"],
            )
        )
        for device in self:
            origin = device._origin
            device.dm_vigilance_action_count = counts.get(origin, 0)
            device.dm_quarantined = bool(quarantined.get(origin))

    def _search_dm_quarantined(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        positive = (operator == "=") == value
        # sudo: which devices are quarantined does not depend on the reader.
        ids = (
            self.env["dm.vigilance.action"]
            .sudo()
            ._search(QUARANTINE_DOMAIN)
            .subselect(SQL.identifier("dm_vigilance_action", "equipment_id"))
        )
        return [("id", "in" if positive else "not in", ids)]

    def _lifecycle_checklist(self, state):
        items = super()._lifecycle_checklist(state)
        if state != "in_service" or not self.is_medical_device:
            return items
        # sudo: the gate reads every action, whoever moves the device.
        open_actions = (
            self.env["dm.vigilance.action"]
            .sudo()
            .search([("equipment_id", "=", self.id), *QUARANTINE_DOMAIN])
        )
        notices = ", ".join(open_actions.notice_id.mapped("name"))
        items.append(
            checklist.item(
                self.env._(
                    "the quarantine actions of the safety notices done (%(notices)s)",
                    notices=notices,
                )
                if open_actions
                else self.env._("no quarantine of a safety notice pending"),
                not open_actions,
                "dm_vigilance_action_ids",
            )
        )
        return items

    def action_view_vigilance_actions(self):
        self.ensure_one()
        # Only for a user who may read the record (see docs/security.md).
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "medical_device.dm_vigilance_action_action"
        )
        action["domain"] = [("equipment_id", "=", self.id)]
        action["context"] = {}
        return action
