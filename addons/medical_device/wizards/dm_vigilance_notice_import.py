import base64
import binascii

from odoo import fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import vigilance_match, vigilance_read

# The file's values the wizard writes on a notice as they are (the
# manufacturer is a name, resolved to a contact).
NOTICE_FIELDS = (
    "name",
    "source",
    "date_received",
    "title",
    "description",
    "severity",
    "required_action",
    "deadline",
    "udi_di_list",
    "model_list",
    "lot_ranges",
    "serial_ranges",
    "manufacture_date_from",
    "manufacture_date_to",
    "software_versions",
)


class DmVigilanceNoticeImport(models.TransientModel):
    """Import safety notices from a file (CSV, XML, openFDA recall JSON): all
    of them or none, every malformed row reported with its line number."""

    _name = "dm.vigilance.notice.import"
    _description = "Import safety notices"

    file = fields.Binary(required=True, help="The file of the notices.")
    filename = fields.Char()
    file_format = fields.Selection(
        [
            ("csv", "CSV"),
            ("xml", "XML"),
            ("openfda", "openFDA device recalls (JSON)"),
        ],
        string="Format",
        required=True,
        default="csv",
        help="CSV and XML as documented in the README (XML checked against "
        "data/vigilance_notice.xsd); openFDA: the JSON of the device "
        "recall API.",
    )

    def _line_error(self, line, message):
        if line:
            return self.env._("Line %(line)s: %(message)s", line=line, message=message)
        return message

    def action_import(self):
        """Create the notices of the file as the user (the pharmacist): any
        error, in the file or in a notice, and nothing is imported."""
        self.ensure_one()
        if not self.env["dm.vigilance.notice"].has_access("create"):
            raise UserError(self.env._("Only a pharmacist imports safety notices."))
        try:
            data = base64.b64decode(self.file or b"", validate=True)
        except (binascii.Error, ValueError) as error:
            raise UserError(self.env._("The file cannot be read.")) from error
        try:
            rows = vigilance_read.read_notices(data, self.file_format)
        except vigilance_read.NoticeReadError as error:
            raise UserError(
                self.env._("The file was not imported:")
                + "\n"
                + "\n".join(error.messages(self.env))
            ) from error
        Notice = self.env["dm.vigilance.notice"]
        errors = []
        notices = Notice.browse()
        # sudo: a reference of the company counts even on a notice the user
        # cannot read.
        taken = set(
            Notice.sudo()
            .search([("name", "in", [r.get("name") for r in rows])])
            .filtered(lambda n: n.company_id == self.env.company)
            .mapped("name")
        )
        seen = set()
        for row in rows:
            name = row.get("name")
            if name in taken or name in seen:
                errors.append(
                    self._line_error(
                        row.get("line"),
                        self.env._(
                            "a safety notice %(name)s already exists", name=name
                        ),
                    )
                )
                continue
            seen.add(name)
            try:
                # One savepoint per notice: every error of the file is found,
                # then the whole import is refused (nothing half-imported).
                with self.env.cr.savepoint():
                    notices |= Notice.create(self._notice_values(row))
            except (UserError, ValidationError) as error:
                errors.append(self._line_error(row.get("line"), str(error.args[0])))
        if errors:
            raise UserError(
                self.env._("The file was not imported:") + "\n" + "\n".join(errors)
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "medical_device.dm_vigilance_notice_action"
        )
        if len(notices) == 1:
            action.update(res_id=notices.id, view_mode="form", views=[(False, "form")])
        else:
            action["domain"] = [("id", "in", notices.ids)]
        return action

    def _notice_values(self, row):
        values = {f: row[f] for f in NOTICE_FIELDS if row.get(f) not in (None, "")}
        if row.get("manufacturer"):
            values["manufacturer_id"] = self._manufacturer(row["manufacturer"]).id
        return values

    def _manufacturer(self, name):
        """The manufacturer named by the file: an existing company contact of
        that name, or a new one."""
        # sudo: the pharmacist names the manufacturer of a notice; she finds or
        # creates a company contact by name and nothing else (no access to
        # change the existing contacts).
        Partner = self.env["res.partner"].sudo()
        partner = Partner.search(
            [
                ("name", "=ilike", vigilance_match.escape_like(name.strip())),
                ("company_id", "in", [self.env.company.id, False]),
            ],
            limit=1,
        )
        return partner or Partner.create({"name": name.strip(), "is_company": True})
