"""What each role may do on each model of the three addons, measured on the
running system (see docs/security.md for the table and its legend).

Shared by ``tests/test_security_matrix.py``, which compares the committed
document with what this measures, and by ``scripts/security_matrix.py``, the
authoring aid that prints the tables. Everything it creates stays in the
caller's transaction (the test and the script roll it back).

The measure, for a role and a model:

- R / C / W / D: ``has_access(operation)`` of the role's user on a real record
  of the addons' company (the access rights and the record rules);
- an action: the action called as the role's user on a record where it applies
  (one on which the superuser's call succeeds), in a savepoint: an
  ``AccessError`` means refused by role; a success or any other error (a
  ``UserError`` about the record's state or data) means allowed by role. When
  several records suit an action (approval lines of several groups), the role
  is allowed if it is allowed on one of them.

"Own company" is a user of the record's company; "another company" is a user
of a second company, with the same groups, on the same record.
"""

import re
from collections import OrderedDict
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError

ADDONS = ("medical_device", "dm_cyber", "dm_software", "dm_cyber_software")
ADDON_MODULES = tuple(f"odoo.addons.{addon}." for addon in ADDONS)
ACTION_PREFIXES = ("action_", "button_")
CRUD = ("R", "C", "W", "D")
OPERATIONS = {"R": "read", "C": "create", "W": "write", "D": "unlink"}

# (key, label in the document, groups of the test user)
ROLES = (
    ("technician", "technician", ["medical_device.group_dm_technician"]),
    ("engineer", "engineer", ["medical_device.group_dm_engineer"]),
    ("pharmacist", "pharmacist", ["medical_device.group_dm_pharmacist"]),
    ("rssi", "RSSI", ["medical_device.group_dm_rssi"]),
    ("dpo", "DPO", ["medical_device.group_dm_dpo"]),
    ("auditor", "auditor", ["medical_device.group_dm_auditor"]),
    ("internal", "internal user", ["base.group_user"]),
    ("portal", "portal", ["base.group_portal"]),
    ("public", "public", ["base.group_public"]),
)
ROLE_LABELS = [label for _key, label, _groups in ROLES]

# Cell values: (allowed in own company, allowed in another company) -> text
VALUES = {(True, True): "all", (True, False): "own", (False, True): "other"}
NONE = "—"
PARSE = {text: pair for pair, text in VALUES.items()} | {NONE: (False, False)}

# Fields that tell apart the records an action may suit (besides the state).
DISTINCT_FIELDS = ("group_id", "operation", "approval_ids")
MAX_CANDIDATES = 6
PER_STEP = 2
LEVELS = {"ok": 1, "wrote": 2, "moved": 3}
# The arguments an RPC client gives to the actions that take some (the form's
# buttons go through a wizard that asks for them).
ACTION_ARGS = {
    ("dm.approval", "action_approve"): {"comment": "Security matrix"},
    ("dm.approval", "action_reject"): {"comment": "Security matrix"},
    ("dm.remote.session", "action_refuse"): {"reason": "Security matrix"},
    ("dm.remote.session", "action_end"): {"summary": "Security matrix"},
    ("dm.disposal", "action_state_no_data"): {"statement": "Security matrix"},
    ("dm.mds2.proposal", "action_refuse"): {"reason": "Security matrix"},
}


class _Rollback(Exception):
    """Raised inside a savepoint to undo a successful call."""


# ------------------------------------------------------------ the addons' models
def addon_models(env):
    """{model name: sorted public actions} for every non-abstract model that one
    of the addons defines or extends."""
    result = {}
    for name in sorted(env.registry):
        cls = env.registry[name]
        if cls._abstract:
            continue
        # The addons' extensions of a core mixin (mail.thread) make no model
        # of every model inheriting it: only the model's own classes and those
        # of the addons' own mixins count.
        ours = [
            k
            for k in cls.__mro__
            if k.__module__.startswith(ADDON_MODULES)
            and (k._name == name or env.registry[k._name]._original_module in ADDONS)
        ]
        if not ours:
            continue
        actions = {
            attr
            for klass in ours
            for attr, value in vars(klass).items()
            if attr.startswith(ACTION_PREFIXES) and callable(value)
        }
        result[name] = sorted(actions | view_buttons(env, name))
    return result


def view_buttons(env, model):
    """Methods the addons' views call with ``type="object"`` buttons."""
    views = (
        env["ir.model.data"]
        .sudo()
        .search([("module", "in", ADDONS), ("model", "=", "ir.ui.view")])
    )
    archs = env["ir.ui.view"].sudo().browse(views.mapped("res_id")).exists()
    names = set()
    for view in archs.filtered(lambda v: v.model == model):
        for button in re.finditer(r"<button\b[^>]*>", view.arch_db or ""):
            tag = button.group(0)
            name = re.search(r'\bname="([a-z_0-9]+)"', tag)
            if 'type="object"' in tag and name and hasattr(env[model], name[1]):
                names.add(name[1])
    return names


def model_addons(env, model):
    cls = env.registry[model]
    return sorted(
        {
            k.__module__.split(".")[2]
            for k in cls.__mro__
            if k.__module__.startswith(ADDON_MODULES)
        },
        key=ADDONS.index,
    )


# ------------------------------------------------------------ the document
def parse(text):
    """{model: {"columns": [...], "rows": {role label: {column: (own, other)}}}}
    from the Markdown: a ``## `model` …`` heading, then its table."""
    matrix = OrderedDict()
    current = None
    for line in text.splitlines():
        heading = re.match(r"^## `([a-z0-9_.]+)`", line)
        if heading:
            current = matrix.setdefault(heading[1], {"columns": None, "rows": {}})
            continue
        if current is None or not line.startswith("|"):
            continue
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if current["columns"] is None:
            current["columns"] = cells[1:]
        elif set(cells) <= {"", "---"} or all(set(c) <= set("-: ") for c in cells):
            continue
        else:
            current["rows"][cells[0]] = dict(
                zip(current["columns"], cells[1:], strict=False)
            )
    return matrix


def render_table(columns, rows):
    header = ["role", *columns]
    lines = [
        "| "
        + " | ".join(f"`{c}`" if c.startswith(ACTION_PREFIXES) else c for c in header)
        + " |",
        "|" + "|".join("---" for _c in header) + "|",
    ]
    for label in ROLE_LABELS:
        lines.append(
            "| "
            + " | ".join([label, *(VALUES.get(rows[label][c], NONE) for c in columns)])
            + " |"
        )
    return "\n".join(lines)


def render_section(env, model, columns, rows):
    description = env[model]._description or model
    addons = ", ".join(model_addons(env, model))
    kind = " (wizard)" if env[model]._transient else ""
    return f"## `{model}` — {description}{kind} ({addons})\n\n" + render_table(
        columns, rows
    )


# ------------------------------------------------------------ the measure
class Probe:
    """Users of every role in two companies, a record per model, and the
    measure of each cell. ``env`` is a superuser environment."""

    def __init__(self, env):
        self.env = env(su=True, context=dict(env.context, tracking_disable=True))
        self.models = addon_models(self.env)
        self.company = self.env.ref("base.main_company")
        self.other_company = self.env["res.company"].create(
            {"name": "Security matrix: another hospital"}
        )
        self.users = {}
        for key, _label, groups in ROLES:
            for side, company in (("own", self.company), ("other", self.other_company)):
                self.users[key, side] = self._user(
                    f"matrix_{key}_{side}", groups, company
                )
        Fixtures(self.env, self.company).ensure(self.models)
        self.cells = 0
        self.unsuited = []

    def _user(self, login, groups, company):
        return (
            self.env["res.users"]
            .with_context(no_reset_password=True, mail_create_nosubscribe=True)
            .create(
                {
                    "name": login,
                    "login": login,
                    "email": f"{login}@example.com",
                    "company_id": company.id,
                    "company_ids": [Command.set(company.ids)],
                    "group_ids": [Command.set([self.env.ref(g).id for g in groups])],
                }
            )
        )

    # records of the addons' company
    def records(self, model):
        Model = self.env[model].with_context(active_test=False)
        domain = []
        field = Model._fields.get("company_id")
        if field and field.store:
            domain = [("company_id", "in", [self.company.id, False])]
        # Newest first: the fixtures, in the steps their actions apply to.
        return Model.search(domain, order="id desc")

    def measure(self, model):
        """{role label: {column: (own, other)}} for the model."""
        records = self.records(model)
        probe = records[:1]
        result = {label: {} for label in ROLE_LABELS}
        for key, label, _groups in ROLES:
            for column in CRUD:
                result[label][column] = tuple(
                    probe.with_user(self.users[key, side]).has_access(
                        OPERATIONS[column]
                    )
                    for side in ("own", "other")
                )
        for action in self.models[model]:
            suitable = self.suitable(records, action)
            for key, label, _groups in ROLES:
                result[label][action] = tuple(
                    any(
                        self.allowed(record.with_user(self.users[key, side]), action)
                        for record in suitable
                    )
                    for side in ("own", "other")
                )
        self.cells += len(ROLES) * (len(CRUD) + len(self.models[model]))
        return result

    def suitable(self, records, action):
        """The records where the action does the most (moves the record to
        another step, else writes something, else succeeds), for the
        superuser or, for a decision reserved to a role's members, for one of
        the roles; tried on a few records per step (and per reviewer group for
        approval lines). Else the first record."""
        Model = records.browse()
        state = getattr(Model, "_dm_state_field", None) or (
            "state" if "state" in Model._fields else None
        )
        keys = [f for f in (state, *DISTINCT_FIELDS) if f and f in Model._fields]
        tried, best, level = {}, Model, 0
        for record in records:
            key = tuple(str(record[f]) for f in keys)
            if tried.get(key, 0) >= PER_STEP:
                continue
            tried[key] = tried.get(key, 0) + 1
            outcome = LEVELS.get(self.call(record, action, state, writes=True), 0)
            if not outcome:
                for role, _label, _groups in ROLES[:6]:
                    user = self.users[role, "own"]
                    found = self.call(record.with_user(user), action, state, True)
                    outcome = LEVELS.get(found, 0)
                    if outcome:
                        break
            if outcome > level:
                best, level = record, outcome
            elif outcome and outcome == level and len(best) < MAX_CANDIDATES:
                best |= record
        if not level:
            self.unsuited.append((records._name, action))
        return best or records[:1]

    def allowed(self, record, action):
        return self.call(record, action) != "refused"

    def _writes(self, env):
        env.flush_all()
        env.cr.execute(
            "SELECT COALESCE(SUM(n_tup_ins + n_tup_upd + n_tup_del), 0)"
            " FROM pg_stat_xact_user_tables"
        )
        return env.cr.fetchone()[0]

    def call(self, record, action, state=None, writes=False):
        """ "moved" (the record's ``state`` changed), "wrote" (something was
        written), "ok", "refused" (AccessError) or "error" (any other
        exception)."""
        env = record.env
        before = state and record.sudo()[state]
        args = ACTION_ARGS.get((record._name, action), {})
        written = writes and self._writes(env)
        try:
            with env.cr.savepoint():
                getattr(record, action)(**args)
                moved = state and record.sudo()[state] != before
                wrote = writes and self._writes(env) != written
                raise _Rollback
        except _Rollback:
            outcome = "moved" if moved else "wrote" if wrote else "ok"
        except AccessError:
            outcome = "refused"
        except Exception:  # any other refusal is about the data
            outcome = "error"
        finally:
            env.invalidate_all()
        return outcome

    def matrix(self):
        return {model: self.measure(model) for model in self.models}


# ------------------------------------------------------------ fixtures
class Fixtures:
    """Records of the company for the models the demo data leaves empty, in the
    steps their actions apply to."""

    def __init__(self, env, company):
        self.env = env
        self.company = company

    def ensure(self, models):
        for model in models:
            maker = getattr(self, "_" + model.replace(".", "_"), None)
            if maker:
                maker()

    def _device(self, remote=False):
        domain = [
            ("company_id", "=", self.company.id),
            ("is_medical_device", "=", True),
            ("lifecycle_state", "=", "in_service"),
        ]
        if remote:
            domain.append(
                (
                    "remote_maintenance_channel",
                    "in",
                    ["supplier_vpn", "hospital_bastion"],
                )
            )
        return self.env["maintenance.equipment"].search(domain, limit=1)

    def _dm_cyber_campaign(self):
        Campaign = self.env["dm.cyber.campaign"]
        kind = Campaign._fields["kind"].get_values(self.env)[0]
        for state in ("draft", "running", "done", "cancelled"):
            campaign = Campaign.create(
                {
                    "name": f"Matrix campaign {state}",
                    "kind": kind,
                    "company_id": self.company.id,
                }
            )
            self.env["dm.cyber.campaign.line"].create(
                {"campaign_id": campaign.id, "equipment_id": self._device().id}
            )
            if state in ("running", "done"):
                campaign.action_start()
            if state == "done":
                campaign.line_ids.action_mark_done()
                campaign.action_close()
            if state == "cancelled":
                campaign.action_cancel()

    def _dm_remote_agreement(self):
        Agreement = self.env["dm.remote.agreement"]
        device = self._device(remote=True)
        channel = device.remote_maintenance_channel
        today = fields.Date.context_today(Agreement)
        for state in ("draft", "active"):
            agreement = Agreement.create(
                {
                    "name": f"Matrix agreement {state}",
                    "supplier_id": self.company.partner_id.id,
                    "channel": channel,
                    "date_start": today,
                    "date_end": today + timedelta(days=365),
                    "equipment_ids": [Command.set(device.ids)],
                    "company_id": self.company.id,
                }
            )
            if state == "active":
                agreement.action_activate()

    def _dm_remote_session(self):
        # Requested in the administrator's name: the superuser authorises
        # (four eyes).
        admin = self.env.ref("base.user_admin")
        Session = self.env["dm.remote.session"].with_user(admin).sudo()
        for state in ("requested", "authorised", "in_progress"):
            session = Session.create(
                {
                    "name": f"Matrix session {state}",
                    "equipment_id": self._device(remote=True).id,
                    "technician_name": "Supplier technician",
                    "reason": "Matrix",
                }
            )
            session = session.with_env(self.env)
            if state in ("authorised", "in_progress"):
                session.action_authorise()
            if state == "in_progress":
                session.action_start()

    def _dm_activity_digest(self):
        # The daily jobs make digests only above a threshold of devices: one
        # of the demo's devices is enough to open its list.
        Digest = self.env["dm.activity.digest"]
        device = self._device()
        Digest.create(
            {
                "kind": Digest._fields["kind"].get_values(self.env)[0],
                "company_id": self.company.id,
                "site": device.location or "Matrix site",
                "device_ids": [(6, 0, device.ids)],
                "device_count": len(device),
            }
        )

    def _dm_fleet_import(self):
        mapping = self.env["dm.import.mapping"].search([], limit=1)
        record = self.env["dm.fleet.import"].create(
            {
                "name": "Matrix import",
                "company_id": self.company.id,
                "mapping_id": mapping.id,
            }
        )
        kind = self.env["dm.fleet.import.error"]._fields["kind"]
        self.env["dm.fleet.import.error"].create(
            {
                "import_id": record.id,
                "message": "Matrix error",
                "kind": kind.get_values(self.env)[0],
            }
        )

    def _dm_reception(self):
        # A reception submitted for acceptance by the administrator, with the
        # comment a rejection needs: the decisions apply to it.
        admin = self.env.ref("base.user_admin")
        reception = self.env["dm.reception"].search(
            [("state", "=", "draft"), ("company_id", "=", self.company.id)], limit=1
        )
        reception.write({"decision_comment": "Matrix"})
        reception.with_user(admin).sudo().action_submit()

    def _dm_approval_reject_wizard(self):
        lines = self.env["dm.approval"].search(
            [("state", "=", "pending"), ("company_id", "=", self.company.id)]
        )
        # One wizard per reviewer group.
        for group in lines.group_id:
            line = lines.filtered(lambda x, g=group: x.group_id == g)[:1]
            self.env["dm.approval.reject.wizard"].create(
                {"approval_ids": [Command.set(line.ids)], "comment": "Matrix"}
            )

    def _dm_eudamed_lookup_wizard(self):
        # A look-up of a device in reception with EUDAMED's notified body
        # ticked: applying it is a change of the device's CE data.
        device = self.env["maintenance.equipment"].search(
            [
                ("company_id", "=", self.company.id),
                ("is_medical_device", "=", True),
                ("lifecycle_state", "=", "reception"),
            ],
            limit=1,
        )
        self.env["dm.eudamed.lookup.wizard"].create(
            {
                "res_model": device._name,
                "res_id": device.id,
                "found": True,
                "line_ids": [
                    Command.create(
                        {
                            "field_name": "notified_body_number",
                            "label": "Notified body",
                            "eudamed_value": "0459",
                            "differs": True,
                            "can_apply": True,
                            "apply": True,
                        }
                    )
                ],
            }
        )

    def _dm_software_install_wizard(self):
        Version = self.env["dm.software.version"]
        site = self.env["dm.software.site"].search(
            [("company_id", "in", [self.company.id, False])], limit=1
        )
        for version in Version.search([("state", "=", "validated")], limit=1):
            self.env["dm.software.install.wizard"].create(
                {"version_id": version.id, "site_id": site.id}
            )

    def _dm_software_qualification_wizard(self):
        software = self.env["dm.software"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        self.env["dm.software.qualification.wizard"].create(
            {"software_id": software.id}
        )

    def _dm_vulnerability(self):
        # A device's open vulnerability, as the matching creates it (issue 16).
        cve = self.env["dm.cve"].create({"name": "CVE-2099-0001"})
        advisory = self.env["dm.advisory"].create(
            {"name": "Security matrix advisory", "cve_ids": [Command.set(cve.ids)]}
        )
        self.env["dm.vulnerability"].create(
            {
                "equipment_id": self._device().id,
                "cve_id": cve.id,
                "advisory_id": advisory.id,
            }
        )

    def _mail_activity(self):
        # The activity measured: one on a medical device, for the administrator.
        self._device().activity_schedule(
            "mail.mail_activity_data_todo",
            summary="Security matrix",
            user_id=self.env.ref("base.user_admin").id,
        )

    def _res_config_settings(self):
        self.env["res.config.settings"].create({})
