#!/usr/bin/env python3
"""Authoring aid for docs/security.md: measure the security matrix on a running
database and print its tables, or update them in the document.

    .local/venv/bin/python scripts/security_matrix.py -c .local/odoo.conf -d dm_test
    .local/venv/bin/python scripts/security_matrix.py -c .local/odoo.conf -d dm_test \\
        --update docs/security.md

``--update`` replaces the table of each model section (``## `model` …``) and
keeps the text around it (legend, notes); a model the document lacks gets a new
section at the end, and a section whose model no longer exists is reported.
Review the diff before committing: the test (tests/test_security_matrix.py)
compares the committed document with the system, it never regenerates it.
Everything the measure creates is rolled back.
"""

import argparse
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def measure(config_path, database):
    try:
        import odoo  # noqa: F401
    except ImportError:
        sys.path.insert(0, os.environ.get("ODOO_SRC", "/opt/odoo"))
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config(["-c", config_path, "-d", database, "--log-level=warn"])
    import security_matrix_probe as sm

    registry = Registry(database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        probe = sm.Probe(env)
        sections = {
            model: sm.render_section(env, model, ["R", "C", "W", "D", *actions], rows)
            for model, actions in probe.models.items()
            for rows in [probe.measure(model)]
        }
        cr.rollback()
    for model, action in probe.unsuited:
        print(f"note: no record of {model} on which {action} succeeds", file=sys.stderr)
    return sections, probe.cells


def update(path, sections):
    lines = path.read_text(encoding="utf-8").splitlines()
    out, seen, i = [], set(), 0
    while i < len(lines):
        heading = re.match(r"^## `([a-z0-9_.]+)`", lines[i])
        if not heading:
            out.append(lines[i])
            i += 1
            continue
        model, old_heading = heading[1], lines[i]
        i += 1
        # The section's heading, the blank lines after it and its table.
        while i < len(lines) and not lines[i].strip():
            i += 1
        while i < len(lines) and lines[i].startswith("|"):
            i += 1
        if model not in sections:
            print(f"warning: {model} is not a model of the addons", file=sys.stderr)
            out.append(old_heading)
            continue
        seen.add(model)
        out.extend(sections[model].splitlines())
    for model, section in sections.items():
        if model not in seen:
            out.extend(["", *section.splitlines()])
    path.write_text("\n".join(out).rstrip("\n") + "\n", encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--update", type=Path, help="the document to update")
    args = parser.parse_args()
    sections, cells = measure(args.config, args.database)
    if args.update:
        update(args.update, sections)
    else:
        print("\n\n".join(sections.values()) + "\n")
    print(f"{len(sections)} models, {cells} cells", file=sys.stderr)


if __name__ == "__main__":
    main()
