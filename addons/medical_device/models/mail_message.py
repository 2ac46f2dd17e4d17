from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools.misc import format_date, format_datetime, formatLang
from odoo.tools.translate import code_translations

from ..tools import reader_text

# Closed to clients: set only by mail.thread._dm_post_note (in superuser mode).
READER_TEXT_FIELDS = ("dm_text",)


class ReaderTextResolver:
    """What rendering a reader text needs from the database (see
    ``tools/reader_text.py``), in the reader's language."""

    def __init__(self, env):
        # sudo: labels, group names and record names of a text the reader is
        # already shown; the text decides what it names, not the reader.
        self.env = env(su=True)

    def _env(self, lang):
        return self.env(context=dict(self.env.context, lang=lang))

    def translate(self, module, source, lang):
        if not lang or lang == "en_US":
            return source
        return code_translations.get_python_translations(module, lang).get(
            source, source
        )

    def date(self, value, lang):
        try:
            return format_date(self.env, value, lang_code=lang)
        except (ValueError, TypeError):
            return str(value)

    def datetime(self, value, lang):
        try:
            return format_datetime(self.env, value, dt_format="short", lang_code=lang)
        except (ValueError, TypeError):
            return str(value)

    def number(self, value, digits, lang):
        try:
            return formatLang(self._env(lang), value, digits=digits)
        except (ValueError, TypeError):
            return str(value)

    def selection(self, model, field, value, lang):
        if model not in self.env or field not in self.env[model]._fields:
            return str(value)
        env = self._env(lang)
        labels = dict(env[model]._fields[field]._description_selection(env))
        return labels.get(value, str(value))

    def fields(self, model, fnames, lang):
        if model not in self.env:
            return ", ".join(fnames)
        env = self._env(lang)
        model_fields = env[model]._fields
        return ", ".join(
            sorted(
                model_fields[f].get_description(env)["string"]
                if f in model_fields
                else f
                for f in fnames
            )
        )

    def group(self, ref, lang):
        env = self._env(lang)
        if isinstance(ref, int):
            group = env["res.groups"].browse(ref).exists()
        else:
            group = env.ref(ref, raise_if_not_found=False)
        return group.name if group else str(ref)

    def record(self, model, res_id, name, lang):
        if model not in self.env:
            return name
        found = self._env(lang)[model].browse(res_id).exists()
        return found.display_name if found else name

    def value(self, model, res_id, fname, text, lang):
        if model not in self.env or fname not in self.env[model]._fields:
            return text
        found = self._env(lang)[model].browse(res_id).exists()
        return (found[fname] or text) if found else text


def text_to_html(text):
    """Plain text as the body of a note: escaped, its lines kept."""
    return Markup("<br/>").join(escape(line) for line in (text or "").split("\n"))


class MailMessage(models.Model):
    _inherit = "mail.message"

    dm_text = fields.Json(
        string="Text to render",
        readonly=True,
        copy=False,
        help="What the note says, rendered in each reader's language when it is "
        "shown (the body keeps it in the company's language, for e-mails and "
        "search). Set by the suite only.",
    )

    # ------------------------------------------------------------ guard
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(
            f in vals for vals in vals_list for f in READER_TEXT_FIELDS
        ):
            raise AccessError(self._dm_reader_text_refusal())
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and any(f in vals for f in READER_TEXT_FIELDS):
            raise AccessError(self._dm_reader_text_refusal())
        result = super().write(vals)
        if "body" in vals and "dm_text" not in vals:
            # An edited note shows what its author wrote, not the suite's text.
            # sudo: the spec is closed to clients; cleared with the edit.
            self.sudo().filtered("dm_text").write({"dm_text": False})
        return result

    def _dm_reader_text_refusal(self):
        return self.env._(
            "The text of a note rendered in each reader's language is written by "
            "the suite's actions, not set directly."
        )

    # ------------------------------------------------------------ rendering
    @api.model
    def _dm_render(self, spec, lang=None):
        """The text of a reader-text spec in ``lang`` (default: the env's)."""
        lang = lang or self.env.lang or "en_US"
        return reader_text.render(spec, lang, ReaderTextResolver(self.env))

    def _dm_reader_body(self, lang):
        self.ensure_one()
        # sudo: the spec is the message's own text, already readable.
        spec = self.sudo().dm_text
        if not spec:
            return self.body
        return text_to_html(self._dm_render(spec, lang))

    def _to_store(self, store, fields, **kwargs):
        """The web client's messages: a note written as a reader text shows in
        the reader's language, whoever wrote it and in whatever language."""
        wants_body = any(
            field == "body" or getattr(field, "field_name", None) == "body"
            for field in fields
        )
        super()._to_store(store, fields, **kwargs)
        if not wants_body:
            return
        # sudo: only the message's own text is read, to render it.
        with_text = self.sudo().filtered("dm_text")
        if not with_text:
            return
        reader = store.target.get_user(self.env) or self.env.user
        lang = (
            self.env.lang
            if reader == self.env.user and self.env.lang
            else reader.lang or self.env.lang
        )
        for message in self.browse(with_text.ids):
            store.add_model_values(
                "mail.message",
                {"id": message.id, "body": message._dm_reader_body(lang)},
            )
