"""A local EUDAMED for the tests: serves the recorded answers of
``data/samples/eudamed/`` at the paths of EUDAMED's public API, and
misbehaves on demand (see :class:`LocalHttpServer`)."""

import json
from pathlib import Path

from .local_http_server import LocalHttpServer
from .local_http_server import closed_port_url as _closed_port_url

SAMPLES = Path(__file__).resolve().parents[3] / "data" / "samples" / "eudamed"
# The Basic UDI-DI data of each device version (uuid of the search answers).
BASIC_BY_UUID = {
    "5f0d3c1e-8a52-4b7e-9d0c-2b9e6f41a7c3": "basic_udi_data_03760123450010.json",
    "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f": "basic_udi_data_735000ONCOPLANTPSV7.json",
}


class EudamedServer(LocalHttpServer):
    """``with EudamedServer() as server:`` ``server.url`` is the API's base
    URL; ``failures`` answers 500 that many times first, ``delay`` waits that
    many seconds before each answer, ``overrides`` maps a uuid to another
    recorded file; ``requests`` lists the paths asked."""

    prefix = "/api"

    def __init__(self, failures=0, delay=0.0, overrides=None):
        super().__init__(failures=failures, delay=delay)
        self.overrides = dict(overrides or {})

    def answer(self, path, query):
        path = path.removeprefix("/api/")
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
            name = self.overrides.get(uuid) or BASIC_BY_UUID.get(uuid)
        if not name:
            return None
        text = (SAMPLES / name).read_text()
        if not name.endswith(".json"):
            # Not JSON (a proxy's error page, a maintenance notice).
            return 200, text, "text/html"
        return 200, json.loads(text)


def closed_port_url():
    """The URL of a port nobody listens on (EUDAMED offline)."""
    return _closed_port_url("/api")
