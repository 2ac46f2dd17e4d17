"""Figures a test proves (cells checked, attacks refused, examples run…).

A test calls ``record_figure("bypass", attempts=1234, refused=1234)``; when
``scripts/dm.sh test`` runs it, the figures land as JSON lines in
``$DM_TEST_RESULTS/figures.jsonl`` and ``scripts/test_summary.py`` prints
them next to the verdict, so the README's figures come from a run. Outside
that command (no ``DM_TEST_RESULTS``) nothing is written.
"""

import json
import os


def record_figure(name, **values):
    directory = os.environ.get("DM_TEST_RESULTS")
    if not directory:
        return
    with open(os.path.join(directory, "figures.jsonl"), "a", encoding="utf-8") as out:
        out.write(json.dumps({"name": name, **values}, sort_keys=True) + "\n")
