import base64
import csv
import hashlib
import io
import logging
import time

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.translate import LazyTranslate

from ..tools import fleet_import, fleet_import_plans, spreadsheet
from ..tools import reader_text as rt

_lt = LazyTranslate(__name__)

_logger = logging.getLogger(__name__)


class DmFleetImport(models.Model):
    _name = "dm.fleet.import"
    _description = "Import of a medical device fleet"
    _inherit = [
        "mail.thread",
        "dm.fleet.import.batch",
        "dm.fleet.import.lock",
        "dm.input.guard",
    ]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        required=True, default=lambda self: self.env._("Fleet import"), copy=False
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users",
        string="Imported by",
        default=lambda self: self.env.user,
        readonly=True,
    )
    file = fields.Binary(attachment=True, copy=False)
    filename = fields.Char(string="File name")
    checksum = fields.Char(
        readonly=True,
        copy=False,
        index=True,
        help="SHA-1 of the file: the command line resumes an unfinished import "
        "of the same file.",
    )
    mapping_id = fields.Many2one(
        "dm.import.mapping",
        string="Column mapping",
        required=True,
        check_company=True,
        default=lambda self: self._default_mapping(),
    )
    batch_size = fields.Integer(
        string="Batch size",
        default=500,
        help="Rows written per transaction: a failing batch leaves nothing "
        "half written, and a re-run starts after the last batch written.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("running", "Running"),
            ("done", "Done"),
            ("failed", "Failed"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
    )
    row_count = fields.Integer(string="Rows", readonly=True, copy=False)
    processed_count = fields.Integer(string="Rows read", readonly=True, copy=False)
    created_count = fields.Integer(string="Created", readonly=True, copy=False)
    updated_count = fields.Integer(string="Updated", readonly=True, copy=False)
    unchanged_count = fields.Integer(string="Unchanged", readonly=True, copy=False)
    failed_count = fields.Integer(string="Rejected", readonly=True, copy=False)
    progress = fields.Float(compute="_compute_progress")
    last_committed_row = fields.Integer(
        string="Last row written",
        readonly=True,
        copy=False,
        help="Last row of the file whose batch is written: a re-run resumes after it.",
    )
    encoding = fields.Char(readonly=True, copy=False)
    started_at = fields.Datetime(string="Started on", readonly=True, copy=False)
    finished_at = fields.Datetime(string="Finished on", readonly=True, copy=False)
    log = fields.Text(string="Summary", readonly=True, copy=False)
    error_ids = fields.One2many(
        "dm.fleet.import.error", "import_id", string="Errors", readonly=True
    )
    error_report = fields.Binary(
        string="Error report", attachment=True, readonly=True, copy=False
    )
    error_report_filename = fields.Char(
        string="Error report file name", readonly=True, copy=False
    )

    _batch_size_positive = models.Constraint(
        "CHECK (batch_size > 0)", "The batch size must be positive."
    )

    @api.model
    def _default_mapping(self):
        return self.env.ref(
            "medical_device.dm_import_mapping_generic_fr", raise_if_not_found=False
        )

    @api.depends("processed_count", "row_count", "state")
    def _compute_progress(self):
        for record in self:
            if record.state == "done":
                record.progress = 100.0
            elif record.row_count:
                record.progress = min(
                    100.0, 100.0 * record.processed_count / record.row_count
                )
            else:
                record.progress = 0.0

    @api.model_create_multi
    def create(self, vals_list):
        # The import posts one summary per run: no "created" message as well.
        return super(DmFleetImport, self.with_context(mail_create_nolog=True)).create(
            vals_list
        )

    # ------------------------------------------------------------ actions
    def action_import(self):
        """Run the import in this request (small files; large ones go through
        scripts/import_fleet.py, which commits each batch). A failed import
        resumes after its last written batch; a finished one runs again, which
        updates the devices instead of duplicating them."""
        failed = self.browse([record.id for record in self if not record._run()])
        if not failed:
            return True
        # A button that returned True would look like a success: say it failed.
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Import failed"),
                "message": "\n".join(failed.mapped("log")),
                "type": "danger",
                "sticky": True,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_download_error_report(self):
        self.ensure_one()
        if not self.error_report:
            raise UserError(self.env._("This import has no error report."))
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/error_report/"
            f"{self.error_report_filename}?download=true",
            "target": "self",
        }

    # ------------------------------------------------------------ the run
    def _check_import_rights(self):
        """Only biomedical engineers import a fleet. The import writes with
        sudo(): devices of an existing fleet arrive in service, past the
        lifecycle's gates that only a superuser may skip (see
        maintenance.equipment.create); the check here is what keeps that path
        closed to everyone else, technicians included."""
        if not self.env.is_superuser() and not self.env.user.has_group(
            "medical_device.group_dm_engineer"
        ):
            raise AccessError(
                self.env._(
                    "Only a biomedical engineer may import a fleet of medical devices."
                )
            )

    @api.model
    def _dm_import_targets(self):
        """What the columns of an import can fill (a ``fleet_import.Targets``).
        Each addon adds the targets of its own fields: override, call super()
        and combine with ``|`` (see dm_cyber). The plan columns fill the
        device's plans (see dm.fleet.import.plans)."""
        return fleet_import.BASE_TARGETS | fleet_import_plans.TARGETS

    @api.model
    def _importable_fields(self):
        """Device fields present in this database: a column whose field is not
        there (its addon is not installed) is ignored. The plan columns are
        written as plans."""
        return set(self.env["maintenance.equipment"]._fields) | set(
            fleet_import_plans.PLAN_TARGETS
        )

    def _read_table(self, data):
        if data[:4] == b"\xd0\xcf\x11\xe0":  # OLE2: the old .xls format
            raise UserError(
                self.env._(
                    "%(file)s is an old Excel file (.xls): save it as .xlsx or CSV.",
                    file=self.filename or "",
                )
            )
        try:
            return fleet_import.read_table(data, self.filename)
        except Exception as error:  # zip, XML or CSV errors of a damaged file
            raise UserError(
                self.env._(
                    "%(file)s cannot be read as CSV or XLSX: %(error)s",
                    file=self.filename or "",
                    error=error,
                )
            ) from error

    def _file_data(self):
        self.ensure_one()
        data = self.with_context(bin_size=False).file
        return base64.b64decode(data) if data else b""

    def _run(self, commit_per_batch=False, data=None, progress_callback=None):
        """Import the file batch by batch; return True when it is done (see
        ``_run_locked``), one import at a time per company."""
        self.ensure_one()
        self._check_import_rights()
        self.check_access("write")
        self._lock_company_imports(commit_per_batch)
        try:
            return self._run_locked(commit_per_batch, data, progress_callback)
        finally:
            if commit_per_batch:
                self._unlock_company_imports()

    def _run_locked(self, commit_per_batch=False, data=None, progress_callback=None):
        """Import the file batch by batch; return True when it is done.

        Each batch is written inside a savepoint together with the counters and
        ``last_committed_row``: a crash rolls the whole batch back and leaves the
        import *failed*, ready to resume after the last written batch. With
        ``commit_per_batch`` (command line) each batch is committed.
        """
        self.ensure_one()
        self._check_import_rights()
        self.check_access("write")
        if data is None:
            data = self._file_data()
        if not data:
            raise UserError(self.env._("Choose the file to import."))
        table = self._read_table(data)
        targets = self._dm_import_targets()
        columns, ignored = fleet_import.resolve_columns(
            table.headers, self.mapping_id._as_dict(), targets
        )
        importable = self._importable_fields()
        unavailable = [
            (header, target)
            for header, target in columns
            if targets.field(target) not in importable
        ]
        columns = [column for column in columns if column not in unavailable]
        if not any(target in ("serial_no", "udi_carrier") for _h, target in columns):
            raise UserError(
                self.env._(
                    "No column of %(file)s gives the serial number or the UDI of the "
                    "devices: check the column mapping %(mapping)s.",
                    file=self.filename or "",
                    mapping=self.mapping_id.display_name,
                )
            )
        checksum = hashlib.sha1(data).hexdigest()
        resume_from = 0
        if self.state in ("running", "failed") and self.checksum == checksum:
            resume_from = self.last_committed_row
        else:
            self._reset_run(table, ignored, unavailable, targets)
        self.write(
            {
                "state": "running",
                "user_id": self.env.uid,
                "checksum": checksum,
                "encoding": table.encoding,
                "started_at": fields.Datetime.now(),
                "finished_at": False,
                "row_count": self.row_count
                or fleet_import.count_rows(data, self.filename),
            }
        )
        if commit_per_batch:
            self._commit()
        state = fleet_import.RunState(targets, columns)
        state.max_length = self._dm_max_cell_length()
        self._load_reference_data(state)
        start = time.monotonic()
        batch_size = max(1, self.batch_size)
        batch = []
        try:
            for row_number, values in table.rows:
                row = dict(zip(table.headers, values, strict=False))
                if row_number <= resume_from:
                    self._remember_key(state, row_number, row)
                    continue
                batch.append((row_number, row))
                if len(batch) >= batch_size:
                    self._import_batch(state, batch, commit_per_batch)
                    batch = []
                    if progress_callback:
                        progress_callback(self)
            if batch:
                self._import_batch(state, batch, commit_per_batch)
                if progress_callback:
                    progress_callback(self)
        except Exception as error:  # any crash ends the run cleanly
            # The failing batch was rolled back by its savepoint; the batches
            # before it stay written, and a re-run resumes after them.
            _logger.exception("Fleet import %s failed", self.id)
            self.env.invalidate_all()
            self._finish(
                "failed",
                time.monotonic() - start,
                rt.msg(
                    _lt("Stopped after row %(row)s: %(error)s"),
                    row=self.last_committed_row,
                    error=self._failure_text(error),
                ),
            )
            if commit_per_batch:
                self._commit()
            return False
        self._finish("done", time.monotonic() - start)
        if commit_per_batch:
            self._commit()
        return True

    @api.model
    def _dm_max_cell_length(self):
        """Longest cell imported, in characters (see fleet_import.MAX_CELL_LENGTH)."""
        return fleet_import.MAX_CELL_LENGTH

    def _failure_text(self, error):
        """What stopped a run, in words: a database error's own text (index,
        constraint, SQL) stays in the server log."""
        if isinstance(error, psycopg2.Error):
            return self.env._(
                "the database refused the next batch of rows, so nothing of it was "
                "written (details in the server log). The rows before it are "
                "written: the import is partially done. Correct the file and run "
                "the import again; it resumes after the last row written."
            )
        return str(error) or error.__class__.__name__

    def _commit(self):
        """Commit the batch just written: only on the command line
        (``commit_per_batch``), so that a 100,000-row import keeps its finished
        batches whatever happens to the process, and resumes after them."""
        self.env.cr.commit()  # pylint: disable=invalid-commit

    def _reset_run(self, table, ignored, unavailable, targets):
        """A new run over the whole file: counters to zero, headers that will not
        be read reported once (on row 1, the header row)."""
        self.error_ids.unlink()
        self.write(
            {
                "row_count": 0,
                "processed_count": 0,
                "created_count": 0,
                "updated_count": 0,
                "unchanged_count": 0,
                "failed_count": 0,
                "last_committed_row": 0,
                "log": False,
                "error_report": False,
                "error_report_filename": False,
            }
        )
        lines = [
            {
                "import_id": self.id,
                "row_number": 1,
                "column": header,
                "message": self.env._(
                    "Column not in the mapping %(mapping)s: ignored.",
                    mapping=self.mapping_id.display_name,
                ),
                "kind": "ignored",
            }
            for header in ignored
        ]
        lines += [
            {
                "import_id": self.id,
                "row_number": 1,
                "column": header,
                "message": self.env._(
                    "Column ignored: install the module %(module)s to import it.",
                    module=targets.addons.get(target, ""),
                ),
                "kind": "ignored",
            }
            for header, target in unavailable
        ]
        self.env["dm.fleet.import.error"].create(lines)

    def _load_reference_data(self, state):
        """Reference tables, read once per run: PIEU levels (an addon adds its
        own, see dm_cyber)."""
        for level in (
            self.env["dm.pieu.level"].sudo().search_fetch([], ["factor", "value"])
        ):
            state.pieu[(level.factor, round(level.value, 4))] = level.id

    def _remember_key(self, state, row_number, row):
        """Rows before the resume point are already written: only their keys
        are kept, so that a later duplicate is still reported."""
        vals, errors = fleet_import.parse_row(
            row, state.columns, state.targets, state.max_length
        )
        key = fleet_import.row_key(vals)
        if not errors and key is not None:
            state.seen.setdefault(key, row_number)

    def _import_batch(self, state, batch, commit_per_batch):
        """One transaction: a failure inside leaves nothing of this batch."""
        with self.env.cr.savepoint():
            counts, errors = self._process_batch(state, batch)
            self._record_batch_progress(batch, counts, errors)
        if commit_per_batch:
            self._commit()
        # Free the ORM cache of the batch: memory stays flat on large files.
        self.env.invalidate_all()

    def _record_batch_progress(self, batch, counts, errors):
        self.env["dm.fleet.import.error"].create(
            [
                {
                    "import_id": self.id,
                    "row_number": row_number,
                    "column": column,
                    "message": message,
                }
                for row_number, column, message in errors
            ]
        )
        self.write(
            {
                "processed_count": self.processed_count + len(batch),
                "created_count": self.created_count + counts["created"],
                "updated_count": self.updated_count + counts["updated"],
                "unchanged_count": self.unchanged_count + counts["unchanged"],
                "failed_count": self.failed_count + counts["failed"],
                "last_committed_row": batch[-1][0],
            }
        )

    # ------------------------------------------------------------ the end
    def _finish(self, state, duration, failure=None):
        summary = self._summary_text(duration, failure)
        self.write(
            {
                "state": state,
                "finished_at": fields.Datetime.now(),
                # The log reads in the importer's language; the note in each
                # reader's.
                "log": self.env["mail.message"]._dm_render(summary),
                **self._error_report_vals(),
            }
        )
        self._dm_post_note(summary)

    def _summary_text(self, duration, failure):
        """The summary of the run, as a reader text."""
        text = rt.msg(
            _lt(
                "%(file)s: %(rows)s rows read of %(total)s, %(created)s devices "
                "created, %(updated)s updated, %(unchanged)s unchanged, %(failed)s "
                "rows rejected (%(seconds)s s)."
            ),
            file=self.filename or self.display_name,
            rows=self.processed_count,
            total=self.row_count,
            created=self.created_count,
            updated=self.updated_count,
            unchanged=self.unchanged_count,
            failed=self.failed_count,
            seconds=round(duration, 1),
        )
        ignored = self.env["dm.fleet.import.error"].search_fetch(
            [("import_id", "=", self.id), ("kind", "=", "ignored")], ["column"]
        )
        parts = [text]
        if ignored:
            parts.append(
                rt.msg(
                    _lt("Columns ignored: %(columns)s."),
                    columns=", ".join(ignored.mapped("column")),
                )
            )
        if failure:
            parts.append(failure)
        return rt.join(parts, " ")

    def _error_report_vals(self):
        """The errors as a CSV file (``;``, UTF-8 with BOM: Excel opens it)."""
        lines = self.env["dm.fleet.import.error"].search_fetch(
            [("import_id", "=", self.id)], ["row_number", "column", "message"]
        )
        if not lines:
            return {"error_report": False, "error_report_filename": False}
        output = io.StringIO()
        writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
        writer.writerow(
            [self.env._("Row"), self.env._("Column"), self.env._("Message")]
        )
        # The column and the message echo the file's header and cells: made
        # safe, so that Excel does not run them as formulas.
        for line in lines:
            writer.writerow(
                spreadsheet.csv_row([line.row_number, line.column or "", line.message])
            )
        data = ("\ufeff" + output.getvalue()).encode("utf-8")
        stem = (self.filename or "import").rsplit(".", 1)[0]
        return {
            "error_report": base64.b64encode(data),
            "error_report_filename": f"{stem}-errors.csv",
        }
