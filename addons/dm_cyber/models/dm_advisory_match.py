from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.addons.medical_device.tools import reader_text as rt
from odoo.exceptions import AccessError, UserError
from odoo.tools.translate import LazyTranslate

from .dm_cyber_campaign import MANAGERS
from .dm_vulnerability import RSSI

_lt = LazyTranslate(__name__)


class DmAdvisory(models.Model):
    """Matching an advisory against the fleet (``dm.vulnerability``), and the
    update campaign of the devices it still affects. The advisory itself
    (fields, import) is ``dm_advisory.py``'s."""

    _inherit = "dm.advisory"

    vulnerability_open_count = fields.Integer(
        string="Devices affected", compute="_compute_vulnerability_open_count"
    )

    def _compute_vulnerability_open_count(self):
        counts = dict(
            self.env["dm.vulnerability"]._read_group(
                [("advisory_id", "in", self.ids), ("is_open", "=", True)],
                ["advisory_id"],
                ["__count"],
            )
        )
        for advisory in self:
            advisory.vulnerability_open_count = counts.get(advisory, 0)

    # ------------------------------------------------------------ matching
    def _dm_match(self):
        """Match the advisories' affected products against the fleet (see
        ``dm.vulnerability._dm_match_products``): called by the RSSI's button
        and after each import of advisories. Returns the counts."""
        # sudo: the lines and the stamp are the server's; callers check roles.
        advisories = self.sudo().filtered("active")
        stats = self.env["dm.vulnerability"]._dm_match_products(advisories.product_ids)
        advisories.write({"last_matched_on": fields.Datetime.now()})
        for advisory in advisories:
            advisory._dm_post_note(
                rt.msg(
                    _lt(
                        "Matched against the fleet by %(user)s: %(count)s devices "
                        "affected (%(created)s new lines, %(reopened)s opened "
                        "again, %(gone)s no longer matching)."
                    ),
                    user=self.env.user.name,
                    count=advisory.vulnerability_open_count,
                    created=stats["created"],
                    reopened=stats["reopened"],
                    gone=stats["gone"],
                )
            )
        return stats

    def action_match_devices(self):
        """The RSSI's "Match devices" button."""
        if not self.env.su and not self.env.user.has_group(RSSI):
            raise AccessError(
                self.env._("Only the RSSI matches advisories against the fleet.")
            )
        self.check_access("write")
        self._dm_match()
        return True

    def action_view_vulnerabilities(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dm_cyber.dm_vulnerability_action"
        )
        action["domain"] = [("advisory_id", "=", self.id)]
        action["context"] = {"search_default_filter_open": 1}
        return action

    # ------------------------------------------------------------ campaign
    def action_create_campaign(self):
        """An update campaign of the devices the advisory still affects (open
        lines: not mitigated, not affected or fixed), one per company, in
        draft, with a planned line per device; opened for the RSSI."""
        self.ensure_one()
        user = self.env.user
        if not self.env.su and not any(user.has_group(g) for g in MANAGERS):
            raise AccessError(
                self.env._(
                    "Only the biomedical engineer and the RSSI create update campaigns."
                )
            )
        self.check_access("read")
        # As the user: only the lines (devices) of the user's companies.
        lines = self.env["dm.vulnerability"].search(
            [("advisory_id", "=", self.id), ("is_open", "=", True)]
        )
        if not lines:
            raise UserError(
                self.env._(
                    "Advisory %(advisory)s affects no device that is still open: "
                    "match it first, or every device is already dealt with.",
                    advisory=self.display_name,
                )
            )
        kinds = set(lines.mapped("match_kind"))
        kind = "os" if kinds == {"os"} else "firmware"
        remediation = "\n".join(sorted({r for r in lines.mapped("remediation") if r}))
        Campaign = self.env["dm.cyber.campaign"]
        campaigns = Campaign
        for company, company_lines in lines.grouped("company_id").items():
            campaign = Campaign.create(
                {
                    "name": self._dm_campaign_name(self.env.lang),
                    "kind": kind,
                    "company_id": company.id,
                    "description": rt_html(self.title, remediation),
                    "target_equipment_ids": [
                        fields.Command.set(company_lines.equipment_id.ids)
                    ],
                }
            )
            campaign.update_field_translations(
                "name",
                {code: self._dm_campaign_name(code) for code in self._dm_name_langs()},
            )
            campaign.action_generate_lines()
            campaigns |= campaign
        # sudo: the engineer reads advisories only; the note is the server's
        # record of the action the role check above let through.
        self.sudo()._dm_post_note(
            rt.msg(
                _lt("Update campaign created by %(user)s for %(count)s devices."),
                user=user.name,
                count=len(lines.equipment_id),
            )
        )
        action = {
            "type": "ir.actions.act_window",
            "res_model": "dm.cyber.campaign",
            "name": self.env._("Update campaigns"),
        }
        if len(campaigns) == 1:
            action.update(view_mode="form", res_id=campaigns.id)
        else:
            action.update(view_mode="list,form", domain=[("id", "in", campaigns.ids)])
        return action

    def _dm_campaign_name(self, lang, advisory_name=None):
        """The name of the advisory's update campaign in ``lang``
        (``advisory_name`` instead of the advisory's: the 19.0.2.6.0
        migration reads the template so)."""
        in_lang = self.with_context(lang=lang or "en_US")
        return in_lang.env._(
            "Update for %(advisory)s",
            advisory=advisory_name or in_lang.display_name,
        )

    def _dm_name_langs(self):
        return rt.english_first(
            code for code, _name in self.env["res.lang"].get_installed()
        )

    # ------------------------------------------------------------ demo
    @api.model
    def _dm_demo_match(self):
        """Demo data: match every advisory against the demo fleet, then record
        the mitigation of a patient monitor's vulnerabilities (isolated in
        its VLAN). Does nothing when the demo has no advisory or no monitor
        is hit (the advisories and SBOMs of the demo come from their own
        files)."""
        advisories = self.sudo().search([("product_ids", "!=", False)])
        if not advisories:
            return False
        advisories._dm_match()
        Line = self.env["dm.vulnerability"].sudo()
        category = self.env.ref(
            "medical_device.equipment_category_dm_monitoring_demo",
            raise_if_not_found=False,
        )
        domain = [("status", "=", "affected"), ("is_open", "=", True)]
        monitors = Line.search(
            [*domain, ("equipment_id.category_id", "=", category.id)]
            if category
            else [*domain, ("equipment_id.name", "ilike", "monitor")],
            limit=1,
        )
        lines = Line.search([*domain, ("equipment_id", "=", monitors.equipment_id.id)])
        if lines:
            # The note as the hospital's staff would write it: in the
            # company's language, not the data loader's.
            lang = lines.company_id[:1].partner_id.lang or self.env.lang or "en_US"
            lines.write(
                {
                    "status": "mitigated",
                    "status_note": self.with_context(lang=lang).env._(
                        "Isolated in the biomedical VLAN without Internet access "
                        "until the manufacturer's patch is installed."
                    ),
                }
            )
        return True


def rt_html(title, remediation):
    """The campaign's description: the advisory's title and remediation (the
    sources' own text)."""
    parts = [Markup("<p><b>%s</b></p>") % escape(title)] if title else []
    parts += [Markup("<p>%s</p>") % escape(line) for line in remediation.split("\n")]
    return Markup("").join(p for p in parts if p) or False
