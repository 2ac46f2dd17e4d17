from odoo import api, fields, models
from odoo.exceptions import UserError

# Thresholds of the CVE list's filters.
EPSS_HIGH = 0.1
CVSS_CRITICAL = 9.0


class DmCve(models.Model):
    """A CVE as the public sources describe it: NVD (description, CVSS
    vector), CISA's catalogue of known exploited vulnerabilities (KEV) and
    FIRST's EPSS score. Written by the importers only; read by everyone."""

    _name = "dm.cve"
    _description = "Vulnerability (CVE)"
    _inherit = ["mail.thread", "dm.input.guard", "dm.advisory.guard"]
    _order = "name desc"

    name = fields.Char(string="CVE", required=True, index=True, readonly=True)
    description = fields.Text(readonly=True)
    published_on = fields.Datetime(readonly=True)
    last_modified_on = fields.Datetime(readonly=True)
    cvss_vector = fields.Char(
        string="CVSS vector",
        readonly=True,
        help="From the NVD (or, until the NVD scores it, from the advisory).",
    )
    cvss_version = fields.Char(string="CVSS version", readonly=True)
    cvss_score = fields.Float(
        string="CVSS score",
        digits=(3, 1),
        readonly=True,
        help="Base score computed from the CVSS vector (never typed).",
    )
    epss_score = fields.Float(
        string="EPSS",
        digits=(6, 5),
        readonly=True,
        help="FIRST's Exploit Prediction Scoring System: probability (0 to 1) "
        "that the CVE is exploited in the next 30 days.",
    )
    epss_percentile = fields.Float(
        string="EPSS percentile", digits=(6, 5), readonly=True
    )
    epss_date = fields.Date(string="EPSS date", readonly=True)
    known_exploited = fields.Boolean(
        readonly=True,
        index=True,
        tracking=True,
        help="Listed in CISA's catalogue of known exploited vulnerabilities "
        "(KEV): attackers use it.",
    )
    kev_date_added = fields.Date(string="Added to KEV on", readonly=True)
    kev_due_date = fields.Date(string="KEV due date", readonly=True)
    kev_ransomware = fields.Boolean(string="Used by ransomware", readonly=True)
    kev_required_action = fields.Text(string="Required action (KEV)", readonly=True)
    kev_vendor = fields.Char(string="Vendor (KEV)", readonly=True)
    kev_product = fields.Char(string="Product (KEV)", readonly=True)
    advisory_ids = fields.Many2many(
        "dm.advisory", string="Advisories", compute="_compute_advisory_ids"
    )
    nvd_url = fields.Char(string="NVD page", compute="_compute_nvd_url")

    _name_unique = models.Constraint("UNIQUE (name)", "A CVE is recorded once.")

    @api.model
    def _dm_client_protected_fields(self):
        # Everything the sources say of a CVE: a CVE is created by name (an
        # advisory entered by hand), scored and flagged by the importers only.
        return {
            fname
            for fname in self._fields
            if fname.startswith(("cvss_", "epss_", "kev_"))
        } | {
            "description",
            "published_on",
            "last_modified_on",
            "known_exploited",
            "advisory_ids",
            "nvd_url",
        }

    def _compute_advisory_ids(self):
        for cve in self:
            cve.advisory_ids = self.env["dm.advisory"].search(
                [("cve_ids", "in", cve.ids)]
            )

    @api.depends("name")
    def _compute_nvd_url(self):
        for cve in self:
            cve.nvd_url = (
                f"https://nvd.nist.gov/vuln/detail/{cve.name}" if cve.name else False
            )

    def write(self, vals):
        self._dm_check_client_input([vals])
        if "name" in vals and not self.env.su:
            raise UserError(
                self.env._("The identifier of a recorded CVE cannot be changed.")
            )
        return super().write(vals)
