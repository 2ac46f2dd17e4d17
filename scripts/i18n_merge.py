"""Merge a freshly exported .pot into an addon's fr.po, keeping existing
translations, and report what is still untranslated.

Usage: i18n_merge.py ADDON_DIR
"""

import sys
from pathlib import Path

import polib


def merge(addon_dir):
    i18n = Path(addon_dir) / "i18n"
    pot = polib.pofile(str(next(i18n.glob("*.pot"))))
    po_path = i18n / "fr.po"
    old = polib.pofile(str(po_path)) if po_path.exists() else polib.POFile()
    known = {(e.msgctxt, e.msgid): e.msgstr for e in old if e.msgstr}
    po = polib.POFile()
    po.metadata = {
        **pot.metadata,
        "Language": "fr",
        "Plural-Forms": "nplurals=2; plural=(n > 1);",
        "Content-Type": "text/plain; charset=UTF-8",
    }
    for entry in pot:
        entry.msgstr = known.get((entry.msgctxt, entry.msgid), "")
        po.append(entry)
    po.save(str(po_path))
    missing = [e.msgid for e in po if not e.msgstr]
    print(f"{po_path}: {len(po)} entries, {len(missing)} untranslated")
    return missing


if __name__ == "__main__":
    sys.exit(1 if merge(sys.argv[1]) else 0)
