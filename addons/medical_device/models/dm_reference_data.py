from odoo import api, models
from odoo.exceptions import UserError


class DmReferenceData(models.AbstractModel):
    """Reference data that records point to (a PIEU level, an operating
    system, an import mapping, an approval rule): once a record uses it, it
    is part of that record's history and is archived, never deleted; unused,
    it may be deleted by whoever has the right. The users are found in the
    registry: every stored many2one to the model, whatever its addon."""

    _name = "dm.reference.data"
    _description = "Medical device suite: reference data kept once used"

    @api.model
    def _dm_reference_fields(self):
        """``(model, field)`` of every stored many2one pointing to this model."""
        references = []
        for name, model in self.env.registry.items():
            if model._abstract or not model._auto:
                continue
            for fname, field in model._fields.items():
                if (
                    field.type == "many2one"
                    and field.comodel_name == self._name
                    and field.store
                    and fname not in ("create_uid", "write_uid")
                ):
                    references.append((name, fname))
        return references

    def _dm_used_by(self):
        """The labels of the models whose records use these records."""
        users = []
        for name, fname in self._dm_reference_fields():
            # sudo: every user counts, whatever the user may read, archived too.
            records = self.env[name].sudo().with_context(active_test=False)
            if records.search_count([(fname, "in", self.ids)], limit=1):
                label = self.env["ir.model"]._get(name).display_name
                if label not in users:
                    users.append(label)
        return users

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        for record in self:
            users = record._dm_used_by()
            if users:
                raise UserError(
                    self.env._(
                        "%(record)s is used by %(users)s: it is part of their "
                        "history and cannot be deleted, archive it instead.",
                        record=record.display_name,
                        users=", ".join(users),
                    )
                )
