"""19.0.2.0.0: the base disposal (``dm.disposal``) moves from dm_cyber to
medical_device; dm_cyber keeps the erasure part.

Run before medical_device's new code loads (and before dm_cyber's, which comes
later in the same ``-u``): the external ids of everything that changes module
are handed over to medical_device, so that the loader updates the existing
records instead of creating new ones, and the end of the update
(``ir.model.data._process_end``) finds nothing of dm_cyber to delete. The
disposal rows, their erasure media, approvals, attachments and chatter keep
their ids: no table, column or record is dropped.
"""

import logging

_logger = logging.getLogger(__name__)

# Records declared by medical_device from now on.
MOVED_XMLIDS = (
    "model_dm_disposal",
    "seq_dm_disposal",
    "dm_disposal_rule_company",
    "access_dm_disposal_auditor",
    "access_dm_disposal_technician",
    "access_dm_disposal_engineer",
    "dm_disposal_view_form",
    "dm_disposal_view_list",
    "dm_disposal_view_search",
    "dm_disposal_action",
    "dm_disposal_menu",
    "hr_equipment_view_form_disposal",
    "field_maintenance_equipment__disposal_ids",
    "field_maintenance_equipment__current_disposal_id",
    "field_maintenance_equipment__disposal_state",
)
# Fields of dm.disposal that stay dm_cyber's (the erasure part); every other
# field of the model (base, mail, approval mixin, magic fields) moves.
ERASURE_FIELDS = (
    "patient_data",
    "holds_data",
    "no_data_statement",
    "no_data_confirmed_by_id",
    "no_data_confirmed_on",
    "medium_ids",
    "medium_count",
    "media_sanitised_count",
    "erasure_summary",
    "verified_by_id",
    "verified_on",
    "signed_off_by_id",
    "signed_off_on",
    "can_verify",
    "can_sign_off",
    "certificate_issued_on",
)
# Steps of the erasure, added to the state by dm_cyber.
ERASURE_STATES = ("erasure", "verification", "sign_off")


def _move(cr, where, params, module="medical_device"):
    """Hand the dm_cyber external ids matching ``where`` to ``module`` (unless
    it already has one of that name)."""
    cr.execute(
        f"""
        UPDATE ir_model_data d
           SET module = %s
         WHERE d.module = 'dm_cyber'
           AND ({where})
           AND NOT EXISTS (
                SELECT 1 FROM ir_model_data m
                 WHERE m.module = %s AND m.name = d.name)
        RETURNING d.name
        """,
        [module, *params, module],
    )
    return [row[0] for row in cr.fetchall()]


def _fields_from_other_addons(cr):
    """{field name: addon} for the fields of dm.disposal that an addon outside
    medical_device's dependencies adds to its mixins (e.g. sms's
    message_has_sms_error on mail.thread). medical_device may load before that
    addon and dm_cyber no longer declares the model: their external ids go to
    the addon that adds them, which an update of ours does not clean up."""
    cr.execute(
        """
        WITH RECURSIVE deps(name) AS (
            SELECT 'medical_device'::varchar
            UNION
            SELECT dep.name
              FROM ir_module_module_dependency dep
              JOIN ir_module_module m ON m.id = dep.module_id
              JOIN deps ON deps.name = m.name
        )
        SELECT f.name, min(d.module)
          FROM ir_model_fields f
          JOIN ir_model_data d ON d.model = 'ir.model.fields' AND d.res_id = f.id
         WHERE f.model IN ('mail.thread', 'mail.activity.mixin', 'dm.approval.mixin')
         GROUP BY f.name
        HAVING bool_and(d.module NOT IN (SELECT name FROM deps))
        """
    )
    return dict(cr.fetchall())


def migrate(cr, version):
    if not version:
        return
    moved = _move(cr, "d.name IN %s", [MOVED_XMLIDS])
    other_addons = _fields_from_other_addons(cr)
    for field_name, module in other_addons.items():
        moved += _move(cr, "d.name = %s", [f"field_dm_disposal__{field_name}"], module)
    staying = [*ERASURE_FIELDS, *other_addons]
    moved += _move(
        cr,
        "d.name LIKE 'field\\_dm\\_disposal\\_\\_%%' AND d.name NOT IN %s",
        [tuple(f"field_dm_disposal__{name}" for name in staying)],
    )
    moved += _move(
        cr,
        "d.model = 'ir.model.fields.selection' "
        "AND d.name LIKE 'selection\\_\\_dm\\_disposal\\_\\_%%' "
        "AND d.name NOT IN %s",
        [tuple(f"selection__dm_disposal__state__{state}" for state in ERASURE_STATES)],
    )
    _logger.info(
        "dm.disposal moves to medical_device: %s external ids handed over", len(moved)
    )
    # The retention period is the base disposal's setting now.
    cr.execute(
        """
        UPDATE ir_config_parameter
           SET key = 'medical_device.disposal_retention_years'
         WHERE key = 'dm_cyber.disposal_retention_years'
           AND NOT EXISTS (SELECT 1 FROM ir_config_parameter
                            WHERE key = 'medical_device.disposal_retention_years')
        """
    )
