"""19.0.2.0.0: dm.disposal is medical_device's model now. The pre-migration
handed its external ids over; the update loaded medical_device's disposal
views, menu, sequence, access rights and record rule on those same records.
Report what was kept, for the upgrade log."""

import logging

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    cr.execute("SELECT to_regclass('dm_disposal')")
    if not cr.fetchone()[0]:
        return
    cr.execute(
        "SELECT count(*) FROM ir_model_data WHERE module = 'medical_device' "
        "AND (name LIKE 'field\\_dm\\_disposal\\_\\_%%' OR model IN "
        "('ir.ui.view', 'ir.actions.act_window', 'ir.ui.menu', 'ir.sequence', "
        "'ir.model.access', 'ir.rule') AND name LIKE '%%disposal%%')"
    )
    owned = cr.fetchone()[0]
    cr.execute("SELECT count(*) FROM dm_disposal")
    _logger.info(
        "medical_device owns dm.disposal: %s disposals kept, %s records of the "
        "model's definition",
        cr.fetchone()[0],
        owned,
    )
