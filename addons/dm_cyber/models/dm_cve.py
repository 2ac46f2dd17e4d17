from odoo import fields, models


class DmCve(models.Model):
    """A CVE as the public sources describe it: NVD (description, CVSS
    vector), CISA's catalogue of known exploited vulnerabilities (KEV) and
    FIRST's EPSS score. Written by the importers only; read by everyone."""

    _name = "dm.cve"
    _description = "Vulnerability (CVE)"
    _inherit = ["mail.thread"]
    _order = "name desc"

    name = fields.Char(string="CVE", required=True, index=True, readonly=True)
    description = fields.Text(readonly=True)
    published_on = fields.Datetime(readonly=True)
    last_modified_on = fields.Datetime(readonly=True)
    cvss_vector = fields.Char(string="CVSS vector", readonly=True)
    cvss_version = fields.Char(string="CVSS version", readonly=True)
    cvss_score = fields.Float(string="CVSS score", digits=(3, 1), readonly=True)
    epss_score = fields.Float(string="EPSS", digits=(6, 5), readonly=True)
    epss_percentile = fields.Float(
        string="EPSS percentile", digits=(6, 5), readonly=True
    )
    epss_date = fields.Date(string="EPSS date", readonly=True)
    known_exploited = fields.Boolean(readonly=True, index=True, tracking=True)
    kev_date_added = fields.Date(string="Added to KEV on", readonly=True)
    kev_due_date = fields.Date(string="KEV due date", readonly=True)
    kev_ransomware = fields.Boolean(string="Used by ransomware", readonly=True)
    kev_required_action = fields.Text(string="Required action (KEV)", readonly=True)
    kev_vendor = fields.Char(string="Vendor (KEV)", readonly=True)
    kev_product = fields.Char(string="Product (KEV)", readonly=True)

    _name_unique = models.Constraint("UNIQUE (name)", "A CVE is recorded once.")
