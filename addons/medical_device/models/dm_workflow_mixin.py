from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

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


class DmWorkflowMixin(models.AbstractModel):
    """One rulebook for every gated document of the suite.

    A model declares its workflow with class attributes, as OCA
    ``base_tier_validation`` does, and the mixin owns the guard of ``create``,
    ``write`` and ``unlink`` for every client, whatever the context:

    - ``_dm_state_field``: the state field.
    - ``_dm_transitions``: ``{(old, new): groups}``; ``groups`` is a tuple of
      group xml ids (any of them may make the move), empty for anyone with
      write access. Any other move is refused, for the superuser too.
    - ``_dm_state_writable``: clients may write the state field (each change is
      checked as a transition); otherwise only ``_dm_set_state()`` moves it.
    - ``_dm_create_states``: the states a client may create a record in
      (default: the state field's default).
    - ``_dm_protected_fields``: fields a client never sets (decisions,
      ``*_by_id``/``*_on`` stamps, certificates); their ``default_*`` context
      keys are dropped, whoever the caller.
    - ``_dm_create_only_fields``: fields a client sets when it creates the
      record and never changes after (the device of a session, the document a
      line belongs to).
    - ``_dm_frozen_states``: states in which the record is read-only, but for
      ``_dm_always_writable`` (the mail fields always are).
    - ``_dm_editable_states``: ``{field: states}`` for the fields that may only
      change in some states.
    - ``_dm_state_stamps``: ``{state: (user field, date field)}``, stamped when
      the record enters the state.
    - ``_dm_deletable_states``: states in which a record may be deleted
      (``None``: any); ``_dm_history_reasons()`` adds what else forbids it.

    Hooks: ``_dm_state_missing()`` (conditions of a state),
    ``_dm_check_open_for_change()`` (a client change refused for a reason
    outside the record's own state, e.g. the document it belongs to is closed),
    ``_dm_complete_create_vals()`` (values the server sets on a new record),
    ``_dm_may_move()``/``_dm_transition_groups()`` (special role rules), and
    one method per message (``_dm_*_message``) for a model's own wording.

    Stored computed and related fields that are not editable in the views
    (``readonly``) are never written by a client: gates may read them.
    """

    _name = "dm.workflow.mixin"
    _description = "Medical device workflow (states, roles, frozen fields)"

    _dm_state_field = "state"
    _dm_transitions = {}
    _dm_state_writable = False
    _dm_create_states = None
    _dm_protected_fields = ()
    _dm_create_only_fields = ()
    _dm_frozen_states = ()
    _dm_editable_states = {}
    _dm_always_writable = ()
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

    # ------------------------------------------------------------ configuration
    @api.model
    def _dm_client_protected_fields(self):
        """Every field a client may not set: the declared ones, the stamps, the
        state (unless clients move it by write) and the read-only computed and
        related fields."""
        protected = set(self._dm_protected_fields)
        for user_field, date_field in self._dm_state_stamps.values():
            protected |= {user_field, date_field}
        if not self._dm_state_writable:
            protected.add(self._dm_state_field)
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
        } - {
            "id",
            "display_name",
            "dm_is_editable",
            "dm_readonly_fields",
            "create_uid",
            "create_date",
            "write_uid",
            "write_date",
        }

    @api.model
    def _dm_writable_in_frozen_states(self):
        return MAIL_FIELDS | set(self._dm_always_writable)

    def _dm_workflow_records(self, vals=None):
        """The records the workflow governs (all, unless a model says otherwise,
        e.g. devices: only medical devices, or those a write makes one)."""
        return self

    # ------------------------------------------------------------ labels
    def _dm_state_label(self, state=None):
        fname = self._dm_state_field
        if state is None:
            self.ensure_one()
            state = self[fname]
        labels = dict(self._fields[fname]._description_selection(self.env))
        return labels.get(state, state or "")

    @api.model
    def _dm_field_labels(self, fnames):
        return ", ".join(
            sorted(
                self._fields[f].get_description(self.env)["string"]
                for f in fnames
                if f in self._fields
            )
        )

    # ------------------------------------------------------------ views
    @api.depends_context("uid")
    def _compute_dm_readonly_fields(self):
        protected = self._dm_client_protected_fields()
        writable = self._dm_writable_in_frozen_states()
        for record in self:
            state = record[record._dm_state_field] if record._dm_state_field else None
            frozen = state in record._dm_frozen_states and bool(
                record._dm_workflow_records()
            )
            readonly = set(protected) if record._dm_workflow_records() else set()
            if record._origin.id:
                readonly |= set(record._dm_create_only_fields)
            if frozen:
                readonly |= set(record._fields) - writable
            for fname, states in record._dm_editable_states.items():
                if state not in states:
                    readonly.add(fname)
            record.dm_is_editable = not frozen
            record.dm_readonly_fields = sorted(readonly)

    # ------------------------------------------------------------ create
    @api.model
    def _dm_clean_create_context(self):
        """Drop the ``default_*`` keys of protected fields, whoever the caller:
        a client's context follows the calls it triggers, into sudo creations
        too. The state's default from a client (a kanban column's quick
        create) is kept as a value when a new record may start in that state,
        dropped otherwise."""
        context = self.env.context
        protected = self._dm_client_protected_fields() | {self._dm_state_field}
        keys = [
            key
            for key in context
            if key.startswith("default_") and key[len("default_") :] in protected
        ]
        if not keys:
            return self, None
        state_key = f"default_{self._dm_state_field}"
        state_default = None if self.env.su else context.get(state_key)
        if state_default not in self._dm_allowed_create_states():
            state_default = None
        clean = {k: v for k, v in context.items() if k not in keys}
        # A new environment, not with_context(): the keys must go, not be added.
        return self.with_env(self.env(context=clean)), state_default

    @api.model_create_multi
    def create(self, vals_list):
        model, state_default = self._dm_clean_create_context()
        if not self.env.su:
            state_field = self._dm_state_field
            for vals in vals_list:
                if state_default and state_field not in vals:
                    vals[state_field] = state_default
                model._dm_check_client_create(vals)
        for vals in vals_list:
            model._dm_complete_create_vals(vals)
        records = super(DmWorkflowMixin, model).create(vals_list)
        if not self.env.su:
            records._dm_check_open_for_change()
        return records

    @api.model
    def _dm_allowed_create_states(self):
        allowed = self._dm_create_states
        if allowed is None:
            allowed = {self._fields[self._dm_state_field].default(self)}
        return set(allowed)

    @api.model
    def _dm_complete_create_vals(self, vals):
        """Complete in place the values of a new record with those the server
        sets (a sequence, what is copied from a linked record), once the
        client's values were checked."""

    @api.model
    def _dm_check_client_create(self, vals):
        state_field = self._dm_state_field
        protected = self._dm_client_protected_fields() - {state_field}
        forbidden = {f for f in set(vals) & protected if vals[f]}
        if forbidden:
            raise UserError(self._dm_protected_message(forbidden))
        if state_field and state_field in vals:
            state = vals[state_field]
            if state and state not in self._dm_allowed_create_states():
                raise UserError(self._dm_create_state_message(state))

    @api.model
    def _dm_create_state_message(self, state):
        if not self._dm_state_writable:
            return self._dm_protected_message({self._dm_state_field})
        return self.env._(
            "A new %(document)s starts at step %(allowed)s; it reaches "
            "%(state)s through its workflow.",
            document=self._description,
            allowed=", ".join(
                self._dm_state_label(s) for s in self._dm_allowed_create_states()
            ),
            state=self._dm_state_label(state),
        )

    # ------------------------------------------------------------ write
    def write(self, vals):
        governed = self._dm_workflow_records(vals)
        state_field = self._dm_state_field
        moving = self.browse()
        if governed:
            if not self.env.su:
                governed._dm_check_client_write(vals)
            if state_field in vals:
                moving = governed.filtered(
                    lambda r: r[state_field] != vals[state_field]
                )
                moving._dm_check_transition(vals[state_field])
        result = super().write(vals)
        if moving:
            moving._dm_after_state_change(vals[state_field], vals)
        return result

    def _dm_check_client_write(self, vals):
        self._dm_check_open_for_change()
        protected = self._dm_client_protected_fields()
        protected |= set(self._dm_create_only_fields)
        forbidden = set(vals) & protected
        if forbidden:
            raise UserError(self._dm_protected_message(forbidden))
        writable = self._dm_writable_in_frozen_states()
        state_field = self._dm_state_field
        for record in self:
            state = record[state_field]
            if state in self._dm_frozen_states:
                frozen = set(vals) - writable
            else:
                frozen = {
                    fname
                    for fname in vals
                    if fname in self._dm_editable_states
                    and state not in self._dm_editable_states[fname]
                }
            if frozen:
                raise UserError(record._dm_frozen_message(frozen))

    def _dm_check_open_for_change(self):
        """Raise when a client may not create, change or delete these records
        now for a reason outside their own state (e.g. the document they belong
        to is closed)."""

    def _dm_frozen_message(self, fnames):
        self.ensure_one()
        return self.env._(
            "%(document)s is at step %(state)s: %(fields)s can no longer be changed.",
            document=self.display_name,
            state=self._dm_state_label(),
            fields=self._dm_field_labels(fnames),
        )

    def _dm_protected_message(self, fnames):
        return self.env._(
            "%(fields)s of %(document)s are set by its workflow and its actions, "
            "not edited.",
            fields=self._dm_field_labels(fnames),
            document=self._description,
        )

    # ------------------------------------------------------------ transitions
    def _dm_check_transition(self, new_state):
        """Refuse a move the workflow does not allow, or a user whose groups may
        not make it (the superuser, used by the engine after its own checks,
        only passes the role check)."""
        for record in self:
            # sudo: the role is checked before the user's access to the record,
            # so that a user without the role is told so; the messages below
            # read the record as the user.
            old_state = record.sudo()[record._dm_state_field]
            if old_state == new_state:
                continue
            if (old_state, new_state) not in record._dm_transitions:
                raise UserError(record._dm_transition_message(old_state, new_state))
            if not self.env.su and not record._dm_may_move(old_state, new_state):
                raise AccessError(record._dm_role_message(old_state, new_state))
        if not self.env.su:
            # Then the rights on the records (access rules, record rules): an
            # action writes the state in sudo, which checks neither.
            self.check_access("write")

    def _dm_transition_message(self, old_state, new_state):
        return self.env._(
            "%(document)s cannot move from %(old)s to %(new)s.",
            document=self.display_name,
            old=self._dm_state_label(old_state),
            new=self._dm_state_label(new_state),
        )

    def _dm_check_step(self, states, action):
        """Refuse an action on records that are not in one of ``states``."""
        for record in self:
            if record[record._dm_state_field] not in states:
                raise UserError(
                    self.env._(
                        "%(document)s is %(state)s: it must be %(needed)s to "
                        "%(action)s.",
                        document=record.display_name,
                        state=record._dm_state_label(),
                        needed=" / ".join(record._dm_state_label(s) for s in states),
                        action=action,
                    )
                )

    def _dm_transition_groups(self, old_state, new_state):
        return self._dm_transitions.get((old_state, new_state), ())

    def _dm_may_move(self, old_state, new_state):
        groups = self._dm_transition_groups(old_state, new_state)
        user = self.env.user
        return not groups or any(user.has_group(group) for group in groups)

    def _dm_role_message(self, old_state, new_state):
        groups = self._dm_transition_groups(old_state, new_state)
        names = [self.env.ref(group).name for group in groups]
        return self.env._(
            "Only %(roles)s may move %(document)s from %(old)s to %(new)s.",
            roles=" / ".join(names),
            document=self.display_name,
            old=self._dm_state_label(old_state),
            new=self._dm_state_label(new_state),
        )

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

    def _dm_state_missing(self, new_state):
        """Readable list of what the record lacks to be in ``new_state``."""
        return []

    def _dm_set_state(self, new_state, values=None):
        """Move the records to ``new_state`` on behalf of an action: checks the
        transition and the user's groups, then writes (in sudo, the state being
        closed to clients), stamps and checks the new state's conditions."""
        # sudo: the state is read to know what moves; the move is then checked
        # as the user (role first, then access).
        moving = self.filtered(lambda r: r.sudo()[r._dm_state_field] != new_state)
        moving._dm_check_transition(new_state)
        if moving:
            # sudo: the state is closed to clients; the transition and the role
            # were checked above as the real user. The write stamps the move
            # and checks the conditions of the new state.
            moving.sudo().write({self._dm_state_field: new_state, **(values or {})})
        return True

    # ------------------------------------------------------------ delete
    @api.ondelete(at_uninstall=False)
    def _unlink_except_dm_history(self):
        for record in self._dm_workflow_records():
            reasons = record._dm_history_reasons()
            if reasons:
                raise UserError(record._dm_history_message(reasons))
        if not self.env.su:
            self._dm_check_open_for_change()

    def _dm_history_message(self, reasons):
        self.ensure_one()
        return self.env._(
            "%(document)s has a history (%(reasons)s) that must be "
            "kept: archive or cancel it instead of deleting it.",
            document=self.display_name,
            reasons=", ".join(reasons),
        )

    def _dm_history_reasons(self):
        """Why this record is history and cannot be deleted (empty: it can)."""
        self.ensure_one()
        allowed = self._dm_deletable_states
        state = self[self._dm_state_field]
        if allowed is not None and state not in allowed:
            return [self.env._("step %(state)s", state=self._dm_state_label())]
        return []
