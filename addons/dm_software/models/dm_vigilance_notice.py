from odoo import models
from odoo.addons.medical_device.tools import vigilance_match
from odoo.addons.medical_device.tools.messages import error_message
from odoo.exceptions import ValidationError
from odoo.fields import Domain

from ..tools import versions


class DmVigilanceNotice(models.Model):
    """A safety notice's software and firmware versions, matched against the
    versions installed on the devices (natural order: 2.10 after 2.9)."""

    _inherit = "dm.vigilance.notice"

    def _dm_scope(self):
        scope = super()._dm_scope()
        try:
            scope["versions"] = vigilance_match.parse_version_ranges(
                self.software_versions, versions.version_key
            )
        except vigilance_match.ScopeError as error:
            raise ValidationError(
                self.env._(
                    "%(notice)s: %(message)s",
                    notice=self.display_name or self.name,
                    message=error_message(self.env, error),
                )
            ) from error
        return scope

    def _dm_scope_is_empty(self, scope):
        return super()._dm_scope_is_empty(scope) and not scope.get("versions")

    def _dm_installed_versions(self):
        """``{device id: [(software, version)]}``: the current version of each
        software on the devices of the notice's company, through the
        installation's devices or the software's own; with a manufacturer on
        the notice, only the software it publishes or its devices run."""
        self.ensure_one()
        # sudo: the match reads every installation of the company, whoever
        # runs it (the notice's record rule keeps other companies out).
        installs = (
            self.env["dm.software.install"]
            .sudo()
            .search(
                [("state", "=", "current"), ("company_id", "=", self.company_id.id)]
            )
        )
        maker = self.manufacturer_id
        result = {}
        for install in installs:
            software = install.software_id
            devices = install.equipment_ids | software.equipment_ids
            for device in devices:
                if (
                    maker
                    and software.publisher_id != maker
                    and device.manufacturer_id != maker
                ):
                    continue
                entry = (software.name, install.version_id.version)
                result.setdefault(device.id, [])
                if entry not in result[device.id]:
                    result[device.id].append(entry)
        return result

    def _dm_version_reasons(self, scope):
        """``{device id: (version, line)}`` of the devices running a version
        in the notice's ranges."""
        result = {}
        for device_id, installed in self._dm_installed_versions().items():
            for software, version in installed:
                line = vigilance_match.version_matches(
                    version, scope["versions"], versions.version_key
                )
                if line is not None:
                    result[device_id] = (f"{software} {version}", line)
                    break
        return result

    def _dm_candidate_domain(self, scope):
        domain = super()._dm_candidate_domain(scope)
        if scope.get("versions"):
            scope["version_reasons"] = self._dm_version_reasons(scope)
            domain &= Domain("id", "in", list(scope["version_reasons"]))
        return domain

    def _dm_device_reasons(self, scope, devices):
        result = super()._dm_device_reasons(scope, devices)
        if not scope.get("versions"):
            return result
        matched = scope.get("version_reasons") or self._dm_version_reasons(scope)
        return {
            device_id: [*reasons, ("software_version", *matched[device_id])]
            for device_id, reasons in result.items()
            if device_id in matched
        }
