from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import pieu


def check_pieu_factors(records):
    """Refuse a level of another factor's scale in a PIEU field (a level of the
    I scale set as the P factor): the views' domains do not bind a client."""
    for record in records:
        for fname in pieu.FIELDS:
            level = record[fname]
            # The factor field's name holds its letter: pieu_p_id -> "p".
            if level and level.factor != fname.split("_")[1]:
                field = record._fields[fname]
                raise ValidationError(
                    records.env._(
                        "%(record)s: %(level)s is a level of the %(scale)s scale, "
                        "not of %(field)s.",
                        record=record.display_name,
                        level=level.display_name,
                        scale=level.factor.upper(),
                        field=field.get_description(records.env)["string"],
                    )
                )


class DmDeviceCriticalityMixin(models.AbstractModel):
    """The PIEU criticality of a medical device (failure consequence,
    importance, condition, utilisation) and its level from editable
    thresholds."""

    _name = "dm.device.criticality.mixin"
    _description = "PIEU criticality of a medical device"

    pieu_p_id = fields.Many2one(
        "dm.pieu.level",
        string="P: failure consequence",
        domain=[("factor", "=", "p")],
        tracking=True,
        ondelete="restrict",
    )
    pieu_i_id = fields.Many2one(
        "dm.pieu.level",
        string="I: equipment importance",
        domain=[("factor", "=", "i")],
        tracking=True,
        ondelete="restrict",
    )
    pieu_e_id = fields.Many2one(
        "dm.pieu.level",
        string="E: equipment condition",
        domain=[("factor", "=", "e")],
        tracking=True,
        ondelete="restrict",
    )
    pieu_u_id = fields.Many2one(
        "dm.pieu.level",
        string="U: utilisation rate",
        domain=[("factor", "=", "u")],
        tracking=True,
        ondelete="restrict",
    )
    pieu_score = fields.Float(
        string="PIEU score",
        compute="_compute_pieu",
        store=True,
        digits=(16, 4),
        # A group of devices reads its most critical score, not a sum.
        aggregator="min",
        help="P × I × E × U. The lower, the more critical.",
    )
    pieu_criticality = fields.Selection(
        [
            (pieu.VERY_CRITICAL, "Very critical"),
            (pieu.MODERATE, "Moderately critical"),
            (pieu.LOW, "Low criticality"),
        ],
        string="Criticality",
        compute="_compute_pieu",
        store=True,
        index=True,
        tracking=True,
        # Every level, in its order (very critical first) when grouped.
        group_expand=True,
    )

    @api.depends(
        "pieu_p_id.value", "pieu_i_id.value", "pieu_e_id.value", "pieu_u_id.value"
    )
    def _compute_pieu(self):
        very_critical_below, low_above = self._pieu_thresholds()
        for equipment in self:
            score = pieu.pieu_score(
                equipment.pieu_p_id.value if equipment.pieu_p_id else None,
                equipment.pieu_i_id.value if equipment.pieu_i_id else None,
                equipment.pieu_e_id.value if equipment.pieu_e_id else None,
                equipment.pieu_u_id.value if equipment.pieu_u_id else None,
            )
            equipment.pieu_score = score or 0.0
            equipment.pieu_criticality = pieu.pieu_criticality(
                score, very_critical_below, low_above
            )

    @api.constrains(*pieu.FIELDS)
    def _check_pieu_factors(self):
        check_pieu_factors(self)

    @api.model
    def _pieu_thresholds(self):
        params = self.env["ir.config_parameter"].sudo()  # settings are admin data
        return (
            float(params.get_param("medical_device.pieu_very_critical_below", 1.0)),
            float(params.get_param("medical_device.pieu_low_above", 10.0)),
        )
