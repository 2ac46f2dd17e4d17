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
# Installed by itself with dm_cyber and dm_software on a new database
# (auto_install), but not by an upgrade (-u) of an existing one: -i it there.
BRIDGES="dm_cyber_software"
DM_DB="${DM_DB:-medical_devices}"
DM_TEST_DB="${DM_TEST_DB:-dm_test}"
DM_HTTP_PORT="${DM_HTTP_PORT:-8069}"
PG_OS_USER="${DM_PG_OS_USER:-odoo-dm-pg}"
ODOO_OS_USER="${DM_ODOO_OS_USER:-odoo-dm}"
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
    want="$(cat "$reqs" "$ROOT/requirements.txt" "$ROOT/requirements-dev.txt" "$ROOT/requirements-oca.txt" | sha256sum | cut -c1-32)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        apt_install libpq-dev libmagic1
        say "installing Python requirements into $VENV (first run: a few minutes)"
        # cbor2 builds from source and its build breaks with setuptools>=81: constrain the build env.
        local constraints="$LOCAL/pip-build-constraints.txt"
        echo 'setuptools<81' >"$constraints"
        "$PY" -m pip install -q --upgrade 'pip' 'setuptools<81' wheel >"$LOGDIR/pip.log" 2>&1
        # PIP_BUILD_CONSTRAINT for pip >= 25.3, PIP_CONSTRAINT for older pips.
        # requirements.txt: the addons' own runtime libraries, installed with
        # Odoo's so that pip resolves them together (none may move Odoo's pins).
        PIP_BUILD_CONSTRAINT="$constraints" PIP_CONSTRAINT="$constraints" \
            "$PY" -m pip install -q -r "$reqs" -r "$ROOT/requirements.txt" -r "$ROOT/requirements-dev.txt" \
            >>"$LOGDIR/pip.log" 2>&1 || { tail -30 "$LOGDIR/pip.log" >&2; die "pip install failed, see $LOGDIR/pip.log"; }
        # OCA addons (pinned wheels): --no-deps, as they require the `odoo`
        # distribution, which is run from source here.
        "$PY" -m pip install -q --no-deps -r "$ROOT/requirements-oca.txt" \
            >>"$LOGDIR/pip.log" 2>&1 || { tail -30 "$LOGDIR/pip.log" >&2; die "pip install of the OCA addons failed, see $LOGDIR/pip.log"; }
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
    # The configuration of the tools and tests (odoo-bin --test-enable,
    # pytest --odoo-config, scripts/*.py), run by whoever runs dm.sh. The
    # database manager is off and has no master password (an empty
    # admin_passwd refuses every password). `make run` serves with its own
    # configuration (write_serve_conf).
    local src="$1"
    mkdir -p "$LOCAL/filestore"
    (
        umask 077
        cat >"$CONF" <<EOF
[options]
addons_path = $src/odoo/addons,$src/addons,$ROOT/addons
data_dir = $LOCAL/filestore
db_host = ${PGHOST:-False}
db_port = ${PGPORT:-False}
db_user = ${PGUSER:-$PG_ROLE}
http_port = $DM_HTTP_PORT
http_interface = ${DM_HTTP_INTERFACE:-127.0.0.1}
admin_passwd =
list_db = False
max_cron_threads = 1
EOF
        if [ -n "${PGPASSWORD:-}" ]; then echo "db_password = $PGPASSWORD" >>"$CONF"; fi
    )
    chmod 600 "$CONF"
}

# ------------------------------------------------------------- served instance (make run)
serve_paths() {
    # Everything of the served instance lives in SERVE_BASE: its configuration,
    # master password, pid file and data (filestore, sessions). The Odoo user
    # must reach it: a checkout under a private home (e.g. /root) keeps it in
    # /var/lib/<odoo user> instead, as pg_paths does for the cluster.
    SERVE_BASE="${DM_SERVE_DIR:-$LOCAL/serve}"
    if [ -z "${DM_SERVE_DIR:-}" ] && is_root && id "$ODOO_OS_USER" >/dev/null 2>&1 \
        && ! runuser -u "$ODOO_OS_USER" -- test -x "$LOCAL" 2>/dev/null; then
        SERVE_BASE="/var/lib/$ODOO_OS_USER/$(echo "$ROOT" | sha256sum | cut -c1-12)"
    fi
    SERVE_CONF="$SERVE_BASE/odoo.conf"
    MASTER_FILE="$SERVE_BASE/master-password"
}

as_odoo_user() {
    # The served Odoo never runs as root: as root, it runs as $ODOO_OS_USER.
    if is_root; then
        # From a directory it can enter (the checkout may be under /root).
        (cd "$SERVE_BASE" && runuser -u "$ODOO_OS_USER" -- env HOME="$SERVE_BASE" "$@")
    else
        "$@"
    fi
}

odoo_runtime() {
    # What the Odoo user runs: RUN_PY, RUN_SRC (Odoo) and RUN_ADDONS (ours).
    # As root, what the Odoo user cannot read (a checkout, a venv or a pyenv
    # Python under /root) is provided in $SERVE_BASE/runtime, owned by root
    # and read-only for the Odoo user.
    RUN_PY="$PY" RUN_SRC="$ODOO_SRC" RUN_ADDONS="$ROOT/addons"
    is_root || return 0
    local rt="$SERVE_BASE/runtime"
    mkdir -p "$rt"
    chmod 755 "$rt"
    if ! as_odoo_user test -r "$ROOT/addons/medical_device/__manifest__.py"; then
        # Our addons are small: copied at every run, so the server runs the checkout's code.
        rm -rf "$rt/addons.new"
        cp -a "$ROOT/addons" "$rt/addons.new"
        rm -rf "$rt/addons"
        mv "$rt/addons.new" "$rt/addons"
        chmod -R go+rX "$rt/addons"
        RUN_ADDONS="$rt/addons"
    fi
    if ! as_odoo_user test -r "$ODOO_SRC/odoo-bin"; then
        local stamp
        stamp="$ODOO_SRC $(sha256sum "$ODOO_SRC/odoo/release.py" | cut -c1-16)"
        if [ "$(cat "$rt/odoo-src.stamp" 2>/dev/null)" != "$stamp" ]; then
            say "copying Odoo from $ODOO_SRC into $rt/odoo-src (the user $ODOO_OS_USER cannot read it)"
            rm -rf "$rt/odoo-src"
            cp -a "$ODOO_SRC" "$rt/odoo-src"
            chmod -R go+rX "$rt/odoo-src"
            echo "$stamp" >"$rt/odoo-src.stamp"
        fi
        RUN_SRC="$rt/odoo-src"
    fi
    if ! as_odoo_user "$PY" -c "" 2>/dev/null; then
        # The venv's interpreter is out of reach: a venv of the system Python of
        # the same version, with the same packages.
        local ver site base="" candidate
        ver="$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
        site="$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
        for candidate in "/usr/bin/python$ver" "/usr/local/bin/python$ver"; do
            if as_odoo_user "$candidate" -c "" 2>/dev/null; then base="$candidate"; break; fi
        done
        [ -n "$base" ] || die "the user $ODOO_OS_USER cannot run $PY (it lies under a private directory) and no python$ver is installed system-wide.
  Either install python$ver (apt-get install python3), or move the checkout and its
  virtual environment where other users can read them (e.g. /opt or /srv)."
        local venv="$rt/venv" rsite="$rt/venv/lib/python$ver/site-packages"
        mkdir -p "$venv/bin" "$rsite"
        ln -sfn "$base" "$venv/bin/python"
        printf 'home = %s\ninclude-system-site-packages = false\nversion = %s\n' \
            "$(dirname "$base")" "$ver" >"$venv/pyvenv.cfg"
        if as_odoo_user test -r "$site" && as_odoo_user test -x "$site"; then
            echo "import site; site.addsitedir('$site')" >"$rsite/dm-packages.pth"
        else
            local want
            want="$(cat "$VENV/.dm-requirements.sha" 2>/dev/null)"
            if [ "$(cat "$rt/venv.stamp" 2>/dev/null)" != "$want" ]; then
                say "copying the Python packages into $venv (the user $ODOO_OS_USER cannot read $site)"
                rm -f "$rsite/dm-packages.pth"
                cp -a "$site/." "$rsite/"
                echo "$want" >"$rt/venv.stamp"
            fi
        fi
        chmod -R go+rX "$venv"
        RUN_PY="$venv/bin/python"
    fi
    as_odoo_user "$RUN_PY" -c "import sys; sys.path.insert(0, '$RUN_SRC'); import odoo.release, psycopg2" \
        || die "the user $ODOO_OS_USER cannot run Odoo ($RUN_PY, $RUN_SRC, $RUN_ADDONS)"
}

serve_workers() {
    # Workers (one process per request, killed past their time or memory
    # limits) when the machine has 2 cores and the RAM for 2 workers; the
    # threaded server (no per-request limits) otherwise. DM_WORKERS=N decides.
    local cores mem_mb by_ram
    cores="$(nproc 2>/dev/null || echo 1)"
    mem_mb="$(awk '/^MemTotal:/ {print int($2 / 1024)}' /proc/meminfo 2>/dev/null || echo 0)"
    if [ -n "${DM_WORKERS:-}" ]; then
        WORKERS="$DM_WORKERS"
        SERVE_MODE_NOTE="DM_WORKERS=$DM_WORKERS"
    else
        # Odoo's rule of thumb, 2 per core + 1, and ~512 MB per worker once
        # 1 GB is left to PostgreSQL and the system.
        WORKERS=$((2 * cores + 1))
        by_ram=$(((mem_mb - 1024) / 512))
        if [ "$by_ram" -lt "$WORKERS" ]; then WORKERS="$by_ram"; fi
        if [ "$cores" -lt 2 ] || [ "$WORKERS" -lt 2 ]; then WORKERS=0; fi
        SERVE_MODE_NOTE="$cores cores, $mem_mb MB of RAM"
    fi
    [[ "$WORKERS" =~ ^[0-9]+$ ]] || die "DM_WORKERS must be a number, not '$WORKERS'"
}

master_password() {
    # DM_MASTER_PASSWORD, or a random one generated once into $MASTER_FILE (0600).
    if [ -n "${DM_MASTER_PASSWORD:-}" ]; then
        printf '%s' "$DM_MASTER_PASSWORD"
        return
    fi
    if [ ! -s "$MASTER_FILE" ]; then
        (umask 077 && "$PY" -c 'import secrets; print(secrets.token_urlsafe(24))' >"$MASTER_FILE")
    fi
    chmod 600 "$MASTER_FILE"
    head -n1 "$MASTER_FILE" | tr -d '\n'
}

write_serve_conf() {
    # The configuration `make run` serves with (SERVE_CONF, 0600): one
    # database (dbfilter), no database manager (list_db = False), a master
    # password stored as a PBKDF2 hash, workers with limits when the machine
    # allows. Run `dm.sh serve-conf DIR` to see what it writes.
    mkdir -p "$SERVE_BASE/data"
    chmod 700 "$SERVE_BASE" "$SERVE_BASE/data"
    local hash
    hash="$(master_password | "$PY" -c 'import sys
from passlib.context import CryptContext
# The scheme and rounds of odoo.tools.config.crypt_context.
context = CryptContext(schemes=["pbkdf2_sha512"], pbkdf2_sha512__rounds=600_000)
print(context.hash(sys.stdin.read()))')"
    serve_workers
    (
        umask 077
        cat >"$SERVE_CONF" <<EOF
[options]
; Written by scripts/dm.sh at every \`make run\`: set DM_* variables rather than editing it.
addons_path = $RUN_SRC/odoo/addons,$RUN_SRC/addons,$RUN_ADDONS
data_dir = $SERVE_BASE/data
pidfile = $SERVE_BASE/odoo.pid
db_host = ${PGHOST:-False}
db_port = ${PGPORT:-False}
db_user = ${PGUSER:-$PG_ROLE}
db_name = $DM_DB
dbfilter = ^$DM_DB\$
list_db = False
admin_passwd = $hash
http_port = $DM_HTTP_PORT
http_interface = ${DM_HTTP_INTERFACE:-127.0.0.1}
proxy_mode = ${DM_PROXY_MODE:-False}
workers = $WORKERS
max_cron_threads = ${DM_MAX_CRON_THREADS:-1}
EOF
        if [ "$WORKERS" -gt 0 ]; then
            cat >>"$SERVE_CONF" <<EOF
gevent_port = ${DM_GEVENT_PORT:-$((DM_HTTP_PORT + 3))}
limit_time_cpu = ${DM_LIMIT_TIME_CPU:-300}
limit_time_real = ${DM_LIMIT_TIME_REAL:-600}
limit_memory_soft = $((${DM_LIMIT_MEMORY_SOFT_MB:-2048} * 1024 * 1024))
limit_memory_hard = $((${DM_LIMIT_MEMORY_HARD_MB:-2560} * 1024 * 1024))
limit_request = ${DM_LIMIT_REQUEST:-65536}
EOF
        fi
        if [ -n "${PGPASSWORD:-}" ]; then echo "db_password = $PGPASSWORD" >>"$SERVE_CONF"; fi
    )
    chmod 600 "$SERVE_CONF"
    if [ "$WORKERS" -gt 0 ]; then
        say "serving with $WORKERS workers ($SERVE_MODE_NOTE), limits: ${DM_LIMIT_TIME_CPU:-300} s CPU, ${DM_LIMIT_TIME_REAL:-600} s real, ${DM_LIMIT_MEMORY_HARD_MB:-2560} MB per request"
    else
        say "serving in threaded mode, one process without per-request time or memory limits ($SERVE_MODE_NOTE; workers need 2 cores and 2 GB of RAM, DM_WORKERS=N forces them)"
    fi
}

serve_setup() {
    # The served instance: its user, runtime, configuration and data.
    serve_paths
    if is_root && ! id "$ODOO_OS_USER" >/dev/null 2>&1; then
        # Odoo is not run as root: the served instance belongs to a dedicated system user.
        useradd --system --no-create-home --shell /usr/sbin/nologin "$ODOO_OS_USER"
        serve_paths
    fi
    mkdir -p "$SERVE_BASE"
    odoo_runtime
    write_serve_conf
    # A filestore left by an earlier `make run` as root moves to the served data.
    if [ -d "$LOCAL/filestore/filestore/$DM_DB" ] && [ ! -d "$SERVE_BASE/data/filestore/$DM_DB" ]; then
        mkdir -p "$SERVE_BASE/data/filestore"
        cp -a "$LOCAL/filestore/filestore/$DM_DB" "$SERVE_BASE/data/filestore/"
    fi
    if is_root; then
        chown "$ODOO_OS_USER:" "$SERVE_BASE" "$SERVE_CONF"
        if [ -f "$MASTER_FILE" ]; then chown "$ODOO_OS_USER:" "$MASTER_FILE"; fi
        chown -R "$ODOO_OS_USER:" "$SERVE_BASE/data"
    fi
}

serve_odoo() { as_odoo_user "$RUN_PY" "$RUN_SRC/odoo-bin" -c "$SERVE_CONF" "$@"; }

setup() {
    mkdir -p "$LOCAL" "$LOGDIR"
    ODOO_SRC="$(find_odoo_src)"
    export ODOO_SRC
    say "Odoo 19 source: $ODOO_SRC"
    setup_venv "$ODOO_SRC"
    # wkhtmltopdf renders the PDF reports (reception PV); offscreen needs no X server.
    # poppler-utils (pdftotext): the tests read the printed PDFs back.
    apt_install wkhtmltopdf poppler-utils
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
    serve_setup
    # Installing or updating runs as the serving user too, so that it owns the files it writes.
    if db_exists "$DM_DB" && modules_installed "$DM_DB"; then
        say "database $DM_DB exists: updating our addons"
        serve_odoo -d "$DM_DB" -u "$ADDONS" -i "$BRIDGES" --stop-after-init --log-level=warn --workers=0 --max-cron-threads=0
    else
        if db_exists "$DM_DB"; then dropdb "$DM_DB"; fi
        say "creating database $DM_DB with the three addons and demo data"
        serve_odoo -d "$DM_DB" -i "$ADDONS" --with-demo --stop-after-init --log-level=warn --load-language=fr_FR \
            --workers=0 --max-cron-threads=0
    fi
    local who="$ODOO_OS_USER" password_at="$MASTER_FILE (readable by $ODOO_OS_USER only)"
    is_root || who="$(id -un)"
    [ -n "${DM_MASTER_PASSWORD:-}" ] && password_at="DM_MASTER_PASSWORD"
    cat >&2 <<EOF

  Odoo 19 with the medical device suite: http://localhost:$DM_HTTP_PORT
  Log in as admin / admin (administrator), or as a demo role, password = login:
    dm_engineer, dm_technician, dm_pharmacist, dm_rssi, dm_dpo, dm_auditor
  Served as the system user $who with $SERVE_CONF: database $DM_DB only,
  database manager disabled; master password in $password_at.
  Stop with Ctrl-C or make stop; stop PostgreSQL with: make stop

EOF
    if is_root; then
        cd "$SERVE_BASE"
        exec runuser -u "$ODOO_OS_USER" -- env -u DM_MASTER_PASSWORD HOME="$SERVE_BASE" \
            "$RUN_PY" "$RUN_SRC/odoo-bin" -c "$SERVE_CONF"
    fi
    # The configuration holds the master password's hash: the server needs no plain copy.
    exec env -u DM_MASTER_PASSWORD "$RUN_PY" "$RUN_SRC/odoo-bin" -c "$SERVE_CONF"
}

cmd_serve_conf() {
    # Writes the configuration `make run` serves with into $1 (odoo.conf and,
    # without DM_MASTER_PASSWORD, master-password), as the current user, and
    # prints its path: tests/test_deploy.py checks it.
    [ -n "${1:-}" ] || die "usage: $0 serve-conf DIR"
    ODOO_SRC="$(find_odoo_src)"
    mkdir -p "$1"
    SERVE_BASE="$(cd "$1" && pwd)" SERVE_CONF="$(cd "$1" && pwd)/odoo.conf" MASTER_FILE="$(cd "$1" && pwd)/master-password"
    RUN_PY="$PY" RUN_SRC="$ODOO_SRC" RUN_ADDONS="$ROOT/addons"
    if pg_embedded; then
        pg_paths
        PGHOST="$PGSOCK_DIR" PGPORT="$PG_PORT" PGUSER="$PG_ROLE"
    fi
    write_serve_conf
    echo "$SERVE_CONF"
}

cmd_lint() {
    setup_lint_only
    say "ruff"
    local paths=() dir
    for dir in addons tests data scripts; do [ -d "$ROOT/$dir" ] && paths+=("$ROOT/$dir"); done
    "$VENV/bin/ruff" check "${paths[@]}"
    "$VENV/bin/ruff" format --check "${paths[@]}"
    say "pylint-odoo (mandatory checks)"
    (cd "$ROOT" && "$VENV/bin/pylint" --rcfile="$ROOT/.pylintrc-mandatory" addons/medical_device addons/dm_cyber addons/dm_software addons/dm_cyber_software)
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
        -p no:cacheprovider -q -rs "$@") >"$results/pytest.log" 2>&1 || pytest_status=$?
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
            upgrade) say "upgrade test: upgrading $db to the working tree (-u $ADDONS -i $BRIDGES)"
                     odoo -d "$db" -u "$ADDONS" -i "$BRIDGES" --stop-after-init --log-level=info \
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
    for addon in ${ADDONS//,/ } ${BRIDGES//,/ }; do
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
    serve_paths
    local pid
    pid="$(cat "$SERVE_BASE/odoo.pid" 2>/dev/null || true)"
    # Only the server of this checkout: a stale pid file may name another process.
    if [ -n "$pid" ] && tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF -- "-c $SERVE_CONF"; then
        kill "$pid"
        for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
        say "Odoo stopped"
    fi
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
    shell) shift; setup
        # The served database with the served configuration (its filestore), as the serving user.
        if [ "${1:-$DM_DB}" = "$DM_DB" ]; then serve_setup; serve_odoo shell -d "$DM_DB"; else odoo shell -d "$1"; fi ;;
    serve-conf) shift; cmd_serve_conf "$@" ;;
    *) echo "usage: $0 {run|test|bench|lint|stop|setup|i18n|shell [db]|serve-conf DIR}" >&2; exit 2 ;;
esac
