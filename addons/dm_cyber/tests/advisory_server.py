"""A local server of advisory feeds for the fetcher's tests: serves the
sample files of ``data/samples/advisories/`` (or any bytes) at the paths
given, and misbehaves on demand (see ``LocalHttpServer``)."""

from pathlib import Path

from odoo.addons.medical_device.tests.local_http_server import LocalHttpServer

ADVISORIES = Path(__file__).resolve().parents[1] / "data" / "samples" / "advisories"


def sample(name):
    return (ADVISORIES / name).read_bytes()


class AdvisoryServer(LocalHttpServer):
    """``routes``: path → ``(status, bytes, content type)`` or a callable of
    the query giving it (NVD pages)."""

    def __init__(self, routes=None, **kwargs):
        super().__init__(**kwargs)
        self.routes = dict(routes or {})

    def answer(self, path, query):
        route = self.routes.get(path)
        if callable(route):
            return route(query)
        return route
