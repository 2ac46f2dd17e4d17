"""Issue 13 (kanban): the cyber risk gained a "Not assessed" level for
connected devices whose matrix is unanswered (no antivirus answer, "None"
being one). The stored level of existing devices was computed before:
recompute it (and the score) for every connected device, archived included,
without a chatter message per device."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["maintenance.equipment"]._recompute_stored(
        ["cyber_risk_score", "cyber_risk_level"], [("is_connected", "=", True)]
    )
    env.flush_all()
