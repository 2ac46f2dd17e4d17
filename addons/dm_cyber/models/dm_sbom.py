import base64
import binascii
from collections import defaultdict

from odoo import api, fields, models
from odoo.addons.medical_device.models.maintenance_plan import ilike_exact
from odoo.addons.medical_device.tools import reader_text as rt
from odoo.addons.medical_device.tools.messages import error_message
from odoo.exceptions import UserError, ValidationError
from odoo.tools import clean_context
from odoo.tools.translate import LazyTranslate

from ..tools import sbom as sbom_reader
from ..tools.vuln_match import component_match_key

_lt = LazyTranslate(__name__)

SBOM_FORMATS = [
    ("cyclonedx_json", "CycloneDX (JSON)"),
    ("cyclonedx_xml", "CycloneDX (XML)"),
    ("spdx_json", "SPDX (JSON)"),
    ("spdx_tag_value", "SPDX (tag-value)"),
]
TARGET_KINDS = [("device", "Device"), ("model", "Device model")]
# What a component is: the reading of the file, compared as a whole when the
# file is read again (an unchanged component keeps its record, and the
# vulnerabilities found on it their link).
COMPONENT_FIELDS = ("name", "version", "supplier", "purl", "cpe", "bom_ref")


def model_key(name):
    """The device model an SBOM or a device names, compared as the model plans
    compare them (``=ilike``: case and surrounding spaces aside)."""
    return (name or "").strip().lower() or False


class DmSbom(models.Model):
    """A software bill of materials received from a manufacturer, for one
    device or for every device of a model (manufacturer + model, as the
    model plans of maintenance.plan), read into its components.

    The file is read by ``tools/sbom.py`` when it is written (and again with
    the Read button): the format, the stamps and the components are the
    server's reading of it, never a client's values. A file that is not a
    readable SBOM is refused with the reader's message, and nothing changes
    (the previous file and components stay)."""

    _name = "dm.sbom"
    _description = "Software bill of materials (SBOM)"
    _inherit = ["mail.thread", "dm.workflow.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    # The workflow (dm.workflow.mixin): no steps; the reading of the file is
    # the server's. Archived, never deleted: vulnerabilities were found on it.
    _dm_state_field = None
    _dm_protected_fields = ("sbom_format", "read_on", "read_by_id", "component_ids")
    _dm_deletable_states = ()

    name = fields.Char(
        required=True,
        tracking=True,
        help="What the SBOM describes, e.g. the manufacturer's reference of the "
        "document and the software version it covers.",
    )
    document = fields.Binary(
        string="SBOM file",
        attachment=True,
        help="A CycloneDX (JSON or XML, 1.4 to 1.6) or SPDX (2.2 or 2.3, JSON "
        "or tag-value) document, as the manufacturer sent it. It is read into "
        "its components as soon as it is saved.",
    )
    filename = fields.Char(string="File name", tracking=True)
    sbom_format = fields.Selection(
        SBOM_FORMATS,
        string="Format",
        readonly=True,
        tracking=True,
        help="Recognised from the file's content when it was read.",
    )
    target_kind = fields.Selection(
        TARGET_KINDS,
        string="Describes",
        compute="_compute_target_kind",
        store=True,
        index=True,
        help="A device, or every device of a model.",
    )
    equipment_id = fields.Many2one(
        "maintenance.equipment",
        string="Device",
        index=True,
        ondelete="restrict",
        check_company=True,
        tracking=True,
        help="The device this SBOM describes. Leave empty for an SBOM of a "
        "device model.",
    )
    dm_model_name = fields.Char(
        string="Device model",
        index=True,
        tracking=True,
        help="For an SBOM of a device model: every device whose model is this "
        "one (and of this manufacturer, if set) has these components.",
    )
    dm_model_key = fields.Char(
        string="Model key",
        compute="_compute_dm_model_key",
        store=True,
        index=True,
        help="Technical: the device model in lower case, as devices are matched.",
    )
    dm_model_manufacturer_id = fields.Many2one(
        "res.partner",
        string="Manufacturer",
        check_company=True,
        tracking=True,
        help="For an SBOM of a device model: only the devices of this "
        "manufacturer (empty: every manufacturer's model of that name).",
    )
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        index=True,
        tracking=True,
        help="Empty: the SBOM of a model applies to the devices of every company.",
    )
    component_ids = fields.One2many(
        "dm.sbom.component", "sbom_id", string="Components", readonly=True
    )
    component_count = fields.Integer(
        string="Number of components",
        compute="_compute_component_count",
        store=True,
    )
    device_count = fields.Integer(
        string="Devices",
        compute="_compute_device_count",
        help="The devices this SBOM applies to.",
    )
    read_on = fields.Datetime(string="Read on", readonly=True, tracking=True)
    read_by_id = fields.Many2one("res.users", string="Read by", readonly=True)
    active = fields.Boolean(default=True, tracking=True)

    # ------------------------------------------------------------ computes
    @api.depends("equipment_id", "dm_model_name")
    def _compute_target_kind(self):
        for sbom in self:
            kinds = sbom._dm_target_kinds()
            sbom.target_kind = kinds[0] if len(kinds) == 1 else False

    @api.depends("dm_model_name")
    def _compute_dm_model_key(self):
        for sbom in self:
            sbom.dm_model_key = model_key(sbom.dm_model_name)

    @api.depends("component_ids")
    def _compute_component_count(self):
        # sudo: a count of the server's own lines, the same for every reader.
        counts = dict(
            self.env["dm.sbom.component"]
            .sudo()
            ._read_group([("sbom_id", "in", self.ids)], ["sbom_id"], ["__count"])
        )
        for sbom in self:
            sbom.component_count = counts.get(sbom._origin, 0)

    @api.depends("equipment_id", "dm_model_key", "dm_model_manufacturer_id", "active")
    @api.depends_context("uid", "allowed_company_ids")
    def _compute_device_count(self):
        for sbom in self:
            origin = sbom._origin
            sbom.device_count = len(origin._dm_visible_devices()) if origin else 0

    # ------------------------------------------------------------ constraints
    def _dm_target_kinds(self):
        """The kinds of target this SBOM names (exactly one is valid)."""
        self.ensure_one()
        kinds = []
        if self.equipment_id:
            kinds.append("device")
        if (self.dm_model_name or "").strip():
            kinds.append("model")
        return kinds

    @api.model
    def _dm_target_labels(self):
        return [self.env._("a device"), self.env._("a device model")]

    # ``name``: always given, so that a new SBOM with no target is checked too.
    @api.constrains("name", "equipment_id", "dm_model_name", "dm_model_manufacturer_id")
    def _check_dm_target(self):
        for sbom in self:
            kinds = sbom._dm_target_kinds()
            if len(kinds) != 1:
                raise ValidationError(
                    self.env._(
                        "The SBOM %(name)s must describe exactly one of: %(targets)s.",
                        name=sbom.name,
                        targets=", ".join(self._dm_target_labels()),
                    )
                )
            if sbom.dm_model_manufacturer_id and kinds != ["model"]:
                raise ValidationError(
                    self.env._(
                        "The SBOM %(name)s: a manufacturer is given only with a "
                        "device model.",
                        name=sbom.name,
                    )
                )

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self.check_access("create")
        # Read first: a file that is not an SBOM creates nothing.
        readings = [self._dm_read_vals(vals, new=True) for vals in vals_list]
        sboms = super().create(vals_list)
        for sbom, reading in zip(sboms, readings, strict=True):
            if reading:
                sbom._dm_store_reading(*reading)
        sboms._dm_refresh_devices(sboms._dm_devices(shared_only=True))
        return sboms

    def write(self, vals):
        if not self.env.su:
            self.check_access("write")
        reading = self._dm_read_vals(vals)
        targets = set(vals) & set(self._dm_target_fields())
        watch = targets or "active" in vals
        before = self._dm_devices(shared_only=True) if watch else None
        result = super().write(vals)
        if reading:
            for sbom in self:
                sbom._dm_store_reading(*reading)
        if watch:
            self._dm_refresh_devices(before | self._dm_devices(shared_only=True))
        return result

    @api.model
    def _dm_target_fields(self):
        return (
            "equipment_id",
            "dm_model_name",
            "dm_model_manufacturer_id",
            "company_id",
        )

    # ------------------------------------------------------------ reading
    @api.model
    def _dm_read_vals(self, vals, new=False):
        """``(format, components)`` of the file in ``vals`` (``None`` when
        the values bring no file); a file that is not a readable SBOM raises
        the reader's message in the user's language."""
        if "document" not in vals and not new:
            return None
        data = vals.get("document")
        if not data:
            if self.env.su:
                # The server's own SBOMs (data files, the benchmark's seed)
                # may come as components without a file.
                return None
            raise ValidationError(
                self.env._(
                    "The SBOM %(name)s needs its file (CycloneDX or SPDX).",
                    name=vals.get("name") or "",
                )
            )
        filename = vals.get("filename") or None
        try:
            raw = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError, TypeError) as error:
            raise UserError(self.env._("The SBOM file could not be received.")) from (
                error
            )
        return self._dm_read_bytes(raw, filename)

    @api.model
    def _dm_read_bytes(self, raw, filename=None):
        try:
            components = sbom_reader.read_sbom(raw, filename)
            kind, _text = sbom_reader.sniff(raw, filename)
        except sbom_reader.SbomReadError as error:
            raise UserError(
                self.env._(
                    "%(file)s cannot be read: %(message)s",
                    file=filename or self.env._("The SBOM file"),
                    message=error_message(self.env, error),
                )
            ) from error
        return kind, components

    def action_read_document(self):
        """Read the stored file again (e.g. after the reader learnt a new
        version of the format): same checks as an upload."""
        self.check_access("write")
        for sbom in self:
            raw = base64.b64decode(sbom.with_context(bin_size=False).document or b"")
            kind, components = self._dm_read_bytes(raw, sbom.filename)
            sbom._dm_store_reading(kind, components)
        return True

    def _dm_store_reading(self, kind, components):
        """Write what the reader found: the format, who read the file and
        when, and the components (those already there and unchanged keep
        their record; the others are replaced, in one creation)."""
        self.ensure_one()
        # No default of the caller's context reaches the lines nor the note.
        sbom = self.with_context(clean_context(self.env.context))
        # sudo: the format, the stamps and the components are the server's
        # reading of the file the user was allowed to write (checked above);
        # no client writes them.
        sbom_sudo = sbom.sudo()
        sbom_sudo.write(
            {
                "sbom_format": kind,
                "read_on": fields.Datetime.now(),
                "read_by_id": self.env.uid,
            }
        )
        Component = sbom_sudo.env["dm.sbom.component"]
        existing = defaultdict(list)
        for component in sbom_sudo.component_ids:
            existing[tuple(component[f] or None for f in COMPONENT_FIELDS)].append(
                component
            )
        new_vals = []
        for component in components:
            key = tuple(getattr(component, f) for f in COMPONENT_FIELDS)
            if existing.get(key):
                existing[key].pop()
                continue
            new_vals.append(
                {
                    "sbom_id": sbom.id,
                    **dict(zip(COMPONENT_FIELDS, key, strict=True)),
                    "match_key": component_match_key(
                        name=component.name,
                        purl=component.purl,
                        cpe=component.cpe,
                        vendor=component.supplier,
                    ),
                }
            )
        removed = Component.browse(
            [c.id for records in existing.values() for c in records]
        )
        removed.unlink()
        Component.create(new_vals)
        sbom.invalidate_recordset(["component_ids", "component_count"])
        sbom._dm_post_note(
            rt.msg(
                _lt(
                    "SBOM read (%(format)s): %(count)s components, %(added)s new, "
                    "%(removed)s removed."
                ),
                format=rt.selection(self._name, "sbom_format", kind),
                count=len(components),
                added=len(new_vals),
                removed=len(removed),
            )
        )

    # ------------------------------------------------------------ devices
    def _dm_devices(self, shared_only=False):
        """The devices these SBOMs apply to (active SBOMs only), whoever asks:
        the stored ``sbom_received`` of the devices depends on it.
        ``shared_only``: only through the SBOMs shared by several devices (a
        model's), whose changes the devices' dependencies do not see (the
        SBOM of a device is its ``dm_sbom_ids``)."""
        # sudo: which devices a manufacturer's SBOM describes does not depend
        # on who reads it; callers show the devices as their user.
        Equipment = (
            self.env["maintenance.equipment"].sudo().with_context(active_test=False)
        )
        devices = Equipment.browse()
        for sbom in self.sudo().filtered("active"):
            if sbom.equipment_id:
                if not shared_only:
                    devices |= sbom.equipment_id
            elif sbom.dm_model_key:
                domain = [("model", "=ilike", ilike_exact(sbom.dm_model_name))]
                if sbom.dm_model_manufacturer_id:
                    domain.append(
                        ("manufacturer_id", "=", sbom.dm_model_manufacturer_id.id)
                    )
                if sbom.company_id:
                    domain.append(("company_id", "=", sbom.company_id.id))
                devices |= Equipment.search(domain)
        return devices

    @api.model
    def _dm_refresh_devices(self, devices):
        """Recompute ``sbom_received`` of ``devices`` after SBOMs changed that
        their dependencies do not see (the SBOM of their model). A model's
        SBOM may cover thousands of devices: no chatter message per device,
        the SBOM's own chatter tells what changed."""
        if not devices:
            return
        devices = devices.with_context(tracking_disable=True)
        self.env.add_to_compute(devices._fields["sbom_received"], devices)
        devices._recompute_recordset(["sbom_received"])

    def _dm_visible_devices(self):
        """The devices these SBOMs apply to that the user may read (a model's
        SBOM of every company covers devices of other hospitals)."""
        return self.env["maintenance.equipment"].search(
            [("id", "in", self._dm_devices().ids)]
        )

    def action_view_devices(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "medical_device.maintenance_equipment_action_medical_devices_list"
        )
        action["domain"] = [("id", "in", self._dm_visible_devices().ids)]
        action["context"] = {}
        return action

    def action_view_components(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dm_cyber.dm_sbom_component_action"
        )
        action["domain"] = [("sbom_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------ messages
    @api.model
    def _dm_protected_message(self, fnames):
        return self.env._(
            "%(fields)s of an SBOM are read from its file: upload the file (or "
            "press Read again) instead of writing them.",
            fields=self._dm_field_labels(fnames),
        )
