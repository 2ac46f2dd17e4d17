from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

LINE_STATES = [
    ("planned", "Planned"),
    ("done", "Done"),
    ("failed", "Failed"),
    ("not_applicable", "Not applicable"),
]
RESULT_STATES = ("done", "failed", "not_applicable")
# Results that need the reason written in the note.
REASON_STATES = ("failed", "not_applicable")


class DmCyberCampaignLine(models.Model):
    _name = "dm.cyber.campaign.line"
    _description = "Device of an update campaign"
    _order = "campaign_id desc, id"
    _check_company_auto = True

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
        states = dict(self._fields["state"]._description_selection(self.env))
        for line in self:
            if line.state in REASON_STATES and not (line.note or "").strip():
                raise ValidationError(
                    self.env._(
                        "%(device)s: write the reason in the note to record the "
                        "result %(result)s.",
                        device=line.equipment_id.display_name,
                        result=states[line.state],
                    )
                )

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                if vals.get("state", "planned") != "planned" or {
                    "done_on",
                    "done_by_id",
                } & set(vals):
                    raise UserError(
                        self.env._(
                            "A campaign line is created planned; its result is "
                            "recorded afterwards with its buttons."
                        )
                    )
        lines = super().create(vals_list)
        if not self.env.su:
            lines.campaign_id._check_open_for_lines()
        return lines

    def write(self, vals):
        if not self.env.su:
            vals = self._checked_write_vals(vals)
        newly_done = self.browse()
        if vals.get("state") == "done":
            newly_done = self.filtered(lambda x: x.state != "done")
        result = super().write(vals)
        newly_done._apply_to_devices()
        return result

    def _checked_write_vals(self, vals):
        """The workflow checks of a client's write; returns the values to write."""
        self.check_access("write")  # the role first, then the workflow
        if {"done_on", "done_by_id"} & set(vals):
            raise UserError(
                self.env._(
                    "Who recorded a result and when is set by the result buttons, "
                    "not written."
                )
            )
        self.campaign_id._check_open_for_lines()
        if "campaign_id" in vals and any(
            line.campaign_id.id != vals["campaign_id"] for line in self
        ):
            raise UserError(
                self.env._("A campaign line cannot move to another campaign.")
            )
        if "equipment_id" in vals:
            moved = self.filtered(lambda x: x.equipment_id.id != vals["equipment_id"])
            if any(line.state != "planned" for line in moved):
                raise UserError(
                    self.env._(
                        "The device of a line with a recorded result cannot be changed."
                    )
                )
        new_state = vals.get("state")
        if new_state:
            vals = self._result_vals(vals, new_state)
        return vals

    def _result_vals(self, vals, new_state):
        """Check a result may be recorded and stamp who and when."""
        if new_state == "planned":
            if any(line.state != "planned" for line in self):
                raise UserError(
                    self.env._(
                        "A recorded result is corrected by recording another "
                        "result, not by planning the device again."
                    )
                )
            return vals
        not_running = self.campaign_id.filtered(lambda c: c.state != "running")
        if not_running:
            raise UserError(
                self.env._(
                    "Results are recorded while the campaign runs; %(names)s is "
                    "not running.",
                    names=", ".join(not_running.mapped("name")),
                )
            )
        return {
            **vals,
            "done_on": fields.Datetime.now(),
            "done_by_id": self.env.user.id,
        }

    @api.ondelete(at_uninstall=False)
    def _unlink_except_result(self):
        recorded = self.filtered(lambda x: x.state != "planned")
        if recorded:
            raise UserError(
                self.env._(
                    "%(devices)s: a line with a recorded result is part of the "
                    "campaign's history and cannot be deleted.",
                    devices=", ".join(recorded.equipment_id.mapped("display_name")),
                )
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
            self.check_access("write")
            # Same gate as write(): nothing to explain if nothing can be recorded.
            self.campaign_id._check_open_for_lines()
            self._result_vals({}, state)
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
