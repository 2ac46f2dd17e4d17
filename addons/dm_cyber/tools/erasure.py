"""Data erasure at disposal: which NIST SP 800-88 sanitisation fits which medium.

Pure functions, no Odoo: the model translates the problem codes they return.

Levels (NIST SP 800-88): ``clear`` (logical overwrite, recovery by simple
tools infeasible), ``purge`` (recovery infeasible even in a laboratory:
sanitize / secure erase command, block erase, cryptographic erase, degauss),
``destroy`` (the medium can no longer store data: shred, disintegrate,
incinerate).

The device leaves the hospital's control at disposal, with personal health
data on it: flash media (SSD, removable cards, a workstation whose drive may be
an SSD) are never cleared alone, because an overwrite does not reach their
spare and remapped blocks.
"""

MEDIA_TYPES = (
    "internal_disk",
    "ssd",
    "removable_card",
    "internal_memory",
    "workstation",
)
LEVELS = ("clear", "purge", "destroy")
METHODS = (
    "factory_reset",
    "overwrite",
    "secure_erase",
    "block_erase",
    "crypto_erase",
    "degauss",
    "shred",
    "disintegrate",
    "incinerate",
)
VERIFICATIONS = ("full", "sampling", "tool_report", "visual", "supplier_certificate")
RESULTS = ("success", "failure")

# Levels allowed per medium (in the order of LEVELS).
_LEVELS_BY_MEDIA = {
    # Magnetic hard disk: every level works.
    "internal_disk": ("clear", "purge", "destroy"),
    # Solid-state drive: purge or destroy, never clear alone.
    "ssd": ("purge", "destroy"),
    # SD / CF cards and USB keys: no purge command exists for them (NIST SP
    # 800-88 Rev. 1, table A-8) and an overwrite misses their spare blocks.
    "removable_card": ("destroy",),
    # Embedded memory of the device: the manufacturer's sanitize procedure
    # (purge); a factory reset (clear) only when nothing better exists.
    "internal_memory": ("clear", "purge", "destroy"),
    # A workstation linked to the device: its drive may be an SSD.
    "workstation": ("purge", "destroy"),
}
# The level proposed: the data leaves the hospital, so purge wherever a purge
# method exists, destroy otherwise.
_DEFAULT_LEVEL = {
    "internal_disk": "purge",
    "ssd": "purge",
    "removable_card": "destroy",
    "internal_memory": "purge",
    "workstation": "purge",
}
# Methods per level, the preferred first.
_METHODS_BY_LEVEL = {
    "clear": ("factory_reset", "overwrite"),
    "purge": ("secure_erase", "block_erase", "crypto_erase", "degauss"),
    "destroy": ("shred", "disintegrate", "incinerate"),
}
# Methods that only work on some media (the others work on every medium).
_METHOD_MEDIA = {
    "factory_reset": {"internal_memory"},
    "overwrite": {"internal_disk", "internal_memory"},
    "secure_erase": {"internal_disk", "ssd", "workstation"},
    "block_erase": {"ssd", "internal_memory", "workstation"},
    "crypto_erase": {"internal_disk", "ssd", "internal_memory", "workstation"},
    # Degaussing erases magnetic media only (and destroys the drive).
    "degauss": {"internal_disk"},
}
# A destroyed medium is checked by looking at it; an erased one by reading it.
_VERIFICATIONS_BY_LEVEL = {
    "clear": ("full", "sampling", "tool_report", "supplier_certificate"),
    "purge": ("full", "sampling", "tool_report", "supplier_certificate"),
    "destroy": ("visual", "supplier_certificate"),
}


def allowed_levels(media_type):
    """Sanitisation levels allowed for a media type (empty if unknown)."""
    return _LEVELS_BY_MEDIA.get(media_type, ())


def default_level(media_type):
    """The level proposed for a media type, or None if the type is unknown."""
    return _DEFAULT_LEVEL.get(media_type)


def allowed_methods(media_type, level):
    """Sanitisation methods that reach ``level`` on ``media_type``."""
    if level not in allowed_levels(media_type):
        return ()
    return tuple(
        method
        for method in _METHODS_BY_LEVEL[level]
        if media_type in _METHOD_MEDIA.get(method, {media_type})
    )


def default_method(media_type, level):
    methods = allowed_methods(media_type, level)
    return methods[0] if methods else None


def allowed_verifications(level):
    return _VERIFICATIONS_BY_LEVEL.get(level, ())


def plan_problems(media_type, level, method):
    """Problems of one line of the erasure plan, as ``(code, params)`` tuples:
    ``unknown_media``, ``level_not_allowed`` (params ``allowed``: the allowed
    levels), ``method_not_allowed`` (params ``allowed``: the allowed methods)."""
    if media_type not in _LEVELS_BY_MEDIA:
        return [("unknown_media", {})]
    problems = []
    if level and level not in allowed_levels(media_type):
        problems.append(("level_not_allowed", {"allowed": allowed_levels(media_type)}))
    elif level and method and method not in allowed_methods(media_type, level):
        problems.append(
            ("method_not_allowed", {"allowed": allowed_methods(media_type, level)})
        )
    return problems


def execution_problems(
    level,
    method,
    executed_on,
    result,
    verification_method,
    sanitiser_name,
    performer_type,
    has_supplier_certificate,
):
    """What is missing or wrong to record a medium as executed, as ``(code,
    params)`` tuples; an empty list means it can be recorded."""
    problems = []
    if not level:
        problems.append(("no_level", {}))
    if not method:
        problems.append(("no_method", {}))
    if not executed_on:
        problems.append(("no_date", {}))
    if result not in RESULTS:
        problems.append(("no_result", {}))
    if not (sanitiser_name or "").strip():
        problems.append(("no_performer", {}))
    if not verification_method:
        problems.append(("no_verification", {}))
    elif level and verification_method not in allowed_verifications(level):
        problems.append(
            (
                "verification_not_allowed",
                {"allowed": allowed_verifications(level)},
            )
        )
    if verification_method == "supplier_certificate" and not (
        performer_type == "supplier" and has_supplier_certificate
    ):
        problems.append(("certificate_missing", {}))
    return problems
