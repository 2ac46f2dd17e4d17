from odoo import Command, api, fields, models
from odoo.tools import SQL

# Above this many new devices for one role in one company, the daily jobs
# schedule one digest per site instead of one activity per device.
DEFAULT_DIGEST_THRESHOLD = 100


class DmActivityDigest(models.Model):
    """What a daily job found for one role, in one company and one site, when
    there is too much of it to schedule an activity per device: the digest
    holds the activity and opens the list of its devices.

    Only the data is stored (kind, site, devices, count); its name is rendered
    when it is read, in the reader's language."""

    _name = "dm.activity.digest"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Daily job digest"
    _order = "id desc"
    _check_company_auto = True
    # Whoever may read the digest may mark its activity done.
    _mail_post_access = "read"

    kind = fields.Selection(
        [("ce_deadline", "CE deadlines")], required=True, readonly=True
    )
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    site = fields.Char(readonly=True, help="The devices' location.")
    device_ids = fields.Many2many(
        "maintenance.equipment",
        "dm_activity_digest_device_rel",
        "digest_id",
        "device_id",
        string="Devices",
        readonly=True,
        check_company=True,
    )
    device_count = fields.Integer(string="Devices to follow up", readonly=True)

    @api.depends("kind", "site", "device_count")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for digest in self:
            digest.display_name = digest._dm_text()

    def _dm_text(self):
        """The digest's sentence in the language of ``self.env``."""
        self.ensure_one()
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        return self.env._(
            "%(kind)s: %(count)s device(s), %(site)s",
            kind=kinds.get(self.kind, self.kind or ""),
            count=self.device_count,
            site=self.site or self.env._("no location"),
        )

    def action_open_devices(self):
        """The list of the digest's devices (the reader's record rules apply)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.display_name,
            "res_model": "maintenance.equipment",
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [("dm_digest_ids", "in", self.ids)],
            "context": {"create": False},
        }

    # ------------------------------------------------------------ daily jobs
    @api.model
    def _dm_threshold(self):
        # sudo: settings are admin data.
        params = self.env["ir.config_parameter"].sudo()
        return int(
            params.get_param(
                "medical_device.digest_threshold", DEFAULT_DIGEST_THRESHOLD
            )
        )

    @api.model
    def _dm_signal(self, kind, devices, signal_field, key_of, schedule, recipient_of):
        """Signal ``devices`` (due today) once per change of their data.

        ``key_of(device)`` is what is signalled (a deadline, a cyber state), as
        a string remembered in ``signal_field``: a device whose key did not
        change is not signalled again, even after its activity was marked
        done. Per company, up to the threshold, ``schedule(devices)`` schedules
        one activity per device; above it, one digest per site is assigned to
        ``recipient_of(company)``. Returns ``(activities, signalled devices)``."""
        fresh = devices.filtered(lambda d: (d[signal_field] or "") != key_of(d))
        threshold = self._dm_threshold()
        created = self.env["mail.activity"]
        for company, group in fresh.grouped("company_id").items():
            if len(group) > threshold:
                created |= self._dm_digests(kind, company, group, recipient_of(company))
            else:
                created |= schedule(group)
        self._dm_remember(fresh, signal_field, key_of)
        return created, fresh

    @api.model
    def _dm_digests(self, kind, company, devices, user):
        """One digest per site of ``devices``: an open digest of the site grows,
        otherwise a new one and its activity. A constant number of queries per
        company, whatever the number of sites."""
        by_site = devices.grouped(lambda d: d.location or False)
        # sudo: the daily job sees every digest of the company.
        Digest = self.sudo().with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
        )
        open_digests = {
            digest.site: digest
            for digest in Digest.search(
                [
                    ("kind", "=", kind),
                    ("company_id", "=", company.id or False),
                    ("activity_ids", "!=", False),
                ]
            )
        }
        grown = {
            open_digests[site]: devices_
            for site, devices_ in by_site.items()
            if site in open_digests
        }
        if grown:
            self._dm_grow(grown, user)
        new_sites = [site for site in by_site if site not in open_digests]
        if not new_sites:
            return self.env["mail.activity"]
        digests = Digest.create(
            [
                {
                    "kind": kind,
                    "company_id": company.id or False,
                    "site": site,
                    "device_ids": [Command.set(by_site[site].ids)],
                    "device_count": len(by_site[site]),
                }
                for site in new_sites
            ]
        )
        # Written in the recipient's language, never in the cron user's.
        digests_for_user = digests.with_context(lang=user.lang)
        activity_type = self.env.ref("medical_device.mail_activity_type_dm_digest")
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        return (
            self.env["mail.activity"]
            .with_context(mail_activity_quick_update=True)
            .create(
                [
                    {
                        "res_model_id": model_id,
                        "res_id": digest.id,
                        "activity_type_id": activity_type.id,
                        "automated": True,
                        "res_name": digest._dm_text(),
                        "summary": digest._dm_text(),
                        "user_id": user.id,
                        "date_deadline": today,
                    }
                    for digest in digests_for_user
                ]
            )
        )

    @api.model
    def _dm_grow(self, grown, user):
        """Add devices to open digests ``{digest: devices}``: three queries,
        whatever the number of digests (the relation, the counts, the
        summaries of their activities)."""
        cr = self.env.cr
        cr.execute(
            SQL(
                "INSERT INTO dm_activity_digest_device_rel (digest_id, device_id) "
                "VALUES %s ON CONFLICT DO NOTHING",
                SQL(", ").join(
                    SQL("(%s, %s)", digest.id, device_id)
                    for digest, devices in grown.items()
                    for device_id in devices.ids
                ),
            )
        )
        digests = self.browse([digest.id for digest in grown])
        cr.execute(
            SQL(
                "UPDATE dm_activity_digest AS d SET device_count = "
                "(SELECT count(*) FROM dm_activity_digest_device_rel AS r "
                "WHERE r.digest_id = d.id) WHERE d.id = ANY(%s)",
                digests.ids,
            )
        )
        digests.invalidate_recordset(["device_ids", "device_count"])
        for_user = digests.with_context(lang=user.lang)
        cr.execute(
            SQL(
                "UPDATE mail_activity AS a SET summary = v.summary "
                "FROM (VALUES %s) AS v(id, summary) "
                "WHERE a.res_model = %s AND a.res_id = v.id",
                SQL(", ").join(
                    SQL("(%s, %s)", digest.id, digest._dm_text()) for digest in for_user
                ),
                self._name,
            )
        )
        self.env["mail.activity"].invalidate_model(["summary"])

    @api.model
    def _dm_remember(self, devices, signal_field, key_of):
        """Store each device's signalled key: one UPDATE per thousand devices,
        without touching the devices' write date or chatter."""
        Equipment = self.env["maintenance.equipment"]
        column = SQL.identifier(Equipment._fields[signal_field].name)
        for start in range(0, len(devices), 1000):
            batch = devices[start : start + 1000]
            values = SQL(", ").join(SQL("(%s, %s)", d.id, key_of(d)) for d in batch)
            self.env.cr.execute(
                SQL(
                    "UPDATE maintenance_equipment AS e SET %s = v.key "
                    "FROM (VALUES %s) AS v(id, key) WHERE e.id = v.id",
                    column,
                    values,
                )
            )
        devices.invalidate_recordset([signal_field])
