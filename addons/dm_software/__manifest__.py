{
    "name": "Medical Devices - Software",
    "summary": "Software medical devices (SaMD/DMN): qualification, class, CE, "
    "versions, updates and quality control of AI results",
    "version": "19.0.0.1.0",
    "category": "Supply Chain/Maintenance",
    "website": "https://github.com/dm-suite/medical-devices",
    "author": "DM suite contributors",
    "license": "AGPL-3",
    "depends": ["medical_device"],
}
