"""JSON errors without the server's Python traceback for ordinary users.

Odoo serialises every error of a JSON route with ``odoo.http.serialize_exception``,
whose ``debug`` key holds the full traceback (file paths, code lines, SQL,
values): JSON-RPC puts it in ``error.data.debug``, the JSON-2 API in ``debug``.
Every authenticated client receives it. Here ``ir.http._handle_error`` (the
hook Odoo calls to turn an exception into a response) empties that key unless
the server runs with ``--dev`` or the user is a settings administrator, who
reads the server log anyway. The error's name, message (in the user's
language) and arguments are kept: the web client shows them as before, and
the traceback stays in the server log.
"""

import json

import psycopg2
from werkzeug.wrappers import Response

from odoo import models
from odoo.http import request
from odoo.tools import config

# Dispatchers whose error body is serialize_exception(...), and where it sits.
JSON_ERROR_BODIES = {
    "jsonrpc": lambda body: (body.get("error") or {}).get("data"),
    "json2": lambda body: body,
}


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _handle_error(cls, exception):
        response = super()._handle_error(exception)
        locate = JSON_ERROR_BODIES.get(request.dispatcher.routing_type)
        if (
            locate
            and isinstance(response, Response)
            and response.mimetype == "application/json"
            and not cls._dm_client_sees_traceback()
        ):
            cls._dm_strip_traceback(response, locate)
        return response

    @classmethod
    def _dm_client_sees_traceback(cls):
        """True with ``--dev`` (any value) or for a settings administrator."""
        if config["dev_mode"]:
            return True
        env = request.env
        if not env or not env.uid:
            return False
        try:
            return env.user._is_system()
        except psycopg2.Error:
            # The failed request's transaction may be aborted (an SQL error)
            # and the groups not cached: hide, the log has the traceback.
            return False

    @classmethod
    def _dm_strip_traceback(cls, response, locate):
        try:
            body = json.loads(response.get_data())
        except ValueError:
            return
        data = locate(body) if isinstance(body, dict) else None
        if isinstance(data, dict) and data.get("debug"):
            data["debug"] = ""
            response.set_data(json.dumps(body, ensure_ascii=False))
