"""Import of a device fleet from a CMMS export (CSV / XLSX, French headers)."""

import base64
import csv
import io
from datetime import date
from pathlib import Path
from unittest.mock import patch

import psycopg2

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from ..models.dm_fleet_import import DmFleetImport
from ..tools.spreadsheet import FORMULA_PREFIXES
from .common import MedicalDeviceCase

HEADERS = [
    "N° série",
    "Désignation",
    "Dénomination commune",
    "Marque",
    "Fournisseur",
    "Catégorie",
    "Service",
    "Classe",
    "Marquage CE",
    "Organisme notifié",
    "UDI",
    "Criticité P",
    "I",
    "E",
    "U",
    "Statut",
    "Date de mise en service",
    "Connecté",
    "Commentaire",
]
UDI_OK = "(01)03760123450010(11)210315(21){serial}"
UDI_BAD = "(01)03760123450019(11)210315(21){serial}"  # wrong GTIN check digit
SAMPLES = Path(__file__).resolve().parents[3] / "data" / "samples"
LOGGER = "odoo.addons.medical_device.models.dm_fleet_import"


def device_row(serial, **overrides):
    row = {
        "N° série": serial,
        "Désignation": f"Pousse-seringue {serial}",
        "Dénomination commune": "Pousse-seringue",
        "Marque": "Fresenius Kabi",
        "Fournisseur": "Fresenius Kabi France",
        "Catégorie": "Perfusion",
        "Service": "Réanimation polyvalente",
        "Classe": "IIb",
        "Marquage CE": "93/42/CEE",
        "Organisme notifié": "123",
        "UDI": UDI_OK.format(serial=serial),
        "Criticité P": "0,1",
        "I": "1",
        "E": "3",
        "U": "2",
        "Statut": "En service",
        "Date de mise en service": "02/04/2021",
        "Connecté": "Non",
        "Commentaire": "réa",
    }
    row.update(overrides)
    return row


def to_csv(rows, headers=None, encoding="cp1252", delimiter=";"):
    output = io.StringIO()
    writer = csv.DictWriter(
        output, headers or HEADERS, delimiter=delimiter, lineterminator="\r\n"
    )
    writer.writeheader()
    writer.writerows(rows)
    return output.getvalue().encode(encoding)


class FleetImportCase(MedicalDeviceCase):
    """The import's helpers (the plan columns' tests share them)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Import = cls.env["dm.fleet.import"]
        cls.preset = cls.env.ref("medical_device.dm_import_mapping_generic_fr")

    # ------------------------------------------------------------ helpers
    def new_import(self, data, filename="export_gmao.csv", user="engineer", **vals):
        return self.Import.with_user(self.users[user]).create(
            {
                "file": base64.b64encode(data),
                "filename": filename,
                **vals,
            }
        )

    def run_import(self, data, filename="export_gmao.csv", **vals):
        record = self.new_import(data, filename, **vals)
        record.action_import()
        return record

    def devices(self, *serials):
        return self.Equipment.with_context(active_test=False).search(
            [("serial_no", "in", serials)]
        )

    def error_lines(self, record):
        return record.error_ids.filtered(lambda e: e.kind == "error")

    def errors(self, record):
        return [(e.row_number, e.column) for e in self.error_lines(record)]

    def report_rows(self, record):
        data = base64.b64decode(record.error_report).decode("utf-8-sig")
        return list(csv.reader(io.StringIO(data), delimiter=";"))


@tagged("post_install", "-at_install")
class TestFleetImport(FleetImportCase):
    # ------------------------------------------------------------ reading
    def test_french_headers_windows_1252_semicolon(self):
        data = to_csv([device_row("SN-A1"), device_row("SN-A2", Statut="Réformé")])
        with self.assertRaises(UnicodeDecodeError):
            data.decode("utf-8")
        record = self.run_import(data)
        self.assertEqual(record.state, "done")
        self.assertEqual(record.encoding, "cp1252")
        self.assertEqual((record.row_count, record.created_count), (2, 2))
        self.assertEqual(record.failed_count, 0)
        self.assertEqual(record.progress, 100.0)
        device = self.devices("SN-A1")
        self.assertEqual(device.name, "Pousse-seringue SN-A1")
        self.assertEqual(device.common_name, "Pousse-seringue")
        self.assertEqual(device.manufacturer_id.name, "Fresenius Kabi")
        self.assertTrue(device.manufacturer_id.is_company)
        self.assertEqual(device.partner_id.name, "Fresenius Kabi France")
        self.assertEqual(device.category_id.name, "Perfusion")
        self.assertEqual(device.location, "Réanimation polyvalente")
        self.assertTrue(device.is_medical_device)
        self.assertEqual(device.dm_risk_class, "iib")
        self.assertEqual(device.ce_regime, "mdd")
        self.assertEqual(device.notified_body_number, "0123")
        self.assertEqual(device.udi_di, "03760123450010")
        self.assertEqual(device.udi_serial, "SN-A1")
        self.assertEqual(device.pieu_p_id.value, 0.1)
        self.assertEqual(device.pieu_score, 0.6)  # 0.1 x 1 x 3 x 2
        self.assertEqual(device.pieu_criticality, "very_critical")
        self.assertEqual(device.commissioning_date, date(2021, 4, 2))
        self.assertEqual(device.effective_date, date(2021, 4, 2))
        self.assertEqual(device.company_id, self.company)
        # An existing fleet arrives in service, past the acquisition gates.
        self.assertEqual(device.lifecycle_state, "in_service")
        disposed = self.devices("SN-A2")
        self.assertEqual(disposed.lifecycle_state, "disposed")
        self.assertFalse(disposed.active)
        # The header the mapping does not know is reported, not fatal.
        ignored = record.error_ids.filtered(lambda e: e.kind == "ignored")
        self.assertEqual(ignored.mapped("column"), ["Commentaire"])
        self.assertEqual(ignored.row_number, 1)

    def test_utf8_comma_separated(self):
        data = b"\xef\xbb\xbf" + to_csv(
            [device_row("SN-U1", Service="Bloc, salle 2")],
            encoding="utf-8",
            delimiter=",",
        )
        record = self.run_import(data)
        self.assertEqual((record.encoding, record.created_count), ("utf-8-sig", 1))
        self.assertEqual(self.devices("SN-U1").location, "Bloc, salle 2")

    def test_xlsx(self):
        import openpyxl

        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(HEADERS)
        for serial in ("SN-X1", "SN-X2"):
            row = device_row(serial, **{"Criticité P": 0.1, "Organisme notifié": 123})
            sheet.append([row[h] for h in HEADERS])
        buffer = io.BytesIO()
        workbook.save(buffer)
        record = self.run_import(buffer.getvalue(), "export_gmao.xlsx")
        self.assertEqual((record.state, record.created_count), ("done", 2))
        device = self.devices("SN-X2")
        self.assertEqual(device.notified_body_number, "0123")
        self.assertEqual(device.pieu_p_id.value, 0.1)

    def test_sample_files(self):
        """The shipped samples: 30 rows, one duplicate serial, one invalid UDI,
        one unknown class (data/make_samples.py)."""
        for name in ("gmao_export_fr_sample.csv", "gmao_export_fr_sample.xlsx"):
            path = SAMPLES / name
            if not path.exists():
                self.skipTest("the repository's data/samples folder is not here")
            with self.subTest(name=name):
                record = self.run_import(path.read_bytes(), name)
                self.assertEqual(record.state, "done")
                self.assertEqual(record.row_count, 30)
                self.assertEqual(record.failed_count, 3)
                self.assertEqual(
                    record.created_count
                    + record.updated_count
                    + record.unchanged_count,
                    27,
                )
                self.assertEqual(
                    self.errors(record), [(14, "N° série"), (18, "UDI"), (22, "Classe")]
                )
                pump = self.devices("POMPE-VP-55012")
                self.assertEqual(pump.notified_body_number, "0123")
                self.assertEqual(pump.dm_risk_class, "iib")
                analyser = self.devices("AUTO-BIO-4410")
                self.assertEqual(
                    (analyser.dm_kind, analyser.dm_risk_class, analyser.ce_regime),
                    ("dmdiv", "ivd_c", "ivdr"),
                )
                self.assertEqual(
                    self.devices("ECHO-PORT-9921").lifecycle_state, "acquisition"
                )

    # ------------------------------------------------------------ errors
    def test_invalid_udi_reported_other_rows_imported(self):
        data = to_csv(
            [
                device_row("SN-B1"),
                device_row("SN-B2", UDI=UDI_BAD.format(serial="SN-B2")),
                device_row("SN-B3"),
            ]
        )
        record = self.run_import(data)
        self.assertEqual(record.state, "done")
        self.assertEqual((record.created_count, record.failed_count), (2, 1))
        self.assertEqual(
            self.devices("SN-B1", "SN-B2", "SN-B3").mapped("serial_no"),
            ["SN-B1", "SN-B3"],
        )
        self.assertEqual(self.errors(record), [(3, "UDI")])
        error = self.error_lines(record)
        self.assertIn("check digit", error.message)
        # The downloadable report: row number, column, message.
        report = self.report_rows(record)
        self.assertEqual(report[0], ["Row", "Column", "Message"])
        self.assertIn(["3", "UDI", error.message], report)
        self.assertIn(["1", "Commentaire", record.error_ids[0].message], report)
        action = record.action_download_error_report()
        self.assertIn("/error_report/export_gmao-errors.csv", action["url"])

    def test_error_report_neutralises_formulas(self):
        """The report echoes the file's headers and cells: a text a
        spreadsheet would run (``=HYPERLINK(…)``…) is written behind a ``'``."""
        hostile = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"]
        extra = [f"{value} col" for value in hostile]
        rows = [
            device_row(f"SN-F{index}", Classe=value, **dict.fromkeys(extra, value))
            for index, value in enumerate(hostile)
        ]
        record = self.run_import(to_csv(rows, HEADERS + extra))
        report = self.report_rows(record)
        for row in report:
            for cell in row:
                self.assertFalse(cell.startswith(FORMULA_PREFIXES), repr(cell))
        # Headers are read stripped: "\t=1 col" is the column "=1 col".
        columns = {row[1] for row in report[1:]}
        for header in extra:
            self.assertIn("'" + header.strip(), columns)
        messages = " ".join(row[2] for row in report[1:])
        for value in hostile[:4]:
            self.assertIn(f"Unknown risk class {value} ", messages)

    def test_unknown_class_reported(self):
        data = to_csv([device_row("SN-C1", Classe="Classe IV"), device_row("SN-C2")])
        record = self.run_import(data)
        self.assertEqual(self.errors(record), [(2, "Classe")])
        self.assertIn("Classe IV", self.error_lines(record).message)
        self.assertFalse(self.devices("SN-C1"))
        self.assertTrue(self.devices("SN-C2"))

    def test_unknown_pieu_level_reported(self):
        record = self.run_import(to_csv([device_row("SN-P1", U="5")]))
        self.assertEqual(self.errors(record), [(2, "U")])
        self.assertFalse(self.devices("SN-P1"))

    def test_duplicate_in_file_first_wins_second_reported(self):
        data = to_csv(
            [
                device_row("SN-D1", Service="Réanimation"),
                device_row("SN-D2"),
                device_row("SN-D1", Service="Urgences"),
            ]
        )
        record = self.run_import(data, batch_size=2)  # across two batches
        self.assertEqual((record.created_count, record.failed_count), (2, 1))
        self.assertEqual(self.errors(record), [(4, "N° série")])
        self.assertIn("row 2", self.error_lines(record).message)
        self.assertEqual(self.devices("SN-D1").location, "Réanimation")

    def test_server_check_failure_isolated_to_its_row(self):
        """A row the device's own checks refuse (here: a device in reception
        without its acquisition checklist) is reported; the rest of its batch
        is written."""
        data = to_csv(
            [
                device_row("SN-R1"),
                device_row("SN-R2", Statut="En réception"),
                device_row("SN-R3"),
            ]
        )
        record = self.run_import(data)
        self.assertEqual((record.created_count, record.failed_count), (2, 1))
        self.assertEqual(self.errors(record), [(3, "")])
        self.assertIn("Reception", self.error_lines(record).message)
        self.assertEqual(len(self.devices("SN-R1", "SN-R2", "SN-R3")), 2)

    def test_unreadable_files(self):
        record = self.new_import(b"\xd0\xcf\x11\xe0" + b"\0" * 64, "old.xls")
        with self.assertRaisesRegex(UserError, r"\.xls"):
            record.action_import()
        record = self.new_import(b"PK\x03\x04 not a zip", "damaged.xlsx")
        with self.assertRaisesRegex(UserError, "cannot be read"):
            record.action_import()

    def test_no_key_column(self):
        data = to_csv([{"Désignation": "Sans numéro"}], headers=["Désignation"])
        record = self.new_import(data)
        with self.assertRaisesRegex(UserError, "serial number or the UDI"):
            record.action_import()

    # ------------------------------------------------------------ upsert
    def test_rerun_updates_instead_of_duplicating(self):
        rows = [device_row(f"SN-E{i}") for i in range(4)]
        first = self.run_import(to_csv(rows))
        self.assertEqual(first.created_count, 4)
        rows[1]["Service"] = "Urgences"
        rows[2]["Classe"] = "III"
        rows[2]["Marquage CE"] = "MDR"
        second = self.run_import(to_csv(rows))
        self.assertEqual(
            (
                second.created_count,
                second.updated_count,
                second.unchanged_count,
                second.failed_count,
            ),
            (0, 2, 2, 0),
        )
        serials = [row["N° série"] for row in rows]
        self.assertEqual(len(self.devices(*serials)), 4)
        self.assertEqual(self.devices("SN-E1").location, "Urgences")
        self.assertEqual(self.devices("SN-E2").dm_risk_class, "iii")
        self.assertEqual(self.devices("SN-E2").ce_regime, "mdr")
        # Running the same import again changes nothing.
        second.action_import()
        self.assertEqual((second.created_count, second.unchanged_count), (0, 4))
        self.assertEqual(len(self.devices(*serials)), 4)

    def test_upsert_by_udi_without_serial(self):
        udi_carrier = UDI_OK.format(serial="PI-0042")
        row = device_row("", UDI=udi_carrier)
        first = self.run_import(to_csv([row]))
        self.assertEqual(first.created_count, 1)
        row["Service"] = "Bloc"
        second = self.run_import(to_csv([row]))
        self.assertEqual((second.created_count, second.updated_count), (0, 1))
        devices = self.Equipment.search([("udi_serial", "=", "PI-0042")])
        self.assertEqual(len(devices), 1)
        self.assertEqual(devices.location, "Bloc")

    def test_crash_mid_file_then_rerun_completes(self):
        rows = [device_row(f"SN-F{i}") for i in range(5)]
        rows[4]["Classe"] = "Classe IV"
        data = to_csv(rows)
        record = self.new_import(data, batch_size=2)
        original = DmFleetImport._record_batch_progress
        calls = []

        def crash_on_second_batch(self, batch, counts, errors):
            calls.append(len(batch))
            if len(calls) == 2:
                # The devices of batch 2 are written at this point.
                raise RuntimeError("server killed")
            return original(self, batch, counts, errors)

        with (
            patch.object(
                DmFleetImport, "_record_batch_progress", crash_on_second_batch
            ),
            self.assertLogs(LOGGER, level="ERROR"),
        ):
            self.assertFalse(record._run())
        self.assertEqual(record.state, "failed")
        self.assertEqual(record.last_committed_row, 3)
        self.assertEqual((record.processed_count, record.created_count), (2, 2))
        self.assertIn("server killed", record.log)
        # No half batch: rows 4 and 5 (batch 2) are not there.
        serials = [row["N° série"] for row in rows]
        self.assertEqual(self.devices(*serials).mapped("serial_no"), serials[:2])

        record.action_import()  # resume after the last batch written
        self.assertEqual(record.state, "done")
        self.assertEqual(
            (
                record.processed_count,
                record.created_count,
                record.updated_count,
                record.failed_count,
            ),
            (5, 4, 0, 1),
        )
        self.assertEqual(self.errors(record), [(6, "Classe")])
        self.assertEqual(len(self.devices(*serials)), 4)
        self.assertEqual(len(record.message_ids), 2)  # one summary per run

    # ------------------------------------------------------------ chatter
    def test_one_summary_message_and_no_mail_per_device(self):
        Message = self.env["mail.message"].sudo()
        Follower = self.env["mail.followers"].sudo()
        domain = [("model", "=", "maintenance.equipment")]
        messages, followers = Message.search_count(domain), Follower.search_count
        followers_before = followers([("res_model", "=", "maintenance.equipment")])
        record = self.run_import(to_csv([device_row(f"SN-M{i}") for i in range(6)]))
        self.flush_tracking()
        self.assertEqual(record.created_count, 6)
        self.assertEqual(Message.search_count(domain), messages)
        self.assertEqual(
            followers([("res_model", "=", "maintenance.equipment")]), followers_before
        )
        self.assertEqual(len(record.message_ids), 1)
        self.assertIn("6 devices created", record.message_ids.body)

    # ------------------------------------------------------------ rights
    def test_technician_refused_engineer_allowed(self):
        data = to_csv([device_row("SN-G1")])
        with self.assertRaises(AccessError):
            self.new_import(data, user="technician")
        record = self.new_import(data)
        as_technician = record.with_user(self.users["technician"])
        self.assertEqual(as_technician.state, "draft")  # technicians read imports
        with self.assertRaises(AccessError):
            as_technician.action_import()
        with self.assertRaises(AccessError):
            as_technician._run()
        self.assertFalse(self.devices("SN-G1"))
        # The lifecycle gate is still there for a technician's own create.
        with self.assertRaises(UserError):
            self.Equipment.with_user(self.users["technician"]).create(
                self._acquisition_vals(serial_no="SN-G2", lifecycle_state="in_service")
            )
        record.action_import()
        self.assertEqual(self.devices("SN-G1").lifecycle_state, "in_service")

    # ------------------------------------------------------------ cyber
    def test_cyber_columns(self):
        headers = [*HEADERS, "Système d'exploitation", "Antivirus", "Adresse IP"]
        rows = [
            device_row(
                "SN-H1",
                Connecté="Oui",
                **{
                    "Système d'exploitation": "Windows 7",
                    "Antivirus": "Fournisseur",
                    "Adresse IP": "10.20.3.41",
                },
            ),
            device_row(
                "SN-H2",
                **{"Système d'exploitation": "OS/2 Warp", "Antivirus": "Aucun"},
            ),
        ]
        data = to_csv(rows, headers=headers)
        if "os_version_id" not in self.Equipment._fields:
            self.skipTest("dm_cyber is not installed")
        record = self.run_import(data)
        device = self.devices("SN-H1")
        self.assertEqual(device.os_version_id.name, "Windows 7")
        self.assertEqual(device.antivirus, "vendor")
        self.assertEqual(device.ip_address, "10.20.3.41")
        self.assertEqual(self.errors(record), [(3, "Système d'exploitation")])

    def test_cyber_columns_ignored_without_dm_cyber(self):
        headers = [*HEADERS, "Antivirus", "Adresse IP"]
        data = to_csv(
            [device_row("SN-I1", Antivirus="Aucun", **{"Adresse IP": "10.0.0.1"})],
            headers=headers,
        )
        cyber = {"antivirus", "ip_address", "os_version_id"}
        fields = set(self.Equipment._fields) - cyber
        with patch.object(DmFleetImport, "_importable_fields", lambda self: fields):
            record = self.run_import(data)
        self.assertEqual((record.state, record.created_count), ("done", 1))
        ignored = record.error_ids.filtered(lambda e: e.kind == "ignored")
        self.assertEqual(
            sorted(ignored.mapped("column")), ["Adresse IP", "Antivirus", "Commentaire"]
        )
        self.assertIn(
            "dm_cyber", ignored.filtered(lambda e: e.column == "Antivirus").message
        )
        self.assertIn("Antivirus", record.log)

    # ------------------------------------------------------------ mapping
    def test_preset_mapping_can_be_copied_and_edited(self):
        self.assertTrue(self.preset.is_preset)
        mapping = self.preset._as_dict()
        self.assertEqual(mapping["n serie"], "serial_no")
        self.assertEqual(mapping["systeme d exploitation"], "os_version")
        self.assertEqual(mapping["statut"], "lifecycle_state")
        own = self.preset.with_user(self.users["engineer"]).copy()
        self.assertFalse(own.is_preset)
        self.assertIn("(copy)", own.name)
        self.assertEqual(len(own.line_ids), len(self.preset.line_ids))
        own.line_ids = [
            (0, 0, {"source_header": "N° inventaire", "target_field": "serial_no"})
        ]
        self.assertEqual(own._as_dict()["n inventaire"], "serial_no")
        own.flush_recordset()
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.IntegrityError),
            self.env.cr.savepoint(),
        ):
            own.line_ids = [
                (0, 0, {"source_header": "N° INVENTAIRE", "target_field": "name"})
            ]
            own.flush_recordset()
        self.assertEqual(self.Import.new({}).mapping_id, self.preset)

    # ------------------------------------------------------------ performance
    def test_queries_do_not_grow_per_row(self):
        """One search per batch, not per row: 30 more rows cost few queries."""

        def queries(prefix, count):
            rows = [device_row(f"{prefix}{i}") for i in range(count)]
            record = self.new_import(to_csv(rows), batch_size=100)
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            record.action_import()
            self.env.flush_all()
            self.assertEqual(record.created_count, count)
            return self.env.cr.sql_log_count - before

        queries("SN-W", 5)  # warm the partners and the category
        small, large = queries("SN-Q", 10), queries("SN-L", 40)
        self.assertLess(large - small, 40, f"10 rows: {small}, 40 rows: {large}")

    def test_company_check_holds_for_batches(self):
        """Devices created together are checked once per distinct combination
        of company and linked records, and every combination is checked."""
        other = self.env["res.company"].create({"name": "Other hospital"})
        foreign = self.env["res.partner"].create(
            {"name": "Foreign supplier", "company_id": other.id}
        )
        shared = self.env["res.partner"].create({"name": "Shared supplier"})
        vals = [
            self._acquisition_vals(serial_no=f"CC-{i}", manufacturer_id=shared.id)
            for i in range(5)
        ]
        self.assertEqual(len(self.Equipment.create(vals)), 5)
        vals = [
            self._acquisition_vals(serial_no=f"CD-{i}", manufacturer_id=shared.id)
            for i in range(5)
        ]
        vals[3]["manufacturer_id"] = foreign.id
        with self.assertRaisesRegex(UserError, "Foreign supplier"):
            self.Equipment.create(vals)
        self.assertFalse(self.devices("CD-0", "CD-3"))
        # Moving devices to a company checks every linked record again.
        here = self.Equipment.create(
            self._acquisition_vals(serial_no="CE-0", manufacturer_id=shared.id)
        )
        there = self.Equipment.create(
            self._acquisition_vals(
                serial_no="CE-1", manufacturer_id=foreign.id, company_id=other.id
            )
        )
        with self.assertRaisesRegex(UserError, "Foreign supplier"):
            (here | there).write({"company_id": self.company.id})
        self.assertEqual(there.company_id, other)

    # ------------------------------------------------------------ hostile files
    def test_huge_serial_rejected_rest_written(self):
        """A 300 KB serial number: its row is rejected with a clear message
        before any write (the database's index would refuse it), the rest of
        the batch is written, and the summary shows no database error."""
        data = to_csv(
            [
                device_row("SN-H1"),
                device_row("H" * 300_000, Désignation="Pompe", UDI=""),
                device_row("SN-H3"),
            ]
        )
        record = self.run_import(data)
        self.assertEqual(record.state, "done")
        self.assertEqual((record.created_count, record.failed_count), (2, 1))
        self.assertEqual(self.errors(record), [(3, "N° série")])
        self.assertIn("characters", self.error_lines(record).message)
        self.assertNotIn("HHHHHHHHHH", self.error_lines(record).message)
        self.assertEqual(len(self.devices("SN-H1", "SN-H3")), 2)
        self.assertNotIn("index", record.log)

    @mute_logger(LOGGER)
    def test_database_refusal_reported_in_words(self):
        """Past the size check (limit raised here), the database refuses the
        row: the row is reported in words, never the raw PostgreSQL error; a
        batch the database refuses as a whole fails the import in words."""
        with patch.object(DmFleetImport, "_dm_max_cell_length", lambda self: 10**6):
            record = self.run_import(
                to_csv(
                    [
                        device_row("SN-H4"),
                        device_row("H" * 300_000, Désignation="Pompe", UDI=""),
                    ]
                )
            )
        self.assertEqual(record.state, "done")
        self.assertEqual((record.created_count, record.failed_count), (1, 1))
        message = self.error_lines(record).message
        self.assertIn("database", message)
        self.assertNotIn("btree", message)
        self.assertNotIn("index row", message)

        def refused(self, batch, counts, errors):
            raise psycopg2.errors.ProgramLimitExceeded(
                "index row size 300016 exceeds btree version 4 maximum 2704"
            )

        record = self.new_import(to_csv([device_row("SN-H5")]))
        with patch.object(DmFleetImport, "_record_batch_progress", refused):
            result = record.action_import()
        self.assertEqual(record.state, "failed")
        self.assertNotIn("btree", record.log)
        self.assertIn("database", record.log)
        self.assertNotEqual(result, True)  # the user is told, not a success
        self.assertEqual(result["params"]["type"], "danger")
        self.assertNotIn("btree", result["params"]["message"])

    def test_utf8_file_with_a_bad_byte(self):
        """A UTF-8 export with one byte that is not UTF-8: still read as UTF-8
        (the columns are found), the faulty cell reported with its row and
        column, the other rows imported."""
        data = to_csv(
            [
                device_row("SN-U1"),
                device_row("SN-U2", Service="Réa BADBYTE"),
                device_row("SN-U3"),
            ],
            encoding="utf-8",
        ).replace(b"BADBYTE", b"\xe9")
        record = self.run_import(data)
        self.assertEqual(record.encoding, "utf-8")
        self.assertEqual((record.created_count, record.failed_count), (2, 1))
        self.assertEqual(self.errors(record), [(3, "Service")])
        self.assertIn("UTF-8", self.error_lines(record).message)
        self.assertEqual(self.devices("SN-U1").location, "Réanimation polyvalente")

    def test_serial_of_another_company_not_disclosed(self):
        """A user of company B importing a serial number of company A learns
        neither A's name nor that the device exists there: a neutral message,
        and A's device is untouched."""
        company_a = self.company
        company_b = self.env["res.company"].create({"name": "Hôpital Beta"})
        user_b = new_test_user(
            self.env,
            login="test_dm_engineer_b",
            groups="medical_device.group_dm_engineer",
            company_id=company_b.id,
            company_ids=[(6, 0, company_b.ids)],
        )
        device = self.Equipment.create(
            self._acquisition_vals(serial_no="SN-A1", location="Bloc A")
        )
        self.assertEqual(device.company_id, company_a)
        record = (
            self.Import.with_user(user_b)
            .with_company(company_b)
            .create(
                {
                    "file": base64.b64encode(
                        to_csv([device_row("SN-A1", Service="Espion")])
                    ),
                    "filename": "probe.csv",
                }
            )
        )
        self.assertEqual(record.company_id, company_b)
        record.action_import()
        self.assertEqual((record.created_count, record.failed_count), (0, 1))
        self.assertEqual(self.errors(record), [(2, "N° série")])
        message = self.error_lines(record.sudo()).message
        report = base64.b64decode(record.sudo().error_report).decode("utf-8-sig")
        for text in (message, record.sudo().log, report):
            self.assertNotIn(company_a.name, text)
        self.assertIn("cannot be used", message)
        self.assertEqual(device.location, "Bloc A")
