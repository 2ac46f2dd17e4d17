"""Quality control against tolerances (issue 14): the ANSM decision on digital
mammography asks for a declaration of a serious non-compliance, so its
mandatory controls tell the pharmacist. The requirements are data not
updated on upgrade (an engineer may have edited them): set the new flag on
the shipped mammography records only."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE dm_plan_requirement AS r
           SET notify_pharmacist = TRUE
          FROM ir_model_data AS d
         WHERE d.model = 'dm.plan.requirement'
           AND d.module = 'medical_device'
           AND d.name IN ('dm_plan_requirement_mammography_internal',
                          'dm_plan_requirement_mammography_external')
           AND d.res_id = r.id
        """
    )
