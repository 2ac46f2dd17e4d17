#!/usr/bin/env python3
"""Benchmark of the medical device suite at the size of a hospital group.

    make bench            # or: bash scripts/dm.sh bench [--sizes 1000,10000,100000]
    bash scripts/dm.sh bench --sizes 100000 --night-only   # sections 4 and 4b only
    bash scripts/dm.sh bench --sizes 1000,10000 --vuln-only  # section 4d only
    scripts/bench.py -c .local/odoo.conf -d dm_bench --only plans  # 4c, no import

On a fresh database with the three addons (no demo data), it generates a fleet
(data/make_fleet.py), imports it by steps of 1k, 10k and 100k devices, and
prints, measured in this one run against that database:

1. import throughput of the DM import vs a bare ``maintenance.equipment``
   batch create of the same rows (name + serial, tracking off) and vs a raw
   PostgreSQL ``COPY`` of the same rows into a plain table; 1b. the same
   1,000 new rows imported with and without the plan columns of the previous
   CMMS (two plans and two last operations per row);
2. the equipment kanban's first page (the fields of the lifecycle kanban, 80
   records per group, grouped by lifecycle, with its progress bars) at each
   size: query count and time, against the core equipment kanban;
3. the criticality x cyber-risk pivot over the fleet vs a hand-written SQL
   GROUP BY of the same grouping sets; the criticality dashboard
   (``dm.dashboard.get_panels``): time and a query count that must not grow;
   the match of a safety notice (one model, one serial range holding 5 % of
   the fleet): its selection vs a hand-written SQL of the same devices, then
   the actions created and a re-run that creates none;
4. each daily job over the fleet: time, SQL queries per 1,000 devices, and a
   second run that must create nothing; 4c. the plan-generation cron over the
   fleet's medical devices with two plans each (a yearly maintenance from
   their model's plan and a six-monthly QC of their own): time and queries
   per 1,000 devices, against OCA's loop of one plan at a time, and a second
   run that creates nothing; 4d. vulnerability matching: an SBOM of 20
   components per device model and a synthetic KEV catalogue of 1,200 CVEs
   with NVD-like ranges, one advisory (log4j) then the whole catalogue
   matched against the fleet: time and queries per 1,000 devices, bounded
   and linear, and a re-run that creates no line;
5. a fleet-wide recompute after one OS end-of-support date changes for 50,000
   devices vs a raw SQL UPDATE of the same rows;
6. the peak resident memory growth of this Odoo process during the import;
7. load (scripts/bench_load.py): a server in workers mode driven by 8
   concurrent sessions of every role, p50/p95 per page against the core
   equipment list and form under the same load;
8. faults (scripts/bench_faults.py): a worker killed, the import process
   killed and PostgreSQL restarted in the middle of import batches; the
   imports resume and every row is counted.

Each figure comes with its target and PASS/FAIL; the exit status is 1 when a
target fails. Times are medians of several runs where the run is repeatable.
"""

import argparse
import csv
import io
import os
import re
import statistics
import sys
import time
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "data"))

import bench_load  # noqa: E402  (scripts/, beside this file)
import make_fleet  # noqa: E402
from import_fleet import import_odoo  # noqa: E402

vigilance_match = None  # tools/vigilance_match, imported with Odoo (setup_env)

DM_KANBAN_ACTION = "medical_device.maintenance_equipment_action_medical_devices"
CORE_KANBAN_VIEW = "maintenance.hr_equipment_view_kanban"
CRON_QUERY_BUDGET = 20  # SQL queries per 1,000 devices, at most
# The plan generation's first run creates the operations of two plans per
# device up to their horizon (4 per device here): SQL queries per 1,000
# devices, at most.
PLAN_QUERY_BUDGET = 600
# OCA's loop of one plan at a time is measured up to this size only (slow).
OCA_LOOP_MAX = 1_000
OS_FLEET = 50_000
# The daily jobs that schedule a digest per role and site above the threshold.
DIGEST_JOBS = {
    "cyber watch (OS obsolescence, patch age)": "cyber_watch",
    "CE certificate and transition deadlines": "ce_deadline",
}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n", 1)[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--config", "-c", required=True, help="Odoo config file")
    parser.add_argument("--database", "-d", required=True)
    parser.add_argument(
        "--sizes",
        default="1000,10000,100000",
        help="fleet sizes to measure at, comma separated (default: %(default)s)",
    )
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument(
        "--work-dir", type=Path, default=ROOT / ".local" / "bench", help="CSV files"
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs per timing")
    parser.add_argument(
        "--night-only",
        action="store_true",
        help="only the imports and the daily jobs (sections 4 and 4b): the "
        "first night's activities after the largest import, e.g. --sizes 100000",
    )
    parser.add_argument(
        "--vuln-only",
        action="store_true",
        help="only the imports and the vulnerability matching (section 4d)",
    )
    parser.add_argument(
        "--only",
        choices=["plans", "vulns"],
        help="only one section, on the fleet already in the database (no "
        "import, nothing else): 'plans' is section 4c, the plan generation over "
        "every medical device of the database (e.g. the database of a previous "
        "100,000-device run: scripts/bench.py -d dm_bench --only plans; "
        "dm.sh bench recreates its database, call bench.py directly); 'vulns' "
        "is section 4d, the vulnerability matching (its seeded SBOMs, advisories "
        "and lines are committed)",
    )
    bench_load.add_arguments(parser)
    args = parser.parse_args(argv)
    args.sizes = sorted({int(size) for size in args.sizes.split(",")})
    return args


# ---------------------------------------------------------------- measuring
def proc_status_kib(key):
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def reset_peak_rss():
    """Linux resets VmHWM (the peak RSS) to the current RSS on this write."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


class Meter:
    """Times and SQL query counts of a block."""

    def __init__(self, cr):
        self.cr = cr

    @contextmanager
    def measure(self, result):
        queries = self.cr.sql_log_count
        start = time.perf_counter()
        yield result
        result["seconds"] = time.perf_counter() - start
        result["queries"] = self.cr.sql_log_count - queries

    def median(self, env, func, repeat):
        """Median time over ``repeat`` runs, each on a cold ORM cache (like a new
        request) and warm database; the query count of the last run."""
        func()  # warm-up: Python code paths, database buffers
        times, queries = [], 0
        for _run in range(repeat):
            env.invalidate_all()
            result = {}
            with self.measure(result):
                func()
                env.flush_all()
            times.append(result["seconds"])
            queries = result["queries"]
        return statistics.median(times), queries


class Report:
    def __init__(self):
        self.failed = []
        self.lines = []

    def section(self, title):
        self.say(f"\n== {title}")

    def say(self, text):
        self.lines.append(text)
        print(text, flush=True)

    def check(self, label, ok, figure, target):
        status = "PASS" if ok else "FAIL"
        if not ok:
            self.failed.append(label)
        self.say(f"  [{status}] {label}: {figure} (target: {target})")

    def summary(self):
        """The last line; the exit status (1 when a target failed)."""
        self.say(
            f"\nbench: {len(self.failed)} target(s) failed"
            + (": " + "; ".join(self.failed) if self.failed else "")
        )
        return 1 if self.failed else 0


# ---------------------------------------------------------------- files
def write_slices(work_dir, sizes):
    """One CSV per import step (rows after the previous size up to this one)."""
    work_dir.mkdir(parents=True, exist_ok=True)
    rows = list(make_fleet.fleet_rows(sizes[-1]))
    files, previous = [], 0
    for size in sizes:
        path = work_dir / f"fleet_{previous + 1}-{size}.csv"
        make_fleet.write_csv(path, rows[previous:size])
        files.append((size, path, size - previous))
        previous = size
    return rows, files


# ---------------------------------------------------------------- baselines
def bare_create(env, rows, batch_size):
    """The same rows as bare equipment (name + serial, no tracking), by batches
    as the import writes them, then rolled back. Returns seconds."""
    name_col = make_fleet.COLUMN["Désignation"]
    serial_col = make_fleet.COLUMN["N° série"]
    Equipment = env["maintenance.equipment"].with_context(
        tracking_disable=True,
        mail_create_nolog=True,
        mail_create_nosubscribe=True,
        mail_notrack=True,
    )
    env.cr.execute("SAVEPOINT bench_bare")
    start = time.perf_counter()
    for begin in range(0, len(rows), batch_size):
        Equipment.create(
            [
                {"name": row[name_col], "serial_no": row[serial_col]}
                for row in rows[begin : begin + batch_size]
            ]
        )
        env.flush_all()
        env.invalidate_all()
    seconds = time.perf_counter() - start
    env.cr.execute("ROLLBACK TO SAVEPOINT bench_bare")
    env.invalidate_all()
    return seconds


def raw_copy(env, rows):
    """COPY of the same rows (every column, as text) into a plain table."""
    cr = env.cr
    columns = ", ".join(f"c{i} text" for i in range(len(make_fleet.HEADERS)))
    cr.execute("SAVEPOINT bench_copy")
    cr.execute(f"CREATE TABLE bench_copy ({columns})")
    buffer = io.StringIO()
    csv.writer(buffer, delimiter="\t", lineterminator="\n").writerows(rows)
    start = time.perf_counter()
    buffer.seek(0)
    cr._obj.copy_expert("COPY bench_copy FROM STDIN", buffer)
    seconds = time.perf_counter() - start
    cr.execute("ROLLBACK TO SAVEPOINT bench_copy")
    return seconds


def vacuum_analyze(registry, table):
    """What autovacuum does after a bulk load: planner statistics and the
    visibility map that index-only scans need. Outside any transaction."""
    with registry.cursor() as cr:
        cr.commit()
        cr._cnx.autocommit = True
        try:
            cr.execute(f"VACUUM ANALYZE {table}")
        finally:
            cr._cnx.autocommit = False


# ---------------------------------------------------------------- import
def dm_import(env, path, batch_size):
    """The DM import of one file, as the command line runs it (a commit per
    batch). Returns (seconds, import record)."""
    import base64

    data = path.read_bytes()
    mapping = env.ref("medical_device.dm_import_mapping_generic_fr")
    record = env["dm.fleet.import"].create(
        {
            "name": path.name,
            "filename": path.name,
            "file": base64.b64encode(data),
            "mapping_id": mapping.id,
            "batch_size": batch_size,
        }
    )
    env.cr.commit()
    # In its own transaction, as the command line or a request runs it: the
    # bench's environment holds what the sections before it read and wrote
    # (plan generation, OCA's rolled-back loop), which made the 1,001-10,000
    # step three times slower than the import itself (435 vs 1,198 rows/s).
    from odoo import api

    with env.registry.cursor() as cr:
        fresh = api.Environment(cr, env.uid, env.context)
        importing = record.with_env(fresh)
        start = time.perf_counter()
        done = importing._run(commit_per_batch=True, data=data)
        seconds = time.perf_counter() - start
        if not done or importing.failed_count:
            raise RuntimeError(f"import of {path.name} failed: {importing.log}")
        cr.commit()
    env.invalidate_all()
    return seconds, record


# The plan columns of the previous CMMS (readme/IMPORT.md): a PM pair and a
# QC pair, with the last QC's result.
PLAN_COLUMNS = {
    "Périodicité MP": "12 mois",
    "Dernière maintenance": f"{datetime.now() - timedelta(days=200):%d/%m/%Y}",
    "Périodicité CQ": "semestriel",
    "Date dernier CQ": f"{datetime.now() - timedelta(days=60):%d/%m/%Y}",
    "Résultat CQ": "Conforme",
}
PLAN_ROWS = 1000


def import_in_savepoint(env, path, batch_size):
    """The DM import of one file in this transaction (as the application
    runs it), rolled back. Returns (seconds, created, plans, operations)."""
    import base64

    data = path.read_bytes()
    env.cr.execute("SAVEPOINT bench_plan_import")
    record = env["dm.fleet.import"].create(
        {
            "name": path.name,
            "filename": path.name,
            "file": base64.b64encode(data),
            "mapping_id": env.ref("medical_device.dm_import_mapping_generic_fr").id,
            "batch_size": batch_size,
        }
    )
    counts = plan_counts(env)
    env.cr.execute("SELECT count(*) FROM maintenance_plan")
    plans_before = env.cr.fetchone()[0]
    start = time.perf_counter()
    record._run(data=data)
    env.flush_all()
    seconds = time.perf_counter() - start
    created, failed = record.created_count, record.failed_count
    env.cr.execute("SELECT count(*) FROM maintenance_plan")
    plans = env.cr.fetchone()[0] - plans_before
    operations = plan_counts(env)[0] - counts[0]
    env.cr.execute("ROLLBACK TO SAVEPOINT bench_plan_import")
    env.invalidate_all()
    if failed:
        raise RuntimeError(f"import of {path.name}: {failed} rows rejected")
    return seconds, created, plans, operations


def plan_import(env, work_dir, largest, batch_size):
    """1,000 new devices imported without and with the plan columns (each
    rolled back): (without, with) as import_in_savepoint's figures."""
    rows = list(make_fleet.fleet_rows(largest + PLAN_ROWS))[largest:]
    plain = work_dir / "fleet_plans_without.csv"
    make_fleet.write_csv(plain, rows)
    with_plans = work_dir / "fleet_plans_with.csv"
    with open(with_plans, "w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow([*make_fleet.HEADERS, *PLAN_COLUMNS])
        writer.writerows([*row, *PLAN_COLUMNS.values()] for row in rows)
    # Twice each, alternated, the faster of the two: the first import of a
    # run pays for warming caches the second does not.
    runs = [
        import_in_savepoint(env, path, batch_size)
        for _repeat in range(2)
        for path in (plain, with_plans)
    ]
    return min(runs[0::2]), min(runs[1::2])


# ---------------------------------------------------------------- kanban
def kanban_pages(env):
    """Callables that load the first page of the DM lifecycle kanban and of
    the core equipment kanban, as the web client does."""
    from odoo.addons.medical_device.tests.web_client import (
        FIRST_PAGE,
        action_kanban_first_page,
        kanban_first_page,
        view_specification,
    )

    Equipment = env["maintenance.equipment"]
    dm_page = action_kanban_first_page(env, DM_KANBAN_ACTION)
    core_arch = env.ref(CORE_KANBAN_VIEW).arch_db
    # The core kanban's own fields on the same page (same domain and grouping).
    core_page_grouped = kanban_first_page(
        Equipment, core_arch, [("is_medical_device", "=", True)], "lifecycle_state"
    )
    core_spec = view_specification(Equipment, core_arch)

    def core_page():
        # The core equipment action as shipped: not grouped, 80 records.
        return Equipment.web_search_read(
            [], core_spec, limit=FIRST_PAGE, count_limit=10001
        )

    return dm_page, core_page_grouped, core_page, dm_page.specification


# ---------------------------------------------------------------- pivot
PIVOT_SETS = [[], ["pieu_criticality"], ["cyber_risk_level"]]
PIVOT_SETS.append(["pieu_criticality", "cyber_risk_level"])


def pivot_orm(env):
    # The context of the cyber matrix action: every level, in its order.
    Equipment = env["maintenance.equipment"].with_context(read_group_expand=True)
    return Equipment.formatted_read_grouping_sets(
        [("is_medical_device", "=", True)], PIVOT_SETS, ["__count"]
    )


def pivot_sql(env):
    env.cr.execute(
        """
        SELECT pieu_criticality, cyber_risk_level, count(*)
          FROM maintenance_equipment
         WHERE is_medical_device AND active AND company_id = ANY(%s)
         GROUP BY GROUPING SETS ((), (pieu_criticality), (cyber_risk_level),
                                 (pieu_criticality, cyber_risk_level))
        """,
        [env.companies.ids],
    )
    return env.cr.fetchall()


# ---------------------------------------------------------------- vigilance
def vigilance_notice(env, size):
    """A safety notice of one model (its manufacturer + model) and one serial
    range holding 5 % of the fleet's devices, on the most common model."""
    Equipment = env["maintenance.equipment"]
    groups = Equipment._read_group(
        [("is_medical_device", "=", True), ("manufacturer_id", "!=", False)],
        ["model", "manufacturer_id"],
        ["__count"],
        order="__count desc",
        limit=1,
    )
    model, maker, _count = groups[0]
    serials = [
        code
        for serial in Equipment.search(
            [("model", "=", model), ("manufacturer_id", "=", maker.id)]
        ).mapped("serial_no")
        if serial and (code := vigilance_match.split_code(serial))
    ]
    prefix = max({c.prefix for c in serials}, key=[c.prefix for c in serials].count)
    codes = sorted(
        (c for c in serials if c.prefix == prefix), key=lambda c: int(c.digits)
    )
    wanted = max(1, min(len(codes), size // 20))
    low, high = codes[0], codes[wanted - 1]
    notice = env["dm.vigilance.notice"].create(
        {
            "name": f"BENCH-{size}",
            "title": "Benchmark notice",
            "manufacturer_id": maker.id,
            "model_list": f"{maker.name} + {model}",
            "serial_ranges": f"{low.prefix}{low.digits}-{high.prefix}{high.digits}",
        }
    )
    return notice, maker, model, low, high


def vigilance_sql(env, notice, maker, model, low, high):
    """The same selection, hand-written: the company's devices not disposed of
    that manufacturer and model whose serial has the prefix, the width and a
    number in the range."""
    env.cr.execute(
        """
        SELECT e.id
          FROM maintenance_equipment e
         WHERE e.company_id = %s AND e.is_medical_device AND e.active
           AND e.lifecycle_state IN ('acquisition', 'reception', 'in_service',
                                     'disposal')
           AND e.manufacturer_id = %s AND lower(e.model) = lower(%s)
           AND (CASE WHEN upper(e.serial_no) ~ %s
                     THEN substring(e.serial_no FROM %s)::bigint END)
               BETWEEN %s AND %s
        """,
        [
            notice.company_id.id,
            maker.id,
            model,
            f"^{re.escape(low.prefix)}[0-9]{{{len(low.digits)}}}$",
            len(low.prefix) + 1,
            int(low.digits),
            int(high.digits),
        ],
    )
    return [row[0] for row in env.cr.fetchall()]


def vigilance_bench(env, meter, size, repeat):
    """The match of a notice at this size: its selection vs the hand-written
    SQL (time, queries, the same devices), then the whole action_match (the
    actions created) and its re-run (none created)."""
    notice, maker, model, low, high = vigilance_notice(env, size)

    def select():
        return notice._dm_matching_devices(notice._dm_scope())

    orm = meter.median(env, select, repeat)
    sql_s = meter.median(
        env, lambda: vigilance_sql(env, notice, maker, model, low, high), repeat
    )[0]
    same = set(select()) == set(vigilance_sql(env, notice, maker, model, low, high))
    first, again = {}, {}
    with meter.measure(first):
        notice.action_match()
        env.flush_all()
    count = len(notice.action_ids)
    with meter.measure(again):
        notice.action_match()
        env.flush_all()
    return {
        "orm": orm,
        "sql": sql_s,
        "same": same,
        "devices": count,
        "first": first,
        "again": again,
        "created_again": len(notice.action_ids) - count,
    }


# ---------------------------------------------------------------- daily jobs
def daily_jobs(env):
    """(label, callable) of every daily job of the suite."""
    Equipment = env["maintenance.equipment"]
    jobs = [
        ("cyber watch (OS obsolescence, patch age)", Equipment, "_cron_cyber_watch"),
        ("CE certificate and transition deadlines", Equipment, "_cron_ce_deadlines"),
        ("approval reminders", env["dm.approval"], "_cron_remind_pending"),
        ("AI QC overdue", env["dm.software.qc.plan"], "_cron_check_overdue"),
    ]
    return [(label, getattr(model, method)) for label, model, method in jobs]


def created_counts(env):
    env.cr.execute(
        """SELECT (SELECT count(*) FROM mail_activity),
                  (SELECT count(*) FROM mail_message),
                  (SELECT count(*) FROM mail_followers)"""
    )
    return env.cr.fetchone()


def seed_approvals_and_plans(env, fleet_size):
    """Work for the reminders and the QC job, in proportion to the fleet: a
    pending approval older than the reminder period on 2% of the devices, one
    AI software in use with an overdue QC plan per 1,000 devices."""
    su = env(su=True)
    Approval = su["dm.approval"]
    done = Approval.search_count([])
    devices = su["maintenance.equipment"].search(
        [("is_medical_device", "=", True)], order="id", limit=fleet_size
    )
    wanted = fleet_size // 50
    long_ago = datetime.now() - timedelta(days=10)
    Approval.create(
        [
            {
                "name": "Network connection",
                "res_model": "maintenance.equipment",
                "res_id": device.id,
                "company_id": device.company_id.id,
                "rule_key": "rssi_network_connection",
                "step": "in_service",
                "role": "rssi" if index % 2 else "dpo",
                "requested_by_id": env.uid,
                "requested_on": long_ago,
            }
            for index, device in enumerate(devices[done:wanted])
        ]
    )
    Software = su["dm.software"]
    have = Software.search_count([])
    publisher = su["res.partner"].create({"name": "Bench AI", "is_company": True})
    softwares = Software.create(
        [
            {
                "name": f"AI software {index}",
                "publisher_id": publisher.id,
                "intended_purpose": "Detects findings on images.",
                "referent_id": env.uid,
                "hosting": "on_premises",
            }
            for index in range(have, max(have, fleet_size // 1000))
        ]
    )
    su["dm.software.qc.plan"].create(
        [
            {
                "name": f"Double reading {software.name}",
                "software_id": software.id,
                "method": "Double reading of 30 cases by a radiologist.",
                "responsible_id": env.uid,
                "date_start": (datetime.now() - timedelta(days=120)).date(),
            }
            for software in softwares
        ]
    )
    if softwares:
        # Setup only: the software's gated reception is not what is measured.
        env.cr.execute(
            "UPDATE dm_software SET lifecycle_state = 'in_use' WHERE id = ANY(%s)",
            [softwares.ids],
        )
    env.invalidate_all()
    env.cr.commit()


def run_daily_jobs(env, meter, fleet_size):
    def run_once(job):
        env.invalidate_all()
        figures = {}
        with meter.measure(figures):
            job()
            env.flush_all()
        env.cr.commit()
        return figures

    results = {}
    for label, job in daily_jobs(env):
        night_before = night_counts(env)
        first = run_once(job)
        night = [
            after - was
            for after, was in zip(night_counts(env), night_before, strict=True)
        ]
        before = created_counts(env)
        second = run_once(job)
        results[label] = {
            "seconds": first["seconds"],
            "queries": first["queries"],
            "per_1000": first["queries"] * 1000 / fleet_size,
            "second_new": [
                after - was
                for after, was in zip(created_counts(env), before, strict=True)
            ],
            "second_queries": second["queries"],
            # The first night: activities created, of them digests.
            "night_activities": night[0],
            "night_digests": night[1],
        }
    return results


def night_counts(env):
    """Activities and digest activities, to count what one night creates."""
    env.cr.execute(
        """SELECT (SELECT count(*) FROM mail_activity),
                  (SELECT count(*) FROM mail_activity
                    WHERE res_model = 'dm.activity.digest')"""
    )
    return env.cr.fetchone()


def digest_bounds(env):
    """(sites, companies, CE flags, cyber flags, digests by kind) of the
    fleet: the (company, location) pairs of the active devices, their
    companies, the devices whose signalled CE deadline or cyber state is
    remembered (the per-device flags), and the digests of all the nights."""
    env.cr.execute(
        """SELECT count(DISTINCT (company_id, coalesce(location, ''))),
                  count(DISTINCT company_id),
                  count(*) FILTER (WHERE dm_ce_signalled IS NOT NULL),
                  count(*) FILTER (WHERE dm_cyber_signalled IS NOT NULL)
             FROM maintenance_equipment WHERE active"""
    )
    bounds = env.cr.fetchone()
    env.cr.execute("SELECT kind, count(*) FROM dm_activity_digest GROUP BY kind")
    return (*bounds, dict(env.cr.fetchall()))


def report_daily_jobs(report, env, sizes, crons_by_size):
    """Sections 4 and 4b: the daily jobs at each size, and the activities of
    the first night after the largest import (digests and per-device
    flags)."""
    largest = sizes[-1]
    report.section("4. daily jobs (first run after the import, then again)")
    for size, results in crons_by_size.items():
        for label, figures in results.items():
            report.say(
                f"  {size:>7,} devices, {label}: {figures['seconds']:.2f} s, "
                f"{figures['queries']} queries "
                f"({figures['per_1000']:.1f} per 1,000 devices); second run: "
                f"{figures['second_queries']} queries, new activities/messages/"
                f"followers {figures['second_new']}"
            )
    smaller = sizes[-2] if len(sizes) >= 2 else largest
    for label, figures in crons_by_size[largest].items():
        before = crons_by_size[smaller][label]["per_1000"]
        report.check(
            f"{label}: queries per 1,000 devices at {largest:,} (at "
            f"{smaller:,}: {before:.1f}, must not grow)",
            figures["per_1000"] <= min(CRON_QUERY_BUDGET, before),
            f"{figures['per_1000']:.1f}",
            f"<= {CRON_QUERY_BUDGET}",
        )
        report.check(
            f"{label}: the second run creates nothing",
            figures["second_new"] == [0, 0, 0],
            f"{figures['second_new']} new activities, messages, followers",
            "[0, 0, 0]",
        )

    report.section("4b. the first night's activities (digests above the threshold)")
    threshold = env["dm.activity.digest"]._dm_threshold()
    sites, companies, ce_flags, cyber_flags, digests = digest_bounds(env)
    for size, results in crons_by_size.items():
        for label, figures in results.items():
            if label in DIGEST_JOBS:
                report.say(
                    f"  {size:>7,} devices, {label}: "
                    f"{figures['night_activities']:,} activities "
                    f"({figures['night_digests']:,} digests)"
                )
    report.say(
        f"  at {largest:,}: {sites} sites (company, location), threshold "
        f"{threshold}; per-device flags: CE {ce_flags:,}, cyber {cyber_flags:,}; "
        f"digests of all the nights: {digests}"
    )
    for label, kind in DIGEST_JOBS.items():
        figures = crons_by_size[largest][label]
        per_device = figures["night_activities"] - figures["night_digests"]
        # An open digest grows with the next import: count them all.
        report.check(
            f"{label}: the first night after the {largest:,}-device import, "
            "at most one digest per role and site, plus per-device flags",
            digests.get(kind, 0) <= sites and per_device <= threshold * companies,
            f"{figures['night_activities']:,} activities "
            f"({figures['night_digests']:,} new digests, {per_device:,} per "
            f"device), {digests.get(kind, 0)} digests in all",
            f"<= {sites} digests + {threshold * companies} per device",
        )


# ---------------------------------------------------------------- plans
def seed_device_plans(env):
    """Two plans per medical device: its model's yearly maintenance (one
    plan per device model, which every device of the model follows) and a
    six-monthly internal QC of its own. Setup, rolled back with the
    measures (see run_plan_generation)."""
    su = env(
        su=True,
        context={**env.context, "tracking_disable": True, "mail_create_nolog": True},
    )
    Plan = su["maintenance.plan"]
    env.cr.execute(
        """SELECT DISTINCT model FROM maintenance_equipment
            WHERE is_medical_device AND model IS NOT NULL"""
    )
    models_ = {row[0] for row in env.cr.fetchall()}
    have = set(Plan.search([("dm_is_model_plan", "=", True)]).mapped("dm_model_name"))
    Plan.create(
        [
            {
                "name": f"Yearly maintenance {model}",
                "dm_model_name": model,
                "dm_nature": "preventive",
                "interval": 1,
                "interval_step": "year",
                "dm_performer": "internal",
                "dm_source": "manufacturer",
            }
            for model in sorted(models_ - have)
        ]
    )
    env.cr.execute(
        """SELECT e.id, e.company_id FROM maintenance_equipment e
            WHERE e.is_medical_device AND NOT EXISTS (
                  SELECT 1 FROM maintenance_plan p
                   WHERE p.equipment_id = e.id AND p.dm_nature = 'qc_internal')
            ORDER BY e.id"""
    )
    missing = env.cr.fetchall()
    for begin in range(0, len(missing), 1000):
        Plan.create(
            [
                {
                    "name": "Internal QC",
                    "equipment_id": device_id,
                    "company_id": company_id,
                    "dm_nature": "qc_internal",
                    "interval": 6,
                    "interval_step": "month",
                    "maintenance_plan_horizon": 6,
                    "planning_step": "month",
                    "dm_performer": "internal",
                }
                for device_id, company_id in missing[begin : begin + 1000]
            ]
        )
        env.flush_all()
        env.invalidate_all()


def plan_counts(env):
    env.cr.execute(
        """SELECT (SELECT count(*) FROM maintenance_request),
                  (SELECT count(*) FROM mail_activity),
                  (SELECT count(*) FROM mail_message),
                  (SELECT count(*) FROM mail_followers)"""
    )
    return list(env.cr.fetchone())


def oca_loop(env):
    """OCA's cron loop, one plan at a time, over the medical devices' plans
    (what maintenance_plan does without this suite's batched generation)."""
    Plan = env["maintenance.plan"].sudo()
    for plan in Plan.search(
        [("interval", ">", 0), ("is_medical_device", "=", True)], order="id"
    ).filtered(lambda x: x.equipment_id.active):
        plan.equipment_id._create_new_request(plan)


def run_plan_generation(env, meter, fleet_size):
    """The plan-generation cron over the fleet, twice; OCA's loop over the same
    plans, up to OCA_LOOP_MAX devices. Everything is rolled back, the plans
    too: the next import step and the later sections measure the fleet as it
    was (a model's plan would give each new device of the model its plan)."""
    env.cr.execute("SAVEPOINT bench_plans_seed")
    seed_device_plans(env)
    Equipment = env["maintenance.equipment"]

    def measured(job):
        env.invalidate_all()
        figures = {}
        with meter.measure(figures):
            job()
            env.flush_all()
        return figures

    env.cr.execute(
        """SELECT count(*) FROM maintenance_plan p
             JOIN maintenance_equipment e ON e.id = p.equipment_id
            WHERE p.active AND e.is_medical_device
              AND e.lifecycle_state = 'in_service'"""
    )
    generating = env.cr.fetchone()[0]
    env.cr.execute("SAVEPOINT bench_plans")
    before = plan_counts(env)
    first = measured(Equipment._cron_generate_requests)
    middle = plan_counts(env)
    second = measured(Equipment._cron_generate_requests)
    after = plan_counts(env)
    env.cr.execute("ROLLBACK TO SAVEPOINT bench_plans")
    env.invalidate_all()
    oca = None
    if fleet_size <= OCA_LOOP_MAX:
        env.cr.execute("SAVEPOINT bench_oca")
        oca = measured(lambda: oca_loop(env))
        oca["created"] = plan_counts(env)[0] - before[0]
        env.cr.execute("ROLLBACK TO SAVEPOINT bench_oca")
        env.invalidate_all()
    env.cr.execute("ROLLBACK TO SAVEPOINT bench_plans_seed")
    env.invalidate_all()
    return {
        "plans": generating,
        "seconds": first["seconds"],
        "queries": first["queries"],
        "per_1000": first["queries"] * 1000 / fleet_size,
        "created": [m - b for m, b in zip(middle, before, strict=True)],
        "second_queries": second["queries"],
        "second_per_1000": second["queries"] * 1000 / fleet_size,
        "second_new": [a - m for a, m in zip(after, middle, strict=True)],
        "oca": oca,
    }


# ---------------------------------------------------------------- vulnerabilities
VULN_COMPONENTS = 20  # SBOM components per device model
KEV_CVES = 1200  # the synthetic KEV catalogue (CISA's lists about 1,400)
KEV_HITS = 20  # of which name a package of the fleet's SBOMs (the rest: none)
VULN_LINEAR = 1.5  # per-1,000-device time, largest size / smallest, at most
LOG4J = "pkg:maven/org.apache.logging.log4j/log4j-core"


def seed_vulnerability_watch(env):
    """Once: an SBOM of 20 components for each device model of the fleet
    (log4j-core 2.14.1 in one model in four, OpenSSL 1.1.1k in one in
    three, 18 npm packages) and a synthetic KEV catalogue: one NVD advisory
    per CVE with its range, log4j's (CVE-2021-44228) first; Windows before 8
    and one model of the fleet (all versions) as device products; KEV_HITS
    CVEs on the npm packages, the others on packages no device has."""
    from odoo.addons.dm_cyber.tools.vuln_match import component_match_key

    Advisory = env["dm.advisory"].sudo()
    if Advisory.search_count([("name", "=like", "BENCH-KEV-%")]):
        return Advisory.search([("name", "=like", "BENCH-KEV-%")], order="id")
    models = env["maintenance.equipment"]._read_group(
        [("is_medical_device", "=", True), ("model", "!=", False)],
        ["model", "manufacturer_id"],
    )
    components = []
    for index, (model, maker) in enumerate(models):
        sbom = (
            env["dm.sbom"]
            .sudo()
            .create(
                {
                    "name": f"SBOM {model}",
                    "dm_model_name": model,
                    "dm_model_manufacturer_id": maker.id,
                }
            )
        )
        packages = [
            ("log4j-core", "2.14.1" if index % 4 == 0 else "2.17.1", LOG4J),
            (
                "openssl",
                "1.1.1k" if index % 3 == 0 else "1.1.1w",
                "pkg:generic/openssl",
            ),
        ]
        packages += [
            (f"bench-lib-{j}", f"{1 + index % 5}.{j}.0", f"pkg:npm/bench-lib-{j}")
            for j in range(VULN_COMPONENTS - 2)
        ]
        for name, version, purl in packages:
            components.append(
                {
                    "sbom_id": sbom.id,
                    "name": name,
                    "version": version,
                    "purl": f"{purl}@{version}",
                    "match_key": component_match_key(name=name, purl=purl),
                }
            )
    env["dm.sbom.component"].sudo().create(components)
    cves = (
        env["dm.cve"]
        .sudo()
        .create(
            [
                {
                    "name": f"CVE-2099-{index:05d}",
                    "cvss_vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                    "known_exploited": True,
                    "epss_score": (index % 100) / 100,
                }
                for index in range(KEV_CVES)
            ]
        )
    )
    model, maker = models[0]

    def product(index):
        if index == 0:
            return {
                "purl": LOG4J,
                "start_including": "2.0-beta9",
                "end_excluding": "2.15.0",
            }
        if index == 1:
            return {
                "purl": "pkg:generic/openssl",
                "start_including": "1.1.1",
                "end_excluding": "1.1.1l",
            }
        if index == 2:
            return {"vendor": "Microsoft", "product": "Windows", "end_excluding": "8"}
        if index == 3:
            return {"vendor": maker.name, "product": model, "all_versions": True}
        if index < 4 + KEV_HITS:
            j = index % (VULN_COMPONENTS - 2)
            return {
                "purl": f"pkg:npm/bench-lib-{j}",
                "vers": f"vers:npm/>=3.{j}.0|<3.{j}.5",
            }
        return {"purl": f"pkg:npm/kev-unrelated-{index}", "end_excluding": "9.0"}

    vals = []
    for index, cve in enumerate(cves):
        values = product(index)
        values["match_key"] = component_match_key(
            name=values.get("product"),
            purl=values.get("purl"),
            vendor=values.get("vendor"),
        )
        vals.append(
            {
                "name": f"BENCH-KEV-{index:05d}",
                "source_kind": "nvd",
                "cve_ids": [(6, 0, cve.ids)],
                "product_ids": [(0, 0, {"cve_id": cve.id, **values})],
            }
        )
    advisories = Advisory.create(vals)
    env.cr.commit()
    return advisories


def reset_vulnerabilities(env):
    """No line, as before a first match (the bench database only)."""
    env.flush_all()
    env.cr.execute("DELETE FROM dm_vulnerability")
    env.cr.execute(
        "UPDATE maintenance_equipment SET cyber_vuln_exploitable = false "
        "WHERE cyber_vuln_exploitable"
    )
    env.invalidate_all()


def vulnerability_bench(env, meter, size):
    """Matching one advisory (log4j, in one model's SBOM in four), then the
    whole KEV catalogue, against the fleet: time and queries of a first match
    (no line yet) and of a re-run (that must create none)."""
    advisories = seed_vulnerability_watch(env)
    Vulnerability = env["dm.vulnerability"]
    medical = env["maintenance.equipment"].search_count(
        [("is_medical_device", "=", True)]
    )
    figures = {"devices": medical}
    reset_vulnerabilities(env)
    one = {}
    with meter.measure(one):
        stats = advisories[0]._dm_match()
        env.flush_all()
    figures["one"] = (one, stats)
    reset_vulnerabilities(env)
    kev, again = {}, {}
    cves = advisories.cve_ids
    with meter.measure(kev):
        stats = Vulnerability._dm_match_cves(cves)
        env.flush_all()
    figures["kev"] = (kev, stats)
    with meter.measure(again):
        stats_again = Vulnerability._dm_match_cves(cves)
        env.flush_all()
    figures["again"] = (again, stats_again)
    figures["lines"] = Vulnerability.sudo().search_count([])
    env.cr.commit()
    return figures


def report_vulnerability_bench(report, sizes, vulns_by_size):
    report.section(
        f"4d. vulnerability matching (model SBOMs of {VULN_COMPONENTS} components, "
        f"a synthetic KEV catalogue of {KEV_CVES:,} CVEs)"
    )
    per_k = {}
    for size in sizes:
        figures = vulns_by_size[size]
        thousands = max(figures["devices"], 1) / 1000
        row = {}
        for key in ("one", "kev", "again"):
            measured, stats = figures[key]
            row[key] = (
                measured["seconds"] / thousands,
                measured["queries"] / thousands,
                stats,
            )
        per_k[size] = row
        one, kev, again = row["one"], row["kev"], row["again"]
        report.say(
            f"  {size:>7,} devices ({figures['devices']:,} medical): one advisory "
            f"{one[0] * 1000:.0f} ms and {one[1]:.1f} queries per 1,000 devices "
            f"({one[2]['created']:,} lines); whole KEV {kev[0] * 1000:.0f} ms and "
            f"{kev[1]:.1f} queries per 1,000 devices ({kev[2]['created']:,} lines); "
            f"re-run {again[0] * 1000:.0f} ms and {again[1]:.1f} queries per 1,000 "
            f"devices, {again[2]['created']} created"
        )
    report.check(
        "re-running the KEV match creates no line",
        all(per_k[size]["again"][2]["created"] == 0 for size in sizes),
        ", ".join(str(per_k[size]["again"][2]["created"]) for size in sizes),
        "0",
    )
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        for key, label in (("one", "one advisory"), ("kev", "the whole KEV")):
            time_ratio = per_k[large][key][0] / max(per_k[small][key][0], 1e-9)
            query_ratio = per_k[large][key][1] / max(per_k[small][key][1], 1e-9)
            report.check(
                f"matching {label}: bounded and linear ({small:,} -> {large:,}, "
                "per-1,000-device time and queries, largest / smallest)",
                time_ratio <= VULN_LINEAR and query_ratio <= 1.0,
                f"time {time_ratio:.2f}, queries {query_ratio:.2f}",
                f"time <= {VULN_LINEAR}, queries <= 1.0",
            )


def report_plan_generation(report, sizes, plans_by_size):
    report.section(
        "4c. plan generation (OCA's cron over medical devices, two plans each)"
    )
    for size, figures in plans_by_size.items():
        created = figures["created"]
        line = (
            f"  {size:>7,} devices ({figures['plans']:,} plans in service): "
            f"{figures['seconds']:.2f} s, {figures['queries']:,} queries "
            f"({figures['per_1000']:.1f} per 1,000 devices), {created[0]:,} "
            f"operations, {created[1]:,} activities; second run: "
            f"{figures['second_queries']} queries "
            f"({figures['second_per_1000']:.1f} per 1,000), new operations/"
            f"activities/messages/followers {figures['second_new']}"
        )
        oca = figures["oca"]
        if oca:
            line += (
                f" | OCA's loop, one plan at a time: {oca['seconds']:.2f} s, "
                f"{oca['queries']:,} queries ({oca['queries'] * 1000 / size:.1f} "
                f"per 1,000 devices), {oca['created']:,} operations"
            )
        report.say(line)
    largest = sizes[-1]
    smaller = sizes[-2] if len(sizes) >= 2 else largest
    figures = plans_by_size[largest]
    before = plans_by_size[smaller]["per_1000"]
    report.check(
        f"plan generation: queries per 1,000 devices at {largest:,} (at "
        f"{smaller:,}: {before:.1f}, must not grow)",
        figures["per_1000"] <= min(PLAN_QUERY_BUDGET, before * 1.05),
        f"{figures['per_1000']:.1f}",
        f"<= {PLAN_QUERY_BUDGET}",
    )
    report.check(
        "plan generation: the second run creates nothing",
        figures["second_new"] == [0, 0, 0, 0],
        f"{figures['second_new']} new operations, activities, messages, followers",
        "[0, 0, 0, 0]",
    )
    for size, ours in plans_by_size.items():
        oca = ours["oca"]
        if oca:
            report.check(
                f"plan generation at {size:,}: as many operations as OCA's loop, "
                f"{oca['seconds'] / ours['seconds']:.1f}x faster",
                oca["created"] == ours["created"][0],
                f"{ours['created'][0]:,} vs {oca['created']:,}",
                "equal",
            )


# ---------------------------------------------------------------- recompute
def os_recompute(env, meter, repeat):
    """Put 50,000 devices on one OS (setup), then time the write of its end of
    support that makes them all obsolete, against a raw UPDATE of the rows."""
    su = env(su=True)
    os_version = su.ref("dm_cyber.dm_os_windows_10_iot_enterprise_ltsc_2021")
    env.cr.execute(
        """SELECT id FROM maintenance_equipment
            WHERE is_medical_device ORDER BY id LIMIT %s""",
        [OS_FLEET],
    )
    ids = [row[0] for row in env.cr.fetchall()]
    env.cr.execute(
        """UPDATE maintenance_equipment
              SET is_connected = true, os_version_id = %s
            WHERE id = ANY(%s)""",
        [os_version.id, ids],
    )
    env.invalidate_all()
    su["maintenance.equipment"]._recompute_stored(
        [
            "cyber_os_obsolete",
            "cyber_patch_outdated",
            "cyber_risk_score",
            "cyber_risk_level",
            "cyber_matrix_complete",
        ],
        [("id", "in", ids)],
    )
    env.flush_all()
    env.cr.commit()
    # Every device on that OS, archived (disposed) ones included.
    env.cr.execute(
        "SELECT count(*) FROM maintenance_equipment WHERE os_version_id = %s",
        [os_version.id],
    )
    on_this_os = env.cr.fetchone()[0]
    original = os_version.end_of_support
    past = datetime(2020, 1, 14).date()
    future = datetime(2032, 1, 13).date()
    orm_times, sql_times, queries, changed = [], [], 0, 0
    for run in range(repeat):
        target = past if run % 2 == 0 else future
        env.invalidate_all()
        result = {}
        with meter.measure(result):
            su.ref("dm_cyber.dm_os_windows_10_iot_enterprise_ltsc_2021").write(
                {"end_of_support": target}
            )
            env.flush_all()
        orm_times.append(result["seconds"])
        queries = result["queries"]
        env.cr.execute(
            """SELECT count(*) FROM maintenance_equipment
                WHERE os_version_id = %s AND cyber_os_obsolete = %s""",
            [os_version.id, target == past],
        )
        changed = env.cr.fetchone()[0]
        env.cr.commit()
        start = time.perf_counter()
        env.cr.execute(
            """UPDATE maintenance_equipment
                  SET cyber_os_obsolete = NOT cyber_os_obsolete,
                      cyber_risk_score = cyber_risk_score + 1,
                      cyber_risk_level = cyber_risk_level
                WHERE os_version_id = %s""",
            [os_version.id],
        )
        sql_times.append(time.perf_counter() - start)
        env.cr.rollback()
    su.ref("dm_cyber.dm_os_windows_10_iot_enterprise_ltsc_2021").write(
        {"end_of_support": original}
    )
    env.cr.commit()
    orm_s, sql_s = statistics.median(orm_times), statistics.median(sql_times)
    return orm_s, sql_s, queries, changed, on_this_os


# ---------------------------------------------------------------- main
def fmt_rate(rows, seconds):
    return f"{rows / seconds:,.0f} rows/s"


def run(args):
    report = Report()
    report.say(
        f"medical device suite benchmark, {datetime.now():%Y-%m-%d %H:%M}, "
        f"database {args.database}, sizes {args.sizes}, {os.cpu_count()} cores"
    )
    rows, files = write_slices(args.work_dir, args.sizes)
    largest = args.sizes[-1]
    registry, env = setup_env(args)
    with env.cr as cr:
        meter = Meter(cr)

        report.section(f"1. import throughput ({largest:,} rows)")
        bare_seconds = bare_create(env, rows, args.batch_size)
        copy_seconds = raw_copy(env, rows)
        report.say(
            f"  bare maintenance.equipment create: {bare_seconds:.1f} s "
            f"({fmt_rate(largest, bare_seconds)})"
        )
        report.say(
            f"  raw COPY into a plain table:       {copy_seconds:.2f} s "
            f"({fmt_rate(largest, copy_seconds)})"
        )

        import_seconds = 0.0
        baseline_rss = proc_status_kib("VmRSS")
        peak_growth = 0
        peak_supported = reset_peak_rss()
        kanban, steps, crons_by_size, pivots, dashboards = {}, [], {}, {}, {}
        vigilance = {}
        plans_by_size, vulns_by_size = {}, {}
        for size, path, count in files:
            rss_before = proc_status_kib("VmRSS")
            reset_peak_rss()
            seconds, _record = dm_import(env, path, args.batch_size)
            peak_growth = max(peak_growth, proc_status_kib("VmHWM") - baseline_rss)
            import_seconds += seconds
            steps.append((size, count, seconds))
            report.say(
                f"  DM import of rows {size - count + 1:,}-{size:,}: {seconds:.1f} s "
                f"({fmt_rate(count, seconds)}), RSS {rss_before // 1024} MiB before"
            )
            vacuum_analyze(registry, "maintenance_equipment")
            # The daily jobs run on the new devices first, as they would the
            # night after the import; the kanban then shows their activities.
            seed_approvals_and_plans(env, size)
            crons_by_size[size] = run_daily_jobs(env, meter, size)
            plans_by_size[size] = run_plan_generation(env, meter, size)
            dm_page, core_grouped, core_page, dm_spec = kanban_pages(env)
            kanban[size] = {
                "dm": meter.median(env, dm_page, args.repeat),
                "core_grouped": meter.median(env, core_grouped, args.repeat),
                "core": meter.median(env, core_page, args.repeat),
            }
            pivots[size] = (
                meter.median(env, lambda: pivot_orm(env), args.repeat),
                meter.median(env, lambda: pivot_sql(env), args.repeat)[0],
            )
            dashboards[size] = meter.median(
                env, env["dm.dashboard"].get_panels, args.repeat
            )
            vigilance[size] = vigilance_bench(env, meter, size, args.repeat)
            vulns_by_size[size] = vulnerability_bench(env, meter, size)

        ratio = largest / import_seconds / (largest / bare_seconds)
        report.say(
            f"  DM import, total: {import_seconds:.1f} s "
            f"({fmt_rate(largest, import_seconds)})"
        )
        report.check(
            "DM import vs bare create (throughput ratio)",
            ratio >= 0.5,
            f"{ratio:.2f}",
            ">= 0.5",
        )
        report.say(
            f"  DM import vs raw COPY (the physical floor): "
            f"{copy_seconds / import_seconds:.4f} "
            f"(COPY is {import_seconds / copy_seconds:,.0f}x faster)"
        )
        without, with_plans = plan_import(env, args.work_dir, largest, args.batch_size)
        # Per record written: a row with plans writes its device, two plans
        # and two operations; the figure compares the cost of each record.
        records = with_plans[1] + with_plans[2] + with_plans[3]
        per_record = (records / with_plans[0]) / (without[1] / without[0])
        report.say(
            f"  1b. {PLAN_ROWS:,} new rows without plan columns: {without[0]:.1f} s "
            f"({fmt_rate(without[1], without[0])}); with a PM and a QC pair each: "
            f"{with_plans[0]:.1f} s ({fmt_rate(with_plans[1], with_plans[0])}), "
            f"{with_plans[2]:,} plans and {with_plans[3]:,} last operations "
            f"({records / with_plans[0]:,.0f} records/s; rows "
            f"{without[0] / with_plans[0]:.2f}x as fast)"
        )
        report.check(
            "import with two plans and two last operations per row: records "
            "written per second vs the devices per second without",
            per_record >= 0.5 and with_plans[3] >= PLAN_ROWS,
            f"{per_record:.2f}",
            ">= 0.5",
        )
        if len(steps) >= 2:
            small, big = steps[-2], steps[-1]
            small_rate, big_rate = small[1] / small[2], big[1] / big[2]
            report.check(
                f"import stays near-linear from {small[0]:,} to {big[0]:,} devices "
                "(throughput of the last step / the one before)",
                big_rate / small_rate >= 0.7,
                f"{small_rate:,.0f} -> {big_rate:,.0f} rows/s "
                f"({big_rate / small_rate:.2f})",
                ">= 0.7",
            )

        report.section(
            "2. lifecycle kanban, first page (80 records per group, "
            f"grouped by lifecycle, {len(dm_spec)} fields)"
        )
        for size in args.sizes:
            (dm_s, dm_q) = kanban[size]["dm"]
            (cg_s, cg_q) = kanban[size]["core_grouped"]
            (core_s, core_q) = kanban[size]["core"]
            report.say(
                f"  {size:>7,} devices: DM kanban {dm_s * 1000:7.1f} ms, {dm_q} "
                f"queries | core kanban view, same page {cg_s * 1000:7.1f} ms, "
                f"{cg_q} queries | core kanban as shipped (not grouped) "
                f"{core_s * 1000:7.1f} ms, {core_q} queries"
            )
        counts = {kanban[size]["dm"][1] for size in args.sizes}
        report.check(
            "kanban query count identical at every size",
            len(counts) == 1,
            ", ".join(str(kanban[size]["dm"][1]) for size in args.sizes),
            "one value",
        )
        dm_s = kanban[largest]["dm"][0]
        core_grouped_s = kanban[largest]["core_grouped"][0]
        report.check(
            f"kanban time at {largest:,} vs the core equipment kanban (same page)",
            dm_s <= 1.5 * core_grouped_s,
            f"{dm_s * 1000:.1f} ms vs {core_grouped_s * 1000:.1f} ms "
            f"({dm_s / core_grouped_s:.2f}x)",
            "<= 1.5x",
        )
        if len(args.sizes) >= 2:
            first = kanban[args.sizes[-2]]["dm"][0]
            report.say(
                f"  growth {args.sizes[-2]:,} -> {largest:,}: "
                f"{dm_s / first:.2f}x time for {largest / args.sizes[-2]:.0f}x devices"
            )

        report.section("3. criticality x cyber risk pivot")
        for size in args.sizes:
            (orm_s, orm_q), sql_s = pivots[size]
            report.say(
                f"  {size:>7,} devices: pivot {orm_s * 1000:6.1f} ms ({orm_q} "
                f"queries), hand-written SQL {sql_s * 1000:6.1f} ms"
            )
        (orm_s, orm_q), sql_s = pivots[largest]
        report.check(
            "pivot (formatted_read_grouping_sets) vs hand-written SQL GROUP BY",
            orm_s <= 3 * sql_s,
            f"{orm_s * 1000:.1f} ms ({orm_q} queries) vs {sql_s * 1000:.1f} ms "
            f"({orm_s / sql_s:.2f}x)",
            "<= 3x",
        )

        report.section("3b. criticality dashboard (dm.dashboard.get_panels, 5 panels)")
        for size in args.sizes:
            seconds, queries = dashboards[size]
            report.say(
                f"  {size:>7,} devices: {seconds * 1000:6.1f} ms, {queries} queries"
            )
        counts = {dashboards[size][1] for size in args.sizes}
        report.check(
            "dashboard query count identical at every size (no loop over devices)",
            len(counts) == 1,
            ", ".join(str(dashboards[size][1]) for size in args.sizes),
            "one value",
        )

        report.section(
            "3c. safety notice match (one model, one serial range: 5 % of the fleet)"
        )
        for size in args.sizes:
            figures = vigilance[size]
            (orm_s, orm_q), sql_s = figures["orm"], figures["sql"]
            report.say(
                f"  {size:>7,} devices: selection {orm_s * 1000:6.1f} ms ({orm_q} "
                f"queries), hand-written SQL {sql_s * 1000:6.1f} ms; "
                f"{figures['devices']:,} devices concerned; action_match "
                f"{figures['first']['seconds'] * 1000:.0f} ms "
                f"({figures['first']['queries']} queries), re-run "
                f"{figures['again']['seconds'] * 1000:.0f} ms "
                f"({figures['again']['queries']} queries)"
            )
        figures = vigilance[largest]
        (orm_s, orm_q), sql_s = figures["orm"], figures["sql"]
        report.check(
            f"notice selection at {largest:,} vs hand-written SQL (same devices)",
            orm_s <= 3 * sql_s and figures["same"],
            f"{orm_s * 1000:.1f} ms ({orm_q} queries) vs {sql_s * 1000:.1f} ms "
            f"({orm_s / sql_s:.2f}x), same devices: {figures['same']}",
            "<= 3x",
        )
        report.check(
            "re-running the match creates no action",
            all(vigilance[size]["created_again"] == 0 for size in args.sizes),
            ", ".join(str(vigilance[size]["created_again"]) for size in args.sizes),
            "0",
        )

        report_daily_jobs(report, env, args.sizes, crons_by_size)
        report_plan_generation(report, args.sizes, plans_by_size)
        report_vulnerability_bench(report, args.sizes, vulns_by_size)

        report.section(
            f"5. fleet-wide recompute after a reference change ({OS_FLEET:,} devices)"
        )
        orm_s, sql_s, queries, changed, on_os = os_recompute(env, meter, args.repeat)
        report.say(
            f"  devices on that OS: {on_os:,}; whose obsolescence followed the new "
            f"date: {changed:,}"
        )
        report.check(
            "edit one OS end-of-support date vs raw SQL UPDATE of the same rows",
            orm_s <= 10 * sql_s and changed == on_os >= min(OS_FLEET, largest),
            f"{orm_s:.2f} s ({queries} queries) vs {sql_s:.2f} s "
            f"({orm_s / sql_s:.1f}x)",
            "<= 10x, every device updated",
        )

        report.section("6. memory")
        report.check(
            f"peak RSS growth of this Odoo process during the {largest:,}-row import",
            peak_supported and peak_growth <= 1024 * 1024,
            f"{peak_growth / 1024:.0f} MiB (RSS {baseline_rss // 1024} MiB before)",
            "<= 1024 MiB",
        )

    if args.load:
        bench_load.run(args, registry, report, largest)
    return report.summary()


def setup_env(args):
    """The registry and the benchmark's user (admin, as a user: record rules
    apply) with the suite's roles that receive the daily jobs' activities."""
    import_odoo()
    from odoo import api
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config(
        ["-c", args.config, "-d", args.database, "--log-level=warn"],
        setup_logging=True,
    )
    registry = Registry(args.database)
    # Importable once the registry is loaded.
    global vigilance_match
    from odoo.addons.medical_device.tools import vigilance_match

    cr = registry.cursor()
    env = api.Environment(cr, 2, {})
    user = env.user
    user.write(
        {
            "group_ids": [
                (4, env.ref("medical_device.group_dm_engineer").id),
                (4, env.ref("medical_device.group_dm_rssi").id),
                (4, env.ref("medical_device.group_dm_pharmacist").id),
            ]
        }
    )
    cr.commit()
    return registry, api.Environment(cr, user.id, user.context_get())


def run_night_only(args):
    """Sections 4 and 4b alone: the fleet imported by the steps of --sizes,
    each step followed by the daily jobs' night, then what the first night
    after the largest import created (the 100,000-device figure without the
    rest of the benchmark)."""
    report = Report()
    report.say(
        f"medical device suite benchmark (daily jobs only), "
        f"{datetime.now():%Y-%m-%d %H:%M}, database {args.database}, sizes "
        f"{args.sizes}, {os.cpu_count()} cores"
    )
    _rows, files = write_slices(args.work_dir, args.sizes)
    registry, env = setup_env(args)
    try:
        meter = Meter(env.cr)
        crons_by_size, plans_by_size = {}, {}
        for size, path, count in files:
            seconds, _record = dm_import(env, path, args.batch_size)
            report.say(
                f"  DM import of rows {size - count + 1:,}-{size:,}: {seconds:.1f} s "
                f"({fmt_rate(count, seconds)})"
            )
            vacuum_analyze(registry, "maintenance_equipment")
            seed_approvals_and_plans(env, size)
            crons_by_size[size] = run_daily_jobs(env, meter, size)
            plans_by_size[size] = run_plan_generation(env, meter, size)
        report_daily_jobs(report, env, args.sizes, crons_by_size)
        report_plan_generation(report, args.sizes, plans_by_size)
    finally:
        env.cr.close()
    return report.summary()


def run_vuln_only(args):
    """Section 4d alone: the fleet imported by the steps of --sizes, each step
    followed by the vulnerability matching."""
    report = Report()
    report.say(
        f"medical device suite benchmark (vulnerability matching only), "
        f"{datetime.now():%Y-%m-%d %H:%M}, database {args.database}, sizes "
        f"{args.sizes}, {os.cpu_count()} cores"
    )
    _rows, files = write_slices(args.work_dir, args.sizes)
    registry, env = setup_env(args)
    try:
        meter = Meter(env.cr)
        vulns_by_size = {}
        for size, path, count in files:
            seconds, _record = dm_import(env, path, args.batch_size)
            report.say(
                f"  DM import of rows {size - count + 1:,}-{size:,}: {seconds:.1f} s "
                f"({fmt_rate(count, seconds)})"
            )
            vacuum_analyze(registry, "maintenance_equipment")
            vulns_by_size[size] = vulnerability_bench(env, meter, size)
        report_vulnerability_bench(report, args.sizes, vulns_by_size)
    finally:
        env.cr.close()
    return report.summary()


def run_plans_only(args):
    """Section 4c alone, on the fleet already in the database: the plan
    generation over its medical devices (seeded plans, both runs, rolled
    back), the fleet size being the number of medical devices."""
    report = Report()
    _registry, env = setup_env(args)
    try:
        env.cr.execute(
            "SELECT count(*) FROM maintenance_equipment WHERE is_medical_device"
        )
        size = env.cr.fetchone()[0]
        if not size:
            raise SystemExit(
                f"no medical device in {args.database}: run the benchmark first"
            )
        report.say(
            f"medical device suite benchmark (plan generation only), "
            f"{datetime.now():%Y-%m-%d %H:%M}, database {args.database}, "
            f"{size:,} medical devices already there, {os.cpu_count()} cores"
        )
        plans_by_size = {size: run_plan_generation(env, Meter(env.cr), size)}
        report_plan_generation(report, [size], plans_by_size)
    finally:
        env.cr.rollback()
        env.cr.close()
    return report.summary()


def run_vulns_only(args):
    """Section 4d alone, on the fleet already in the database: the matching of
    one advisory and of the whole synthetic KEV catalogue against its medical
    devices."""
    report = Report()
    _registry, env = setup_env(args)
    try:
        env.cr.execute(
            "SELECT count(*) FROM maintenance_equipment WHERE is_medical_device"
        )
        size = env.cr.fetchone()[0]
        if not size:
            raise SystemExit(
                f"no medical device in {args.database}: run the benchmark first"
            )
        report.say(
            f"medical device suite benchmark (vulnerability matching only), "
            f"{datetime.now():%Y-%m-%d %H:%M}, database {args.database}, "
            f"{size:,} medical devices already there, {os.cpu_count()} cores"
        )
        figures = {size: vulnerability_bench(env, Meter(env.cr), size)}
        report_vulnerability_bench(report, [size], figures)
    finally:
        env.cr.close()
    return report.summary()


def run_load_only(args):
    """The load and faults step alone, on the database of a previous run."""
    import_odoo()
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config(
        ["-c", args.config, "-d", args.database, "--log-level=warn"],
        setup_logging=True,
    )
    args.work_dir.mkdir(parents=True, exist_ok=True)
    report = Report()
    bench_load.run(args, Registry(args.database), report, args.sizes[-1])
    return report.summary()


def main(argv=None):
    args = parse_args(argv)
    if args.load_only:
        return run_load_only(args)
    if args.vuln_only:
        return run_vuln_only(args)
    if args.only == "plans":
        return run_plans_only(args)
    if args.only == "vulns":
        return run_vulns_only(args)
    return run_night_only(args) if args.night_only else run(args)


if __name__ == "__main__":
    sys.exit(main())
