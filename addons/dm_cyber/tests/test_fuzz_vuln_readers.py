"""Bad input, fuzzed (hypothesis): the SBOM, advisory and MDS2 readers and
the version matcher take any input and either read it or raise their own
error, never another exception (which the model layer would show as a
server error) and never a partial result. Plain unittest, run by pytest.

The sample files are mutated: one value anywhere in the document replaced
by any JSON value, or the bytes cut or altered.
"""

import copy
import json
import unittest
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from odoo.addons.dm_cyber.tools import advisories as adv
from odoo.addons.dm_cyber.tools import mds2, sbom
from odoo.addons.dm_cyber.tools import vuln_match as vm

DATA = Path(__file__).resolve().parents[1] / "data" / "samples"
FUZZ = settings(database=None, deadline=None, max_examples=100)
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.sampled_from(
        ["", "CVE-2021-44228", "CSAFPID-0001", "vers:generic/<1", "<=", "*"]
    ),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=6,
)


def paths(value, prefix=()):
    """Every path to a value inside a JSON document."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, (*prefix, index))


def replaced(document, path, value):
    document = copy.deepcopy(document)
    if not path:
        return value
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return document


def mutations(name):
    document = json.loads((DATA / name).read_bytes())
    all_paths = list(paths(document))
    return st.builds(
        lambda path, value: json.dumps(replaced(document, path, value)).encode(),
        st.sampled_from(all_paths),
        JSON_VALUES,
    )


def damaged(name):
    raw = (DATA / name).read_bytes()
    return st.builds(
        lambda cut, position, byte: raw[:cut] + bytes([byte]) + raw[position:],
        st.integers(0, len(raw)),
        st.integers(0, len(raw)),
        st.integers(0, 255),
    )


def _sample_replaced(name, path, value):
    document = json.loads((DATA / name).read_bytes())
    return json.dumps(replaced(document, path, value)).encode()


# Bugs the fuzzing found, kept as examples.
CSAF_LIST_AS_PRODUCT_ID = _sample_replaced(
    "advisories/icsma_perfusio_volumat.json",
    ("vulnerabilities", 1, "product_status", "known_affected", 0),
    [],
)
NVD_NO_BOUND = _sample_replaced(
    "advisories/nvd_cve_api_2.0_page.json",
    (
        *("vulnerabilities", 2, "cve", "configurations", 0, "nodes", 0),
        *("cpeMatch", 0, "versionEndIncluding"),
    ),
    None,
)


class TestFuzzAdvisories(unittest.TestCase):
    def try_read(self, reader, data):
        try:
            return reader(data)
        except adv.AdvisoryError as error:
            self.assertTrue(error.code in adv.AdvisoryError.MESSAGES, error.code)
            return None

    @FUZZ
    @example(CSAF_LIST_AS_PRODUCT_ID)  # a product id that is a list
    @given(mutations("advisories/icsma_perfusio_volumat.json"))
    def test_csaf(self, data):
        self.try_read(adv.read_csaf, data)

    @FUZZ
    @example(NVD_NO_BOUND)  # a CPE match whose only bound is removed
    @given(mutations("advisories/nvd_cve_api_2.0_page.json"))
    def test_nvd(self, data):
        self.try_read(adv.read_nvd, data)

    @FUZZ
    @given(mutations("advisories/cisa_kev.json"))
    def test_kev(self, data):
        self.try_read(adv.read_kev, data)

    @FUZZ
    @given(
        damaged("advisories/epss_scores.csv") | damaged("advisories/epss_scores.csv.gz")
    )
    def test_epss(self, data):
        self.try_read(adv.read_epss, data)


class TestFuzzSbom(unittest.TestCase):
    def try_read(self, data):
        try:
            components = sbom.read_sbom(data)
        except sbom.SbomReadError as error:
            self.assertIn(error.code, sbom.SbomReadError.MESSAGES)
            return
        self.assertTrue(all(c.name for c in components))

    @FUZZ
    @given(mutations("sbom/infusion_pump_cyclonedx_1.5.json"))
    def test_cyclonedx_json(self, data):
        self.try_read(data)

    @FUZZ
    @given(mutations("sbom/infusion_pump_spdx_2.3.json"))
    def test_spdx_json(self, data):
        self.try_read(data)

    @FUZZ
    @given(
        damaged("sbom/patient_monitor_cyclonedx_1.6.xml")
        | damaged("sbom/patient_monitor_spdx_2.3.spdx")
    )
    def test_xml_and_tag_value(self, data):
        self.try_read(data)


class TestFuzzMds2(unittest.TestCase):
    @settings(database=None, deadline=None, max_examples=40)
    @given(damaged("mds2/volumat8_mds2_hn1-2019.xlsx") | st.binary(max_size=200))
    def test_workbook(self, data):
        try:
            form = mds2.read_mds2(data)
        except mds2.Mds2Error as error:
            self.assertIn(error.code, mds2.Mds2Error.MESSAGES)
            return
        mds2.proposals(form)


class TestFuzzMatching(unittest.TestCase):
    VERSIONS = st.text("0123456789.-_ abcrSPvV~+*", max_size=14)

    @FUZZ
    @example("", "", "V", None)  # a lone V, which univers drops
    @given(
        VERSIONS, VERSIONS, VERSIONS, st.sampled_from([None, "pypi", "npm", "maven"])
    )
    def test_applies(self, version, low, high, scheme):
        try:
            affected = vm.check_range(
                vm.AffectedRange(start_including=low, end_excluding=high)
            )
            vm.applies(version, [affected], scheme)
        except vm.VulnMatchError as error:
            self.assertIn(error.code, vm.VulnMatchError.MESSAGES)

    @FUZZ
    @example("²", "")  # a superscript is a digit, but not a number
    @given(st.text(max_size=30), VERSIONS)
    def test_parse_range(self, text, version):
        try:
            vm.applies(version, [vm.parse_range("vers:generic/" + text)])
            vm.applies(version, [vm.parse_range(text)])
        except vm.VulnMatchError as error:
            self.assertIn(error.code, vm.VulnMatchError.MESSAGES)
