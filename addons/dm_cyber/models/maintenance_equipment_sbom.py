from odoo import api, fields, models

from .dm_sbom import model_key


class MaintenanceEquipment(models.Model):
    """The SBOMs of a device: its own, its model's (and, with dm_software,
    those of the software versions installed on it)."""

    _inherit = "maintenance.equipment"  # pylint: disable=consider-merging-classes-inherited

    dm_sbom_ids = fields.One2many(
        "dm.sbom",
        "equipment_id",
        string="Own SBOMs",
        readonly=True,
        help="The SBOMs received for this device itself (those of its model are "
        "counted in SBOMs).",
    )
    sbom_received_manual = fields.Boolean(
        string="SBOM received (not in the suite)",
        tracking=True,
        help="The manufacturer gave the SBOM in a form the suite does not read "
        "(paper, PDF, a portal): tick it to count the SBOM as received. An SBOM "
        "file recorded in the suite counts by itself.",
    )
    sbom_received = fields.Boolean(
        string="SBOM received",
        compute="_compute_sbom_received",
        store=True,
        index=True,
        tracking=True,
        help="An SBOM file applies to the device (its own, its model's or that of "
        "a software version installed on it), or the SBOM is marked as received "
        "outside the suite.",
    )
    dm_sbom_count = fields.Integer(
        string="SBOMs",
        compute="_compute_dm_sbom_count",
        help="The SBOMs that apply to the device: its own, its model's and those "
        "of the software versions installed on it.",
    )
    dm_sbom_component_count = fields.Integer(
        string="SBOM components",
        compute="_compute_dm_sbom_count",
        help="The software components these SBOMs list.",
    )

    # ------------------------------------------------------------ computes
    @api.depends(
        "sbom_received_manual",
        "dm_sbom_ids.active",
        "model",
        "manufacturer_id",
        "company_id",
    )
    def _compute_sbom_received(self):
        # sudo: a stored flag, the same whoever triggers its computation.
        sboms = self.sudo()._dm_sboms_by_device()
        for device in self:
            device.sbom_received = device.sbom_received_manual or bool(
                sboms.get(device.id)
            )

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_dm_sbom_count(self):
        # A form's figures, as the user reads them.
        real = self.filtered("id")
        sboms = real._dm_sboms_by_device()
        counts = {}
        if sboms:
            all_sboms = self.env["dm.sbom"].union(*sboms.values())
            counts = dict(
                self.env["dm.sbom.component"]._read_group(
                    [("sbom_id", "in", all_sboms.ids)], ["sbom_id"], ["__count"]
                )
            )
        for device in self:
            device_sboms = sboms.get(device.id, self.env["dm.sbom"])
            device.dm_sbom_count = len(device_sboms)
            device.dm_sbom_component_count = sum(
                counts.get(sbom, 0) for sbom in device_sboms
            )

    # ------------------------------------------------------------ SBOMs
    def _dm_sboms_by_device(self):
        """``{device id: dm.sbom}``: the active SBOMs that apply to each device,
        read as the caller (sudo for the whole fleet). A constant number of
        queries, whatever the number of devices: the devices' model, then the
        SBOMs of these devices or of their models.

        The rule (as the model plans, ``maintenance.plan._dm_model_devices``):
        the device's own SBOMs, and those of its model (same model name, case
        and surrounding spaces aside), of its manufacturer when the SBOM names
        one, of its company when the SBOM has one."""
        Sbom = self.env["dm.sbom"]
        result = {device.id: Sbom for device in self}
        devices = self.filtered("id")
        if not devices:
            return result
        devices.fetch(["model", "manufacturer_id", "company_id"])
        keys = {model_key(device.model) for device in devices} - {False}
        domain = [("equipment_id", "in", devices.ids)]
        if keys:
            domain = ["|", *domain, ("dm_model_key", "in", sorted(keys))]
        sboms = Sbom.search_fetch(
            [("active", "=", True), *domain],
            [
                "equipment_id",
                "dm_model_key",
                "dm_model_manufacturer_id",
                "company_id",
            ],
        )
        own = sboms.filtered("equipment_id").grouped("equipment_id")
        by_model = sboms.filtered(lambda s: not s.equipment_id).grouped("dm_model_key")
        for device in devices:
            found = own.get(device, Sbom)
            for sbom in by_model.get(model_key(device.model), ()):
                if (
                    sbom.dm_model_manufacturer_id
                    and sbom.dm_model_manufacturer_id != device.manufacturer_id
                ):
                    continue
                if sbom.company_id and sbom.company_id != device.company_id:
                    continue
                found |= sbom
            result[device.id] = found
        return result

    def _dm_sbom_components_by_device(self):
        """``{device id: dm.sbom.component}``: the components of the SBOMs that
        apply to each device (see ``_dm_sboms_by_device``), read as the caller.
        A constant number of queries for a batch of devices."""
        Component = self.env["dm.sbom.component"]
        sboms = self._dm_sboms_by_device()
        all_sboms = self.env["dm.sbom"].union(*sboms.values())
        components = Component.search_fetch(
            [("sbom_id", "in", all_sboms.ids)],
            [
                "sbom_id",
                "name",
                "version",
                "supplier",
                "purl",
                "cpe",
                "match_key",
            ],
        )
        by_sbom = components.grouped("sbom_id")
        return {
            device_id: Component.union(*(by_sbom.get(s, Component) for s in found))
            for device_id, found in sboms.items()
        }

    def _dm_sbom_components(self):
        """The components of the SBOMs that apply to these devices."""
        return self.env["dm.sbom.component"].union(
            *self._dm_sbom_components_by_device().values()
        )

    def action_view_dm_sboms(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dm_cyber.dm_sbom_action"
        )
        sboms = self._dm_sboms_by_device()[self.id]
        action["domain"] = [("id", "in", sboms.ids)]
        action["context"] = {"default_equipment_id": self.id}
        return action

    def action_view_dm_sbom_components(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dm_cyber.dm_sbom_component_action"
        )
        action["domain"] = [("id", "in", self._dm_sbom_components().ids)]
        action["context"] = {}
        return action
