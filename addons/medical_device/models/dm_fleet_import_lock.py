import logging

import psycopg2
from psycopg2 import errors as pg_errors

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)
# First key of the advisory lock that lets one fleet import run at a time per
# company (the second key is the company's id): "DMFI".
IMPORT_LOCK_CLASS = 0x444D4649


class DmFleetImportLock(models.AbstractModel):
    """One fleet import at a time per company (used by ``dm.fleet.import``)."""

    _name = "dm.fleet.import.lock"
    _description = "Lock of the medical device fleet imports"

    def _import_lock_key(self):
        return SQL("%s, %s", IMPORT_LOCK_CLASS, self.company_id.id)

    def _lock_company_imports(self, commit_per_batch):
        """One fleet import at a time per company: two imports of the same file
        (two users, or the command line run twice) would both create the
        devices of the rows the other has not committed yet. The second one
        is refused with a clear error while the first runs. The command line
        holds the lock across its batch commits (a session lock, released at
        the end of the run or when the process dies); an import in one request
        until its transaction ends. An import whose transaction started before
        another one ended is refused too: it would not see what the other
        wrote (PostgreSQL's repeatable read)."""
        cr = self.env.cr
        # Session lock: held across the batch commits; else, the transaction's.
        function = (
            "pg_try_advisory_lock" if commit_per_batch else "pg_try_advisory_xact_lock"
        )
        cr.execute(SQL("SELECT %s(%s)", SQL(function), self._import_lock_key()))
        if not cr.fetchone()[0]:
            raise UserError(self._import_running_message())
        if commit_per_batch:
            # A new transaction, which sees every import that ended before.
            self._commit()
            self.env.invalidate_all()
            return
        try:
            with cr.savepoint(flush=False):
                cr.execute(
                    SQL(
                        "SELECT id FROM dm_fleet_import WHERE company_id = %s "
                        "ORDER BY id FOR NO KEY UPDATE",
                        self.company_id.id,
                    )
                )
        except (pg_errors.SerializationFailure, pg_errors.DeadlockDetected) as error:
            raise UserError(
                self.env._(
                    "Another fleet import of %(company)s ended while this one "
                    "started: run this one again, it will see what the other "
                    "imported.",
                    company=self.company_id.display_name,
                )
            ) from error

    def _unlock_company_imports(self):
        try:
            self.env.cr.execute(
                SQL("SELECT pg_advisory_unlock(%s)", self._import_lock_key())
            )
        except psycopg2.Error:
            # The connection is gone (the database restarted): so is the lock.
            _logger.info("Fleet import %s: lock already released", self.id)

    def _import_running_message(self):
        return self.env._(
            "Another fleet import of %(company)s is running: wait until it "
            "finishes, then run this one again (devices are matched by serial "
            "number or UDI, so nothing is imported twice).",
            company=self.company_id.display_name,
        )
