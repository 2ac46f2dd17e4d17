from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from ..tools import reader_text as rt

_lt = LazyTranslate(__name__)

# The models a look-up may write to (those with the EUDAMED look-up).
LOOKUP_MODELS = ("maintenance.equipment", "dm.software")


class DmEudamedLookupWizard(models.TransientModel):
    """What EUDAMED registers for a device or a software, beside our
    regulatory identity, field by field; the user ticks the lines to apply.
    Nothing is written silently: applying writes the chosen values as the
    user, through the record's own gates (who may change CE data, when)."""

    _name = "dm.eudamed.lookup.wizard"
    _description = "EUDAMED look-up"

    res_model = fields.Char(required=True, readonly=True)
    res_id = fields.Integer(required=True, readonly=True)
    record_name = fields.Char(compute="_compute_record_name", string="Looked up")
    found = fields.Boolean(string="Registered in EUDAMED", readonly=True)
    registered_as = fields.Char(readonly=True)
    trade_name = fields.Char(readonly=True)
    manufacturer_eudamed = fields.Char(
        string="Manufacturer in EUDAMED (SRN)", readonly=True
    )
    manufacturer_ours = fields.Char(string="Our manufacturer", readonly=True)
    device_status = fields.Char(string="Market status", readonly=True)
    certificates = fields.Text(readonly=True)
    line_ids = fields.One2many(
        "dm.eudamed.lookup.line", "wizard_id", string="Differences"
    )
    difference_count = fields.Integer(compute="_compute_difference_count")

    @api.depends("res_model", "res_id")
    def _compute_record_name(self):
        for wizard in self:
            wizard.record_name = wizard._dm_record().display_name or ""

    @api.depends("line_ids.differs")
    def _compute_difference_count(self):
        for wizard in self:
            wizard.difference_count = len(wizard.line_ids.filtered("differs"))

    def _dm_record(self):
        self.ensure_one()
        if self.res_model not in LOOKUP_MODELS or self.res_model not in self.env:
            return self.env["res.partner"].browse()
        return self.env[self.res_model].browse(self.res_id).exists()

    def action_apply(self):
        """Write EUDAMED's value of each ticked line on the record, as the
        user; only the fields the look-up compares, only those it may apply."""
        self.ensure_one()
        record = self._dm_record()
        if not record:
            raise UserError(self.env._("The record looked up no longer exists."))
        chosen = self.line_ids.filtered(lambda line: line.apply)
        if not chosen:
            raise UserError(self.env._("Tick the EUDAMED values to apply first."))
        appliable = record._dm_eudamed_appliable()
        refused = chosen.filtered(lambda line: line.field_name not in appliable)
        if refused:
            raise UserError(
                self.env._(
                    "%(fields)s cannot be taken from EUDAMED here.",
                    fields=", ".join(refused.mapped("label")),
                )
            )
        vals = {line.field_name: line.eudamed_value or False for line in chosen}
        record.write(vals)
        record._dm_post_note(
            rt.msg(
                _lt(
                    "Regulatory identity updated from EUDAMED by %(user)s: %(fields)s."
                ),
                user=self.env.user.name,
                fields=rt.field_labels(record._name, list(vals)),
            )
        )
        return {"type": "ir.actions.act_window_close"}
