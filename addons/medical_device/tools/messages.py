"""Messages of the pure functions of ``tools/``: each written once, in English.

A module of ``tools/`` writes its templates ``_lt("… %(name)s …")`` with
``_lt = LazyTranslate(__name__)``: Odoo's translation export extracts them into
that addon's .pot, and the translation is looked up in that addon whoever
renders it. The functions stay pure (no env): an error carries its ``template``
and its ``params``; :func:`render` gives the English text (logs, command line,
tests) or, with an env, the text in the user's language; :func:`error_message`
and :func:`tools_error` are what the model layer uses.
"""

from odoo.exceptions import ValidationError
from odoo.tools.translate import LazyGettext


def render(template, params=None, env=None):
    """Text of ``template`` with ``params``: in ``env``'s language, in English
    without an env. ``None`` when the params do not fit the template."""
    if template is None:
        return None
    if not isinstance(template, LazyGettext):
        source = translated = str(template)
    else:
        # English source (no language lookup); env._ translates in its addon.
        source = template._translate("en_US")
        translated = env._(template) if env is not None else source
    for text in (translated, source):
        try:
            return text % params if params else text
        except (KeyError, TypeError, ValueError):
            continue  # a wrong translation falls back to the English text
    return None


def error_message(env, error):
    """Text of a ``tools`` error (an exception with ``template`` and ``params``)
    in ``env``'s language; ``str(error)`` when it has no usable template."""
    text = render(getattr(error, "template", None), getattr(error, "params", None), env)
    return text if text is not None else str(error)


def tools_error(env, subject, error, exception=ValidationError):
    """The exception that refuses a value a ``tools`` function rejected: says
    which check failed, in the user's language, after ``subject`` (the record
    or the value; ``None`` for none)."""
    message = error_message(env, error)
    if subject is not None:
        message = env._("%(subject)s: %(message)s", subject=subject, message=message)
    return exception(message)
