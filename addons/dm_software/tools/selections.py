"""Selection lists of the software register (pure data, labels translated by
the fields that use them)."""

HOSTING = [
    ("on_premises", "On premises (hospital servers)"),
    ("hospital_cloud", "Hospital cloud"),
    ("supplier_cloud", "Supplier server or cloud"),
    ("workstation", "Workstation"),
]
QUALIFICATION_STATES = [
    ("to_qualify", "To qualify"),
    ("to_confirm", "To confirm"),
    ("qualified", "Qualified"),
]
LIFECYCLE_STATES = [
    ("request", "Request"),
    ("reception", "Reception"),
    ("in_use", "In use"),
    ("suspended", "Suspended"),
    ("withdrawn", "Withdrawn"),
]
VERSION_STATES = [
    ("proposed", "Proposed"),
    ("validated", "Validated"),
    ("installed", "Installed"),
    ("withdrawn", "Withdrawn"),
    ("rolled_back", "Rolled back"),
]
