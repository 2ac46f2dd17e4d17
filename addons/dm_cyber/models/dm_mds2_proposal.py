from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.mds2 import match_os_version

RSSI = ("medical_device.group_dm_rssi",)
PROPOSAL_STATES = [
    ("proposed", "Proposed"),
    ("accepted", "Accepted"),
    ("refused", "Refused"),
]
# The fields of the cyber matrix an MDS2 answer may fill (tools/mds2.py).
MAPPABLE_FIELDS = [
    ("os_version_id", "Operating system"),
    ("antivirus", "Antivirus"),
    ("patient_data", "Patient data"),
    ("is_connected", "Connected"),
    ("internet_access", "Internet access"),
    ("vendor_firewall", "Protected by a supplier firewall"),
    ("usb_locked", "USB ports locked"),
    ("remote_maintenance_channel", "Remote maintenance channel"),
    ("patch_installer", "Security updates installed by"),
    ("patch_remote", "Updates installed remotely"),
    ("third_party_patches_allowed", "Third-party security updates allowed"),
    ("vendor_notifies_updates", "Manufacturer notifies approved updates"),
]
# What the reading writes; no client sets or changes any of it.
READ_FIELDS = (
    "equipment_id",
    "field_name",
    "proposed_value",
    "proposed_os_version_id",
    "current_value",
    "question_id",
    "question",
    "answer",
    "note",
    "mds2_filename",
    "mds2_date",
    "mds2_checksum",
    "read_on",
)


class DmMds2Proposal(models.Model):
    _name = "dm.mds2.proposal"
    _description = "MDS2 answer proposed for the cyber matrix"
    _inherit = ["mail.thread", "dm.workflow.mixin"]
    _order = "equipment_id, state, id"
    _check_company_auto = True

    # The workflow (see dm.workflow.mixin): only the reading of the device's
    # MDS2 creates proposals (in sudo, _dm_create_states), nothing of what it
    # read is a client's to change, and only the RSSI decides, by the buttons
    # (the state is closed to write), who and when stamped. A decided proposal
    # is history: frozen, never deleted; a re-reading replaces the proposed.
    _dm_transitions = {
        ("proposed", "accepted"): RSSI,
        ("proposed", "refused"): RSSI,
    }
    _dm_create_states = ()
    _dm_protected_fields = READ_FIELDS
    _dm_state_stamps = {
        "accepted": ("decided_by_id", "decided_on"),
        "refused": ("decided_by_id", "decided_on"),
    }
    _dm_frozen_states = ("accepted", "refused")
    _dm_field_groups = {"refusal_reason": {None: RSSI}}
    _dm_deletable_states = ("proposed",)

    equipment_id = fields.Many2one(
        "maintenance.equipment",
        string="Device",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="equipment_id.company_id", store=True, index=True, precompute=True
    )
    field_name = fields.Selection(
        MAPPABLE_FIELDS,
        string="Matrix field",
        required=True,
        readonly=True,
        help="The answer of the cyber matrix the MDS2 answer fills.",
    )
    proposed_value = fields.Char(
        string="Value read",
        readonly=True,
        help="The value as read from the form: the operating system as the "
        "manufacturer wrote it, or the answer's code.",
    )
    proposed_os_version_id = fields.Many2one(
        "dm.os.version",
        string="Proposed OS version",
        readonly=True,
        help="The known operating system version the form's text names.",
    )
    proposed_display = fields.Char(string="Proposed value", compute="_compute_displays")
    os_version_missing = fields.Boolean(
        string="No matching OS version",
        compute="_compute_displays",
        help="The operating system the form names is not among the known OS "
        "versions: create it first (Cyber › Operating systems), then accept.",
    )
    current_value = fields.Char(
        string="Value at reading (code)",
        readonly=True,
        help="The device's answer when the form was read.",
    )
    current_display = fields.Char(
        string="Value at reading", compute="_compute_displays"
    )
    question_id = fields.Char(string="MDS2 question", readonly=True)
    question = fields.Text(readonly=True)
    answer = fields.Char(string="Manufacturer's answer", readonly=True)
    note = fields.Text(string="Manufacturer's note", readonly=True)
    mds2_filename = fields.Char(string="MDS2 file", readonly=True)
    mds2_date = fields.Date(string="MDS2 received on", readonly=True)
    mds2_checksum = fields.Char(string="MDS2 file checksum", readonly=True)
    read_on = fields.Datetime(string="Read on", readonly=True)
    state = fields.Selection(
        PROPOSAL_STATES,
        string="Status",
        default="proposed",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    decided_by_id = fields.Many2one(
        "res.users", string="Decided by", readonly=True, copy=False
    )
    decided_on = fields.Datetime(string="Decided on", readonly=True, copy=False)
    refusal_reason = fields.Text(
        string="Refusal reason",
        tracking=True,
        help="Why the RSSI does not take the manufacturer's answer.",
    )

    # ------------------------------------------------------------ computes
    @api.depends("equipment_id.display_name", "field_name")
    def _compute_display_name(self):
        labels = dict(self._fields["field_name"]._description_selection(self.env))
        for proposal in self:
            proposal.display_name = " – ".join(
                part
                for part in (
                    proposal.equipment_id.display_name,
                    labels.get(proposal.field_name),
                )
                if part
            )

    @api.depends(
        "field_name",
        "proposed_value",
        "proposed_os_version_id",
        "current_value",
    )
    @api.depends_context("lang")
    def _compute_displays(self):
        for proposal in self:
            is_os = proposal.field_name == "os_version_id"
            proposal.proposed_display = (
                proposal.proposed_os_version_id.display_name
                if is_os and proposal.proposed_os_version_id
                else proposal._value_label(proposal.proposed_value)
            )
            proposal.current_display = proposal._value_label(proposal.current_value)
            proposal.os_version_missing = is_os and not proposal.proposed_os_version_id

    def _value_label(self, code):
        """The label of a stored value code in the reader's language."""
        self.ensure_one()
        if not self.field_name or code in (False, None, ""):
            return False
        field = self.env["maintenance.equipment"]._fields[self.field_name]
        if field.type == "boolean":
            return self.env._("Yes") if code == "true" else self.env._("No")
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(code, code)
        return code

    # ------------------------------------------------------------ workflow
    def _dm_create_state_message(self, state):
        return self.env._(
            "MDS2 proposals are made by reading the device's MDS2 form "
            "(button Read the MDS2 form), not created by hand."
        )

    def _dm_no_create_message(self):
        return self._dm_create_state_message(None)

    def _dm_protected_message(self, fnames):
        return self.env._(
            "What an MDS2 proposal holds comes from the form and its decision "
            "from the RSSI's buttons: not written (fields refused: %(fields)s).",
            fields=self._dm_field_labels(fnames),
        )

    def _dm_history_message(self, reasons):
        return self.env._(
            "%(proposals)s: a decided MDS2 proposal is part of the device's "
            "history and cannot be deleted.",
            proposals=", ".join(self.mapped("display_name")),
        )

    # ------------------------------------------------------------ values
    @api.model
    def _value_code(self, field_name, value):
        """The stored code of a value of the matrix (a boolean, a selection
        key, an OS version's name)."""
        field = self.env["maintenance.equipment"]._fields[field_name]
        if field.type == "boolean":
            return "true" if value else "false"
        if field.type == "many2one":
            return value.display_name if value else False
        return value or False

    def _typed_value(self):
        """The value to write on the device's field, or raise when there is
        none (an operating system no known OS version matches)."""
        self.ensure_one()
        field = self.env["maintenance.equipment"]._fields[self.field_name]
        if field.type == "boolean":
            return self.proposed_value == "true"
        if field.type == "many2one":
            os_version = self.proposed_os_version_id or self._match_os_version(
                self.proposed_value
            )
            if not os_version:
                raise UserError(
                    self.env._(
                        "%(proposal)s: no matching OS version for '%(os)s': "
                        "create it first (Cyber › Operating systems), then "
                        "accept.",
                        proposal=self.display_name,
                        os=self.proposed_value,
                    )
                )
            return os_version.id
        return self.proposed_value

    def _can_accept(self):
        """Whether the proposal has a value to write (an operating system
        no known OS version matches has none)."""
        self.ensure_one()
        return (
            self.field_name != "os_version_id"
            or bool(self.proposed_os_version_id)
            or bool(self._match_os_version(self.proposed_value))
        )

    @api.model
    def _match_os_version(self, text):
        """The known OS version (archived ones aside) the MDS2's text names."""
        # sudo: reference data every role reads; only ids and names are used.
        versions = (
            self.env["dm.os.version"]
            .sudo()
            .search_fetch([("name", "!=", False)], ["vendor", "name"])
        )
        found = match_os_version(text, [(v.id, v.vendor, v.name) for v in versions])
        return self.env["dm.os.version"].browse(found or [])

    # ------------------------------------------------------------ actions
    def action_accept(self):
        """The RSSI takes the manufacturer's answers: each is written on its
        device's field as the RSSI, through the device's own write (its gates,
        its tracking, the re-opening of the RSSI review when the risk rises),
        then the proposal is stamped. All or nothing."""
        self._dm_check_decision("accepted", self.env._("accept"))
        # Every value first: one that cannot be written writes none.
        values = {proposal: proposal._typed_value() for proposal in self}
        # One write per device: one change in its chatter, one risk compared.
        for device, proposals in self.grouped("equipment_id").items():
            device.write({p.field_name: values[p] for p in proposals})
        for proposal, value in values.items():
            proposal._dm_set_state(
                "accepted",
                {"proposed_os_version_id": value}
                if proposal.field_name == "os_version_id"
                else {},
            )
        return True

    def _dm_check_decision(self, new_state, action):
        """Refuse a decision the user may not take (role first, then the
        records' company), or on proposals already decided; lock them."""
        self._dm_check_role("proposed", new_state)
        self.check_access("read")
        self._dm_lock()
        self._dm_check_step({"proposed"}, action)
        self._dm_check_transition(new_state)

    def action_refuse(self, reason=None):
        """The RSSI does not take these answers, and says why."""
        self._dm_check_decision("refused", self.env._("refuse"))
        missing = self.filtered(
            lambda p: not (reason or p.refusal_reason or "").strip()
        )
        if missing and len(self) == 1:
            return self._refusal_dialog()
        if missing:
            raise UserError(
                self.env._(
                    "Say why in the refusal reason to refuse %(proposals)s.",
                    proposals=", ".join(missing.mapped("display_name")),
                )
            )
        for proposal in self:
            why = (reason or proposal.refusal_reason).strip()
            proposal._dm_set_state("refused", {"refusal_reason": why})
        return True

    def _refusal_dialog(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Why do you refuse this MDS2 answer?"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [
                (self.env.ref("dm_cyber.dm_mds2_proposal_view_form_refuse").id, "form")
            ],
            "target": "new",
            "context": self.env.context,
        }
