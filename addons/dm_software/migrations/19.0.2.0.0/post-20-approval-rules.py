# Approval rules became records (data/dm_approval_rule_data.xml, loaded by the
# upgrade): link the existing approval lines to them.
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["dm.approval.rule"]._dm_migrate_link_lines(
        {
            ("dm.software", "dpo_data_contract"): [
                "patient_data",
                "hosting",
                "dpa_reference",
                "hds_certified",
                "data_retention",
            ],
            ("dm.software", "rssi_network"): [
                "is_networked",
                "hosting",
                "supplier_security_answers",
            ],
        }
    )
