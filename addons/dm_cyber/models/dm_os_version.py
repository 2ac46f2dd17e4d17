from odoo import api, fields, models

from ..tools import cyber_risk


class DmOsVersion(models.Model):
    _name = "dm.os.version"
    _description = "Operating system version of connected devices"
    _order = "vendor, product, version"

    name = fields.Char(compute="_compute_name", store=True)
    vendor = fields.Char(required=True)
    product = fields.Char(required=True)
    version = fields.Char()
    end_of_support = fields.Date(
        string="End of support",
        help="End of the vendor's extended support (security updates).",
    )
    is_obsolete = fields.Boolean(
        string="Obsolete",
        compute="_compute_is_obsolete",
        search="_search_is_obsolete",
        help="Past its end of support, as of today.",
    )
    older_than_windows_10 = fields.Boolean(
        string="Older than Windows 10",
        help="Windows versions before Windows 10 (XP, 7, 8.1, Server 2008/2012…), "
        "the seed's first query for the IT department.",
    )
    obsolescence_notified = fields.Boolean(
        readonly=True,
        copy=False,
        help="The daily job already flagged this version as obsolete.",
    )
    source_url = fields.Char(string="Source", help="Vendor lifecycle page.")
    equipment_ids = fields.One2many(
        "maintenance.equipment", "os_version_id", string="Devices"
    )
    equipment_count = fields.Integer(
        compute="_compute_equipment_count", string="Device count"
    )
    active = fields.Boolean(default=True)

    _product_version_unique = models.Constraint(
        "UNIQUE (vendor, product, version)", "This OS version already exists."
    )

    @api.depends("vendor", "product", "version")
    def _compute_name(self):
        for os_version in self:
            os_version.name = " ".join(
                part for part in (os_version.product, os_version.version) if part
            )

    @api.depends("end_of_support")
    @api.depends_context("date")
    def _compute_is_obsolete(self):
        today = fields.Date.context_today(self)
        for os_version in self:
            os_version.is_obsolete = cyber_risk.is_obsolete(
                os_version.end_of_support, today
            )

    def _search_is_obsolete(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        today = fields.Date.context_today(self)
        if (operator == "=") == value:
            return [("end_of_support", "<", today)]
        return ["|", ("end_of_support", "=", False), ("end_of_support", ">=", today)]

    def _compute_equipment_count(self):
        counts = dict(
            self.env["maintenance.equipment"]._read_group(
                [("os_version_id", "in", self.ids)], ["os_version_id"], ["__count"]
            )
        )
        for os_version in self:
            os_version.equipment_count = counts.get(os_version, 0)

    def write(self, vals):
        if "end_of_support" in vals:
            vals = {**vals, "obsolescence_notified": False}
        result = super().write(vals)
        if "end_of_support" in vals:
            self.env["maintenance.equipment"]._recompute_stored(
                ["cyber_os_obsolete", "cyber_risk_score", "cyber_risk_level"],
                [("os_version_id", "in", self.ids)],
            )
        return result
