"""19.0.2.3.0: a reception's user training comes from the register of trained
users (a training session of the device's model), no longer from a checkbox.

Decided receptions (accepted or rejected) keep what they recorded: their
``check_training_done`` stays as it was ticked, their state and history are
untouched, none is reopened. Reception reports still to decide read the
register instead: their training is set from the sessions (none right after
the upgrade, so it is unset until a session of the device's model is
recorded), and a note says so on those whose box was ticked."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    drafts = env["dm.reception"].search([("state", "=", "draft")])
    ticked = drafts.filtered("check_training_done")
    drafts._dm_refresh_training()
    for reception in ticked.filtered(lambda r: not r.check_training_done):
        reception._dm_post_note(reception._dm_training_migration_note())
    _logger.info(
        "Reception training from the register: %s report(s) to decide read it, "
        "%s lost a ticked box",
        len(drafts),
        len(ticked.filtered(lambda r: not r.check_training_done)),
    )
