"""19.0.2.0.0: dm.disposal is medical_device's model, extended here with the
erasure. medical_device's pre-migration handed over the external ids; once
dm_cyber's part is loaded again, check that every disposal is still at a step
the model knows (the erasure steps are dm_cyber's selection values) and that
the model now belongs to medical_device."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    Disposal = env["dm.disposal"].with_context(active_test=False)
    known = [value for value, _label in Disposal._fields["state"].selection]
    cr.execute(
        "SELECT id, state FROM dm_disposal WHERE state NOT IN %s", [tuple(known)]
    )
    unknown = cr.fetchall()
    if unknown:
        raise RuntimeError(
            f"dm.disposal rows at an unknown step after the move: {unknown}"
        )
    if not env.ref("medical_device.model_dm_disposal", raise_if_not_found=False):
        raise RuntimeError("dm.disposal is not owned by medical_device after the move")
    _logger.info(
        "dm.disposal now owned by medical_device: %s disposals, %s erasure media kept",
        Disposal.search_count([]),
        env["dm.erasure.medium"].search_count([]),
    )
