from odoo import api, models
from odoo.exceptions import AccessError

PARTNER_CREATOR = "medical_device.group_dm_partner_creator"
# What the engineer gives when it names a disposal's recipient (the quick
# create of the form): the contact's own data, no relation. A relation created
# with the partner (its users, contacts, bank accounts, followers) is created
# by the ORM beyond the engineer's own rights (a res.users created with a
# partner is created as the superuser): refused.
RECIPIENT_FIELDS = frozenset(
    {
        "name",
        "is_company",
        "email",
        "phone",
        "street",
        "street2",
        "zip",
        "city",
        "state_id",
        "country_id",
        "vat",
        "website",
        "comment",
        "company_id",
        "lang",
        "ref",
    }
)


class ResPartner(models.Model):
    """Contacts created by the engineer (group_dm_partner_creator, create only):
    a recipient's own data, nothing more."""

    _inherit = "res.partner"

    @api.model_create_multi
    def create(self, vals_list):
        partners = self
        if self._dm_is_recipient_creator():
            self._dm_check_recipient_vals(vals_list)
            # The context's defaults would give the refused fields too.
            partners = self.with_env(
                self.env(
                    context={
                        key: value
                        for key, value in self.env.context.items()
                        if not key.startswith("default_")
                        or key[len("default_") :] in RECIPIENT_FIELDS
                    }
                )
            )
        return super(ResPartner, partners).create(vals_list)

    @api.model
    def _dm_is_recipient_creator(self):
        """A user who creates contacts through the engineer's right only (not
        core's Contact Creation group, nor the superuser)."""
        return (
            not self.env.su
            and self.env.user.has_group(PARTNER_CREATOR)
            and not self.env.user.has_group("base.group_partner_manager")
        )

    @api.model
    def _dm_check_recipient_vals(self, vals_list):
        refused = sorted(
            {
                fname
                for vals in vals_list
                for fname, value in vals.items()
                if fname not in RECIPIENT_FIELDS and value
            }
        )
        if refused:
            raise AccessError(
                self.env._(
                    "As a biomedical engineer, you create a recipient with its own "
                    "data only (name, address, contact details); ask an "
                    "administrator for the rest (fields refused: %(fields)s).",
                    fields=", ".join(refused),
                )
            )

    @api.model
    def _dm_demo_in_french(self, user_xmlids):
        """Demo data: the demo users read French where French is installed
        (``make run`` loads it), so that a hospital trying the demo meets its
        own language; elsewhere they keep the database's default."""
        if not self.env["res.lang"].search_count(
            [("code", "=", "fr_FR"), ("active", "=", True)]
        ):
            return False
        users = self.env["res.users"]
        for xmlid in user_xmlids:
            users |= self.env.ref(xmlid, raise_if_not_found=False) or users
        users.partner_id.write({"lang": "fr_FR"})
        return True
