from odoo import fields, models

SOURCE_KINDS = [
    ("csaf", "CSAF 2.0 advisories (CISA ICSMA)"),
    ("nvd", "NVD CVE API 2.0"),
    ("kev", "CISA known exploited vulnerabilities (KEV)"),
    ("epss", "EPSS scores"),
]


class DmAdvisorySource(models.Model):
    """Where advisories come from: a reader per kind of file and a fetcher
    (URL, proxy, timeout, retries) run by a daily job; machines without
    Internet import files instead."""

    _name = "dm.advisory.source"
    _description = "Vulnerability advisory source"
    _inherit = ["mail.thread", "dm.input.guard"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    kind = fields.Selection(SOURCE_KINDS, required=True)
    url = fields.Char(string="URL", tracking=True)
    proxy = fields.Char(
        tracking=True, help="e.g. http://proxy.hospital.local:3128 (empty: none)."
    )
    timeout = fields.Integer(string="Timeout (s)", default=30)
    retries = fields.Integer(default=3)
    fetch_enabled = fields.Boolean(
        string="Fetch automatically",
        tracking=True,
        help="Fetched by the daily job. Leave off on a machine without Internet: "
        "import files instead.",
    )
    last_fetched_on = fields.Datetime(string="Last fetched on", readonly=True)
    last_error = fields.Text(string="Last error", readonly=True)
    active = fields.Boolean(default=True)
