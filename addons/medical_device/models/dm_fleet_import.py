import base64
import csv
import hashlib
import io
import logging
import time

import psycopg2
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.tools import float_compare

from ..tools import fleet_import, udi
from ..tools.udi_messages import udi_error_message

_logger = logging.getLogger(__name__)

# Context of every bulk write: no chatter message, follower or tracking value
# per device; the import posts one summary on its own record instead.
BULK_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "mail_auto_subscribe_no_notify": True,
    "active_test": False,
}
# Errors of one row's data (checks, constraints): the row is reported and the
# batch goes on. Anything else is a crash: the batch is rolled back.
ROW_ERRORS = (UserError, psycopg2.IntegrityError, psycopg2.DataError)
# Parsed UDI parts: used to find the device again; create/write parse the UDI.
UDI_PARTS = ("udi_di", "udi_lot", "udi_serial")


class _RunState:
    """What one run keeps between batches: columns, reference data read once,
    names already resolved and the keys already seen in the file."""

    def __init__(self, columns):
        self.columns = columns
        self.headers = {}
        for header, target in columns:
            self.headers.setdefault(target, header)
        self.seen = {}
        self.pieu = {}
        self.os_versions = {}
        self.partners = {}
        self.categories = {}

    def header(self, target):
        return self.headers.get(target, "")


class DmFleetImport(models.Model):
    _name = "dm.fleet.import"
    _description = "Import of a medical device fleet"
    _inherit = ["mail.thread"]
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
        for record in self:
            record._run()
        return True

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
    def _importable_fields(self):
        """Device fields present in this database: the cyber matrix only exists
        when dm_cyber is installed; its columns are ignored otherwise."""
        return set(self.env["maintenance.equipment"]._fields)

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
        columns, ignored = fleet_import.resolve_columns(
            table.headers, self.mapping_id._as_dict()
        )
        importable = self._importable_fields()
        unavailable = [
            (header, target)
            for header, target in columns
            if fleet_import.target_field(target) not in importable
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
            self._reset_run(table, ignored, unavailable)
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
        state = _RunState(columns)
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
                self.env._(
                    "Stopped after row %(row)s: %(error)s",
                    row=self.last_committed_row,
                    error=str(error) or error.__class__.__name__,
                ),
            )
            if commit_per_batch:
                self._commit()
            return False
        self._finish("done", time.monotonic() - start)
        if commit_per_batch:
            self._commit()
        return True

    def _commit(self):
        """Commit the batch just written: only on the command line
        (``commit_per_batch``), so that a 100,000-row import keeps its finished
        batches whatever happens to the process, and resumes after them."""
        self.env.cr.commit()  # pylint: disable=invalid-commit

    def _reset_run(self, table, ignored, unavailable):
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
                    "Cyber matrix column ignored: install the Medical Devices - "
                    "Cybersecurity module (dm_cyber) to import it.",
                ),
                "kind": "ignored",
            }
            for header, _target in unavailable
        ]
        self.env["dm.fleet.import.error"].create(lines)

    def _load_reference_data(self, state):
        """Reference tables, read once per run: PIEU levels, OS versions."""
        for level in (
            self.env["dm.pieu.level"].sudo().search_fetch([], ["factor", "value"])
        ):
            state.pieu[(level.factor, round(level.value, 4))] = level.id
        if "os_version_id" in self._importable_fields():
            versions = (
                self.env["dm.os.version"]
                .sudo()
                .with_context(active_test=False)
                .search_fetch([], ["name", "vendor", "product", "version", "active"])
            )
            # Active versions win over archived ones of the same name.
            for version in versions.sorted(lambda v: v.active):
                for label in (
                    version.name,
                    f"{version.vendor} {version.name}",
                    f"{version.product} {version.version or ''}",
                ):
                    state.os_versions[fleet_import.normalize_header(label)] = version.id

    def _remember_key(self, state, row_number, row):
        """Rows before the resume point are already written: only their keys
        are kept, so that a later duplicate is still reported."""
        vals, errors = fleet_import.parse_row(row, state.columns)
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

    # ------------------------------------------------------------ one batch
    def _bulk_env(self):
        """Environment of the device writes: sudo (see _check_import_rights) and
        no chatter per device."""
        return self.env(su=True, context={**self.env.context, **BULK_CONTEXT})

    def _process_batch(self, state, batch):
        """Parse, resolve and write one batch; return (counts, errors) where
        errors are (row number, column, translated message)."""
        errors = []
        failed_rows = set()

        def reject(row_number, column, message):
            errors.append((row_number, column, message))
            failed_rows.add(row_number)

        parsed = []
        for row_number, row in batch:
            vals, row_errors = fleet_import.parse_row(row, state.columns)
            key = fleet_import.row_key(vals)
            if not row_errors and key is None:
                row_errors.append((state.header("serial_no"), "required", {}))
            if not row_errors:
                first = state.seen.setdefault(key, row_number)
                if first != row_number:
                    column = state.header(
                        "serial_no" if key[0] == "serial_no" else "udi_carrier"
                    )
                    row_errors.append((column, "duplicate", {"row": first}))
            for column, code, params in row_errors:
                reject(row_number, column, self._error_message(code, params))
            if not row_errors:
                parsed.append((row_number, key, vals))

        env = self._bulk_env()
        self._resolve_names(env, state, parsed)
        resolved = []
        for row_number, key, vals in parsed:
            record_vals, lookup_errors = self._device_vals(state, vals)
            for column, message in lookup_errors:
                reject(row_number, column, message)
            if not lookup_errors:
                resolved.append((row_number, key, record_vals))

        existing = self._find_existing(env, resolved)
        to_create, to_update = [], []
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        for row_number, key, record_vals in resolved:
            device = existing.get(key)
            if device is None:
                to_create.append((row_number, self._create_vals(record_vals)))
            elif device is False:
                reject(
                    row_number,
                    state.header("udi_carrier"),
                    self.env._(
                        "Several devices have this UDI-DI and lot: give the serial "
                        "number to tell them apart."
                    ),
                )
            elif device.company_id and device.company_id != self.company_id:
                reject(
                    row_number,
                    state.header(
                        "serial_no" if key[0] == "serial_no" else "udi_carrier"
                    ),
                    self.env._(
                        "A device with this serial number or UDI belongs to the "
                        "company %(company)s.",
                        company=device.company_id.display_name,
                    ),
                )
            else:
                changes = self._changes(device, record_vals)
                if changes:
                    to_update.append((row_number, device, changes))
                else:
                    counts["unchanged"] += 1

        Equipment = env["maintenance.equipment"]
        created, create_errors = self._write_rows(
            [(row, vals) for row, vals in to_create],
            lambda rows: Equipment.create([vals for _row, vals in rows]),
        )
        updated, update_errors = self._update_rows(to_update)
        for row_number, message in create_errors + update_errors:
            reject(row_number, "", message)
        counts.update(created=created, updated=updated, failed=len(failed_rows))
        return counts, errors

    def _resolve_names(self, env, state, parsed):
        """Partners and categories named in the batch: one search each for the
        names not resolved yet; the missing ones are created."""
        company = self.company_id
        partner_names, category_names = {}, {}
        for _row, _key, vals in parsed:
            for target in ("manufacturer", "supplier"):
                name = vals.get(target)
                key = fleet_import.normalize_header(name) if name else ""
                if key and key not in state.partners:
                    partner_names.setdefault(key, name)
            name = vals.get("category")
            key = fleet_import.normalize_header(name) if name else ""
            if key and key not in state.categories:
                category_names.setdefault(key, name)
        if partner_names:
            Partner = env["res.partner"].with_context(active_test=True)
            state.partners.update(
                self._find_or_create(
                    Partner,
                    partner_names,
                    Domain("company_id", "in", [False, company.id]),
                    lambda name: {"name": name, "is_company": True},
                    order="is_company desc, id",
                )
            )
        if category_names:
            state.categories.update(
                self._find_or_create(
                    env["maintenance.equipment.category"],
                    category_names,
                    Domain("company_id", "in", [False, company.id]),
                    lambda name: {"name": name, "company_id": company.id},
                    order="id",
                )
            )

    @api.model
    def _find_or_create(self, Model, names, domain, create_vals, order):
        """``{normalised name: id}`` for ``names`` (``{normalised: as written}``),
        found case-insensitively in one search, the missing ones created."""

        def escape(text):
            return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

        name_domain = Domain.OR(
            Domain("name", "=ilike", escape(name)) for name in names.values()
        )
        found = {}
        for record in Model.search_fetch(domain & name_domain, ["name"], order=order):
            found.setdefault(fleet_import.normalize_header(record.name), record.id)
        missing = [key for key in names if key not in found]
        if missing:
            records = Model.create([create_vals(names[key]) for key in missing])
            found.update(zip(missing, records.ids, strict=True))
        return found

    def _device_vals(self, state, vals):
        """maintenance.equipment values of a parsed row: names and PIEU values
        replaced by ids. Returns (values, [(column, message)])."""
        record_vals, errors = {}, []
        for target, value in vals.items():
            if target in UDI_PARTS:
                continue
            fname = fleet_import.target_field(target)
            if target in ("manufacturer", "supplier"):
                value = state.partners[fleet_import.normalize_header(value)]
            elif target == "category":
                value = state.categories[fleet_import.normalize_header(value)]
            elif target.startswith("pieu_"):
                factor = target[-1]
                level = state.pieu.get((factor, round(value, 4)))
                if not level:
                    errors.append(
                        (
                            state.header(target),
                            self.env._(
                                "%(value)s is not a level of the PIEU scale %(factor)s "
                                "(Configuration › PIEU scales).",
                                value=f"{value:g}",
                                factor=factor.upper(),
                            ),
                        )
                    )
                    continue
                value = level
            elif target == "os_version":
                version = state.os_versions.get(fleet_import.normalize_header(value))
                if not version:
                    errors.append(
                        (
                            state.header(target),
                            self.env._(
                                "Unknown operating system %(value)s: add it in "
                                "Configuration › OS versions, then import again.",
                                value=value,
                            ),
                        )
                    )
                    continue
                value = version
            record_vals[fname] = value
        if "udi_carrier" in vals:
            record_vals["udi_carrier"] = vals["udi_carrier"]
        record_vals.setdefault("is_medical_device", True)
        return record_vals, errors

    def _create_vals(self, record_vals):
        """Defaults of a device new to the database. A row without a status is
        a device of the existing fleet: it arrives in service."""
        vals = {
            "company_id": self.company_id.id,
            "lifecycle_state": "in_service",
            **record_vals,
        }
        if not vals.get("name"):
            vals["name"] = (
                vals.get("common_name")
                or vals.get("trade_name")
                or vals.get("model")
                or vals.get("serial_no")
                or vals.get("udi_carrier")
            )
        if vals.get("commissioning_date"):
            vals.setdefault("effective_date", vals["commissioning_date"])
        if vals["lifecycle_state"] == "disposed":
            vals.setdefault("active", False)  # disposed devices are archived
        return vals

    def _find_existing(self, env, resolved):
        """The devices of the batch already in the database, in one search:
        ``{key: device}`` (``False`` when a UDI-DI and lot match several)."""
        serials = [key[1] for _r, key, _v in resolved if key[0] == "serial_no"]
        udi_dis = list({key[1] for _r, key, _v in resolved if key[0] != "serial_no"})
        if not serials and not udi_dis:
            return {}
        domain = Domain.FALSE
        if serials:
            domain |= Domain("serial_no", "in", serials)
        if udi_dis:
            domain |= Domain("udi_di", "in", udi_dis)
        fnames = {"serial_no", "udi_di", "udi_serial", "udi_lot", "company_id"}
        for _r, _key, vals in resolved:
            fnames.update(vals)
        Equipment = env["maintenance.equipment"]
        fnames &= set(Equipment._fields)
        devices = Equipment.search_fetch(domain, list(fnames))
        found = {}
        for device in devices:
            if device.serial_no:
                found.setdefault(("serial_no", device.serial_no), device)
            if device.udi_di and device.udi_serial:
                found.setdefault(
                    ("udi_serial", device.udi_di, device.udi_serial), device
                )
            if device.udi_di and device.udi_lot:
                key = ("udi_lot", device.udi_di, device.udi_lot)
                found[key] = False if key in found else device
        return found

    def _changes(self, device, record_vals):
        """The values that differ from the device's: an unchanged row is no
        write, so re-running an import costs little."""
        changes = {}
        for fname, value in record_vals.items():
            field = device._fields[fname]
            current = device[fname]
            if field.type == "many2one":
                same = current.id == value
            elif field.type == "float":
                same = (
                    float_compare(current or 0.0, value or 0.0, precision_digits=6) == 0
                )
            elif field.type == "boolean":
                same = bool(current) == bool(value)
            else:
                same = (current or False) == (value or False)
            if not same:
                changes[fname] = value
        if "lifecycle_state" in changes and not device.active:
            changes.pop("lifecycle_state")  # archived devices keep their state
        return changes

    def _update_rows(self, to_update):
        """Write the changes, grouped when several devices get the same values."""
        groups = {}
        for row_number, device, changes in to_update:
            groups.setdefault(tuple(sorted(changes.items())), []).append(
                (row_number, device)
            )
        updated, errors = 0, []
        for items, rows in groups.items():
            done, group_errors = self._write_rows(
                rows,
                lambda rows, vals=dict(items): (
                    rows[0][1].browse([device.id for _row, device in rows]).write(vals)
                ),
            )
            updated += done
            errors += group_errors
        return updated, errors

    def _write_rows(self, rows, write):
        """Write ``rows`` in one call; if the database or a check refuses it,
        write them one by one to find and report the faulty rows."""
        if not rows:
            return 0, []
        try:
            with self.env.cr.savepoint():
                write(rows)
            return len(rows), []
        except ROW_ERRORS as error:
            if len(rows) == 1:
                return 0, [(rows[0][0], self._exception_message(error))]
        done, errors = 0, []
        for row in rows:
            try:
                with self.env.cr.savepoint():
                    write([row])
                done += 1
            except ROW_ERRORS as error:
                errors.append((row[0], self._exception_message(error)))
        return done, errors

    def _exception_message(self, error):
        if isinstance(error, psycopg2.Error):
            diag = getattr(error, "diag", None)
            detail = (diag and diag.message_primary) or str(error)
            return self.env._("The database refused the row: %(detail)s", detail=detail)
        return str(error.args[0]) if error.args else str(error)

    # ------------------------------------------------------------ the end
    def _finish(self, state, duration, failure=None):
        summary = self._summary_text(duration, failure)
        self.write(
            {
                "state": state,
                "finished_at": fields.Datetime.now(),
                "log": summary,
                **self._error_report_vals(),
            }
        )
        body = Markup("<p>%s</p>") % summary
        self.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _summary_text(self, duration, failure):
        text = self.env._(
            "%(file)s: %(rows)s rows read of %(total)s, %(created)s devices created, "
            "%(updated)s updated, %(unchanged)s unchanged, %(failed)s rows rejected "
            "(%(seconds)s s).",
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
        if ignored:
            text += " " + self.env._(
                "Columns ignored: %(columns)s.",
                columns=", ".join(ignored.mapped("column")),
            )
        if failure:
            text += " " + failure
        return text

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
        for line in lines:
            writer.writerow([line.row_number, line.column or "", line.message])
        data = ("\ufeff" + output.getvalue()).encode("utf-8")
        stem = (self.filename or "import").rsplit(".", 1)[0]
        return {
            "error_report": base64.b64encode(data),
            "error_report_filename": f"{stem}-errors.csv",
        }

    # ------------------------------------------------------------ messages
    def _error_message(self, code, params):
        """Translated text of a fleet_import error code."""
        if code in ("udi", "code") and params.get("udi_code"):
            reason = udi_error_message(
                self.env,
                udi.UdiError(
                    params["udi_code"],
                    params.get("udi_params")
                    or {
                        k: v
                        for k, v in params.items()
                        if k not in ("udi_code", "message")
                    },
                ),
            )
            if code == "code":
                return reason
            return self.env._(
                "Invalid UDI %(value)s: %(message)s",
                value=params["value"],
                message=reason,
            )
        render = _MESSAGES.get(code)
        if render is None:
            return fleet_import.format_error(code, params)
        try:
            return render(self.env, params)
        except (KeyError, TypeError, ValueError):
            return fleet_import.format_error(code, params)


# Translated copies of fleet_import.MESSAGES (literal strings for the extractor).
_MESSAGES = {
    "required": lambda env, p: env._(
        "A serial number or a UDI with a serial number or lot is required to "
        "import a device."
    ),
    "duplicate": lambda env, p: env._(
        "Same device as row %(row)s of the file: this row is skipped.", **p
    ),
    "bad_date": lambda env, p: env._(
        "%(value)s is not a date (expected dd/mm/yyyy or yyyy-mm-dd).", **p
    ),
    "bad_number": lambda env, p: env._("%(value)s is not a number.", **p),
    "bad_bool": lambda env, p: env._(
        "%(value)s is not a yes/no value (expected oui, non, x, 1 or 0).", **p
    ),
    "unknown_class": lambda env, p: env._(
        "Unknown risk class %(value)s (expected I, Is, Im, Ir, IIa, IIb, III or "
        "IVD class A to D).",
        **p,
    ),
    "unknown_ce_regime": lambda env, p: env._(
        "Unknown CE marking %(value)s (expected MDR, IVDR, MDD, AIMDD or IVDD, or "
        "the number of the regulation or directive).",
        **p,
    ),
    "unknown_kind": lambda env, p: env._(
        "Unknown device kind %(value)s (expected DM, DMIA or DMDIV).", **p
    ),
    "unknown_lifecycle": lambda env, p: env._(
        "Unknown status %(value)s (expected e.g. En commande, En réception, En "
        "service, En cours de réforme, Réformé).",
        **p,
    ),
    "unknown_acquisition_mode": lambda env, p: env._(
        "Unknown acquisition mode %(value)s (expected Achat, Location, Prêt or Don).",
        **p,
    ),
    "unknown_antivirus": lambda env, p: env._(
        "Unknown antivirus answer %(value)s (expected Hôpital, Fournisseur or Aucun).",
        **p,
    ),
    "unknown_remote_channel": lambda env, p: env._(
        "Unknown remote maintenance channel %(value)s (expected Aucune, VPN "
        "fournisseur, Bastion or Non maîtrisé).",
        **p,
    ),
    "class_kind": lambda env, p: env._(
        "The risk class %(value)s does not fit a device of kind %(kind)s.", **p
    ),
    "regime_kind": lambda env, p: env._(
        "The CE marking %(value)s does not fit a device of kind %(kind)s.", **p
    ),
    "regime_class": lambda env, p: env._(
        "The CE marking %(value)s does not fit the risk class %(class)s.", **p
    ),
    "notified_body": lambda env, p: env._(
        "%(value)s is not a notified body number (4 digits).", **p
    ),
    "udi": lambda env, p: env._(
        "Invalid UDI %(value)s: %(message)s",
        value=p["value"],
        message=p["message"],
    ),
    "code": lambda env, p: p["message"],
    "bad_ip": lambda env, p: env._("%(value)s is not an IPv4 or IPv6 address.", **p),
    "bad_mac": lambda env, p: env._(
        "%(value)s is not a MAC address (e.g. 00:1A:2B:3C:4D:5E).", **p
    ),
}
