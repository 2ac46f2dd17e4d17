"""Daily digests (issue 13): a device that holds an open CE deadline activity
was signalled already; remember its deadline so that, once that activity is
marked done, it does not come back until the deadline changes."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE maintenance_equipment AS e
           SET dm_ce_signalled = e.ce_next_deadline::text
          FROM mail_activity AS a
          JOIN ir_model_data AS d
            ON d.model = 'mail.activity.type' AND d.res_id = a.activity_type_id
         WHERE d.module = 'medical_device'
           AND d.name = 'mail_activity_type_dm_ce_deadline'
           AND a.res_model = 'maintenance.equipment'
           AND a.res_id = e.id
           AND e.ce_next_deadline IS NOT NULL
        """
    )
