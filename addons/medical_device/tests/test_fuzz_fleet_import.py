"""Bad input, fuzzed (hypothesis): the fleet import takes any file.

Random bytes, CSV in any encoding (BOMs included), random and known headers,
hostile and huge cells, damaged XLSX: the import either imports rows and
reports the others with their line numbers, or refuses the file with a clear
error; never another exception, never a crashed batch (a run that ends
*failed* would mean one), never a half-written batch: the devices in the
database are exactly those it counts as created. Each example runs in a
savepoint rolled back after it.
"""

import base64
import csv
import io

import openpyxl
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..tools.spreadsheet import starts_a_formula
from .common import MedicalDeviceCase
from .figures import record_figure

FUZZ = settings(
    database=None,
    deadline=None,
    max_examples=45,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
KNOWN_HEADERS = [
    "N° série",
    "Désignation",
    "Marque",
    "Catégorie",
    "Service",
    "Classe",
    "Marquage CE",
    "UDI",
    "Criticité P",
    "Statut",
    "Date de mise en service",
    "Connecté",
    "Périodicité MP",
    "Dernière maintenance",
    "Périodicité CQ",
    "Résultat CQ",
    "Prochaine échéance",
]
HEADERS = st.lists(
    st.one_of(st.sampled_from(KNOWN_HEADERS), st.text(max_size=12)),
    min_size=1,
    max_size=7,
)
CELLS = st.one_of(
    st.text(max_size=20),
    st.sampled_from(
        [
            "SN-FUZZ-1",
            '=HYPERLINK("http://evil.example")',
            "＝1+1",
            "IIb",
            "93/42/CEE",
            "(01)03760123450010(21)FZ1",
            "En service",
            "Réformé",
            "31/02/2021",
            "1e400",
            "-0",
            "\x00",
            "\ufffd",
            "12 mois",
            "2 fois par an",
            "99999999999",
            "15/03/2025",
            "01/01/2099",
            "Non conforme",
        ]
    ),
    st.builds(
        lambda c, n: c * n, st.sampled_from(["9", "é", "="]), st.integers(1, 5000)
    ),
)
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "utf-32"]
LOGGERS = (
    "odoo.addons.medical_device.models.dm_fleet_import",
    "odoo.addons.medical_device.models.dm_fleet_import_batch",
)


@st.composite
def csv_files(draw):
    headers = draw(HEADERS)
    rows = draw(
        st.lists(
            st.lists(CELLS, min_size=0, max_size=len(headers) + 1),
            max_size=6,
        )
    )
    delimiter = draw(st.sampled_from([";", ",", "\t", "|"]))
    output = io.StringIO()
    writer = csv.writer(output, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    encoding = draw(st.sampled_from(ENCODINGS))
    data = output.getvalue().encode(encoding, errors="replace")
    if draw(st.booleans()):  # a damaged byte somewhere
        position = draw(st.integers(0, max(len(data) - 1, 0)))
        data = (
            data[:position] + draw(st.binary(min_size=1, max_size=2)) + data[position:]
        )
    return "export.csv", data


@st.composite
def xlsx_files(draw):
    workbook = openpyxl.Workbook()
    sheet = workbook.active

    def printable(cells):
        # openpyxl refuses control characters: a spreadsheet cannot hold them.
        return ["".join(c for c in cell if c.isprintable()) for cell in cells]

    sheet.append(printable(draw(HEADERS)))
    for row in draw(st.lists(st.lists(CELLS, max_size=6), max_size=5)):
        sheet.append(printable(row))
    output = io.BytesIO()
    workbook.save(output)
    data = output.getvalue()
    if draw(st.booleans()):  # a damaged archive
        cut = draw(st.integers(0, len(data)))
        data = data[:cut]
    return "export.xlsx", data


FILES = st.one_of(
    st.tuples(st.sampled_from(["export.csv", "export.xlsx", "export"]), st.binary()),
    st.tuples(
        st.just("export.csv"),
        st.builds(
            lambda bom, rest: bom + rest,
            st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"PK\x03\x04"]),
            st.binary(max_size=200),
        ),
    ),
    csv_files(),
    xlsx_files(),
)


@tagged("post_install", "-at_install")
class TestFuzzFleetImport(MedicalDeviceCase):
    examples = 0

    @classmethod
    def tearDownClass(cls):
        record_figure("fuzz", examples=cls.examples)
        super().tearDownClass()

    def device_count(self):
        return self.Equipment.with_context(active_test=False).search_count([])

    def check_import(self, filename, data):
        record = (
            self.env["dm.fleet.import"]
            .with_user(self.users["engineer"])
            .create(
                {
                    "file": base64.b64encode(data) if data else False,
                    "filename": filename,
                    "batch_size": 2,
                }
            )
        )
        before = self.device_count()
        try:
            with mute_logger(*LOGGERS):
                done = record._run()
        except UserError as error:
            # A refusal of the whole file: a message, nothing written.
            self.assertTrue(str(error))
            self.assertEqual(self.device_count(), before)
            return
        self.assertTrue(done, record.log)
        self.assertEqual(record.state, "done", record.log)
        self.assertEqual(
            record.created_count
            + record.updated_count
            + record.unchanged_count
            + record.failed_count,
            record.processed_count,
        )
        self.assertEqual(self.device_count() - before, record.created_count)
        for line in record.error_ids:
            self.assertGreaterEqual(line.row_number, 1)
            self.assertTrue(line.message)
        if record.error_report:
            text = base64.b64decode(record.error_report).decode("utf-8-sig")
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=";"):
                for cell in row:
                    self.assertFalse(starts_a_formula(cell), repr(cell[:20]))

    @FUZZ
    @given(FILES)
    @example(("export.csv", "N° série;Désignation\r\nSN-9;=1+1\r\n".encode()))
    @example(("export.csv", b"\xef\xbb\xbfN\xc2\xb0 s\xc3\xa9rie\r\n" + b"9" * 300_000))
    @example(("export.csv", b"\xff\xfeN\x00;\x00"))
    @example(("export.xlsx", b"PK\x03\x04garbage"))
    @example(("export.csv", b""))
    # Found by the fuzzing: a NUL in a header crashed the batch (PostgreSQL
    # refuses it in the error line naming the column).
    @example(("export.csv", b"\x00N\xc2\xb0 s\xc3\xa9rie\r\n" + b"9" * 400 + b"\r\n"))
    @example(("export.csv", "N° série;Désignation\r\nSN-0;a\x00b\r\n".encode()))
    def test_any_file(self, file):
        """Any file: imported rows, reported rows, or a refusal; never a crash."""
        type(self).examples += 1
        filename, data = file
        savepoint = self.env.cr.savepoint()
        try:
            self.check_import(filename, data)
            self.env.flush_all()
        finally:
            self.env.invalidate_all(flush=False)
            savepoint.close(rollback=True)

    def test_utf16_tab_separated_file(self):
        """Found by the fuzzing: Excel's "Unicode text" export (UTF-16 with
        its BOM, tab-separated) was read as Windows-1252, a NUL between
        letters: no serial column."""
        text = "N° série\tDésignation\r\nSN-UTF16-1\tPompe\r\n"
        record = (
            self.env["dm.fleet.import"]
            .with_user(self.users["engineer"])
            .create(
                {
                    "file": base64.b64encode(text.encode("utf-16")),
                    "filename": "export.txt",
                }
            )
        )
        self.assertTrue(record._run())
        self.assertEqual((record.encoding, record.created_count), ("utf-16", 1))
        device = self.Equipment.search([("serial_no", "=", "SN-UTF16-1")])
        self.assertEqual(device.name, "Pompe")

    def test_nul_in_a_cell_is_reported_with_its_row(self):
        data = "N° série;Désignation\r\nSN-NUL-1;a\x00b\r\nSN-NUL-2;ok\r\n"
        record = (
            self.env["dm.fleet.import"]
            .with_user(self.users["engineer"])
            .create({"file": base64.b64encode(data.encode()), "filename": "x.csv"})
        )
        self.assertTrue(record._run())
        self.assertEqual((record.created_count, record.failed_count), (1, 1))
        errors = record.error_ids.filtered(lambda e: e.kind == "error")
        self.assertEqual(errors.mapped("row_number"), [2])
