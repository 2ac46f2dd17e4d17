# Approval rules became records (data/dm_approval_rule_data.xml, loaded by the
# upgrade): link the existing approval lines to them.
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["dm.approval.rule"]._dm_migrate_link_lines(
        {
            ("maintenance.equipment", "rssi_network_connection"): [],
            ("dm.disposal", "disposal_erasure_verification"): [
                "holds_data",
                "medium_ids",
            ],
            ("dm.disposal", "disposal_erasure_sign_off"): ["holds_data", "medium_ids"],
        }
    )
