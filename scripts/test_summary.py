"""Sum up the Odoo runner log (HTTP tests, tours) and the pytest log in one verdict.

Prints one line per part and a closing 'summary: N passed, N failed, N skipped'
line; exits non-zero on any failure, on a skipped browser test (unless
DM_ALLOW_NO_BROWSER is set), or when no test ran at all.
"""

import argparse
import json
import os
import re
import sys

ODOO_RESULT = re.compile(
    r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database"
)
ODOO_SKIP = re.compile(r"\bskipped (\S+) : (.*)$")
TOUR_SUCCEEDED = re.compile(r"TOUR (\S+) SUCCEEDED")
ODOO_ERROR_LINE = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ")
# Printed by pytest -rs in its short test summary.
PYTEST_SKIP = re.compile(r"^SKIPPED \[\d+\] (\S+): (.*)$")
PYTEST_COUNTS = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed)")


def odoo_part(log_path, status):
    with open(log_path, encoding="utf-8", errors="replace") as log:
        text = log.read()
    results = ODOO_RESULT.findall(text)
    failed = sum(int(f) + int(e) for f, e, _run in results)
    run = sum(int(r) for _f, _e, r in results)
    skips = [m.groups() for m in map(ODOO_SKIP.search, text.splitlines()) if m]
    error_lines = [line for line in text.splitlines() if ODOO_ERROR_LINE.match(line)]
    tours = TOUR_SUCCEEDED.findall(text)
    problems = []
    if not results:
        problems.append("the Odoo runner printed no test result (install failed?)")
    if status and not failed:
        problems.append(f"odoo-bin exited with status {status}")
    if error_lines and not failed:
        problems.append(f"{len(error_lines)} ERROR line(s) in the Odoo log")
    return run, failed, skips, tours, problems


def pytest_part(log_path, status):
    with open(log_path, encoding="utf-8", errors="replace") as log:
        text = log.read()
    lines = [line for line in text.splitlines() if line.strip()]
    last = lines[-1] if lines else ""
    counts = {"passed": 0, "failed": 0, "errors": 0, "skipped": 0}
    for number, kind in PYTEST_COUNTS.findall(last):
        key = "errors" if kind.startswith("error") else kind
        if key in counts:
            counts[key] += int(number)
    counts["skips"] = [m.groups() for m in map(PYTEST_SKIP.search, lines) if m]
    problems = []
    if status not in (0, 1) and not (counts["failed"] or counts["errors"]):
        problems.append(f"pytest exited with status {status}")
    return counts, problems


def figures_part(path):
    """Figures the tests recorded (medical_device/tests/figures.py), by name."""
    totals = {}
    if not path or not os.path.exists(path):
        return totals
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            record = json.loads(line)
            name = record.pop("name")
            for key, value in record.items():
                bucket = totals.setdefault(name, {})
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    bucket[key] = bucket.get(key, 0) + value
                else:
                    bucket[key] = value
    return totals


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--odoo-log", required=True)
    parser.add_argument("--odoo-status", type=int, default=0)
    parser.add_argument("--pytest-log", required=True)
    parser.add_argument("--pytest-status", type=int, default=0)
    parser.add_argument("--upgrade-log", help="pytest log of tests/test_upgrade.py")
    parser.add_argument("--upgrade-status", type=int, default=0)
    parser.add_argument("--lint-status", type=int, default=0)
    parser.add_argument("--figures", help="figures.jsonl written by the tests")
    args = parser.parse_args()

    allow_no_browser = bool(os.environ.get("DM_ALLOW_NO_BROWSER"))
    browser_run, browser_failed, browser_skips, tours, odoo_problems = odoo_part(
        args.odoo_log, args.odoo_status
    )
    counts, pytest_problems = pytest_part(args.pytest_log, args.pytest_status)

    problems = odoo_problems + pytest_problems
    upgrade = {"passed": 0, "failed": 0, "errors": 0, "skipped": 0}
    if args.upgrade_log:
        upgrade, upgrade_problems = pytest_part(args.upgrade_log, args.upgrade_status)
        problems += [f"upgrade test: {problem}" for problem in upgrade_problems]
        if args.upgrade_status and not (upgrade["failed"] or upgrade["errors"]):
            problems.append("upgrade test failed before its checks ran, see above")
        elif not upgrade["passed"] + upgrade["failed"] + upgrade["errors"]:
            problems.append("upgrade test: no check ran")
    if browser_skips and not allow_no_browser:
        problems += [
            f"browser test skipped: {name} ({why})" for name, why in browser_skips
        ]
    if not tours and not allow_no_browser:
        problems.append("no browser tour ran in Chromium")
    if args.lint_status:
        problems.append("lint failed (ruff / pylint-odoo), see above")

    browser_passed = browser_run - browser_failed - len(browser_skips)
    passed = counts["passed"] + browser_passed + upgrade["passed"]
    failed = (
        counts["failed"]
        + counts["errors"]
        + browser_failed
        + upgrade["failed"]
        + upgrade["errors"]
    )
    skipped = counts["skipped"] + len(browser_skips) + upgrade["skipped"]
    if passed + failed == 0:
        problems.append("no test ran")

    print(
        f"HTTP and browser tests (Odoo runner, Chromium): {browser_passed} passed, "
        f"{browser_failed} failed, {len(browser_skips)} skipped; "
        f"tours that ran in Chromium: {', '.join(tours) or 'none'}"
    )
    print(
        f"pytest-odoo: {counts['passed']} passed, {counts['failed']} failed, "
        f"{counts['errors']} errors, {counts['skipped']} skipped"
    )
    if args.upgrade_log:
        print(
            f"upgrade from the previous release: {upgrade['passed']} passed, "
            f"{upgrade['failed']} failed, {upgrade['errors']} errors, "
            f"{upgrade['skipped']} skipped"
        )
    for where, why in counts["skips"] + upgrade.get("skips", []):
        print(f"skipped: {where} ({why})")
    for name, values in sorted(figures_part(args.figures).items()):
        shown = ", ".join(f"{key} {value}" for key, value in sorted(values.items()))
        print(f"figures: {name}: {shown}")
    for problem in problems:
        print(f"FAILED: {problem}")
    print(f"summary: {passed} passed, {failed} failed, {skipped} skipped")
    sys.exit(1 if problems or failed else 0)


if __name__ == "__main__":
    main()
