from odoo import models
from odoo.tools.translate import code_translations

from ..tools import reader_text as rt

# The addons whose texts a tracked reader-text field may hold.
SUITE_MODULES = ("medical_device", "dm_cyber", "dm_software")


class MailTrackingValue(models.Model):
    _inherit = "mail.tracking.value"

    def _tracking_value_format_model(self, model):
        """A tracked selection shows its values in the reader's language.

        The core stores the label of a selection value as the writer reads it
        (OdooBot's daily job in English, an English-speaking administrator):
        the value is found again from that label in any installed language,
        and shown with the reader's label. A label that matches no value
        (a value since removed) is shown as stored."""
        formatted = super()._tracking_value_format_model(model)
        if not model or model not in self.env:
            return formatted
        self._dm_translate_selections(model, formatted)
        self._dm_translate_texts(model, formatted)
        self._dm_translate_records(model, formatted)
        return formatted

    def _dm_translate_records(self, model, formatted):
        """A tracked relation a model lists in ``_dm_reader_record_fields``
        points to a record whose name the suite writes in the reader's
        language (a training session: "Training <model>, <date>"): the core
        stores the name as the writer read it; it is shown as the reader reads
        it (the stored name when the record is gone)."""
        fnames = set(getattr(self.env[model], "_dm_reader_record_fields", ()))
        entries = [
            entry
            for entry in formatted
            if entry.get("fieldInfo", {}).get("fieldType") == "many2one"
        ]
        if not fnames or not entries:
            return
        for entry in entries:
            tracking = self.browse(entry["id"])
            field = self.env[model]._fields.get(tracking.field_id.name)
            if not field or field.name not in fnames:
                continue
            # sudo: the name of a record the tracking already shows.
            comodel = self.env[field.comodel_name].sudo()
            for key, res_id in (
                ("oldValue", tracking.old_value_integer),
                ("newValue", tracking.new_value_integer),
            ):
                record = comodel.browse(res_id).exists() if res_id else comodel
                if record and entry.get(key):
                    entry[key] = record.display_name

    def _dm_translate_texts(self, model, formatted):
        """A tracked text field a model lists in ``_dm_reader_char_fields``
        holds one of the suite's texts, written in the writer's language (a
        reason of the engine): shown in the reader's."""
        fnames = set(getattr(self.env[model], "_dm_reader_char_fields", ()))
        entries = [
            entry
            for entry in formatted
            if entry.get("fieldInfo", {}).get("fieldType") in ("char", "text")
        ]
        if not fnames or not entries:
            return
        trackings = self.browse([entry["id"] for entry in entries])
        fname_of = {tracking.id: tracking.field_id.name for tracking in trackings}
        entries = [entry for entry in entries if fname_of.get(entry["id"]) in fnames]
        if not entries:
            return
        reader_lang = self.env.lang or "en_US"
        langs = [code for code, _name in self.env["res.lang"].get_installed()]
        sources = {}
        for module in SUITE_MODULES:
            for lang in langs:
                if lang == "en_US":
                    continue
                translations = code_translations.get_python_translations(module, lang)
                for source, translated in translations.items():
                    sources.setdefault(translated, (module, source))
                    sources.setdefault(source, (module, source))
        own = getattr(self.env[model], "_dm_reader_tracked_text", None)
        for entry in entries:
            for key in ("oldValue", "newValue"):
                stored = entry.get(key)
                shown = own(fname_of[entry["id"]], stored) if own and stored else None
                if shown:
                    entry[key] = shown
                    continue
                if not stored or stored not in sources:
                    continue
                module, source = sources[stored]
                if reader_lang == "en_US":
                    entry[key] = source
                else:
                    entry[key] = code_translations.get_python_translations(
                        module, reader_lang
                    ).get(source, source)

    def _dm_translate_selections(self, model, formatted):
        selections = [
            entry
            for entry in formatted
            if entry.get("fieldInfo", {}).get("fieldType") == "selection"
        ]
        if not selections:
            return
        trackings = self.browse([entry["id"] for entry in selections])
        fname_of = {tracking.id: tracking.field_id.name for tracking in trackings}
        Model = self.env[model]
        # English is the labels' source, written by a writer in en_US even
        # where it is not an installed language (a database in French only).
        langs = rt.english_first(
            code for code, _name in self.env["res.lang"].get_installed()
        )
        readers = {}
        for entry in selections:
            fname = fname_of.get(entry["id"])
            field = Model._fields.get(fname)
            if not field or field.type != "selection":
                continue
            if fname not in readers:
                by_label = {}
                for lang in langs:
                    env = self.env(context=dict(self.env.context, lang=lang))
                    for value, label in field._description_selection(env):
                        by_label.setdefault(label, value)
                labels = dict(field._description_selection(self.env))
                readers[fname] = (by_label, labels)
            by_label, labels = readers[fname]
            for key in ("oldValue", "newValue"):
                stored = entry.get(key)
                if stored and stored in by_label:
                    entry[key] = labels.get(by_label[stored], stored)
