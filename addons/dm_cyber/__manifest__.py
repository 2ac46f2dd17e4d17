{
    "name": "Medical Devices - Cybersecurity",
    "summary": "Cyber matrix of connected medical devices, RSSI approvals, remote "
    "maintenance and data erasure at disposal",
    "version": "19.0.0.1.0",
    "category": "Supply Chain/Maintenance",
    "website": "https://github.com/dm-suite/medical-devices",
    "author": "DM suite contributors",
    "license": "AGPL-3",
    "depends": ["medical_device"],
}
