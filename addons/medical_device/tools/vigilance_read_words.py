"""Words of the safety notice files: CSV headers and cell values, English and
French, as ``normalize_header`` writes them (lower case, no accents, one space
between words). Used by ``vigilance_read``.
"""

# {normalised header: notice key}. The technical key itself is accepted too
# (``date_received`` normalises to ``date received``).
HEADERS = {
    # reference
    "reference": "name",
    "ref": "name",
    "name": "name",
    "notice reference": "name",
    "reference de l avis": "name",
    "numero": "name",
    "n": "name",
    "no": "name",
    # source
    "source": "source",
    "origine": "source",
    "type de notice": "source",
    "type d avis": "source",
    # date received
    "date received": "date_received",
    "received": "date_received",
    "received on": "date_received",
    "date de reception": "date_received",
    "recu le": "date_received",
    "date recue": "date_received",
    # manufacturer
    "manufacturer": "manufacturer",
    "fabricant": "manufacturer",
    # title
    "title": "title",
    "subject": "title",
    "titre": "title",
    "objet": "title",
    # description
    "description": "description",
    "details": "description",
    "detail": "description",
    # severity
    "severity": "severity",
    "gravite": "severity",
    "criticite": "severity",
    "niveau de gravite": "severity",
    # required action
    "required action": "required_action",
    "action": "required_action",
    "action requise": "required_action",
    "action demandee": "required_action",
    "action attendue": "required_action",
    # deadline
    "deadline": "deadline",
    "due date": "deadline",
    "remediate by": "deadline",
    "date limite": "deadline",
    "echeance": "deadline",
    # affected scope
    "udi di list": "udi_di_list",
    "udi di": "udi_di_list",
    "udi dis": "udi_di_list",
    "udi": "udi_di_list",
    "model list": "model_list",
    "model": "model_list",
    "models": "model_list",
    "modele": "model_list",
    "modeles": "model_list",
    "modeles concernes": "model_list",
    "lot ranges": "lot_ranges",
    "lots": "lot_ranges",
    "lot": "lot_ranges",
    "lot numbers": "lot_ranges",
    "numeros de lot": "lot_ranges",
    "n lot": "lot_ranges",
    "lots concernes": "lot_ranges",
    "serial ranges": "serial_ranges",
    "serial numbers": "serial_ranges",
    "serials": "serial_ranges",
    "serial": "serial_ranges",
    "numeros de serie": "serial_ranges",
    "n serie": "serial_ranges",
    "series concernees": "serial_ranges",
    "software versions": "software_versions",
    "software version": "software_versions",
    "firmware versions": "software_versions",
    "versions logicielles": "software_versions",
    "version logicielle": "software_versions",
    "versions du logiciel": "software_versions",
    "manufacture date from": "manufacture_date_from",
    "manufactured from": "manufacture_date_from",
    "fabrique du": "manufacture_date_from",
    "fabrique a partir du": "manufacture_date_from",
    "date de fabrication du": "manufacture_date_from",
    "fabrication du": "manufacture_date_from",
    "manufacture date to": "manufacture_date_to",
    "manufactured to": "manufacture_date_to",
    "manufactured until": "manufacture_date_to",
    "fabrique au": "manufacture_date_to",
    "fabrique jusqu au": "manufacture_date_to",
    "date de fabrication au": "manufacture_date_to",
    "fabrication au": "manufacture_date_to",
}

# ((technical value, (normalised words…)), …): a cell names a value by its
# technical name (``software_update``/``software update``) or one of its words.
SOURCE_WORDS = (
    (
        "manufacturer_fsn",
        (
            "fsn",
            "fsca",
            "manufacturer",
            "field safety notice",
            "fabricant",
            "avis de securite",
            "avis de securite fabricant",
        ),
    ),
    ("ansm", ("information de securite ansm", "ansm safety information")),
    ("internal", ("interne", "etablissement", "hopital")),
    ("other", ("autre", "autres", "fda", "openfda")),
)

SEVERITY_WORDS = (
    ("low", ("faible", "basse", "minor", "mineure")),
    ("medium", ("moderate", "moyenne", "moderee", "moyen")),
    ("high", ("major", "serious", "elevee", "haute", "grave", "majeure")),
    ("critical", ("critique",)),
)

ACTION_WORDS = (
    (
        "inspect",
        ("inspection", "inspecter", "controle", "controler", "verification", "check"),
    ),
    (
        "software_update",
        (
            "software upgrade",
            "firmware update",
            "mise a jour logicielle",
            "mise a jour du logiciel",
            "mise a jour",
            "maj logicielle",
        ),
    ),
    (
        "replace_part",
        (
            "part replacement",
            "replacement",
            "remplacement",
            "remplacement de piece",
            "remplacement d une piece",
            "remplacer",
        ),
    ),
    ("quarantine", ("quarantaine", "mise en quarantaine", "isolement")),
    ("return", ("retour", "retour fabricant", "renvoi")),
    ("information", ("info", "pour information", "informative")),
)
