from odoo import api, fields, models

from ..tools import pieu


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

    @api.model
    def _pieu_thresholds(self):
        params = self.env["ir.config_parameter"].sudo()  # settings are admin data
        return (
            float(params.get_param("medical_device.pieu_very_critical_below", 1.0)),
            float(params.get_param("medical_device.pieu_low_above", 10.0)),
        )
