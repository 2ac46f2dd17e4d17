from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import ormcache
from odoo.tools.safe_eval import safe_eval


class DmApprovalRule(models.Model):
    """Which approval a document needs before one of its steps: a record, so
    that an administrator adds or adapts one without code (like OCA
    ``tier.definition``). The engine (``dm.approval.mixin``) reads them."""

    _name = "dm.approval.rule"
    _inherit = ["dm.input.guard", "dm.reference.data"]
    _description = "Medical device approval rule"
    _order = "model, sequence, id"

    name = fields.Char(
        string="Approval", required=True, translate=True, help="Shown to the reviewer."
    )
    key = fields.Char(
        string="Technical key",
        required=True,
        help="Identifies the rule on its approval lines (unique per document model).",
    )
    model_id = fields.Many2one(
        "ir.model",
        string="Document model",
        required=True,
        ondelete="cascade",
        domain=lambda self: [("model", "in", self._approval_model_names())],
    )
    model = fields.Char(related="model_id.model", store=True, index=True)
    step = fields.Char(
        required=True,
        help="Technical key of the transition it gates (e.g. reception, in_service, "
        "accept, in_use, verify, sign_off).",
    )
    step_label = fields.Char(string="Gates", translate=True)
    group_id = fields.Many2one(
        "res.groups",
        string="Decided by",
        required=True,
        ondelete="restrict",
        help="Any member of this group may decide (except the requester, with the "
        "four-eyes principle).",
    )
    role = fields.Selection(
        selection=lambda self: self.env["dm.approval"]._fields["role"].selection,
        compute="_compute_role",
        help="The medical device role of the group, if it is one of them.",
    )
    domain = fields.Char(
        string="Condition",
        default="[]",
        help="Domain evaluated on the document: the approval is needed only when "
        "it matches (empty: always).",
    )
    field_ids = fields.Many2many(
        "ir.model.fields",
        "dm_approval_rule_field_rel",
        "rule_id",
        "field_id",
        string="Approved fields",
        domain="[('model_id', '=', model_id)]",
        help="A change of these fields re-opens the approval.",
    )
    summary_field_ids = fields.Many2many(
        "ir.model.fields",
        "dm_approval_rule_summary_field_rel",
        "rule_id",
        "field_id",
        string="Shown to the reviewer",
        domain="[('model_id', '=', model_id)]",
        help="Values shown to the reviewer (default: the approved fields).",
    )
    sequence = fields.Integer(default=10)
    four_eyes = fields.Boolean(
        string="Four-eyes principle",
        default=True,
        help="The user who requested the approval (or last changed its data) "
        "cannot decide on it.",
    )
    active = fields.Boolean(default=True)

    _key_unique = models.Constraint(
        "unique(model_id, key)",
        "An approval rule's technical key is unique per document model.",
    )

    @api.model
    def _approval_model_names(self):
        names = self.env.registry.descendants(["dm.approval.mixin"], "_inherit")
        return [name for name in names if not self.env[name]._abstract]

    @api.depends("group_id")
    def _compute_role(self):
        roles = self.env["dm.approval"]._group_roles()
        for rule in self:
            rule.role = roles.get(rule.group_id.id, False)

    @api.constrains("domain", "model_id", "field_ids", "summary_field_ids")
    def _check_domain_and_fields(self):
        for rule in self:
            fields_ = rule.field_ids | rule.summary_field_ids
            if fields_.filtered(lambda f, rule=rule: f.model_id != rule.model_id):
                raise ValidationError(
                    self.env._(
                        "The fields of approval rule %(rule)s must belong to its "
                        "document model.",
                        rule=rule.name,
                    )
                )
            try:
                Domain(rule._eval_domain()).validate(self.env[rule.model])
            except Exception as error:
                raise ValidationError(
                    self.env._(
                        "The condition of approval rule %(rule)s is not a valid "
                        "domain on %(model)s: %(error)s",
                        rule=rule.name,
                        model=rule.model_id.name,
                        error=error,
                    )
                ) from error

    def _eval_domain(self):
        self.ensure_one()
        return safe_eval(self.domain or "[]", {"uid": self.env.uid})

    # ------------------------------------------------------------ cache
    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        self.env.registry.clear_cache()
        return rules

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result

    @api.model
    def _rules_of(self, model_name):
        """The active rules of a document model, as plain dicts (key, step,
        step_label, name, group_id, role, fields, summary_fields, domain,
        condition_fields, four_eyes), cached until a rule changes."""
        return [dict(rule) for rule in self._rules_cached(model_name, self.env.lang)]

    @api.model
    @ormcache("model_name", "lang")
    def _rules_cached(self, model_name, lang):
        # sudo: the engine applies the rules whoever writes the document.
        rules = (
            self.sudo()
            .with_context(lang=lang, active_test=True)
            .search([("model", "=", model_name)])
        )
        result = []
        for rule in rules:
            domain = Domain(rule._eval_domain())
            names = sorted(rule.field_ids.mapped("name"))
            position = {name: i for i, name in enumerate(self.env[model_name]._fields)}
            shown = rule.summary_field_ids.mapped("name") or names
            result.append(
                {
                    "id": rule.id,
                    "key": rule.key,
                    "step": rule.step,
                    "step_label": rule.step_label,
                    "name": rule.name,
                    "group_id": rule.group_id.id,
                    "role": rule.role,
                    "fields": names,
                    "summary_fields": sorted(shown, key=lambda f: position.get(f, 0)),
                    "domain": rule.domain or "[]",
                    "condition_fields": sorted(
                        {c.field_expr.split(".")[0] for c in domain.iter_conditions()}
                    ),
                    "four_eyes": rule.four_eyes,
                }
            )
        return tuple(result)

    # ------------------------------------------------------------ migration
    @api.model
    def _dm_migrate_link_lines(self, legacy_fields):
        """Upgrade from 19.0.1 (rules in Python): link the lines of the given
        ``{(res_model, rule_key): [approved fields in their old order]}`` to
        their rule record and deciding group, and carry over the data
        fingerprint of the lines whose data did not change since the request
        (the field order of the fingerprint changed). Written in SQL: decided
        lines are closed to the ORM's writes."""
        cr = self.env.cr
        Approval = self.env["dm.approval"]
        role_groups = {
            role: self.env.ref(xmlid).id
            for role, xmlid in Approval._role_groups().items()
        }
        for (res_model, rule_key), old_fields in legacy_fields.items():
            if res_model not in self.env:
                continue
            Document = self.env[res_model]
            rule = Document._dm_rule(rule_key)
            cr.execute(
                """SELECT id, res_id, role, state, data_fingerprint FROM dm_approval
                    WHERE res_model = %s AND rule_key = %s AND rule_id IS NULL""",
                [res_model, rule_key],
            )
            for line_id, res_id, role, state, fingerprint in cr.fetchall():
                group_id = rule["group_id"] if rule else role_groups.get(role)
                record = Document.browse(res_id).exists()
                if rule and record and state != "rejected":
                    old = record._dm_fingerprint({"fields": old_fields})
                    # No approved fields: the old engine had nothing to compare.
                    if old == fingerprint or not old_fields:
                        fingerprint = record._dm_fingerprint(rule)
                cr.execute(
                    """UPDATE dm_approval
                          SET rule_id = %s, group_id = %s, data_fingerprint = %s
                        WHERE id = %s""",
                    [rule["id"] if rule else None, group_id, fingerprint, line_id],
                )
        Approval.invalidate_model(["rule_id", "group_id", "data_fingerprint"])
