{
    "name": "Medical Devices - Software",
    "summary": "Software medical devices (SaMD/DMN): qualification, class, CE, "
    "versions, updates and quality control of AI results",
    "version": "19.0.2.2.0",
    "category": "Supply Chain/Maintenance",
    "website": "https://github.com/dm-suite/medical-devices",
    "author": "DM suite contributors",
    "license": "AGPL-3",
    "depends": ["medical_device"],
    "data": [
        "security/ir.model.access.csv",
        "security/dm_software_security.xml",
        "data/dm_software_data.xml",
        "data/dm_approval_rule_data.xml",
        "views/dm_software_views.xml",
        "views/dm_software_next_step_views.xml",
        "views/dm_software_version_views.xml",
        "views/dm_software_install_views.xml",
        "views/dm_software_site_views.xml",
        "views/dm_software_qualification_views.xml",
        "views/dm_software_qc_plan_views.xml",
        "views/dm_software_qc_record_views.xml",
        "views/maintenance_equipment_views.xml",
        "wizards/dm_software_qualification_wizard_views.xml",
        "wizards/dm_software_install_wizard_views.xml",
        "views/dm_software_menus.xml",
        "views/dm_approval_box_views.xml",
    ],
    "demo": [
        "demo/dm_software_demo.xml",
        "demo/dm_vigilance_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "dm_software/static/tests/tours/**/*",
        ],
    },
}
