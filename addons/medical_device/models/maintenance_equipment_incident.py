import logging

from odoo import api, fields, models
from odoo.tools.translate import LazyTranslate

from ..tools import eudamed
from ..tools import reader_text as rt
from .dm_eudamed_mixin import BATCH_PARAM, EUDAMED_STATE_FIELDS

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

PHARMACIST = "medical_device.group_dm_pharmacist"
DEFAULT_BATCH = 200


class MaintenanceEquipment(models.Model):
    """Matériovigilance on the device: its incidents, and its registration in
    EUDAMED (look-up, weekly check)."""

    _inherit = ["maintenance.equipment", "dm.eudamed.mixin"]
    _name = "maintenance.equipment"

    incident_ids = fields.One2many(
        "dm.vigilance.incident", "equipment_id", string="Incidents"
    )
    incident_count = fields.Integer(compute="_compute_incident_count")

    def _compute_incident_count(self):
        counts = dict(
            self.env["dm.vigilance.incident"]._read_group(
                [("equipment_id", "in", self.ids)], ["equipment_id"], ["__count"]
            )
        )
        for device in self:
            device.incident_count = counts.get(device, 0)

    # ------------------------------------------------------------ workflow
    @api.model
    def _dm_client_protected_fields(self):
        return super()._dm_client_protected_fields() | set(EUDAMED_STATE_FIELDS)

    def _dm_history_reasons(self):
        reasons = super()._dm_history_reasons()
        # sudo: every incident counts, whatever the user may read.
        if (
            self.env["dm.vigilance.incident"]
            .sudo()
            .search_count([("equipment_id", "=", self.id)], limit=1)
        ):
            reasons.append(self.env._("matériovigilance incidents"))
        return reasons

    # ------------------------------------------------------------ EUDAMED
    def _dm_eudamed_appliable(self):
        return super()._dm_eudamed_appliable() | {"trade_name"}

    def _dm_eudamed_compared(self):
        return (*super()._dm_eudamed_compared(), "trade_name")

    @api.model
    def _dm_eudamed_values(self, record):
        values = super()._dm_eudamed_values(record)
        if record.trade_name:
            values["trade_name"] = record.trade_name
        return values

    def _dm_eudamed_manufacturer(self):
        return self.manufacturer_id

    # ------------------------------------------------------------ actions
    def action_view_incidents(self):
        self.ensure_one()
        # Only for a user who may read the record (see docs/security.md).
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "medical_device.dm_vigilance_incident_action"
        )
        action["domain"] = [("equipment_id", "=", self.id)]
        action["context"] = {"default_equipment_id": self.id}
        return action

    # ------------------------------------------------------------ weekly job
    @api.model
    def _cron_eudamed_check(self):
        """Look up, by batches, the medical devices with a UDI-DI or a Basic
        UDI-DI (the least recently checked first) and flag those whose
        registration changed since the last look-up: one digest per site
        for the pharmacists, not one activity per device. Offline, the job
        stops and the devices wait for the next run, nothing flagged."""
        # sudo: settings are admin data.
        params = self.env["ir.config_parameter"].sudo()
        batch = int(params.get_param(BATCH_PARAM) or DEFAULT_BATCH)
        devices = self.search(
            [
                ("is_medical_device", "=", True),
                ("lifecycle_state", "!=", "disposed"),
                "|",
                ("udi_di", "!=", False),
                ("basic_udi_di", "!=", False),
            ],
            order="eudamed_checked_on asc nulls first, id",
            limit=batch,
        )
        client = self._dm_eudamed_client()
        changed = self.browse()
        for device in devices:
            udi_di, basic_udi_di = device._dm_eudamed_keys()
            try:
                record = client.lookup(udi_di=udi_di, basic_udi_di=basic_udi_di)
            except eudamed.EudamedError as error:
                _logger.warning(
                    "EUDAMED check stopped at %s: %s", device.display_name, error
                )
                break
            if device.eudamed_hash and device.eudamed_hash != eudamed.fingerprint(
                record
            ):
                changed |= device
            device._dm_eudamed_remember(record, acknowledged=False)
        if changed:
            # sudo: the flag is closed to clients.
            changed.sudo().with_context(tracking_disable=True).write(
                {"eudamed_changed": True}
            )
            self._dm_eudamed_signal(changed)
        return changed

    @api.model
    def _dm_eudamed_signal(self, devices):
        """One digest (and its activity) per company and site for the first
        pharmacist of the company; every pharmacist gets the summary."""
        Digest = self.env["dm.activity.digest"]
        for company, group in devices.grouped("company_id").items():
            pharmacists = self.env["dm.approval"]._group_members(PHARMACIST, company)
            if not pharmacists:
                continue
            Digest._dm_digests("eudamed_change", company, group, pharmacists[:1])
            self.env["mail.thread"]._dm_notify(
                pharmacists,
                rt.msg(_lt("EUDAMED registrations changed")),
                rt.msg(
                    _lt(
                        "%(count)s medical device(s) changed in EUDAMED (class, "
                        "manufacturer or certificate). %(user)s has one digest "
                        "per site: look each device up again to see the "
                        "differences."
                    ),
                    count=len(group),
                    user=pharmacists[:1].name,
                ),
            )
