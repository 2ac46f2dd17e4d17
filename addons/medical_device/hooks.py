def post_init_hook(env):
    """Equipment that existed before the addon is already in use: put it in service.

    Only non-medical equipment is moved; medical devices keep their gated lifecycle.
    """
    env.cr.execute(
        """
        UPDATE maintenance_equipment
           SET lifecycle_state = 'in_service'
         WHERE lifecycle_state = 'acquisition'
           AND NOT coalesce(is_medical_device, false)
        """
    )
