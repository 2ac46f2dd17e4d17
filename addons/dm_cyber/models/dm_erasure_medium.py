from odoo import api, fields, models
from odoo.addons.medical_device.tools import reader_text as rt
from odoo.exceptions import ValidationError
from odoo.tools.translate import LazyTranslate

from ..tools import erasure

_lt = LazyTranslate(__name__)

MEDIA_TYPES = [
    ("internal_disk", "Internal hard disk (HDD)"),
    ("ssd", "Solid-state drive (SSD)"),
    ("removable_card", "Removable card (SD, CF, USB key)"),
    ("internal_memory", "Device's internal memory (flash, NVRAM)"),
    ("workstation", "Linked workstation"),
]
LEVELS = [
    ("clear", "Clear"),
    ("purge", "Purge"),
    ("destroy", "Destroy"),
]
METHODS = [
    ("factory_reset", "Factory reset (manufacturer's procedure)"),
    ("overwrite", "Overwrite"),
    ("secure_erase", "Sanitize / secure erase command (ATA, NVMe)"),
    ("block_erase", "Block erase"),
    ("crypto_erase", "Cryptographic erase"),
    ("degauss", "Degauss"),
    ("shred", "Shred"),
    ("disintegrate", "Disintegrate / pulverise"),
    ("incinerate", "Incinerate"),
]
VERIFICATIONS = [
    ("full", "Full read-back verification"),
    ("sampling", "Representative sampling"),
    ("tool_report", "Verification report of the tool"),
    ("visual", "Visual inspection of the destroyed medium"),
    ("supplier_certificate", "Supplier's certificate"),
]
RESULTS = [("success", "Sanitised"), ("failure", "Failed")]
MEDIUM_STATES = [
    ("planned", "Planned"),
    ("sanitised", "Sanitised"),
    ("failed", "Failed"),
]
# Who plans and records a sanitisation: the technician (so the engineer).
PERFORMERS = ("medical_device.group_dm_technician", "medical_device.group_dm_engineer")
# The execution fields, cleared when a medium is planned again.
EXECUTION_FIELDS = ("executed_on", "result", "verification_method")
# The plan, the execution and the evidence of a sanitisation: the audit trail
# kept in the disposal's chatter (the certificate file itself is an attachment).
EVIDENCE_FIELDS = (
    "media_type",
    "name",
    "media_model",
    "serial_no",
    "level",
    "method",
    "tool",
    "tool_version",
    "performer_type",
    "supplier_id",
    *EXECUTION_FIELDS,
    "sanitiser_name",
    "sanitiser_title",
    "sanitiser_contact",
    "location",
    "supplier_certificate_filename",
    "supplier_certificate_ref",
    "notes",
    "state",
    "recorded_by_id",
    "recorded_on",
)


class DmErasureMedium(models.Model):
    """One storage medium of a disposed device and its sanitisation (NIST SP
    800-88): planned, then executed and recorded with its evidence."""

    _name = "dm.erasure.medium"
    _description = "Storage medium to sanitise"
    _inherit = ["dm.document.tracking", "dm.workflow.mixin"]
    _order = "disposal_id, sequence, id"
    _dm_document_tracked_fields = EVIDENCE_FIELDS
    _check_company_auto = True

    # The workflow (see dm.workflow.mixin): the performer records the execution
    # (sanitised or failed, with its evidence: _dm_state_missing), which freezes
    # the medium until it is planned again; the plan itself changes only while
    # the disposal's erasure plan is open (_dm_check_open_for_change).
    _dm_transitions = {
        ("planned", "sanitised"): PERFORMERS,
        ("planned", "failed"): PERFORMERS,
        ("sanitised", "planned"): PERFORMERS,
        ("failed", "planned"): PERFORMERS,
    }
    _dm_create_only_fields = ("disposal_id",)
    _dm_state_stamps = {
        "sanitised": ("recorded_by_id", "recorded_on"),
        "failed": ("recorded_by_id", "recorded_on"),
    }
    _dm_frozen_states = ("sanitised", "failed")
    # A recorded medium is evidence of the erasure.
    _dm_deletable_states = ("planned",)

    disposal_id = fields.Many2one(
        "dm.disposal",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        related="disposal_id.company_id", store=True, index=True, precompute=True
    )
    equipment_id = fields.Many2one(related="disposal_id.equipment_id")
    disposal_state = fields.Selection(
        related="disposal_id.state", string="Disposal step"
    )

    # ------------------------------------------------------------ plan
    media_type = fields.Selection(MEDIA_TYPES, required=True, default="internal_memory")
    name = fields.Char(
        string="Description",
        help="Which medium, e.g. 'System disk of the acquisition console'.",
    )
    media_model = fields.Char(string="Make / model")
    serial_no = fields.Char(string="Serial number")
    level = fields.Selection(
        LEVELS,
        string="Sanitisation level",
        compute="_compute_level",
        store=True,
        readonly=False,
        precompute=True,
        help="NIST SP 800-88: Clear (logical overwrite), Purge (recovery "
        "infeasible even in a laboratory), Destroy (the medium can no longer store "
        "data). Proposed from the media type: an SSD is never cleared alone.",
    )
    allowed_levels = fields.Char(
        string="Allowed levels", compute="_compute_allowed_levels"
    )
    # The same rule as the constraint below (tools/erasure.py), for the level
    # dropdown of the views (core's filterable_selection widget): a level the
    # medium does not allow is not offered.
    allowed_level_keys = fields.Json(
        string="Levels offered", compute="_compute_allowed_levels"
    )
    method = fields.Selection(
        METHODS,
        compute="_compute_method",
        store=True,
        readonly=False,
        precompute=True,
    )
    tool = fields.Char(help="Software or machine used, e.g. 'Blancco Drive Eraser'.")
    tool_version = fields.Char(string="Tool version")
    performer_type = fields.Selection(
        [("hospital", "Hospital"), ("supplier", "Supplier")],
        string="Performed by",
        required=True,
        default="hospital",
    )
    supplier_id = fields.Many2one(
        "res.partner",
        compute="_compute_supplier_id",
        store=True,
        readonly=False,
        check_company=True,
    )

    # ------------------------------------------------------------ execution
    executed_on = fields.Date(string="Sanitised on")
    result = fields.Selection(RESULTS)
    verification_method = fields.Selection(VERIFICATIONS)
    sanitiser_name = fields.Char(
        string="Sanitiser", help="Name of the person who sanitised the medium."
    )
    sanitiser_title = fields.Char(string="Sanitiser's title")
    sanitiser_contact = fields.Char(string="Sanitiser's contact")
    location = fields.Char(string="Sanitisation location")
    supplier_certificate = fields.Binary(
        string="Supplier's certificate", attachment=True, copy=False
    )
    supplier_certificate_filename = fields.Char(string="Certificate file name")
    supplier_certificate_ref = fields.Char(string="Supplier's certificate number")
    notes = fields.Text()
    state = fields.Selection(
        MEDIUM_STATES,
        default="planned",
        required=True,
        readonly=True,
        copy=False,
        index=True,
    )
    recorded_by_id = fields.Many2one(
        "res.users", string="Recorded by", readonly=True, copy=False
    )
    recorded_on = fields.Datetime(readonly=True, copy=False)

    # ------------------------------------------------------------ computes
    @api.depends("media_type", "serial_no", "name")
    def _compute_display_name(self):
        types = dict(self._fields["media_type"]._description_selection(self.env))
        for medium in self:
            parts = [types.get(medium.media_type, "")]
            if medium.name:
                parts.append(medium.name)
            if medium.serial_no:
                parts.append(self.env._("S/N %(serial)s", serial=medium.serial_no))
            medium.display_name = " – ".join(p for p in parts if p)

    @api.depends("media_type")
    def _compute_level(self):
        for medium in self:
            if medium.level not in erasure.allowed_levels(medium.media_type):
                medium.level = erasure.default_level(medium.media_type) or False
            else:
                medium.level = medium.level

    @api.depends("media_type")
    def _compute_allowed_levels(self):
        labels = dict(self._fields["level"]._description_selection(self.env))
        for medium in self:
            medium.allowed_levels = ", ".join(
                labels[level] for level in erasure.allowed_levels(medium.media_type)
            )
            medium.allowed_level_keys = list(erasure.allowed_levels(medium.media_type))

    @api.depends("media_type", "level")
    def _compute_method(self):
        for medium in self:
            allowed = erasure.allowed_methods(medium.media_type, medium.level)
            if medium.method not in allowed:
                medium.method = (
                    erasure.default_method(medium.media_type, medium.level) or False
                )
            else:
                medium.method = medium.method

    @api.depends("performer_type")
    def _compute_supplier_id(self):
        for medium in self:
            if medium.performer_type != "supplier":
                medium.supplier_id = False
            elif not medium.supplier_id:
                medium.supplier_id = medium.disposal_id.equipment_id.partner_id
            else:
                medium.supplier_id = medium.supplier_id

    # ------------------------------------------------------------ constraints
    @api.constrains("media_type", "level", "method")
    def _check_plan(self):
        for medium in self:
            problems = erasure.plan_problems(
                medium.media_type, medium.level, medium.method
            )
            if problems:
                raise ValidationError(
                    self.env._(
                        "%(medium)s: %(problems)s",
                        medium=medium.display_name,
                        problems="; ".join(
                            medium._problem_message(code, params)
                            for code, params in problems
                        ),
                    )
                )

    # ------------------------------------------------------------ messages
    def _labels(self, fname, values):
        labels = dict(self._fields[fname]._description_selection(self.env))
        return ", ".join(labels[v] for v in values)

    def _problem_message(self, code, params):
        """The translated message of a problem code from tools/erasure.py."""
        types = dict(self._fields["media_type"]._description_selection(self.env))
        media = types.get(self.media_type, self.media_type or "")
        messages = {
            "unknown_media": lambda: self.env._("choose the media type"),
            "level_not_allowed": lambda: self.env._(
                "%(level)s is not enough for %(media)s (NIST SP 800-88): use "
                "%(allowed)s",
                level=self._labels("level", [self.level]),
                media=media,
                allowed=self._labels("level", params["allowed"]),
            ),
            "method_not_allowed": lambda: self.env._(
                "%(method)s does not reach the %(level)s level on %(media)s: use "
                "%(allowed)s",
                method=self._labels("method", [self.method]),
                level=self._labels("level", [self.level]),
                media=media,
                allowed=self._labels("method", params["allowed"]),
            ),
            "no_level": lambda: self.env._("the sanitisation level"),
            "no_method": lambda: self.env._("the sanitisation method"),
            "no_date": lambda: self.env._("the date of the sanitisation"),
            "no_result": lambda: self.env._("the result"),
            "no_performer": lambda: self.env._("the name of the sanitiser"),
            "no_verification": lambda: self.env._("the verification method"),
            "verification_not_allowed": lambda: self.env._(
                "a verification method fit for the %(level)s level (%(allowed)s)",
                level=self._labels("level", [self.level]),
                allowed=self._labels("verification_method", params["allowed"]),
            ),
            "certificate_missing": lambda: self.env._(
                "the supplier's certificate, attached (verification by the "
                "supplier's certificate)"
            ),
        }
        return messages[code]()

    def _execution_problems(self):
        self.ensure_one()
        return erasure.execution_problems(
            self.level,
            self.method,
            self.executed_on,
            self.result,
            self.verification_method,
            self.sanitiser_name,
            self.performer_type,
            bool(self.supplier_certificate),
        ) + erasure.plan_problems(self.media_type, self.level, self.method)

    def _execution_problem_messages(self):
        """What a medium recorded as sanitised lacks, as readable strings."""
        self.ensure_one()
        problems = self._execution_problems()
        if self.state == "sanitised" and self.result != "success":
            problems.append(("no_result", {}))
        return [
            self.env._(
                "%(item)s for %(medium)s",
                item=self._problem_message(code, params),
                medium=self.display_name,
            )
            for code, params in problems
        ]

    def _summary_line(self):
        """One line of the erasure, for the reviewers and the chatter: a reader
        text (labels and date in the reader's language and format)."""
        self.ensure_one()
        level = rt.selection(self._name, "level", self.level) or "-"
        method = rt.selection(self._name, "method", self.method) or "-"
        tool = " ".join(p for p in (self.tool, self.tool_version) if p) or "-"
        if self.state == "planned":
            return rt.msg(
                _lt("%(medium)s: %(level)s (%(method)s, tool %(tool)s), planned"),
                medium=self.display_name,
                level=level,
                method=method,
                tool=tool,
            )
        return rt.msg(
            _lt(
                "%(medium)s: %(level)s (%(method)s, tool %(tool)s), %(state)s on "
                "%(date)s by %(sanitiser)s, verification: %(verification)s"
            ),
            medium=self.display_name,
            level=level,
            method=method,
            tool=tool,
            state=rt.selection(self._name, "state", self.state),
            date=rt.date(self.executed_on) or "-",
            sanitiser=self.sanitiser_name or "-",
            verification=(
                rt.selection(
                    self._name, "verification_method", self.verification_method
                )
                or "-"
            ),
        )

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        media = super().create(vals_list)
        # The plan says the device holds data. sudo: planning a medium is
        # allowed to whoever may plan it, the flag follows.
        media.disposal_id.filtered(lambda d: not d.holds_data).sudo().write(
            {"holds_data": True}
        )
        return media

    # ------------------------------------------------------------ workflow
    def _dm_tracking_document(self):
        return self.disposal_id

    def _dm_check_open_for_change(self):
        self.disposal_id._check_plan_open()

    def _dm_state_missing(self, new_state):
        missing = super()._dm_state_missing(new_state)
        if new_state in ("sanitised", "failed"):
            missing += [
                self._problem_message(code, params)
                for code, params in self._execution_problems()
            ]
        return missing

    def _dm_protected_message(self, fnames):
        return self.env._(
            "The status of a medium is recorded with its Record the erasure action, "
            "once the sanitisation is done and verified, and what it shows of its "
            "disposal follows the disposal: not edited (fields refused: "
            "%(fields)s).",
            fields=self._dm_field_labels(fnames),
        )

    def _dm_frozen_message(self, fnames):
        return self.env._(
            "%(medium)s is already recorded as %(state)s: plan it again "
            "before changing it.",
            medium=self.display_name,
            state=self._dm_state_label(),
        )

    def _dm_history_message(self, reasons):
        return self.env._(
            "%(medium)s is recorded as %(state)s: it is evidence of the "
            "erasure and cannot be deleted.",
            medium=self.display_name,
            state=self._dm_state_label(),
        )

    # ------------------------------------------------------------ actions
    def action_record_execution(self):
        """The performer records the sanitisation: date, result, verification
        method and sanitiser are required; the medium is then sanitised (or
        failed) and frozen."""
        for medium in self:
            state = "failed" if medium.result == "failure" else "sanitised"
            # The role first, then the steps of the medium and of the disposal;
            # the conditions of the new state (the evidence) are checked by the
            # workflow as the state is set.
            medium._dm_check_transition(state)
            medium._dm_check_open_for_change()
            action = self.env._("record a sanitisation")
            medium._dm_check_step({"planned"}, action)
            medium.disposal_id._dm_check_step({"erasure"}, action)
            medium._dm_set_state(state)
            medium.disposal_id._dm_post_note(
                rt.msg(
                    _lt("Sanitisation recorded by %(user)s: %(summary)s."),
                    user=self.env.user.name,
                    summary=medium._summary_line(),
                )
            )
        return True

    def action_plan_again(self):
        """Back to planned (a failed sanitisation, or one the RSSI rejected): the
        previous record stays in the disposal's chatter."""
        self._dm_check_transition("planned")
        for medium in self:
            medium.disposal_id._dm_check_step(
                {"erasure"}, self.env._("plan a medium again")
            )
            if medium.state == "planned":
                continue
            previous = medium._summary_line()
            medium._dm_set_state(
                "planned",
                {
                    "recorded_by_id": False,
                    "recorded_on": False,
                    **dict.fromkeys(EXECUTION_FIELDS, False),
                },
            )
            medium.disposal_id._dm_post_note(
                rt.msg(
                    _lt("%(medium)s planned again by %(user)s (was: %(previous)s)."),
                    medium=medium.display_name,
                    user=self.env.user.name,
                    previous=previous,
                )
            )
        return True
