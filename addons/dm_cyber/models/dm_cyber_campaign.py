from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

CAMPAIGN_STATES = [
    ("draft", "Draft"),
    ("running", "Running"),
    ("done", "Closed"),
    ("cancelled", "Cancelled"),
]
# Who manages a campaign: the biomedical engineer and the RSSI.
MANAGERS = ("medical_device.group_dm_engineer", "medical_device.group_dm_rssi")


class DmCyberCampaign(models.Model):
    _name = "dm.cyber.campaign"
    _description = "Update campaign of connected devices"
    _inherit = ["mail.thread", "mail.activity.mixin", "dm.workflow.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    # The workflow (see dm.workflow.mixin): a manager starts, closes, cancels
    # and resets a campaign, by its buttons or by writing the status, each move
    # checked; what a running wave installs and on which devices is frozen, and
    # a closed or cancelled campaign takes no new device.
    _dm_state_writable = True
    _dm_transitions = {
        ("draft", "running"): MANAGERS,
        ("running", "done"): MANAGERS,
        ("draft", "cancelled"): MANAGERS,
        ("running", "cancelled"): MANAGERS,
        ("cancelled", "draft"): MANAGERS,
    }
    _dm_editable_states = {
        "kind": ("draft",),
        "target_os_version_id": ("draft",),
        "company_id": ("draft",),
        "target_equipment_ids": ("draft", "running"),
        "line_ids": ("draft", "running"),
    }
    # Started or with results: part of the devices' history (see
    # _dm_history_reasons).
    _dm_deletable_states = ("draft", "cancelled")

    # Translatable: a campaign the suite names (from an advisory) reads in
    # each reader's language, whoever created it.
    name = fields.Char(required=True, tracking=True, translate=True)
    kind = fields.Selection(
        [
            ("os", "Operating system"),
            ("antivirus", "Antivirus"),
            ("firmware", "Firmware"),
            ("other", "Other"),
        ],
        required=True,
        default="os",
        tracking=True,
        index=True,
    )
    description = fields.Html()
    target_os_version_id = fields.Many2one(
        "dm.os.version",
        string="Target OS version",
        tracking=True,
        help="The operating system version this wave installs: a device marked done "
        "gets it as its OS, with today as its last patch date.",
    )
    date_start = fields.Date(string="Start date", tracking=True)
    date_end = fields.Date(string="End date", tracking=True)
    responsible_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        tracking=True,
        domain=[("share", "=", False)],
        check_company=True,
    )
    state = fields.Selection(
        CAMPAIGN_STATES,
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    target_equipment_ids = fields.Many2many(
        "maintenance.equipment",
        "dm_cyber_campaign_equipment_rel",
        "campaign_id",
        "equipment_id",
        string="Target devices",
        check_company=True,
        help="Devices the wave targets; Generate lines adds one planned line per "
        "device not yet in the campaign.",
    )
    line_ids = fields.One2many(
        "dm.cyber.campaign.line", "campaign_id", string="Devices", copy=False
    )
    line_count = fields.Integer(
        string="Devices in the campaign", compute="_compute_line_stats", store=True
    )
    planned_count = fields.Integer(
        string="Planned", compute="_compute_line_stats", store=True
    )
    done_count = fields.Integer(
        string="Done", compute="_compute_line_stats", store=True
    )
    failed_count = fields.Integer(
        string="Failed", compute="_compute_line_stats", store=True
    )
    not_applicable_count = fields.Integer(
        string="Not applicable", compute="_compute_line_stats", store=True
    )
    progress = fields.Float(
        compute="_compute_line_stats",
        store=True,
        aggregator="avg",
        help="Share of the devices done or not applicable, in percent.",
    )

    # ------------------------------------------------------------ computes
    @api.depends("line_ids.state")
    def _compute_line_stats(self):
        for campaign in self:
            states = campaign.line_ids.mapped("state")
            total = len(states)
            campaign.line_count = total
            campaign.planned_count = states.count("planned")
            campaign.done_count = states.count("done")
            campaign.failed_count = states.count("failed")
            campaign.not_applicable_count = states.count("not_applicable")
            finished = campaign.done_count + campaign.not_applicable_count
            campaign.progress = 100.0 * finished / total if total else 0.0

    # ------------------------------------------------------------ constraints
    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for campaign in self:
            if (
                campaign.date_start
                and campaign.date_end
                and campaign.date_end < campaign.date_start
            ):
                raise ValidationError(
                    self.env._(
                        "Campaign %(name)s ends (%(end)s) before it starts "
                        "(%(start)s).",
                        name=campaign.name,
                        end=campaign.date_end,
                        start=campaign.date_start,
                    )
                )

    @api.constrains("kind", "target_os_version_id")
    def _check_target_os(self):
        for campaign in self:
            if campaign.target_os_version_id and campaign.kind != "os":
                raise ValidationError(
                    self.env._(
                        "Campaign %(name)s: only an operating system campaign has a "
                        "target OS version.",
                        name=campaign.name,
                    )
                )

    # ------------------------------------------------------------ workflow
    def _dm_state_missing(self, new_state):
        missing = super()._dm_state_missing(new_state)
        if new_state == "running" and not self.line_ids:
            missing.append(
                self.env._(
                    "its devices (it has no device: add target devices and generate "
                    "the lines before starting it)"
                )
            )
        planned = self.line_ids.filtered(lambda x: x.state == "planned")
        if new_state == "done" and planned:
            missing.append(
                self.env._(
                    "the result of %(count)s device(s) still planned (%(devices)s): "
                    "record their result, or set them not applicable with the "
                    "reason, first",
                    count=len(planned),
                    devices=", ".join(planned.equipment_id.mapped("name")),
                )
            )
        return missing

    def _dm_history_reasons(self):
        reasons = super()._dm_history_reasons()
        if any(line.state != "planned" for line in self.line_ids):
            reasons.append(self.env._("recorded results"))
        return reasons

    def _dm_history_message(self, reasons):
        return self.env._(
            "Campaign %(name)s has started or recorded results: it is part of the "
            "devices' history. Cancel it instead of deleting it.",
            name=self.name,
        )

    def _dm_create_state_message(self, state):
        return self.env._(
            "A campaign is created as a draft, then started and closed with its "
            "buttons."
        )

    def _dm_transition_message(self, old_state, new_state):
        return self.env._(
            "Campaign %(name)s cannot go from %(old)s to %(new)s.",
            name=self.name,
            old=self._dm_state_label(old_state),
            new=self._dm_state_label(new_state),
        )

    def _check_open_for_lines(self):
        closed = self.filtered(lambda c: c.state in ("done", "cancelled"))
        if closed:
            raise UserError(
                self.env._(
                    "Campaign %(names)s is closed or cancelled: its devices and "
                    "results can no longer change.",
                    names=", ".join(closed.mapped("name")),
                )
            )

    # ------------------------------------------------------------ actions
    def action_start(self):
        for campaign in self:
            campaign.write(
                {
                    "state": "running",
                    "date_start": campaign.date_start
                    or fields.Date.context_today(self),
                }
            )
        return True

    def action_close(self):
        for campaign in self:
            campaign.write(
                {
                    "state": "done",
                    "date_end": campaign.date_end or fields.Date.context_today(self),
                }
            )
        return True

    def action_cancel(self):
        self.write({"state": "cancelled"})
        return True

    def action_reset_draft(self):
        self.write({"state": "draft"})
        return True

    def action_generate_lines(self):
        """One planned line per target device not yet in the campaign."""
        self.check_access("write")
        Line = self.env["dm.cyber.campaign.line"]
        vals_list = []
        self._check_open_for_lines()
        for campaign in self:
            if not campaign.target_equipment_ids:
                raise UserError(
                    self.env._(
                        "Campaign %(name)s has no target device: choose them first.",
                        name=campaign.name,
                    )
                )
            present = campaign.line_ids.equipment_id
            vals_list += [
                {"campaign_id": campaign.id, "equipment_id": device.id}
                for device in campaign.target_equipment_ids - present
            ]
        Line.create(vals_list)
        return True

    def action_view_lines(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Devices of %(name)s", name=self.name),
            "res_model": "dm.cyber.campaign.line",
            "view_mode": "list,form",
            "domain": [("campaign_id", "=", self.id)],
            "context": {"default_campaign_id": self.id},
        }
