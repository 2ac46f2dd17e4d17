"""Translated messages of ``udi.UdiError``; ``env`` is given.

Each text is a literal inside an ``env._()`` call so that Odoo's translation
extractor finds it; the English text is the same as in ``udi.MESSAGES``.
"""

from odoo.exceptions import ValidationError

_MESSAGES = {
    "empty": lambda env, p: env._(
        "The UDI is empty.",
        **p,
    ),
    "unknown_format": lambda env, p: env._(
        "The UDI %(value)s is neither a GS1 nor a HIBCC barcode: a GS1 UDI "
        "starts with (01) or 01, a HIBCC UDI starts with +.",
        **p,
    ),
    "gs1_syntax": lambda env, p: env._(
        "The GS1 UDI %(value)s is malformed: each Application Identifier "
        "must be written between parentheses and followed by its value.",
        **p,
    ),
    "gs1_unknown_ai": lambda env, p: env._(
        "The GS1 Application Identifier (%(ai)s) is not supported in a UDI:"
        " expected (01) GTIN, (11) production date, (17) expiry date, (10) "
        "lot, (21) serial number, (240) additional product identification "
        "or (30) count.",
        **p,
    ),
    "gs1_missing_gtin": lambda env, p: env._(
        "The GS1 UDI has no GTIN: the Application Identifier (01) is mandatory.",
        **p,
    ),
    "gs1_gtin_length": lambda env, p: env._(
        "The GTIN (01) must have exactly 14 digits, found %(length)s (%(gtin)s).",
        **p,
    ),
    "gs1_gtin_check": lambda env, p: env._(
        "The GTIN check digit is wrong: expected %(expected)s, found "
        "%(found)s (UDI-DI %(gtin)s).",
        **p,
    ),
    "gs1_not_numeric": lambda env, p: env._(
        "The value %(value)s of the GS1 Application Identifier (%(ai)s) "
        "must contain only digits.",
        **p,
    ),
    "gs1_bad_date": lambda env, p: env._(
        "The date %(value)s of the GS1 Application Identifier (%(ai)s) is "
        "not a valid YYMMDD date.",
        **p,
    ),
    "gs1_field_too_long": lambda env, p: env._(
        "The value %(value)s of the GS1 Application Identifier (%(ai)s) is "
        "longer than %(max)s characters.",
        **p,
    ),
    "gs1_empty_field": lambda env, p: env._(
        "The GS1 Application Identifier (%(ai)s) has no value.",
        **p,
    ),
    "gs1_bad_char": lambda env, p: env._(
        "The character %(char)s is not allowed in the value of the GS1 "
        "Application Identifier (%(ai)s).",
        **p,
    ),
    "gs1_duplicate_ai": lambda env, p: env._(
        "The GS1 Application Identifier (%(ai)s) appears twice with different values.",
        **p,
    ),
    "hibcc_charset": lambda env, p: env._(
        "The character %(char)s is not allowed in a HIBCC barcode.",
        **p,
    ),
    "hibcc_check": lambda env, p: env._(
        "The HIBCC check character is wrong: expected %(expected)s, found %(found)s.",
        **p,
    ),
    "hibcc_lic": lambda env, p: env._(
        "The HIBCC Labeler Identification Code %(lic)s is invalid: it must "
        "be 4 letters or digits starting with a letter.",
        **p,
    ),
    "hibcc_primary": lambda env, p: env._(
        "The HIBCC primary data %(primary)s is invalid: after the "
        "4-character labeler code it must hold a product number of 1 to 18 "
        "letters or digits followed by a one-digit unit of measure.",
        **p,
    ),
    "hibcc_secondary_only": lambda env, p: env._(
        "The HIBCC barcode %(value)s only holds secondary data (lot, serial"
        " number, dates): scan the primary barcode that identifies the "
        "product.",
        **p,
    ),
    "hibcc_syntax": lambda env, p: env._(
        "The HIBCC secondary data %(value)s does not follow the HIBC "
        "Supplier Labeling Standard.",
        **p,
    ),
    "hibcc_unknown_field": lambda env, p: env._(
        "The HIBCC secondary data field %(value)s is not supported: "
        "expected $ (lot), $+ (serial number), $$ (expiry date and lot), S "
        "(serial number), 14D (expiry date), 16D (manufacture date) or Q "
        "(quantity).",
        **p,
    ),
    "hibcc_bad_date": lambda env, p: env._(
        "The HIBCC date %(value)s is not a valid date in the format %(format)s.",
        **p,
    ),
    "hibcc_field_too_long": lambda env, p: env._(
        "The HIBCC lot or serial number %(value)s is longer than %(max)s characters.",
        **p,
    ),
    "hibcc_duplicate": lambda env, p: env._(
        "The HIBCC secondary data %(value)s gives a lot, serial number or "
        "date that was already given with another value.",
        **p,
    ),
    "basic_udi_di_length": lambda env, p: env._(
        "The Basic UDI-DI %(value)s has %(length)s characters: at most "
        "%(max)s are allowed.",
        **p,
    ),
    "basic_udi_di_charset": lambda env, p: env._(
        "The Basic UDI-DI %(value)s contains the character %(char)s: only "
        "digits and upper case letters are allowed.",
        **p,
    ),
    "basic_udi_di_gs1_format": lambda env, p: env._(
        "The GS1 Basic UDI-DI %(value)s must start with a GS1 company "
        "prefix (at least 5 digits), followed by a model reference and 2 "
        "check characters.",
        **p,
    ),
    "basic_udi_di_check": lambda env, p: env._(
        "The check characters of the GS1 Basic UDI-DI %(value)s are wrong: "
        "expected %(expected)s, found %(found)s.",
        **p,
    ),
    "emdn_format": lambda env, p: env._(
        "The EMDN code %(value)s is invalid: expected a category letter (A "
        "to Z except E, I, O and X) followed by up to 6 levels of 2 digits,"
        " e.g. C0102.",
        **p,
    ),
}


def udi_error_message(env, error):
    """Return the translated message of ``error``, falling back to ``str(error)``."""
    render = _MESSAGES.get(getattr(error, "code", None))
    if render is None:
        return str(error)
    try:
        return render(env, dict(getattr(error, "params", None) or {}))
    except (KeyError, ValueError, TypeError):
        return str(error)


def udi_validation_error(env, subject, error):
    """The ValidationError that refuses a record's invalid UDI code: names the
    record (or the value) and says which check failed."""
    return ValidationError(
        env._(
            "%(subject)s: %(message)s",
            subject=subject,
            message=udi_error_message(env, error),
        )
    )
