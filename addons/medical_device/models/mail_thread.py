from odoo import models

from ..tools import reader_text
from .mail_message import text_to_html


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _dm_post_note(self, spec, **kwargs):
        """Post a note written as a reader text (``tools/reader_text.py``):
        each reader sees it in their own language (``mail.message._to_store``);
        its stored body reads in the company's language, for e-mails and
        search. The one way the suite posts the notes of its actions and
        daily jobs. ``kwargs`` go to ``message_post`` (``subtype_xmlid``
        defaults to a note)."""
        self.ensure_one()
        body = self._dm_note_body(spec)
        kwargs.setdefault("subtype_xmlid", "mail.mt_note")
        message = self.message_post(body=body, **kwargs)
        # sudo: the spec is closed to clients (see mail.message.create); only
        # this helper writes it.
        message.sudo().dm_text = spec
        return message

    def _dm_company_lang(self):
        """The language of the record's company (else the user's company):
        what the suite stores a text in when it cannot be rendered for each
        reader (a note's body for e-mails and search, a record's name)."""
        self.ensure_one()
        company = "company_id" in self._fields and self.sudo().company_id
        return (company or self.env.company).partner_id.lang or "en_US"

    def _dm_company_text(self, spec):
        """A reader text (``tools/reader_text.py``) rendered once, in the
        language of the record's company."""
        return self.env["mail.message"]._dm_render(spec, self._dm_company_lang())

    def _dm_note_body(self, spec):
        """The stored body of a note written as a reader text: in the language
        of the record's company (for e-mails and search); readers see it in
        theirs."""
        return text_to_html(self._dm_company_text(spec))

    def _dm_activity_texts(self, user, summary=None, note=None):
        """An activity's summary and note for ``user``, who reads them: specs
        rendered in the user's language (plain strings as they are)."""
        values = {}
        lang = user.lang or self.env.lang or "en_US"
        render = self.env["mail.message"]._dm_render
        if summary is not None:
            values["summary"] = (
                render(summary, lang) if reader_text.is_spec(summary) else summary
            )
        if note is not None:
            values["note"] = (
                text_to_html(render(note, lang)) if reader_text.is_spec(note) else note
            )
        return values

    def _dm_activity_schedule(self, user, summary=None, note=None, **kwargs):
        """``activity_schedule`` for ``user`` with a summary and a note in the
        user's language (specs or plain strings)."""
        return self.activity_schedule(
            user_id=user.id, **self._dm_activity_texts(user, summary, note), **kwargs
        )

    def _dm_notify(self, users, subject, body):
        """Notify ``users`` (inbox or e-mail) of a daily job's summary: the
        subject and the body (reader texts) are written in each user's
        language, one notification per language."""
        for lang, members in users.grouped(lambda u: u.lang or "en_US").items():
            render = self.env["mail.message"].with_context(lang=lang)._dm_render
            # sudo: the daily job notifies a role's members, not tied to one
            # record.
            self.env["mail.thread"].sudo().message_notify(
                partner_ids=members.partner_id.ids,
                subject=render(subject),
                body=text_to_html(render(body)),
            )
