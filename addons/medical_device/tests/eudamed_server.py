"""A local EUDAMED for the tests: an ``http.server`` in a thread serving the
recorded answers of ``data/samples/eudamed/`` at the paths of EUDAMED's public
API, and misbehaving on demand (server errors, slowness, no server at all)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

SAMPLES = Path(__file__).resolve().parents[3] / "data" / "samples" / "eudamed"
# The Basic UDI-DI data of each device version (uuid of the search answers).
BASIC_BY_UUID = {
    "5f0d3c1e-8a52-4b7e-9d0c-2b9e6f41a7c3": "basic_udi_data_03760123450010.json",
    "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f": "basic_udi_data_735000ONCOPLANTPSV7.json",
}


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        """Quiet: the test log is the server's."""

    def do_GET(self):
        server = self.server
        server.requests.append(self.path)
        if server.delay:
            time.sleep(server.delay)
        if server.failures_left:
            server.failures_left -= 1
            return self._send(500, {"message": "Internal Server Error"})
        url = urlsplit(self.path)
        path = url.path.removeprefix("/api/")
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        name = None
        if path == "devices/udiDiData":
            if query.get("primaryDi"):
                name = f"search_udi_di_{query['primaryDi']}.json"
            elif query.get("basicUdi"):
                name = f"search_basic_udi_{query['basicUdi']}.json"
            if not name or not (SAMPLES / name).exists():
                name = "search_not_found.json"
        elif path.startswith("devices/basicUdiData/udiDiData/"):
            uuid = path.rsplit("/", 1)[-1]
            name = server.overrides.get(uuid) or BASIC_BY_UUID.get(uuid)
        if not name:
            return self._send(404, {"message": "Not Found"})
        text = (SAMPLES / name).read_text()
        if not name.endswith(".json"):
            # Not JSON (a proxy's error page, a maintenance notice).
            return self._send(200, text, "text/html")
        return self._send(200, json.loads(text))

    def _send(self, status, payload, content_type="application/json"):
        body = (payload if isinstance(payload, str) else json.dumps(payload)).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up waiting (timeout tests).
            self.close_connection = True


class EudamedServer:
    """``with EudamedServer() as server:`` ``server.url`` is the API's base
    URL; ``failures`` answers 500 that many times first, ``delay`` waits that
    many seconds before each answer, ``overrides`` maps a uuid to another
    recorded file; ``requests`` lists the paths asked."""

    def __init__(self, failures=0, delay=0.0, overrides=None):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.failures_left = failures
        self.httpd.delay = delay
        self.httpd.overrides = dict(overrides or {})
        self.httpd.requests = []
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self):
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/api"

    @property
    def requests(self):
        return self.httpd.requests

    @property
    def overrides(self):
        return self.httpd.overrides

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


def closed_port_url():
    """The URL of a port nobody listens on (EUDAMED offline)."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    host, port = httpd.server_address[:2]
    httpd.server_close()
    return f"http://{host}:{port}/api"
