"""What the columns of a fleet import can fill, and the text of its errors.

Pure (no env). :class:`Targets` is a registry an addon extends with its own
targets through ``dm.fleet.import._dm_import_targets()``; this addon's are
:data:`BASE_TARGETS`. Every error template is written once here, in English,
marked for translation; :func:`error_text` renders it.
"""

from dataclasses import dataclass, field

from odoo.tools.translate import LazyTranslate

from . import udi
from .messages import render

_lt = LazyTranslate(__name__)

# ---------------------------------------------------------------- targets
# Target key -> kind of value (see fleet_import_values.parse_value). The key is
# what a mapping line points at; most keys are also the name of the
# maintenance.equipment field they fill, the others are looked up by name
# (see LOOKUP_FIELDS).
TARGETS = {
    # identity
    "serial_no": "char",
    "name": "char",
    "common_name": "char",
    "trade_name": "char",
    "manufacturer": "name",
    "supplier": "name",
    "model": "char",
    "category": "name",
    "location": "char",
    "dm_kind": "dm_kind",
    "is_medical_device": "bool",
    # regulatory identity
    "dm_risk_class": "risk_class",
    "ce_regime": "ce_regime",
    "notified_body_number": "notified_body",
    "ce_certificate_ref": "char",
    "ce_certificate_expiry": "date",
    "udi_carrier": "udi",
    "basic_udi_di": "basic_udi_di",
    "emdn_code": "emdn",
    "is_implantable": "bool",
    "is_ionising": "bool",
    "embeds_software": "bool",
    # PIEU criticality: the value of the level on its factor's scale
    "pieu_p": "pieu",
    "pieu_i": "pieu",
    "pieu_e": "pieu",
    "pieu_u": "pieu",
    # lifecycle and dates
    "lifecycle_state": "lifecycle",
    "acquisition_mode": "acquisition_mode",
    "acquisition_date": "date",
    "commissioning_date": "date",
    "warranty_date": "date",
    "scrap_date": "date",
    "cost": "float",
    # data
    "is_connected": "bool",
    "patient_data": "bool",
}
# Targets looked up by name or value -> the many2one field they fill.
LOOKUP_FIELDS = {
    "manufacturer": "manufacturer_id",
    "supplier": "partner_id",
    "category": "category_id",
    "pieu_p": "pieu_p_id",
    "pieu_i": "pieu_i_id",
    "pieu_e": "pieu_e_id",
    "pieu_u": "pieu_u_id",
}

# ---------------------------------------------------------------- messages
# English template of each error code, marked for translation.
MESSAGES = {
    "required": _lt(
        "A serial number or a UDI with a serial number or lot is required to "
        "import a device."
    ),
    "duplicate": _lt("Same device as row %(row)s of the file: this row is skipped."),
    "bad_date": _lt("%(value)s is not a date (expected dd/mm/yyyy or yyyy-mm-dd)."),
    "bad_number": _lt("%(value)s is not a number."),
    "bad_bool": _lt("%(value)s is not a yes/no value (expected oui, non, x, 1 or 0)."),
    "unknown_class": _lt(
        "Unknown risk class %(value)s (expected I, Is, Im, Ir, IIa, IIb, III or "
        "IVD class A to D)."
    ),
    "unknown_ce_regime": _lt(
        "Unknown CE marking %(value)s (expected MDR, IVDR, MDD, AIMDD or IVDD, or "
        "the number of the regulation or directive)."
    ),
    "unknown_kind": _lt("Unknown device kind %(value)s (expected DM, DMIA or DMDIV)."),
    "unknown_lifecycle": _lt(
        "Unknown status %(value)s (expected e.g. En commande, En réception, En "
        "service, En cours de réforme, Réformé)."
    ),
    "unknown_acquisition_mode": _lt(
        "Unknown acquisition mode %(value)s (expected Achat, Location, Prêt or Don)."
    ),
    "class_kind": _lt(
        "The risk class %(value)s does not fit a device of kind %(kind)s."
    ),
    "regime_kind": _lt(
        "The CE marking %(value)s does not fit a device of kind %(kind)s."
    ),
    "regime_class": _lt(
        "The CE marking %(value)s does not fit the risk class %(class)s."
    ),
    "notified_body": _lt("%(value)s is not a notified body number (4 digits)."),
    "udi": _lt("Invalid UDI %(value)s: %(message)s"),
    "too_long": _lt(
        "This cell has %(length)s characters: at most %(max)s are imported. The "
        "row is skipped."
    ),
    "bad_byte": _lt(
        "This cell holds bytes that are not valid UTF-8 (shown as \ufffd): correct "
        "the file or save it again as UTF-8. The row is skipped."
    ),
    # The UDI parser's own message (rendered by error_text): nothing to translate.
    "code": "%(message)s",
}


@dataclass(frozen=True)
class Targets:
    """What the columns of an import can fill.

    ``kinds``: ``{target: kind}`` (a kind of ``parse_value``, or a parser
    function); ``fields``: ``{target: device field}`` where it is not the
    target's name; ``messages``: ``{error code: English template}``;
    ``addons``: ``{target: addon}`` (the addon that registered it). Registries
    combine with ``|``: each addon adds its own targets.
    """

    kinds: dict
    fields: dict = field(default_factory=dict)
    messages: dict = field(default_factory=dict)
    addons: dict = field(default_factory=dict)

    @classmethod
    def of(cls, addon, kinds, fields=None, messages=None):
        """The targets an addon registers."""
        return cls(
            dict(kinds),
            dict(fields or {}),
            dict(messages or {}),
            dict.fromkeys(kinds, addon),
        )

    def __or__(self, other):
        return Targets(
            {**self.kinds, **other.kinds},
            {**self.fields, **other.fields},
            {**self.messages, **other.messages},
            {**self.addons, **other.addons},
        )

    def field(self, target):
        """The maintenance.equipment field a target fills."""
        return self.fields.get(target, target)


BASE_TARGETS = Targets.of("medical_device", TARGETS, LOOKUP_FIELDS, MESSAGES)


def target_field(target):
    """The maintenance.equipment field a target of this addon fills."""
    return BASE_TARGETS.field(target)


def error_text(code, params, targets=None, env=None):
    """Text of an error: in ``env``'s language, in English without an env.

    A UDI error nests the UDI parser's own message (``udi_code``), rendered in
    the same language.
    """
    params = dict(params or {})
    if params.get("udi_code"):
        nested = params.get("udi_params") or {
            k: v for k, v in params.items() if k not in ("udi_code", "message")
        }
        reason = render(udi.MESSAGES.get(params["udi_code"]), nested, env)
        if reason is not None:
            params["message"] = reason
        if code == "code":
            return params.get("message", "")
    template = (targets or BASE_TARGETS).messages.get(code)
    text = render(template, params, env)
    return text if text is not None else f"{code}: {params}"


def format_error(code, params):
    """English text of an error (the Odoo side renders it with an env)."""
    return error_text(code, params)
