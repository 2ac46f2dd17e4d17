"""Selection lists of the disposal (dm.disposal)."""

# The base steps; dm_cyber inserts its erasure steps (erasure, verification,
# sign_off) before "ready", keeping these technical values.
DISPOSAL_STATES = [
    ("draft", "Draft"),
    ("ready", "Ready to dispose"),
    ("done", "Disposed"),
    ("cancelled", "Cancelled"),
]
CLOSED_STATES = ("done", "cancelled")
DISPOSAL_REASONS = [
    ("obsolete", "Obsolete"),
    ("beyond_repair", "Beyond repair"),
    ("replaced", "Replaced"),
    ("recalled", "Recalled by the manufacturer"),
    ("loan_end", "End of loan"),
]
DESTINATIONS = [
    ("supplier_return", "Return to the supplier"),
    ("recycler", "WEEE recycler (DEEE)"),
    ("donation", "Donation"),
    ("destruction", "Destruction"),
]
# The destinations whose recipient is named with the request: the supplier, the
# recycler, the beneficiary of the donation (a destruction may be the
# hospital's own).
RECIPIENT_DESTINATIONS = ("supplier_return", "recycler", "donation")
