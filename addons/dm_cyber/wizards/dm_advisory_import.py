import base64
import binascii

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.dm_advisory_source import SOURCE_KINDS


class DmAdvisoryImport(models.TransientModel):
    """Import an advisory file by hand, on a machine without Internet: a
    CSAF advisory, an NVD page, CISA's KEV catalogue or an EPSS file,
    recognised from its content (or the kind chosen); says afterwards what
    was created and updated."""

    _name = "dm.advisory.import"
    _description = "Import of an advisory file"

    file = fields.Binary(required=True)
    filename = fields.Char()
    kind = fields.Selection(
        [("auto", "Recognise from the file"), *SOURCE_KINDS],
        default="auto",
        required=True,
    )
    source_id = fields.Many2one(
        "dm.advisory.source",
        help="The source the file comes from (optional): its advisories link to it.",
    )
    state = fields.Selection(
        [("draft", "To import"), ("done", "Imported")], default="draft"
    )
    summary = fields.Text(readonly=True)
    advisory_ids = fields.Many2many("dm.advisory", string="Advisories", readonly=True)
    cve_ids = fields.Many2many("dm.cve", string="CVEs", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        # The result is the import's, never the client's: neither by value
        # nor by a default_* key of the context.
        result_fields = ("state", "summary", "advisory_ids", "cve_ids")
        vals_list = [
            {k: v for k, v in vals.items() if k not in result_fields}
            for vals in vals_list
        ]
        clean = {
            k: v
            for k, v in self.env.context.items()
            if k not in {f"default_{f}" for f in result_fields}
        }
        return super(DmAdvisoryImport, self.with_env(self.env(context=clean))).create(
            vals_list
        )

    def action_import(self):
        self.ensure_one()
        importer = self.env["dm.advisory.importer"]
        importer._dm_check_import_rights()
        if self.state == "done":
            raise UserError(self.env._("This file has already been imported."))
        try:
            data = base64.b64decode(self.file or b"", validate=True)
        except (binascii.Error, ValueError):
            data = b""
        kind = None if self.kind == "auto" else self.kind
        source = self.source_id
        summary = importer._dm_import_file(
            data, kind=kind, filename=self.filename, source=source
        )
        # sudo (the wizard's own fields): the summary is the import's.
        self.sudo().write(
            {
                "state": "done",
                "summary": importer._dm_summary_text(summary),
                "advisory_ids": [fields.Command.set(summary.advisories.ids)],
                "cve_ids": [fields.Command.set(summary.cves.ids[:200])],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Import an advisory file"),
        }

    def action_view_advisories(self):
        self.ensure_one()
        domain = [("id", "in", self.advisory_ids.ids)]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Advisories"),
            "res_model": "dm.advisory",
            "view_mode": "list,form",
            "domain": domain,
        }
