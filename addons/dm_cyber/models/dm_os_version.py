from odoo import api, fields, models
from odoo.addons.medical_device.tools import reader_text as rt
from odoo.tools.translate import LazyTranslate

from ..tools import cyber_risk

_lt = LazyTranslate(__name__)


class DmOsVersion(models.Model):
    _name = "dm.os.version"
    _inherit = ["dm.input.guard", "dm.reference.data"]
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
        if "end_of_support" not in vals:
            return super().write(vals)
        before = {version: version.end_of_support for version in self}
        result = super().write({**vals, "obsolescence_notified": False})
        for version in self.filtered(lambda v: v.end_of_support != before[v]):
            devices = self.env["maintenance.equipment"]._recompute_stored(
                ["cyber_os_obsolete", "cyber_risk_score", "cyber_risk_level"],
                [("os_version_id", "=", version.id)],
            )
            version._notify_end_of_support_change(before[version], len(devices))
        return result

    def _notify_end_of_support_change(self, old_date, device_count):
        """One note to the RSSI for the whole fleet, instead of a tracking
        message on each device whose risk was recomputed."""
        rssi_users = self.env["dm.approval"]._role_members("rssi")
        if not rssi_users:
            return
        # Each RSSI reads it in their own language, dates in its format.
        self.env["mail.thread"]._dm_notify(
            rssi_users,
            rt.msg(_lt("End of support of %(os)s changed"), os=self.name),
            rt.msg(
                _lt(
                    "%(user)s changed the end of support of %(os)s from %(old)s to "
                    "%(new)s: the cyber risk of %(count)s device(s) was recomputed."
                ),
                user=self.env.user.name,
                os=self.name,
                old=rt.date(old_date) or "-",
                new=rt.date(self.end_of_support) or "-",
                count=device_count,
            ),
        )
