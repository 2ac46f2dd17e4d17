"""Tests of the pure rendering of reader texts (plain unittest, run by pytest)."""

import unittest
from datetime import date

from odoo.addons.medical_device.tools import reader_text as rt
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

FRENCH = {
    "Approval requested: %(approvals)s.": "Approbation demandée : %(approvals)s.",
    "%(approval)s (%(role)s)": "%(approval)s (%(role)s)",
    "last patch: %(date)s": "dernier correctif : %(date)s",
    "never": "jamais",
    # A wrong translation (an unknown placeholder) must not break the screen.
    "Broken %(x)s": "Cassé %(y)s",
}


class FrenchResolver:
    """The database's side, in French, as the model layer gives it."""

    def __init__(self):
        self.calls = []

    def translate(self, module, source, lang):
        self.calls.append((module, lang))
        return FRENCH.get(source, source) if lang == "fr_FR" else source

    def date(self, value, lang):
        year, month, day = value.split("-")
        return f"{day}/{month}/{year}" if lang == "fr_FR" else value

    def datetime(self, value, lang):
        return self.date(value[:10], lang) + " " + value[11:16]

    def number(self, value, digits, lang):
        return f"{value:.{digits}f}".replace(".", ",")

    def selection(self, model, field, value, lang):
        return {"pending": "En attente", "rssi": "RSSI"}.get(value, value)

    def fields(self, model, fnames, lang):
        return ", ".join(sorted({"os_version_id": "Système"}.get(f, f) for f in fnames))

    def group(self, ref, lang):
        return {"medical_device.group_dm_rssi": "RSSI"}.get(ref, str(ref))

    def record(self, model, res_id, name, lang):
        return {("dm.approval", 7): "Connexion réseau"}.get((model, res_id), name)

    def value(self, model, res_id, fname, text, lang):
        values = {("dm.plan.requirement", 3, "source_reference"): "Décision ANSM"}
        return values.get((model, res_id, fname), text)


class TestReaderText(unittest.TestCase):
    def test_template_keeps_its_addon(self):
        spec = rt.msg(_lt("never"))
        self.assertEqual(
            spec, {"msg": "never", "module": "medical_device", "params": {}}
        )

    def test_render_in_french_and_english(self):
        spec = rt.msg(
            _lt("Approval requested: %(approvals)s."),
            approvals=rt.join(
                [
                    rt.msg(
                        _lt("%(approval)s (%(role)s)"),
                        approval=rt.record("dm.approval", 7, "Network connection"),
                        role=rt.selection("dm.approval", "role", "rssi"),
                    )
                ]
            ),
        )
        resolver = FrenchResolver()
        self.assertEqual(
            rt.render(spec, "fr_FR", resolver),
            "Approbation demandée : Connexion réseau (RSSI).",
        )
        self.assertIn(("medical_device", "fr_FR"), resolver.calls)
        self.assertEqual(
            rt.english(spec), "Approval requested: Network connection (rssi)."
        )

    def test_dates_in_the_readers_format(self):
        spec = rt.msg(_lt("last patch: %(date)s"), date=rt.date(date(2026, 3, 1)))
        self.assertEqual(
            rt.render(spec, "fr_FR", FrenchResolver()), "dernier correctif : 01/03/2026"
        )
        self.assertEqual(rt.english(spec), "last patch: 2026-03-01")
        # No date: the fallback text given instead.
        never = rt.date(False) or rt.msg(_lt("never"))
        spec = rt.msg(_lt("last patch: %(date)s"), date=never)
        self.assertEqual(
            rt.render(spec, "fr_FR", FrenchResolver()), "dernier correctif : jamais"
        )

    def test_a_records_field_in_the_readers_language(self):
        spec = rt.value("dm.plan.requirement", 3, "source_reference", "ANSM decision")
        self.assertTrue(rt.is_spec(spec))
        self.assertEqual(rt.render(spec, "fr_FR", FrenchResolver()), "Décision ANSM")
        # Without a database, or the record gone: the text of its time.
        self.assertEqual(rt.english(spec), "ANSM decision")
        gone = rt.value("dm.plan.requirement", 4, "source_reference", "Old text")
        self.assertEqual(rt.render(gone, "fr_FR", FrenchResolver()), "Old text")
        self.assertEqual(rt.value("dm.plan.requirement", False, "name", "X"), "X")

    def test_wrong_translation_falls_back_to_english(self):
        spec = rt.msg(_lt("Broken %(x)s"), x="1")
        self.assertEqual(rt.render(spec, "fr_FR", FrenchResolver()), "Broken 1")

    def test_json_round_trip(self):
        import json

        spec = rt.join(
            [
                rt.msg(_lt("never")),
                rt.field_labels("maintenance.equipment", ["os_version_id"]),
                rt.group("medical_device.group_dm_rssi"),
                rt.datetime("2026-12-02 09:30:00"),
                3,
                rt.number(12.5),
                "free text % with a percent",
            ],
            sep=" | ",
        )
        again = json.loads(json.dumps(spec))
        self.assertEqual(
            rt.render(again, "fr_FR", FrenchResolver()),
            "jamais | Système | RSSI | 02/12/2026 09:30 | 3 | 12,5 | "
            "free text % with a percent",
        )

    def test_english_first(self):
        self.assertEqual(
            rt.english_first(["fr_FR", "en_US", "de_DE"]), ["en_US", "fr_FR", "de_DE"]
        )
        # A database in French only: English still comes first, once.
        self.assertEqual(rt.english_first(iter(["fr_FR"])), ["en_US", "fr_FR"])

    def test_refuses_what_is_not_a_spec(self):
        with self.assertRaises(TypeError):
            rt.msg("not lazy")
        with self.assertRaises(TypeError):
            rt.msg(_lt("never"), when=date(2026, 1, 1))
        # Unknown parts render empty rather than breaking a reader's screen.
        self.assertEqual(rt.render({"what": 1}, "fr_FR", FrenchResolver()), "")
        self.assertEqual(rt.render(None, "fr_FR", FrenchResolver()), "")
        self.assertFalse(rt.is_spec("text"))
        self.assertTrue(rt.is_spec(rt.msg(_lt("never"))))
