"""Daily digests (issue 13): a device that holds an open cyber watch activity
was signalled already; remember its cyber state so that, once that activity is
marked done, it does not come back until the state changes."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    alert = env.ref("dm_cyber.mail_activity_type_dm_cyber_alert", False)
    if not alert:
        return
    cr.execute(
        "SELECT DISTINCT res_id FROM mail_activity "
        "WHERE res_model = 'maintenance.equipment' AND activity_type_id = %s",
        [alert.id],
    )
    devices = env["maintenance.equipment"].browse([row[0] for row in cr.fetchall()])
    env["dm.activity.digest"]._dm_remember(
        devices.exists(),
        "dm_cyber_signalled",
        lambda device: device._dm_cyber_signal_key(),
    )
