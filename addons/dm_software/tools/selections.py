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
