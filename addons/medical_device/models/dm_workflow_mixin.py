from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools import checklist

# Fields the mail mixins write on a record in any state (attachments, followers).
MAIL_FIELDS = frozenset(
    {
        "message_main_attachment_id",
        "message_follower_ids",
        "message_ids",
        "activity_ids",
        "website_message_ids",
    }
)
# Never a client's to set, never worth refusing: the ORM's own.
ORM_FIELDS = frozenset(
    {
        "id",
        "display_name",
        "dm_is_editable",
        "dm_readonly_fields",
        "create_uid",
        "create_date",
        "write_uid",
        "write_date",
    }
)


class DmWorkflowMixin(models.AbstractModel):
    """One rulebook for every gated document of the suite.

    A model declares its workflow with class attributes, as OCA
    ``base_tier_validation`` does, and the mixin owns the guard of ``create``,
    ``write`` and ``unlink`` for every client, whatever the context:

    - ``_dm_state_field``: the state field (``None`` for a document without
      steps: the protected, editable and delete rules still apply). A boolean
      such as ``active`` may be one: who may archive, restore.
    - ``_dm_transitions``: ``{(old, new): groups}``; ``groups`` is a tuple of
      group xml ids (any of them may make the move), empty for anyone with
      write access (for a document only actions create: anyone the action
      lets through). Any other move is refused, for the superuser too.
    - ``_dm_extra_transitions``: ``{field: {(old, new): groups}}``, other state
      fields of the same document (e.g. a qualification state beside the
      lifecycle), closed to clients and moved by
      ``_dm_set_state(new, values, state_field=field)``.
    - ``_dm_state_writable``: clients may write the state field (each change is
      checked as a transition); otherwise only ``_dm_set_state()`` moves it.
    - ``_dm_create_states``: the states a client may create a record in
      (default: the state field's default); ``()``: clients never create one,
      only actions do (in sudo), and no ``default_*`` key reaches them.
    - ``_dm_protected_fields``: fields a client never sets (decisions,
      ``*_by_id``/``*_on`` stamps, certificates); their ``default_*`` context
      keys are dropped, whoever the caller.
    - ``_dm_create_only_fields``: fields a client sets when it creates the
      record and never changes after (the device of a session, the document a
      line belongs to).
    - ``_dm_frozen_states``: states in which the record is read-only, but for
      ``_dm_always_writable`` (the mail fields always are).
    - ``_dm_editable_states``: ``{field: states}`` for the fields that may only
      change in some states; ``_dm_history_locked_fields()`` adds those a
      record's history freezes.
    - ``_dm_field_groups``: ``{field: {state: groups}}``, who may change a
      field at each step (any of the groups; key ``None``: every other step;
      no group for a step: anyone with write access), e.g. CE data filled by
      the technician at reception, then kept by the pharmacist and the
      engineer. Checked on create and write; ``dm_readonly_fields`` lists them.
    - ``_dm_state_stamps``: ``{state: (user field, date field)}``, stamped when
      the record enters the state.
    - ``_dm_deletable_states``: states in which a record may be deleted
      (``None``: any); ``_dm_history_reasons()`` adds what else forbids it.

    Stored computed and related fields that are not editable in the views
    (``readonly``) are never written by a client: gates may read them.

    Hooks: ``_dm_state_checklist()`` (conditions of a state, met or missing:
    ``_dm_state_missing()`` and the form's next-step panel read it),
    ``_dm_next_action()`` (the action of the next step the panel offers),
    ``_dm_check_open_for_change()`` (a client change refused for a reason
    outside the record's own state, e.g. the document it belongs to is closed),
    ``_dm_prepare_vals()`` (values the model derives from what the client sent)
    and ``_dm_complete_create_vals()`` (values the server sets on a new record),
    ``_dm_workflow_records()`` (which records the rules govern),
    ``_dm_may_move()``/``_dm_transition_groups()`` (special role rules), and one
    method per message (``_dm_*_message``) for a model's own wording.
    """

    _name = "dm.workflow.mixin"
    _inherit = ["dm.input.guard", "dm.workflow.messages"]
    _description = "Medical device workflow (states, roles, frozen fields)"

    _dm_state_field = "state"
    _dm_transitions = {}
    _dm_extra_transitions = {}
    _dm_state_writable = False
    _dm_create_states = None
    _dm_protected_fields = ()
    _dm_create_only_fields = ()
    _dm_frozen_states = ()
    _dm_editable_states = {}
    _dm_always_writable = ()
    _dm_field_groups = {}
    _dm_state_stamps = {}
    _dm_deletable_states = None

    dm_is_editable = fields.Boolean(
        string="Editable",
        compute="_compute_dm_readonly_fields",
        help="The document is not frozen by its step.",
    )
    dm_readonly_fields = fields.Json(
        string="Read-only fields",
        compute="_compute_dm_readonly_fields",
        help="Fields the current user cannot change at the document's step.",
    )
    dm_next_step = fields.Json(
        string="Next step",
        compute="_compute_dm_next_step",
        help="The next step of the document: its conditions, met or missing, "
        "and whether the current user may take it now.",
    )

    # ------------------------------------------------------------ configuration
    @api.model
    def _dm_client_protected_fields(self):
        """Every field a client may not set: the declared ones, the stamps, the
        state (unless clients move it by write), the other state fields and the
        read-only computed and related fields."""
        protected = set(self._dm_protected_fields)
        for user_field, date_field in self._dm_state_stamps.values():
            protected |= {user_field, date_field}
        if not self._dm_state_writable and self._dm_state_field:
            protected.add(self._dm_state_field)
        protected |= set(self._dm_extra_transitions)
        protected |= self._dm_computed_readonly_fields()
        return protected

    @api.model
    def _dm_computed_readonly_fields(self):
        return {
            name
            for name, field in self._fields.items()
            if (field.compute or field.related)
            and field.readonly
            and name not in MAIL_FIELDS
            and not name.startswith(("activity_", "message_"))
        } - ORM_FIELDS

    @api.model
    def _dm_writable_in_frozen_states(self):
        return MAIL_FIELDS | set(self._dm_always_writable)

    def _dm_workflow_records(self, vals=None):
        """The records the workflow governs (all, unless a model says otherwise,
        e.g. devices: only medical devices, or those a write makes one)."""
        return self

    # ------------------------------------------------------------ views
    @api.depends_context("uid")
    def _compute_dm_readonly_fields(self):
        protected = self._dm_client_protected_fields()
        writable = self._dm_writable_in_frozen_states()
        for record in self:
            governed = bool(record._dm_workflow_records())
            state_field = record._dm_state_field
            state = record[state_field] if state_field else None
            frozen = governed and state_field and state in record._dm_frozen_states
            readonly = set(protected) if governed else set()
            if frozen:
                readonly |= set(record._fields) - writable
            for fname, states in record._dm_editable_states.items():
                if state not in states:
                    readonly.add(fname)
            if governed:
                readonly |= record._dm_role_locked_fields(
                    record._dm_field_groups, state or None
                )
            if record._origin.id:
                readonly |= set(record._dm_create_only_fields)
                readonly |= record._origin._dm_history_locked_fields()
            record.dm_is_editable = not frozen
            record.dm_readonly_fields = sorted(readonly)

    @api.depends_context("uid", "lang", "allowed_company_ids")
    def _compute_dm_next_step(self):
        """Read as the current user: the conditions are the gate's own (see
        ``_dm_state_checklist``), the labels name nothing the gate would not
        tell this user."""
        # The form's page map, read once, when a record has a step to show.
        cache = {}
        for record in self:
            origin = record._origin
            if not origin.id or not origin._dm_workflow_records():
                record.dm_next_step = False
                continue
            try:
                record.dm_next_step = origin._dm_next_step_values(cache)
            except AccessError:
                # Something of the next step the user may not read: no panel.
                record.dm_next_step = False

    @api.model
    def _dm_field_pages(self):
        """``{field: notebook page name}`` of the model's form as the user
        gets it, so that an item of the panel opens the page where it is
        fixed."""
        try:
            arch = self.get_view(view_type="form")["arch"]
        except (ValueError, UserError):
            return {}
        return checklist.field_pages(arch)

    def _dm_next_action(self):
        """The next step the form's panel offers, or None (no step ahead):
        a dict with ``state`` (the state the step reaches; its conditions are
        ``_dm_state_checklist(state)``), ``method`` (the action the button
        runs), ``string`` (its label) and optionally ``confirm`` (a question
        before it runs), ``items`` (conditions, when the step is not a move of
        the state field) and ``blockers`` (why the user may not take it,
        besides the conditions; default: the move's roles)."""
        return None

    def _dm_next_step_values(self, cache=None):
        """The panel's data (see ``dm_next_step``); ``cache``: a dict kept
        between the records of one computation."""
        self.ensure_one()
        action = self._dm_next_action()
        if not action:
            return False
        cache = {} if cache is None else cache
        if "pages" not in cache:
            cache["pages"] = self._dm_field_pages()
        pages = cache["pages"]
        state = action["state"]
        items = action.get("items")
        if items is None:
            items = self._dm_state_checklist(state)
        blockers = action.get("blockers")
        if blockers is None:
            blockers = self._dm_move_blockers(state)
        unmet = checklist.missing(items)
        return {
            "state": state,
            "state_label": action.get("state_label") or self._dm_state_label(state),
            "button": {
                "name": action["method"],
                "string": action["string"],
                "confirm": action.get("confirm") or False,
            },
            "items": [
                {
                    "label": entry["label"],
                    "met": entry["met"],
                    "field": entry["field"] or False,
                    "page": pages.get(entry["field"]) or False,
                }
                for entry in items
            ],
            "blockers": list(blockers),
            "ready": not unmet and not blockers,
        }

    def _dm_move_blockers(self, new_state):
        """Why the user may not make the move to ``new_state`` whatever the
        data (the roles of ``_dm_transitions``)."""
        self.ensure_one()
        old_state = self[self._dm_state_field]
        if old_state == new_state or self.env.su:
            return []
        if (old_state, new_state) not in self._dm_transitions:
            return [self._dm_transition_message(old_state, new_state)]
        if not self._dm_may_move(old_state, new_state):
            return [self._dm_role_message(old_state, new_state)]
        return []

    # ------------------------------------------------------------ create
    @api.model
    def _dm_clean_create_context(self):
        """Drop the ``default_*`` keys of protected fields, whoever the caller:
        a client's context follows the calls it triggers, into sudo creations
        too. The state's default from a client (a kanban column's quick create)
        is kept as a value when a new record may start in that state, dropped
        otherwise."""
        context = self.env.context
        protected = self._dm_client_protected_fields()
        if self._dm_state_field:
            protected.add(self._dm_state_field)
        no_client_create = self._dm_create_states == ()
        keys = [
            key
            for key in context
            if key.startswith("default_")
            and (
                key[len("default_") :] in protected
                # Only actions create it: nothing of the client's is a default.
                or no_client_create
            )
        ]
        if not keys:
            return self, None
        state_default = None
        if self._dm_state_field and not self.env.su and not no_client_create:
            state_default = context.get(f"default_{self._dm_state_field}")
            if state_default not in self._dm_client_create_states():
                state_default = None
        clean = {k: v for k, v in context.items() if k not in keys}
        # A new environment, not with_context(): the keys must go, not be added.
        return self.with_env(self.env(context=clean)), state_default

    @api.model_create_multi
    def create(self, vals_list):
        model, state_default = self._dm_clean_create_context()
        state_field = self._dm_state_field
        # The caller's dicts are left as they are.
        vals_list = [dict(vals) for vals in vals_list]
        for vals in vals_list:
            model._dm_check_create_input(vals)
        if not self.env.su:
            if self._dm_create_states == ():
                raise AccessError(self._dm_no_create_message())
            computed = self._dm_computed_readonly_fields()
            for vals in vals_list:
                if state_default:
                    vals.setdefault(state_field, state_default)
                # An empty computed value is computed, not taken (a stored
                # compute given at creation is not recomputed).
                for fname in computed & set(vals):
                    if not vals[fname]:
                        del vals[fname]
        client_vals = [dict(vals) for vals in vals_list]
        # Checked before the insert where the model can tell from the values
        # that it governs the record (a refusal, not a database error, answers
        # a forged value); after it otherwise (a device made a medical device
        # by a context default).
        checked = (
            [False] * len(client_vals)
            if self.env.su
            else model._dm_governs_new_list(client_vals)
        )
        for vals, check in zip(client_vals, checked, strict=True):
            if check:
                model._dm_check_client_create(vals)
        for vals in vals_list:
            model._dm_complete_create_vals(vals)
        records = super(DmWorkflowMixin, model).create(
            [model._dm_prepare_vals(vals) for vals in vals_list]
        )
        # Checked on the records created, so that the model decides which
        # records it governs (a device: once it is a medical device); a refusal
        # rolls the whole call back.
        initial = self._fields[state_field].default if state_field else None
        first = initial(self) if initial else None
        for record, vals, check in zip(records, client_vals, checked, strict=True):
            if not record._dm_workflow_records():
                continue
            if not self.env.su and not check:
                record._dm_check_client_create(vals)
            if not state_field:
                continue
            # A record created past the first step in a step open to clients
            # (e.g. a device received at once, by a user or an import) meets
            # that step's conditions from the start; only data loads bring
            # records further, as they are.
            state = record[state_field]
            if state != first and state in record._dm_client_create_states():
                record._dm_check_state_entry(state)
        if not self.env.su:
            records._dm_workflow_records()._dm_check_open_for_change()
        return records.with_env(self.env)

    @api.model
    def _dm_governs_new(self, vals):
        """Whether a new record with these values is governed by the workflow
        (see ``_dm_workflow_records``)."""
        return True

    @api.model
    def _dm_governs_new_list(self, vals_list):
        """``_dm_governs_new`` of each values of a create, in their order (a
        model may answer for the whole batch at once)."""
        return [self._dm_governs_new(vals) for vals in vals_list]

    def _dm_prepare_vals(self, vals):
        """Values derived by the model (normalised codes, parsed parts), after
        the client guard ran on what the client sent."""
        return vals

    @api.model
    def _dm_complete_create_vals(self, vals):
        """Complete in place the values of a new record with those the server
        sets (a sequence, what is copied from a linked record), once the
        client's values were taken."""

    @api.model
    def _dm_client_create_states(self):
        if self._dm_create_states is not None:
            return tuple(self._dm_create_states)
        if not self._dm_state_field:
            return ()
        default = self._fields[self._dm_state_field].default
        return (default(self),) if default else ()

    @api.model
    def _dm_check_client_create(self, vals):
        state_field = self._dm_state_field
        protected = self._dm_client_protected_fields() - {state_field}
        forbidden = {
            f
            for f in set(vals) & protected
            if vals[f]
            # Another state field may be given at its starting value.
            and not (
                f in self._dm_extra_transitions
                and vals[f] == self._fields[f].default(self)
            )
        }
        if forbidden:
            raise UserError(self._dm_protected_message(forbidden))
        if state_field and state_field in vals:
            state = vals[state_field]
            boolean = self._fields[state_field].type == "boolean"
            if (state or boolean) and state not in self._dm_client_create_states():
                raise UserError(self._dm_create_state_message(state))
        if self._dm_field_groups:
            state = vals.get(state_field) if state_field else None
            if state_field and not state:
                default = self._fields[state_field].default
                state = default(self) if default else None
            given = {f for f in vals if vals[f]}
            # A context default reaches a field the values do not give: a
            # field of a role is refused as a default like as a value.
            given |= {
                fname
                for key, value in self.env.context.items()
                if key.startswith("default_")
                and value
                and (fname := key.removeprefix("default_")) in self._dm_field_groups
                and fname not in vals
            }
            locked = self._dm_role_locked_fields(given, state or None)
            if locked:
                raise AccessError(self._dm_field_role_message(locked, state))

    # ------------------------------------------------------------ write
    def write(self, vals):
        self._dm_check_input_vals(vals)
        governed = self._dm_workflow_records(vals)
        state_field = self._dm_state_field
        moving = self.browse()
        if governed:
            if not self.env.su:
                governed._dm_check_client_write(vals)
            if state_field and state_field in vals:
                new_state = vals[state_field]
                moving = governed.filtered(lambda r: r[state_field] != new_state)
                moving._dm_check_transition(new_state)
            for extra in set(self._dm_extra_transitions) & set(vals):
                governed._dm_check_transition(vals[extra], state_field=extra)
        result = super().write(self._dm_prepare_vals(vals))
        if moving:
            moving._dm_after_state_change(vals[state_field], vals)
        return result

    def _dm_check_client_write(self, vals):
        self._dm_check_open_for_change()
        self._dm_check_company_parent(vals)
        protected = self._dm_client_protected_fields()
        protected |= set(self._dm_create_only_fields)
        forbidden = set(vals) & protected
        if forbidden:
            raise UserError(self._dm_protected_message(forbidden))
        writable = self._dm_writable_in_frozen_states()
        state_field = self._dm_state_field
        for record in self:
            state = record[state_field] if state_field else None
            if state_field and state in self._dm_frozen_states:
                frozen = set(vals) - writable
            else:
                frozen = {
                    fname
                    for fname in vals
                    if fname in self._dm_editable_states
                    and state not in self._dm_editable_states[fname]
                }
                frozen |= set(vals) & record._dm_history_locked_fields()
            if frozen:
                raise UserError(record._dm_frozen_message(frozen))
            locked = record._dm_role_locked_fields(vals, state)
            if locked:
                raise AccessError(record._dm_field_role_message(locked, state))

    def _dm_role_locked_fields(self, fnames, state=False):
        """Those of ``fnames`` the user may not change at step ``state`` (by
        default the record's), see ``_dm_field_groups``."""
        if not self._dm_field_groups:
            return set()
        if state is False and self._dm_state_field:
            self.ensure_one()
            state = self[self._dm_state_field]
        user = self.env.user
        return {
            fname
            for fname in fnames
            if (groups := self._dm_field_groups_at(fname, state))
            and not any(user.has_group(group) for group in groups)
        }

    @api.model
    def _dm_field_groups_at(self, fname, state):
        """The groups that may change ``fname`` at step ``state`` (empty:
        anyone with write access)."""
        rules = self._dm_field_groups.get(fname)
        if not rules:
            return ()
        return rules.get(state, rules.get(None, ()))

    def _dm_check_company_parent(self, vals):
        """A record whose company is its parent's (a related ``company_id``)
        moves only under a parent the client may read: record rules are checked
        on the record before a write, never on the parent it is given, so it
        could be moved into another company's records."""
        company = self._fields.get("company_id")
        source = company.related.split(".")[0] if company and company.related else None
        if source and vals.get(source):
            comodel = self._fields[source].comodel_name
            self.env[comodel].browse(vals[source]).check_access("read")

    def _dm_check_open_for_change(self):
        """Raise when a client may not create, change or delete these records
        now for a reason outside their own state (e.g. the document they belong
        to is closed)."""

    def _dm_history_locked_fields(self):
        """Fields this record's history freezes, whatever its step (e.g. what
        the recorded controls of a plan depend on)."""
        return set()

    # ------------------------------------------------------------ transitions
    def _dm_check_transition(self, new_state, state_field=None):
        """Refuse a move the workflow does not allow, or a user whose groups may
        not make it, or who may not write the records (the superuser, used by
        the engine after its own checks, only passes the role and access
        checks). ``state_field``: one of ``_dm_extra_transitions`` (default:
        the state field)."""
        # The hooks get the field only when it is not the main one.
        extra = {"state_field": state_field} if state_field else {}
        fname = state_field or self._dm_state_field
        open_moves = self.browse()
        for record in self:
            # sudo: the role is checked before the user's access to the record,
            # so that a user without the role is told so; the messages below
            # read the record as the user.
            old_state = record.sudo()[fname]
            if old_state == new_state:
                # Nothing moves: an action on it still needs the right to write.
                open_moves |= record
                continue
            if (old_state, new_state) not in record._dm_transitions_of(fname):
                raise UserError(
                    record._dm_transition_message(old_state, new_state, **extra)
                )
            if not self.env.su and not record._dm_may_move(
                old_state, new_state, **extra
            ):
                raise AccessError(
                    record._dm_role_message(old_state, new_state, **extra)
                )
            if not record._dm_transition_groups(old_state, new_state, **extra):
                open_moves |= record
        if not self.env.su:
            # The rights on the records, which an action writing the state in
            # sudo would not check: the record rules (another company's records
            # stay out of reach) and, for a move open to "anyone with write
            # access", the write access (documents only actions create, closed
            # to every client's write, are moved by those actions alone).
            if self:
                self.check_access("read")
            if open_moves and self._dm_create_states != ():
                open_moves.check_access("write")

    def _dm_check_role(self, old_state, new_state, state_field=None):
        """Refuse the user an action that makes this move, before the action's
        other checks (whatever the records' current state)."""
        if self.env.su:
            return
        extra = {"state_field": state_field} if state_field else {}
        for record in self:
            if not record._dm_may_move(old_state, new_state, **extra):
                raise AccessError(
                    record._dm_role_message(old_state, new_state, **extra)
                )

    def _dm_check_step(self, states, action):
        """Refuse an action on records that are not in one of ``states``."""
        for record in self:
            if record[record._dm_state_field] not in states:
                raise UserError(record._dm_step_message(states, action))

    @api.model
    def _dm_transitions_of(self, state_field):
        if state_field == self._dm_state_field:
            return self._dm_transitions
        return self._dm_extra_transitions[state_field]

    def _dm_transition_groups(self, old_state, new_state, state_field=None):
        transitions = self._dm_transitions_of(state_field or self._dm_state_field)
        return transitions.get((old_state, new_state), ())

    def _dm_may_move(self, old_state, new_state, state_field=None):
        extra = {"state_field": state_field} if state_field else {}
        groups = self._dm_transition_groups(old_state, new_state, **extra)
        user = self.env.user
        return not groups or any(user.has_group(group) for group in groups)

    def _dm_after_state_change(self, new_state, vals=None):
        """Stamp who and when (unless the values written give them, e.g. an
        authorisation by a standing agreement), then check the conditions of
        the new state on the data as written (a failure rolls the whole write
        back)."""
        stamp = self._dm_state_stamps.get(new_state)
        if stamp:
            user_field, date_field = stamp
            now = fields.Datetime.now()
            if self._fields[date_field].type == "date":
                now = fields.Date.context_today(self)
            stamps = {
                fname: value
                for fname, value in ((user_field, self.env.uid), (date_field, now))
                if fname not in (vals or {})
            }
            if stamps:
                # sudo: the stamps are closed to clients; the move was checked.
                self.sudo().write(stamps)
        self._dm_check_state_entry(new_state)

    def _dm_check_state_entry(self, new_state):
        """Raise when a record lacks what ``new_state`` requires; see
        ``_dm_state_missing``."""
        for record in self:
            missing = record._dm_state_missing(new_state)
            if missing:
                raise UserError(
                    self.env._(
                        "%(document)s cannot go to %(state)s yet. Missing: "
                        "%(missing)s.",
                        document=record.display_name,
                        state=record._dm_state_label(new_state),
                        missing="; ".join(missing),
                    )
                )

    def _dm_state_checklist(self, new_state):
        """The conditions of ``new_state``, met or missing: a list of
        ``tools.checklist.item()`` dicts (label, met, field where it is
        fixed). The gate refuses the move with the labels of those missing,
        the form's panel shows them all."""
        return []

    def _dm_state_missing(self, new_state):
        """Readable list of what the record lacks to be in ``new_state``: the
        conditions of ``_dm_state_checklist`` not met."""
        return checklist.missing(self._dm_state_checklist(new_state))

    def _dm_set_state(self, new_state, values=None, state_field=None):
        """Move the records to ``new_state`` on behalf of an action: checks the
        transition, the user's groups and access, then writes (in sudo, the
        state being closed to clients), stamps and checks the new state's
        conditions. ``state_field``: one of ``_dm_extra_transitions`` (default:
        the state field; stamps and entry conditions are the state field's
        only)."""
        fname = state_field or self._dm_state_field
        # sudo: the state is read to know what moves; the move is then checked
        # as the user (role first, then access).
        moving = self.filtered(lambda r: r.sudo()[fname] != new_state)
        # The records already there are checked too (access, not role): an
        # action on them does nothing, but answers success only to a user who
        # may read and change them (not to another company's, nor a visitor).
        self._dm_check_transition(new_state, state_field=state_field)
        if moving:
            # sudo: the state is closed to clients; the transition, the role and
            # the access were checked above as the real user. The write stamps
            # the move and checks the conditions of the new state.
            moving.sudo().write({fname: new_state, **(values or {})})
        return True

    # ------------------------------------------------------------ delete
    @api.ondelete(at_uninstall=False)
    def _unlink_except_dm_history(self):
        for record in self._dm_workflow_records():
            reasons = record._dm_history_reasons()
            if reasons:
                raise UserError(record._dm_history_message(reasons))
        if not self.env.su:
            self._dm_workflow_records()._dm_check_open_for_change()

    def _dm_history_reasons(self):
        """Why this record is history and cannot be deleted (empty: it can)."""
        self.ensure_one()
        allowed = self._dm_deletable_states
        if allowed is None:
            return []
        if not self._dm_state_field:
            return [self._dm_document_label()]
        if self[self._dm_state_field] not in allowed:
            return [self.env._("step %(state)s", state=self._dm_state_label())]
        return []

    # ------------------------------------------------------------ concurrency
    def _dm_lock(self):
        """Lock the records' rows until the end of the transaction, before an
        action reads what it checks: a concurrent action on the same records
        waits for this one, then finds them changed. When another transaction
        changed them since this one started (PostgreSQL's repeatable read
        would refuse this one's write later with a serialization failure),
        raise a clear error saying what changed, instead of a database error
        (or, when nothing that matters changed, the serialization failure,
        on which Odoo retries the request)."""
        ids = tuple(sorted({id_ for id_ in self._ids if isinstance(id_, int)}))
        if not ids:
            return
        try:
            # The savepoint keeps the transaction usable for the error's message.
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM %s WHERE id IN %s ORDER BY id "
                        "FOR NO KEY UPDATE",
                        SQL.identifier(self._table),
                        ids,
                    )
                )
        except (pg_errors.SerializationFailure, pg_errors.DeadlockDetected) as error:
            message = self._dm_changed_meanwhile_message()
            if message is None:
                # Nothing the user must know (a reminder stamped, a note
                # edited): Odoo's request handler retries on this error.
                raise
            raise UserError(message) from error

    def _dm_changed_meanwhile_message(self):
        """What another user changed meanwhile, read from the database as it
        is now (this transaction still sees it as it was when it started);
        None if nothing that matters."""
        with self.env.registry.cursor() as cr:
            # sudo: the message names the step and the user, not more; the
            # current user may no longer read a record that changed company.
            now = self.with_env(self.env(cr=cr, su=True))
            return now._dm_changed_meanwhile_text(self)

    def _dm_changed_meanwhile_text(self, before):
        """The message of ``_dm_changed_meanwhile_message``: ``self`` is read as
        committed now (in sudo), ``before`` as this transaction saw it; None
        when nothing changed that the user must know (the deletion and the
        step of a record; a model adds its own, see dm.approval)."""
        existing = self.exists()
        gone = self - existing
        if gone:
            return self.env._(
                "%(documents)s was deleted by another user meanwhile: reload the page.",
                documents=", ".join(
                    before.filtered(lambda r: r.id in gone.ids).mapped("display_name")
                ),
            )
        state_field = self._dm_state_field
        for record in existing:
            if (
                state_field
                and record[state_field] != before.browse(record.id)[state_field]
            ):
                return self.env._(
                    "%(document)s was moved to %(state)s by %(user)s meanwhile: "
                    "reload the page and check it before you try again.",
                    document=record.display_name,
                    state=record._dm_state_label(),
                    user=record.write_uid.name,
                )
        return None
