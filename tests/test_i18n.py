"""Every addon ships a complete French translation that keeps the placeholders."""

import re
from pathlib import Path

import polib
import pytest

ADDONS = Path(__file__).resolve().parent.parent / "addons"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}")
TRANSLATED_ADDONS = [
    path.parent.parent.name for path in sorted(ADDONS.glob("*/i18n/*.pot"))
]


def test_every_addon_with_strings_has_a_template():
    assert "medical_device" in TRANSLATED_ADDONS


@pytest.mark.parametrize("addon", TRANSLATED_ADDONS)
def test_french_translation_is_complete(addon):
    pot = polib.pofile(str(ADDONS / addon / "i18n" / f"{addon}.pot"))
    po = polib.pofile(str(ADDONS / addon / "i18n" / "fr.po"))
    translated = {(e.msgctxt, e.msgid): e.msgstr for e in po if e.msgstr}
    missing = [e.msgid for e in pot if (e.msgctxt, e.msgid) not in translated]
    assert not missing, f"{len(missing)} untranslated strings, e.g. {missing[:5]}"


@pytest.mark.parametrize("addon", TRANSLATED_ADDONS)
def test_french_translation_keeps_placeholders(addon):
    po = polib.pofile(str(ADDONS / addon / "i18n" / "fr.po"))
    wrong = [
        e.msgid
        for e in po
        if e.msgstr
        and sorted(PLACEHOLDER.findall(e.msgid))
        != sorted(PLACEHOLDER.findall(e.msgstr))
    ]
    assert not wrong, f"placeholders differ in: {wrong[:5]}"
