"""The words of the fleet exports of hospital CMMS (mostly French, without
accents, lower case: as ``fleet_import_read.normalize_header`` gives them),
and what each means. Pure data, read by ``fleet_import_values``.
"""

# Yes / no cells.
TRUE_WORDS = {"oui", "o", "yes", "y", "1", "x", "vrai", "true", "ok"}
FALSE_WORDS = {"non", "n", "no", "0", "faux", "false", "aucun", "aucune"}

# Risk classes: MDR classes, IVD words and the words around a class.
MDR_CLASSES = {
    "i": "i",
    "1": "i",
    "is": "is",
    "1s": "is",
    "isterile": "is",
    "im": "im",
    "1m": "im",
    "imesure": "im",
    "ir": "ir",
    "1r": "ir",
    "ireutilisable": "ir",
    "iia": "iia",
    "2a": "iia",
    "iib": "iib",
    "2b": "iib",
    "iii": "iii",
    "3": "iii",
}
IVD_WORDS = {"ivd", "ivdr", "dmdiv", "div", "diag", "diagnostic", "in", "vitro"}
CLASS_NOISE = {
    "classe",
    "class",
    "cl",
    "dm",
    "mdr",
    "de",
    "risque",
    "du",
    "dispositif",
}

# CMMS statuses -> lifecycle states.
LIFECYCLE_WORDS = (
    # most specific first: "en cours de réforme" before "réformé"
    (
        "disposal",
        ("en cours de reforme", "a reformer", "reforme en cours", "reforme demandee"),
    ),
    (
        "disposed",
        (
            "reforme",
            "reformee",
            "reformes",
            "hors service definitif",
            "rebut",
            "cede",
            "detruit",
            "disposed",
        ),
    ),
    (
        "reception",
        ("en reception", "reception", "livre", "en test", "en recette"),
    ),
    (
        "acquisition",
        ("en commande", "commande", "acquisition", "en projet", "en achat"),
    ),
    (
        "in_service",
        (
            "en service",
            "service",
            "actif",
            "en fonctionnement",
            "en exploitation",
            "en pret",
            "in service",
            "en panne",
            "en maintenance",
        ),
    ),
)

# Acquisition modes.
ACQUISITION_MODE_WORDS = (
    ("purchase", ("achat", "achete", "acquisition", "purchase", "marche")),
    ("rental", ("location", "loue", "credit bail", "leasing", "rental")),
    ("loan", ("pret", "mise a disposition", "mad", "depot", "loan")),
    ("donation", ("don", "donation", "legs")),
)
