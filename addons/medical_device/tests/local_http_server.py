"""A local HTTP server for the tests of the suite's clients (EUDAMED,
vulnerability advisory feeds): an ``http.server`` in a thread on a random
port, answering what :meth:`LocalHttpServer.answer` gives for each GET, and
misbehaving on demand (server errors first, slowness, no server at all)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


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
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        answer = server.owner.answer(url.path, query)
        if answer is None:
            return self._send(404, {"message": "Not Found"})
        return self._send(*answer)

    def _send(self, status, payload, content_type="application/json"):
        if isinstance(payload, bytes):
            body = payload
        elif isinstance(payload, str):
            body = payload.encode()
        else:
            body = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up waiting (timeout tests).
            self.close_connection = True


class LocalHttpServer:
    """``with Server() as server:`` ``server.url`` is its base URL;
    ``failures`` answers 500 that many times first, ``delay`` waits that many
    seconds before each answer; ``requests`` lists the paths asked.
    Subclasses say what to answer in :meth:`answer`."""

    prefix = ""

    def __init__(self, failures=0, delay=0.0):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.failures_left = failures
        self.httpd.delay = delay
        self.httpd.requests = []
        self.httpd.owner = self
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def answer(self, path, query):
        """``(status, payload[, content type])`` for ``GET path?query``
        (payload: bytes, text or a JSON value); ``None``: 404."""
        raise NotImplementedError

    @property
    def url(self):
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}{self.prefix}"

    @property
    def requests(self):
        return self.httpd.requests

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


def closed_port_url(prefix=""):
    """The URL of a port nobody listens on (the server is offline)."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    host, port = httpd.server_address[:2]
    httpd.server_close()
    return f"http://{host}:{port}{prefix}"
