from odoo import api, fields, models

from ..tools import approval_values

# The list of approvals shows this many of the approved values on one line.
BRIEF_VALUES = 4


class DmApproval(models.Model):
    """How an approval line reads: its name, step and approved values in the
    reader's language, rendered when read (not stored in the requester's)."""

    _inherit = "dm.approval"

    # The approved values are kept raw (field name -> value) and rendered when
    # read, in the reader's language and date format; lines requested before
    # 19.0.2.1.0 keep their text, written in their requester's language.
    data_values = fields.Json(
        readonly=True,
        help="The values the reviewer approves, as they were when requested.",
    )
    data_summary_legacy = fields.Text(
        string="Data to approve (as written)",
        readonly=True,
        help="The text of a line requested before the values were kept raw.",
    )
    data_summary = fields.Text(
        string="Data to approve",
        compute="_compute_data_summary",
        help="The values the reviewer approves, as they were when requested.",
    )
    data_brief = fields.Char(
        string="Key values",
        compute="_compute_data_summary",
        help="The first values the reviewer approves, on one line.",
    )
    step_display = fields.Char(string="Gated step", compute="_compute_step_display")
    age_days = fields.Integer(
        string="Age (days)",
        compute="_compute_age_days",
        help="Days since the approval was requested.",
    )
    risk_label = fields.Char(
        string="Risk",
        compute="_compute_risk_label",
        help="The document's risk level (cyber risk, else PIEU criticality).",
    )

    @api.depends("name", "rule_id.name")
    @api.depends_context("lang")
    def _compute_display_name(self):
        # The rule's name in the reader's language (the stored name is in the
        # requester's); a hospital's deleted rule leaves the stored name.
        for line in self:
            # sudo: the rule's name, for whoever reads the line.
            line.display_name = line.rule_id.sudo().name or line.name

    @api.depends("step_label", "rule_id.step_label")
    @api.depends_context("lang")
    def _compute_step_display(self):
        for line in self:
            # sudo: see _compute_display_name.
            line.step_display = line.rule_id.sudo().step_label or line.step_label

    @api.depends("data_values", "data_summary_legacy", "res_model")
    @api.depends_context("lang")
    def _compute_data_summary(self):
        for line in self:
            pairs = line._dm_value_pairs()
            if pairs is None:
                text = line.data_summary_legacy or ""
                line.data_summary = text
                line.data_brief = " · ".join(
                    approval_values.shorten(row)
                    for row in text.splitlines()[:BRIEF_VALUES]
                )
                continue
            line.data_summary = "\n".join(
                line._dm_value_row(label, shown) for label, shown in pairs
            )
            line.data_brief = " · ".join(
                line._dm_value_row(label, approval_values.shorten(shown))
                for label, shown in pairs[:BRIEF_VALUES]
                if shown
            )

    def _dm_value_row(self, label, shown):
        return self.env._("%(label)s: %(value)s", label=label, value=shown)

    @api.depends("requested_on")
    def _compute_age_days(self):
        now = fields.Datetime.now()
        for line in self:
            line.age_days = (now - line.requested_on).days if line.requested_on else 0

    @api.depends("res_model", "res_id")
    @api.depends_context("lang")
    def _compute_risk_label(self):
        for line in self:
            # sudo: the document's risk level, for whoever reads the line.
            record = line.sudo()._record()
            line.risk_label = (
                record._dm_approval_risk()
                if record and hasattr(record, "_dm_approval_risk")
                else False
            )

    def _dm_value_pairs(self):
        """(label, value) of the approved values, in the current language;
        None for a line without raw values (requested before 19.0.2.1.0)."""
        self.ensure_one()
        if not isinstance(self.data_values, dict) or self.res_model not in self.env:
            return None
        Document = self.env[self.res_model]
        return [
            (
                Document._fields[fname].get_description(self.env)["string"],
                approval_values.render_value(Document, fname, value),
            )
            for fname, value in self.data_values.items()
            if fname in Document._fields
        ]
