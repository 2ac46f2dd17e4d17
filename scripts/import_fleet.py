#!/usr/bin/env python3
"""Import a fleet of medical devices from a CMMS export, for large files.

    python scripts/import_fleet.py --config .local/odoo.conf --database DB \\
        --file export.csv [--mapping "Generic French CMMS export"] \\
        [--batch-size 1000] [--user-login admin] [--company "My hospital"]

It runs the same import as the form (Configuration › Medical devices › Import a
fleet), as the given user (a biomedical engineer), and commits each batch: a
crash or a kill loses at most the batch in progress. Running the command again
on the same file resumes the unfinished import of that file after its last
committed batch (``--restart`` starts over instead); since devices are matched
by serial number or UDI, a full re-run updates them and never duplicates them.

Exit status: 0 every row imported, 1 some rows rejected (the error report is
written next to the file, or to --report), 2 the import could not run or
stopped (re-run the command to resume), 130 interrupted.
"""

import argparse
import base64
import hashlib
import os
import sys
import time
from pathlib import Path

DEFAULT_MAPPING = "Generic French CMMS export"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n", 1)[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--config", "-c", required=True, help="Odoo config file")
    parser.add_argument("--database", "-d", required=True)
    parser.add_argument("--file", "-f", required=True, type=Path)
    parser.add_argument(
        "--mapping",
        default=DEFAULT_MAPPING,
        help=f"name of the column mapping (default: {DEFAULT_MAPPING!r})",
    )
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument(
        "--user-login", default="admin", help="the biomedical engineer who imports"
    )
    parser.add_argument(
        "--company", help="company name or id (default: the user's company)"
    )
    parser.add_argument(
        "--report", type=Path, help="where to write the error report (CSV)"
    )
    parser.add_argument(
        "--restart",
        action="store_true",
        help="start a new import instead of resuming an unfinished one",
    )
    parser.add_argument("--log-level", default="warn", help="Odoo log level")
    args = parser.parse_args(argv)
    if args.batch_size < 1:
        parser.error("--batch-size must be positive")
    if not args.file.is_file():
        parser.error(f"no such file: {args.file}")
    return args


def import_odoo():
    try:
        import odoo  # noqa: F401
    except ImportError:
        sys.path.insert(0, os.environ.get("ODOO_SRC", "/opt/odoo"))


def say(text):
    print(text, flush=True)


def find_company(env, user, wanted):
    if not wanted:
        return user.company_id
    companies = user.company_ids
    if wanted.isdigit():
        return companies.filtered(lambda c: c.id == int(wanted))
    return companies.filtered(lambda c: c.name == wanted)


def find_mapping(env, name):
    Mapping = env["dm.import.mapping"]
    mapping = Mapping.search([("name", "=", name)], limit=1)
    if not mapping:
        # The preset's name may be shown translated in the user's language.
        mapping = Mapping.with_context(lang="en_US").search(
            [("name", "=", name)], limit=1
        )
    return mapping


def run(args):
    import_odoo()
    import psycopg2

    from odoo import SUPERUSER_ID, api
    from odoo.exceptions import UserError
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config(
        ["-c", args.config, "-d", args.database, f"--log-level={args.log_level}"],
        setup_logging=True,
    )
    data = args.file.read_bytes()
    checksum = hashlib.sha1(data).hexdigest()
    registry = Registry(args.database)
    with registry.cursor() as cr:
        root = api.Environment(cr, SUPERUSER_ID, {})
        if "dm.fleet.import" not in root:
            say(f"error: medical_device is not installed in {args.database}")
            return 2
        user = root["res.users"].search([("login", "=", args.user_login)], limit=1)
        if not user:
            say(f"error: no user with login {args.user_login!r}")
            return 2
        company = find_company(root, user, args.company)
        if len(company) != 1:
            say(f"error: {args.user_login} has no company {args.company!r}")
            return 2
        context = {
            **user.context_get(),
            "allowed_company_ids": [company.id],
        }
        env = api.Environment(cr, user.id, context)
        mapping = find_mapping(env, args.mapping)
        if not mapping:
            say(f"error: no column mapping named {args.mapping!r}")
            return 2
        Import = env["dm.fleet.import"]
        record = Import.browse()
        if not args.restart:
            record = Import.search(
                [
                    ("checksum", "=", checksum),
                    ("filename", "=", args.file.name),
                    ("company_id", "=", company.id),
                    ("state", "in", ("running", "failed")),
                ],
                order="id desc",
                limit=1,
            )
        if record:
            say(
                f"resuming import #{record.id} of {args.file.name} after row "
                f"{record.last_committed_row}"
            )
            record.write({"batch_size": args.batch_size})
        else:
            record = Import.create(
                {
                    "name": args.file.name,
                    "filename": args.file.name,
                    "file": base64.b64encode(data),
                    "mapping_id": mapping.id,
                    "batch_size": args.batch_size,
                    "company_id": company.id,
                }
            )
            say(f"import #{record.id} of {args.file.name} ({len(data)} bytes)")
        cr.commit()
        start = time.monotonic()

        def progress(current):
            elapsed = time.monotonic() - start
            say(
                f"[{elapsed:7.1f} s] row {current.last_committed_row}: "
                f"{current.processed_count}/{current.row_count} rows "
                f"({current.progress:.0f} %), {current.created_count} created, "
                f"{current.updated_count} updated, {current.unchanged_count} "
                f"unchanged, {current.failed_count} rejected"
            )

        try:
            done = record._run(
                commit_per_batch=True, data=data, progress_callback=progress
            )
        except UserError as error:
            cr.rollback()
            say(f"error: {error}")
            return 2
        except (psycopg2.OperationalError, psycopg2.InterfaceError) as error:
            # The database went away (restart, network): the batches committed
            # stay, the import stays "running" and resumes after them. Raised
            # out of the cursor's block, which would otherwise commit.
            raise ConnectionLost(str(error).strip()) from error
        say(record.log or "")
        if record.error_report:
            report = args.report or args.file.with_name(
                record.error_report_filename or f"{args.file.stem}-errors.csv"
            )
            report.write_bytes(base64.b64decode(record.error_report))
            say(f"error report: {report}")
        if not done:
            say("the import stopped: run the same command again to resume it")
            return 2
        return 1 if record.failed_count else 0


class ConnectionLost(Exception):
    """The connection to PostgreSQL was lost during the import."""


def main(argv=None):
    args = parse_args(argv)
    try:
        return run(args)
    except ConnectionLost as error:
        say(f"error: the connection to the database was lost ({error})")
        say("the import stopped: run the same command again to resume it")
        return 2
    except KeyboardInterrupt:
        say("interrupted: run the same command again to resume the import")
        return 130
    except Exception as error:
        # Another run of the same import wrote it at the same time (the import
        # itself refuses a second run with a clear error; this is the resume
        # step before it): a clear message, not a traceback.
        from psycopg2 import errorcodes

        if getattr(error, "pgcode", None) not in (
            errorcodes.SERIALIZATION_FAILURE,
            errorcodes.DEADLOCK_DETECTED,
            errorcodes.LOCK_NOT_AVAILABLE,
        ):
            raise
        say(
            "error: another import of this file wrote it at the same time: wait "
            "until it ends, then run the same command again"
        )
        return 2


if __name__ == "__main__":
    sys.exit(main())
