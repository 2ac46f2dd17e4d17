from markupsafe import Markup

from odoo import Command, models

from ..tools import reader_text as rt


class DmDocumentTracking(models.AbstractModel):
    """The audit trail of a line that is not a mail thread (an approval, a
    storage medium to sanitise): each change of ``_dm_document_tracked_fields``
    is logged on its document's chatter (``_dm_tracking_document()``) as
    Odoo's own tracking is, with the field, the old and the new value, who and
    when. The trail stays with the document the auditor reads (the device, the
    disposal), and a line is never deleted once it is history."""

    _name = "dm.document.tracking"
    _description = "Medical device suite: changes of a line in its document's chatter"

    _dm_document_tracked_fields = ()

    def _dm_tracking_document(self):
        """The mail thread whose chatter keeps this line's changes (none: not
        tracked)."""
        return None

    def write(self, vals):
        fnames = [f for f in self._dm_document_tracked_fields if f in vals]
        if not fnames or self.env.context.get("tracking_disable"):
            return super().write(vals)
        # sudo: the old values are read as they are, whoever writes.
        before = {
            record.id: {fname: record.sudo()[fname] for fname in fnames}
            for record in self
        }
        result = super().write(vals)
        self._dm_log_on_document(before, fnames)
        return result

    def _dm_log_on_document(self, before, fnames):
        Tracking = self.env["mail.tracking.value"]
        # sudo: the description of the fields, whatever the user's groups.
        col_info = self.sudo().fields_get(
            fnames, attributes=("string", "type", "selection")
        )
        author = self.env.user.partner_id
        for record in self:
            document = record._dm_tracking_document()
            if not document:
                continue
            line = record.sudo()
            trackings = [
                Command.create(
                    Tracking._create_tracking_values(
                        before[record.id][fname],
                        line[fname],
                        fname,
                        col_info[fname],
                        line,
                    )
                )
                for fname in fnames
                if before[record.id][fname] != line[fname]
            ]
            if not trackings:
                continue
            # sudo: the trail is written by the server, whatever the user may
            # post on the document; the author is the user who made the change.
            # The line's name is a reader text: shown in each reader's
            # language (a rule's name), see mail.message._to_store.
            spec = rt.record(line._name, line.id, line.display_name)
            message = document.sudo()._message_log(
                body=Markup("<p>%s</p>") % line.display_name,
                author_id=author.id,
                tracking_value_ids=trackings,
            )
            # sudo: the spec is closed to clients (see mail.message.create).
            message.sudo().dm_text = spec
