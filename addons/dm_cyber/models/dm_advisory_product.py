from odoo import fields, models

PRODUCT_STATUSES = [
    ("affected", "Affected"),
    ("fixed", "Fixed"),
    ("not_affected", "Not affected"),
]


class DmAdvisoryProduct(models.Model):
    """A product and version range an advisory names for one CVE: vendor +
    product (a device's manufacturer + model, with its firmware or OS
    version), or a CPE or purl (an SBOM component with its version). The
    range mirrors tools.vuln_match.AffectedRange (one of its forms)."""

    _name = "dm.advisory.product"
    _description = "Product named by an advisory"
    _order = "advisory_id, id"

    advisory_id = fields.Many2one(
        "dm.advisory", required=True, ondelete="cascade", index=True
    )
    cve_id = fields.Many2one("dm.cve", string="CVE", index=True, ondelete="restrict")
    status = fields.Selection(PRODUCT_STATUSES, required=True, default="affected")
    vendor = fields.Char()
    product = fields.Char()
    cpe = fields.Char(string="CPE", index=True)
    purl = fields.Char(string="Package URL (purl)", index=True)
    # Normalized like dm.sbom.component.match_key (same function).
    match_key = fields.Char(index=True)
    all_versions = fields.Boolean()
    version = fields.Char(string="Exact version")
    start_including = fields.Char(string="From (included)")
    start_excluding = fields.Char(string="After (excluded)")
    end_including = fields.Char(string="Up to (included)")
    end_excluding = fields.Char(string="Before (excluded)")
    vers = fields.Char(string="Version range (vers)")
    remediation = fields.Text()
    remediation_url = fields.Char(string="Remediation URL")
