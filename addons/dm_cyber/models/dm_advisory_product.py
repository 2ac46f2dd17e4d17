from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.vuln_match import component_match_key

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
    _inherit = ["dm.input.guard", "dm.advisory.guard"]
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
    match_key = fields.Char(
        index=True,
        compute="_compute_match_key",
        store=True,
        precompute=True,
        readonly=True,
        help="Identity of the product compared with the SBOM components' "
        "(package URL, else CPE vendor and product, else vendor and name).",
    )
    all_versions = fields.Boolean()
    version = fields.Char(string="Exact version")
    start_including = fields.Char(string="From (included)")
    start_excluding = fields.Char(string="After (excluded)")
    end_including = fields.Char(string="Up to (included)")
    end_excluding = fields.Char(string="Before (excluded)")
    vers = fields.Char(string="Version range (vers)")
    remediation = fields.Text()
    remediation_url = fields.Char(string="Remediation URL")
    source_ref = fields.Char(
        string="Reference in the source",
        readonly=True,
        help="The product's id in the advisory (CSAF product id, NVD CPE "
        "match): a new revision updates the line of the same product and CVE.",
    )
    known_exploited = fields.Boolean(related="cve_id.known_exploited")
    cvss_score = fields.Float(related="cve_id.cvss_score")

    @api.depends("product", "vendor", "cpe", "purl")
    def _compute_match_key(self):
        for line in self:
            line.match_key = (
                component_match_key(
                    name=line.product, purl=line.purl, cpe=line.cpe, vendor=line.vendor
                )
                or False
            )

    # ------------------------------------------------------------ guard
    @api.model
    def _dm_client_protected_fields(self):
        return {"match_key", "source_ref", "known_exploited", "cvss_score"}

    def _dm_check_manual(self, advisories, operation):
        if self.env.su:
            return
        # The role's rights first: a role that may not write is told so.
        self.check_access(operation)
        imported = advisories.filtered(lambda a: a.source_kind != "manual")
        if imported:
            raise UserError(
                self.env._(
                    "The products of %(advisory)s come from its source's file: "
                    "they change when its new revision is imported.",
                    advisory=imported[:1].display_name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self._dm_check_client_input(vals_list, create=True)
            default = self.env.context.get("default_advisory_id")
            ids = {vals.get("advisory_id", default) for vals in vals_list}
            self._dm_check_manual(
                self.env["dm.advisory"].browse(
                    [i for i in ids if isinstance(i, int) and i]
                ),
                "create",
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self._dm_check_client_input([vals])
            self._dm_check_manual(self.advisory_id, "write")
            if vals.get("advisory_id"):
                self._dm_check_manual(
                    self.env["dm.advisory"].browse(vals["advisory_id"]), "write"
                )
        return super().write(vals)

    def unlink(self):
        self._dm_check_manual(self.advisory_id, "unlink")
        return super().unlink()
