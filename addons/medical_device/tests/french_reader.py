"""What a French reader sees of the texts the suite writes: the chatter as the
web client gets it (``/mail/thread/messages``: ``_message_fetch`` then
``Store().add``), the summaries and notes of their activities, their inbox.
Used by the "everything French" tests of the three addons."""

import re

from markupsafe import Markup

from odoo.addons.mail.tools.discuss import Store
from odoo.tools import html2plaintext
from odoo.tools.translate import code_translations

# Words of the suite's English texts that no French text contains (whole
# words, case-sensitive; not "on", "due", "cases", "rose", "Qualification":
# French words too).
ENGLISH_WORDS = (
    "the",
    "by",
    "of",
    "and",
    "with",
    "was",
    "Approval",
    "approval",
    "Approved",
    "Rejected",
    "requested",
    "pending",
    "Pending",
    "again",
    "expiry",
    "Expired",
    "ended",
    "started",
    "never",
    "last patch",
    "Cyber watch",
    "out of support",
    "overdue",
    "failed",
    "Failed",
    "threshold",
    "Sanitisation",
    "planned",
    "Disposal",
    "disposed",
    "Records kept",
    "Remote maintenance",
    "Reason",
    "Done",
    "supplier",
    "technician",
    "Authorised",
    "authorised",
    "Refused",
    "validated",
    "withdrawn",
    "confirmed",
    "Qualification confirmed",
    "Qualification answered",
    "answered",
    "rows",
    "devices created",
    "unchanged",
    "Columns ignored",
    "stopped",
    "changed",
    "Yes",
    "Pre-authorised",
    "states that",
    "holds no data",
    "suspended",
)
ENGLISH_RE = re.compile(r"\b({})\b".format("|".join(map(re.escape, ENGLISH_WORDS))))
ISO_DATE_RE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
PLACEHOLDER_RE = re.compile(r"%\([a-z_]+\)[sd]|%[sd]")
MODULES = ("medical_device", "dm_cyber", "dm_software", "dm_cyber_software")


def english_fragments(modules=MODULES, lang="fr_FR"):
    """The literal parts (three words or more) of every English template the
    addons translate: one found in a French text is English left untranslated."""
    fragments = set()
    for module in modules:
        for source, translated in code_translations.get_python_translations(
            module, lang
        ).items():
            if not translated or translated == source:
                continue
            for part in PLACEHOLDER_RE.split(source):
                part = part.strip(" .,:;()")
                if len(part.split()) >= 3 and part not in translated:
                    fragments.add(part)
    return fragments


def load_french(env):
    """fr_FR active, with the database terms (selections, field labels, rule
    names) of the suite's installed addons."""
    env["res.lang"]._activate_lang("fr_FR")
    modules = (
        env["ir.module.module"]
        .search([("name", "in", list(MODULES)), ("state", "=", "installed")])
        .mapped("name")
    )
    env["ir.module.module"]._load_module_terms(modules, ["fr_FR"])


class FrenchReaderMixin:
    """Assertions on what a French user reads. Needs ``self.env`` (the
    English-speaking actor's)."""

    @classmethod
    def _english_fragments(cls):
        if not hasattr(cls, "_fragments_cache"):
            cls._fragments_cache = english_fragments()
        return cls._fragments_cache

    def english_in(self, text):
        """The English (or ISO dates) ``text`` shows, as a list."""
        found = ENGLISH_RE.findall(text or "")
        found += ISO_DATE_RE.findall(text or "")
        found += [f for f in self._english_fragments() if f in (text or "")]
        return found

    def assertFrench(self, text, what):
        found = self.english_in(text)
        self.assertFalse(found, f"{what} reads English {found}: {text!r}")

    def last_message_id(self):
        last = self.env["mail.message"].sudo().search([], order="id desc", limit=1)
        return last.id or 0

    def last_activity_id(self):
        last = (
            self.env["mail.activity"]
            .sudo()
            .with_context(active_test=False)
            .search([], order="id desc", limit=1)
        )
        return last.id or 0

    def served_texts(self, records, reader, after_id=0):
        """The chatter of ``records`` as the web client serves it to
        ``reader``: the plain text of each message's body and its tracked
        values, newer than ``after_id``."""
        env = self.env(user=reader, context={"lang": reader.lang, "tz": "Europe/Paris"})
        texts = []
        for record in records:
            thread = record.with_env(env)
            messages = env["mail.message"]._message_fetch(
                domain=[("id", ">", after_id)], thread=thread, limit=200
            )["messages"]
            data = Store().add(messages).get_result()
            for values in data.get("mail.message", []):
                body = values.get("body")
                if isinstance(body, list):  # ["markup", html]
                    body = body[1]
                text = html2plaintext(Markup(body or "")).strip()
                if text.endswith(" created") and values.get("message_type") == (
                    "notification"
                ):
                    # Odoo's own creation message ("Maintenance Equipment
                    # created"), logged in the creator's language by the core:
                    # not a text of the suite (known limit).
                    continue
                if text:
                    texts.append((f"{record.display_name} note {values['id']}", text))
                for tracking in values.get("trackingValues") or []:
                    if tracking["fieldInfo"]["fieldType"] in ("date", "datetime"):
                        continue  # sent raw, formatted by the web client
                    for key in ("oldValue", "newValue"):
                        value = tracking.get(key)
                        if isinstance(value, str) and value:
                            texts.append(
                                (
                                    f"{record.display_name} tracking "
                                    f"{tracking['fieldInfo']['changedField']}",
                                    value,
                                )
                            )
        return texts

    def inbox_texts(self, reader, after_id=0):
        """The notifications ``reader`` received (the daily jobs' summaries)."""
        env = self.env(user=reader, context={"lang": reader.lang})
        messages = (
            env["mail.message"]
            .sudo()
            .search(
                [("id", ">", after_id), ("partner_ids", "in", reader.partner_id.ids)]
            )
            .with_env(env)
        )
        data = Store().add(messages).get_result()
        texts = []
        for values in data.get("mail.message", []):
            body = values.get("body")
            if isinstance(body, list):
                body = body[1]
            texts.append((f"inbox {values['id']}", html2plaintext(Markup(body or ""))))
            if values.get("subject"):
                texts.append((f"inbox subject {values['id']}", values["subject"]))
        return texts

    def activity_texts(self, after_id=0, lang="fr_FR"):
        """Summaries and notes of the activities created since ``after_id``
        for users who read ``lang``."""
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search([("id", ">", after_id)])
            .filtered(lambda a: a.user_id.lang == lang)
        )
        texts = []
        for activity in activities:
            name = f"activity {activity.id} of {activity.user_id.login}"
            texts.append((f"{name} summary", activity.summary or ""))
            texts.append((f"{name} note", html2plaintext(activity.note or "")))
        return texts

    def assertAllFrench(self, texts, expected_min=1):
        """Every text reads French; at least ``expected_min`` were read (a check
        of nothing proves nothing)."""
        texts = [(what, text) for what, text in texts if text]
        self.assertGreaterEqual(len(texts), expected_min, texts)
        failures = [
            f"{what}: {found} in {text!r}"
            for what, text in texts
            if (found := self.english_in(text))
        ]
        self.assertFalse(
            failures, "English for a French reader:\n" + "\n".join(failures)
        )
