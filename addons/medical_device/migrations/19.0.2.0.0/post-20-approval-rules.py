# Approval rules became records (data/dm_approval_rule_data.xml, loaded by the
# upgrade): link the existing approval lines to them.
from odoo import SUPERUSER_ID, api

RECEPTION_FIELDS = [
    "check_risk_class",
    "check_ce_marking",
    "check_delivery",
    "check_accessories",
    "check_documentation",
    "check_warranty",
    "check_electrical_safety",
    "check_training_done",
    "pieu_p_id",
    "pieu_i_id",
    "pieu_e_id",
    "pieu_u_id",
    "warranty_end_date",
]


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["dm.approval.rule"]._dm_migrate_link_lines(
        {
            ("maintenance.equipment", "dpo_data_contract"): [
                "patient_data",
                "data_hosting",
                "dpa_reference",
                "hds_certified",
                "data_retention",
            ],
            ("maintenance.equipment", "rssi_cyber_answers"): [
                "is_connected",
                "acq_cyber_questionnaire",
                "supplier_cyber_answers",
            ],
            ("dm.reception", "reception_acceptance"): RECEPTION_FIELDS,
        }
    )
