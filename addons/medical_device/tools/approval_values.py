"""The values an approval covers, kept raw and rendered when read.

An approval line stores ``{field name: raw value}`` (JSON): the reader sees
them in their own language and date format, whoever requested the approval.
"""

from odoo import fields, models
from odoo.tools import format_date, format_datetime, formatLang

# A value in the one-line brief of an approval is cut to this many characters.
BRIEF_SIZE = 60


def raw_value(record, fname):
    """The value of ``record[fname]`` as JSON: relational fields as ids,
    dates as ISO strings, the rest as it is."""
    field = record._fields[fname]
    if field.compute and not field.store and field.type in ("char", "text", "html"):
        # A text computed from other records (an erasure's summary, say) cannot
        # be computed again from a raw value: it is kept in every installed
        # language, as it reads when requested.
        texts = {}
        for code, _name in record.env["res.lang"].get_installed():
            in_lang = record.with_context(lang=code)
            in_lang.invalidate_recordset([fname], flush=False)
            texts[code] = str(in_lang[fname] or "")
        record.invalidate_recordset([fname], flush=False)
        return {"by_lang": texts}
    value = record[fname]
    if isinstance(value, models.BaseModel):
        return value.ids
    if field.type == "date":
        return fields.Date.to_string(value) if value else False
    if field.type == "datetime":
        return fields.Datetime.to_string(value) if value else False
    if field.type == "monetary":
        return float(value or 0.0)
    if field.type == "html":
        return str(value or "")
    return value


def shorten(text, size=BRIEF_SIZE):
    """``text`` on one line, cut to ``size`` characters."""
    text = " ".join(str(text).split())
    return text if len(text) <= size else text[: size - 1] + "…"


def render_value(model, fname, value):
    """The raw ``value`` of field ``fname`` of ``model`` as its reader reads it
    (``model.env``'s language)."""
    env = model.env
    field = model._fields[fname]
    if field.type == "boolean":
        return env._("Yes") if value else env._("No")
    if isinstance(value, dict) and "by_lang" in value:
        texts = value["by_lang"]
        return (
            texts.get(env.lang) or texts.get("en_US") or next(iter(texts.values()), "")
        )
    if value in (False, None, "", []):
        return ""
    if field.type == "selection":
        return dict(field._description_selection(env)).get(value, str(value))
    if field.type == "date":
        return format_date(env, value)
    if field.type == "datetime":
        return format_datetime(env, value)
    if field.type in ("many2one", "many2many", "one2many"):
        ids = value if isinstance(value, list) else [value]
        # sudo: the names of the approved records, for whoever reads the line.
        records = env[field.comodel_name].sudo().browse(ids).exists()
        return ", ".join(records.mapped("display_name"))
    if field.type in ("float", "monetary"):
        digits = field.get_digits(env)
        return formatLang(env, value, digits=digits[1] if digits else 2)
    # Integers as they are: a port or a VLAN number takes no thousands separator.
    return str(value)
