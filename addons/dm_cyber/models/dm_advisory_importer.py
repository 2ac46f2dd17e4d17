import base64
import logging

from odoo import api, fields, models
from odoo.addons.medical_device.tools import reader_text as rt
from odoo.addons.medical_device.tools.messages import error_message
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tools import SQL, float_compare, split_every
from odoo.tools.translate import LazyTranslate

from ..tools import advisories as readers
from ..tools import advisory_import as mapping

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

# Who may import advisory files (the wizard) and fetch sources.
IMPORT_GROUPS = ("medical_device.group_dm_rssi", "medical_device.group_dm_engineer")
READERS = {
    "csaf": readers.read_csaf,
    "nvd": readers.read_nvd,
    "kev": readers.read_kev,
    "epss": readers.read_epss,
}
EPSS_BATCH = 1000
CVSS_FIELDS = ("cvss_vector", "cvss_version", "cvss_score")


class ImportSummary:
    """What an import created and changed (counts), the advisories touched
    (to match again) and the CVEs whose scores changed (to refresh)."""

    def __init__(self, env, kind):
        self.kind = kind
        self.counts = dict.fromkeys(
            (
                "advisories_created",
                "advisories_updated",
                "advisories_older",
                "products_created",
                "products_updated",
                "products_removed",
                "cves_created",
                "cves_updated",
                "kev_left",
                "epss_updated",
                "epss_unknown",
            ),
            0,
        )
        self.advisories = env["dm.advisory"]
        self.cves = env["dm.cve"]
        self.document = None  # what the reader read (the last one)

    def add(self, key, count=1):
        self.counts[key] += count

    def merge(self, other):
        for key, count in other.counts.items():
            self.counts[key] += count
        self.advisories |= other.advisories
        self.cves |= other.cves
        self.document = other.document

    @property
    def changed(self):
        return any(
            count
            for key, count in self.counts.items()
            if key not in ("advisories_older", "epss_unknown")
        )


class DmAdvisoryImporter(models.AbstractModel):
    """Writes what the advisory readers (``tools/advisories.py``) read into
    CVEs, advisories and their affected products: the same file imported
    twice changes nothing, a new revision updates its lines in place, a
    malformed file writes nothing. Used by the import wizard (machines without
    Internet) and by the sources' fetchers."""

    _name = "dm.advisory.importer"
    _description = "Import of vulnerability advisories"

    # ------------------------------------------------------------ entry point
    @api.model
    def _dm_check_import_rights(self):
        if self.env.su or any(self.env.user.has_group(g) for g in IMPORT_GROUPS):
            return
        raise AccessError(
            self.env._(
                "Only the RSSI or a biomedical engineer may import vulnerability "
                "advisories."
            )
        )

    @api.model
    def _dm_import_file(self, data, kind=None, filename=None, source=None):
        """Read ``data`` (bytes) with the reader of ``kind`` (detected when
        not given) and write it; the :class:`ImportSummary`. A file the reader
        refuses raises its translated error and writes nothing."""
        self._dm_check_import_rights()
        kind = kind or mapping.detect_kind(data, filename)
        if kind not in READERS:
            raise UserError(
                self.env._(
                    "This file is not one the vulnerability watch reads (a CSAF "
                    "2.0 advisory, a page of the NVD CVE API 2.0, CISA's KEV "
                    "catalogue in JSON or an EPSS CSV file): choose its kind."
                )
            )
        try:
            document = READERS[kind](bytes(data))
        except readers.AdvisoryError as error:
            raise UserError(error_message(self.env, error)) from error
        # sudo: CVEs and imported advisories are reference data that only the
        # server writes (their write() refuses clients); the caller's group
        # was checked above.
        context = {
            key: value
            for key, value in self.env.context.items()
            if not key.startswith("default_")
        }
        # Nor does the caller's context give any default to what it writes.
        importer = self.sudo().with_context(
            context, active_test=False, mail_create_nolog=True
        )
        summary = ImportSummary(importer.env, kind)
        summary.document = document
        # A savepoint: an error half-way leaves nothing written.
        with self.env.cr.savepoint():
            getattr(importer, f"_dm_import_{kind}")(
                document, summary, data=data, filename=filename, source=source
            )
        self._dm_after_import(summary)
        return summary

    @api.model
    def _dm_after_import(self, summary):
        """Match the advisories touched against the fleet and refresh the
        vulnerabilities whose CVE scores changed, when the matching is there
        (``dm.vulnerability``'s ``_dm_match`` / ``_dm_refresh_cves``)."""
        # sudo: the matching covers the whole fleet, every company.
        advisories = summary.advisories.sudo().exists()
        if advisories and hasattr(advisories, "_dm_match"):
            advisories._dm_match()
        Vulnerability = self.env["dm.vulnerability"].sudo()
        cves = summary.cves.sudo().exists()
        if cves and hasattr(Vulnerability, "_dm_refresh_cves"):
            Vulnerability._dm_refresh_cves(cves)

    @api.model
    def _dm_summary_spec(self, summary):
        """The summary of an import as a reader text (``tools.reader_text``),
        stored on a source and rendered in each reader's language."""
        counts = summary.counts
        lines = []
        if summary.kind in ("csaf", "nvd"):
            lines.append(
                rt.msg(
                    _lt("Advisories: %(created)s created, %(updated)s updated."),
                    created=counts["advisories_created"],
                    updated=counts["advisories_updated"],
                )
            )
            lines.append(
                rt.msg(
                    _lt(
                        "Affected products: %(created)s created, %(updated)s "
                        "updated, %(removed)s removed."
                    ),
                    created=counts["products_created"],
                    updated=counts["products_updated"],
                    removed=counts["products_removed"],
                )
            )
            if counts["advisories_older"]:
                lines.append(
                    rt.msg(
                        _lt(
                            "%(count)s advisories left as they were: the file "
                            "holds an older revision than the one recorded."
                        ),
                        count=counts["advisories_older"],
                    )
                )
        if summary.kind == "epss":
            lines.append(
                rt.msg(
                    _lt(
                        "EPSS scores: %(updated)s CVEs updated; %(unknown)s CVEs "
                        "of the file are not recorded here and were left out."
                    ),
                    updated=counts["epss_updated"],
                    unknown=counts["epss_unknown"],
                )
            )
        else:
            lines.append(
                rt.msg(
                    _lt("CVEs: %(created)s created, %(updated)s updated."),
                    created=counts["cves_created"],
                    updated=counts["cves_updated"],
                )
            )
        if summary.kind == "kev":
            lines.append(
                rt.msg(
                    _lt(
                        "%(count)s CVEs left the catalogue and are no longer "
                        "marked known exploited."
                    ),
                    count=counts["kev_left"],
                )
            )
        if not summary.changed:
            lines.append(rt.msg(_lt("Nothing changed: the file was already imported.")))
        return rt.join(lines, "\n")

    @api.model
    def _dm_summary_text(self, summary):
        """The summary of an import, in the user's language."""
        return self.env["mail.message"]._dm_render(self._dm_summary_spec(summary))

    # ------------------------------------------------------------ helpers
    @api.model
    def _dm_changed(self, record, vals):
        """The values of ``vals`` that differ from ``record``'s (many2many as
        a list of ids), ready for ``write``."""
        changed = {}
        for fname, value in vals.items():
            field = record._fields[fname]
            current = record[fname]
            if field.type == "many2one":
                differs = current.id != (value or False)
            elif field.type == "many2many":
                differs = set(current.ids) != set(value)
                value = [Command.set(value)]
            elif field.type == "float":
                digits = field.get_digits(self.env)
                differs = (
                    float_compare(
                        current or 0.0, value or 0.0, precision_digits=digits[1]
                    )
                    != 0
                )
            elif field.type == "binary":
                differs = bytes(current or b"") != bytes(value or b"")
            else:
                differs = (current or False) != (value or False)
            if differs:
                changed[fname] = value
        return changed

    @api.model
    def _dm_upsert_cves(self, values, summary, fill_only=()):
        """``{name: record}`` of the CVEs named by ``values`` (``{name:
        vals}``): missing ones created, others written where they differ;
        ``fill_only`` fields are written only when empty (another source's
        value wins)."""
        Cve = self.env["dm.cve"]
        cves = {c.name: c for c in Cve.search([("name", "in", list(values))])}
        to_create = []
        for name, vals in values.items():
            cve = cves.get(name)
            if cve is None:
                to_create.append(dict(vals, name=name))
                continue
            vals = {
                fname: value
                for fname, value in vals.items()
                if fname not in fill_only or not cve[fname]
            }
            changed = self._dm_changed(cve, vals)
            if changed:
                cve.write(changed)
                summary.add("cves_updated")
                summary.cves |= cve
        if to_create:
            created = Cve.create(to_create)
            summary.add("cves_created", len(created))
            summary.cves |= created
            cves.update({c.name: c for c in created})
        return cves

    @api.model
    def _dm_upsert_advisory(self, advisory, vals, lines, cves, summary):
        """Create or update one advisory and its product lines (a line is
        kept, and its id, while its product and CVE stay the same)."""
        changed = {}
        if not advisory:
            advisory = self.env["dm.advisory"].create(vals)
            summary.add("advisories_created")
            summary.advisories |= advisory
        else:
            changed = self._dm_changed(advisory, vals)
            if changed:
                advisory.write(changed)
        touched = self._dm_sync_lines(advisory, lines, cves, summary)
        if advisory not in summary.advisories and (touched or changed):
            summary.add("advisories_updated")
            summary.advisories |= advisory
        return advisory

    @api.model
    def _dm_sync_lines(self, advisory, lines, cves, summary):
        existing = {
            (line.source_ref, line.cve_id.name): line for line in advisory.product_ids
        }
        to_create, touched = [], False
        for key, vals in lines.items():
            vals = dict(vals, cve_id=cves[key[1]].id)
            line = existing.pop(key, None)
            if line is None:
                to_create.append(dict(vals, advisory_id=advisory.id))
                continue
            changed = self._dm_changed(line, vals)
            if changed:
                line.write(changed)
                summary.add("products_updated")
                touched = True
        if to_create:
            self.env["dm.advisory.product"].create(to_create)
            summary.add("products_created", len(to_create))
            touched = True
        if existing:
            # The new revision no longer names these products: their lines
            # go (a device's vulnerability keeps its CVE and advisory).
            removed = self.env["dm.advisory.product"].concat(*existing.values())
            summary.add("products_removed", len(removed))
            removed.unlink()
            touched = True
        return touched

    @api.model
    def _dm_document(self, data, filename):
        return {
            "document": base64.b64encode(bytes(data)),
            "filename": filename or False,
        }

    # ------------------------------------------------------------ per kind
    @api.model
    def _dm_import_csaf(self, doc, summary, data=None, filename=None, source=None):
        cve_values = {}
        for vulnerability in doc.vulnerabilities:
            if vulnerability.cve:
                cve_values[vulnerability.cve] = (
                    mapping.cvss_values(vulnerability.cvss_vector) or {}
                )
        # NVD's CVSS vector wins over the advisory's: written only when empty.
        cves = self._dm_upsert_cves(cve_values, summary, fill_only=CVSS_FIELDS)
        advisory = self.env["dm.advisory"].search(
            [("name", "=", doc.tracking_id), ("source_kind", "=", "csaf")], limit=1
        )
        released = mapping.naive_utc(doc.current_release_date)
        if (
            advisory
            and advisory.current_release_date
            and released
            and released < advisory.current_release_date
        ):
            summary.add("advisories_older")
            return
        vals = {
            "name": doc.tracking_id,
            "title": doc.title,
            "publisher": doc.publisher,
            "revision": doc.version,
            "source_kind": "csaf",
            "initial_release_date": mapping.naive_utc(doc.initial_release_date),
            "current_release_date": released,
            "url": doc.url or False,
            "summary": doc.summary or False,
            "cve_ids": [cves[name].id for name in cve_values],
            **self._dm_document(data, filename or f"{doc.tracking_id.lower()}.json"),
        }
        if source:
            vals["source_id"] = source.id
        self._dm_upsert_advisory(advisory, vals, mapping.csaf_lines(doc), cves, summary)

    @api.model
    def _dm_import_nvd(self, page, summary, data=None, filename=None, source=None):
        cve_values = {}
        for cve in page.cves:
            cve_values[cve.cve_id] = {
                "description": cve.description or False,
                "published_on": mapping.naive_utc(cve.published),
                "last_modified_on": mapping.naive_utc(cve.last_modified),
                **(
                    mapping.cvss_values(cve.cvss_vector, cve.cvss_version)
                    or dict.fromkeys(CVSS_FIELDS, False)
                ),
            }
        cves = self._dm_upsert_cves(cve_values, summary)
        with_products = [cve for cve in page.cves if cve.cpe_matches]
        advisories = {
            a.name: a
            for a in self.env["dm.advisory"].search(
                [
                    ("name", "in", [cve.cve_id for cve in with_products]),
                    ("source_kind", "=", "nvd"),
                ]
            )
        }
        for cve in with_products:
            description = (cve.description or "").strip()
            vals = {
                "name": cve.cve_id,
                "title": (description.splitlines() or [cve.cve_id])[0][:200],
                "publisher": "NVD",
                "source_kind": "nvd",
                "initial_release_date": mapping.naive_utc(cve.published),
                "current_release_date": mapping.naive_utc(cve.last_modified),
                "url": mapping.NVD_DETAIL_URL.format(cve=cve.cve_id),
                "summary": description or False,
                "cve_ids": [cves[cve.cve_id].id],
            }
            if source:
                vals["source_id"] = source.id
            self._dm_upsert_advisory(
                advisories.get(cve.cve_id, self.env["dm.advisory"]),
                vals,
                mapping.nvd_lines(cve),
                cves,
                summary,
            )

    @api.model
    def _dm_import_kev(self, catalog, summary, data=None, filename=None, source=None):
        values = {
            entry.cve_id: {
                "known_exploited": True,
                "kev_date_added": entry.date_added,
                "kev_due_date": entry.due_date or False,
                "kev_ransomware": entry.known_ransomware,
                "kev_required_action": entry.required_action or False,
                "kev_vendor": entry.vendor_project,
                "kev_product": entry.product,
            }
            for entry in catalog.entries
        }
        self._dm_upsert_cves(values, summary)
        left = self.env["dm.cve"].search(
            [("known_exploited", "=", True), ("name", "not in", list(values))]
        )
        if left:
            left.write({"known_exploited": False})
            summary.add("kev_left", len(left))
            summary.add("cves_updated", len(left))
            summary.cves |= left

    @api.model
    def _dm_import_epss(self, scores, summary, data=None, filename=None, source=None):
        """EPSS scores of the CVEs recorded here (the file scores every
        published CVE, ~300,000): compared in one query, written in batches of
        SQL updates, none of the file's other rows stored."""
        Cve = self.env["dm.cve"]
        Cve.flush_model(["name", "epss_score", "epss_percentile", "epss_date"])
        day = scores.score_date.date() if scores.score_date else fields.Date.today()
        self.env.cr.execute(
            SQL(
                "SELECT id, name, epss_score, epss_percentile, epss_date FROM %s",
                SQL.identifier(Cve._table),
            )
        )
        rows, held = [], 0
        for cve_id, name, score, percentile, stored_day in self.env.cr.fetchall():
            entry = scores.scores.get(name)
            if entry is None:
                continue
            held += 1
            new = (round(entry.epss, 5), round(entry.percentile, 5), day)
            old = (
                round(float(score or 0.0), 5),
                round(float(percentile or 0.0), 5),
                stored_day,
            )
            if new != old:
                rows.append((cve_id, *new))
        summary.add("epss_unknown", len(scores.scores) - held)
        for batch in split_every(EPSS_BATCH, rows):
            self.env.cr.execute(
                SQL(
                    "UPDATE %(table)s SET epss_score = v.score, "
                    "epss_percentile = v.percentile, epss_date = v.day, "
                    "write_date = %(now)s, write_uid = %(uid)s "
                    "FROM (VALUES %(values)s) AS v(id, score, percentile, day) "
                    "WHERE %(table)s.id = v.id",
                    table=SQL.identifier(Cve._table),
                    now=fields.Datetime.now(),
                    uid=self.env.uid,
                    values=SQL(", ").join(
                        SQL("(%s, %s::numeric, %s::numeric, %s::date)", *row)
                        for row in batch
                    ),
                )
            )
        Cve.invalidate_model(
            ["epss_score", "epss_percentile", "epss_date", "write_date", "write_uid"]
        )
        summary.add("epss_updated", len(rows))
        summary.cves |= Cve.browse([row[0] for row in rows])
        _logger.info("EPSS %s: %s CVEs updated", day, len(rows))
