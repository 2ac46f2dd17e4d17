"""A campaign's name is now translatable; the ORM moved each name to its
English value. A campaign named by the suite from an advisory ("Update for
ICSMA-…", in its creator's language) gets that name in every installed
language, so each reader reads it in theirs; names users typed stay as they
are."""

import re

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    Advisory = env["dm.advisory"].with_context(active_test=False)
    langs = Advisory._dm_name_langs()
    marker = "\x00"
    patterns = []
    for code in langs:
        template = Advisory.browse()._dm_campaign_name(code, marker)
        before, after = template.split(marker)
        patterns.append(re.compile(f"^{re.escape(before)}(.+){re.escape(after)}$"))
    campaigns = env["dm.cyber.campaign"].with_context(active_test=False, lang="en_US")
    for campaign in campaigns.search([]):
        for pattern in patterns:
            found = pattern.match(campaign.name or "")
            if not found:
                continue
            advisory = Advisory.search([("name", "=", found.group(1))], limit=1)
            if advisory:
                campaign.update_field_translations(
                    "name", {code: advisory._dm_campaign_name(code) for code in langs}
                )
            break
