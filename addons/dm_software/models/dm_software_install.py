from odoo import api, fields, models
from odoo.exceptions import UserError

from .dm_software import INSTALLERS

# The remote maintenance log of the optional addon dm_cyber.
REMOTE_SESSION_MODEL = "dm.remote.session"
# Sessions that actually took place (requested, refused ones did not).
REMOTE_SESSION_DONE_STATES = ("in_progress", "done")
INSTALL_MODES = [("on_site", "On site"), ("remote", "Remotely")]


def remote_session_selection(env):
    """The remote maintenance log as a reference target, when dm_cyber is
    installed; nothing otherwise (dm_software does not depend on it)."""
    if REMOTE_SESSION_MODEL in env:
        return [(REMOTE_SESSION_MODEL, env._("Remote maintenance session"))]
    return []


class DmSoftwareInstall(models.Model):
    """One installation of a version on a site: the history of updates. A site
    has exactly one current version of each software."""

    _name = "dm.software.install"
    _inherit = ["dm.workflow.mixin"]
    _description = "Software installation"
    _order = "install_date desc, id desc"
    _check_company_auto = True

    # The workflow (dm.workflow.mixin): created by the version's Install and
    # Roll back actions only, then history: only its note changes.
    _dm_transitions = {
        ("current", "replaced"): INSTALLERS,
        ("current", "rolled_back"): INSTALLERS,
    }
    _dm_create_states = ()
    _dm_frozen_states = ("current", "replaced", "rolled_back")
    _dm_always_writable = ("note",)
    _dm_protected_fields = ("installed_by_id",)
    _dm_deletable_states = ()

    version_id = fields.Many2one(
        "dm.software.version",
        required=True,
        ondelete="restrict",
        index=True,
        readonly=True,
    )
    # Set from the version at creation (a precomputed related field would leave
    # its draft record in the software's installations).
    software_id = fields.Many2one(
        "dm.software",
        required=True,
        index=True,
        readonly=True,
        ondelete="restrict",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="version_id.company_id", store=True, index=True, precompute=True
    )
    site_id = fields.Many2one(
        "dm.software.site",
        required=True,
        ondelete="restrict",
        index=True,
        readonly=True,
        check_company=True,
    )
    equipment_ids = fields.Many2many(
        "maintenance.equipment",
        "dm_software_install_equipment_rel",
        "install_id",
        "equipment_id",
        string="Devices",
        readonly=True,
        check_company=True,
        help="The devices the version was installed on, if any.",
    )
    install_date = fields.Date(
        string="Installed on", required=True, readonly=True, index=True
    )
    installed_by_id = fields.Many2one("res.users", string="By", readonly=True)
    mode = fields.Selection(
        INSTALL_MODES, string="Performed", required=True, readonly=True
    )
    remote_session_ref = fields.Reference(
        selection="_selection_remote_session_model",
        string="Remote maintenance session",
        readonly=True,
        help="The logged remote maintenance session of the update (dm_cyber).",
    )
    note = fields.Text()
    state = fields.Selection(
        [
            ("current", "Current"),
            ("replaced", "Replaced"),
            ("rolled_back", "Rolled back"),
        ],
        required=True,
        readonly=True,
        index=True,
    )

    _one_current_version_per_site = models.UniqueIndex(
        "(software_id, site_id) WHERE state = 'current'",
        "A site has exactly one current version of a software.",
    )

    @api.model
    def _selection_remote_session_model(self):
        return remote_session_selection(self.env)

    @api.depends("version_id", "site_id")
    def _compute_display_name(self):
        for install in self:
            install.display_name = (
                f"{install.version_id.display_name} — {install.site_id.name or ''}"
            )

    # ------------------------------------------------------------ workflow
    @api.model
    def _dm_no_create_message(self):
        return self.env._(
            "A version is installed with its Install action, which checks "
            "that it is validated."
        )

    @api.model
    def _dm_protected_message(self, fnames):
        return self.env._(
            "An installation is part of the software's history: only its "
            "note can change."
        )

    def _dm_frozen_message(self, fnames):
        return self._dm_protected_message(fnames)

    def _dm_history_message(self, reasons):
        return self.env._(
            "Installations are part of the software's history: they cannot be deleted."
        )

    # ------------------------------------------------------------ helpers
    def _previous_install(self):
        """The installation this one replaced on its site, if still usable."""
        self.ensure_one()
        return self.search(
            [
                ("software_id", "=", self.software_id.id),
                ("site_id", "=", self.site_id.id),
                ("state", "=", "replaced"),
                ("id", "!=", self.id),
                ("version_id.state", "not in", ("withdrawn", "rolled_back")),
                ("version_id", "!=", self.version_id.id),
            ],
            order="install_date desc, id desc",
            limit=1,
        )

    @api.model
    def _check_remote_session(self, software, mode, session, devices):
        """A remote update is tied to its logged session when dm_cyber is
        installed: a session that took place, on one of the devices."""
        if mode != "remote":
            if session:
                raise UserError(
                    self.env._(
                        "A remote maintenance session goes with a remote update only."
                    )
                )
            return
        if REMOTE_SESSION_MODEL not in self.env:
            return
        if not session:
            raise UserError(
                self.env._(
                    "A remote update is logged: choose its remote maintenance session."
                )
            )
        # sudo: the installer reads the session's log, whoever authorised it.
        session = session.sudo().exists()
        if not session or session._name != REMOTE_SESSION_MODEL:
            raise UserError(
                self.env._("The remote maintenance session does not exist.")
            )
        if session.state not in REMOTE_SESSION_DONE_STATES:
            raise UserError(
                self.env._(
                    "The remote maintenance session %(session)s is %(state)s: only "
                    "a session that took place logs an update.",
                    session=session.display_name,
                    state=session._dm_state_label(),
                )
            )
        devices = devices or software.equipment_ids
        if devices and session.equipment_id not in devices:
            raise UserError(
                self.env._(
                    "The remote maintenance session %(session)s was on %(device)s, "
                    "not on a device of this installation.",
                    session=session.display_name,
                    device=session.equipment_id.display_name,
                )
            )
