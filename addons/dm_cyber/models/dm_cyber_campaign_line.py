from odoo import api, fields, models
from odoo.exceptions import ValidationError

LINE_STATES = [
    ("planned", "Planned"),
    ("done", "Done"),
    ("failed", "Failed"),
    ("not_applicable", "Not applicable"),
]
RESULT_STATES = ("done", "failed", "not_applicable")
# Results that need the reason written in the note.
REASON_STATES = ("failed", "not_applicable")
# Who records results: the technician (so the engineer) and the RSSI.
RECORDERS = ("medical_device.group_dm_technician", "medical_device.group_dm_rssi")


class DmCyberCampaignLine(models.Model):
    _name = "dm.cyber.campaign.line"
    _description = "Device of an update campaign"
    _inherit = ["dm.workflow.mixin"]
    _order = "campaign_id desc, id"
    _check_company_auto = True

    # The workflow (see dm.workflow.mixin): a result is recorded, by its buttons
    # or by writing it, while the campaign runs (_dm_state_missing), and
    # corrected by another result, never by planning the device again. Who and
    # when are stamped; the device changes only while planned; nothing changes
    # once the campaign is closed or cancelled (_dm_check_open_for_change).
    _dm_state_writable = True
    _dm_transitions = {
        (old, new): RECORDERS
        for old in ("planned", *RESULT_STATES)
        for new in RESULT_STATES
        if old != new
    }
    _dm_create_only_fields = ("campaign_id",)
    _dm_state_stamps = dict.fromkeys(RESULT_STATES, ("done_by_id", "done_on"))
    _dm_editable_states = {"equipment_id": ("planned",)}
    _dm_deletable_states = ("planned",)

    campaign_id = fields.Many2one(
        "dm.cyber.campaign",
        required=True,
        ondelete="cascade",
        index=True,
    )
    equipment_id = fields.Many2one(
        "maintenance.equipment",
        string="Device",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="campaign_id.company_id", store=True, index=True, precompute=True
    )
    kind = fields.Selection(related="campaign_id.kind")
    campaign_state = fields.Selection(
        related="campaign_id.state", string="Campaign status"
    )
    serial_no = fields.Char(related="equipment_id.serial_no")
    os_version_id = fields.Many2one(
        related="equipment_id.os_version_id", string="Current OS"
    )
    state = fields.Selection(
        LINE_STATES,
        string="Result",
        default="planned",
        required=True,
        readonly=True,
        copy=False,
        index=True,
    )
    done_on = fields.Datetime(string="Recorded on", readonly=True, copy=False)
    done_by_id = fields.Many2one(
        "res.users", string="Recorded by", readonly=True, copy=False
    )
    note = fields.Text(
        help="Required when the update failed or does not apply: the reason."
    )

    _campaign_equipment_unique = models.Constraint(
        "UNIQUE (campaign_id, equipment_id)",
        "A device appears only once in a campaign.",
    )

    # ------------------------------------------------------------ computes
    @api.depends("campaign_id.name", "equipment_id.display_name")
    def _compute_display_name(self):
        for line in self:
            line.display_name = " – ".join(
                name
                for name in (line.campaign_id.name, line.equipment_id.display_name)
                if name
            )

    # ------------------------------------------------------------ constraints
    @api.constrains("state", "note")
    def _check_reason(self):
        for line in self:
            if line.state in REASON_STATES and not (line.note or "").strip():
                raise ValidationError(
                    self.env._(
                        "%(device)s: write the reason in the note to record the "
                        "result %(result)s.",
                        device=line.equipment_id.display_name,
                        result=line._dm_state_label(),
                    )
                )

    # ------------------------------------------------------------ workflow
    def _dm_check_open_for_change(self):
        self.campaign_id._check_open_for_lines()

    def _dm_state_missing(self, new_state):
        missing = super()._dm_state_missing(new_state)
        campaign = self.campaign_id
        if new_state in RESULT_STATES and campaign.state != "running":
            missing.append(
                self.env._(
                    "a running campaign (results are recorded while the campaign "
                    "runs; %(name)s is not running)",
                    name=campaign.name,
                )
            )
        return missing

    def _dm_after_state_change(self, new_state, vals=None):
        result = super()._dm_after_state_change(new_state, vals)
        if new_state == "done":
            self._apply_to_devices()
        return result

    def _dm_create_state_message(self, state):
        return self.env._(
            "A campaign line is created planned; its result is recorded "
            "afterwards with its buttons."
        )

    def _dm_protected_message(self, fnames):
        return self.env._(
            "Who recorded a result and when is set by the result buttons, and what "
            "a line shows of its campaign and its device comes from them: not "
            "written (fields refused: %(fields)s).",
            fields=self._dm_field_labels(fnames),
        )

    def _dm_transition_message(self, old_state, new_state):
        if new_state != "planned":
            return super()._dm_transition_message(old_state, new_state)
        return self.env._(
            "A recorded result is corrected by recording another result, not by "
            "planning the device again."
        )

    def _dm_frozen_message(self, fnames):
        if "equipment_id" not in fnames:
            return super()._dm_frozen_message(fnames)
        return self.env._(
            "The device of a line with a recorded result cannot be changed."
        )

    def _dm_history_message(self, reasons):
        return self.env._(
            "%(devices)s: a line with a recorded result is part of the "
            "campaign's history and cannot be deleted.",
            devices=self.equipment_id.display_name,
        )

    # ------------------------------------------------------------ actions
    def action_mark_done(self):
        self.write({"state": "done"})
        return True

    def action_mark_failed(self):
        return self._record_result_with_reason("failed")

    def action_mark_not_applicable(self):
        return self._record_result_with_reason("not_applicable")

    def _record_result_with_reason(self, state):
        """Record a result that needs a reason: from a button on a line without
        one, open the line in a dialog to write it first."""
        missing = self.filtered(lambda x: not (x.note or "").strip())
        if len(self) == 1 and missing:
            # Same gates as write(): nothing to explain if nothing can be recorded.
            self._dm_check_open_for_change()
            self._dm_check_transition(state)
            self._dm_check_state_entry(state)
            return self._reason_dialog(state)
        self.write({"state": state})
        return True

    def _reason_dialog(self, state):
        self.ensure_one()
        titles = {
            "failed": self.env._("Why did the update fail?"),
            "not_applicable": self.env._("Why does the update not apply?"),
        }
        return {
            "type": "ir.actions.act_window",
            "name": titles[state],
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [
                (
                    self.env.ref("dm_cyber.dm_cyber_campaign_line_view_form_reason").id,
                    "form",
                )
            ],
            "target": "new",
            "context": {**self.env.context, "dm_result": state},
        }

    # ------------------------------------------------------------ business
    def _apply_to_devices(self):
        """An operating system wave done on a device is the device's new OS and
        last patch: written on the device, so tracked in its chatter."""
        today = fields.Date.context_today(self)
        for line in self:
            campaign = line.campaign_id
            if campaign.kind != "os":
                continue
            device_vals = {"last_patch_date": today}
            if campaign.target_os_version_id:
                device_vals["os_version_id"] = campaign.target_os_version_id.id
            line.equipment_id.write(device_vals)
