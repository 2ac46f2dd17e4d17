import logging
import time
from urllib.parse import urlsplit

from odoo import api, fields, models
from odoo.addons.medical_device.tools import http_fetch, messages
from odoo.addons.medical_device.tools import reader_text as rt
from odoo.exceptions import AccessError, UserError
from odoo.tools.translate import LazyGettext, LazyTranslate

from ..tools import advisories as readers
from ..tools import advisory_import as mapping
from .dm_advisory_importer import ImportSummary

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

SOURCE_KINDS = [
    ("csaf", "CSAF 2.0 advisories (CISA ICSMA)"),
    ("nvd", "NVD CVE API 2.0"),
    ("kev", "CISA known exploited vulnerabilities (KEV)"),
    ("epss", "EPSS scores"),
]
# Settings (ir.config_parameter) of the fetchers.
NVD_API_KEY_PARAM = "dm_cyber.nvd_api_key"
NVD_DELAY_PARAM = "dm_cyber.nvd_request_delay"
BACKOFF_PARAM = "dm_cyber.advisory_fetch_backoff"
CSAF_MAX_PARAM = "dm_cyber.csaf_fetch_max"
# The NVD asks for 6 s between requests without an API key, 0.6 s with one.
NVD_DELAY, NVD_DELAY_WITH_KEY = 6.0, 0.6
DEFAULT_BACKOFF = 2.0
CSAF_MAX = 200
FETCH_GROUP = "medical_device.group_dm_rssi"


class SourceError(UserError):
    """A source that cannot be fetched, with its message's template and
    parameters (so that the source shows it in each reader's language)."""

    def __init__(self, template, **params):
        super().__init__(messages.render(template, params))
        self.template = template
        self.params = params


class DmAdvisorySource(models.Model):
    """Where advisories come from: a reader per kind of file and a fetcher
    (URL, proxy, timeout, retries) run by a daily job; machines without
    Internet import files instead."""

    _name = "dm.advisory.source"
    _description = "Vulnerability advisory source"
    # Once its advisories point to it: archived, never deleted.
    _inherit = [
        "mail.thread",
        "dm.input.guard",
        "dm.advisory.guard",
        "dm.reference.data",
    ]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    kind = fields.Selection(
        SOURCE_KINDS,
        required=True,
        help="The format of the source's files, and so its reader.",
    )
    url = fields.Char(
        string="URL",
        tracking=True,
        help="KEV, EPSS: the file. NVD: the CVE API 2.0 (the CVEs changed since "
        "the last fetch are asked, by windows of at most 120 days). CSAF: one "
        "advisory's JSON, or a provider's index.txt / changes.csv listing them "
        "(the medical advisories, icsma-*, changed since the last fetch).",
    )
    proxy = fields.Char(
        tracking=True, help="e.g. http://proxy.hospital.local:3128 (empty: none)."
    )
    timeout = fields.Integer(
        string="Timeout (s)", default=30, help="Seconds to wait for each answer."
    )
    retries = fields.Integer(
        default=3,
        help="Further attempts after a network error, a timeout or a server "
        "error, a little longer apart each time.",
    )
    fetch_enabled = fields.Boolean(
        string="Fetch automatically",
        tracking=True,
        help="Fetched by the daily job. Leave off on a machine without Internet: "
        "import files instead.",
    )
    last_fetched_on = fields.Datetime(
        string="Last fetched on",
        readonly=True,
        help="Start of the last fetch that succeeded (the NVD and CSAF indexes "
        "ask for what changed since).",
    )
    # What the last fetch said, as reader texts (tools.reader_text): written
    # by the server, shown in each reader's language.
    last_error_data = fields.Json(
        string="Last error (to render)", readonly=True, copy=False
    )
    last_summary_data = fields.Json(
        string="Last fetch's result (to render)", readonly=True, copy=False
    )
    last_error = fields.Text(
        string="Last error",
        compute="_compute_last_texts",
        search="_search_last_error",
        help="Why the last fetch failed (empty: it succeeded); nothing of a "
        "failed fetch is written.",
    )
    last_summary = fields.Text(
        string="Last fetch's result",
        compute="_compute_last_texts",
        help="What it created or updated.",
    )
    advisory_count = fields.Integer(
        string="Advisories", compute="_compute_advisory_count"
    )
    active = fields.Boolean(default=True)

    @api.depends("last_error_data", "last_summary_data")
    @api.depends_context("lang")
    def _compute_last_texts(self):
        render = self.env["mail.message"]._dm_render
        for source in self:
            error, summary = source.last_error_data, source.last_summary_data
            source.last_error = render(error) if error else False
            source.last_summary = render(summary) if summary else False

    def _search_last_error(self, operator, value):
        """Sources whose last fetch failed, or succeeded: the filter of the
        list (the text itself is rendered per reader, not searched)."""
        values = value if isinstance(value, list | tuple | set) else [value]
        if operator in ("in", "not in", "=", "!=") and all(not v for v in values):
            failed = operator in ("not in", "!=")
            return [("last_error_data", "!=" if failed else "=", False)]
        raise UserError(
            self.env._(
                "The last error of a source is shown in each reader's language: "
                "filter the sources whose last fetch failed, not its words."
            )
        )

    def _compute_advisory_count(self):
        counts = dict(
            self.env["dm.advisory"]._read_group(
                [("source_id", "in", self.ids)], ["source_id"], ["__count"]
            )
        )
        for source in self:
            source.advisory_count = counts.get(source, 0)

    @api.constrains("timeout", "retries")
    def _check_fetch_settings(self):
        for source in self:
            if source.timeout < 1 or source.timeout > 600:
                raise UserError(self.env._("The timeout is between 1 and 600 seconds."))
            if source.retries < 0 or source.retries > 10:
                raise UserError(self.env._("The retries are between 0 and 10."))

    @api.model
    def _dm_client_protected_fields(self):
        return {
            "last_fetched_on",
            "last_error",
            "last_summary",
            "last_error_data",
            "last_summary_data",
            "advisory_count",
        }

    # ------------------------------------------------------------ actions
    def action_fetch_now(self):
        """Fetch the sources now (the RSSI); the result or the error is on
        each source."""
        if not (self.env.su or self.env.user.has_group(FETCH_GROUP)):
            raise AccessError(
                self.env._("Only the RSSI may fetch the advisory sources.")
            )
        self.check_access("write")
        for source in self:
            source._dm_fetch()
        errors = self.filtered("last_error")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "danger" if errors else "success",
                "title": self.env._("Fetch of the advisory sources"),
                "message": "\n".join(errors.mapped("last_error"))
                or "\n".join(s.last_summary or "" for s in self),
                "sticky": bool(errors),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_open_import(self):
        """The wizard that imports a file (machines without Internet), for
        this source when called on one."""
        context = {}
        if len(self) == 1:
            context = {"default_source_id": self.id, "default_kind": self.kind}
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import an advisory file"),
            "res_model": "dm.advisory.import",
            "view_mode": "form",
            "target": "new",
            "context": context,
        }

    def action_view_advisories(self):
        self.ensure_one()
        domain = [("source_id", "=", self.id)]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Advisories"),
            "res_model": "dm.advisory",
            "view_mode": "list,form",
            "domain": domain,
        }

    # ------------------------------------------------------------ job
    @api.model
    def _cron_fetch(self):
        """The daily job: fetch the sources set to be fetched automatically.
        A source that fails records its error and the others go on."""
        for source in self.search([("fetch_enabled", "=", True)]):
            source._dm_fetch()

    def _dm_fetch(self):
        """Fetch and import the source; never raises: a failure is written
        on the source (a reader text, shown in each reader's language) and
        nothing of it is kept."""
        self.ensure_one()
        started = fields.Datetime.now()
        try:
            with self.env.cr.savepoint():
                summary = self._dm_fetch_import()
        except Exception as error:  # pylint: disable=broad-except
            # Whatever failed (network, a file the reader refuses, the
            # matching), the job goes on with the other sources.
            _logger.warning("Advisory source %s: %s", self.display_name, error)
            # sudo: the fetch's results are written by the server only.
            self.sudo().write({"last_error_data": self._dm_fetch_error_spec(error)})
            return None
        importer = self.env["dm.advisory.importer"]
        self.sudo().write(
            {
                "last_fetched_on": started,
                "last_error_data": False,
                "last_summary_data": importer._dm_summary_spec(summary),
            }
        )
        return summary

    def _dm_fetch_error_spec(self, error):
        """Why a fetch failed, as a reader text: the network's error, or the
        reader's (the error a ``tools`` function raised, with its template,
        also when a ``UserError`` carries it); other errors as they read."""
        if isinstance(error, http_fetch.FetchError):
            params = error.params
            url = params.get("url") or ""
            if error.kind == "timeout":
                return rt.msg(
                    _lt(
                        "%(url)s did not answer within %(timeout)s seconds "
                        "(%(attempts)s attempts): try again later, or raise the "
                        "timeout."
                    ),
                    url=url,
                    timeout=params.get("timeout") or 0,
                    attempts=params.get("attempts") or 0,
                )
            if error.kind == "http":
                return rt.msg(
                    _lt(
                        "%(url)s answered with an error (HTTP %(status)s): check "
                        "the URL, or try again later."
                    ),
                    url=url,
                    status=params.get("status") or 0,
                )
            if error.kind == "too_large":
                return rt.msg(
                    _lt("%(url)s sent more than %(max)s MB: check the URL."),
                    url=url,
                    max=(params.get("max_bytes") or 0) // (1024 * 1024),
                )
            return rt.msg(
                _lt(
                    "%(url)s cannot be reached: the server is offline or the "
                    "network blocks it. Check the connection and the proxy, then "
                    "try again."
                ),
                url=url,
            )
        cause = error
        while cause is not None and not isinstance(
            getattr(cause, "template", None), LazyGettext
        ):
            cause = cause.__cause__
        if cause is not None:
            params = {
                name: value if isinstance(value, str | int | float) else str(value)
                for name, value in (cause.params or {}).items()
            }
            spec = rt.msg(cause.template, **params)
            if messages.render(cause.template, cause.params) is not None:
                return spec
        if isinstance(error, UserError | AccessError):
            return str(error.args[0])
        return rt.msg(_lt("The fetch failed: %(error)s"), error=str(error)[:500])

    # ------------------------------------------------------------ fetchers
    def _dm_get(self, url, params=None, headers=None):
        # sudo: the settings are admin data.
        backoff = self.env["ir.config_parameter"].sudo().get_param(BACKOFF_PARAM)
        response = http_fetch.get(
            url,
            params,
            timeout=self.timeout or 30,
            retries=max(0, self.retries),
            proxy=self.proxy or None,
            backoff=float(backoff) if backoff else DEFAULT_BACKOFF,
            headers=headers,
            max_bytes=readers.MAX_BYTES,
        )
        return response.content

    def _dm_fetch_import(self):
        self.ensure_one()
        if not self.url:
            raise SourceError(_lt("%(source)s has no URL to fetch."), source=self.name)
        return getattr(self, f"_dm_fetch_{self.kind}")()

    def _dm_import(self, data, kind, url):
        filename = urlsplit(url).path.rsplit("/", 1)[-1] or False
        return self.env["dm.advisory.importer"]._dm_import_file(
            data, kind, filename=filename, source=self
        )

    def _dm_fetch_kev(self):
        return self._dm_import(self._dm_get(self.url), "kev", self.url)

    def _dm_fetch_epss(self):
        return self._dm_import(self._dm_get(self.url), "epss", self.url)

    def _dm_fetch_csaf(self):
        """One advisory, or the medical advisories of a provider's index
        changed since the last fetch (at most ``dm_cyber.csaf_fetch_max``)."""
        data = self._dm_get(self.url)
        if mapping.detect_kind(data) == "csaf":
            return self._dm_import(data, "csaf", self.url)
        text = data.decode("utf-8-sig", "replace")
        if ".json" not in text.lower():
            readers.read_csaf(data)  # raises the reader's error
        limit = self.env["ir.config_parameter"].sudo().get_param(CSAF_MAX_PARAM)
        urls = mapping.csaf_index(text, self.url, since=self.last_fetched_on)
        summary = None
        for url in urls[: int(limit or CSAF_MAX)]:
            one = self._dm_import(self._dm_get(url), "csaf", url)
            if summary is None:
                summary = one
            else:
                summary.merge(one)
        return summary or self._dm_empty_summary("csaf")

    def _dm_empty_summary(self, kind):
        return ImportSummary(self.env, kind)

    def _dm_fetch_nvd(self):
        """The CVEs changed since the last fetch (the last 30 days the first
        time), by windows of at most 120 days and pages of 2,000."""
        params = self.env["ir.config_parameter"].sudo()
        api_key = params.get_param(NVD_API_KEY_PARAM)
        delay = params.get_param(NVD_DELAY_PARAM)
        delay = (
            float(delay) if delay else (NVD_DELAY_WITH_KEY if api_key else NVD_DELAY)
        )
        headers = {"apiKey": api_key} if api_key else None
        summary = self._dm_empty_summary("nvd")
        now = fields.Datetime.now()
        requests_made = 0
        for start, end in mapping.nvd_windows(self.last_fetched_on, now):
            index = 0
            while True:
                if requests_made and delay:
                    time.sleep(delay)
                query = {
                    "lastModStartDate": mapping.nvd_date(start),
                    "lastModEndDate": mapping.nvd_date(end),
                    "startIndex": index,
                    "resultsPerPage": mapping.NVD_PAGE_SIZE,
                }
                data = self._dm_get(self.url, query, headers)
                requests_made += 1
                page_summary = self._dm_import(data, "nvd", self.url)
                summary.merge(page_summary)
                page = page_summary.document
                index += len(page.cves)
                if not page.cves or index >= page.total_results:
                    break
        return summary
