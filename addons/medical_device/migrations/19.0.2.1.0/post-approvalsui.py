"""19.0.2.1.0: give the raw values (``data_values``) to the approval lines
whose document still holds the data they were requested for (same
fingerprint): they then read in each reader's language. The others keep the
text written at request time (``data_summary_legacy``). Written in SQL:
decided lines are closed to the ORM's writes."""

import json
import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute(
        """SELECT id, res_model, res_id, rule_key, data_fingerprint FROM dm_approval
            WHERE data_values IS NULL AND state != 'rejected'"""
    )
    filled = 0
    for line_id, res_model, res_id, rule_key, fingerprint in cr.fetchall():
        if res_model not in env:
            continue
        record = env[res_model].browse(res_id).exists()
        rule = record._dm_rule(rule_key) if record else None
        # The rules of an addon not loaded yet name fields unknown here.
        if not rule or not set(rule["fields"] + rule["summary_fields"]).issubset(
            record._fields
        ):
            continue
        if record._dm_fingerprint(rule) != fingerprint:
            continue
        cr.execute(
            "UPDATE dm_approval SET data_values = %s::jsonb WHERE id = %s",
            [json.dumps(record._dm_data_values(rule)), line_id],
        )
        filled += 1
    env["dm.approval"].invalidate_model(["data_values"])
    _logger.info("approval lines given their raw values: %s", filled)
