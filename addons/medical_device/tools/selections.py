"""Selection lists of the regulatory identity and of the device lifecycle.

Pure data shared by the models of the three addons (devices, software, CE
transition rules, reports): the labels are translated by the fields that use
them.
"""

RISK_CLASSES = [
    ("i", "Class I"),
    ("is", "Class Is (sterile)"),
    ("im", "Class Im (measuring)"),
    ("ir", "Class Ir (reusable surgical)"),
    ("iia", "Class IIa"),
    ("iib", "Class IIb"),
    ("iii", "Class III"),
    ("ivd_a", "IVD class A"),
    ("ivd_b", "IVD class B"),
    ("ivd_c", "IVD class C"),
    ("ivd_d", "IVD class D"),
]
CE_REGIMES = [
    ("mdr", "MDR (EU 2017/745)"),
    ("ivdr", "IVDR (EU 2017/746)"),
    ("mdd", "MDD (93/42/EEC, legacy)"),
    ("aimdd", "AIMDD (90/385/EEC, legacy)"),
    ("ivdd", "IVDD (98/79/EC, legacy)"),
]
LIFECYCLE_STATES = [
    ("acquisition", "Acquisition"),
    ("reception", "Reception"),
    ("in_service", "In service"),
    ("disposal", "Disposal"),
    ("disposed", "Disposed"),
]
