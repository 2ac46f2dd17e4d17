#!/usr/bin/env python3
"""Screenshots of the medical devices screens, for the documentation.

Logs in to a running Odoo server, then drives a headless Chromium over the
DevTools protocol to capture, each as the demo role that uses the screen and
in its language (French by default):

* the lifecycle kanban of the medical devices (engineer),
* the top of the form of a device in reception, where its next step shows
  (engineer),
* "My approvals", the approvals waiting for the reader (DPO),
* the criticality dashboard (engineer): the dashboard client action when the
  database has one, else the criticality pivot (``--dashboard`` chooses),
* the criticality x cyber risk matrix (RSSI),
* the form of a disposal at its erasure step, on its erasure plan (technician),
* the quality-control trend chart of the first device with measures (engineer).

Only the standard library and ``websocket-client`` are used. Run it with the
project's virtualenv against a server with the demo data::

    .local/venv/bin/python scripts/screenshots.py --url http://localhost:8069 \
        --db medical_devices --login admin --password admin

The administrator's session finds the records to show and, with ``--lang``,
sets the demo users' language (a preference each user may change). The demo
users log in with their password (= login, ``--role-password`` otherwise);
``--no-roles`` takes every screenshot as the administrator instead.

It prints the paths it wrote and exits with a non-zero status on failure.
"""

import argparse
import base64
import contextlib
import http.cookiejar
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import websocket

ROOT = Path(__file__).resolve().parent.parent
READY_SELECTOR = ".o_kanban_renderer, .o_form_view, .o_pivot"
LOGIN_SELECTOR = ".oe_login_form, form.oe_login_form"
# The criticality dashboard: a client action of the addons when the database
# has one (found by its xml id containing "dashboard"), else this pivot.
DASHBOARD_FALLBACK = "medical_device.dm_criticality_report_action"
DASHBOARD_SELECTOR = (
    ".o_pivot, .o_graph_renderer, .o_view_nocontent,"
    # A client action: whatever it renders in the action manager.
    " .o_action_manager > :not(.o_view_controller)"
)
ADDONS = ("medical_device", "dm_cyber", "dm_software", "dm_cyber_software")
# The demo user of each role (medical_device/demo/res_users_demo.xml).
ROLE_LOGINS = {
    "engineer": "dm_engineer",
    "technician": "dm_technician",
    "pharmacist": "dm_pharmacist",
    "rssi": "dm_rssi",
    "dpo": "dm_dpo",
    "auditor": "dm_auditor",
}


class ScreenshotError(Exception):
    pass


# ---------------------------------------------------------------- Odoo JSON-RPC
class OdooSession:
    def __init__(self, url, db, timeout):
        self.url = url.rstrip("/")
        self.db = db
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies)
        )
        self._next_id = 0

    def rpc(self, route, params):
        self._next_id += 1
        body = json.dumps(
            {"jsonrpc": "2.0", "method": "call", "id": self._next_id, "params": params}
        ).encode()
        request = urllib.request.Request(
            self.url + route,
            data=body,
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                payload = json.load(response)
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise ScreenshotError(f"{self.url}{route}: {error}") from error
        if payload.get("error"):
            data = payload["error"].get("data") or {}
            message = data.get("message") or payload["error"].get("message")
            raise ScreenshotError(f"{route}: {message}")
        return payload.get("result")

    def authenticate(self, login, password):
        result = self.rpc(
            "/web/session/authenticate",
            {"db": self.db, "login": login, "password": password},
        )
        if not result or not result.get("uid"):
            raise ScreenshotError(f"login as {login!r} on {self.db!r} failed")
        session_id = self.session_id()
        if not session_id:
            raise ScreenshotError("the server set no session_id cookie")
        return session_id

    def session_id(self):
        for cookie in self.cookies:
            if cookie.name == "session_id":
                return cookie.value
        return None

    def search_read(self, model, domain, fields, limit=1, order=None):
        kwargs = {"domain": domain, "fields": fields, "limit": limit}
        if order:
            kwargs["order"] = order
        return self.rpc(
            f"/web/dataset/call_kw/{model}/search_read",
            {"model": model, "method": "search_read", "args": [], "kwargs": kwargs},
        )

    def call(self, model, method, *args, **kwargs):
        return self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def first(self, model, domains, what):
        """The first record (by id) of the first domain that finds one."""
        for domain in domains:
            records = self.search_read(model, domain, ["display_name"], order="id")
            if records:
                return records[0]
        raise ScreenshotError(f"no {what} found to show")

    def find_device(self):
        """A device in reception (its form shows what its next step needs),
        else the CT scanner of the demo data, else the first medical device."""
        return self.first(
            "maintenance.equipment",
            [
                [
                    ("is_medical_device", "=", True),
                    ("lifecycle_state", "=", "reception"),
                ],
                [("is_medical_device", "=", True), ("name", "ilike", "Scanner")],
                [("is_medical_device", "=", True)],
            ],
            "medical device",
        )

    def find_disposal(self):
        """A disposal at its erasure step, else any disposal in progress, else
        the first one."""
        return self.first(
            "dm.disposal",
            [
                [("state", "=", "erasure")],
                [("state", "not in", ("done", "cancelled"))],
                [],
            ],
            "disposal",
        )

    def find_notice(self):
        """A matched safety notice with a quarantine (the demo's ANSM one),
        else any matched notice, else the first one."""
        return self.first(
            "dm.vigilance.notice",
            [
                [("state", "=", "matched"), ("required_action", "=", "quarantine")],
                [("state", "=", "matched")],
                [],
            ],
            "safety notice",
        )

    def find_advisory(self):
        """A known-exploited advisory that affects devices (the demo's log4j
        one), else any advisory."""
        return self.first(
            "dm.advisory",
            [[("known_exploited", "=", True), ("vulnerability_ids", "!=", False)], []],
            "advisory",
        )

    def dashboard_path(self, choice):
        """The URL path of the criticality dashboard: ``choice`` (an xml id or
        a path), else the addons' dashboard client action, else the pivot."""
        if choice and choice.startswith("/"):
            return choice
        if not choice:
            found = self.search_read(
                "ir.model.data",
                [
                    ("module", "in", ADDONS),
                    ("model", "=", "ir.actions.client"),
                    ("name", "ilike", "dashboard"),
                ],
                ["module", "name"],
                order="module, name",
            )
            # The criticality dashboard first, if there are several.
            found.sort(key=lambda xid: "critical" not in xid["name"])
            choice = (
                f"{found[0]['module']}.{found[0]['name']}"
                if found
                else DASHBOARD_FALLBACK
            )
        return f"/odoo/action-{choice}"

    def set_language(self, logins, lang):
        """Set the language of these users (a preference), if it is installed."""
        if not self.search_read("res.lang", [("code", "=", lang)], ["code"]):
            raise ScreenshotError(
                f"the language {lang} is not installed (make run installs fr_FR)"
            )
        users = self.search_read(
            "res.users", [("login", "in", sorted(logins))], ["login", "lang"], limit=0
        )
        missing = set(logins) - {user["login"] for user in users}
        if missing:
            raise ScreenshotError(
                f"no user {', '.join(sorted(missing))}: install with demo data"
                " or use --no-roles"
            )
        to_change = [user["id"] for user in users if user["lang"] != lang]
        if to_change:
            self.call("res.users", "write", to_change, {"lang": lang})


# ---------------------------------------------------------------- Chromium / CDP
def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Chromium:
    def __init__(self, binary, width, height, timeout):
        self.binary = binary
        self.width = width
        self.height = height
        self.timeout = timeout
        self.process = None
        self.profile = None
        self.ws = None
        self._next_id = 0

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def start(self):
        if not shutil.which(self.binary):
            raise ScreenshotError(f"Chromium not found: {self.binary}")
        port = free_port()
        self.profile = tempfile.mkdtemp(prefix="dm_screenshots_")
        command = [
            self.binary,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            f"--remote-debugging-port={port}",
            f"--window-size={self.width},{self.height}",
            f"--user-data-dir={self.profile}",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "about:blank",
        ]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        ws_url = self._page_websocket_url(port)
        self.ws = websocket.create_connection(
            ws_url, timeout=self.timeout, suppress_origin=True
        )
        self.call("Page.enable")
        self.call("Network.enable")
        self.call("Runtime.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=self.width,
            height=self.height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def _page_websocket_url(self, port):
        deadline = time.monotonic() + self.timeout
        last_error = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ScreenshotError(
                    f"Chromium exited with status {self.process.returncode}"
                )
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/json/list", timeout=2
                ) as response:
                    targets = json.load(response)
                for target in targets:
                    if target.get("type") == "page" and target.get(
                        "webSocketDebuggerUrl"
                    ):
                        return target["webSocketDebuggerUrl"]
            except (urllib.error.URLError, OSError, ValueError) as error:
                last_error = error
            time.sleep(0.2)
        raise ScreenshotError(f"Chromium DevTools did not answer: {last_error}")

    def stop(self):
        if self.ws is not None:
            with contextlib.suppress(OSError, websocket.WebSocketException):
                self.ws.close()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.profile:
            shutil.rmtree(self.profile, ignore_errors=True)

    def call(self, method, **params):
        self._next_id += 1
        message_id = self._next_id
        self.ws.send(json.dumps({"id": message_id, "method": method, "params": params}))
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            try:
                message = json.loads(self.ws.recv())
            except websocket.WebSocketTimeoutException as error:
                raise ScreenshotError(f"{method}: no answer from Chromium") from error
            if message.get("id") != message_id:
                continue  # an event or a stale answer
            if "error" in message:
                raise ScreenshotError(f"{method}: {message['error']}")
            return message.get("result", {})
        raise ScreenshotError(f"{method}: no answer from Chromium")

    def evaluate(self, expression):
        result = self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True
        )
        if result.get("exceptionDetails"):
            raise ScreenshotError(f"script error: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    def set_cookie(self, url, name, value):
        result = self.call("Network.setCookie", name=name, value=value, url=url)
        if result.get("success") is False:
            raise ScreenshotError(f"could not set the {name} cookie")

    def wait_for(self, selector, what):
        ready = json.dumps(selector)
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.evaluate(f"!!document.querySelector({ready})"):
                return
            time.sleep(0.25)
        raise ScreenshotError(f"{what}: '{selector}' not rendered in {self.timeout}s")

    def click(self, selector, then, settle):
        """Click the first element matching selector (if any), wait for then."""
        target = json.dumps(selector)
        clicked = self.evaluate(
            f"(() => {{ const el = document.querySelector({target});"
            " if (el) { el.click(); return true; } return false; })()"
        )
        if clicked:
            self.wait_for(then, selector)
            time.sleep(settle)
        return clicked

    def resize(self, height):
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=self.width,
            height=height or self.height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def open(self, url, selector, settle):
        """Navigate to url and wait until selector is rendered, then settle."""
        result = self.call("Page.navigate", url=url)
        if result.get("errorText"):
            raise ScreenshotError(f"{url}: {result['errorText']}")
        login, ready = json.dumps(LOGIN_SELECTOR), json.dumps(selector)
        check = (
            f"document.querySelector({login}) ? 'login'"
            f" : document.querySelector({ready}) ? 'ready' : ''"
        )
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            state = self.evaluate(check)
            if state == "login":
                raise ScreenshotError(f"{url}: the login page is shown, not logged in")
            if state == "ready":
                time.sleep(settle)
                return
            time.sleep(0.25)
        raise ScreenshotError(f"{url}: '{selector}' not rendered in {self.timeout}s")

    def screenshot(self, path):
        result = self.call("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(result["data"]))


# ---------------------------------------------------------------- main
def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://localhost:8069", help="Odoo URL")
    parser.add_argument("--db", default="medical_devices", help="database")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument(
        "--output",
        type=Path,
        default=ROOT / "docs" / "screenshots",
        help="folder of the PNG files (created if missing)",
    )
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument(
        "--timeout", type=float, default=60, help="seconds to wait for a page"
    )
    parser.add_argument(
        "--settle", type=float, default=1.5, help="seconds to wait once rendered"
    )
    parser.add_argument(
        "--device-id", type=int, help="device of the form screenshot (default: found)"
    )
    parser.add_argument(
        "--disposal-id",
        type=int,
        help="disposal of the disposal screenshot (default: found)",
    )
    parser.add_argument(
        "--dashboard",
        help="criticality dashboard: an action xml id or a URL path (default:"
        " the addons' dashboard client action, else "
        f"{DASHBOARD_FALLBACK})",
    )
    parser.add_argument(
        "--lang",
        default="fr_FR",
        help="language of the demo users shown (default fr_FR; empty: leave as is)",
    )
    parser.add_argument(
        "--role-password",
        help="password of the demo users (default: their login, as in the demo)",
    )
    parser.add_argument(
        "--no-roles",
        action="store_true",
        help="take every screenshot as --login instead of the demo role",
    )
    parser.add_argument(
        "--only", nargs="+", metavar="FILE", help="take only these screenshots"
    )
    return parser.parse_args(argv)


def shot_list(session, args):
    """(file, role, URL path, selector to wait for, tab to click, height)."""
    device_id = args.device_id or session.find_device()["id"]
    disposal_id = args.disposal_id or session.find_disposal()["id"]
    return [
        (
            "medical_devices_kanban.png",
            "engineer",
            "/odoo/medical-devices",
            ".o_kanban_renderer",
            None,
            None,
        ),
        (
            "medical_device_form.png",
            "engineer",
            f"/odoo/medical-devices/{device_id}",
            ".o_form_view .o_form_renderer",
            None,
            None,
        ),
        (
            "my_approvals.png",
            "dpo",
            "/odoo/action-medical_device.dm_approval_action_my",
            ".o_list_view, .o_view_nocontent",
            None,
            None,
        ),
        (
            "criticality_dashboard.png",
            "engineer",
            session.dashboard_path(args.dashboard),
            DASHBOARD_SELECTOR,
            None,
            None,
        ),
        (
            "criticality_cyber_matrix.png",
            "rssi",
            "/odoo/dm-cyber",
            ".o_pivot",
            None,
            None,
        ),
        (
            "qc_trends.png",
            "engineer",
            "/odoo/action-medical_device.dm_qc_trends_action",
            ".o_dm_qc_trends .o_dm_qc_chart",
            None,
            None,
        ),
        (
            "safety_notice_form.png",
            "pharmacist",
            f"/odoo/safety-notices/{session.find_notice()['id']}",
            ".o_form_view .o_form_renderer",
            '.o_form_view .o_notebook .nav-link[name="actions"]',
            1000,
        ),
        (
            "advisory_form.png",
            "rssi",
            f"/odoo/action-dm_cyber.dm_advisory_action/{session.find_advisory()['id']}",
            ".o_form_view .o_form_renderer",
            None,
            1000,
        ),
        (
            "disposal_form.png",
            "technician",
            f"/odoo/dm-disposals/{disposal_id}",
            ".o_form_view .o_form_renderer",
            '.o_form_view .o_notebook .nav-link[name="erasure"]',
            1100,
        ),
    ]


def take_screenshots(args):
    session = OdooSession(args.url, args.db, args.timeout)
    admin_session_id = session.authenticate(args.login, args.password)
    shots = shot_list(session, args)
    if args.only:
        shots = [shot for shot in shots if shot[0] in args.only]
        unknown = set(args.only) - {shot[0] for shot in shots}
        if unknown:
            raise ScreenshotError(f"unknown screenshot(s): {', '.join(unknown)}")
    logins = {ROLE_LOGINS[shot[1]] for shot in shots}
    if not args.no_roles and args.lang:
        session.set_language(logins, args.lang)
    # One session per role, opened after its language is set.
    session_ids = {}
    if args.no_roles:
        session_ids = dict.fromkeys(logins, admin_session_id)
    else:
        for login in sorted(logins):
            password = args.role_password or login
            session_ids[login] = OdooSession(
                args.url, args.db, args.timeout
            ).authenticate(login, password)
    base = session.url
    args.output.mkdir(parents=True, exist_ok=True)
    written = []
    with Chromium(args.chromium, args.width, args.height, args.timeout) as browser:
        for filename, role, path, selector, tab, height in shots:
            browser.set_cookie(base + "/", "session_id", session_ids[ROLE_LOGINS[role]])
            browser.resize(height)
            # A dashboard loads its figures after it shows: twice the settle.
            settle = args.settle * (2 if selector == DASHBOARD_SELECTOR else 1)
            browser.open(base + path, selector or READY_SELECTOR, settle)
            if tab:
                browser.click(tab, f"{tab}.active", args.settle)
            target = args.output / filename
            browser.screenshot(target)
            written.append(target)
            print(target)
    return written


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        take_screenshots(args)
    except (ScreenshotError, OSError, websocket.WebSocketException) as error:
        print(f"screenshots: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
