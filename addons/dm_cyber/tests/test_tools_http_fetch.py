"""The HTTP GET the advisory fetchers and the EUDAMED client share
(``medical_device/tools/http_fetch.py``), against a local server (plain
unittest, run by pytest: no Odoo request handler in between)."""

import unittest

from odoo.addons.medical_device.tests.local_http_server import closed_port_url
from odoo.addons.medical_device.tools import http_fetch

from .advisory_server import AdvisoryServer, sample


def get(url, **kwargs):
    kwargs.setdefault("timeout", 2)
    kwargs.setdefault("backoff", 0)
    return http_fetch.get(url, **kwargs)


class TestHttpFetch(unittest.TestCase):
    def test_gzip_file_is_kept_as_is(self):
        data = sample("epss_scores.csv.gz")
        routes = {"/e.csv.gz": (200, data, "application/gzip")}
        with AdvisoryServer(routes) as server:
            response = get(f"{server.url}/e.csv.gz", max_bytes=10_000)
        self.assertEqual(response.content, data)

    def test_timeout_then_retry(self):
        with (
            AdvisoryServer({"/k": (200, b"{}")}, delay=0.6) as server,
            self.assertRaises(http_fetch.FetchError) as caught,
        ):
            get(f"{server.url}/k", timeout=0.2, retries=1)
        self.assertEqual(caught.exception.kind, "timeout")
        self.assertEqual(caught.exception.params["attempts"], 2)
        self.assertEqual(len(server.requests), 2)

    def test_server_errors_then_success(self):
        with AdvisoryServer({"/k": (200, b"{}")}, failures=2) as server:
            response = get(f"{server.url}/k", retries=2)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(server.requests), 3)

    def test_client_errors_are_not_retried(self):
        with AdvisoryServer({}) as server:
            with self.assertRaises(http_fetch.FetchError) as caught:
                get(f"{server.url}/missing", retries=3)
            self.assertIsNone(get(f"{server.url}/missing", not_found=True))
        self.assertEqual(caught.exception.kind, "http")
        self.assertEqual(caught.exception.params["status"], 404)
        self.assertEqual(len(server.requests), 2)

    def test_too_large(self):
        with (
            AdvisoryServer({"/big": (200, b"x" * 5000)}) as server,
            self.assertRaises(http_fetch.FetchError) as caught,
        ):
            get(f"{server.url}/big", max_bytes=1000)
        self.assertEqual(caught.exception.kind, "too_large")

    def test_offline(self):
        with self.assertRaises(http_fetch.FetchError) as caught:
            get(f"{closed_port_url()}/k", retries=1)
        self.assertEqual(caught.exception.kind, "offline")
        self.assertEqual(caught.exception.params["attempts"], 2)
