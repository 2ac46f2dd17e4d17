"""The error the readers and matchers of ``tools/`` raise on bad input.

Pure (no env): an error carries a stable ``code``, its English ``template``
(an ``_lt`` of the module that raises it, so the translation is looked up in
dm_cyber) and string ``params``; the model layer renders it in the reader's
language with ``medical_device.tools.messages.error_message``. A reader that
raises returns nothing: the caller never gets half a document.
"""

from odoo.addons.medical_device.tools.messages import render

# Longest piece of user data quoted in a message.
SHOW_LIMIT = 200


def show(value, limit=SHOW_LIMIT):
    """Printable, bounded rendering of user data for messages."""
    text = "".join(c if c.isprintable() else "?" for c in str(value))
    return text if len(text) <= limit else text[:limit] + "…"


class ReadError(ValueError):
    """Bad input; subclasses name their ``MESSAGES`` (code → ``_lt`` template)."""

    MESSAGES = {}

    def __init__(self, code, params=None):
        self.code = code
        self.params = {str(k): show(v) for k, v in (params or {}).items()}
        self.template = self.MESSAGES.get(code)
        message = render(self.template, self.params)
        super().__init__(message or f"{type(self).__name__} ({code}).")
