"""19.0.2.0.0: the cyber matrix columns of the fleet import belong to dm_cyber.

medical_device no longer declares the 11 cyber targets of
``dm.import.mapping.line.target_field`` nor the 13 lines of the generic French
mapping that fill them: dm_cyber does. Before medical_device is updated (which
deletes the records it no longer declares), their XML ids move to dm_cyber
when it is installed: the records keep their ids and the edits an
administrator made (the lines are noupdate). Without dm_cyber no target can
read those lines: they go, and dm_cyber brings the preset ones back if it is
installed later.
"""

import logging

_logger = logging.getLogger(__name__)

CYBER_TARGETS = (
    "os_version",
    "antivirus",
    "internet_access",
    "domain_joined",
    "vendor_firewall",
    "usb_locked",
    "last_patch_date",
    "remote_maintenance_channel",
    "network_zone",
    "ip_address",
    "mac_address",
)
MAPPING_LINES = (
    "dm_import_mapping_generic_fr_systeme_d_exploitation",
    "dm_import_mapping_generic_fr_os",
    "dm_import_mapping_generic_fr_antivirus",
    "dm_import_mapping_generic_fr_acces_internet",
    "dm_import_mapping_generic_fr_domaine",
    "dm_import_mapping_generic_fr_pare_feu_fournisseur",
    "dm_import_mapping_generic_fr_ports_usb_verrouilles",
    "dm_import_mapping_generic_fr_dernier_patch",
    "dm_import_mapping_generic_fr_telemaintenance",
    "dm_import_mapping_generic_fr_vlan",
    "dm_import_mapping_generic_fr_zone_reseau",
    "dm_import_mapping_generic_fr_adresse_ip",
    "dm_import_mapping_generic_fr_adresse_mac",
)
SELECTIONS = tuple(
    f"selection__dm_import_mapping_line__target_field__{target}"
    for target in CYBER_TARGETS
)


def _move_xmlids(cr, names):
    cr.execute(
        """
        UPDATE ir_model_data data
           SET module = 'dm_cyber'
         WHERE data.module = 'medical_device'
           AND data.name IN %s
           AND NOT EXISTS (
                SELECT 1 FROM ir_model_data other
                 WHERE other.module = 'dm_cyber' AND other.name = data.name
           )
        """,
        [names],
    )
    return cr.rowcount


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        "SELECT 1 FROM ir_module_module WHERE name = 'dm_cyber' AND state IN %s",
        [("installed", "to upgrade", "to install")],
    )
    if cr.fetchone():
        moved = _move_xmlids(cr, MAPPING_LINES + SELECTIONS)
        _logger.info("fleet import: %s cyber XML ids moved to dm_cyber", moved)
        return
    cr.execute(
        "DELETE FROM dm_import_mapping_line WHERE target_field IN %s",
        [CYBER_TARGETS],
    )
    _logger.info("fleet import: %s cyber mapping lines removed", cr.rowcount)
    cr.execute(
        "DELETE FROM ir_model_data WHERE module = 'medical_device' AND name IN %s",
        [MAPPING_LINES],
    )
