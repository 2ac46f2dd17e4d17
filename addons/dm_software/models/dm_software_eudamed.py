from odoo import api, models
from odoo.addons.medical_device.models.dm_eudamed_mixin import EUDAMED_STATE_FIELDS


class DmSoftware(models.Model):
    """The software's registration in EUDAMED: looked up by UDI-DI or Basic
    UDI-DI, differences shown and applied by choice (its class stays the
    qualification's)."""

    _inherit = ["dm.software", "dm.eudamed.mixin"]
    _name = "dm.software"

    @api.model
    def _dm_client_protected_fields(self):
        return super()._dm_client_protected_fields() | set(EUDAMED_STATE_FIELDS)

    def _dm_eudamed_appliable(self):
        # The class is the confirmed qualification's (MDR rule 11): shown, not
        # applied.
        return super()._dm_eudamed_appliable() - {"dm_risk_class"}

    def _dm_eudamed_manufacturer(self):
        return self.publisher_id
