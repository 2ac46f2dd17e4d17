from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from ..tools import checklist, udi, vigilance_match
from ..tools import reader_text as rt
from ..tools.messages import error_message, tools_error

_lt = LazyTranslate(__name__)

PHARMACIST = "medical_device.group_dm_pharmacist"
# A device concerned by a notice may be anywhere in its life but disposed: in
# acquisition (ordered, maybe delivered), reception, service (loans
# included), or disposal (it may come back in service).
MATCH_STATES = ("acquisition", "reception", "in_service", "disposal")
# The columns of a candidate device the match reads.
MATCH_COLUMNS = (
    "id",
    "udi_di",
    "model",
    "manufacturer_id",
    "udi_lot",
    "serial_no",
    "udi_serial",
    "udi_manufacture_date",
)
SCOPE_FIELDS = (
    "udi_di_list",
    "model_list",
    "lot_ranges",
    "serial_ranges",
    "manufacture_date_from",
    "manufacture_date_to",
    "software_versions",
)
REQUIRED_ACTIONS = [
    ("inspect", "Inspect"),
    ("software_update", "Software update"),
    ("replace_part", "Replace a part"),
    ("quarantine", "Quarantine"),
    ("return", "Return to the manufacturer"),
    ("information", "Information only"),
]


class DmVigilanceNotice(models.Model):
    """A field safety notice (FSN/FSCA), a recall or an ANSM safety
    information: its scope (UDI-DIs, models, lots, serials, manufacture
    dates, software versions) is matched against the fleet, one action per
    device concerned (``dm.vigilance.action``), followed to its end by the
    matériovigilance pharmacist."""

    _name = "dm.vigilance.notice"
    _description = "Safety notice (materiovigilance)"
    _inherit = ["mail.thread", "mail.activity.mixin", "dm.workflow.mixin"]
    _order = "date_received desc, id desc"
    _check_company_auto = True

    # The workflow (dm.workflow.mixin): the pharmacist matches the notice
    # (again as the fleet changes), closes it once every device is handled,
    # and may reopen it.
    _dm_transitions = {
        ("draft", "matched"): (PHARMACIST,),
        ("matched", "closed"): (PHARMACIST,),
        ("closed", "matched"): (PHARMACIST,),
    }
    _dm_state_stamps = {"closed": ("closed_by_id", "closed_on")}
    _dm_protected_fields = ("last_match_on", "last_match_by_id")
    _dm_frozen_states = ("closed",)
    _dm_deletable_states = ("draft",)

    name = fields.Char(
        string="Reference",
        required=True,
        tracking=True,
        help="The manufacturer's or the ANSM's reference of the notice.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    source = fields.Selection(
        [
            ("manufacturer_fsn", "Manufacturer's field safety notice"),
            ("ansm", "ANSM"),
            ("internal", "Internal"),
            ("other", "Other"),
        ],
        required=True,
        default="manufacturer_fsn",
        tracking=True,
    )
    date_received = fields.Date(
        string="Received on",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    manufacturer_id = fields.Many2one("res.partner", tracking=True, check_company=True)
    title = fields.Char(required=True, tracking=True)
    description = fields.Text(
        tracking=True, help="The problem and the manufacturer's instructions."
    )
    severity = fields.Selection(
        [
            ("low", "Low"),
            ("medium", "Medium"),
            ("high", "High"),
            ("critical", "Critical"),
        ],
        default="medium",
        required=True,
        tracking=True,
    )
    required_action = fields.Selection(
        REQUIRED_ACTIONS,
        required=True,
        default="inspect",
        tracking=True,
        help="What must be done on each device concerned. Quarantine: the "
        "device cannot be put (back) in service until its action is done.",
    )
    deadline = fields.Date(
        tracking=True, help="The date by which every device must be handled."
    )
    pharmacist_id = fields.Many2one(
        "res.users",
        string="Pharmacist responsible",
        default=lambda self: self.env.user,
        tracking=True,
        # Notified of the notice: another hospital's pharmacist cannot be one.
        check_company=True,
        domain=lambda self: [("group_ids", "in", self.env.ref(PHARMACIST).ids)],
        help="The matériovigilance correspondent who follows the notice; the "
        "match gives them one activity for the notice.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("matched", "Matched"), ("closed", "Closed")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        group_expand=True,
    )

    udi_carrier = fields.Char(
        string="Scan a UDI",
        copy=False,
        help="Scan or type a UDI barcode printed in the notice: its UDI-DI is "
        "added to the list of UDI-DIs.",
    )
    udi_di_list = fields.Text(
        string="UDI-DIs",
        tracking=True,
        help="One UDI-DI per line.",
    )
    model_list = fields.Text(
        string="Models",
        tracking=True,
        help="One model per line, 'Manufacturer + Model' or the model alone (of "
        "the notice's manufacturer); accents, case and spacing do not matter.",
    )
    lot_ranges = fields.Text(
        string="Lots",
        tracking=True,
        help="One lot or range of lots per line, e.g. L2301-L2399.",
    )
    serial_ranges = fields.Text(
        string="Serial numbers",
        tracking=True,
        help="One serial number or range per line, e.g. SN1000-SN1999: both ends "
        "share their prefix, numbers compare by value, zero-padding counts.",
    )
    manufacture_date_from = fields.Date(string="Manufactured from", tracking=True)
    manufacture_date_to = fields.Date(string="Manufactured until", tracking=True)
    software_versions = fields.Text(
        string="Software versions",
        tracking=True,
        help="One software or firmware version or range per line, e.g. "
        "2.1-2.4 (natural order: 2.10 after 2.9). Matched against the versions "
        "installed on the devices when the Software addon is installed.",
    )
    notes = fields.Html()

    action_ids = fields.One2many("dm.vigilance.action", "notice_id", string="Actions")
    action_count = fields.Integer(
        string="Devices concerned", compute="_compute_progress"
    )
    action_done_count = fields.Integer(
        string="Devices handled", compute="_compute_progress"
    )
    action_overdue_count = fields.Integer(
        string="Overdue actions", compute="_compute_progress"
    )
    progress = fields.Float(
        compute="_compute_progress",
        help="Share of the devices concerned that are handled (done or not "
        "applicable).",
    )
    last_match_on = fields.Datetime(string="Last matched on", readonly=True, copy=False)
    last_match_by_id = fields.Many2one(
        "res.users", string="Last matched by", readonly=True, copy=False
    )
    closed_by_id = fields.Many2one(
        "res.users", string="Closed by", readonly=True, copy=False
    )
    closed_on = fields.Datetime(readonly=True, copy=False)

    _name_company_unique = models.Constraint(
        "UNIQUE (name, company_id)", "This safety notice reference already exists."
    )

    # ------------------------------------------------------------ computes
    def _compute_progress(self):
        # sudo: counts of every action of the notice, whoever reads it.
        Action = self.env["dm.vigilance.action"].sudo()
        today = fields.Date.context_today(self)
        counts = {}
        for notice, state, count in Action._read_group(
            [("notice_id", "in", self.ids)], ["notice_id", "state"], ["__count"]
        ):
            counts.setdefault(notice.id, {})[state] = count
        overdue = dict(
            Action._read_group(
                [
                    ("notice_id", "in", self.ids),
                    ("state", "=", "todo"),
                    ("notice_id.deadline", "<", today),
                ],
                ["notice_id"],
                ["__count"],
            )
        )
        for notice in self:
            by_state = counts.get(notice.id, {})
            total = sum(by_state.values())
            handled = by_state.get("done", 0) + by_state.get("not_applicable", 0)
            notice.action_count = total
            notice.action_done_count = handled
            notice.action_overdue_count = overdue.get(notice._origin, 0)
            notice.progress = 100.0 * handled / total if total else 0.0

    # ------------------------------------------------------------ constraints
    @api.constrains(*SCOPE_FIELDS, "manufacturer_id")
    def _check_scope(self):
        for notice in self:
            notice._dm_scope()
            if (
                notice.manufacture_date_from
                and notice.manufacture_date_to
                and notice.manufacture_date_from > notice.manufacture_date_to
            ):
                raise ValidationError(
                    self.env._(
                        "%(notice)s: the manufacture date window starts after it ends.",
                        notice=notice.display_name,
                    )
                )

    # ------------------------------------------------------------ CRUD
    @api.model
    def _dm_complete_create_vals(self, vals):
        self._dm_add_scanned_di(vals, vals.get("udi_di_list"))

    def write(self, vals):
        # Bad values get the guard's message before the UDI is parsed.
        self._dm_check_input_vals(vals)
        if vals.get("udi_carrier") and "udi_di_list" not in vals:
            # Each notice keeps its own list and gets the scanned UDI-DI.
            for notice in self:
                super(DmVigilanceNotice, notice).write(
                    self._dm_add_scanned_di(dict(vals), notice.udi_di_list)
                )
            return True
        if vals.get("udi_carrier"):
            self._dm_add_scanned_di(vals, vals.get("udi_di_list"))
        return super().write(vals)

    @api.model
    def _dm_add_scanned_di(self, vals, current):
        """The UDI-DI of the scanned ``udi_carrier`` added to ``current`` (the
        list as it is) in ``vals``, read by the suite's UDI parser."""
        carrier = (vals.get("udi_carrier") or "").strip()
        if not carrier:
            return vals
        try:
            di = udi.parse_udi(carrier).di
        except udi.UdiError as error:
            shown = carrier.replace("\x1d", "<GS>")
            raise tools_error(
                self.env, self.env._("Invalid UDI '%(carrier)s'", carrier=shown), error
            ) from error
        lines = [line for _n, line in vigilance_match.scope_lines(current)]
        if di not in lines:
            lines.append(di)
        vals["udi_di_list"] = "\n".join(lines)
        vals["udi_carrier"] = False
        return vals

    @api.onchange("udi_carrier")
    def _onchange_udi_carrier(self):
        if self.udi_carrier:
            values = self._dm_add_scanned_di(
                {"udi_carrier": self.udi_carrier}, self.udi_di_list
            )
            self.update(values)

    # ------------------------------------------------------------ messages
    def _dm_protected_message(self, fnames):
        return self.env._(
            "The step and the match of a safety notice are set by its actions "
            "(Match devices, Close), not edited (fields refused: %(fields)s).",
            fields=self._dm_field_labels(fnames),
        )

    def _dm_frozen_message(self, fnames):
        return self.env._(
            "Safety notice %(notice)s is closed: reopen it to change it.",
            notice=self.display_name,
        )

    def _dm_history_message(self, reasons):
        return self.env._(
            "Safety notice %(notice)s was matched against the fleet: it is part "
            "of the devices' history and cannot be deleted.",
            notice=self.display_name,
        )

    def _dm_step_message(self, states, action):
        return self.env._(
            "Safety notice %(notice)s is %(state)s: it cannot %(action)s now.",
            notice=self.display_name,
            state=self._dm_state_label(),
            action=action,
        )

    # ------------------------------------------------------------ workflow
    def _dm_state_checklist(self, new_state):
        if new_state != "closed":
            return []
        # sudo: every action of the notice counts, whatever the user may read.
        todo = self.sudo().action_ids.filtered(lambda a: a.state == "todo")
        return [
            checklist.item(
                self.env._(
                    "every device concerned handled (%(count)s actions to do)",
                    count=len(todo),
                ),
                not todo,
                "action_ids",
            )
        ]

    def _dm_next_action(self):
        if self.state == "draft":
            return {
                "state": "matched",
                "method": "action_match",
                "string": self.env._("Match devices"),
                "items": [
                    checklist.item(
                        self.env._("at least one criterion of the scope"),
                        not self._dm_scope_is_empty(self._dm_scope()),
                        "udi_di_list",
                    )
                ],
            }
        if self.state == "matched":
            return {
                "state": "closed",
                "method": "action_close",
                "string": self.env._("Close"),
            }
        return None

    # ------------------------------------------------------------ scope
    def _dm_scope(self):
        """The parsed scope of the notice (see ``tools/vigilance_match``);
        raises a translated error naming the line that cannot be read."""
        self.ensure_one()
        try:
            return vigilance_match.parse_scope(
                udi_di_list=self.udi_di_list,
                model_list=self.model_list,
                lot_ranges=self.lot_ranges,
                serial_ranges=self.serial_ranges,
                date_from=self.manufacture_date_from,
                date_to=self.manufacture_date_to,
                manufacturer=self.manufacturer_id.name,
            )
        except vigilance_match.ScopeError as error:
            raise ValidationError(
                self.env._(
                    "%(notice)s: %(message)s",
                    notice=self.display_name or self.name,
                    message=error_message(self.env, error),
                )
            ) from error

    def _dm_scope_is_empty(self, scope):
        """No criterion (dm_software adds the software versions)."""
        return vigilance_match.scope_is_empty(scope)

    def _dm_candidate_domain(self, scope):
        """The devices the database selects as candidates: of the notice's
        company, medical devices not disposed, narrowed by every criterion it
        can test (UDI-DI, manufacturer and model patterns, serial and lot
        prefixes); ``vigilance_match`` then decides on each."""
        self.ensure_one()
        domain = [
            ("company_id", "=", self.company_id.id),
            ("is_medical_device", "=", True),
            ("lifecycle_state", "in", MATCH_STATES),
        ]
        if scope["udi_dis"]:
            domain.append(("udi_di", "in", sorted(scope["udi_dis"])))
        if scope["models"]:
            alternatives = []
            for line in scope["models"]:
                condition = [
                    ("model", "=ilike", vigilance_match.like_pattern(line.model))
                ]
                if line.manufacturer is not None:
                    condition.append(
                        (
                            "manufacturer_id",
                            "in",
                            self._dm_manufacturer_ids(line.manufacturer),
                        )
                    )
                alternatives.append(condition)
            domain.append(self._dm_any_of(alternatives))
        for fname_list, key in (
            (("serial_no", "udi_serial"), "serials"),
            (("udi_lot",), "lots"),
        ):
            if scope[key]:
                alternatives = [
                    [(fname, "=ilike", vigilance_match.escape_like(prefix) + "%")]
                    for prefix in vigilance_match.range_prefixes(scope[key])
                    for fname in fname_list
                ]
                domain.append(self._dm_any_of(alternatives))
        if scope["date_from"]:
            domain.append(("udi_manufacture_date", ">=", scope["date_from"]))
        if scope["date_to"]:
            domain.append(("udi_manufacture_date", "<=", scope["date_to"]))
        return Domain.AND(Domain(*d) if isinstance(d, tuple) else d for d in domain)

    @api.model
    def _dm_any_of(self, alternatives):
        return Domain.OR(Domain(a) for a in alternatives)

    def _dm_manufacturer_ids(self, folded):
        """The manufacturers (contacts) whose name folds to ``folded``: one
        small query, so that the devices' query compares an id (a join to
        the contacts on every device costs more than the whole match)."""
        # sudo: the manufacturers of the company's devices, whoever matches.
        partners = (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search_fetch(
                [
                    ("name", "=ilike", vigilance_match.like_pattern(folded)),
                    ("company_id", "in", [self.company_id.id, False]),
                ],
                ["name"],
            )
        )
        return [p.id for p in partners if vigilance_match.fold(p.name) == folded]

    def _dm_matching_devices(self, scope):
        """``{device id: reasons}`` of the devices in the notice's scope: the
        database's candidates (one query, their values only, no record
        loaded), each decided by ``vigilance_match``."""
        self.ensure_one()
        # sudo: the match sees every device of the notice's company (the
        # notice's own record rule keeps other companies out), whatever the
        # rules of the user who runs it.
        Equipment = self.env["maintenance.equipment"].sudo()
        query = Equipment._search(self._dm_candidate_domain(scope), order="id")
        rows = self.env.execute_query(
            query.select(
                *(SQL.identifier(query.table, fname) for fname in MATCH_COLUMNS)
            )
        )
        devices = [dict(zip(MATCH_COLUMNS, row, strict=True)) for row in rows]
        maker_ids = {d["manufacturer_id"] for d in devices if d["manufacturer_id"]}
        # sudo: the names of the devices' manufacturers, whoever matches.
        makers = {
            partner.id: partner.name
            for partner in self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search_fetch([("id", "in", list(maker_ids))], ["name"])
        }
        for device in devices:
            device["manufacturer"] = makers.get(device["manufacturer_id"])
        return self._dm_device_reasons(scope, devices)

    def _dm_device_reasons(self, scope, devices):
        """``{device id: reasons}`` of ``devices`` (dicts of their
        ``MATCH_COLUMNS`` and manufacturer's name) in ``scope`` (dm_software
        adds the installed software versions)."""
        result = {}
        for device in devices:
            reasons = vigilance_match.match_device(
                scope,
                {
                    "udi_di": device["udi_di"],
                    "manufacturer": device["manufacturer"],
                    "model": device["model"],
                    "lot": device["udi_lot"],
                    "serials": [
                        s for s in (device["serial_no"], device["udi_serial"]) if s
                    ],
                    "manufacture_date": device["udi_manufacture_date"],
                },
            )
            if reasons is not None:
                result[device["id"]] = reasons
        return result

    def _dm_reason_text(self, reasons):
        """The match reason as the pharmacist reads it (the company's
        language): each criterion, the device's value and the line it fits."""
        labels = {
            "udi_di": self.env._("UDI-DI"),
            "model": self.env._("model"),
            "lot": self.env._("lot"),
            "serial": self.env._("serial number"),
            "manufacture_date": self.env._("manufacture date"),
            "software_version": self.env._("software version"),
        }
        parts = []
        for criterion, value, line in reasons:
            label = labels.get(criterion, criterion)
            if line and line != value:
                parts.append(
                    self.env._(
                        "%(criterion)s %(value)s (%(line)s)",
                        criterion=label,
                        value=value,
                        line=line,
                    )
                )
            else:
                parts.append(f"{label} {value}")
        return "; ".join(parts)

    # ------------------------------------------------------------ actions
    def action_match(self):
        """Find every device in the scope and give each one action; run again
        after the fleet changed, it adds the devices newly concerned (never a
        second line for a device) and flags the lines whose device no longer
        matches."""
        self._dm_check_step(("draft", "matched"), self.env._("be matched"))
        for notice in self:
            # The role and the access first (the move, or the right to change
            # a matched notice), before anything is read.
            notice._dm_check_transition("matched")
            notice._dm_lock()
            scope = notice._dm_scope()
            if notice._dm_scope_is_empty(scope):
                raise UserError(
                    self.env._(
                        "Safety notice %(notice)s has no scope: give at least one "
                        "UDI-DI, model, lot, serial number, manufacture date or "
                        "software version.",
                        notice=notice.display_name,
                    )
                )
            # Why each device matched is stored: in the hospital's language.
            lang = notice._dm_company_lang()
            matches = notice.with_context(lang=lang)._dm_matching_devices(scope)
            notice._dm_set_state("matched")
            added = notice._dm_sync_actions(matches, lang)
            # sudo: the match stamps are closed to clients.
            notice.sudo().write(
                {
                    "last_match_on": fields.Datetime.now(),
                    "last_match_by_id": self.env.uid,
                }
            )
            notice._dm_post_note(
                rt.msg(
                    _lt(
                        "Matched by %(user)s: %(count)s devices concerned, %(added)s "
                        "new."
                    ),
                    user=self.env.user.name,
                    count=len(matches),
                    added=added,
                )
            )
            notice._dm_pharmacist_activity()
        return True

    def _dm_sync_actions(self, matches, lang):
        """Create the actions of the devices newly matched, flag those whose
        device no longer matches; return how many were created."""
        self.ensure_one()
        Action = self.env["dm.vigilance.action"].sudo()
        existing = {
            action.equipment_id.id: action
            for action in Action.with_context(active_test=False).search_fetch(
                [("notice_id", "=", self.id)], ["equipment_id", "no_longer_matches"]
            )
        }
        texts = self.with_context(lang=lang)
        new_vals = []
        for device_id, reasons in matches.items():
            if device_id not in existing:
                new_vals.append(
                    {
                        "notice_id": self.id,
                        "equipment_id": device_id,
                        "match_reason": texts._dm_reason_text(reasons),
                    }
                )
        matched_ids = set(matches)
        gone = Action.browse(
            a.id
            for device_id, a in existing.items()
            if device_id not in matched_ids and not a.no_longer_matches
        )
        back = Action.browse(
            a.id
            for device_id, a in existing.items()
            if device_id in matched_ids and a.no_longer_matches
        )
        # sudo: actions are created and flagged by the match only.
        if new_vals:
            Action.create(new_vals)
        if gone:
            gone.write({"no_longer_matches": True})
        if back:
            back.write({"no_longer_matches": False})
        return len(new_vals)

    def _dm_pharmacist_activity(self):
        """One activity per notice for its pharmacist (not one per device), in
        their language, while actions remain to do."""
        self.ensure_one()
        user = self.pharmacist_id
        if not user or not self.action_ids.filtered(lambda a: a.state == "todo"):
            return
        if self.activity_ids.filtered(lambda a: a.user_id == user):
            return
        self._dm_activity_schedule(
            user,
            summary=rt.msg(
                _lt("Follow the actions of safety notice %(notice)s"),
                notice=self.name,
            ),
            note=rt.msg(
                _lt(
                    "%(count)s devices are concerned by %(title)s: have each one "
                    "handled and close the notice."
                ),
                count=len(self.action_ids),
                title=self.title,
            ),
            date_deadline=self.deadline or fields.Date.context_today(self),
        )

    def action_close(self):
        self._dm_check_step(("matched",), self.env._("be closed"))
        for notice in self:
            notice._dm_set_state("closed")
            # sudo: the activities are the pharmacist's; closing ends them.
            notice.sudo().activity_ids._dm_feedback(rt.msg(_lt("Safety notice closed")))
        return True

    def action_reopen(self):
        self._dm_check_step(("closed",), self.env._("be reopened"))
        self._dm_set_state("matched")
        return True

    def action_view_actions(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "medical_device.dm_vigilance_action_action"
        )
        action["domain"] = [("notice_id", "=", self.id)]
        action["context"] = {"search_default_filter_todo": 0}
        return action
