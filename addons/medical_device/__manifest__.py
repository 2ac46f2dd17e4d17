{
    "name": "Medical Devices",
    "summary": "Regulatory identity, lifecycle kanban and PIEU criticality of "
    "medical devices in Maintenance",
    "version": "19.0.1.0.0",
    "category": "Supply Chain/Maintenance",
    "website": "https://github.com/dm-suite/medical-devices",
    "author": "DM suite contributors",
    "license": "AGPL-3",
    "depends": ["maintenance", "mail", "web"],
    "data": [
        "security/medical_device_security.xml",
        "security/ir.model.access.csv",
        "data/dm_pieu_level_data.xml",
        "data/dm_ce_transition_rule_data.xml",
        "data/ir_sequence_data.xml",
        "report/dm_reception_report.xml",
        "report/dm_criticality_report_views.xml",
        "views/maintenance_equipment_views.xml",
        "views/dm_reception_views.xml",
        "views/dm_pieu_level_views.xml",
        "views/maintenance_request_views.xml",
        "views/res_config_settings_views.xml",
        "views/medical_device_menus.xml",
    ],
    "demo": [],
    "assets": {
        "web.assets_tests": [
            "medical_device/static/tests/tours/**/*",
        ],
    },
    "post_init_hook": "post_init_hook",
}
