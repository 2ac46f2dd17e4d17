from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

# The only channels through which a supplier may maintain a device remotely.
AUTHORISED_CHANNELS = [
    ("supplier_vpn", "Supplier VPN"),
    ("hospital_bastion", "Hospital bastion"),
]
# Written only by the agreement's actions, in sudo after their checks.
AGREEMENT_DECISION_FIELDS = {"state", "approved_by_id", "approved_on"}


class DmRemoteAgreement(models.Model):
    """A standing agreement: the RSSI pre-authorises a supplier's remote
    maintenance sessions on some devices, through one channel, until an end date."""

    _name = "dm.remote.agreement"
    _description = "Remote maintenance agreement"
    _inherit = ["mail.thread"]
    _order = "date_end desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Agreement", required=True, tracking=True)
    supplier_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    equipment_ids = fields.Many2many(
        "maintenance.equipment",
        "dm_remote_agreement_equipment_rel",
        "agreement_id",
        "equipment_id",
        string="Devices covered",
        check_company=True,
    )
    channel = fields.Selection(
        AUTHORISED_CHANNELS,
        required=True,
        tracking=True,
        help="The authorised channel the supplier's sessions go through.",
    )
    date_start = fields.Date(
        string="Valid from",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    date_end = fields.Date(
        string="Valid until",
        required=True,
        tracking=True,
        help="A standing agreement always ends: it is renewed explicitly.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("active", "Active"),
            ("expired", "Expired"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    approved_by_id = fields.Many2one(
        "res.users", string="Approved by", readonly=True, copy=False, tracking=True
    )
    approved_on = fields.Datetime(readonly=True, copy=False)
    notes = fields.Html()
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    session_ids = fields.One2many(
        "dm.remote.session", "agreement_id", string="Sessions", readonly=True
    )
    session_count = fields.Integer(compute="_compute_session_count")

    # ------------------------------------------------------------ computes
    @api.depends("session_ids")
    def _compute_session_count(self):
        for agreement in self:
            agreement.session_count = len(agreement.session_ids)

    # ------------------------------------------------------------ constraints
    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for agreement in self:
            if not agreement.date_end:
                raise ValidationError(agreement._missing_end_message())
            if agreement.date_start and agreement.date_end < agreement.date_start:
                raise ValidationError(
                    self.env._(
                        "Agreement %(agreement)s ends on %(end)s, before it starts "
                        "(%(start)s): the end date must be on or after the start "
                        "date.",
                        agreement=agreement.display_name,
                        end=agreement.date_end,
                        start=agreement.date_start,
                    )
                )

    def _missing_end_message(self):
        return self.env._(
            "A standing remote maintenance agreement always has an end date."
        )

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not (vals.get("date_end") or self.env.context.get("default_date_end")):
                raise ValidationError(self._missing_end_message())
            if self.env.su:
                continue
            if set(vals) & AGREEMENT_DECISION_FIELDS:
                raise UserError(self._decision_fields_message())
            # Context defaults cannot smuggle a decision in either: a new
            # agreement is a draft until an RSSI activates it.
            vals.update(state="draft", approved_by_id=False, approved_on=False)
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) & AGREEMENT_DECISION_FIELDS and not self.env.su:
            raise UserError(self._decision_fields_message())
        if "date_end" in vals and not vals["date_end"]:
            raise ValidationError(self._missing_end_message())
        return super().write(vals)

    def _decision_fields_message(self):
        return self.env._(
            "An agreement is activated or cancelled with its Activate and Cancel "
            "actions, by the RSSI."
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        used = self.filtered(lambda a: a.state != "draft")
        if used:
            raise UserError(
                self.env._(
                    "%(agreements)s was activated: it is part of the remote "
                    "maintenance history; cancel it instead of deleting it.",
                    agreements=", ".join(used.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------ actions
    def _check_rssi(self):
        if not self.env.user.has_group("medical_device.group_dm_rssi"):
            raise AccessError(
                self.env._(
                    "Only the RSSI may activate or cancel a remote maintenance "
                    "agreement."
                )
            )

    def action_activate(self):
        self._check_rssi()
        today = fields.Date.context_today(self)
        for agreement in self:
            if agreement.state not in ("draft", "expired"):
                raise UserError(
                    self.env._(
                        "Only a draft or expired agreement can be activated "
                        "(%(agreement)s is %(state)s).",
                        agreement=agreement.display_name,
                        state=agreement._state_label(),
                    )
                )
            if agreement.date_end < today:
                raise UserError(
                    self.env._(
                        "Agreement %(agreement)s ended on %(end)s: set a new end "
                        "date to renew it.",
                        agreement=agreement.display_name,
                        end=agreement.date_end,
                    )
                )
            if not agreement.equipment_ids:
                raise UserError(
                    self.env._(
                        "Agreement %(agreement)s covers no device: add the devices "
                        "it pre-authorises.",
                        agreement=agreement.display_name,
                    )
                )
            # sudo: decision fields are closed to clients; the RSSI check ran.
            agreement.sudo().write(
                {
                    "state": "active",
                    "approved_by_id": self.env.uid,
                    "approved_on": fields.Datetime.now(),
                }
            )
        return True

    def action_cancel(self):
        self._check_rssi()
        for agreement in self:
            if agreement.state == "cancelled":
                continue
            # sudo: decision fields are closed to clients; the RSSI check ran.
            agreement.sudo().write({"state": "cancelled"})
        return True

    def action_view_sessions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dm_cyber.dm_remote_session_action"
        )
        action["domain"] = [("agreement_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------ helpers
    def _state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _is_valid_on(self, day):
        """Active and within its dates on ``day``."""
        self.ensure_one()
        return self.state == "active" and self.date_start <= day <= self.date_end

    @api.model
    def _find_covering(self, device, supplier, channel, day):
        """The active agreement pre-authorising this supplier on this device,
        through this channel, on ``day`` (empty if none)."""
        if not (device and supplier and channel):
            return self.browse()
        # sudo: the gate looks at every agreement of the device's company,
        # whoever requests the session.
        return (
            self.sudo()
            .search(
                [
                    ("state", "=", "active"),
                    ("equipment_ids", "in", device.ids),
                    (
                        "supplier_id.commercial_partner_id",
                        "=",
                        supplier.commercial_partner_id.id,
                    ),
                    ("channel", "=", channel),
                    ("date_start", "<=", day),
                    ("date_end", ">=", day),
                    ("company_id", "in", [device.company_id.id, False]),
                ],
                order="date_end desc, id desc",
                limit=1,
            )
            .sudo(False)
        )

    # ------------------------------------------------------------ daily job
    @api.model
    def _cron_expire_agreements(self):
        """Active agreements past their end date become expired."""
        today = fields.Date.context_today(self)
        ended = self.search([("state", "=", "active"), ("date_end", "<", today)])
        # sudo: the state is closed to direct writes, the cron included.
        ended.sudo().write({"state": "expired"})
        for agreement in ended:
            agreement.message_post(
                body=self.env._(
                    "Expired: the agreement ended on %(end)s.", end=agreement.date_end
                ),
                subtype_xmlid="mail.mt_note",
            )
        return ended
