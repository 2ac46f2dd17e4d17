"""The cyber matrix columns of a fleet import: dm_cyber's import targets.

Pure (no env). ``dm.fleet.import._dm_import_targets()`` adds :data:`TARGETS`
to the base addon's; the templates of their errors are written here, in
English, marked for translation in this addon.
"""

import ipaddress
import re

from odoo.addons.medical_device.tools.fleet_import import (
    ParseError,
    Targets,
    cell_text,
    parse_choice,
)
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

_ANTIVIRUS = (
    ("none", ("aucun", "non", "sans", "none", "no")),
    ("vendor", ("fournisseur", "constructeur", "fabricant", "vendor", "editeur")),
    # A plain "yes": the hospital's IT runs the antivirus (documented choice).
    ("hospital", ("hopital", "etablissement", "dsi", "chu", "oui", "yes", "hospital")),
)
_REMOTE_CHANNELS = (
    ("uncontrolled", ("non maitrise", "non maitrisee", "libre", "uncontrolled")),
    ("supplier_vpn", ("vpn", "vpn fournisseur", "supplier vpn")),
    ("hospital_bastion", ("bastion", "bastion hopital", "hospital bastion")),
    ("none", ("aucune", "aucun", "non", "none", "no")),
)
_MAC_RE = re.compile(r"^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$")


def parse_antivirus(value):
    return parse_choice(value, _ANTIVIRUS, "unknown_antivirus")


def parse_remote_channel(value):
    return parse_choice(value, _REMOTE_CHANNELS, "unknown_remote_channel")


def parse_ip(value):
    text = cell_text(value)
    try:
        ipaddress.ip_address(text)
    except ValueError as error:
        raise ParseError("bad_ip", {"value": text}) from error
    return text


def parse_mac(value):
    text = cell_text(value)
    if not _MAC_RE.match(text):
        raise ParseError("bad_mac", {"value": text})
    return text.upper()


TARGETS = Targets.of(
    "dm_cyber",
    kinds={
        "os_version": "name",
        "antivirus": parse_antivirus,
        "internet_access": "bool",
        "domain_joined": "bool",
        "vendor_firewall": "bool",
        "usb_locked": "bool",
        "last_patch_date": "date",
        "remote_maintenance_channel": parse_remote_channel,
        "network_zone": "char",
        "ip_address": parse_ip,
        "mac_address": parse_mac,
    },
    fields={"os_version": "os_version_id"},
    messages={
        "unknown_antivirus": _lt(
            "Unknown antivirus answer %(value)s (expected Hôpital, Fournisseur or "
            "Aucun)."
        ),
        "unknown_remote_channel": _lt(
            "Unknown remote maintenance channel %(value)s (expected Aucune, VPN "
            "fournisseur, Bastion or Non maîtrisé)."
        ),
        "bad_ip": _lt("%(value)s is not an IPv4 or IPv6 address."),
        "bad_mac": _lt("%(value)s is not a MAC address (e.g. 00:1A:2B:3C:4D:5E)."),
    },
)
