"""Concurrency: two real transactions at the same time, on two PostgreSQL
connections in two threads, as two users clicking at once would run them.

Odoo's test cases run inside one transaction that is rolled back: they cannot
show what a second transaction sees. These are plain pytest tests: they copy
the test database (with its demo data) to a throwaway database, commit there
for real, let the two transactions overlap (a ``threading.Barrier`` after
both have read the data, so that each works on its own snapshot) and drop the
copy at the end, so that nothing they commit reaches the other tests.

Each scenario checks that exactly one of the two wins, that the other gets a
clear message (a UserError in English, not a database error) and that the
data are consistent afterwards, read from a third connection.
"""

import base64
import csv
import io
import os
import re
import shutil
import threading
import time
from contextlib import closing

import pytest

import odoo
from odoo import SUPERUSER_ID, api, fields
from odoo.addons.medical_device.tests.figures import record_figure
from odoo.addons.medical_device.tools.udi import gtin_check_digit
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests import new_test_user
from odoo.tests.common import get_db_name
from odoo.tools import SQL, config

FIGURES = {"scenarios": 0, "conflicts_refused": 0}
# Demo documents waiting for a decision: disposals at the RSSI's verification
# and at the DPO's sign-off, receptions submitted for acceptance.
VENTILATOR = "dm_cyber.dm_disposal_ventilator_evita_xl_demo"
XRAY = "dm_cyber.dm_disposal_xray_practix_demo"
ULTRASOUND = "medical_device.dm_reception_us_aplio_i800_demo"
SYRINGE_PUMP = "medical_device.dm_reception_syringe_pump_perfusor_2026_demo"
# A device whose supplier's cybersecurity answers wait for the RSSI.
DIALYSIS = "medical_device.equipment_dm_dialysis_6008_demo"
# Everything a thread does must fit in this (a stuck lock fails the test).
TIMEOUT = 60
MEANWHILE = re.compile(r"meanwhile|is running")


# ------------------------------------------------------------------ fixtures
@pytest.fixture(scope="module")
def registry():
    """A registry on a throwaway copy of the test database."""
    source = get_db_name()
    copy = f"{source}_concurrency"
    _drop(copy)
    # The template must have no other connection: close the pooled ones
    # (the next test reopens them).
    odoo.sql_db.close_db(source)
    with closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute(
            SQL(
                "CREATE DATABASE %s TEMPLATE %s",
                SQL.identifier(copy),
                SQL.identifier(source),
            )
        )
    # Loading a registry with test_enable would run every at_install test.
    test_enable = config["test_enable"]
    config["test_enable"] = False
    try:
        copy_registry = Registry.new(copy)
    finally:
        config["test_enable"] = test_enable
    try:
        yield copy_registry
    finally:
        _drop(copy)
        record_figure("concurrency", **FIGURES)


def _drop(name):
    Registry.delete(name)
    odoo.sql_db.close_db(name)
    with closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute(SQL("DROP DATABASE IF EXISTS %s", SQL.identifier(name)))
    filestore = config.filestore(name)
    if filestore and os.path.isdir(filestore):
        shutil.rmtree(filestore, ignore_errors=True)


@pytest.fixture(scope="module")
def users(registry):
    """Demo users, and a second RSSI and engineer (committed in the copy)."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        ids = {
            role: env.ref(f"medical_device.user_dm_{role}_demo").id
            for role in ("technician", "engineer", "rssi", "dpo")
        }
        ids["rssi2"] = new_test_user(
            env, login="concur_rssi2", groups="medical_device.group_dm_rssi"
        ).id
        ids["engineer2"] = new_test_user(
            env, login="concur_engineer2", groups="medical_device.group_dm_engineer"
        ).id
    return ids


def read(registry, function):
    """``function(env)`` on a new connection: what is committed now."""
    with registry.cursor() as cr:
        return function(api.Environment(cr, SUPERUSER_ID, {}))


def race(registry, first, second, delay=0.0):
    """Run two transactions at once. ``first`` and ``second`` are
    ``(uid, prepare, act)``: ``prepare(env)`` reads the records (the
    transaction's snapshot is taken then), both threads wait for each other,
    then ``act(records)`` runs and the transaction commits; the second waits
    ``delay`` seconds more, so that the first one wins (its snapshot is still
    older than the first's commit). Returns the two outcomes: ``("ok", None)``,
    ``("refused", message)`` for a UserError, ``("crash", repr)`` otherwise."""
    barrier = threading.Barrier(2, timeout=TIMEOUT)
    outcomes = [None, None]

    def run(index, uid, prepare, act, wait):
        threading.current_thread().testing = True
        try:
            with closing(registry.cursor()) as cr:
                env = api.Environment(cr, uid, {"lang": "en_US", "tz": "UTC"})
                records = prepare(env)
                barrier.wait()
                time.sleep(wait)
                try:
                    act(records)
                    cr.commit()
                    outcomes[index] = ("ok", None)
                except UserError as error:
                    cr.rollback()
                    outcomes[index] = ("refused", str(error))
        except Exception as error:  # any other error is what the test reports
            outcomes[index] = ("crash", repr(error))

    threads = [
        threading.Thread(target=run, args=(0, *first, 0.0)),
        threading.Thread(target=run, args=(1, *second, delay)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
        assert not thread.is_alive(), "a transaction is stuck"
    assert all(outcome for outcome in outcomes), outcomes
    return outcomes


def one_wins(outcomes, message=MEANWHILE):
    """Exactly one ok, the other refused with a clear message; its index."""
    kinds = sorted(kind for kind, _text in outcomes)
    assert kinds == ["ok", "refused"], outcomes
    loser = next(i for i, (kind, _t) in enumerate(outcomes) if kind == "refused")
    assert message.search(outcomes[loser][1]), outcomes[loser][1]
    FIGURES["scenarios"] += 1
    FIGURES["conflicts_refused"] += 1
    return 1 - loser


def line_of(env, xmlid_or_model, res_id, rule_key):
    return (
        env["dm.approval"]
        .with_context(active_test=False)
        .search(
            [
                ("res_model", "=", xmlid_or_model),
                ("res_id", "=", res_id),
                ("rule_key", "=", rule_key),
            ],
            order="id desc",
        )
    )


def demo(env, xmlid):
    return env.ref(xmlid)


# ------------------------------------------------------------------ approvals
def test_two_reviewers_decide_the_same_line(registry, users):
    """Two RSSIs verify the same erasure at the same moment: one decision is
    stored, the other reviewer is told who decided."""

    def prepare(env):
        record = demo(env, VENTILATOR)
        assert record.state == "verification"
        line = line_of(env, "dm.disposal", record.id, "disposal_erasure_verification")
        assert line[:1].state == "pending"
        return record

    outcomes = race(
        registry,
        (users["rssi"], prepare, lambda record: record.action_verify()),
        (users["rssi2"], prepare, lambda record: record.action_verify()),
    )
    winner = one_wins(outcomes)
    assert re.search(r"was approved by .+ meanwhile", outcomes[1 - winner][1])

    def check(env):
        record = demo(env, VENTILATOR)
        lines = line_of(env, "dm.disposal", record.id, "disposal_erasure_verification")
        decided = lines.filtered(lambda line: line.state != "pending")
        assert len(decided) == 1 and decided.state == "approved"
        assert decided.reviewer_id.id == users["rssi2" if winner else "rssi"]
        assert record.state == "sign_off"
        # One sign-off requested, not two.
        sign_off = line_of(env, "dm.disposal", record.id, "disposal_erasure_sign_off")
        assert len(sign_off) == 1 and sign_off.state == "pending"

    read(registry, check)


def test_accept_and_reject_the_same_reception_at_once(registry, users):
    """One engineer accepts a reception while another rejects it."""

    def prepare(env):
        record = demo(env, ULTRASOUND)
        assert record.state == "draft"
        return record

    def reject(record):
        record.write({"decision_comment": "Damaged in transit"})
        record.action_reject()

    outcomes = race(
        registry,
        (users["engineer"], prepare, lambda record: record.action_accept()),
        (users["engineer2"], prepare, reject),
    )
    winner = one_wins(outcomes)

    def check(env):
        record = demo(env, ULTRASOUND)
        line = line_of(env, "dm.reception", record.id, "reception_acceptance")
        assert len(line) == 1
        assert line.state == ("approved" if winner == 0 else "rejected")
        assert record.state == ("accepted" if winner == 0 else "rejected")
        assert record.decided_by_id.id == line.reviewer_id.id

    read(registry, check)


def test_cancel_wins_over_a_sign_off(registry, users):
    """The engineer cancels a disposal while the DPO signs its erasure off:
    the cancellation came first, the sign-off is refused (withdrawn)."""

    def prepare(env):
        record = demo(env, XRAY)
        assert record.state == "sign_off"
        return record

    outcomes = race(
        registry,
        (users["engineer"], prepare, lambda record: record.action_cancel()),
        (users["dpo"], prepare, lambda record: record.action_sign_off()),
        delay=0.3,
    )
    assert one_wins(outcomes) == 0
    assert "withdrawn meanwhile (Disposal cancelled)" in outcomes[1][1]

    def check(env):
        record = demo(env, XRAY)
        assert record.state == "cancelled"
        line = line_of(env, "dm.disposal", record.id, "disposal_erasure_sign_off")
        assert line.state == "pending" and not line.active
        # No approval was decided on the cancelled disposal after it.
        assert not line.reviewer_id

    read(registry, check)


def test_sign_off_wins_over_a_cancel(registry, users):
    """The DPO signs off first (the disposal of the first test, now waiting
    for its sign-off), the engineer's cancellation is refused: it would have
    withdrawn a decision already taken."""

    def prepare(env):
        record = demo(env, VENTILATOR)
        assert record.state == "sign_off"
        return record

    outcomes = race(
        registry,
        (users["dpo"], prepare, lambda record: record.action_sign_off()),
        (users["engineer"], prepare, lambda record: record.action_cancel()),
        delay=0.3,
    )
    assert one_wins(outcomes) == 0
    assert re.search(r"was approved by .+ meanwhile", outcomes[1][1])

    def check(env):
        record = demo(env, VENTILATOR)
        assert record.state == "ready"
        line = line_of(env, "dm.disposal", record.id, "disposal_erasure_sign_off")
        assert len(line) == 1 and line.state == "approved" and line.active

    read(registry, check)


def test_acceptance_wins_over_an_edit_of_the_approved_data(registry, users):
    """The engineer accepts a reception while the technician changes one of
    the values the engineer approves: the edit, second, is refused."""

    def prepare(env):
        record = demo(env, SYRINGE_PUMP)
        assert record.state == "draft"
        return record

    outcomes = race(
        registry,
        (users["engineer"], prepare, lambda record: record.action_accept()),
        (
            users["technician"],
            prepare,
            lambda record: record.write({"check_electrical_safety": False}),
        ),
        delay=0.3,
    )
    assert one_wins(outcomes) == 0

    def check(env):
        record = demo(env, SYRINGE_PUMP)
        assert record.state == "accepted" and record.check_electrical_safety
        line = line_of(env, "dm.reception", record.id, "reception_acceptance")
        assert len(line) == 1 and line.state == "approved"

    read(registry, check)


def test_a_change_that_does_not_matter_is_retried(registry, users):
    """The reminder cron stamps a pending line while the RSSI approves it:
    nothing the RSSI must know changed, so the decision is not refused; the
    request is retried, as Odoo's request handler does on a serialization
    failure, and succeeds."""

    def prepare(env):
        line = line_of(
            env, "maintenance.equipment", demo(env, DIALYSIS).id, "rssi_cyber_answers"
        )
        assert line.state == "pending"
        return line

    def stamp(line):
        line.sudo().write({"last_reminder_on": fields.Datetime.now()})
        line.env.flush_all()  # the row is written (and locked) now
        time.sleep(0.5)  # the RSSI's lock waits for this transaction

    def approve(line):
        env, line_id = line.env, line.id
        retrying(lambda: env["dm.approval"].browse(line_id).action_approve(), env)

    outcomes = race(
        registry,
        (SUPERUSER_ID, prepare, stamp),
        (users["rssi"], prepare, approve),
        delay=0.2,
    )
    assert outcomes == [("ok", None), ("ok", None)], outcomes
    FIGURES["scenarios"] += 1

    def check(env):
        line = line_of(
            env, "maintenance.equipment", demo(env, DIALYSIS).id, "rssi_cyber_answers"
        )
        assert line.state == "approved" and line.last_reminder_on
        assert line.reviewer_id.id == users["rssi"]

    read(registry, check)


# ------------------------------------------------------------------ imports
def fleet_file(prefix, product, rows=12):
    """A CMMS export: half the devices by serial number, half by UDI only
    (``product``: 3 digits of their GTIN)."""
    gtin = "0376012345" + product
    gtin += str(gtin_check_digit(gtin))
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow(["N° série", "Désignation", "UDI", "Statut"])
    for number in range(rows):
        serial = f"{prefix}-{number:04d}"
        if number % 2:
            writer.writerow(["", f"Pompe {serial}", f"(01){gtin}(21){serial}", ""])
        else:
            writer.writerow([serial, f"Pompe {serial}", "", "En service"])
    return output.getvalue().encode("utf-8")


def device_counts(env, prefix):
    devices = (
        env["maintenance.equipment"]
        .with_context(active_test=False)
        .search([("name", "=like", f"Pompe {prefix}-%")])
    )
    keys = [d.serial_no or f"{d.udi_di}/{d.udi_serial}" for d in devices]
    return len(devices), len(set(keys))


@pytest.mark.parametrize("commit_per_batch", [True, False])
def test_two_imports_of_the_same_file_at_once(registry, users, commit_per_batch):
    """Two engineers import the same file at the same moment (the command line
    commits each batch; the form imports in one transaction): one import runs,
    the other is refused with a clear error, and no device is duplicated, even
    those found by their UDI only (no unique index protects those)."""
    prefix = "CONC-CLI" if commit_per_batch else "CONC-WEB"
    data = fleet_file(prefix, "901" if commit_per_batch else "902")

    def new_import(env):
        return env["dm.fleet.import"].create(
            {
                "name": prefix,
                "filename": f"{prefix}.csv",
                "file": base64.b64encode(data),
                "batch_size": 3,
            }
        )

    def created(uid):
        with registry.cursor() as cr:
            return new_import(api.Environment(cr, uid, {"lang": "en_US"})).id

    ids = [created(users["engineer"]), created(users["engineer2"])]

    def prepare_for(index):
        def prepare(env):
            record = env["dm.fleet.import"].browse(ids[index])
            assert record.state == "draft"
            return record

        return prepare

    def run(record):
        # Slow batches, so that the two runs overlap for sure.
        def slow(_record):
            time.sleep(0.05)

        if commit_per_batch:
            assert record._run(commit_per_batch=True, progress_callback=slow)
        else:
            assert record._run()
            time.sleep(0.3)  # the transaction stays open, as a slow request

    outcomes = race(
        registry,
        (users["engineer"], prepare_for(0), run),
        (users["engineer2"], prepare_for(1), run),
    )
    winner = one_wins(outcomes, re.compile(r"Another fleet import of .+ is running"))

    def check(env):
        assert device_counts(env, prefix) == (12, 12)
        done = env["dm.fleet.import"].browse(ids[winner])
        assert done.state == "done"
        assert (done.created_count, done.failed_count) == (12, 0)
        refused = env["dm.fleet.import"].browse(ids[1 - winner])
        assert refused.state == "draft" and not refused.processed_count

    read(registry, check)
