from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# The classic acceptance criteria of a PV de réception, in the order of the form.
RECEPTION_CRITERIA = (
    "check_risk_class",
    "check_ce_marking",
    "check_delivery",
    "check_accessories",
    "check_documentation",
    "check_warranty",
    "check_electrical_safety",
    "check_training_done",
)


class DmReception(models.Model):
    _name = "dm.reception"
    _description = "Reception report (PV de réception)"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "reception_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    equipment_id = fields.Many2one(
        "maintenance.equipment",
        string="Device",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
        tracking=True,
        domain=[("is_medical_device", "=", True)],
    )
    company_id = fields.Many2one(
        related="equipment_id.company_id", store=True, index=True, precompute=True
    )
    reception_date = fields.Date(
        default=fields.Date.context_today, required=True, tracking=True
    )
    received_by_id = fields.Many2one(
        "res.users",
        string="Received by",
        default=lambda self: self.env.user,
        required=True,
        tracking=True,
    )
    supplier_id = fields.Many2one(related="equipment_id.partner_id", string="Supplier")
    serial_no = fields.Char(related="equipment_id.serial_no")
    dm_risk_class = fields.Selection(related="equipment_id.dm_risk_class")
    delivery_note_ref = fields.Char(string="Delivery note")
    warranty_end_date = fields.Date(string="Warranty until")

    check_risk_class = fields.Boolean(
        string="Risk class checked", help="The class on the label matches the order."
    )
    check_ce_marking = fields.Boolean(
        string="CE marking checked",
        help="CE mark, notified body number and certificate are present and valid.",
    )
    check_delivery = fields.Boolean(
        string="Delivery complete and undamaged",
    )
    check_accessories = fields.Boolean(string="Accessories complete")
    check_documentation = fields.Boolean(
        string="Documentation in French",
        help="User manual and technical documentation in French are delivered.",
    )
    check_warranty = fields.Boolean(string="Warranty conditions received")
    check_electrical_safety = fields.Boolean(
        string="Electrical safety and functional tests passed"
    )
    check_training_done = fields.Boolean(string="User training done")

    pieu_p_id = fields.Many2one(
        "dm.pieu.level", string="P", domain=[("factor", "=", "p")]
    )
    pieu_i_id = fields.Many2one(
        "dm.pieu.level", string="I", domain=[("factor", "=", "i")]
    )
    pieu_e_id = fields.Many2one(
        "dm.pieu.level", string="E", domain=[("factor", "=", "e")]
    )
    pieu_u_id = fields.Many2one(
        "dm.pieu.level", string="U", domain=[("factor", "=", "u")]
    )
    notes = fields.Html()

    state = fields.Selection(
        [("draft", "To decide"), ("accepted", "Accepted"), ("rejected", "Rejected")],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
        index=True,
    )
    decided_by_id = fields.Many2one(
        "res.users", string="Decided by", readonly=True, copy=False, tracking=True
    )
    decided_on = fields.Datetime(readonly=True, copy=False)
    decision_comment = fields.Text(
        help="Required when the reception is rejected: what must be fixed."
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state", "draft") != "draft" and not self.env.su:
                raise UserError(
                    self.env._("A reception report is created to decide, not decided.")
                )
            if vals.get("equipment_id"):
                device = self.env["maintenance.equipment"].browse(vals["equipment_id"])
                for factor in ("pieu_p_id", "pieu_i_id", "pieu_e_id", "pieu_u_id"):
                    vals.setdefault(factor, device[factor].id)
            if not vals.get("name") or vals["name"] == self.env._("New"):
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("dm.reception") or "/"
                )
        return super().create(vals_list)

    def write(self, vals):
        decision_fields = {"state", "decided_by_id", "decided_on"}
        # The decision is written by action_accept/action_reject only, in sudo after
        # their role check; a client's write() or context can never set it.
        if decision_fields & set(vals) and not self.env.su:
            raise UserError(
                self.env._(
                    "A reception is accepted or rejected with its Accept and Reject "
                    "actions, by a biomedical engineer."
                )
            )
        decided = self.filtered(lambda r: r.state != "draft")
        if decided and not self.env.su:
            raise UserError(
                self.env._(
                    "Reception %(name)s is already decided and cannot be changed; "
                    "create a new reception report instead.",
                    name=", ".join(decided.mapped("name")),
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_decided(self):
        if any(r.state != "draft" for r in self):
            raise UserError(
                self.env._("A decided reception report is part of the device history.")
            )

    def _check_engineer(self):
        if not self.env.user.has_group("medical_device.group_dm_engineer"):
            raise AccessError(
                self.env._(
                    "Only a biomedical engineer may accept or reject a reception."
                )
            )

    def _missing_criteria(self):
        return [label for label, checked in self._report_criteria() if not checked]

    def action_accept(self):
        self._check_engineer()
        for reception in self:
            if reception.state != "draft":
                raise UserError(
                    self.env._(
                        "Reception %(name)s is already decided.", name=reception.name
                    )
                )
            missing = reception._missing_criteria()
            if missing:
                raise UserError(
                    self.env._(
                        "Reception %(name)s cannot be accepted: these criteria are "
                        "not met: %(missing)s.",
                        name=reception.name,
                        missing=", ".join(missing),
                    )
                )
            factors = ("pieu_p_id", "pieu_i_id", "pieu_e_id", "pieu_u_id")
            if not all(reception[f] for f in factors):
                raise UserError(
                    self.env._(
                        "Reception %(name)s cannot be accepted without the four PIEU "
                        "criticality values.",
                        name=reception.name,
                    )
                )
            reception.sudo().write(
                {
                    "state": "accepted",
                    "decided_by_id": self.env.uid,
                    "decided_on": fields.Datetime.now(),
                }
            )
            reception.equipment_id.write(
                {f: reception[f].id for f in factors}
                | {
                    "warranty_date": reception.warranty_end_date
                    or reception.equipment_id.warranty_date
                }
            )

    def action_reject(self):
        self._check_engineer()
        for reception in self:
            if reception.state != "draft":
                raise UserError(
                    self.env._(
                        "Reception %(name)s is already decided.", name=reception.name
                    )
                )
            if not (reception.decision_comment or "").strip():
                raise UserError(
                    self.env._(
                        "Write in the decision comment why reception %(name)s is "
                        "rejected.",
                        name=reception.name,
                    )
                )
            reception.sudo().write(
                {
                    "state": "rejected",
                    "decided_by_id": self.env.uid,
                    "decided_on": fields.Datetime.now(),
                }
            )

    def _report_criteria(self):
        """(label, checked) pairs for the printed PV, in the form's order."""
        self.ensure_one()
        return [
            (self._fields[name].get_description(self.env)["string"], self[name])
            for name in RECEPTION_CRITERIA
        ]
