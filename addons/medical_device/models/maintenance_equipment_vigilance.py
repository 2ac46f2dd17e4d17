from odoo import api, fields, models

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
        compute="_compute_dm_vigilance_action_count",
        groups="medical_device.group_dm_auditor",
    )
    # The kanban's badge, stored so that the lifecycle kanban reads it with
    # the page (no query per load); the gate reads the actions themselves.
    dm_quarantined = fields.Boolean(
        string="Quarantined",
        compute="_compute_dm_quarantined",
        store=True,
        help="An action of a quarantine safety notice is still to do on the "
        "device: it cannot be put (back) in service until it is done.",
    )

    def _compute_dm_vigilance_action_count(self):
        # sudo: the button counts every action of the device, whoever reads.
        counts = dict(
            self.env["dm.vigilance.action"]
            .sudo()
            ._read_group(
                [("equipment_id", "in", self.ids)], ["equipment_id"], ["__count"]
            )
        )
        for device in self:
            device.dm_vigilance_action_count = counts.get(device._origin, 0)

    @api.depends(
        "dm_vigilance_action_ids.state", "dm_vigilance_action_ids.required_action"
    )
    def _compute_dm_quarantined(self):
        quarantined = set()
        if self.ids:
            # sudo: which devices are quarantined does not depend on the reader.
            quarantined = {
                device.id
                for [device] in self.env["dm.vigilance.action"]
                .sudo()
                ._read_group(
                    [("equipment_id", "in", self.ids), *QUARANTINE_DOMAIN],
                    ["equipment_id"],
                )
            }
        for device in self:
            device.dm_quarantined = device._origin.id in quarantined

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
