from odoo import fields, models


class DmAdvisory(models.Model):
    """A security advisory (a CISA ICSMA in CSAF 2.0, or a CVE of the NVD
    with its affected configurations): the products and versions it says
    are affected, matched against the fleet into dm.vulnerability lines."""

    _name = "dm.advisory"
    _description = "Security advisory"
    _inherit = ["mail.thread", "mail.activity.mixin", "dm.input.guard"]
    _order = "current_release_date desc, id desc"

    name = fields.Char(string="Reference", required=True, index=True, tracking=True)
    title = fields.Char(tracking=True)
    publisher = fields.Char()
    revision = fields.Char(tracking=True)
    source_kind = fields.Selection(
        [("csaf", "CSAF 2.0"), ("nvd", "NVD"), ("manual", "Entered by hand")],
        required=True,
        default="manual",
    )
    source_id = fields.Many2one("dm.advisory.source", ondelete="set null")
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

    _name_unique = models.Constraint(
        "UNIQUE (name, source_kind)", "An advisory is recorded once per source."
    )
