from odoo import api, fields, models
from odoo.addons.medical_device.tools import reader_text as rt
from odoo.exceptions import UserError, ValidationError
from odoo.tools.translate import LazyTranslate

from ..tools import versions
from ..tools.selections import VERSION_STATES
from .dm_software import INSTALLERS, REGULATORY

_lt = LazyTranslate(__name__)

# What was validated: frozen once the version leaves the proposal.
CONTENT_FIELDS = {
    "software_id",
    "version",
    "release_date",
    "release_notes",
    "release_note_attachment_ids",
    "changes_class",
    "changes_intended_purpose",
}


class DmSoftwareVersion(models.Model):
    """A version of a software: proposed, validated by the pharmacist or the
    biomedical engineer, then installed on sites (see dm.software.install)."""

    _name = "dm.software.version"
    _description = "Software version"
    _inherit = ["mail.thread", "dm.workflow.mixin"]
    # Natural order, newest first: 2.10 before 2.9.
    _order = "software_id, version_sort_key desc, id desc"
    _rec_names_search = ["version", "software_id"]
    _check_company_auto = True

    # The workflow (dm.workflow.mixin): validated by the pharmacist or the
    # engineer, installed and rolled back by technicians (the Install and Roll
    # back wizards), withdrawn by the pharmacist or the engineer.
    _dm_transitions = {
        ("proposed", "validated"): REGULATORY,
        ("validated", "installed"): INSTALLERS,
        ("installed", "rolled_back"): INSTALLERS,
        ("proposed", "withdrawn"): REGULATORY,
        ("validated", "withdrawn"): REGULATORY,
        ("installed", "withdrawn"): REGULATORY,
        ("rolled_back", "withdrawn"): REGULATORY,
    }
    _dm_state_stamps = {"validated": ("validated_by_id", "validated_on")}
    _dm_editable_states = dict.fromkeys(CONTENT_FIELDS, ("proposed",))
    _dm_deletable_states = ("proposed",)

    software_id = fields.Many2one(
        "dm.software",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        related="software_id.company_id", store=True, index=True, precompute=True
    )
    active = fields.Boolean(default=True)
    version = fields.Char(required=True, tracking=True)
    version_sort_key = fields.Char(
        compute="_compute_version_sort_key",
        store=True,
        index=True,
        help="Technical: the version in natural order (2.10 after 2.9).",
    )
    release_date = fields.Date(tracking=True)
    release_notes = fields.Text(
        help="What changes in this version (or attach the publisher's notes)."
    )
    release_note_attachment_ids = fields.Many2many(
        "ir.attachment",
        "dm_software_version_attachment_rel",
        "version_id",
        "attachment_id",
        string="Release notes (files)",
    )
    changes_class = fields.Boolean(
        string="Changes the CE marking or class",
        tracking=True,
        help="New certificate, new class or new CE regime: the software is "
        "qualified again before this version is installed.",
    )
    changes_intended_purpose = fields.Boolean(
        string="Changes the intended purpose",
        tracking=True,
        help="New indications, users or medical functions: the software is "
        "qualified again before this version is installed.",
    )
    requires_requalification = fields.Boolean(
        compute="_compute_requires_requalification", store=True
    )
    requalified = fields.Boolean(
        string="Qualified again",
        compute="_compute_requalified",
        help="A qualification confirmed for this version.",
    )
    state = fields.Selection(
        VERSION_STATES,
        default="proposed",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
    )
    validated_by_id = fields.Many2one(
        "res.users", string="Validated by", readonly=True, copy=False, tracking=True
    )
    validated_on = fields.Datetime(readonly=True, copy=False)
    install_ids = fields.One2many(
        "dm.software.install", "version_id", string="Installations"
    )
    installed_on = fields.Date(
        string="First installed on",
        compute="_compute_install_state",
        store=True,
    )
    site_ids = fields.Many2many(
        "dm.software.site",
        string="Sites",
        compute="_compute_installs",
        help="Sites where it was installed.",
    )
    installed_equipment_ids = fields.Many2many(
        "maintenance.equipment",
        string="Installed on devices",
        compute="_compute_installs",
    )
    install_modes = fields.Char(
        string="Performed", compute="_compute_installs", help="On site or remotely."
    )
    is_current = fields.Boolean(
        string="Current",
        compute="_compute_install_state",
        store=True,
        help="The current version on at least one site.",
    )

    # ------------------------------------------------------------ computes
    @api.depends("version")
    def _compute_version_sort_key(self):
        for record in self:
            try:
                record.version_sort_key = versions.version_key(record.version or "")
            except versions.VersionError:
                record.version_sort_key = False

    @api.depends("changes_class", "changes_intended_purpose")
    def _compute_requires_requalification(self):
        for record in self:
            record.requires_requalification = (
                record.changes_class or record.changes_intended_purpose
            )

    def _compute_requalified(self):
        # sudo: the gate reads the qualifications whoever installs.
        confirmed = (
            self.env["dm.software.qualification"]
            .sudo()
            .search([("version_id", "in", self.ids), ("state", "=", "confirmed")])
        )
        for record in self:
            # A qualification of this software: a wizard's "for version" may
            # name another software's version.
            record.requalified = bool(
                confirmed.filtered(
                    lambda q, v=record: (
                        q.version_id == v and q.software_id == v.software_id
                    )
                )
            )

    @api.depends("install_ids.state", "install_ids.install_date")
    def _compute_install_state(self):
        for record in self:
            dates = [d for d in record.install_ids.mapped("install_date") if d]
            record.installed_on = min(dates) if dates else False
            record.is_current = any(i.state == "current" for i in record.install_ids)

    @api.depends("install_ids.site_id", "install_ids.mode", "install_ids.equipment_ids")
    def _compute_installs(self):
        modes = dict(
            self.env["dm.software.install"]
            ._fields["mode"]
            ._description_selection(self.env)
        )
        for record in self:
            installs = record.install_ids
            record.site_ids = installs.site_id
            record.installed_equipment_ids = installs.equipment_ids
            record.install_modes = ", ".join(
                modes[m] for m in dict.fromkeys(installs.mapped("mode")) if m
            )

    @api.depends("software_id.name", "version")
    def _compute_display_name(self):
        for record in self:
            record.display_name = f"{record.software_id.name or ''} {record.version}"

    # ------------------------------------------------------------ constraints
    @api.constrains("version", "software_id")
    def _check_version(self):
        for record in self:
            if not record.version_sort_key and _too_long(record.version or ""):
                raise ValidationError(
                    self.env._(
                        "A version has at most %(max)s characters and numbers of "
                        "at most %(digits)s digits (found %(length)s characters).",
                        max=versions.MAX_LENGTH,
                        digits=versions.MAX_NUMBER_DIGITS,
                        length=len(record.version or ""),
                    )
                )
            if not record.version_sort_key:
                raise ValidationError(
                    self.env._(
                        "'%(version)s' is not a version: it needs digits or letters.",
                        version=record.version,
                    )
                )
            duplicate = self.with_context(active_test=False).search(
                [
                    ("id", "!=", record.id),
                    ("software_id", "=", record.software_id.id),
                    ("version_sort_key", "=", record.version_sort_key),
                ],
                limit=1,
            )
            if duplicate:
                raise ValidationError(
                    self.env._(
                        "%(software)s already has version %(version)s.",
                        software=record.software_id.display_name,
                        version=duplicate.version,
                    )
                )

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._dm_check_create_input(vals)
            if vals.get("version"):
                vals["version"] = vals["version"].strip()
        return super().create(vals_list)

    def write(self, vals):
        self._dm_check_input_vals(vals)
        if vals.get("version"):
            vals["version"] = vals["version"].strip()
        return super().write(vals)

    # ------------------------------------------------------------ workflow
    @api.model
    def _dm_create_state_message(self, state):
        return self.env._(
            "A new version is proposed; it is validated with its Validate action."
        )

    @api.model
    def _dm_protected_message(self, fnames):
        if set(fnames) & self._dm_computed_readonly_fields():
            return super()._dm_protected_message(fnames)
        return self.env._(
            "The state of a version changes only through its actions "
            "(validate, install, roll back, withdraw)."
        )

    def _dm_frozen_message(self, fnames):
        return self.env._(
            "%(version)s is %(state)s: what was validated cannot change; "
            "propose a new version instead.",
            version=self.display_name,
            state=self._dm_state_label(),
        )

    def _dm_history_reasons(self):
        reasons = super()._dm_history_reasons()
        if self.install_ids:
            reasons.append(self.env._("installations"))
        return reasons

    def _dm_history_message(self, reasons):
        return self.env._(
            "%(version)s is part of the software's history: archive it "
            "instead of deleting it.",
            version=self.display_name,
        )

    def _dm_needs_requalification(self):
        """From what the version changes, not from the stored flag."""
        self.ensure_one()
        return self.changes_class or self.changes_intended_purpose

    def _current_installs(self):
        self.ensure_one()
        return self.install_ids.filtered(lambda i: i.state == "current")

    def _post_on_software(self, spec):
        """A note (a reader text) on the software."""
        # sudo: the note goes on the software whoever acts on the version.
        self.software_id.sudo()._dm_post_note(spec)

    # ------------------------------------------------------------ actions
    def action_validate(self):
        """The pharmacist or the biomedical engineer accepts the version for
        installation, from its release notes."""
        self._dm_check_role("proposed", "validated")
        for record in self:
            if record.state != "proposed":
                raise UserError(
                    self.env._(
                        "%(version)s is %(state)s: only a proposed version is "
                        "validated.",
                        version=record.display_name,
                        state=record._dm_state_label(),
                    )
                )
            if record.software_id.lifecycle_state == "withdrawn":
                raise UserError(
                    self.env._(
                        "%(software)s is withdrawn.",
                        software=record.software_id.display_name,
                    )
                )
            if not (record.release_notes or "").strip() and not (
                record.release_note_attachment_ids
            ):
                raise UserError(
                    self.env._(
                        "%(version)s has no release notes: write them or attach the "
                        "publisher's before validating.",
                        version=record.display_name,
                    )
                )
            record._dm_set_state("validated")
            record._post_on_software(
                rt.msg(
                    _lt("Version %(version)s validated by %(user)s."),
                    version=record.version,
                    user=self.env.user.name,
                )
            )
            if record._dm_needs_requalification():
                record.software_id._reopen_qualification(
                    rt.msg(
                        _lt(
                            "version %(version)s changes the CE marking, the class "
                            "or the intended purpose"
                        ),
                        version=record.version,
                    ),
                    version=record,
                )
        return True

    def action_withdraw(self):
        """The version must not be used (any more): withdrawn, kept as history."""
        self._dm_check_transition("withdrawn")
        for record in self:
            if record.state == "withdrawn":
                continue
            current = record._current_installs()
            if current:
                raise UserError(
                    self.env._(
                        "%(version)s is the current version on %(sites)s: install "
                        "another version or roll it back first.",
                        version=record.display_name,
                        sites=", ".join(current.site_id.mapped("name")),
                    )
                )
            record._dm_set_state("withdrawn")
            record._post_on_software(
                rt.msg(_lt("Version %(version)s withdrawn."), version=record.version)
            )
        return True

    def _open_install_wizard(self, operation):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Install %(version)s", version=self.display_name)
            if operation == "install"
            else self.env._("Roll back %(version)s", version=self.display_name),
            "res_model": "dm.software.install.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_version_id": self.id, "default_operation": operation},
        }

    def action_open_install_wizard(self):
        return self._open_install_wizard("install")

    def action_open_rollback_wizard(self):
        return self._open_install_wizard("rollback")


def _too_long(version):
    try:
        versions.version_key(version)
    except versions.VersionTooLongError:
        return True
    except versions.VersionError:
        return False
    return False
