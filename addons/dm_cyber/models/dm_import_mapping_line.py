from odoo import fields, models

from ..tools import fleet_import_cyber

# The cyber matrix targets of an import column (keys of fleet_import_cyber.TARGETS).
TARGET_SELECTION = [
    ("os_version", "Operating system (cyber, by name)"),
    ("antivirus", "Antivirus (cyber)"),
    ("internet_access", "Internet access (cyber)"),
    ("domain_joined", "Joined to the hospital domain (cyber)"),
    ("vendor_firewall", "Protected by a supplier firewall (cyber)"),
    ("usb_locked", "USB ports locked (cyber)"),
    ("last_patch_date", "Last patch (cyber)"),
    ("remote_maintenance_channel", "Remote maintenance channel (cyber)"),
    ("network_zone", "Network zone / VLAN (cyber)"),
    ("ip_address", "IP address (cyber)"),
    ("mac_address", "MAC address (cyber)"),
]
assert {key for key, _label in TARGET_SELECTION} == set(
    fleet_import_cyber.TARGETS.kinds
)


class DmImportMappingLine(models.Model):
    _inherit = "dm.import.mapping.line"

    target_field = fields.Selection(
        selection_add=TARGET_SELECTION,
        # Uninstalling dm_cyber removes the columns it knew.
        ondelete=dict.fromkeys(fleet_import_cyber.TARGETS.kinds, "cascade"),
    )
