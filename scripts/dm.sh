#!/usr/bin/env bash
# Project setup and entry points: `dm.sh run`, `dm.sh test`, `dm.sh stop`, `dm.sh lint`.
# Every step is idempotent: it checks what is already there and only does what is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
VENV="$LOCAL/venv"
PY="$VENV/bin/python"
CONF="$LOCAL/odoo.conf"
LOGDIR="$LOCAL/log"
ADDONS="medical_device,dm_cyber,dm_software"
DM_DB="${DM_DB:-medical_devices}"
DM_TEST_DB="${DM_TEST_DB:-dm_test}"
DM_HTTP_PORT="${DM_HTTP_PORT:-8069}"
PG_OS_USER="${DM_PG_OS_USER:-odoo-dm-pg}"
PG_ROLE="${DM_PG_ROLE:-odoo}"
ODOO_GIT_URL="https://github.com/odoo/odoo.git"

say() { printf '\033[1m[dm]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31m[dm] error:\033[0m %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" = 0 ]; }

apt_install() {
    # Installs Debian packages when we are root; otherwise says what to install.
    local missing=()
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if is_root && command -v apt-get >/dev/null; then
        say "installing Debian packages: ${missing[*]}"
        if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >"$LOGDIR/apt.log" 2>&1; then
            apt-get update -qq >>"$LOGDIR/apt.log" 2>&1 || true
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >>"$LOGDIR/apt.log" 2>&1 \
                || die "apt-get install ${missing[*]} failed, see $LOGDIR/apt.log"
        fi
    else
        die "missing system packages: ${missing[*]} (install them, e.g. sudo apt-get install ${missing[*]})"
    fi
}

# ---------------------------------------------------------------- Odoo source
odoo_version_ok() { # $1: source tree; true when it is Odoo 19
    [ -f "$1/odoo/release.py" ] && [ -d "$1/addons/maintenance" ] \
        && grep -qE "^version_info = \(19, " "$1/odoo/release.py"
}

find_odoo_src() {
    if [ -n "${ODOO_SRC:-}" ]; then
        odoo_version_ok "$ODOO_SRC" || die "ODOO_SRC=$ODOO_SRC is not an Odoo 19 source tree (odoo/release.py with version 19 and addons/maintenance expected)"
        echo "$ODOO_SRC"; return
    fi
    # An odoo package already importable by the system Python (a packaged install).
    local importable
    importable="$(python3 -c 'import os, odoo; print(os.path.dirname(os.path.dirname(odoo.__file__)))' 2>/dev/null || true)"
    if [ -n "$importable" ] && odoo_version_ok "$importable"; then echo "$importable"; return; fi
    for candidate in /opt/odoo "$LOCAL/odoo-src"; do
        if odoo_version_ok "$candidate"; then echo "$candidate"; return; fi
    done
    # None found: install Odoo 19.0 from Odoo's official repository when it can be reached.
    if timeout 20 git ls-remote --heads "$ODOO_GIT_URL" 19.0 >/dev/null 2>&1; then
        say "cloning Odoo 19.0 from $ODOO_GIT_URL into $LOCAL/odoo-src (shallow)"
        git clone --quiet --depth 1 --branch 19.0 "$ODOO_GIT_URL" "$LOCAL/odoo-src.tmp" >&2
        mv "$LOCAL/odoo-src.tmp" "$LOCAL/odoo-src"
        echo "$LOCAL/odoo-src"; return
    fi
    die "no Odoo 19 found and $ODOO_GIT_URL cannot be reached.
  Provide one of:
    - ODOO_SRC=/path/to/odoo   (a checkout of the 19.0 branch of $ODOO_GIT_URL)
    - an Odoo 19 source tree at /opt/odoo
    - an 'odoo' 19 package importable by python3
  then run this command again."
}

# ------------------------------------------------------------- Python venv
setup_venv() {
    local src="$1"
    mkdir -p "$LOCAL" "$LOGDIR"
    if [ ! -x "$PY" ]; then
        say "creating virtual environment in $VENV"
        python3 -m venv "$VENV"
    fi
    # Odoo's requirements, minus python-ldap when its headers are missing (only auth_ldap uses it).
    local reqs="$LOCAL/requirements-odoo.txt"
    if dpkg -s libldap2-dev >/dev/null 2>&1 && dpkg -s libsasl2-dev >/dev/null 2>&1; then
        cp "$src/requirements.txt" "$reqs"
    else
        grep -v '^python-ldap' "$src/requirements.txt" >"$reqs"
    fi
    local stamp="$VENV/.dm-requirements.sha"
    local want
    want="$(cat "$reqs" "$ROOT/requirements-dev.txt" | sha256sum | cut -c1-32)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        apt_install libpq-dev libmagic1
        say "installing Python requirements into $VENV (first run: a few minutes)"
        # cbor2 builds from source and its build breaks with setuptools>=81: constrain the build env.
        local constraints="$LOCAL/pip-build-constraints.txt"
        echo 'setuptools<81' >"$constraints"
        "$PY" -m pip install -q --upgrade 'pip' 'setuptools<81' wheel >"$LOGDIR/pip.log" 2>&1
        # PIP_BUILD_CONSTRAINT for pip >= 25.3, PIP_CONSTRAINT for older pips.
        PIP_BUILD_CONSTRAINT="$constraints" PIP_CONSTRAINT="$constraints" \
            "$PY" -m pip install -q -r "$reqs" -r "$ROOT/requirements-dev.txt" \
            >>"$LOGDIR/pip.log" 2>&1 || { tail -30 "$LOGDIR/pip.log" >&2; die "pip install failed, see $LOGDIR/pip.log"; }
        echo "$want" >"$stamp"
    fi
    # Make `import odoo` work inside the venv (pytest-odoo needs it) without copying Odoo.
    local site
    site="$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
    echo "$src" >"$site/odoo-src.pth"
}

# ------------------------------------------------------------- PostgreSQL
pg_bindir() {
    local d
    if command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ]; then pg_config --bindir; return; fi
    for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && { echo "$d"; return; }; done
    return 1
}

pg_embedded() { [ -z "${PGHOST:-}" ] && [ -z "${PGPORT:-}" ] && [ -z "${PGUSER:-}" ]; }

pg_paths() {
    PG_BASE="$LOCAL/pg"
    # The cluster's OS user must reach the checkout; a checkout under a private
    # home (e.g. /root) keeps the cluster in /var/lib instead.
    if is_root && id "$PG_OS_USER" >/dev/null 2>&1 \
        && ! runuser -u "$PG_OS_USER" -- test -x "$ROOT" 2>/dev/null; then
        PG_BASE="/var/lib/$PG_OS_USER/$(echo "$ROOT" | sha256sum | cut -c1-12)"
    fi
    PGDATA_DIR="$PG_BASE/data"
    PGSOCK_DIR="$PG_BASE/run"
    # Unix socket paths are limited to ~107 bytes: fall back to /tmp for deep checkouts.
    if [ ${#PGSOCK_DIR} -gt 80 ]; then
        PGSOCK_DIR="/tmp/dm-pg-$(echo "$ROOT" | sha256sum | cut -c1-12)"
    fi
    PG_PORT=5432
}

as_pg_user() {
    if is_root; then runuser -u "$PG_OS_USER" -- "$@"; else "$@"; fi
}

pg_start() {
    if ! pg_embedded; then
        say "using the PostgreSQL server given by PG* variables (${PGHOST:-local socket}:${PGPORT:-5432})"
        return
    fi
    local bindir
    bindir="$(pg_bindir)" || { apt_install postgresql; bindir="$(pg_bindir)"; }
    if is_root && ! id "$PG_OS_USER" >/dev/null 2>&1; then
        # PostgreSQL refuses to run as root: the cluster belongs to a dedicated system user.
        useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_OS_USER"
    fi
    pg_paths
    mkdir -p "$PG_BASE" "$PGSOCK_DIR"
    if is_root; then chown "$PG_OS_USER" "$PG_BASE" "$PGSOCK_DIR"; fi
    if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
        say "creating the private PostgreSQL cluster in $PGDATA_DIR"
        as_pg_user "$bindir/initdb" -D "$PGDATA_DIR" -U postgres --auth-local=trust --auth-host=reject \
            -E UTF8 --locale=C.UTF-8 >"$LOGDIR/initdb.log" 2>&1 || die "initdb failed, see $LOGDIR/initdb.log"
        # Unix socket only, inside the project: no TCP port is opened.
        cat >>"$PGDATA_DIR/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$PGSOCK_DIR'
port = $PG_PORT
synchronous_commit = off
shared_buffers = 512MB
work_mem = 32MB
max_connections = 100
EOF
    fi
    if ! as_pg_user "$bindir/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
        say "starting PostgreSQL (socket in $PGSOCK_DIR)"
        as_pg_user "$bindir/pg_ctl" -D "$PGDATA_DIR" -l "$PG_BASE/server.log" -w -t 60 start >/dev/null \
            || die "PostgreSQL did not start, see $PG_BASE/server.log"
    fi
    # A dedicated non-superuser role: Odoo refuses to run as 'postgres'.
    as_pg_user psql -h "$PGSOCK_DIR" -p "$PG_PORT" -U postgres -d postgres -qtAc \
        "SELECT 1 FROM pg_roles WHERE rolname='$PG_ROLE'" | grep -q 1 \
        || as_pg_user psql -h "$PGSOCK_DIR" -p "$PG_PORT" -U postgres -d postgres -qc \
            "CREATE ROLE \"$PG_ROLE\" LOGIN CREATEDB" >/dev/null
    export PGHOST="$PGSOCK_DIR" PGPORT="$PG_PORT" PGUSER="$PG_ROLE"
}

pg_stop() {
    pg_embedded || { say "PG* variables point to an external server: nothing to stop"; return; }
    pg_paths
    local bindir
    bindir="$(pg_bindir)" || return 0
    if [ -f "$PGDATA_DIR/PG_VERSION" ] && as_pg_user "$bindir/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
        as_pg_user "$bindir/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null
        say "PostgreSQL stopped"
    fi
}

# ------------------------------------------------------------- Odoo config
write_conf() {
    local src="$1"
    mkdir -p "$LOCAL/filestore"
    cat >"$CONF" <<EOF
[options]
addons_path = $src/odoo/addons,$src/addons,$ROOT/addons
data_dir = $LOCAL/filestore
db_host = ${PGHOST:-False}
db_port = ${PGPORT:-False}
db_user = ${PGUSER:-$PG_ROLE}
http_port = $DM_HTTP_PORT
http_interface = ${DM_HTTP_INTERFACE:-127.0.0.1}
admin_passwd = ${DM_MASTER_PASSWORD:-dm-master-$(echo "$ROOT" | sha256sum | cut -c1-8)}
list_db = True
max_cron_threads = 1
EOF
    if [ -n "${PGPASSWORD:-}" ]; then echo "db_password = $PGPASSWORD" >>"$CONF"; fi
}

setup() {
    mkdir -p "$LOCAL" "$LOGDIR"
    ODOO_SRC="$(find_odoo_src)"
    export ODOO_SRC
    say "Odoo 19 source: $ODOO_SRC"
    setup_venv "$ODOO_SRC"
    # wkhtmltopdf renders the PDF reports (reception PV); offscreen needs no X server.
    apt_install wkhtmltopdf
    export QT_QPA_PLATFORM=offscreen
    pg_start
    write_conf "$ODOO_SRC"
}

odoo() { "$PY" "$ODOO_SRC/odoo-bin" -c "$CONF" "$@"; }

db_exists() { psql -d postgres -qtAc "SELECT 1 FROM pg_database WHERE datname='$1'" | grep -q 1; }

modules_installed() { # true when all our addons are installed in database $1
    [ "$(psql -d "$1" -qtAc "SELECT count(*) FROM ir_module_module WHERE state='installed' AND name IN ('medical_device','dm_cyber','dm_software')" 2>/dev/null)" = 3 ]
}

# ------------------------------------------------------------- commands
cmd_run() {
    setup
    if db_exists "$DM_DB" && modules_installed "$DM_DB"; then
        say "database $DM_DB exists: updating our addons"
        odoo -d "$DM_DB" -u "$ADDONS" --stop-after-init --log-level=warn
    else
        db_exists "$DM_DB" && dropdb "$DM_DB"
        say "creating database $DM_DB with the three addons and demo data"
        odoo -d "$DM_DB" -i "$ADDONS" --with-demo --stop-after-init --log-level=warn --load-language=fr_FR
    fi
    cat >&2 <<EOF

  Odoo 19 with the medical device suite: http://localhost:$DM_HTTP_PORT
  Log in as admin / admin (administrator), or as a demo role, password = login:
    dm_engineer, dm_technician, dm_pharmacist, dm_rssi, dm_dpo, dm_auditor
  Stop with Ctrl-C; stop PostgreSQL with: make stop

EOF
    exec "$PY" "$ODOO_SRC/odoo-bin" -c "$CONF" -d "$DM_DB" --db-filter="^$DM_DB\$" --http-port="$DM_HTTP_PORT"
}

cmd_lint() {
    setup_lint_only
    say "ruff"
    local paths=() dir
    for dir in addons tests data scripts; do [ -d "$ROOT/$dir" ] && paths+=("$ROOT/$dir"); done
    "$VENV/bin/ruff" check "${paths[@]}"
    "$VENV/bin/ruff" format --check "${paths[@]}"
    say "pylint-odoo (mandatory checks)"
    (cd "$ROOT" && "$VENV/bin/pylint" --rcfile="$ROOT/.pylintrc-mandatory" addons/medical_device addons/dm_cyber addons/dm_software)
}

setup_lint_only() {
    [ -n "${ODOO_SRC:-}" ] && odoo_version_ok "$ODOO_SRC" || ODOO_SRC="$(find_odoo_src)"
    setup_venv "$ODOO_SRC"
}

cmd_test() {
    setup
    if [ -z "${DM_ALLOW_NO_BROWSER:-}" ]; then
        command -v chromium >/dev/null || command -v google-chrome >/dev/null || command -v chromium-browser >/dev/null \
            || apt_install chromium
    fi
    local results="$LOCAL/test-results"
    rm -rf "$results"; mkdir -p "$results"
    # Tests record what they proved (figures.jsonl, see tests/figures.py of medical_device).
    export DM_TEST_RESULTS="$results"
    local lint_status=0
    cmd_lint >"$results/lint.log" 2>&1 || lint_status=$?
    cat "$results/lint.log" >&2

    # 1. A fresh database with the addons and their demo data, then the HttpCase
    #    tests (browser tours tagged dm_browser, HTTP endpoints tagged dm_http)
    #    through Odoo's own --test-enable runner.
    db_exists "$DM_TEST_DB" && dropdb "$DM_TEST_DB"
    say "installing the addons in a fresh database $DM_TEST_DB and running the HTTP and browser tests"
    local odoo_status=0
    odoo -d "$DM_TEST_DB" -i "$ADDONS" --with-demo --stop-after-init --test-enable \
        --test-tags "dm_browser,dm_http" --log-level=test --http-port="${DM_TEST_HTTP_PORT:-8169}" \
        >"$results/odoo-tests.log" 2>&1 || odoo_status=$?

    # 2. Every other test (models, rules, roles, pure functions) through pytest-odoo on that database.
    say "running pytest (pytest-odoo) on $DM_TEST_DB"
    local pytest_status=0
    (cd "$ROOT" && "$VENV/bin/pytest" --odoo-config="$CONF" --odoo-database="$DM_TEST_DB" \
        -p no:cacheprovider -q "$@") >"$results/pytest.log" 2>&1 || pytest_status=$?
    cat "$results/pytest.log"

    # 3. The upgrade from the previous release (see upgrade_test).
    local upgrade_status=0
    upgrade_test "$results" || upgrade_status=$?
    cat "$results/upgrade.log"

    "$PY" "$ROOT/scripts/test_summary.py" \
        --odoo-log "$results/odoo-tests.log" --odoo-status "$odoo_status" \
        --pytest-log "$results/pytest.log" --pytest-status "$pytest_status" \
        --upgrade-log "$results/upgrade.log" --upgrade-status "$upgrade_status" \
        --lint-status "$lint_status" --figures "$results/figures.jsonl"
}

upgrade_test() {
    # Hospitals run the previous release: install its addons (from git
    # history, DM_UPGRADE_FROM, 19.0.1.0.0 by default) with demo data in a
    # fresh database, record what it holds, upgrade with the working tree's
    # addons (-u), then tests/test_upgrade.py checks that every record,
    # approval, attachment and chatter message is still there and the gates
    # hold. Its pytest result lands in $1/upgrade.log.
    local results="$1" from="${DM_UPGRADE_FROM:-dad2f8e45abeedae3c582d03802e64ce83e1bc60}" db="${DM_UPGRADE_DB:-dm_upgrade}"
    local log="$results/upgrade.log" tmp
    tmp="$(mktemp -d)"
    : >"$log"
    local old_path="$ODOO_SRC/odoo/addons,$ODOO_SRC/addons,$tmp/addons"
    say "upgrade test: installing the addons of $from with demo data in $db"
    if ! git -C "$ROOT" archive "$from" addons | tar -x -C "$tmp"; then
        echo "upgrade test: cannot extract $from from git history (a full clone is needed)" >>"$log"
        rm -rf "$tmp"; return 1
    fi
    db_exists "$db" && dropdb "$db"
    local step
    for step in install prepare snapshot upgrade; do
        case $step in
            install) odoo -d "$db" -i "$ADDONS" --with-demo --stop-after-init --log-level=warn \
                         --addons-path="$old_path" --http-port="${DM_TEST_HTTP_PORT:-8169}" ;;
            prepare) "$PY" "$ODOO_SRC/odoo-bin" shell -c "$CONF" -d "$db" --addons-path="$old_path" \
                         --no-http --log-level=warn \
                         <"$ROOT/scripts/upgrade_prepare.py" ;;
            snapshot) "$PY" "$ROOT/scripts/upgrade_snapshot.py" --config "$CONF" --database "$db" \
                          --output "$tmp/snapshot.json" ;;
            upgrade) say "upgrade test: upgrading $db to the working tree (-u $ADDONS)"
                     odoo -d "$db" -u "$ADDONS" --stop-after-init --log-level=info \
                         --http-port="${DM_TEST_HTTP_PORT:-8169}" ;;
        esac >"$results/upgrade-$step.log" 2>&1 || {
            echo "upgrade test: step $step failed, see $results/upgrade-$step.log" >>"$log"
            tail -20 "$results/upgrade-$step.log" >>"$log"
            rm -rf "$tmp"; return 1
        }
    done
    local status=0
    (cd "$ROOT" && DM_UPGRADE_SNAPSHOT="$tmp/snapshot.json" DM_UPGRADE_LOG="$results/upgrade-upgrade.log" \
        "$VENV/bin/pytest" --odoo-config="$CONF" --odoo-database="$db" -p no:cacheprovider -q \
        tests/test_upgrade.py) >>"$log" 2>&1 || status=$?
    rm -rf "$tmp"
    return $status
}

cmd_i18n() {
    # Regenerates each addon's .pot from a database without demo data (demo
    # records are not translated) and merges it into fr.po.
    setup
    local db="dm_i18n"
    db_exists "$db" && dropdb "$db"
    odoo -d "$db" -i "$ADDONS" --stop-after-init --log-level=warn
    local addon status=0
    for addon in ${ADDONS//,/ }; do
        "$PY" "$ODOO_SRC/odoo-bin" i18n export -c "$CONF" -d "$db" "$addon" >/dev/null 2>&1
        [ -f "$ROOT/addons/$addon/i18n/$addon.pot" ] || continue
        "$PY" "$ROOT/scripts/i18n_merge.py" "$ROOT/addons/$addon" || status=1
    done
    dropdb "$db"
    return $status
}

cmd_bench() {
    # A fresh database with the three addons and no demo data, then the
    # benchmark (scripts/bench.py): figures, targets and PASS/FAIL.
    setup
    local db="${DM_BENCH_DB:-dm_bench}"
    case " $* " in *" --load-only "*) ;; *)
        db_exists "$db" && dropdb "$db"
        say "creating database $db with the three addons (no demo data)"
        odoo -d "$db" -i "$ADDONS" --stop-after-init --log-level=warn ;;
    esac
    # The faults step (scripts/bench_faults.py) restarts the private cluster
    # with pg_ctl, as its OS user; a server given by PG* variables is left alone.
    if [ -n "${PGDATA_DIR:-}" ]; then  # set by pg_start for the private cluster only
        export DM_PG_CTL="$(pg_bindir)/pg_ctl" DM_PGDATA="$PGDATA_DIR" DM_PG_LOG="$PG_BASE/server.log"
        if is_root; then export DM_BENCH_PG_USER="$PG_OS_USER"; fi
    fi
    "$PY" "$ROOT/scripts/bench.py" --config "$CONF" --database "$db" "$@"
}

cmd_stop() {
    pg_paths
    pkill -f "odoo-bin -c $CONF" 2>/dev/null && say "Odoo stopped" || true
    pg_stop
}

case "${1:-}" in
    run) shift; cmd_run "$@" ;;
    test) shift; cmd_test "$@" ;;
    lint) shift; cmd_lint ;;
    stop) cmd_stop ;;
    i18n) cmd_i18n ;;
    bench) shift; cmd_bench "$@" ;;
    test-upgrade) setup; mkdir -p "$LOCAL/test-results"; upgrade_test "$LOCAL/test-results"; s=$?
        cat "$LOCAL/test-results/upgrade.log"; exit $s ;;
    setup) setup; say "ready: Odoo $ODOO_SRC, venv $VENV, PGHOST=$PGHOST" ;;
    shell) shift; setup; odoo shell -d "${1:-$DM_DB}" ;;
    *) echo "usage: $0 {run|test|bench|lint|stop|setup|i18n|shell [db]}" >&2; exit 2 ;;
esac
