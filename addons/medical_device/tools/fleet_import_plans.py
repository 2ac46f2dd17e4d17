"""The maintenance and quality-control plan columns of a fleet import.

Pure (no env). A CMMS export gives, per device, the periodicity of each kind
of operation and the date (and result) of the last one: "Périodicité MP",
"Dernière maintenance", "Périodicité CQ", "Date dernier CQ", "Prochaine
échéance"… Each nature of :data:`plans.PLAN_NATURES` has its own four
columns (periodicity, last date, next due date, result of the last
operation); a generic set of columns with a nature column gives one more plan
("Nature de l'opération", "Périodicité", "Dernière intervention"…), preventive
maintenance when the nature is not given.

:func:`parse_periodicity` reads "12 mois", "1 an", "annuelle", "6 months",
"semestriel", "2 fois par an" or a bare number of months ("24") into an
interval and a step of OCA ``maintenance_plan``; :func:`row_plans` turns the
parsed cells of a row into the plans it describes, or the errors that reject
the row.
"""

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from odoo.tools.translate import LazyTranslate

from .fleet_import_targets import Targets
from .fleet_import_values import ParseError, cell_text, parse_choice
from .plans import PLAN_NATURES, period_days

_lt = LazyTranslate(__name__)

NATURES = tuple(key for key, _label in PLAN_NATURES)
# The longest periodicity read: ten years (a longer one is a typing error).
MAX_PERIOD_DAYS = 3653

_UNITS = {
    "day": ("j", "jr", "jrs", "jour", "jours", "d", "day", "days"),
    "week": ("s", "sem", "semaine", "semaines", "w", "wk", "week", "weeks"),
    "month": ("m", "mo", "mos", "mois", "month", "months", "mth", "mths"),
    "year": ("a", "an", "ans", "annee", "annees", "y", "yr", "yrs", "year", "years"),
}
UNIT_WORDS = {word: step for step, words in _UNITS.items() for word in words}
# Periodicities said in one word (the interval, the step).
PERIOD_WORDS = {
    "quotidien": (1, "day"),
    "quotidienne": (1, "day"),
    "journalier": (1, "day"),
    "journaliere": (1, "day"),
    "daily": (1, "day"),
    "hebdomadaire": (1, "week"),
    "weekly": (1, "week"),
    "mensuel": (1, "month"),
    "mensuelle": (1, "month"),
    "monthly": (1, "month"),
    "bimestriel": (2, "month"),
    "bimestrielle": (2, "month"),
    "trimestriel": (3, "month"),
    "trimestrielle": (3, "month"),
    "quarterly": (3, "month"),
    "semestriel": (6, "month"),
    "semestrielle": (6, "month"),
    "half yearly": (6, "month"),
    "semi annual": (6, "month"),
    "semiannual": (6, "month"),
    "annuel": (1, "year"),
    "annuelle": (1, "year"),
    "yearly": (1, "year"),
    "annual": (1, "year"),
    "annually": (1, "year"),
    "bisannuel": (2, "year"),
    "bisannuelle": (2, "year"),
    "biennal": (2, "year"),
    "biennale": (2, "year"),
    "biennial": (2, "year"),
    "triennal": (3, "year"),
    "triennale": (3, "year"),
    "quinquennal": (5, "year"),
    "quinquennale": (5, "year"),
}
# "tous les 6 mois", "every 2 years", "chaque année": words before a period.
_EVERY = r"(?:(?:tous|toutes)\s+les|every|chaque|each|per)"
_PERIOD = re.compile(rf"^(?:{_EVERY}\s*)?(\d+(?:\.\d+)?)?\s*([a-z]+)$")
# "2 fois par an", "2x/an", "twice a year", "4 times per year".
_TIMES_A_YEAR = re.compile(
    r"^(\d+|once|twice)\s*(?:fois|x|times)?\s*(?:par|/|per|a)\s*"
    r"(?:an|annee|year|yr)$"
)
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")


def _words(value):
    """Lower case, no accents, a decimal comma as a point, other punctuation
    as spaces (the slash of "2x/an" kept)."""
    text = unicodedata.normalize("NFKD", cell_text(value))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"(\d),(\d)", r"\1.\2", text)
    text = re.sub(r"[^0-9a-z./]+", " ", text)
    text = re.sub(r"\s*/\s*", "/", text)
    return re.sub(r"\s+", " ", text).strip(" .")


def _in_units(number, step, text):
    """``number`` ``step`` as a whole interval: months of a fraction of a year
    ("1,5 an" is 18 months), else the number itself when it is whole."""
    if step == "year" and not float(number).is_integer():
        number, step = number * 12, "month"
    if not float(number).is_integer() or number <= 0:
        raise ParseError("bad_periodicity", {"value": text})
    return int(number), step


def parse_periodicity(value):
    """A periodicity cell → ``(interval, step)`` of OCA ``maintenance_plan``
    (step: ``day``, ``week``, ``month`` or ``year``).

    A bare number is a number of months ("24", the usual "Périodicité (mois)"
    column); whole years of months are read as years (12 → 1 year). Raises
    :class:`ParseError` ``bad_periodicity`` for anything else, for zero, and for
    more than ten years."""
    text = cell_text(value)
    if isinstance(value, bool):
        raise ParseError("bad_periodicity", {"value": text})
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise ParseError("bad_periodicity", {"value": text})
        interval, step = _in_units(value, "month", text)
    elif re.search(r"-\s*\d", text):  # a negative number
        raise ParseError("bad_periodicity", {"value": text})
    else:
        interval, step = _parse_words(_words(text), text)
    if step == "month" and interval % 12 == 0:
        interval, step = interval // 12, "year"
    days = period_days(interval, step)
    if days is None or days > MAX_PERIOD_DAYS:
        raise ParseError("bad_periodicity", {"value": text})
    return interval, step


def _parse_words(words, text):
    if words in PERIOD_WORDS:
        return PERIOD_WORDS[words]
    if _NUMBER.match(words):
        return _in_units(float(words), "month", text)
    match = _TIMES_A_YEAR.match(words)
    if match:
        count = {"once": 1, "twice": 2}.get(match.group(1)) or int(match.group(1))
        if count <= 0 or 12 % count:
            raise ParseError("bad_periodicity", {"value": text})
        return 12 // count, "month"
    match = _PERIOD.match(words)
    if match and match.group(2) in UNIT_WORDS:
        number = float(match.group(1)) if match.group(1) else 1.0
        return _in_units(number, UNIT_WORDS[match.group(2)], text)
    raise ParseError("bad_periodicity", {"value": text})


# The natures of the operations, as a CMMS writes them (normalised words);
# the most specific first: "contrôle qualité externe" before "contrôle qualité".
NATURE_WORDS = (
    (
        "qc_external",
        (
            "cqe",
            "cq externe",
            "controle qualite externe",
            "qc externe",
            "external qc",
            "qc external",
            "external quality control",
            "qce",
        ),
    ),
    (
        "safety_check",
        (
            "securite electrique",
            "controle securite electrique",
            "controle de securite electrique",
            "cse",
            "electrical safety",
            "electrical safety check",
            "safety check",
        ),
    ),
    (
        "calibration",
        (
            "etalonnage",
            "calibration",
            "metrologie",
            "verification metrologique",
            "metrology",
        ),
    ),
    (
        "qc_internal",
        (
            "cq",
            "cqi",
            "cq interne",
            "controle qualite",
            "controle qualite interne",
            "qc",
            "qci",
            "internal qc",
            "qc internal",
            "quality control",
            "internal quality control",
        ),
    ),
    (
        "preventive",
        (
            "mp",
            "maintenance preventive",
            "preventive",
            "preventive maintenance",
            "pm",
            "entretien preventif",
        ),
    ),
)
# The result of an operation; "non conforme" before "conforme".
RESULT_WORDS = (
    (
        "non_compliant",
        (
            "non conforme",
            "nc",
            "ko",
            "non compliant",
            "noncompliant",
            "not compliant",
            "fail",
            "failed",
            "echec",
            "hors tolerance",
        ),
    ),
    ("not_applicable", ("sans objet", "na", "n a", "so", "not applicable")),
    ("compliant", ("conforme", "c", "ok", "compliant", "pass", "passed", "reussi")),
)


def parse_plan_nature(value):
    """The nature of a plan a cell names ("MP", "CQ externe", "Étalonnage"…)."""
    return parse_choice(value, NATURE_WORDS, "unknown_plan_nature")


def parse_operation_result(value):
    """The result of the last operation ("Conforme", "NC", "OK"…)."""
    return parse_choice(value, RESULT_WORDS, "unknown_operation_result")


# ---------------------------------------------------------------- targets
# The columns of one plan: its periodicity, the date and result of its last
# operation, its next due date.
PARTS = {
    "periodicity": parse_periodicity,
    "last_date": "date",
    "next_date": "date",
    "last_result": parse_operation_result,
}
GENERIC = "plan"


def target(nature, part):
    """The target key of a plan column (``plan_qc_internal_last_date``; the
    generic plan's ``plan_last_date``)."""
    return f"plan_{part}" if nature == GENERIC else f"plan_{nature}_{part}"


KINDS = {
    "plan_nature": parse_plan_nature,
    **{
        target(nature, part): kind
        for nature in (GENERIC, *NATURES)
        for part, kind in PARTS.items()
    },
}
MESSAGES = {
    "bad_periodicity": _lt(
        "%(value)s is not a periodicity (expected e.g. 12 mois, 1 an, annuelle, "
        "semestriel, 6 months, or a number of months)."
    ),
    "unknown_plan_nature": _lt(
        "Unknown nature of operation %(value)s (expected Maintenance préventive, "
        "CQ interne, CQ externe, Sécurité électrique or Étalonnage)."
    ),
    "unknown_operation_result": _lt(
        "Unknown result %(value)s (expected Conforme, Non conforme or Sans objet)."
    ),
    "plan_without_periodicity": _lt(
        "A date or result of %(nature)s is given without its periodicity: the "
        "plan cannot be made. The row is skipped."
    ),
    "result_without_date": _lt(
        "The result of the last %(nature)s is given without its date. The row is "
        "skipped."
    ),
    "date_in_future": _lt(
        "The last %(nature)s on %(value)s is a date to come: an operation done "
        "has a past date. The row is skipped."
    ),
    "plan_twice": _lt(
        "The row gives two different plans of %(nature)s (its own columns and "
        "the generic ones). The row is skipped."
    ),
}
# The plan columns fill no field of the device: the import writes them as
# plans and operations (see dm.fleet.import.batch).
TARGETS = Targets.of("medical_device", KINDS, messages=MESSAGES)
PLAN_TARGETS = frozenset(KINDS)


@dataclass(frozen=True)
class PlanRow:
    """One plan of a row: its nature, interval and step, the date and result
    of its last operation, its next due date, and the targets it was read from
    (to name the column of an error)."""

    nature: str
    interval: int
    step: str
    last_date: date | None = None
    last_result: str | None = None
    next_date: date | None = None

    def start_date(self):
        """The start of the plan, from which OCA counts its dates: the last
        operation (the next date follows from it), else the next due date;
        ``None`` when neither is known (the plan starts today)."""
        return self.last_date or self.next_date


def row_plans(vals, today, nature_labels=None):
    """The plans of a parsed row (``vals`` keyed by target): ``(plans, errors)``
    with errors as ``(target, code, params)``; a row with an error has no plan.

    ``nature_labels`` names the natures in the errors (``{nature: label}``)."""
    labels = nature_labels or dict(PLAN_NATURES)
    plans, errors = {}, []
    generic_nature = vals.get("plan_nature") or "preventive"
    for nature in (*NATURES, GENERIC):
        parts = {part: vals.get(target(nature, part)) for part in PARTS}
        real = generic_nature if nature == GENERIC else nature
        label = labels.get(real, real)
        periodicity = parts["periodicity"]
        if not periodicity:
            for part in ("last_date", "next_date", "last_result"):
                if parts[part]:
                    errors.append(
                        (
                            target(nature, part),
                            "plan_without_periodicity",
                            {"nature": label},
                        )
                    )
                    break
            continue
        if parts["last_result"] and not parts["last_date"]:
            errors.append(
                (
                    target(nature, "last_result"),
                    "result_without_date",
                    {"nature": label},
                )
            )
            continue
        last = parts["last_date"]
        if last and last > today:
            errors.append(
                (
                    target(nature, "last_date"),
                    "date_in_future",
                    {"nature": label, "value": last.strftime("%d/%m/%Y")},
                )
            )
            continue
        plan = PlanRow(
            real,
            periodicity[0],
            periodicity[1],
            last,
            parts["last_result"],
            parts["next_date"],
        )
        if real in plans and plans[real] != plan:
            errors.append(
                (target(nature, "periodicity"), "plan_twice", {"nature": label})
            )
            continue
        plans[real] = plan
    if errors:
        return [], errors
    return list(plans.values()), []
