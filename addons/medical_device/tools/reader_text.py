"""Text written once, rendered in the reader's language.

A note in a chatter or an activity is often written by a daily job or by an
English-speaking administrator, and read by a French pharmacist: storing the
text in the writer's language would show her English. So the suite stores what
to say instead of how it reads: a *spec*, plain JSON, made of the English
template (with its addon, for the translation lookup) and typed parameters,
and renders it for each reader.

A spec is one of:

- a plain ``str``/``int``/``float``: shown as is (names, free text, numbers);
- ``msg(template, **params)``: a translatable template (``_lt("…")``) and its
  parameters, themselves specs;
- ``date(value)`` / ``datetime(value)``: formatted in the reader's language;
- ``number(value, digits)``: a decimal with the reader's separator;
- ``selection(model, field, value)``: the label of a selection value;
- ``field_labels(model, fnames)``: the labels of fields, sorted, joined;
- ``group(xmlid)``: the name of a group (a role);
- ``record(model, id, name)``: a record's display name (``name`` when it is
  gone);
- ``value(model, id, fname, text)``: a record's translatable field (a name,
  a reference of reference data), ``text`` when it is gone;
- ``join(items, sep)``: specs joined by a separator (a spec too).

The functions here are pure: :func:`render` walks a spec and asks a
*resolver* (the model layer's, with an env; tests give their own) for what
needs the database: ``translate(module, source, lang)``, ``date(value, lang)``,
``datetime(value, lang)``, ``number(value, digits, lang)``,
``selection(model, field, value, lang)``, ``fields(model, fnames, lang)``,
``group(ref, lang)``, ``record(model, id, name, lang)``,
``value(model, id, fname, text, lang)``.
"""

from odoo.tools.translate import LazyGettext


def msg(template, **params):
    """A translatable template with its parameters. ``template`` is a
    ``LazyGettext`` (``_lt("…")`` of the calling addon, so that the export
    finds it and the lookup uses that addon's translations)."""
    if not isinstance(template, LazyGettext):
        raise TypeError("msg() needs a template made with _lt()")
    # pylint: disable=protected-access
    return {
        "msg": template._source,
        "module": template._module,
        "params": {name: _check(value) for name, value in params.items()},
    }


def date(value):
    """A date (``date``, ``datetime`` or ISO string); ``False`` reads as an
    empty text."""
    return {"date": str(value)[:10]} if value else ""


def datetime(value):
    """A date and time (UTC, as stored), shown in the reader's format."""
    return {"datetime": str(value)[:19]} if value else ""


def number(value, digits=1):
    """A decimal number, with the reader's decimal separator."""
    return {"number": [value, digits]}


def selection(model, field, value):
    return {"selection": [model, field, value]} if value else ""


def field_labels(model, fnames):
    return {"fields": [model, sorted(fnames)]}


def group(ref):
    """A group (a role) by its xml id or its id."""
    return {"group": ref}


def record(model, res_id, name=""):
    """A record by its display name in the reader's language (its name at
    writing time if it no longer exists)."""
    if not res_id:
        return name or ""
    return {"record": [model, res_id], "name": name or ""}


def value(model, res_id, fname, text=""):
    """A record's field (translatable) in the reader's language (``text``,
    its value at writing time, if the record no longer exists)."""
    if not res_id:
        return text or ""
    return {"value": [model, res_id, fname], "name": text or ""}


def join(items, sep=", "):
    return {"list": [_check(item) for item in items], "sep": _check(sep)}


KINDS = (
    "msg",
    "date",
    "datetime",
    "number",
    "selection",
    "fields",
    "group",
    "record",
    "value",
    "list",
)


def _check(value):
    """Specs only: a LazyGettext becomes a template without parameters, a
    ``None``/``False`` an empty text."""
    if isinstance(value, LazyGettext):
        return msg(value)
    if value is None or value is False:
        return ""
    if isinstance(value, (str, int, float, dict)):
        return value
    raise TypeError(f"not a text spec: {value!r}")


def is_spec(value):
    """A spec that needs rendering (a plain string does not)."""
    return isinstance(value, dict) and any(kind in value for kind in KINDS)


def render(spec, lang, resolver):
    """The text of ``spec`` in ``lang``. A translation whose placeholders do
    not fit the parameters falls back to the English template; an unknown
    part renders as an empty text rather than failing a reader's screen."""
    if isinstance(spec, str):
        return spec
    if isinstance(spec, (int, float)):
        return str(spec)
    if not isinstance(spec, dict):
        return ""
    if "msg" in spec:
        params = {
            name: render(value, lang, resolver)
            for name, value in (spec.get("params") or {}).items()
        }
        source = spec["msg"]
        translated = resolver.translate(spec.get("module") or "base", source, lang)
        for text in (translated, source):
            try:
                return text % params if params else text
            except (KeyError, TypeError, ValueError):
                continue
        return source
    if "list" in spec:
        sep = render(spec.get("sep", ", "), lang, resolver)
        parts = [render(item, lang, resolver) for item in spec["list"]]
        return sep.join(part for part in parts if part)
    if "date" in spec:
        return resolver.date(spec["date"], lang)
    if "datetime" in spec:
        return resolver.datetime(spec["datetime"], lang)
    if "number" in spec:
        value, digits = spec["number"]
        return resolver.number(value, digits, lang)
    if "selection" in spec:
        model, field, value = spec["selection"]
        return resolver.selection(model, field, value, lang)
    if "fields" in spec:
        model, fnames = spec["fields"]
        return resolver.fields(model, fnames, lang)
    if "group" in spec:
        return resolver.group(spec["group"], lang)
    if "record" in spec:
        model, res_id = spec["record"]
        return resolver.record(model, res_id, spec.get("name") or "", lang)
    if "value" in spec:
        model, res_id, fname = spec["value"]
        return resolver.value(model, res_id, fname, spec.get("name") or "", lang)
    return ""


def english_first(langs):
    """``langs`` (language codes) with English first, once: English is the
    fallback of translated fields and the source of the templates, whether or
    not it is an installed language."""
    return ["en_US"] + [code for code in langs if code != "en_US"]


def english(spec):
    """The spec's text without a database: English templates, raw values
    (logs, tests)."""
    return render(spec, "en_US", _RawResolver())


class _RawResolver:
    def translate(self, module, source, lang):
        return source

    def date(self, value, lang):
        return value

    datetime = date

    def number(self, value, digits, lang):
        return f"{value:.{digits}f}"

    def selection(self, model, field, value, lang):
        return str(value)

    def fields(self, model, fnames, lang):
        return ", ".join(fnames)

    def group(self, xmlid, lang):
        return xmlid

    def record(self, model, res_id, name, lang):
        return name or f"{model},{res_id}"

    def value(self, model, res_id, fname, text, lang):
        return text or f"{model},{res_id}.{fname}"
