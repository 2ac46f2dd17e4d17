{
    "name": "Medical Devices - Cybersecurity and Software",
    "summary": "SBOMs of software versions: the components of the versions "
    "installed on a device count among the device's",
    "version": "19.0.2.4.0",
    "category": "Supply Chain/Maintenance",
    "website": "https://github.com/dm-suite/medical-devices",
    "author": "DM suite contributors",
    "license": "AGPL-3",
    "depends": ["dm_cyber", "dm_software"],
    "auto_install": True,
    "data": [
        "views/dm_sbom_views.xml",
        "views/dm_software_version_views.xml",
    ],
}
