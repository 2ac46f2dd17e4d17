from odoo import api, models


class DmWorkflowMessages(models.AbstractModel):
    """The words of ``dm.workflow.mixin``: the labels of states and fields in
    the user's language, and one method per refusal, which a model overrides
    to say it in its own words. Used through the mixin only (it reads the
    mixin's configuration)."""

    _name = "dm.workflow.messages"
    _description = "Medical device workflow: labels and messages"

    def _dm_state_label(self, state=None, state_field=None):
        fname = state_field or self._dm_state_field
        if state is None:
            self.ensure_one()
            state = self[fname]
        field = self._fields[fname]
        if field.type != "selection":
            return str(state)
        labels = dict(field._description_selection(self.env))
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

    @api.model
    def _dm_group_names(self, groups):
        """The names of groups (xml ids) in the user's language, for a message
        saying who may do what."""
        return " / ".join(self.env.ref(group).name for group in groups)

    @api.model
    def _dm_document_label(self):
        """The model's name in the user's language."""
        return self.env["ir.model"]._get(self._name).display_name

    @api.model
    def _dm_create_state_message(self, state):
        if not self._dm_state_writable:
            return self._dm_protected_message({self._dm_state_field})
        return self.env._(
            "A new %(document)s starts in %(allowed)s; it reaches %(state)s "
            "through its workflow steps.",
            document=self._dm_document_label(),
            allowed=self.env._(" or ").join(
                self._dm_state_label(s) for s in self._dm_client_create_states()
            ),
            state=self._dm_state_label(state),
        )

    @api.model
    def _dm_no_create_message(self):
        return self.env._(
            "A %(document)s is recorded by the actions of its workflow, not "
            "created directly.",
            document=self._dm_document_label(),
        )

    def _dm_frozen_message(self, fnames):
        """The refusal of a change the record's step no longer allows; models
        may say it in their own words."""
        self.ensure_one()
        if not self._dm_state_field:
            return self.env._(
                "%(document)s has a history: %(fields)s can no longer be changed.",
                document=self.display_name,
                fields=self._dm_field_labels(fnames),
            )
        return self.env._(
            "%(document)s is at step %(state)s: %(fields)s can no longer be changed.",
            document=self.display_name,
            state=self._dm_state_label(),
            fields=self._dm_field_labels(fnames),
        )

    def _dm_field_role_message(self, fnames, state):
        """The refusal of fields only some roles change at this step (see
        ``_dm_field_groups``)."""
        groups = []
        for fname in sorted(fnames):
            for group in self._dm_field_groups_at(fname, state):
                if group not in groups:
                    groups.append(group)
        if not self._dm_state_field:
            return self.env._(
                "Only %(roles)s may change %(fields)s of %(document)s.",
                roles=self._dm_group_names(groups),
                fields=self._dm_field_labels(fnames),
                document=self.display_name or self._dm_document_label(),
            )
        return self.env._(
            "%(document)s is at step %(state)s: only %(roles)s may change %(fields)s.",
            document=self.display_name or self._dm_document_label(),
            state=self._dm_state_label(state),
            roles=self._dm_group_names(groups),
            fields=self._dm_field_labels(fnames),
        )

    def _dm_protected_message(self, fnames):
        """The refusal of a field a client never sets; models may name their
        actions."""
        return self.env._(
            "%(fields)s of %(document)s are set by its workflow and its actions, "
            "not edited.",
            fields=self._dm_field_labels(fnames),
            document=self._dm_document_label(),
        )

    def _dm_step_message(self, states, action):
        """The refusal of an action at the record's step; models may say it in
        their own words."""
        self.ensure_one()
        return self.env._(
            "%(document)s is %(state)s: it must be %(needed)s to %(action)s.",
            document=self.display_name,
            state=self._dm_state_label(),
            needed=" / ".join(self._dm_state_label(s) for s in states),
            action=action,
        )

    def _dm_transition_message(self, old_state, new_state, state_field=None):
        return self.env._(
            "%(document)s cannot move from %(old)s to %(new)s.",
            document=self.display_name,
            old=self._dm_state_label(old_state, state_field),
            new=self._dm_state_label(new_state, state_field),
        )

    def _dm_role_message(self, old_state, new_state, state_field=None):
        extra = {"state_field": state_field} if state_field else {}
        groups = self._dm_transition_groups(old_state, new_state, **extra)
        names = [self.env.ref(group).name for group in groups]
        return self.env._(
            "Only %(roles)s may move %(document)s from %(old)s to %(new)s.",
            roles=" / ".join(names),
            document=self.display_name,
            old=self._dm_state_label(old_state, state_field),
            new=self._dm_state_label(new_state, state_field),
        )

    def _dm_history_message(self, reasons):
        self.ensure_one()
        return self.env._(
            "%(document)s has a history (%(reasons)s) that must be kept: archive "
            "it instead of deleting it.",
            document=self.display_name,
            reasons=", ".join(reasons),
        )
