from odoo import api, models
from odoo.exceptions import UserError


class DmAdvisoryGuard(models.AbstractModel):
    """The fields of the vulnerability watch that only the server writes
    (what the importers read in a source's file, the fetch's results): a
    client's ``create``/``write`` naming one, by value or by a ``default_*``
    key of its context, is refused whatever its role. The server's own
    writes run in sudo (``dm.advisory.importer``)."""

    _name = "dm.advisory.guard"
    _description = "Vulnerability watch: fields written by the server only"

    @api.model
    def _dm_client_protected_fields(self):
        return set()

    @api.model
    def _dm_context_defaults(self):
        return {
            key[len("default_") :]
            for key in self.env.context
            if key.startswith("default_")
        }

    @api.model
    def _dm_check_client_vals(self, fnames):
        if self.env.su:
            return
        forbidden = set(fnames) & self._dm_client_protected_fields()
        if forbidden:
            labels = sorted(
                self._fields[f].get_description(self.env)["string"] for f in forbidden
            )
            raise UserError(
                self.env._(
                    "%(fields)s: written by the import of advisories only.",
                    fields=", ".join(labels),
                )
            )

    @api.model
    def _dm_check_client_input(self, vals_list, create=False):
        """The kinds and sizes of the values first (``dm.input.guard``, when
        the model has it), then the role's rights: a role that may not
        write is told so before what only the server writes."""
        if self.env.su:
            return
        if hasattr(self, "_dm_check_input_vals"):
            for vals in vals_list:
                if create:
                    self._dm_check_create_input(vals)
                else:
                    self._dm_check_input_vals(vals)
        self.check_access("create" if create else "write")

    @api.model_create_multi
    def create(self, vals_list):
        self._dm_check_client_input(vals_list, create=True)
        defaults = self._dm_context_defaults()
        for vals in vals_list:
            self._dm_check_client_vals(set(vals) | defaults)
        protected = self._dm_client_protected_fields()
        if self.env.su and defaults & protected:
            # A client's context follows the calls it triggers, into the
            # server's sudo creations: its defaults of these fields are dropped.
            clean = {
                key: value
                for key, value in self.env.context.items()
                if not (
                    key.startswith("default_") and key[len("default_") :] in protected
                )
            }
            # A new environment, not with_context(): the keys must go.
            model = self.with_env(self.env(context=clean))
            return super(DmAdvisoryGuard, model).create(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._dm_check_client_input([vals])
        self._dm_check_client_vals(vals)
        return super().write(vals)
