from odoo import api, fields, models
from odoo.exceptions import UserError

# What the importers write on an advisory read in a source's file: a client
# edits advisories entered by hand only.
IMPORTED_FIELDS = frozenset(
    {
        "name",
        "title",
        "publisher",
        "revision",
        "source_kind",
        "source_id",
        "initial_release_date",
        "current_release_date",
        "url",
        "summary",
        "document",
        "filename",
        "cve_ids",
        "product_ids",
    }
)


class DmAdvisory(models.Model):
    """A security advisory (a CISA ICSMA in CSAF 2.0, or a CVE of the NVD
    with its affected configurations): the products and versions it says
    are affected, matched against the fleet into dm.vulnerability lines."""

    _name = "dm.advisory"
    _description = "Security advisory"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "dm.input.guard",
        "dm.advisory.guard",
        # Once a device's vulnerability points to it: archived, never deleted.
        "dm.reference.data",
    ]
    _order = "current_release_date desc, id desc"

    name = fields.Char(
        string="Reference",
        required=True,
        index=True,
        tracking=True,
        help="The advisory's tracking id (e.g. ICSMA-25-105-01), or the CVE "
        "for an NVD entry.",
    )
    title = fields.Char(tracking=True)
    publisher = fields.Char()
    revision = fields.Char(tracking=True)
    source_kind = fields.Selection(
        [("csaf", "CSAF 2.0"), ("nvd", "NVD"), ("manual", "Entered by hand")],
        required=True,
        default="manual",
    )
    source_id = fields.Many2one("dm.advisory.source", ondelete="set null", copy=False)
    initial_release_date = fields.Datetime(string="Published on")
    current_release_date = fields.Datetime(string="Updated on", tracking=True)
    url = fields.Char(string="URL")
    summary = fields.Text()
    document = fields.Binary(string="Original file", attachment=True)
    filename = fields.Char()
    cve_ids = fields.Many2many("dm.cve", string="CVEs")
    product_ids = fields.One2many(
        "dm.advisory.product", "advisory_id", string="Affected products"
    )
    vulnerability_ids = fields.One2many(
        "dm.vulnerability", "advisory_id", string="Devices' vulnerabilities"
    )
    last_matched_on = fields.Datetime(string="Last matched on", readonly=True)
    active = fields.Boolean(default=True)
    known_exploited = fields.Boolean(
        string="Known exploited (KEV)",
        compute="_compute_cve_scores",
        search="_search_known_exploited",
        help="One of its CVEs is in CISA's catalogue of known exploited "
        "vulnerabilities.",
    )
    max_cvss_score = fields.Float(
        string="Highest CVSS", digits=(3, 1), compute="_compute_cve_scores"
    )
    max_epss_score = fields.Float(
        string="Highest EPSS", digits=(6, 5), compute="_compute_cve_scores"
    )
    product_count = fields.Integer(string="Products", compute="_compute_product_count")

    _name_unique = models.Constraint(
        "UNIQUE (name, source_kind)", "An advisory is recorded once per source."
    )

    @api.depends("cve_ids.known_exploited", "cve_ids.cvss_score", "cve_ids.epss_score")
    def _compute_cve_scores(self):
        for advisory in self:
            cves = advisory.cve_ids
            advisory.known_exploited = any(cves.mapped("known_exploited"))
            advisory.max_cvss_score = max(cves.mapped("cvss_score") or [0.0])
            advisory.max_epss_score = max(cves.mapped("epss_score") or [0.0])

    def _search_known_exploited(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        positive = (operator == "=") == value
        return [("cve_ids.known_exploited", "=" if positive else "!=", True)]

    @api.depends("product_ids")
    def _compute_product_count(self):
        for advisory in self:
            advisory.product_count = len(advisory.product_ids)

    # ------------------------------------------------------------ guard
    @api.model
    def _dm_client_protected_fields(self):
        # last_matched_on belongs to the matching (dm.vulnerability).
        return {
            "source_id",
            "known_exploited",
            "max_cvss_score",
            "max_epss_score",
            "product_count",
        }

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self._dm_check_client_input(vals_list, create=True)
            default = self.env.context.get("default_source_kind", "manual")
            for vals in vals_list:
                if vals.get("source_kind", default) != "manual":
                    raise UserError(
                        self.env._(
                            "Advisories of a source (CSAF, NVD) are created by "
                            "the import of their file only."
                        )
                    )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._dm_check_client_input([vals])
            imported = self.filtered(lambda a: a.source_kind != "manual")
            if "source_kind" in vals or (imported and IMPORTED_FIELDS & set(vals)):
                raise UserError(
                    self.env._(
                        "%(advisory)s was imported from its source: what it says "
                        "is changed by importing its new revision, not by hand.",
                        advisory=(imported or self)[:1].display_name,
                    )
                )
        return super().write(vals)

    def copy(self, default=None):
        # A copy is an advisory entered by hand, never another import.
        default = dict(default or {}, source_kind="manual")
        return super().copy(default)

    # ------------------------------------------------------------ actions
    def action_open_import(self):
        return self.env["dm.advisory.source"].action_open_import()
