{
    "name": "Medical Devices - Cybersecurity",
    "summary": "Cyber matrix of connected medical devices, RSSI approvals, remote "
    "maintenance and data erasure at disposal",
    "version": "19.0.2.3.0",
    "category": "Supply Chain/Maintenance",
    "website": "https://github.com/dm-suite/medical-devices",
    "author": "DM suite contributors",
    "license": "AGPL-3",
    "depends": ["medical_device"],
    # Pinned in the repository's requirements.txt.
    "external_dependencies": {
        "python": ["cyclonedx-python-lib", "spdx-tools", "univers", "cvss"],
    },
    "data": [
        "security/ir.model.access.csv",
        "security/dm_cyber_security.xml",
        "data/dm_os_version_data.xml",
        "data/dm_cyber_risk_factor_data.xml",
        "data/dm_approval_rule_data.xml",
        "views/dm_cyber_menu_sections.xml",
        "views/maintenance_equipment_views.xml",
        "views/dm_it_handover_views.xml",
        "data/dm_cyber_data.xml",
        "data/dm_remote_data.xml",
        "data/dm_dashboard_indicator_data.xml",
        "data/dm_import_mapping_data.xml",
        "views/dm_os_version_views.xml",
        "views/dm_remote_views.xml",
        "views/dm_cyber_campaign_views.xml",
        "views/dm_disposal_views.xml",
        "report/dm_erasure_certificate_report.xml",
        "views/dm_continuity_plan_views.xml",
        "report/dm_continuity_sheet_report.xml",
        "views/res_config_settings_views.xml",
        "views/dm_cyber_menus.xml",
    ],
    "demo": [
        "demo/maintenance_equipment_demo.xml",
        "demo/dm_disposal_demo.xml",
        "demo/res_users_demo.xml",
        "demo/dm_continuity_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "dm_cyber/static/tests/tours/**/*",
        ],
    },
}
