import datetime
import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.orm.identifiers import NewId

# Size limits of the values a client (not the superuser) sends; a Char's own
# ``size`` wins. Far above any real inventory code, name or note, far below what
# would bloat the database, the chatter's tracking or the exports: a 5 MB string
# is a mistake or an attack, refused with a message rather than stored.
CHAR_MAX_LENGTH = 1_000
TEXT_MAX_LENGTH = 100_000
# Html may carry pasted images and tables: larger, still bounded.
HTML_MAX_LENGTH = 1_000_000
# PostgreSQL ``integer`` (int4) bounds: beyond them the database fails the query.
INT4_MIN, INT4_MAX = -(2**31), 2**31 - 1


class DmInputGuard(models.AbstractModel):
    """The kinds, sizes and finiteness of the values written on the suite's
    models, checked before any of their code reads them: a wrong value gets a
    clear message naming the field, not a traceback from deep in the code
    (a ``KeyError`` on a selection label, an ``AttributeError`` on a code that
    is not text) nor a database error (infinity, integer out of range)."""

    _name = "dm.input.guard"
    _description = "Medical device suite: checks of the values written"

    # A model whose own create/write reads the values before these run calls
    # ``_dm_check_input_vals`` first itself (e.g. dm.workflow.mixin).
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._dm_check_create_input(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._dm_check_input_vals(vals)
        return super().write(vals)

    @api.model
    def _dm_check_create_input(self, vals):
        """The values of a new record, with the ``default_*`` keys of the
        context that the ORM would apply to the fields not given."""
        defaults = {
            key[len("default_") :]: value
            for key, value in self.env.context.items()
            if key.startswith("default_") and key[len("default_") :] not in vals
        }
        self._dm_check_input_vals({**defaults, **vals})

    @api.model
    def _dm_check_input_vals(self, vals):
        # The values of clients. Writes in sudo are the server's own (data
        # files; the fleet import, whose parser types every cell, at 100,000
        # rows): a client's value reaches them only through an action's checks.
        if self.env.su:
            return
        for fname, value in vals.items():
            field = self._fields.get(fname)
            # Empty values (False, None, "") clear the field.
            if field is None or value is False or value is None or value == "":
                continue
            problem = self._dm_input_problem(field, value)
            if problem:
                raise ValidationError(
                    self.env._(
                        "%(field)s: %(problem)s",
                        field=field.get_description(self.env)["string"],
                        problem=problem,
                    )
                )

    @api.model
    def _dm_input_problem(self, field, value):
        """Why ``value`` cannot be written in ``field`` (``None``: it can)."""
        ftype = field.type
        if ftype == "selection":
            values = field.get_values(self.env)
            if isinstance(value, str) and value in values:
                return None
            labels = dict(field._description_selection(self.env))
            return self.env._(
                "%(value)s is not one of the allowed values (%(allowed)s).",
                value=_show(value),
                allowed=", ".join(str(labels.get(v, v)) for v in values),
            )
        if ftype in ("char", "text", "html"):
            if not isinstance(value, str):
                return self.env._(
                    "a text is expected, not %(value)s.", value=_show(value)
                )
            limit = {
                "char": CHAR_MAX_LENGTH,
                "text": TEXT_MAX_LENGTH,
                "html": HTML_MAX_LENGTH,
            }[ftype]
            if ftype == "char" and field.size:
                limit = min(limit, field.size)
            if len(value) > limit:
                return self.env._(
                    "too long (%(length)s characters): at most %(max)s are allowed.",
                    length=len(value),
                    max=limit,
                )
            return None
        if ftype in ("float", "monetary"):
            # Numbers, or their text (data files give values as text).
            try:
                number = float(value)
            except (TypeError, ValueError, OverflowError):
                return self.env._(
                    "a number is expected, not %(value)s.", value=_show(value)
                )
            if not math.isfinite(number):
                return self.env._(
                    "%(value)s is not a finite number.", value=_show(value)
                )
            return None
        if ftype == "boolean" and not isinstance(value, (bool, int)):
            return self.env._(
                "true or false is expected, not %(value)s.", value=_show(value)
            )
        if ftype in ("date", "datetime"):
            return self._dm_date_problem(field, value)
        if ftype in ("one2many", "many2many"):
            return self._dm_commands_problem(value)
        if ftype == "many2one" and isinstance(value, (models.BaseModel, NewId)):
            return None  # a record or a new id, from the server's own code
        if ftype == "many2one" and (
            isinstance(value, bool) or not isinstance(value, int)
        ):
            return self.env._(
                "a record id is expected, not %(value)s.", value=_show(value)
            )
        if ftype in ("integer", "many2one"):
            try:
                number = int(value)
            except (TypeError, ValueError, OverflowError):
                return self.env._(
                    "a whole number is expected, not %(value)s.", value=_show(value)
                )
            if not INT4_MIN <= number <= INT4_MAX:
                return self.env._("%(value)s is out of range.", value=_show(value))
        return None

    @api.model
    def _dm_date_problem(self, field, value):
        if isinstance(value, (datetime.date, datetime.datetime)):
            return None
        convert = (
            fields.Date.to_date if field.type == "date" else fields.Datetime.to_datetime
        )
        try:
            valid = isinstance(value, str) and bool(convert(value))
        except (TypeError, ValueError, OverflowError):
            valid = False
        if valid:
            return None
        if field.type == "date":
            return self.env._(
                "a date (YYYY-MM-DD) is expected, not %(value)s.", value=_show(value)
            )
        return self.env._(
            "a date and time (YYYY-MM-DD HH:MM:SS) is expected, not %(value)s.",
            value=_show(value),
        )

    @api.model
    def _dm_commands_problem(self, value):
        """The shape of a one2many/many2many value: records, ids or commands.
        The values inside a create/update command are checked by the lines'
        own model when it is guarded."""
        if isinstance(value, models.BaseModel):
            return None
        wrong = self.env._(
            "a list of records or of commands is expected, not %(value)s.",
            value=_show(value),
        )
        if not isinstance(value, (list, tuple)):
            return wrong
        for command in value:
            if isinstance(command, NewId) or _is_id(command):
                continue
            if not isinstance(command, (list, tuple)) or not command:
                return wrong
            if not _is_command(command):
                return self.env._(
                    "%(value)s is not a valid command on these lines.",
                    value=_show(command),
                )
        return None


def _is_id(value):
    return (
        isinstance(value, int) and not isinstance(value, bool) and 0 < value <= INT4_MAX
    )


def _is_command(command):
    """A well-formed x2many command (see ``odoo.fields.Command``)."""
    code, rest = command[0], list(command[1:])
    if isinstance(code, bool) or code not in tuple(Command):
        return False
    if code == Command.CLEAR:
        return True
    if len(rest) < 1:
        return False
    if code == Command.CREATE:
        return len(rest) == 2 and isinstance(rest[1], dict)
    if code == Command.UPDATE:
        return (
            len(rest) == 2
            and (_is_id(rest[0]) or isinstance(rest[0], NewId))
            and isinstance(rest[1], dict)
        )
    if code == Command.SET:
        ids = rest[1] if len(rest) == 2 else None
        return isinstance(ids, (list, tuple)) and all(
            _is_id(i) or isinstance(i, NewId) for i in ids
        )
    # DELETE, UNLINK, LINK: one record id.
    return _is_id(rest[0]) or isinstance(rest[0], NewId)


def _show(value):
    """A short, readable rendering of a wrong value for a message."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
