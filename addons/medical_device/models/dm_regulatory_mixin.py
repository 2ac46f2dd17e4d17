from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import checklist, regulatory, udi
from ..tools.messages import tools_error
from ..tools.selections import CE_REGIMES, RISK_CLASSES

# The regulatory identity this mixin holds (see _dm_regulatory_fields).
REGULATORY_FIELDS = (
    "dm_risk_class",
    "ce_regime",
    "notified_body_number",
    "ce_certificate_ref",
    "ce_certificate_expiry",
    "udi_di",
    "basic_udi_di",
)


class DmRegulatoryMixin(models.AbstractModel):
    """The regulatory identity shared by devices and software (EU MDR / IVDR):
    risk class, CE regime, notified body, certificate, UDI-DI and Basic UDI-DI,
    their checks, the normalisation of the codes and what is missing before use.

    A model with a kind of device that narrows its classes and regimes names its
    selection field in ``_dm_regulatory_kind_field``. Hooks for the differences:
    ``_dm_udi_di_from_input`` (how a written UDI-DI is read) and
    ``_dm_ce_marking_exempt`` (no CE marking needed, e.g. in-house software).
    """

    _name = "dm.regulatory.mixin"
    _inherit = ["dm.input.guard"]
    _description = "Regulatory identity (EU MDR / IVDR)"

    # Selection field (dm, dmia, dmdiv) that narrows the classes and regimes.
    _dm_regulatory_kind_field = None
    # The model's own fields of its regulatory identity (e.g. a device's UDI
    # carrier), beside the mixin's and the kind.
    _dm_regulatory_extra_fields = ()

    dm_risk_class = fields.Selection(
        RISK_CLASSES, string="Risk class", tracking=True, index=True
    )
    ce_regime = fields.Selection(CE_REGIMES, string="CE regime", tracking=True)
    notified_body_number = fields.Char(
        string="Notified body",
        tracking=True,
        help="Four-digit identification number of the notified body, required "
        "for every class above I (MDR) or A (IVDR).",
    )
    ce_certificate_ref = fields.Char(string="CE certificate", tracking=True)
    ce_certificate_expiry = fields.Date(string="Certificate expiry", tracking=True)
    udi_di = fields.Char(string="UDI-DI", index="btree_not_null", tracking=True)
    basic_udi_di = fields.Char(
        string="Basic UDI-DI",
        tracking=True,
        help="Model-level key in EUDAMED (up to 25 characters, never on the label).",
    )

    @api.model
    def _dm_regulatory_fields(self):
        """Every field of the record's regulatory identity (CE data): who
        changes them and their audit trail are declared from this list."""
        fnames = list(REGULATORY_FIELDS)
        if self._dm_regulatory_kind_field:
            fnames.append(self._dm_regulatory_kind_field)
        return tuple(fnames) + tuple(self._dm_regulatory_extra_fields)

    # ------------------------------------------------------------ constraints
    def _dm_regulatory_consistency_fields(self):
        fnames = ["dm_risk_class", "ce_regime"]
        if self._dm_regulatory_kind_field:
            fnames.append(self._dm_regulatory_kind_field)
        return fnames

    @api.constrains(lambda self: self._dm_regulatory_consistency_fields())
    def _check_class_consistency(self):
        """The class fits the kind, the regime fits the kind and the class."""
        kind_field = self._dm_regulatory_kind_field
        classes = dict(self._fields["dm_risk_class"]._description_selection(self.env))
        regimes = dict(self._fields["ce_regime"]._description_selection(self.env))
        kinds = {}
        if kind_field:
            kinds = dict(self._fields[kind_field]._description_selection(self.env))
        for record in self:
            kind = record[kind_field] if kind_field else False
            risk_class, regime = record.dm_risk_class, record.ce_regime
            if not regulatory.class_allowed_for_kind(kind, risk_class):
                raise ValidationError(
                    self.env._(
                        "%(device)s: risk class %(klass)s is not allowed for a "
                        "device of kind %(kind)s (IVDR classes A-D are for in-vitro "
                        "diagnostic devices only; active implantables are class III).",
                        device=record.display_name,
                        klass=classes.get(risk_class, risk_class or ""),
                        kind=kinds.get(kind, kind or ""),
                    )
                )
            if regulatory.regime_allowed_for_kind(
                kind, regime
            ) and regulatory.regime_allowed_for_class(regime, risk_class):
                continue
            if kind:
                message = self.env._(
                    "%(device)s: the CE regime %(regime)s does not fit a device "
                    "of kind %(kind)s and class %(klass)s.",
                    device=record.display_name,
                    regime=regimes.get(regime, regime or ""),
                    kind=kinds.get(kind, ""),
                    klass=classes.get(risk_class, ""),
                )
            else:
                message = self.env._(
                    "%(record)s: the CE regime %(regime)s does not fit the class "
                    "%(klass)s.",
                    record=record.display_name,
                    regime=regimes.get(regime, regime or ""),
                    klass=classes.get(risk_class, ""),
                )
            raise ValidationError(message)

    @api.constrains("notified_body_number")
    def _check_notified_body_number(self):
        for record in self:
            number = record.notified_body_number
            if number and not regulatory.is_valid_notified_body_number(number):
                raise ValidationError(
                    self.env._(
                        "%(record)s: the notified body number must be exactly 4 "
                        "digits (found '%(number)s').",
                        record=record.display_name,
                        number=number,
                    )
                )

    @api.constrains("basic_udi_di")
    def _check_basic_udi_di(self):
        for record in self:
            if not record.basic_udi_di:
                continue
            try:
                udi.validate_basic_udi_di(record.basic_udi_di)
            except udi.UdiError as error:
                raise tools_error(self.env, record.display_name, error) from error

    # ------------------------------------------------------------ normalisation
    def _dm_udi_di_from_input(self, value):
        """The UDI-DI of a typed GTIN or of a full UDI (GS1 or HIBCC), checked
        by the UDI parser."""
        value = (value or "").strip()
        if not value:
            return False
        carrier = f"(01){value}" if value.isdigit() else value
        try:
            return udi.parse_udi(carrier).di
        except udi.UdiError as error:
            raise tools_error(
                self.env, self.env._("Invalid UDI-DI '%(value)s'", value=value), error
            ) from error

    def _dm_regulatory_normalize(self, vals):
        """A copy of ``vals`` with the regulatory codes as they are stored:
        UDI-DI read from what was typed, codes without spaces, upper case."""
        # The kinds and sizes first: the codes below are read as text.
        self._dm_check_input_vals(vals)
        vals = dict(vals)
        if "udi_di" in vals:
            vals["udi_di"] = self._dm_udi_di_from_input(vals["udi_di"])
        if vals.get("basic_udi_di"):
            vals["basic_udi_di"] = vals["basic_udi_di"].strip().upper()
        if vals.get("notified_body_number"):
            vals["notified_body_number"] = vals["notified_body_number"].strip()
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._dm_regulatory_normalize(v) for v in vals_list])

    def write(self, vals):
        return super().write(self._dm_regulatory_normalize(vals))

    # ------------------------------------------------------------ gates
    def _dm_ce_marking_exempt(self):
        """True when the record needs no CE marking (e.g. in-house software)."""
        return False

    def _dm_regulatory_checklist(self):
        """The regulatory identity needed before use, as ``tools.checklist``
        items: the class, then (unless exempt from CE marking) the regime and,
        when a notified body is required, its number and the certificate."""
        self.ensure_one()
        items = [
            checklist.item(
                self.env._("the risk class"), self.dm_risk_class, "dm_risk_class"
            )
        ]
        if self._dm_ce_marking_exempt():
            return items
        items.append(
            checklist.item(self.env._("the CE regime"), self.ce_regime, "ce_regime")
        )
        if regulatory.notified_body_required(self.ce_regime, self.dm_risk_class):
            items += [
                checklist.item(
                    self.env._("the notified body number"),
                    self.notified_body_number,
                    "notified_body_number",
                ),
                checklist.item(
                    self.env._("the CE certificate reference"),
                    self.ce_certificate_ref,
                    "ce_certificate_ref",
                ),
            ]
        return items

    def _dm_regulatory_missing(self):
        """Translated list of the regulatory identity missing before use (see
        ``_dm_regulatory_checklist``)."""
        return checklist.missing(self._dm_regulatory_checklist())
