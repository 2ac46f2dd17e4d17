import logging

import psycopg2
from psycopg2 import errors as pg_errors

from odoo import api, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import float_compare

from ..tools import fleet_import, fleet_import_plans

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
_logger = logging.getLogger(__name__)

# Errors of one row's data (checks, constraints, a value past a limit of the
# database, such as an index entry too large): the row is reported and the
# batch goes on. Anything else is a crash: the batch is rolled back.
ROW_ERRORS = (
    UserError,
    psycopg2.IntegrityError,
    psycopg2.DataError,
    pg_errors.ProgramLimitExceeded,
)
# Parsed UDI parts: used to find the device again; create/write parse the UDI.
UDI_PARTS = ("udi_di", "udi_lot", "udi_serial")


class DmFleetImportBatch(models.AbstractModel):
    """One batch of a fleet import: parse the rows, resolve the names, find the
    devices again and write them (the run itself is on ``dm.fleet.import``)."""

    _name = "dm.fleet.import.batch"
    _inherit = ["dm.fleet.import.plans"]
    _description = "Batch of a medical device fleet import"

    def _bulk_env(self):
        """Environment of the device writes: sudo (see _check_import_rights) and
        no chatter per device."""
        return self.env(su=True, context={**self.env.context, **BULK_CONTEXT})

    def _process_batch(self, state, batch):
        """Parse, resolve and write one batch; return (counts, errors) where
        errors are (row number, column, translated message)."""
        errors = []
        failed_rows = set()
        # {row number: [fleet_import_plans.PlanRow]}: the plans of each row.
        row_plans = {}

        def reject(row_number, column, message):
            errors.append((row_number, column, message))
            failed_rows.add(row_number)

        parsed = []
        for row_number, row in batch:
            vals, row_errors = fleet_import.parse_row(
                row, state.columns, state.targets, state.max_length
            )
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
                reject(
                    row_number,
                    column,
                    fleet_import.error_text(code, params, state.targets, self.env),
                )
            if row_errors:
                continue
            plans_, plan_errors = self._dm_row_plans(state, vals)
            for column, message in plan_errors:
                reject(row_number, column, message)
            if not plan_errors:
                parsed.append((row_number, key, vals))
                if plans_:
                    row_plans[row_number] = plans_

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
        to_create, to_update, to_plan = [], [], []
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
                    self._dm_foreign_device_message(device),
                )
            else:
                changes = self._changes(device, record_vals)
                if changes:
                    to_update.append((row_number, device, changes))
                elif row_number in row_plans:
                    to_plan.append((row_number, device))
                else:
                    counts["unchanged"] += 1

        Equipment = env["maintenance.equipment"]

        def write_plans(row_devices):
            """The plans of the rows, in the same call as their devices: a row
            whose plans are refused leaves nothing."""
            return self._dm_write_plans(env, state, row_devices, row_plans)

        def create(rows):
            devices = Equipment.create([vals for _row, vals in rows])
            write_plans(
                [(row, device) for (row, _v), device in zip(rows, devices, strict=True)]
            )

        created, create_errors = self._write_rows(
            [(row, vals) for row, vals in to_create], create
        )
        updated, update_errors = self._update_rows(to_update, write_plans)
        # Rows whose device is unchanged: their plans or last operations may
        # be new (counted as updated) or already there (unchanged).
        planned = []
        done, plan_errors = self._write_rows(to_plan, write_plans, planned)
        changed = len(set().union(*planned)) if planned else 0
        updated += changed
        counts["unchanged"] += done - changed
        for row_number, message in create_errors + update_errors + plan_errors:
            reject(row_number, "", message)
        counts.update(created=created, updated=updated, failed=len(failed_rows))
        return counts, errors

    def _dm_foreign_device_message(self, device):
        """Why a row that finds a device of another company is rejected. The
        company is named only to a user who may read it: to anyone else the
        message is the same whether the device exists or not elsewhere, so that
        serial numbers cannot be probed across companies."""
        if device.company_id in self.env.user.company_ids:
            return self.env._(
                "A device with this serial number or UDI belongs to the "
                "company %(company)s.",
                company=device.company_id.display_name,
            )
        return self.env._(
            "This serial number or UDI cannot be used: it is already used in the "
            "database. The row is skipped."
        )

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
            if target in UDI_PARTS or target in fleet_import_plans.PLAN_TARGETS:
                continue
            value, error = self._dm_import_lookup(state, target, value)
            if error:
                errors.append((state.header(target), error))
                continue
            record_vals[state.targets.field(target)] = value
        if "udi_carrier" in vals:
            record_vals["udi_carrier"] = vals["udi_carrier"]
        record_vals.setdefault("is_medical_device", True)
        return record_vals, errors

    def _dm_import_lookup(self, state, target, value):
        """The value a target writes: an id for the names this addon looks up
        (partners, categories, PIEU levels), else the parsed value. Returns
        ``(value, error message or None)``; an addon extends it for its own
        targets (see dm_cyber)."""
        if target in ("manufacturer", "supplier"):
            return state.partners[fleet_import.normalize_header(value)], None
        if target == "category":
            return state.categories[fleet_import.normalize_header(value)], None
        if target.startswith("pieu_"):
            factor = target[-1]
            level = state.pieu.get((factor, round(value, 4)))
            if not level:
                return None, self.env._(
                    "%(value)s is not a level of the PIEU scale %(factor)s "
                    "(Configuration › PIEU scales).",
                    value=f"{value:g}",
                    factor=factor.upper(),
                )
            return level, None
        return value, None

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
            # A lot is shared by many devices: another hospital's devices of the
            # same lot are not this row's (and must not be disclosed to it).
            own = not device.company_id or device.company_id == self.company_id
            if device.udi_di and device.udi_lot and own:
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

    def _update_rows(self, to_update, after=None):
        """Write the changes, grouped when several devices get the same values;
        ``after([(row number, device)])`` writes what follows in the same call
        (the rows' plans)."""
        groups = {}
        for row_number, device, changes in to_update:
            groups.setdefault(tuple(sorted(changes.items())), []).append(
                (row_number, device)
            )
        updated, errors = 0, []
        for items, rows in groups.items():

            def write(rows, items=items):
                rows[0][1].browse([device.id for _row, device in rows]).write(
                    dict(items)
                )
                if after:
                    after(rows)

            done, group_errors = self._write_rows(rows, write)
            updated += done
            errors += group_errors
        return updated, errors

    def _write_rows(self, rows, write, results=None):
        """Write ``rows`` in one call; if the database or a check refuses it,
        write them one by one to find and report the faulty rows. What each
        written call returns is added to ``results`` (a refused call's is not)."""
        if not rows:
            return 0, []
        results = [] if results is None else results
        try:
            with self.env.cr.savepoint():
                result = write(rows)
            results.append(result)
            return len(rows), []
        except ROW_ERRORS as error:
            if len(rows) == 1:
                return 0, [(rows[0][0], self._exception_message(error))]
        done, errors = 0, []
        for row in rows:
            try:
                with self.env.cr.savepoint():
                    result = write([row])
                results.append(result)
                done += 1
            except ROW_ERRORS as error:
                errors.append((row[0], self._exception_message(error)))
        return done, errors

    def _exception_message(self, error):
        if isinstance(error, psycopg2.Error):
            # The database's own text (index, constraint and table names) stays
            # in the server log: the report says in words what went wrong.
            _logger.info("Fleet import: row refused by the database: %s", error)
            return self.env._(
                "The database refused this row (a value too long, out of range or "
                "already used by another record): nothing of it was written."
            )
        return str(error.args[0]) if error.args else str(error)
