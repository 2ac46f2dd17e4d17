from odoo import api, fields, models
from odoo.addons.medical_device.tools import reader_text as rt
from odoo.exceptions import ValidationError
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# The only channels through which a supplier may maintain a device remotely.
AUTHORISED_CHANNELS = [
    ("supplier_vpn", "Supplier VPN"),
    ("hospital_bastion", "Hospital bastion"),
]
RSSI = "medical_device.group_dm_rssi"


class DmRemoteAgreement(models.Model):
    """A standing agreement: the RSSI pre-authorises a supplier's remote
    maintenance sessions on some devices, through one channel, until an end date."""

    _name = "dm.remote.agreement"
    _description = "Remote maintenance agreement"
    _inherit = ["mail.thread", "dm.workflow.mixin"]
    _order = "date_end desc, id desc"
    _check_company_auto = True

    # The workflow (see dm.workflow.mixin): only the RSSI activates (renews) and
    # cancels; the daily job expires in sudo. The approval is stamped on
    # activation; a cancelled agreement is history, frozen.
    _dm_transitions = {
        ("draft", "active"): (RSSI,),
        ("expired", "active"): (RSSI,),
        ("active", "expired"): (RSSI,),
        ("draft", "cancelled"): (RSSI,),
        ("active", "cancelled"): (RSSI,),
        ("expired", "cancelled"): (RSSI,),
    }
    # The sessions it pre-authorised are linked by the sessions themselves.
    _dm_protected_fields = ("session_ids",)
    _dm_state_stamps = {"active": ("approved_by_id", "approved_on")}
    _dm_frozen_states = ("cancelled",)
    _dm_always_writable = ("notes",)
    _dm_deletable_states = ("draft",)

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
        return super().create(vals_list)

    def write(self, vals):
        if "date_end" in vals and not vals["date_end"]:
            raise ValidationError(self._missing_end_message())
        return super().write(vals)

    # ------------------------------------------------------------ workflow
    def _dm_state_missing(self, new_state):
        missing = super()._dm_state_missing(new_state)
        if new_state != "active":
            return missing
        if self.date_end < fields.Date.context_today(self):
            missing.append(
                self.env._(
                    "an end date to come (it ended on %(end)s): set a new end "
                    "date to renew it",
                    end=self.date_end,
                )
            )
        if not self.equipment_ids:
            missing.append(
                self.env._(
                    "the devices it pre-authorises (it covers no device): add them"
                )
            )
        return missing

    def _dm_protected_message(self, fnames):
        return self.env._(
            "An agreement is activated or cancelled with its Activate and Cancel "
            "actions, by the RSSI; its approval and its sessions are not edited "
            "(fields refused: %(fields)s).",
            fields=self._dm_field_labels(fnames),
        )

    def _dm_role_message(self, old_state, new_state):
        return self.env._(
            "Only the RSSI may activate or cancel a remote maintenance agreement."
        )

    # ------------------------------------------------------------ actions
    def action_activate(self):
        self._dm_set_state("active")
        return True

    def action_cancel(self):
        self._dm_set_state("cancelled")
        return True

    def action_view_sessions(self):
        self.ensure_one()
        # Only for a user who may read the record (see docs/security.md).
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dm_cyber.dm_remote_session_action"
        )
        action["domain"] = [("agreement_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------ helpers
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
        # sudo: the daily job expires every ended agreement, whoever runs it.
        ended.sudo()._dm_set_state("expired")
        for agreement in ended:
            agreement._dm_post_note(
                rt.msg(
                    _lt("Expired: the agreement ended on %(end)s."),
                    end=rt.date(agreement.date_end),
                )
            )
        return ended
