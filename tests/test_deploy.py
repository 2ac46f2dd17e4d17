"""The configuration `make run` serves with (scripts/dm.sh serve-conf writes
exactly what cmd_run writes): one database, no database manager, a random
master password in a 0600 file, workers with limits when the machine allows."""

import configparser
import hashlib
import os
import stat
import subprocess
from pathlib import Path

import pytest
from passlib.context import CryptContext

ROOT = Path(__file__).resolve().parent.parent
DM_SH = ROOT / "scripts" / "dm.sh"
HASHES = CryptContext(schemes=["pbkdf2_sha512", "plaintext"])
LIMITS = (
    "limit_time_cpu",
    "limit_time_real",
    "limit_memory_soft",
    "limit_memory_hard",
    "gevent_port",
)


def serve_conf(directory, **env):
    """Runs `dm.sh serve-conf directory` with only the given DM_* variables;
    returns the options it wrote and what it said."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DM_")}
    result = subprocess.run(
        ["bash", str(DM_SH), "serve-conf", str(directory)],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    parser = configparser.RawConfigParser()
    parser.read(directory / "odoo.conf")
    return dict(parser["options"]), result.stderr


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def machine():
    cores = os.cpu_count() or 1
    meminfo = Path("/proc/meminfo").read_text()
    mem_mb = int(meminfo.split("MemTotal:")[1].split()[0]) // 1024
    return cores, mem_mb


def test_served_config_opens_one_database_and_no_manager(tmp_path):
    options, _said = serve_conf(tmp_path, DM_DB="hospital_a")
    assert options["list_db"] == "False"
    assert options["dbfilter"] == "^hospital_a$"
    assert options["db_name"] == "hospital_a"
    assert options["http_interface"] == "127.0.0.1"
    assert options["data_dir"] == str(tmp_path / "data")


def test_master_password_is_random_private_and_hashed(tmp_path):
    options, _said = serve_conf(tmp_path)
    password = (tmp_path / "master-password").read_text().strip()
    assert len(password) >= 32
    assert mode(tmp_path / "master-password") == 0o600
    assert mode(tmp_path / "odoo.conf") == 0o600
    assert mode(tmp_path) == 0o700
    # Stored as a PBKDF2 hash of the file's password, nothing else.
    stored = options["admin_passwd"]
    assert stored.startswith("$pbkdf2-sha512$600000$")
    assert password not in (tmp_path / "odoo.conf").read_text()
    assert HASHES.verify(password, stored)
    derived = "dm-master-" + hashlib.sha256(f"{ROOT}\n".encode()).hexdigest()[:8]
    for guess in ("admin", derived, ""):
        assert not HASHES.verify(guess, stored), guess


def test_master_password_is_generated_once_per_instance(tmp_path):
    serve_conf(tmp_path / "a")
    first = (tmp_path / "a" / "master-password").read_text()
    options, _said = serve_conf(tmp_path / "a")
    assert (tmp_path / "a" / "master-password").read_text() == first
    assert HASHES.verify(first.strip(), options["admin_passwd"])
    serve_conf(tmp_path / "b")
    assert (tmp_path / "b" / "master-password").read_text() != first


def test_master_password_from_the_environment(tmp_path):
    options, _said = serve_conf(tmp_path, DM_MASTER_PASSWORD="Given by the RSSI 42")
    assert HASHES.verify("Given by the RSSI 42", options["admin_passwd"])
    assert not (tmp_path / "master-password").exists()


def test_workers_with_time_and_memory_limits(tmp_path):
    options, said = serve_conf(
        tmp_path,
        DM_WORKERS="2",
        DM_HTTP_PORT="8500",
        DM_LIMIT_TIME_CPU="77",
        DM_LIMIT_MEMORY_HARD_MB="1024",
    )
    assert options["workers"] == "2"
    assert options["gevent_port"] == "8503"
    assert options["limit_time_cpu"] == "77"
    assert int(options["limit_time_real"]) > 0
    assert int(options["limit_memory_soft"]) > 0
    assert options["limit_memory_hard"] == str(1024 * 1024 * 1024)
    assert int(options["max_cron_threads"]) >= 1
    assert "2 workers" in said


def test_threaded_fallback_says_so(tmp_path):
    options, said = serve_conf(tmp_path, DM_WORKERS="0")
    assert options["workers"] == "0"
    assert not set(LIMITS) & set(options)
    assert "threaded mode" in said


def test_workers_when_the_machine_allows(tmp_path):
    options, _said = serve_conf(tmp_path)
    cores, mem_mb = machine()
    workers = int(options["workers"])
    assert (workers >= 2) == (cores >= 2 and mem_mb >= 2048)
    assert workers <= 2 * cores + 1
    if workers:
        assert set(LIMITS) <= set(options)


def test_tools_config_has_no_database_manager(request):
    path = request.config.getoption("--odoo-config", default=None)
    if not path or not Path(path).exists():
        pytest.skip("no --odoo-config given")
    parser = configparser.RawConfigParser()
    parser.read(path)
    options = parser["options"]
    assert options["list_db"] == "False"
    # An empty admin_passwd refuses every master password.
    assert options["admin_passwd"] == ""
    assert mode(Path(path)) == 0o600
