from odoo import api, fields, models

from ..models.dm_software_install import (
    INSTALL_MODES,
    REMOTE_SESSION_MODEL,
    remote_session_selection,
)


class DmSoftwareInstallWizard(models.TransientModel):
    """Install a validated version on a site, or roll it back to the version it
    replaced; on site or remotely (tied to the remote maintenance log)."""

    _name = "dm.software.install.wizard"
    _inherit = ["dm.input.guard"]
    _description = "Install or roll back a software version"

    operation = fields.Selection(
        [("install", "Install"), ("rollback", "Roll back")],
        default="install",
        required=True,
    )
    version_id = fields.Many2one("dm.software.version", required=True)
    software_id = fields.Many2one(related="version_id.software_id")
    site_id = fields.Many2one("dm.software.site", required=True)
    equipment_ids = fields.Many2many(
        "maintenance.equipment",
        "dm_software_install_wizard_equipment_rel",
        "wizard_id",
        "equipment_id",
        string="Devices",
        help="The devices the version is installed on, if any.",
    )
    install_date = fields.Date(
        string="Date", default=fields.Date.context_today, required=True
    )
    mode = fields.Selection(
        INSTALL_MODES, string="Performed", default="on_site", required=True
    )
    remote_session_ref = fields.Reference(
        selection="_selection_remote_session_model",
        string="Remote maintenance session",
    )
    remote_log_available = fields.Boolean(compute="_compute_remote_log_available")
    note = fields.Text(help="Required to roll back: why.")

    @api.model
    def _selection_remote_session_model(self):
        return remote_session_selection(self.env)

    def _compute_remote_log_available(self):
        for wizard in self:
            wizard.remote_log_available = REMOTE_SESSION_MODEL in self.env

    def action_confirm(self):
        self.ensure_one()
        session = self.remote_session_ref or None
        if self.operation == "rollback":
            self.version_id._rollback(
                self.site_id,
                install_date=self.install_date,
                mode=self.mode,
                session=session,
                note=self.note,
            )
        else:
            self.version_id._install(
                self.site_id,
                devices=self.equipment_ids,
                install_date=self.install_date,
                mode=self.mode,
                session=session,
                note=self.note,
            )
        return {"type": "ir.actions.act_window_close"}
