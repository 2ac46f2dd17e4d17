"""The cyber matrix records how the device is patched (``patch_installer``,
``patch_remote``, ``third_party_patches_allowed``, ``vendor_notifies_updates``,
from the MDS2 or by hand). The RSSI's network-connection approval shows the
matrix in its summary: the shipped rule is ``noupdate``, so its summary gets
the new answers here, next to what an administrator may have changed."""

from odoo import SUPERUSER_ID, api

NEW_FIELDS = (
    "patch_installer",
    "patch_remote",
    "third_party_patches_allowed",
    "vendor_notifies_updates",
)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    rule = env.ref(
        "dm_cyber.dm_approval_rule_rssi_network_connection", raise_if_not_found=False
    )
    if not rule:
        return
    fields = env["ir.model.fields"].search(
        [("model", "=", "maintenance.equipment"), ("name", "in", NEW_FIELDS)]
    )
    rule.write({"summary_field_ids": [(4, field.id) for field in fields]})
