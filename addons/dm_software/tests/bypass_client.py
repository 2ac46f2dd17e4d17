"""What the bypass suite (test_http_bypass) needs besides the attacks: a web
client per role over real JSON-RPC, the registry's gated models, their
fields and public methods, the context keys our code reads, hostile values,
and the read back as the superuser."""

import inspect
import json
import re
from pathlib import Path

import requests

from odoo import fields as odoo_fields
from odoo.tests.common import TEST_CURSOR_COOKIE_NAME
from odoo.tools import json_default

# Our addons: their classes give the public methods to attack, their sources
# the context keys to forge.
OURS = ("medical_device", "dm_cyber", "dm_software", "dm_cyber_software")
ADDONS_DIR = Path(__file__).resolve().parents[2]

# What a refusal may be called on the wire (error.data.name).
REFUSALS = frozenset(
    f"odoo.exceptions.{name}"
    for name in ("AccessError", "UserError", "ValidationError", "MissingError")
)
# The CRUD methods, attacked by their own steps (create, write, copy, unlink).
CRUD = frozenset({"create", "write", "copy", "unlink"})
# Context keys the framework reads that change which rules apply, forged on
# every create beside the keys our code reads.
FRAMEWORK_KEYS = {
    "active_test": False,
    "tracking_disable": True,
    "mail_notrack": True,
    "mail_create_nolog": True,
    "install_mode": True,
    "import_file": True,
    "module": "medical_device",
}
CONTEXT_KEY_RE = re.compile(
    r"""context\.get\(\s*["'](\w+)["']|context\[["'](\w+)["']\]"""
    r"""|["'](\w+)["'] in (?:self\.env\.|self\._|env\.)?context"""
    r"""|with_context\((\w+)="""
)


def context_keys_read_by_our_code():
    """Every context key a model, wizard or controller of our addons reads or
    sets, grepped from the sources at test time: a new one is forged without
    anyone adding a line."""
    keys = set()
    for addon in OURS:
        for path in (ADDONS_DIR / addon).rglob("*.py"):
            if "tests" in path.parts:
                continue
            for match in CONTEXT_KEY_RE.finditer(path.read_text(encoding="utf-8")):
                keys.add(next(group for group in match.groups() if group))
    return keys


def gated_models(env):
    """Every model inheriting dm.workflow.mixin (maintenance.equipment is one)."""
    mixin = env.registry["dm.workflow.mixin"]
    return sorted(
        name
        for name, model in env.registry.items()
        if not model._abstract and not model._transient and issubclass(model, mixin)
    )


# Free text a user types with a decision (a rejection's comment, a refusal's
# reason, a no-data statement, a session's summary): given, so that the call
# meets the role check rather than "say why".
TEXT_ARGUMENTS = frozenset({"comment", "reason", "statement", "summary", "note"})


def public_methods(Model):
    """{name: keyword arguments} of the public methods our addons define on
    the model (CRUD apart), callable over RPC on records with no required
    argument; their free-text arguments are filled in."""
    methods = {}
    for cls in type(Model).mro():
        if not cls.__module__.startswith(tuple(f"odoo.addons.{a}" for a in OURS)):
            continue
        for name, func in vars(cls).items():
            if name.startswith("_") or name in CRUD or not callable(func):
                continue
            if getattr(func, "_api_private", False) or hasattr(func, "_api_model"):
                continue
            params = list(inspect.signature(func).parameters.values())[1:]
            if any(
                p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
                for p in params
            ):
                continue
            methods.setdefault(
                name,
                {p.name: "Bypass suite" for p in params if p.name in TEXT_ARGUMENTS},
            )
    return dict(sorted(methods.items()))


def transition_fields(Model):
    """The state field and the other state fields, with their transitions."""
    moves = {}
    if Model._dm_state_field:
        moves[Model._dm_state_field] = Model._dm_transitions
    moves.update(Model._dm_extra_transitions)
    return moves


def other_value(env, Model, fname, current):
    """A value of the field's kind that is not the current one (None: the
    field has no such value to forge)."""
    field = Model._fields[fname]
    kind = field.type
    if kind == "boolean":
        return not current
    if kind in ("char", "text", "html"):
        return "BYPASS" if current != "BYPASS" else "BYPASS2"
    if kind in ("integer", "many2one_reference"):
        return (current or 0) + 4242
    if kind in ("float", "monetary"):
        return (current or 0.0) + 4242.5
    if kind == "date":
        return "2001-02-03"
    if kind == "datetime":
        return "2001-02-03 04:05:06"
    if kind == "selection":
        values = field._description_selection(env)
        choices = [key for key, _label in values if key != current]
        return choices[-1] if choices else None
    if kind == "json":
        return {"bypass": 1}
    if kind in ("many2one", "many2many", "one2many"):
        # sudo: the test picks a record to forge; the client then sends its id.
        comodel = env[field.comodel_name].sudo().with_context(active_test=False)
        current_ids = current if isinstance(current, list) else []
        if kind == "many2one":
            if isinstance(current, (list, tuple)):
                current = current[0]
            current_ids = [current] if current else []
        if field.comodel_name == "res.company":
            # Another hospital's company, not the user's.
            found = comodel.search(
                [("id", "not in", current_ids)], limit=1, order="id desc"
            )
        else:
            found = comodel.search([("id", "not in", current_ids)], limit=1)
        if kind == "many2one":
            return found.id or None
        if kind == "many2many":
            return [odoo_fields.Command.set(found.ids)] if found else None
        return [odoo_fields.Command.clear()]
    return None


class RoleClient:
    """A role's web client: its own requests session, logged in by
    /web/session/authenticate, calling models through /web/dataset/call_kw as
    the web client does (or /json/2 with an API key)."""

    def __init__(self, case, login, password, api_key=None):
        self.case = case
        self.login = login
        self.session = requests.Session()
        self.api_key = api_key
        response = self.post(
            "/web/session/authenticate",
            {
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "db": case.env.cr.dbname,
                    "login": login,
                    "password": password,
                },
            },
        )
        body = response.json()
        assert body.get("result", {}).get("uid"), (login, body)

    def post(self, path, payload, headers=None):
        # The server serves this test's transaction: what the test wrote is
        # flushed, and what the server writes is read afresh afterwards.
        self.case.env.cr.flush()
        self.case.env.cr.clear()
        with self.case.allow_requests():
            self.session.cookies.set(
                TEST_CURSOR_COOKIE_NAME, self.case.http_request_key
            )
            return self.session.post(
                self.case.base_url() + path,
                data=json.dumps(payload, default=json_default),
                headers={"Content-Type": "application/json", **(headers or {})},
                timeout=60,
            )

    def call(self, model, method, args, kwargs=None, context=None):
        """(error name or None, result or error body, raw response)"""
        kwargs = dict(kwargs or {})
        kwargs["context"] = {"lang": "en_US", **(context or {})}
        response = self.post(
            f"/web/dataset/call_kw/{model}/{method}",
            {
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "model": model,
                    "method": method,
                    "args": args,
                    "kwargs": kwargs,
                },
            },
        )
        return self._read(response, "jsonrpc")

    def call_json2(self, model, method, ids=(), context=None, **kwargs):
        response = self.post(
            f"/json/2/{model}/{method}",
            {"ids": list(ids), "context": context or {}, **kwargs},
            headers={"Authorization": f"Bearer {self.api_key}"},
        )
        return self._read(response, "json2")

    @staticmethod
    def _read(response, protocol):
        try:
            body = response.json()
        except ValueError:
            return (
                "not JSON",
                f"HTTP {response.status_code}: {response.text[:300]}",
                response,
            )
        if protocol == "json2":
            if response.status_code == 200:
                return None, body, response
            return body.get("name", "no name"), body, response
        if "error" in body:
            data = body["error"].get("data") or {}
            return data.get("name", "no name"), body["error"], response
        return None, body.get("result"), response
