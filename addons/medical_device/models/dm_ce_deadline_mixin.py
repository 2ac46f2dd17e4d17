from datetime import timedelta

from odoo import api, fields, models
from odoo.tools.translate import LazyTranslate

from ..tools import reader_text as rt
from ..tools import regulatory

_lt = LazyTranslate(__name__)


class DmCeDeadlineMixin(models.AbstractModel):
    """CE certificate and transition deadlines of a medical device, and the
    daily job that warns the pharmacists before they pass."""

    _name = "dm.ce.deadline.mixin"
    _inherit = "dm.regulatory.mixin"
    _description = "CE certificate and transition deadlines"

    is_implantable = fields.Boolean(
        string="Implantable",
        tracking=True,
        help="Implantable devices of class IIb keep the shorter MDR transition "
        "deadline (Regulation 2023/607).",
    )
    ce_transition_deadline = fields.Date(
        string="Transition deadline",
        compute="_compute_ce_deadlines",
        store=True,
        help="For legacy MDD/AIMDD/IVDD devices, the end of the transition "
        "period (Regulations 2023/607 and 2024/1860), from the editable rules.",
    )
    ce_next_deadline = fields.Date(
        string="Next CE deadline",
        compute="_compute_ce_deadlines",
        store=True,
        index=True,
        help="The earlier of the certificate expiry and the transition deadline.",
    )

    @api.depends(
        "ce_regime", "dm_risk_class", "is_implantable", "ce_certificate_expiry"
    )
    def _compute_ce_deadlines(self):
        regimes = [r for r in set(self.mapped("ce_regime")) if r]
        rules = (
            self.env["dm.ce.transition.rule"]
            .search([("ce_regime", "in", regimes)])
            ._as_rule_dicts()
        )
        for equipment in self:
            deadline = regulatory.transition_deadline(
                rules,
                equipment.ce_regime,
                equipment.dm_risk_class,
                equipment.is_implantable,
            )
            equipment.ce_transition_deadline = deadline
            dates = [d for d in (deadline, equipment.ce_certificate_expiry) if d]
            equipment.ce_next_deadline = min(dates) if dates else False

    # ------------------------------------------------------------ daily job
    @api.model
    def _ce_deadline_warning_days(self):
        params = self.env["ir.config_parameter"].sudo()  # settings are admin data
        return int(params.get_param("medical_device.ce_deadline_warning_days", 180))

    @api.model
    def _cron_ce_deadlines(self):
        """Daily: an activity for the pharmacists on each medical device whose CE
        certificate expires, or whose legacy-directive transition ends, within N
        days (or already did); never a second one while the first is open."""
        today = fields.Date.context_today(self)
        days = self._ce_deadline_warning_days()
        devices = self.search(
            [
                ("is_medical_device", "=", True),
                ("active", "=", True),
                ("lifecycle_state", "!=", "disposed"),
                ("ce_next_deadline", "<=", today + timedelta(days=days)),
            ],
            order="id",
        )
        pharmacists = self.env["dm.approval"]._group_members(
            "medical_device.group_dm_pharmacist"
        )
        # Each hospital's devices go to its own pharmacists: a user of another
        # company never hears of them.
        by_company = {}

        def pharmacists_of(company):
            if company not in by_company:
                members = self.env["dm.approval"]._users_of_company(
                    pharmacists, company
                )
                by_company[company] = (members, members[:1] or self.env.user)
            return by_company[company]

        activity_type = self.env.ref("medical_device.mail_activity_type_dm_ce_deadline")

        def values(device):
            deadline = device.ce_next_deadline
            # A reader text: in the pharmacist's language and date format (see
            # mail.activity._dm_schedule_once).
            if deadline == device.ce_certificate_expiry:
                summary = rt.msg(
                    _lt("CE certificate expiry: %(date)s"), date=rt.date(deadline)
                )
            else:
                summary = rt.msg(
                    _lt("End of the CE transition period: %(date)s"),
                    date=rt.date(deadline),
                )
            return {
                "summary": summary,
                "user_id": pharmacists_of(device.company_id)[1].id,
                "date_deadline": max(deadline, today),
            }

        # A deadline is signalled once: a done activity comes back only when the
        # deadline changes; above the threshold, one digest per site.
        created, signalled = self.env["dm.activity.digest"]._dm_signal(
            "ce_deadline",
            devices,
            "dm_ce_signalled",
            lambda device: str(device.ce_next_deadline),
            # By batches, each prefetching its own devices (see _dm_schedule_once).
            lambda group: self.env["mail.activity"]._dm_schedule_once(
                group, activity_type, values
            ),
            lambda company: pharmacists_of(company)[1],
        )
        digests = created.filtered(lambda a: a.res_model == "dm.activity.digest")
        company_of = {device.id: device.company_id for device in devices}
        for company, activities in (
            (created - digests)
            .grouped(lambda activity: company_of[activity.res_id])
            .items()
        ):
            members, responsible = pharmacists_of(company)
            if members:
                self._ce_deadline_summary(activities, days, members, responsible)
        digested = set(
            self.env["dm.activity.digest"].browse(digests.mapped("res_id")).company_id
        )
        for company, group in signalled.grouped("company_id").items():
            if company in digested:
                members, responsible = pharmacists_of(company)
                self._ce_deadline_digest_summary(group, days, members, responsible)
        return created

    @api.model
    def _ce_deadline_digest_summary(self, devices, days, pharmacists, responsible):
        if not pharmacists:
            return
        self.env["mail.thread"]._dm_notify(
            pharmacists,
            rt.msg(_lt("CE deadlines")),
            rt.msg(
                _lt(
                    "%(count)s medical device(s) reach a CE deadline within "
                    "%(days)s days or have passed it (certificate expiry or end of "
                    "the transition period). %(user)s has one digest per site, "
                    "which opens the list of its devices."
                ),
                count=len(devices),
                days=days,
                user=responsible.name,
            ),
        )

    @api.model
    def _ce_deadline_summary(self, activities, days, pharmacists, responsible):
        self.env["mail.thread"]._dm_notify(
            pharmacists,
            rt.msg(_lt("CE deadlines")),
            rt.msg(
                _lt(
                    "%(count)s medical device(s) reach a CE deadline within "
                    "%(days)s days or have passed it (certificate expiry or end of "
                    "the transition period). %(user)s has an activity on each."
                ),
                count=len(activities),
                days=days,
                user=responsible.name,
            ),
        )
