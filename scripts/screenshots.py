#!/usr/bin/env python3
"""Screenshots of the medical devices screens, for the documentation.

Logs in to a running Odoo server, then drives a headless Chromium over the
DevTools protocol to capture:

* the lifecycle kanban of the medical devices (/odoo/medical-devices),
* the form of a device (the CT scanner of the demo data when there is one),
* the criticality dashboard.

Only the standard library and ``websocket-client`` are used. Run it with the
project's virtualenv::

    .local/venv/bin/python scripts/screenshots.py --url http://localhost:8069 \
        --db medical_devices --login admin --password admin

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

    def find_device(self):
        """The CT scanner of the demo data, else the first very critical device in
        service, else the first medical device."""
        domains = [
            [("is_medical_device", "=", True), ("name", "ilike", "Scanner")],
            [
                ("is_medical_device", "=", True),
                ("lifecycle_state", "=", "in_service"),
                ("pieu_criticality", "=", "very_critical"),
            ],
            [("is_medical_device", "=", True)],
        ]
        for domain in domains:
            records = self.search_read(
                "maintenance.equipment", domain, ["name"], order="id"
            )
            if records:
                return records[0]
        raise ScreenshotError("no medical device found to show its form")


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
    return parser.parse_args(argv)


def take_screenshots(args):
    session = OdooSession(args.url, args.db, args.timeout)
    session_id = session.authenticate(args.login, args.password)
    device_id = args.device_id or session.find_device()["id"]
    base = session.url
    shots = [
        ("medical_devices_kanban.png", "/odoo/medical-devices", ".o_kanban_renderer"),
        (
            "medical_device_form.png",
            f"/odoo/medical-devices/{device_id}",
            ".o_form_view .o_form_renderer",
        ),
        (
            "criticality_dashboard.png",
            "/odoo/action-medical_device.dm_criticality_report_action",
            ".o_pivot, .o_view_nocontent",
        ),
        ("criticality_cyber_matrix.png", "/odoo/dm-cyber", ".o_pivot"),
    ]
    args.output.mkdir(parents=True, exist_ok=True)
    written = []
    with Chromium(args.chromium, args.width, args.height, args.timeout) as browser:
        browser.set_cookie(base + "/", "session_id", session_id)
        for filename, path, selector in shots:
            browser.open(base + path, selector or READY_SELECTOR, args.settle)
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
