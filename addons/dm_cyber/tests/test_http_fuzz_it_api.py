"""Bad input, fuzzed (hypothesis): the parameters of the IT JSON endpoint.

Random offsets, limits, queries and extra parameters (huge numbers, signs,
floats, Unicode digits, control characters, repeated keys): the answer is
HTTP 200 with the devices, or HTTP 400 with a JSON error body; never a 500.
Runs through Odoo's runner (HttpCase, tagged dm_http).
"""

from datetime import datetime, timedelta
from urllib.parse import quote

from hypothesis import example, given, settings
from hypothesis import strategies as st

from odoo.addons.medical_device.tests.figures import record_figure
from odoo.tests import HttpCase, new_test_user, tagged

from ..controllers.main import IT_QUERIES, MAX_LIMIT

API_URL = "/dm_cyber/api/v1/cyber-matrix"
NUMBERS = st.one_of(
    st.integers(-(10**40), 10**40).map(str),
    st.integers(-5, 20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(
        ["", " 7 ", "+3", "-0", "1_000", "0x10", "1e3", "٣", "७", "9" * 5000, "\x00"]
    ),
    st.text(max_size=12),
)
QUERIES = st.one_of(
    st.none(),
    st.sampled_from([*IT_QUERIES, "", "OBSOLETE_OS", "obsolete_os "]),
    st.text(max_size=20),
)
EXTRA = st.dictionaries(
    st.text(min_size=1, max_size=8).filter(
        lambda k: k not in ("query", "limit", "offset")
    ),
    st.text(max_size=8),
    max_size=3,
)


@tagged("post_install", "-at_install", "dm_http")
class TestFuzzItApi(HttpCase):
    examples = 0

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        user = new_test_user(
            cls.env, login="fuzz_it_rssi", groups="medical_device.group_dm_rssi"
        )
        cls.key = (
            cls.env["res.users.apikeys"]
            .with_user(user)
            ._generate("rpc", "IT fuzz", datetime.now() + timedelta(days=0.5))
        )

    @classmethod
    def tearDownClass(cls):
        record_figure("fuzz", examples=cls.examples)
        super().tearDownClass()

    def get(self, pairs):
        query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)
        return self.url_open(
            f"{API_URL}?{query}",
            headers={"Authorization": f"Bearer {self.key}"},
            allow_redirects=False,
        )

    @settings(database=None, deadline=None, max_examples=80)
    @given(
        query=QUERIES,
        limit=st.none() | NUMBERS,
        offset=st.none() | NUMBERS,
        extra=EXTRA,
        repeat=st.booleans(),
    )
    @example(query=None, limit=None, offset=str(10**30), extra={}, repeat=False)
    @example(query="obsolete_os", limit="9" * 5000, offset="-1", extra={}, repeat=True)
    def test_parameters_never_500(self, query, limit, offset, extra, repeat):
        type(self).examples += 1
        pairs = [
            (key, value)
            for key, value in (("query", query), ("limit", limit), ("offset", offset))
            if value is not None
        ]
        pairs += list(extra.items())
        if repeat:
            pairs += pairs  # every key twice
        response = self.get(pairs)
        self.assertIn(response.status_code, (200, 400), response.text[:300])
        body = response.json()
        if response.status_code == 400:
            self.assertEqual(body["error"]["status"], 400)
            self.assertTrue(body["error"]["message"])
        else:
            self.assertLessEqual(len(body["devices"]), MAX_LIMIT)
            self.assertIsInstance(body["count"], int)
