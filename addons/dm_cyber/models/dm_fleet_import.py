from odoo import api, models
from odoo.addons.medical_device.tools import fleet_import

from ..tools import fleet_import_cyber


class DmFleetImport(models.Model):
    _inherit = "dm.fleet.import"

    @api.model
    def _dm_import_targets(self):
        """The columns of the cyber matrix."""
        return super()._dm_import_targets() | fleet_import_cyber.TARGETS

    def _load_reference_data(self, state):
        """Operating systems, by name, by vendor and name, by product and
        version: read once per run."""
        result = super()._load_reference_data(state)
        names = state.references.setdefault("os_version", {})
        versions = (
            self.env["dm.os.version"]
            .sudo()
            .with_context(active_test=False)
            .search_fetch([], ["name", "vendor", "product", "version", "active"])
        )
        # Active versions win over archived ones of the same name.
        for version in versions.sorted(lambda v: v.active):
            for label in (
                version.name,
                f"{version.vendor} {version.name}",
                f"{version.product} {version.version or ''}",
            ):
                names[fleet_import.normalize_header(label)] = version.id
        return result

    def _dm_import_lookup(self, state, target, value):
        if target != "os_version":
            return super()._dm_import_lookup(state, target, value)
        version = state.references["os_version"].get(
            fleet_import.normalize_header(value)
        )
        if not version:
            return None, self.env._(
                "Unknown operating system %(value)s: add it in "
                "Configuration › OS versions, then import again.",
                value=value,
            )
        return version, None
