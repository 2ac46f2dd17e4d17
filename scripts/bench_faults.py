"""Faults of the benchmark (scripts/bench.py, section 8), after the load step
(scripts/bench_load.py), on the same server in workers mode.

Three imports of new devices are cut in the middle of a batch:

1. the import runs in an HTTP worker (the import form's button): the worker
   is killed with SIGKILL while the import's transaction is writing; the
   import is run again from the form;
2. the import runs on the command line (scripts/import_fleet.py, a commit per
   batch): the process is killed with SIGKILL in the middle of a batch; the
   same command resumes after ``last_committed_row``;
3. the same, but PostgreSQL is restarted (``pg_ctl restart -m fast``) in the
   middle of a batch; the HTTP server must answer again, and the same command
   resumes the import.

Each time the database is counted: every row of the file present exactly
once (no lost row, no duplicate serial number in the whole fleet) and the
import's counters equal to the file's rows. "nothing lost, nothing
duplicated" is printed only from those counts.
"""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import make_fleet
from bench_load import Client, count_serials, duplicate_serials

ROOT = Path(__file__).resolve().parent.parent
SERIAL = make_fleet.COLUMN["N° série"]
BATCH = 100


def fault_files(args, plan):
    rows, size = plan["fault_rows"], args.fault_rows
    files = []
    for index, name in enumerate(("kill_worker", "kill_cli", "pg_restart")):
        chunk = rows[index * size : (index + 1) * size]
        path = args.work_dir / f"fault_{name}.csv"
        make_fleet.write_csv(path, chunk)
        files.append((path, [row[SERIAL] for row in chunk]))
    return files


def cpu_ticks(pid):
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    except OSError:
        return 0


def http_workers(server_pid):
    """The HTTP worker processes of the server (not its gevent process)."""
    workers = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if int(stat[1]) == server_pid and b"gevent" not in cmdline:
            workers.append(int(entry.name))
    return workers


def writing_worker(registry, db, server_pid, min_age, timeout=120):
    """(pid, age) of the HTTP worker of ``server_pid`` that runs the import:
    once a transaction of the server has been writing for ``min_age``
    seconds, the worker that is using the CPU (the server's connections all
    carry the main process's pid as application name, so PostgreSQL cannot
    tell the workers apart)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with registry.cursor() as cr:
            cr.execute(
                """SELECT max(extract(epoch FROM now() - xact_start))
                     FROM pg_stat_activity
                    WHERE datname = %s AND backend_xid IS NOT NULL
                      AND application_name = %s""",
                [db, f"odoo-{server_pid}"],
            )
            age = cr.fetchone()[0]
        if age is not None and age >= min_age:
            workers = http_workers(server_pid)
            before = {pid: cpu_ticks(pid) for pid in workers}
            time.sleep(0.3)
            busiest = max(workers, key=lambda pid: cpu_ticks(pid) - before[pid])
            return busiest, float(age) + 0.3
        time.sleep(0.05)
    return None, 0.0


def transaction_gone(registry, db, server_pid, timeout=60):
    """Wait until PostgreSQL has rolled back the killed worker's transaction."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with registry.cursor() as cr:
            cr.execute(
                """SELECT count(*) FROM pg_stat_activity
                    WHERE datname = %s AND backend_xid IS NOT NULL
                      AND application_name = %s""",
                [db, f"odoo-{server_pid}"],
            )
            if not cr.fetchone()[0]:
                return True
        time.sleep(0.2)
    return False


def import_record(registry, import_id):
    with registry.cursor() as cr:
        cr.execute(
            """SELECT state, row_count, processed_count, created_count,
                      updated_count, failed_count, last_committed_row
                 FROM dm_fleet_import WHERE id = %s""",
            [import_id],
        )
        names = [
            "state",
            "rows",
            "processed",
            "created",
            "updated",
            "failed",
            "last_row",
        ]
        return dict(zip(names, cr.fetchone(), strict=True))


def counted(registry, serials, import_id):
    """What the database holds for this file: (ok, text)."""
    record = import_record(registry, import_id)
    with registry.cursor() as cr:
        rows, distinct = count_serials(cr, serials)
    wanted = len(serials)
    ok = (
        rows == distinct == wanted
        and record["state"] == "done"
        and record["rows"] == record["processed"] == record["created"] == wanted
        and not record["updated"]
        and not record["failed"]
        and record["last_row"] == wanted + 1  # row 1 is the header
    )
    text = (
        f"{rows:,} devices for {wanted:,} rows ({distinct:,} distinct serials); "
        f"import {record['state']}: {record['processed']:,} read, "
        f"{record['created']:,} created, {record['updated']} updated, "
        f"{record['failed']} rejected, last row {record['last_row']:,}"
    )
    return ok, text


# ---------------------------------------------------------------- 1. worker
def kill_http_worker(args, registry, report, server, plan, path, serials):
    client = Client(
        server.url, args.database, plan["logins"]["engineer"], plan["password"]
    )
    import base64

    import_id = client.call(
        "dm.fleet.import",
        "create",
        {
            "name": path.name,
            "filename": path.name,
            "file": base64.b64encode(path.read_bytes()).decode(),
            "mapping_id": plan["mapping_id"],
            "batch_size": BATCH,
        },
    )
    outcome = {}

    def press_import():
        try:
            outcome["result"] = client.call(
                "dm.fleet.import", "action_import", [import_id]
            )
        except Exception as error:
            outcome["error"] = f"{type(error).__name__}"

    thread = threading.Thread(target=press_import)
    thread.start()
    pid, age = writing_worker(registry, args.database, server.process.pid, 1.0)
    if pid:
        os.kill(pid, signal.SIGKILL)
    thread.join()
    cut = pid and "error" in outcome
    gone = cut and transaction_gone(registry, args.database, server.process.pid)
    with registry.cursor() as cr:
        written, _distinct = count_serials(cr, serials)
    before = import_record(registry, import_id)
    report.say(
        f"  1. import of {len(serials):,} rows in an HTTP worker: worker {pid} "
        f"killed (SIGKILL) {age:.1f} s into the import's transaction; request "
        f"{outcome.get('error') or 'not cut: ' + str(outcome.get('result'))}; "
        f"left written: {written} rows, import {before['state']}"
    )
    result = client.call("dm.fleet.import", "action_import", [import_id])
    ok, text = counted(registry, serials, import_id)
    report.say(f"     run again from the form ({result is True}): {text}")
    report.check(
        "kill a worker in the middle of an import batch, run it again: every row "
        "once, counters right",
        bool(cut and gone and written == 0 and ok and result is True),
        "yes" if ok else "no",
        "every row once",
    )
    return ok


# ---------------------------------------------------------------- 2 and 3. CLI
def cli_command(args, path):
    return [
        sys.executable,
        str(ROOT / "scripts" / "import_fleet.py"),
        "--config",
        str(args.config),
        "--database",
        args.database,
        "--file",
        str(path),
        "--batch-size",
        str(BATCH),
        "--user-login",
        "bench_engineer",
    ]


def cli_import_with_fault(args, path, fault, after_batches=5):
    """Run the command-line import; after ``after_batches`` committed batches
    and half a batch more, call ``fault(process)``. Returns (import id, exit
    status, output)."""
    process = subprocess.Popen(
        cli_command(args, path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    )
    import_id, ticks, output = None, [], []
    for line in process.stdout:
        output.append(line.rstrip())
        if line.startswith("import #"):
            import_id = int(line.split("#", 1)[1].split()[0])
        if line.startswith("["):
            ticks.append(time.monotonic())
            if len(ticks) == after_batches:
                interval = (ticks[-1] - ticks[0]) / (len(ticks) - 1)
                time.sleep(interval / 2)
                fault(process)
                break
    rest, _ = process.communicate(timeout=300)
    output += rest.splitlines()
    return import_id, process.returncode, output


def resume(args, path):
    done = subprocess.run(
        cli_command(args, path), capture_output=True, text=True, timeout=900
    )
    lines = done.stdout.splitlines()
    resumed = next((line for line in lines if line.startswith("resuming")), "")
    return done.returncode, resumed, lines


def kill_cli(args, registry, report, path, serials):
    import_id, status, _output = cli_import_with_fault(
        args, path, lambda process: process.kill()
    )
    before = import_record(registry, import_id)
    report.say(
        f"  2. command-line import of {len(serials):,} rows (a commit per batch of "
        f"{BATCH}): process killed (SIGKILL) in the middle of a batch (exit "
        f"{status}); import {before['state']}, last row written {before['last_row']:,}"
    )
    return finish_cli(
        args, registry, report, path, serials, import_id, before, "kill", True
    )


def pg_restart_command():
    pg_ctl, data = os.environ.get("DM_PG_CTL"), os.environ.get("DM_PGDATA")
    if not (pg_ctl and data):
        return None
    command = [pg_ctl, "-D", data, "-m", "fast", "-w", "-t", "60", "restart"]
    if os.environ.get("DM_PG_LOG"):
        command[1:1] = ["-l", os.environ["DM_PG_LOG"]]
    if os.environ.get("DM_BENCH_PG_USER"):
        command = ["runuser", "-u", os.environ["DM_BENCH_PG_USER"], "--", *command]
    return command


def restart_pg(args, registry, report, server, plan, path, serials):
    command = pg_restart_command()
    if not command:
        report.say(
            "  3. PostgreSQL restart: skipped (PostgreSQL given by PG* variables: "
            "the bench restarts only its own cluster)"
        )
        return None
    probe = Client(
        server.url, args.database, plan["logins"]["technician"], plan["password"]
    )
    timing = {}

    def restart(_process):
        start = time.monotonic()
        subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
        )
        timing["restart"] = time.monotonic() - start

    import_id, status, _output = cli_import_with_fault(args, path, restart)
    from odoo import sql_db

    sql_db.close_all()  # this process's connections died with the server
    # The HTTP server: how many page loads fail before it answers again.
    failures, start = 0, time.monotonic()
    while time.monotonic() - start < 60:
        try:
            probe.call("maintenance.equipment", "search_count", [])
            break
        except Exception:
            failures += 1
            time.sleep(0.2)
    recovered = time.monotonic() - start < 60
    before = import_record(registry, import_id)
    report.say(
        f"  3. command-line import of {len(serials):,} rows: PostgreSQL restarted "
        f"(pg_ctl restart -m fast, {timing.get('restart', 0):.1f} s) in the middle "
        f"of a batch; import process exit {status}, import {before['state']}, last "
        f"row written {before['last_row']:,}; HTTP server answered again after "
        f"{failures} failed call(s)"
    )
    report.check(
        "the server in workers mode answers again after PostgreSQL restarts",
        recovered,
        f"{failures} failed call(s) first",
        "answers",
    )
    return finish_cli(
        args,
        registry,
        report,
        path,
        serials,
        import_id,
        before,
        "PostgreSQL restart",
        status == 2,  # the command says the connection was lost: run it again
    )


def finish_cli(
    args, registry, report, path, serials, import_id, before, fault, stopped_ok
):
    status, resumed, lines = resume(args, path)
    ok, text = counted(registry, serials, import_id)
    report.say(f"     same command again (exit {status}): {resumed or lines[:1]}")
    report.say(f"     {text}")
    cut = (
        stopped_ok
        and before["state"] == "running"
        and 1 < before["last_row"] < len(serials) + 1
    )
    report.check(
        f"{fault} in the middle of an import batch, then the same command: resumes "
        "after the last batch written, every row once, counters right",
        bool(cut and resumed and status == 0 and ok),
        "yes" if ok and resumed else "no",
        "resumed, every row once",
    )
    return ok and bool(resumed) and cut


def run_faults(args, registry, report, server, plan):
    report.section(
        f"8. faults in the middle of an import batch ({args.fault_rows:,} new rows "
        f"each, batches of {BATCH})"
    )
    files = fault_files(args, plan)
    results = [
        kill_http_worker(args, registry, report, server, plan, *files[0]),
        kill_cli(args, registry, report, *files[1]),
        restart_pg(args, registry, report, server, plan, *files[2]),
    ]
    with registry.cursor() as cr:
        duplicates = duplicate_serials(cr)
        cr.execute("SELECT count(*) FROM maintenance_equipment")
        devices = cr.fetchone()[0]
    report.check(
        "no serial number twice in the fleet (same company)",
        duplicates == 0,
        f"{duplicates} duplicated among {devices:,} devices",
        "0",
    )
    done = [result for result in results if result is not None]
    if all(done) and duplicates == 0:
        rows = args.fault_rows * len(done)
        report.say(
            f"  nothing lost, nothing duplicated: {len(done)} faults, {rows:,} rows, "
            f"each present once, import counters equal to the rows"
        )
