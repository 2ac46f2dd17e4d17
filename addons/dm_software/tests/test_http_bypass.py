"""Bypass suite: every gated model of the registry attacked over real JSON-RPC
by every role, then read back as the superuser.

dm_software's tests run after the three addons are installed (post_install),
so the registry holds the gated models of all three. Nothing here names a
model's field or method but the seeds of models the demo leaves empty and
the invariants of two scenarios (disposal without erasure, installing an
unvalidated version): a new gated model, field or action is attacked as it
lands."""

import collections
import logging
from datetime import date, datetime, timedelta
from types import SimpleNamespace

from odoo.addons.medical_device.tests.common import ROLE_GROUPS as ROLES
from odoo.addons.medical_device.tests.figures import record_figure
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import SQL, mute_logger

from .bypass_client import (
    FRAMEWORK_KEYS,
    REFUSALS,
    RoleClient,
    context_keys_read_by_our_code,
    gated_models,
    other_value,
    public_methods,
    transition_fields,
)

_logger = logging.getLogger(__name__)

# Who last wrote a row and when: a call that changed nothing else changed
# nothing (an action may write a record's values as they were).
META = frozenset({"write_uid", "write_date"})
# The role that also calls /json/2 with an API key.
JSON2_ROLE = "technician"


@tagged("post_install", "-at_install", "dm_http")
class TestBypassOverRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context=dict(cls.env.context, lang="en_US"))
        cls.env = env
        cls.company = env.company
        cls.other_company = env["res.company"].create({"name": "Bypass hospital B"})
        cls.users = {
            role: new_test_user(
                env,
                login=f"bypass_{role}",
                groups=group,
                company_id=cls.company.id,
                company_ids=[cls.company.id],
            )
            for role, group in ROLES.items()
        }
        cls.api_key = (
            env["res.users.apikeys"]
            .with_user(cls.users[JSON2_ROLE])
            ._generate("rpc", "bypass", datetime.now() + timedelta(days=0.5))
        )
        cls.models = gated_models(env)
        cls._seed()
        cls.targets = {name: cls._targets(name) for name in cls.models}
        cls._own_requests()

    # ------------------------------------------------------------ fixtures
    @classmethod
    def _seed(cls):
        """Records of the gated models the demo leaves empty (dm_cyber's remote
        maintenance and update campaigns), made as the superuser."""
        env = cls.env
        Equipment = env["maintenance.equipment"]
        supplier = env["res.partner"].create(
            {"name": "Bypass MedTech", "is_company": True}
        )
        os_version = env["dm.os.version"].create(
            {
                "vendor": "Bypass vendor",
                "product": "Bypass OS",
                "version": "10",
                "end_of_support": "2032-01-13",
            }
        )
        devices = Equipment.create(
            [
                {
                    "name": f"Bypass pump {n}",
                    "is_medical_device": True,
                    "dm_kind": "dm",
                    "serial_no": f"BYPASS-{n}",
                    "acquisition_mode": "purchase",
                    "acq_ce_checked": True,
                    "acq_training_planned": True,
                    "is_connected": True,
                    "remote_maintenance_channel": "supplier_vpn",
                    "partner_id": supplier.id,
                    "os_version_id": os_version.id,
                    "company_id": cls.company.id,
                }
                for n in (1, 2)
            ]
        )
        Agreement = env["dm.remote.agreement"]
        if not Agreement.search_count([]):
            vals = {
                "name": "Bypass remote support",
                "supplier_id": supplier.id,
                "equipment_ids": [(6, 0, devices.ids)],
                "channel": "supplier_vpn",
                "date_start": date.today() - timedelta(days=1),
                "date_end": date.today() + timedelta(days=30),
            }
            Agreement.create(vals)
            Agreement.create(vals).action_activate()
        Session = env["dm.remote.session"]
        if not Session.search_count([]):
            vals = {
                "equipment_id": devices[0].id,
                "technician_name": "Paul Martin",
                "reason": "Update the drug library",
            }
            Session.with_user(cls.users["technician"]).create(vals)
            authorised = Session.with_user(cls.users["technician"]).create(vals)
            if authorised.state == "requested":
                authorised.with_user(cls.users["rssi"]).action_authorise()
        Override = env["dm.qc.override"]
        if not Override.search_count([]):
            # An engineer's override of the demo X-ray's mandatory QC.
            Override.create(
                {
                    "plan_id": env.ref(
                        "medical_device.maintenance_plan_practix_qc_internal_demo"
                    ).id,
                    "reason": "Bypass: physicist's visit booked",
                }
            )
        Campaign = env["dm.cyber.campaign"]
        if not Campaign.search_count([]):
            campaigns = Campaign.create(
                [
                    {
                        "name": f"Bypass wave {n}",
                        "kind": "os",
                        "target_os_version_id": os_version.id,
                        "target_equipment_ids": [(6, 0, devices.ids)],
                    }
                    for n in (1, 2)
                ]
            )
            campaigns.action_generate_lines()
            campaigns[1].action_start()
            campaigns[1].line_ids[:1].with_user(
                cls.users["technician"]
            ).action_mark_done()

    @classmethod
    def _targets(cls, model):
        """One record of the model in each of its states (and each value of
        its other state fields), of the users' company, that the workflow
        governs."""
        Model = cls.env[model].with_context(active_test=False)
        domain = []
        if "company_id" in Model._fields:
            domain = [("company_id", "in", [cls.company.id, False])]
        records = Model.search(domain, order="id desc")._dm_workflow_records()
        picked = Model.browse()
        seen = set()
        for record in records:
            key = tuple(record[f] for f in transition_fields(Model))
            if key not in seen:
                seen.add(key)
                picked |= record
        assert picked, (
            f"No record of {model} to attack: the demo has none; add one in "
            "TestBypassOverRpc._seed."
        )
        return picked

    @classmethod
    def _own_requests(cls):
        """Pending approvals requested by a member of the deciding group: the
        four-eyes rule must refuse them their own request."""
        for line in cls.targets["dm.approval"].filtered(lambda a: a.state == "pending"):
            for role, group in ROLES.items():
                if line.group_id == cls.env.ref(group):
                    line.requested_by_id = cls.users[role]

    # ------------------------------------------------------------ read back
    def snapshot(self, records):
        """The records' rows as the database holds them (every stored column,
        and the links of their stored many2many fields): one query, no
        cache."""
        Model = records.env[records._name]
        self.env.cr.execute(
            SQL(
                "SELECT * FROM %s WHERE id IN %s",
                SQL.identifier(Model._table),
                tuple(records.ids),
            )
        )
        rows = {row["id"]: row for row in self.env.cr.dictfetchall()}
        for fname, field in Model._fields.items():
            if field.type == "many2many" and field.store and rows:
                self.env.cr.execute(
                    SQL(
                        "SELECT %s, array_agg(%s ORDER BY %s) FROM %s "
                        "WHERE %s IN %s GROUP BY 1",
                        SQL.identifier(field.column1),
                        SQL.identifier(field.column2),
                        SQL.identifier(field.column2),
                        SQL.identifier(field.relation),
                        SQL.identifier(field.column1),
                        tuple(rows),
                    )
                )
                links = dict(self.env.cr.fetchall())
                for rid, row in rows.items():
                    row[fname] = links.get(rid, [])
        return rows

    def fingerprint(self):
        tables = [self.env[m]._table for m in self.models]
        query = " UNION ALL ".join(
            f"SELECT '{table}', count(*), max(id), max(write_date) FROM {table}"
            for table in tables
        )
        self.env.cr.execute(query)
        return {table: tuple(marks) for table, *marks in self.env.cr.fetchall()}

    # ------------------------------------------------------------ one attempt
    def attempt(self, role, model, what, targets, call, judge=None):
        """Run ``call`` (a request as ``role``) and judge what it did; the
        database is then put back as it was, so that attempts do not depend
        on each other."""
        self.env.flush_all()
        # Every attempt is undone: the database is the same before each one.
        key = (targets._name, tuple(targets.ids))
        if key not in self.before:
            self.before[key] = self.snapshot(targets)
        before = self.before[key]
        if self.prints is None:
            self.prints = self.fingerprint()
        prints = self.prints
        self.env.cr.execute("SAVEPOINT bypass_attempt")
        try:
            error, body, _response = call()
            after = self.snapshot(targets)
            new_prints = self.fingerprint()
            changed = {
                rid: {
                    f: (row[f], after[rid][f])
                    for f in row
                    if rid in after and after[rid][f] != row[f] and f not in META
                }
                for rid, row in before.items()
            }
            changed = {rid: diff for rid, diff in changed.items() if diff}
            deleted = set(before) - set(after)
            # Gated tables where rows were added, removed or written.
            created = {
                table for table, marks in new_prints.items() if marks != prints[table]
            }
            self.stats["attempts"] += 1
            self.kinds[(model, what.split()[0])] += 1
            if error:
                if error in REFUSALS and not (changed or deleted or created):
                    self.stats["refused"] += 1
                    return
                problem = f"answered {error} " + (
                    "and changed data" if changed or deleted or created else ""
                )
            elif not (changed or deleted or created):
                self.stats["no_effect"] += 1
                return
            else:
                problem = (judge or self.judge_move)(
                    SimpleNamespace(
                        role=role,
                        model=model,
                        targets=targets,
                        changed=changed,
                        deleted=deleted,
                        created=created,
                        prints=prints,
                        body=body,
                    )
                )
                if not problem:
                    self.stats["allowed"] += 1
                    _logger.debug(
                        "allowed: %s %s as %s: %s", model, what, role, changed
                    )
                    return
            detail = body if error else {"changed": changed, "deleted": deleted}
            self.failures.append(
                f"{model} {what} as {role}: {problem} "
                f"(records {sorted(before)}): {str(detail)[:600]}"
            )
        finally:
            self.env.cr.execute("ROLLBACK TO SAVEPOINT bypass_attempt")
            self.env.clear()

    # ------------------------------------------------------------ the judge
    def may_move(self, role, record, fname, old, new):
        """Whether the role may make this move, read from the declarations
        (``_dm_transitions``, ``_dm_extra_transitions``), not from the code
        that enforces them: the groups of the move, any of them; a move
        declared without groups is open to whoever the access rights let
        write. An approval is decided by a member of its group who did not
        request it."""
        Model = record.env[record._name]
        moves = transition_fields(Model)[fname]
        if (old, new) not in moves:
            return False
        user = self.users[role]
        if record._name == "dm.approval":
            return (
                record.group_id in user.all_group_ids and user != record.requested_by_id
            )
        groups = moves[(old, new)]
        return not groups or any(user.has_group(group) for group in groups)

    def judge_move(self, outcome):
        """A successful call that changed something: legitimate only if it
        made moves the role may make, on records the role may write, and
        broke none of the invariants."""
        role, model, targets = outcome.role, outcome.model, outcome.targets
        changed, deleted, created = outcome.changed, outcome.deleted, outcome.created
        Model = self.env[model]
        user = self.users[role]
        moves = transition_fields(Model)
        may_write = Model.with_user(user).has_access("write")
        if deleted:
            return f"deleted {sorted(deleted)}"
        moved = False
        for rid, diff in changed.items():
            record = targets.browse(rid)
            for fname, (old, new) in diff.items():
                if fname in moves:
                    old = old[0] if isinstance(old, tuple) else old
                    if not self.may_move(role, record, fname, old, new):
                        return f"moved {fname} {old!r} -> {new!r}"
                    moved = True
            if not (may_write or set(diff) & set(moves)):
                return f"changed {sorted(diff)} without write access"
            problem = self.invariant(record)
            if problem:
                return problem
        for table in created - {Model._table}:
            made = next(m for m in self.models if self.env[m]._table == table)
            # What an allowed move brings about (the device disposed with its
            # disposal), and the documents only the engine makes (approval
            # lines, installs, qualifications), follow from the call: judged
            # by the invariants.
            engine_made = self.env[made]._dm_create_states == ()
            if not (
                moved
                or engine_made
                or may_write
                or self.env[made].with_user(user).has_access("create")
            ):
                return f"made or changed a {made} without the right to"
            problem = self.invariant_new(made)
            # The rows the call wrote in that table keep the invariants too.
            since = outcome.prints[table][2]
            written = (
                self.env[made]
                .with_context(active_test=False)
                .search([("write_date", ">=", since)] if since else [], limit=50)
            )
            for record in written:
                problem = problem or self.invariant(record)
            if problem:
                return problem
        return None

    def invariant(self, record):
        """What no call may ever leave behind, whoever makes it."""
        record = record.with_context(active_test=False)
        if (
            record._name == "dm.disposal"
            and "holds_data" in record._fields
            and record.state in ("ready", "done")
            and record.holds_data
            and not record.signed_off_by_id
        ):
            return f"{record.display_name} disposed of without a signed-off erasure"
        if record._name == "maintenance.equipment" and (
            record.lifecycle_state == "disposed" and record.disposal_state != "done"
        ):
            return f"{record.display_name} disposed without a done disposal"
        return None

    def invariant_new(self, model):
        if model == "dm.software.install":
            Install = self.env[model].with_context(active_test=False)
            for install in Install.search([], order="id desc", limit=5):
                if not install.version_id.validated_by_id:
                    return (
                        f"installed the unvalidated {install.version_id.display_name}"
                    )
        return None

    # ------------------------------------------------------------ the attacks
    def hostile_context(self, Model, base):
        """Defaults of the state and of every protected field, and every
        context key our code reads, all forged."""
        context = dict(FRAMEWORK_KEYS)
        for key in self.context_keys:
            if key.startswith("default_"):
                fname = key[len("default_") :]
                if fname in Model._fields:
                    value = other_value(self.env, Model, fname, base.get(fname))
                    if value is not None:
                        context[key] = value
            elif key not in ("lang", "active_test"):
                context.setdefault(key, True)
        for fname in Model._dm_client_protected_fields():
            if Model._fields[fname].type in ("one2many", "many2many"):
                continue
            value = other_value(self.env, Model, fname, base.get(fname))
            if value is not None:
                context[f"default_{fname}"] = value
        return context

    def base_vals(self, record):
        """What a client sends to create a record like this one."""
        Model = self.env[record._name]
        protected = Model._dm_client_protected_fields()
        vals = record.copy_data()[0]
        return {
            f: v
            for f, v in vals.items()
            if f not in protected
            and f != Model._dm_state_field
            and Model._fields[f].type not in ("one2many",)
            and not f.startswith(("message_", "activity_"))
        }

    def attack_create(self, client, role, model):
        """A create as the web client sends it, with every default forged: one
        per step clients may not create a record in (a role without create
        access is refused by the access rights: one attempt)."""
        Model = self.env[model]
        record = self.targets[model][:1]
        vals = self.base_vals(record)
        context = self.hostile_context(Model, vals)
        protected = Model._dm_client_protected_fields()
        forged = {
            key[len("default_") :]: value
            for key, value in context.items()
            if key.startswith("default_") and key[len("default_") :] in protected
        }
        state_field = Model._dm_state_field
        states = [None]
        if state_field:
            starts = Model._dm_client_create_states()
            moves = transition_fields(Model)[state_field]
            states = sorted({s for move in moves for s in move} - set(starts), key=str)
        if not Model.with_user(self.users[role]).has_access("create"):
            states = states[:1]
        user = self.users[role]
        fnames = [f for f in (state_field, *forged) if f]
        # The control sends the defaults a client may give (e.g. the device
        # of a record whose device is not copied), never a forged protected
        # value, the state or any other context key.
        allowed = {
            key: value
            for key, value in context.items()
            if key.startswith("default_")
            and key[len("default_") :] not in protected
            and key[len("default_") :] != state_field
        }
        control = self.control(
            lambda: Model.with_user(user).with_context(**allowed).create(vals),
            fnames,
        )
        for state in states or [None]:
            ctx = dict(context)
            if state is not None:
                ctx[f"default_{state_field}"] = state
            self.attempt(
                role,
                model,
                f"create (default {state_field}={state!r})",
                record,
                lambda ctx=ctx: client.call(model, "create", [vals], context=ctx),
                self.judge_new(forged, control),
            )

    def open_target(self, model):
        """A record whose step does not freeze it, so that a write is refused
        for the field itself, not for the step."""
        Model = self.env[model]
        state_field = Model._dm_state_field
        for record in self.targets[model]:
            if not state_field or record[state_field] not in Model._dm_frozen_states:
                return record
        return self.targets[model][:1]

    def attack_writes(self, client, role, model):
        """Every protected, create-only, computed and related field, one by one
        (a role without write access is refused all of them at once by the
        access rights: one attempt)."""
        Model = self.env[model]
        record = self.open_target(model)
        protected = Model._dm_client_protected_fields() | set(
            Model._dm_create_only_fields
        )
        current = self.snapshot(record)[record.id]
        forged = {}
        for fname in sorted(protected):
            value = other_value(self.env, Model, fname, current.get(fname))
            if value is not None:
                forged[fname] = value
        writers = [
            r for r in ROLES if Model.with_user(self.users[r]).has_access("write")
        ]
        if role not in writers:
            forged = {"all protected fields": forged}
        else:
            # Each field by one of the roles that write the model, in turn:
            # the guard does not depend on the role, every role takes part.
            turn = writers.index(role)
            forged = {
                fname: value
                for n, (fname, value) in enumerate(sorted(forged.items()))
                if n % len(writers) == turn
            }
        for fname, value in forged.items():
            vals = value if fname == "all protected fields" else {fname: value}
            self.attempt(
                role,
                model,
                f"write {fname}",
                record,
                lambda vals=vals: client.call(model, "write", [record.ids, vals]),
                # Only a move of a state the client writes may succeed.
                None if fname == Model._dm_state_field else self.never,
            )

    @staticmethod
    def never(outcome):
        return "wrote a field no client may write"

    def attack_state_writes(self, client, role, model):
        """Models whose state a client writes: every move from every state."""
        Model = self.env[model]
        fname = Model._dm_state_field
        if not (fname and Model._dm_state_writable):
            return
        if not Model.with_user(self.users[role]).has_access("write"):
            return  # refused by the access rights, as attack_writes showed
        values = {s for move in Model._dm_transitions for s in move}
        for record in self.targets[model]:
            for value in sorted(values - {record[fname]}, key=str):
                self.attempt(
                    role,
                    model,
                    f"write {fname}={value!r} from {record[fname]!r}",
                    record,
                    lambda record=record, value=value: client.call(
                        model, "write", [record.ids, {fname: value}]
                    ),
                )

    def control(self, make, fnames):
        """What the same call makes without anything forged, done in this
        process as the same user and undone: the values the server itself
        gives (a session authorised by a standing agreement, a computed
        flag), which a forged value is compared with. None: refused."""
        self.env.flush_all()
        self.env.cr.execute("SAVEPOINT bypass_control")
        try:
            records = make()
            records.env.flush_all()
            return [{f: self._plain(r[f]) for f in fnames} for r in records.sudo()]
        except Exception:  # any refusal: no control
            return None
        finally:
            self.env.cr.execute("ROLLBACK TO SAVEPOINT bypass_control")
            self.env.clear()

    @staticmethod
    def _plain(value):
        return value.id if hasattr(value, "_name") else value

    def judge_new(self, forged, control):
        """A record a client made: in a step clients may create (or the one the
        server gives it without anything forged), without any forged protected
        value the server would not have given it."""

        def judge(outcome):
            Model = self.env[outcome.model]
            new = Model.browse(outcome.body).exists()
            if not new:
                return None
            if control is None:
                return "made a record the same call makes only when forged"
            state_field = Model._dm_state_field
            starts = set(Model._dm_client_create_states())
            if state_field and Model._fields[state_field].default:
                starts.add(Model._fields[state_field].default(Model))
            expected = control[0]
            if state_field:
                starts.add(expected[state_field])
            for record in new:
                if state_field and record[state_field] not in starts:
                    return f"made {record.display_name} in {record[state_field]!r}"
                for fname, value in forged.items():
                    got = self._plain(record[fname])
                    if got == value and got != expected.get(fname, got):
                        return f"took the forged {fname}={value!r}"
            return None

        return judge

    def attack_copy_unlink(self, client, role, model):
        Model = self.env[model]
        stamps = {f for pair in Model._dm_state_stamps.values() for f in pair}
        user = self.users[role]
        # A role the access rights refuse is refused the same on every record.
        may_create = Model.with_user(user).has_access("create")
        may_unlink = Model.with_user(user).has_access("unlink")
        for n, record in enumerate(self.targets[model]):
            # What a copy must not carry over: the decisions and stamps.
            forged = {}
            for fname in set(Model._dm_protected_fields) | stamps:
                field = Model._fields[fname]
                if (
                    field.compute
                    or field.related
                    or field.type in ("one2many", "many2many")
                ):
                    continue
                value = record[fname]
                if value:
                    forged[fname] = value.id if hasattr(value, "_name") else value
            state_field = Model._dm_state_field
            if (
                state_field
                and record[state_field] not in Model._dm_client_create_states()
            ):
                forged[state_field] = record[state_field]
            if n and not may_create:
                forged = None
            fnames = [f for f in (state_field, *(forged or ())) if f]
            control = forged is not None and self.control(
                lambda record=record: record.with_user(user).copy(), fnames
            )
            if forged is not None:
                self.attempt(
                    role,
                    model,
                    "copy",
                    record,
                    lambda record=record: client.call(model, "copy", [record.ids]),
                    self.judge_new(forged, control),
                )
            if forged:
                self.attempt(
                    role,
                    model,
                    f"copy with {sorted(forged)}",
                    record,
                    lambda record=record, forged=forged: client.call(
                        model, "copy", [record.ids], {"default": forged}
                    ),
                    self.judge_new(forged, control),
                )

            history = record._dm_history_reasons()

            def judge_unlink(outcome, history=history):
                if outcome.deleted and history:
                    return f"deleted history ({'; '.join(history)})"
                return None

            if n and not may_unlink:
                continue
            self.attempt(
                role,
                model,
                "unlink",
                record,
                lambda record=record: client.call(model, "unlink", [record.ids]),
                judge_unlink,
            )

    def worth_attacking(self, record, method, kwargs, first):
        """Whether calling the method on this record as a role can tell
        anything: not when it changes nothing even for the superuser (it
        opens a view, a wizard, a report), nor when the step or the data
        refuse it to the superuser too (a UserError, whoever asks), but on
        the first record of the model, so that every method is called by
        every role. A refusal of the superuser's role (an AccessError, e.g.
        a decision reserved to a group) is attacked."""
        key = (record._name, record.id, method)
        if key not in self.probes:
            self.env.flush_all()
            before = self.snapshot(record), self.fingerprint()
            self.env.cr.execute("SAVEPOINT bypass_probe")
            try:
                getattr(record, method)(**kwargs)
                self.env.flush_all()
                changed = before != (self.snapshot(record), self.fingerprint())
                self.probes[key] = "effective" if changed else "inert"
            except AccessError:
                self.probes[key] = "effective"
            except Exception:  # refused whoever asks
                self.probes[key] = "refused"
            finally:
                self.env.cr.execute("ROLLBACK TO SAVEPOINT bypass_probe")
                self.env.clear()
        probe = self.probes[key]
        return probe == "effective" or (probe == "refused" and first)

    def attack_methods(self, client, role, model):
        for method, kwargs in public_methods(self.env[model]).items():
            for n, record in enumerate(self.targets[model]):
                if not self.worth_attacking(record, method, kwargs, first=not n):
                    continue
                self.attempt(
                    role,
                    model,
                    f"{method}() on {record.display_name}",
                    record,
                    lambda record=record, method=method, kwargs=kwargs: client.call(
                        model, method, [record.ids], kwargs
                    ),
                )

    def attack_json2(self, client, role, model):
        """The same attacks through Odoo 19's /json/2 API with an API key (as
        an integration would call it): a create with forged defaults, every
        protected field written at once, every public method."""
        Model = self.env[model]
        record = self.open_target(model)
        vals = self.base_vals(record)
        context = self.hostile_context(Model, vals)
        forged = {
            key[len("default_") :]: value
            for key, value in context.items()
            if key.startswith("default_")
        }
        state_field = Model._dm_state_field
        fnames = [f for f in (state_field, *forged) if f in Model._fields]
        user = self.users[role]
        control = self.control(lambda: Model.with_user(user).create(vals), fnames)
        self.attempt(
            role,
            model,
            "json2 create",
            record,
            lambda: client.call_json2(
                model, "create", context=context, vals_list=[vals]
            ),
            self.judge_new(
                {f: v for f, v in forged.items() if f in Model._fields}, control
            ),
        )
        current = self.snapshot(record)[record.id]
        protected = Model._dm_client_protected_fields()
        writes = {
            fname: other_value(self.env, Model, fname, current.get(fname))
            for fname in protected
        }
        writes = {f: v for f, v in writes.items() if v is not None}
        self.attempt(
            role,
            model,
            "json2 write of every protected field",
            record,
            lambda: client.call_json2(model, "write", record.ids, vals=writes),
            self.never,
        )
        for method, kwargs in public_methods(Model).items():
            for n, target in enumerate(self.targets[model]):
                if not self.worth_attacking(target, method, kwargs, first=not n):
                    continue
                self.attempt(
                    role,
                    model,
                    f"json2 {method}() on {target.display_name}",
                    target,
                    lambda target=target, method=method, kwargs=kwargs: (
                        client.call_json2(model, method, target.ids, **kwargs)
                    ),
                )

    def attack_install_unvalidated(self, client, role):
        """A version nobody validated is never installed, by any role."""
        Version = self.env["dm.software.version"]
        unvalidated = Version.search([("validated_by_id", "=", False)], limit=1)
        site = self.env["dm.software.site"].search([], limit=1)
        self.assertTrue(unvalidated and site, "no unvalidated version to install")

        def install():
            error, body, response = client.call(
                "dm.software.install.wizard",
                "create",
                [{"version_id": unvalidated.id, "site_id": site.id}],
            )
            if error:
                return error, body, response
            return client.call("dm.software.install.wizard", "action_confirm", [[body]])

        self.attempt(
            role, "dm.software.version", "install (wizard)", unvalidated, install
        )

    # ------------------------------------------------------------ the suite
    def test_bypass_every_gated_model_as_every_role(self):
        self.context_keys = context_keys_read_by_our_code()
        self.failures = []
        self.probes = {}
        self.before = {}
        self.prints = None
        # Attempts per model and kind, in the log: where the time goes.
        self.kinds = collections.Counter()
        self.stats = dict.fromkeys(("attempts", "refused", "no_effect", "allowed"), 0)
        clients = {
            role: RoleClient(
                self,
                user.login,
                user.login,
                api_key=self.api_key if role == JSON2_ROLE else None,
            )
            for role, user in self.users.items()
        }
        with mute_logger("odoo.http", "odoo.sql_db"):
            for model in self.models:
                for role, client in clients.items():
                    self.attack_create(client, role, model)
                    self.attack_writes(client, role, model)
                    self.attack_state_writes(client, role, model)
                    self.attack_copy_unlink(client, role, model)
                    self.attack_methods(client, role, model)
            for role, client in clients.items():
                self.attack_install_unvalidated(client, role)
            for model in self.models:
                self.attack_json2(clients[JSON2_ROLE], JSON2_ROLE, model)
        _logger.info(
            "bypass: %s over %s models; attempts by kind: %s",
            self.stats,
            len(self.models),
            dict(self.kinds),
        )
        self.assertFalse(
            self.failures,
            f"{len(self.failures)} bypass(es):\n" + "\n".join(self.failures[:80]),
        )
        record_figure(
            "bypass",
            attempts=self.stats["attempts"],
            refused=self.stats["refused"],
            no_effect=self.stats["no_effect"],
            allowed=self.stats["allowed"],
            models=len(self.models),
            roles=len(self.users),
        )
