from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import reader_text

# Daily jobs create their activities by batches of this many records: a
# constant number of queries per batch, whatever the size of the fleet.
ACTIVITY_BATCH_SIZE = 1000


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        """An approval's activity is closed by the decision, never by "Mark
        Done": its "done" message would read as an approval that was not
        given, and the reminder would vanish while the approval still waits."""
        pending = self._dm_pending_approvals()
        if pending:
            raise UserError(
                self.env._(
                    "Marking this activity done does not decide the approval "
                    "%(approval)s: approve or reject it on the document, or in "
                    "My approvals.",
                    approval=pending[0].display_name,
                )
            )
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)

    def _dm_feedback(self, feedback):
        """Mark these activities done, as ``action_feedback`` does, with a
        ``feedback`` given as a reader text (``tools/reader_text.py``): the
        message that says so is a note of the suite, read in each reader's
        language, not the core's text ("… done", "Original note") in the
        language of whoever closed them (a declaration, a notice closed).
        Returns the messages."""
        messages = self.env["mail.message"]
        for activity in self:
            # sudo: the document's note, whoever closes its activities (as
            # the core's _action_done posts it).
            record = self.env[activity.res_model].sudo().browse(activity.res_id)
            body = record._dm_note_body(feedback)
            done, _next = activity._action_done(feedback=body)
            # sudo: the spec is closed to clients; only the suite writes it.
            done.sudo().write({"body": body, "dm_text": feedback})
            messages |= done
        return messages

    def _dm_pending_approvals(self):
        """The pending approval lines these activities stand for."""
        approval_type = self.env.ref(
            "medical_device.mail_activity_type_dm_approval", raise_if_not_found=False
        )
        activities = self.filtered(
            lambda activity: (
                approval_type and activity.activity_type_id == approval_type
            )
        )
        if not activities:
            return self.env["dm.approval"]
        # sudo: whoever holds the activity, the line's state decides; only
        # its name is shown.
        return (
            self.env["dm.approval"]
            .sudo()
            .search([("activity_ids", "in", activities.ids), ("state", "=", "pending")])
        )

    @api.model
    def _dm_open_activity_res_ids(self, records, activity_type):
        """Ids of ``records`` that already hold an open activity of that type."""
        if not records:
            return set()
        # sudo: a daily job sees every activity of the type, whoever owns it.
        rows = (
            self.sudo()
            .with_context(active_test=True)
            ._read_group(
                [
                    ("res_model", "=", records._name),
                    ("res_id", "in", records.ids),
                    ("activity_type_id", "=", activity_type.id),
                ],
                ["res_id"],
            )
        )
        return {res_id for (res_id,) in rows}

    @api.model
    def _dm_reader_values(self, vals):
        """``vals`` with their summary and note (reader texts) rendered for
        their assignee."""
        texts = {k: vals[k] for k in ("summary", "note") if k in vals}
        if not any(reader_text.is_spec(v) for v in texts.values()):
            return vals
        user = self.env["res.users"].browse(vals.get("user_id") or self.env.uid)
        # sudo: the assignee's language, whoever runs the job.
        record = self.env["mail.thread"]
        return {**vals, **record._dm_activity_texts(user.sudo(), **texts)}

    @api.model
    def _dm_schedule_once(self, records, activity_type, values):
        """Schedule one activity of ``activity_type`` on each of ``records`` that
        does not hold an open one already (so a daily job never repeats itself).

        ``values(record)`` returns the activity's own values (``summary``,
        ``note``, ``user_id``, ``date_deadline``…); a summary or a note given
        as a reader text (``tools/reader_text.py``) is written in the language
        of the assignee, who reads it. Activities are created by
        batches, without the per-activity notification e-mail: the daily jobs
        send one summary instead. Returns the created activities."""
        created = self.browse()
        if not records:
            return created
        model_id = self.env["ir.model"]._get_id(records._name)
        deadline = fields.Date.context_today(self)
        for start in range(0, len(records), ACTIVITY_BATCH_SIZE):
            # A slice prefetches its own records only: memory stays per batch.
            batch = records[start : start + ACTIVITY_BATCH_SIZE]
            already = self._dm_open_activity_res_ids(batch, activity_type)
            vals_list = [
                {
                    "res_model_id": model_id,
                    "res_id": record.id,
                    "activity_type_id": activity_type.id,
                    "date_deadline": deadline,
                    # As activity_schedule() does: activity_feedback() and
                    # activity_unlink() only see automated activities.
                    "automated": True,
                    # Given here, read for the whole batch at once: the core
                    # compute reads each document's name with its own query.
                    "res_name": record.display_name,
                    **self._dm_reader_values(values(record)),
                }
                for record in batch
                if record.id not in already
            ]
            if vals_list:
                created |= self.with_context(mail_activity_quick_update=True).create(
                    vals_list
                )
        return created
