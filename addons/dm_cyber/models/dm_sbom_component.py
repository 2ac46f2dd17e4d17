from odoo import api, fields, models
from odoo.exceptions import AccessError


class DmSbomComponent(models.Model):
    """A component of an SBOM: what a vulnerability is matched against (its
    purl or CPE, with its version).

    Derived data: written only by the reading of its SBOM's file
    (``dm.sbom._dm_store_reading``, in sudo); no role has write access."""

    _name = "dm.sbom.component"
    _description = "SBOM component"
    _order = "sbom_id, name, id"
    _rec_names_search = ["name", "purl", "cpe"]

    sbom_id = fields.Many2one(
        "dm.sbom",
        string="SBOM",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    name = fields.Char(required=True, readonly=True)
    version = fields.Char(readonly=True)
    supplier = fields.Char(readonly=True)
    purl = fields.Char(
        string="Package URL (purl)",
        readonly=True,
        help="The package URL of the component (pkg:type/namespace/name@version).",
    )
    cpe = fields.Char(
        string="CPE",
        readonly=True,
        help="The CPE name of the component (cpe:2.3:a:vendor:product:version…).",
    )
    bom_ref = fields.Char(string="BOM reference", readonly=True)
    # A normalized name (purl type/namespace/name, else CPE vendor:product,
    # else the name) that narrows matching in SQL before versions compare.
    match_key = fields.Char(
        string="Match key",
        index=True,
        readonly=True,
        help="Technical: the component's identity as vulnerabilities are matched "
        "(package URL without version, else CPE vendor and product, else "
        "supplier and name).",
    )
    company_id = fields.Many2one(
        related="sbom_id.company_id", store=True, index=True, precompute=True
    )
    equipment_id = fields.Many2one(
        related="sbom_id.equipment_id", store=True, index=True, precompute=True
    )
    dm_model_name = fields.Char(
        related="sbom_id.dm_model_name", store=True, index=True, precompute=True
    )
    dm_model_manufacturer_id = fields.Many2one(
        related="sbom_id.dm_model_manufacturer_id", store=True, precompute=True
    )
    sbom_format = fields.Selection(related="sbom_id.sbom_format")
    sbom_active = fields.Boolean(
        string="SBOM active", related="sbom_id.active", store=True, index=True
    )

    def _dm_check_server_write(self):
        # Belt and braces: the access rights give no role write access; a
        # client that had it (a new group) still may not rewrite the reading.
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "The components of an SBOM are read from its file: upload the "
                    "file again instead of changing them."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._dm_check_server_write()
        return super().create(vals_list)

    def write(self, vals):
        self._dm_check_server_write()
        return super().write(vals)

    def unlink(self):
        self._dm_check_server_write()
        return super().unlink()
