"""Assertions on the audit trail: a change posts a tracking value with the
field, the old and the new value, who and when."""

from odoo import fields
from odoo.exceptions import AccessError, UserError


def displayed(record, fname, value):
    """A value as the tracking stores it for display (see
    ``mail.tracking.value._format_display_value``)."""
    field = record._fields[fname]
    if field.type == "many2one":
        return value.display_name if value else ""
    if field.type == "selection":
        labels = dict(field._description_selection(record.env))
        return labels.get(value, "") if value else ""
    if field.type == "boolean":
        return bool(value)
    if field.type == "date":
        return fields.Date.to_string(value) if value else False
    if field.type == "datetime":
        return f"{fields.Datetime.to_string(value)}Z" if value else False
    if field.type in ("char", "text"):
        return value or False
    return value


def _norm(value):
    # An empty value is stored as False or "" depending on the type.
    return value if isinstance(value, bool) else (value or False)


class AuditTrailMixin:
    """For a MedicalDeviceCase: ``assertChangeTracked`` runs a change as a
    role and checks the trail it leaves on a document's chatter."""

    def trail(self, document):
        self.flush_tracking()
        return document.sudo().message_ids

    def assertChangeTracked(self, document, line, fnames, user, change):
        """Run ``change()`` (a write or an action as ``user``) and check that
        ``document``'s chatter gained, for each of ``fnames`` of ``line`` (the
        document itself or one of its lines), a tracking value with the old
        and the new value, by ``user``."""
        line = line.sudo()
        line.invalidate_recordset()
        before = {fname: displayed(line, fname, line[fname]) for fname in fnames}
        known = self.trail(document)
        change()
        messages = self.trail(document) - known
        line.invalidate_recordset()
        for fname in fnames:
            with self.subTest(model=line._name, field=fname):
                tracking = messages.tracking_value_ids.filtered(
                    lambda t, f=fname: (
                        t.field_id.name == f and t.field_id.model == line._name
                    )
                )
                self.assertEqual(len(tracking), 1, f"{line._name}.{fname} not tracked")
                ftype = line._fields[fname].type
                old = tracking._format_display_value(ftype, new=False)[0]
                new = tracking._format_display_value(ftype, new=True)[0]
                after = displayed(line, fname, line[fname])
                self.assertEqual(_norm(old), _norm(before[fname]))
                self.assertEqual(_norm(new), _norm(after))
                self.assertNotEqual(_norm(old), _norm(new))
                message = tracking.mail_message_id
                self.assertEqual(message.author_id, user.partner_id)
                self.assertTrue(message.date)


# Every role of the suite and the users without one; the superuser is tried
# last (data fixes run as the administrator).
ALL_ROLES = (
    "technician",
    "engineer",
    "pharmacist",
    "rssi",
    "dpo",
    "auditor",
    "internal",
    "maintenance_manager",
)
KEPT_MESSAGE = r"history|cannot be deleted|archive"


class HistoryKeptMixin:
    """For a MedicalDeviceCase: ``assertKept`` tries to delete a record with a
    history as every role and as the superuser, and reads it back."""

    def assertKept(self, record, roles=ALL_ROLES):
        refused = 0
        for role in (*roles, None):
            as_user = record.with_user(self.users[role]) if role else record.sudo()
            with self.subTest(model=record._name, role=role or "superuser"):
                # An AccessError (no right) is a UserError too.
                with self.assertRaises(UserError) as caught:
                    as_user.unlink()
                message = str(caught.exception)
                self.assertTrue(message)
                if isinstance(caught.exception, UserError) and not isinstance(
                    caught.exception, AccessError
                ):
                    self.assertRegex(message, KEPT_MESSAGE)
                refused += 1
        self.assertTrue(record.sudo().with_context(active_test=False).exists())
        return refused
