import ipaddress
import json
import re
from urllib.parse import urlencode

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.addons.medical_device.tools import checklist
from odoo.addons.medical_device.tools import reader_text as rt
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools.translate import LazyTranslate

from ..controllers.main import _it_export_allowed, forbidden_message
from ..tools import cyber_risk

_lt = LazyTranslate(__name__)

MAC_RE = re.compile(r"^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$")
CYBER_LEVELS = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
    ("critical", "Critical"),
    # Connected, but the matrix is not answered yet (see MATRIX_ANSWERED_FIELDS):
    # no score, no watch. Last, so the rated levels keep their order.
    ("not_assessed", "Not assessed"),
]
# The matrix counts as answered once its question with no default answer is
# answered: the antivirus (hospital, supplier or an explicit "None"), a column
# of the hospital's own matrix and of the fleet import. Every other answer has
# a meaning when empty: a yes/no question is "no", no operating system is
# "unknown OS" (its own risk factor), no last patch is "never patched", no
# remote maintenance channel is "none declared", no MDS2 is "not received".
MATRIX_ANSWERED_FIELDS = ["antivirus"]
# The answers of the simplified cyber matrix (seeds), all tracked.
MATRIX_FIELDS = [
    "is_connected",
    "os_version_id",
    "antivirus",
    "domain_joined",
    "internet_access",
    "patient_data",
    "vendor_firewall",
    "usb_locked",
    "default_accounts_changed",
    "last_patch_date",
    "patch_installer",
    "patch_remote",
    "third_party_patches_allowed",
    "vendor_notifies_updates",
    "remote_maintenance_channel",
    "network_zone",
    "ip_address",
    "mac_address",
    "supplier_rssi_contact_id",
    "mds2_date",
    # The answer "received" when no SBOM file is in the suite (the files count
    # by themselves: sbom_received, maintenance_equipment_sbom.py).
    "sbom_received_manual",
    "last_pentest_date",
    "bug_bounty",
]
# What a connected device needs answered before it goes in service.
REQUIRED_MATRIX_FIELDS = [
    "os_version_id",
    "antivirus",
    "remote_maintenance_channel",
    "network_zone",
    "last_patch_date",
]


class MaintenanceEquipment(models.Model):
    _inherit = "maintenance.equipment"

    os_version_id = fields.Many2one(
        "dm.os.version", string="Operating system", tracking=True, index=True
    )
    firmware_version = fields.Char(
        tracking=True,
        help="The device's firmware or software version, as its manufacturer "
        "writes it (e.g. V4.02.03): advisories' version ranges are compared "
        "with it.",
    )
    cyber_os_obsolete = fields.Boolean(
        string="Obsolete OS",
        compute="_compute_cyber_dates",
        store=True,
        index=True,
        help="The operating system is past its end of support (refreshed daily).",
    )
    antivirus = fields.Selection(
        [
            ("hospital", "Managed by the hospital"),
            ("vendor", "Managed by the supplier"),
            ("none", "None"),
        ],
        tracking=True,
    )
    domain_joined = fields.Boolean(
        string="Joined to the hospital domain", tracking=True
    )
    internet_access = fields.Boolean(tracking=True)
    vendor_firewall = fields.Boolean(
        string="Protected by a supplier firewall", tracking=True
    )
    usb_locked = fields.Boolean(string="USB ports locked", tracking=True)
    default_accounts_changed = fields.Boolean(
        string="Default accounts changed",
        tracking=True,
        help="The manufacturer's default accounts and passwords were changed or "
        "disabled.",
    )
    last_patch_date = fields.Date(string="Last patch", tracking=True)
    cyber_patch_outdated = fields.Boolean(
        string="Patch outdated",
        compute="_compute_cyber_dates",
        store=True,
        index=True,
        help="Never patched, or last patched longer ago than the set number of "
        "days (refreshed daily).",
    )
    # How the device is patched (MDS2 CSUP questions, maintenance_equipment_mds2.py).
    patch_installer = fields.Selection(
        [
            ("hospital", "The hospital, following the manufacturer's instructions"),
            ("vendor", "The manufacturer or its authorised service"),
            ("automatic", "The device itself (automatic updates)"),
            ("none", "No updates (no software to update)"),
        ],
        string="Security updates installed by",
        tracking=True,
        help="Who installs the device's security updates and patches (MDS2 "
        "CSUP-1, CSUP-2.1, CSUP-2.2, CSUP-8).",
    )
    patch_remote = fields.Boolean(
        string="Updates installed remotely",
        tracking=True,
        help="The device can receive its patches or software updates remotely "
        "(MDS2 CSUP-2.3): the remote maintenance channel carries them.",
    )
    third_party_patches_allowed = fields.Boolean(
        string="Third-party security updates allowed",
        tracking=True,
        help="The manufacturer allows security updates of third parties (the "
        "operating system's, e.g. Microsoft's) to be installed without its "
        "approval (MDS2 CSUP-2.4).",
    )
    vendor_notifies_updates = fields.Boolean(
        string="Manufacturer notifies approved updates",
        tracking=True,
        help="The manufacturer tells the hospital when updates are approved for "
        "installation (MDS2 CSUP-7).",
    )
    remote_maintenance_channel = fields.Selection(
        [
            ("none", "None"),
            ("supplier_vpn", "Supplier VPN"),
            ("hospital_bastion", "Hospital bastion"),
            ("uncontrolled", "Uncontrolled"),
        ],
        string="Remote maintenance channel",
        tracking=True,
    )
    network_zone = fields.Char(string="Network zone / VLAN", tracking=True)
    ip_address = fields.Char(string="IP address", tracking=True)
    mac_address = fields.Char(string="MAC address", tracking=True)
    supplier_rssi_contact_id = fields.Many2one(
        "res.partner",
        string="Supplier's RSSI contact",
        tracking=True,
        check_company=True,
    )
    mds2_document = fields.Binary(string="MDS2 form", attachment=True)
    mds2_filename = fields.Char(string="MDS2 file name")
    mds2_date = fields.Date(string="MDS2 received on", tracking=True)
    mds2_received = fields.Boolean(
        string="MDS2 received",
        compute="_compute_mds2_received",
        store=True,
    )
    last_pentest_date = fields.Date(string="Last pentest", tracking=True)
    bug_bounty = fields.Boolean(
        string="Bug bounty", tracking=True, help="The manufacturer runs a bug bounty."
    )
    cyber_risk_score = fields.Integer(
        string="Cyber risk score",
        compute="_compute_cyber_risk",
        store=True,
        help="Sum of the weights of the risky answers (Configuration › Cyber risk "
        "factors).",
    )
    cyber_risk_level = fields.Selection(
        CYBER_LEVELS,
        string="Cyber risk",
        compute="_compute_cyber_risk",
        store=True,
        index=True,
        tracking=True,
        # Every level, in its order, in the matrix and the kanban.
        group_expand=True,
    )
    cyber_risk_explanation = fields.Html(
        string="Why this level", compute="_compute_cyber_risk_explanation"
    )
    cyber_matrix_complete = fields.Boolean(
        string="Cyber matrix complete",
        compute="_compute_cyber_matrix_complete",
        store=True,
    )

    # ------------------------------------------------------------ computes
    @api.depends("mds2_document", "mds2_date")
    def _compute_mds2_received(self):
        for device in self:
            device.mds2_received = bool(device.mds2_document or device.mds2_date)

    @api.depends("os_version_id.end_of_support", "last_patch_date")
    def _compute_cyber_dates(self):
        today = fields.Date.context_today(self)
        max_age = self._cyber_patch_max_age()
        for device in self:
            device.cyber_os_obsolete = cyber_risk.is_obsolete(
                device.os_version_id.end_of_support, today
            )
            device.cyber_patch_outdated = cyber_risk.patch_outdated(
                device.last_patch_date, max_age, today
            )

    @api.model
    def _cyber_params(self):
        return self.env["ir.config_parameter"].sudo()  # settings are admin data

    @api.model
    def _cyber_patch_max_age(self):
        return int(self._cyber_params().get_param("dm_cyber.patch_max_age_days", 180))

    @api.model
    def _cyber_thresholds(self):
        params = self._cyber_params()
        return (
            int(params.get_param("dm_cyber.risk_medium_from", 30)),
            int(params.get_param("dm_cyber.risk_high_from", 50)),
            int(params.get_param("dm_cyber.risk_critical_from", 70)),
        )

    def _cyber_matrix_answered(self):
        self.ensure_one()
        return all(self[fname] for fname in MATRIX_ANSWERED_FIELDS)

    def _cyber_answers(self):
        self.ensure_one()
        return {
            "os_recorded": bool(self.os_version_id),
            "os_obsolete": self.cyber_os_obsolete,
            "antivirus": self.antivirus,
            "domain_joined": self.domain_joined,
            "internet_access": self.internet_access,
            "patient_data": self.patient_data,
            "vendor_firewall": self.vendor_firewall,
            "usb_locked": self.usb_locked,
            "default_accounts_changed": self.default_accounts_changed,
            "patch_outdated": self.cyber_patch_outdated,
            "remote_channel": self.remote_maintenance_channel,
            "mds2_received": self.mds2_received,
            "exploitable_vulnerability": self.cyber_vuln_exploitable,
        }

    @api.depends(
        "is_connected",
        "cyber_os_obsolete",
        "os_version_id",
        "antivirus",
        "domain_joined",
        "internet_access",
        "patient_data",
        "vendor_firewall",
        "usb_locked",
        "default_accounts_changed",
        "cyber_patch_outdated",
        "remote_maintenance_channel",
        "mds2_received",
        "cyber_vuln_exploitable",
    )
    def _compute_cyber_risk(self):
        weights = self.env["dm.cyber.risk.factor"]._weights()
        thresholds = self._cyber_thresholds()
        for device in self:
            if not device.is_connected:
                device.cyber_risk_score = 0
                device.cyber_risk_level = False
                continue
            if not device._cyber_matrix_answered():
                device.cyber_risk_score = 0
                device.cyber_risk_level = "not_assessed"
                continue
            score, level, _reasons = cyber_risk.assess(
                device._cyber_answers(), weights, thresholds
            )
            device.cyber_risk_score = score
            device.cyber_risk_level = level

    @api.depends("cyber_risk_score")
    def _compute_cyber_risk_explanation(self):
        factors = self.env["dm.cyber.risk.factor"].search([("weight", ">", 0)])
        weights = {f.code: f.weight for f in factors}
        names = {f.code: f.name for f in factors}
        for device in self:
            if not device.is_connected:
                device.cyber_risk_explanation = False
                continue
            if not device._cyber_matrix_answered():
                device.cyber_risk_explanation = Markup("<p>%s</p>") % self.env._(
                    "Not assessed: answer the antivirus question of the cyber "
                    "matrix (None is an answer)."
                )
                continue
            reasons = cyber_risk.risk_reasons(device._cyber_answers(), weights)
            if not reasons:
                device.cyber_risk_explanation = Markup("<p>%s</p>") % self.env._(
                    "No risky answer."
                )
                continue
            items = Markup("").join(
                Markup("<li><b>+%s</b> %s</li>") % (weight, names[code])
                for code, weight in reasons
            )
            device.cyber_risk_explanation = Markup("<ul>%s</ul>") % items

    @api.depends(*REQUIRED_MATRIX_FIELDS, "is_connected")
    def _compute_cyber_matrix_complete(self):
        for device in self:
            device.cyber_matrix_complete = not device.is_connected or all(
                device[f] for f in REQUIRED_MATRIX_FIELDS
            )

    # ------------------------------------------------------------ constraints
    @api.constrains("ip_address", "mac_address")
    def _check_network_addresses(self):
        for device in self:
            if device.ip_address:
                try:
                    ipaddress.ip_address(device.ip_address.strip())
                except ValueError as error:
                    raise ValidationError(
                        self.env._(
                            "%(device)s: '%(ip)s' is not an IPv4 or IPv6 address.",
                            device=device.display_name,
                            ip=device.ip_address,
                        )
                    ) from error
            if device.mac_address and not MAC_RE.match(device.mac_address.strip()):
                raise ValidationError(
                    self.env._(
                        "%(device)s: '%(mac)s' is not a MAC address (six pairs of "
                        "hexadecimal digits, e.g. 00:1A:2B:3C:4D:5E).",
                        device=device.display_name,
                        mac=device.mac_address,
                    )
                )

    # ------------------------------------------------------------ lifecycle
    def _lifecycle_checklist(self, state):
        items = super()._lifecycle_checklist(state)
        if state == "in_service" and self.is_medical_device and self.is_connected:
            empty = [f for f in REQUIRED_MATRIX_FIELDS if not self[f]]
            items.append(
                checklist.item(
                    self.env._(
                        "a complete cyber matrix (missing: %(fields)s)",
                        fields=", ".join(
                            self._fields[f].get_description(self.env)["string"]
                            for f in empty
                        ),
                    )
                    if empty
                    else self.env._("a complete cyber matrix"),
                    not empty,
                    empty[0] if empty else REQUIRED_MATRIX_FIELDS[0],
                )
            )
        return items

    def write(self, vals):
        watch = bool(set(vals) & set(MATRIX_FIELDS))
        before = {}
        if watch:
            before = {
                device.id: device.cyber_risk_level
                for device in self
                # From the hand-over to IT on: the RSSI's review, pending or
                # approved, follows a worse matrix.
                if device.lifecycle_state in ("reception", "in_service")
            }
        result = super().write(vals)
        if vals.get("lifecycle_state") == "reception":
            # Hand-over to IT: the RSSI gets the matrix with the request.
            self.filtered(
                lambda d: d.is_medical_device and d.is_connected
            )._dm_request_approvals("in_service")
        for device in self.filtered(lambda d: d.id in before):
            device._cyber_reopen_if_raised(before[device.id])
        return result

    def _cyber_reopen_if_raised(self, old_level):
        self.ensure_one()
        new_level = self.cyber_risk_level
        if new_level in ("high", "critical") and cyber_risk.level_raised(
            old_level, new_level
        ):
            rule = self._dm_rule("rssi_network_connection")
            if not rule:
                return
            self._dm_reopen_approval(
                rule,
                rt.msg(
                    _lt("the cyber risk rose from %(old)s to %(new)s"),
                    old=rt.selection(self._name, "cyber_risk_level", old_level) or "-",
                    new=rt.selection(self._name, "cyber_risk_level", new_level),
                ),
            )

    # ------------------------------------------------------------ export
    def action_export_cyber_matrix_xlsx(self):
        """The XLSX hand-over of what the list shows: the selected devices, or
        every device of the list's current filter (``active_domain``, sent by
        the list's button), in the companies active in the web client.

        It only builds the link, for the IT hand-over group (the route checks
        it again), and the route combines the filter with the hand-over's
        domain and applies the record rules: this public method gives nobody
        more than the route would."""
        if not _it_export_allowed(self.env):
            raise AccessError(forbidden_message(self.env))
        # The selected devices are the user's to read (the route would find
        # none of the others, but the selection is not a way to probe them).
        self.check_access("read")
        try:
            domain = Domain(self.env.context.get("active_domain") or [])
        except (ValueError, TypeError) as error:
            raise UserError(
                self.env._("The filter of the list cannot be exported.")
            ) from error
        # The selection, unless it is the whole filter ("select all"): counted,
        # not read, as the filter may hold the whole fleet.
        if self:
            selected = domain & Domain("id", "in", self.ids)
            whole = self.search_count(domain)
            if whole != len(self) or self.search_count(selected) != whole:
                domain = selected
        params = {
            "domain": json.dumps(list(domain)),
            "company_ids": ",".join(str(cid) for cid in self.env.companies.ids),
        }
        return {
            "type": "ir.actions.act_url",
            "url": "/dm_cyber/export/cyber-matrix.xlsx?" + urlencode(params),
            "target": "download",
        }

    # ------------------------------------------------------------ daily job
    def _cyber_date_flags_stale(self):
        """The devices whose date-dependent answers (obsolete OS, outdated
        patch) are no longer what today gives, decided by the compute's own
        pure functions: the daily job recomputes only those."""
        today = fields.Date.context_today(self)
        max_age = self._cyber_patch_max_age()
        return self.filtered(
            lambda device: (
                device.cyber_os_obsolete
                != cyber_risk.is_obsolete(device.os_version_id.end_of_support, today)
                or device.cyber_patch_outdated
                != cyber_risk.patch_outdated(device.last_patch_date, max_age, today)
            )
        )

    @api.model
    def _cron_cyber_watch(self):
        """Refresh date-dependent answers, flag newly obsolete OS versions and
        outdated patches: one open activity per device, never twice. Set-based:
        a constant number of queries per thousand devices."""
        today = fields.Date.context_today(self)
        connected = [("is_connected", "=", True), ("lifecycle_state", "!=", "disposed")]
        devices = self.with_context(active_test=False).search_fetch(
            connected,
            [
                "os_version_id",
                "last_patch_date",
                "cyber_os_obsolete",
                "cyber_patch_outdated",
            ],
        )
        stale = devices._cyber_date_flags_stale()
        if stale:
            self._recompute_stored(
                [
                    "cyber_os_obsolete",
                    "cyber_patch_outdated",
                    "cyber_risk_score",
                    "cyber_risk_level",
                ],
                [("id", "in", stale.ids)],
                track=True,
            )
        OsVersion = self.env["dm.os.version"]
        newly_obsolete = OsVersion.search(
            [("end_of_support", "<", today), ("obsolescence_notified", "=", False)]
        )
        flagged = self.search(
            [
                *connected,
                # No watch before the matrix is answered (nothing to follow up).
                ("cyber_risk_level", "!=", "not_assessed"),
                "|",
                ("cyber_os_obsolete", "=", True),
                ("cyber_patch_outdated", "=", True),
            ]
        )
        activity_type = self.env.ref("dm_cyber.mail_activity_type_dm_cyber_alert")
        rssi_users = self.env["dm.approval"]._role_members("rssi")
        # Each hospital's devices go to its own RSSI: a user of another company
        # never hears of them.
        by_company = {}

        def rssi_of(company):
            if company not in by_company:
                members = self.env["dm.approval"]._users_of_company(rssi_users, company)
                by_company[company] = (members, members[:1] or self.env.user)
            return by_company[company]

        def alert(device):
            # Reader texts: written in the assignee's language, dates in its
            # format (see mail.activity._dm_schedule_once).
            reasons = []
            if device.cyber_os_obsolete:
                reasons.append(
                    rt.msg(
                        _lt("%(os)s is out of support since %(date)s"),
                        os=device.os_version_id.name,
                        date=rt.date(device.os_version_id.end_of_support),
                    )
                )
            if device.cyber_patch_outdated:
                reasons.append(
                    rt.msg(
                        _lt("last patch: %(date)s"),
                        date=rt.date(device.last_patch_date) or rt.msg(_lt("never")),
                    )
                )
            return {
                "summary": rt.msg(
                    _lt("Cyber watch: %(reasons)s"), reasons=rt.join(reasons, "; ")
                ),
                "user_id": rssi_of(device.company_id)[1].id,
            }

        # A cyber state is signalled once: a done activity comes back only when
        # the state changes; above the threshold, one digest per site.
        created, signalled = self.env["dm.activity.digest"]._dm_signal(
            "cyber_watch",
            flagged,
            "dm_cyber_signalled",
            lambda device: device._dm_cyber_signal_key(),
            lambda group: self.env["mail.activity"]._dm_schedule_once(
                group, activity_type, alert
            ),
            lambda company: rssi_of(company)[1],
        )
        digests = created.filtered(lambda a: a.res_model == "dm.activity.digest")
        company_of = {device.id: device.company_id for device in flagged}
        digest_company = {
            digest.id: digest.company_id
            for digest in self.env["dm.activity.digest"].browse(
                digests.mapped("res_id")
            )
        }
        signalled_by_company = signalled.grouped("company_id")
        notified = self.env["res.users"]
        for company, activities in created.grouped(
            lambda activity: (
                digest_company[activity.res_id]
                if activity.res_model == "dm.activity.digest"
                else company_of[activity.res_id]
            )
        ).items():
            members = rssi_of(company)[0]
            # A digest counts its devices, not its one activity.
            followed = (
                signalled_by_company[company] if activities & digests else activities
            )
            self._cyber_watch_summary(newly_obsolete, followed, members)
            notified |= members
        # The newly obsolete versions are reference data: every RSSI hears of
        # them, with no device of another company counted.
        if newly_obsolete and rssi_users - notified:
            self._cyber_watch_summary(
                newly_obsolete, self.env["mail.activity"], rssi_users - notified
            )
        newly_obsolete.write({"obsolescence_notified": True})
        return created

    @api.model
    def _cyber_watch_summary(self, newly_obsolete, activities, rssi_users):
        if not rssi_users:
            return
        # Each RSSI reads the summary in their own language, dates in its
        # format: one notification per language.
        for lang, users in rssi_users.grouped(lambda u: u.lang or "en_US").items():
            env = self.with_context(lang=lang).env
            render = env["mail.message"]._dm_render
            body = Markup("<p>%s</p>") % env._(
                "Cyber watch: %(os)s newly obsolete OS version(s), %(devices)s "
                "device(s) to follow up.",
                os=len(newly_obsolete),
                devices=len(activities),
            )
            if newly_obsolete:
                body += Markup("<ul>%s</ul>") % Markup("").join(
                    Markup("<li>%s (%s)</li>")
                    % (escape(v.name), render(rt.date(v.end_of_support)))
                    for v in newly_obsolete
                )
            # sudo: the cron user notifies the RSSI group, not tied to one record.
            env["mail.thread"].sudo().message_notify(
                partner_ids=users.partner_id.ids,
                subject=env._("Cyber watch summary"),
                body=body,
            )


# ---- disposal and erasure (issue 5) ----
# The base disposal is medical_device's (maintenance_equipment_disposal.py);
# this adds the DPO's check that every disposed device has its certificate.
class MaintenanceEquipmentDisposal(models.Model):
    _inherit = "maintenance.equipment"  # pylint: disable=consider-merging-classes-inherited

    disposed_without_certificate = fields.Boolean(
        string="Disposed without certificate",
        compute="_compute_disposed_without_certificate",
        store=True,
        index=True,
        help="A disposed medical device whose disposal issued no certificate of "
        "sanitisation (or no-data statement): the DPO's list must stay empty.",
    )

    @api.depends(
        "is_medical_device",
        "lifecycle_state",
        "disposal_ids.state",
        "disposal_ids.certificate_issued_on",
    )
    def _compute_disposed_without_certificate(self):
        for device in self:
            device.disposed_without_certificate = (
                device.is_medical_device
                and device.lifecycle_state == "disposed"
                and not any(
                    d.state == "done" and d.certificate_issued_on
                    for d in device.disposal_ids
                )
            )
