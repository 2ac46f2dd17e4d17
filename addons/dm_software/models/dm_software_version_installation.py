"""The installation of a software version on sites, and its roll back.

The Install and Roll back wizards (``dm.software.install.wizard``) call
:meth:`_install` and :meth:`_rollback`; each writes a ``dm.software.install``
(history) and moves the version's workflow (declared with the model in
``dm_software_version.py``).
"""

from odoo import fields, models
from odoo.addons.medical_device.tools import reader_text as rt
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from ..tools import versions

_lt = LazyTranslate(__name__)

INSTALLABLE_STATES = ("validated", "installed")


class DmSoftwareVersion(models.Model):
    _inherit = "dm.software.version"

    # ------------------------------------------------------------ installation
    def _check_installable(self, site):
        self.ensure_one()
        software = self.software_id
        if self.state not in INSTALLABLE_STATES:
            raise UserError(
                self.env._(
                    "%(version)s is %(state)s: only a validated version can be "
                    "installed.",
                    version=self.display_name,
                    state=self._dm_state_label(),
                )
            )
        if software.lifecycle_state not in ("reception", "in_use", "suspended"):
            raise UserError(
                self.env._(
                    "%(software)s is in %(state)s: versions are installed from its "
                    "reception on, and until it is withdrawn.",
                    software=software.display_name,
                    state=software._dm_state_label(),
                )
            )
        if self._dm_needs_requalification() and not self.requalified:
            raise UserError(
                self.env._(
                    "%(version)s changes the CE marking, the class or the intended "
                    "purpose: qualify %(software)s again, and have the qualification "
                    "confirmed, before installing it.",
                    version=self.display_name,
                    software=software.display_name,
                )
            )
        if site.company_id and site.company_id != software.company_id:
            raise UserError(
                self.env._(
                    "The site %(site)s belongs to another company.", site=site.name
                )
            )
        current = software.install_ids.filtered(
            lambda i: i.state == "current" and i.site_id == site
        )
        if current.version_id == self:
            raise UserError(
                self.env._(
                    "%(version)s is already the current version on %(site)s.",
                    version=self.display_name,
                    site=site.name,
                )
            )
        if (
            current
            and versions.compare_versions(self.version, current.version_id.version) < 0
        ):
            raise UserError(
                self.env._(
                    "%(version)s is older than %(current)s, the current version on "
                    "%(site)s: go back with Roll back on %(current)s.",
                    version=self.version,
                    current=current.version_id.version,
                    site=site.name,
                )
            )
        return current

    def _install_values(self, site, devices, install_date, mode, session, note):
        Install = self.env["dm.software.install"]
        Install._check_remote_session(self.software_id, mode, session, devices)
        return {
            "version_id": self.id,
            "software_id": self.software_id.id,
            "site_id": site.id,
            "equipment_ids": [fields.Command.set(devices.ids)],
            "install_date": install_date or fields.Date.context_today(self),
            "mode": mode,
            "remote_session_ref": f"{session._name},{session.id}" if session else False,
            "note": note or False,
            "state": "current",
            "installed_by_id": self.env.uid,
        }

    def _install(
        self,
        site,
        devices=None,
        install_date=None,
        mode="on_site",
        session=None,
        note=None,
    ):
        """Make this version the current one on ``site``, installed on
        ``devices`` (maintenance.equipment), on site or remotely (``session``:
        the dm_cyber remote maintenance session that logged it)."""
        self.ensure_one()
        # Who installs or rolls back: who may move a version to installed.
        self._dm_check_role("validated", "installed")
        current = self._check_installable(site)
        devices = devices or self.env["maintenance.equipment"]
        vals = self._install_values(site, devices, install_date, mode, session, note)
        # The previous installation is replaced first (one current version per
        # site).
        current._dm_set_state("replaced")
        current.flush_recordset()
        # sudo: installations are history written by this action only.
        install = self.env["dm.software.install"].sudo().create(vals).sudo(False)
        if self.state == "validated":
            self._dm_set_state("installed")
        mode = rt.selection(install._name, "mode", install.mode)
        if current:
            body = rt.msg(
                _lt(
                    "Version %(version)s installed on %(site)s (%(mode)s) by "
                    "%(user)s, replacing %(old)s."
                ),
                version=self.version,
                site=site.name,
                mode=mode,
                user=self.env.user.name,
                old=current.version_id.version,
            )
        else:
            body = rt.msg(
                _lt(
                    "Version %(version)s installed on %(site)s (%(mode)s) by %(user)s."
                ),
                version=self.version,
                site=site.name,
                mode=mode,
                user=self.env.user.name,
            )
        self._post_on_software(body)
        return install

    def _rollback(
        self, site, install_date=None, mode="on_site", session=None, note=None
    ):
        """Go back on ``site`` from this version to the one it replaced."""
        self.ensure_one()
        # Who installs or rolls back: who may move a version to installed.
        self._dm_check_role("validated", "installed")
        current = self.install_ids.filtered(
            lambda i: i.state == "current" and i.site_id == site
        )
        if not current:
            raise UserError(
                self.env._(
                    "%(version)s is not the current version on %(site)s: there is "
                    "nothing to roll back.",
                    version=self.display_name,
                    site=site.name,
                )
            )
        if not (note or "").strip():
            raise UserError(self.env._("Say why the version is rolled back."))
        previous = current._previous_install()
        if not previous:
            raise UserError(
                self.env._(
                    "No earlier usable version was installed on %(site)s: there is "
                    "nothing to go back to.",
                    site=site.name,
                )
            )
        vals = previous.version_id._install_values(
            site, previous.equipment_ids, install_date, mode, session, note
        )
        current._dm_set_state("rolled_back")
        current.flush_recordset()
        # sudo: see _install.
        install = self.env["dm.software.install"].sudo().create(vals).sudo(False)
        if not self._current_installs():
            self._dm_set_state("rolled_back")
        self._post_on_software(
            rt.msg(
                _lt(
                    "Version %(version)s rolled back on %(site)s: %(previous)s is "
                    "current again. Reason: %(reason)s"
                ),
                version=self.version,
                site=site.name,
                previous=previous.version_id.version,
                reason=note,
            )
        )
        return install
