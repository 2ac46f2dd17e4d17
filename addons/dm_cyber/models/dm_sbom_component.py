from odoo import fields, models


class DmSbomComponent(models.Model):
    """A component of an SBOM: what a vulnerability is matched against (its
    purl or CPE, with its version)."""

    _name = "dm.sbom.component"
    _description = "SBOM component"
    _order = "sbom_id, name, id"

    sbom_id = fields.Many2one(
        "dm.sbom", required=True, ondelete="cascade", index=True, readonly=True
    )
    name = fields.Char(required=True, readonly=True)
    version = fields.Char(readonly=True)
    supplier = fields.Char(readonly=True)
    purl = fields.Char(string="Package URL (purl)", readonly=True)
    cpe = fields.Char(string="CPE", readonly=True)
    bom_ref = fields.Char(string="BOM reference", readonly=True)
    # A normalized name (purl type/namespace/name, else CPE vendor:product,
    # else the name) that narrows matching in SQL before versions compare.
    match_key = fields.Char(index=True, readonly=True)
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
