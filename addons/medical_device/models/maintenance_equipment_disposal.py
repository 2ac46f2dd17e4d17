from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools.translate import LazyTranslate

from ..tools import checklist
from ..tools import reader_text as rt

_lt = LazyTranslate(__name__)


class MaintenanceEquipment(models.Model):
    """The device's side of its disposal: the lifecycle moves to Disposal and
    Disposed only through a disposal request confirmed by a biomedical
    engineer; a disposed device stops its preventive maintenance and reminders
    and is archived with its whole history."""

    _inherit = "maintenance.equipment"

    disposal_ids = fields.One2many(
        "dm.disposal",
        "equipment_id",
        string="Disposals",
        groups="medical_device.group_dm_auditor",
    )
    current_disposal_id = fields.Many2one(
        "dm.disposal",
        string="Disposal",
        compute="_compute_current_disposal",
        compute_sudo=True,
        groups="medical_device.group_dm_auditor",
        help="The disposal in progress, or the one that disposed of the device.",
    )
    disposal_state = fields.Selection(
        lambda self: self.env["dm.disposal"]._fields["state"].selection,
        string="Disposal step",
        compute="_compute_current_disposal",
        compute_sudo=True,
        groups="medical_device.group_dm_auditor",
    )

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, **kwargs):
        """With ``dm_show_disposed`` in the context (the lifecycle kanban's
        action), archived devices whose lifecycle is Disposed are found too, so
        that the Disposed column counts and shows them; no other archived
        equipment. A domain that names ``active`` (the Archived filter) or an
        explicit ``active_test`` decides alone."""
        domain = Domain(domain)
        if (
            self.env.context.get("dm_show_disposed")
            and kwargs.get("active_test", True)
            and self.env.context.get("active_test", True)
            and not any(
                leaf.field_expr == "active" for leaf in domain.iter_conditions()
            )
        ):
            domain &= Domain("active", "=", True) | Domain(
                "lifecycle_state", "=", "disposed"
            )
            kwargs["active_test"] = False
        return super()._search(domain, offset, limit, order, **kwargs)

    @api.depends("disposal_ids.state")
    def _compute_current_disposal(self):
        for device in self:
            disposals = device.disposal_ids.filtered(lambda d: d.state != "cancelled")
            device.current_disposal_id = disposals.sorted("id")[-1:]
            device.disposal_state = device.current_disposal_id.state

    def _dm_open_disposal(self):
        """The disposal in progress (any step before Disposed), if any."""
        self.ensure_one()
        # sudo: the lifecycle gate reads the disposal whoever moves the device.
        return self.env["dm.disposal"].sudo()._open_for_device(self).sudo(False)

    # ------------------------------------------------------------ lifecycle
    def _lifecycle_checklist(self, state):
        items = super()._lifecycle_checklist(state)
        if not self.is_medical_device or state not in ("disposal", "disposed"):
            return items
        disposal = self._dm_open_disposal()
        if state == "disposal":
            items.append(
                checklist.item(
                    self.env._(
                        "a disposal request confirmed by a biomedical engineer "
                        "(Request disposal)"
                    ),
                    disposal and disposal.state != "draft",
                )
            )
        elif not disposal:
            items.append(checklist.item(self.env._("a disposal request"), False))
        else:
            # sudo: see _dm_open_disposal. The items are fixed on the
            # disposal's form, not the device's.
            items += [
                {**entry, "field": None}
                for entry in disposal.sudo()._disposal_checklist()
            ]
        return items

    def write(self, vals):
        new_state = vals.get("lifecycle_state")
        back_in_service = disposing = self.browse()
        if new_state == "in_service":
            back_in_service = self.filtered(lambda d: d.lifecycle_state == "disposal")
        elif new_state == "disposed":
            disposing = self.filtered(lambda d: d.lifecycle_state == "disposal")
        result = super().write(vals)
        for device in back_in_service:
            disposal = device._dm_open_disposal()
            if disposal:
                disposal._dm_cancel()
        if disposing:
            disposing._dm_after_disposed()
        return result

    def _dm_after_disposed(self):
        """The device is disposed: its disposal is done (dm_cyber: certificate issued),
        preventive maintenance and reminders stop, and it is archived, still
        searchable with its whole history."""
        for device in self:
            disposal = device._dm_open_disposal()
            if disposal:
                disposal._dm_mark_done()
        self._dm_stop_preventive_maintenance()
        self._dm_stop_reminders()
        self.write({"active": False})

    def _dm_stop_preventive_maintenance(self):
        # sudo: the disposal stops every preventive operation of the device,
        # whichever team owns it.
        requests = (
            self.env["maintenance.request"]
            .sudo()
            .search(
                [
                    ("equipment_id", "in", self.ids),
                    ("maintenance_type", "=", "preventive"),
                    "|",
                    ("recurring_maintenance", "=", True),
                    "&",
                    ("archive", "=", False),
                    ("stage_id.done", "=", False),
                ]
            )
        )
        if not requests:
            return
        requests.write({"recurring_maintenance": False})
        open_requests = requests.filtered(
            lambda r: not r.archive and not r.stage_id.done
        )
        open_requests.activity_unlink(["maintenance.mail_act_maintenance_request"])
        open_requests.write({"archive": True})
        for device in self:
            stopped = open_requests.filtered(lambda r, d=device: r.equipment_id == d)
            if stopped:
                # sudo: see above; the note records what the disposal stopped.
                device.sudo()._dm_post_note(
                    rt.msg(
                        _lt("Disposed: preventive maintenance stopped (%(requests)s)."),
                        requests=", ".join(stopped.mapped("name")),
                    )
                )

    def _dm_stop_reminders(self):
        # sudo: pending approvals and activities of the device belong to other
        # users and roles; they are withdrawn, the approvals kept as history.
        pending = (
            self.env["dm.approval"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("state", "=", "pending"),
                ]
            )
        )
        pending._close_activities()
        pending.write(
            {"active": False, "superseded_reason": self.env._("Device disposed")}
        )
        self.sudo().activity_ids.unlink()

    # ------------------------------------------------------------ actions
    def action_request_disposal(self):
        """Move the device to Disposal through a confirmed disposal request:
        the open request is confirmed, or one is created (the engineer completes
        it on the form that opens)."""
        medical = self.filtered("is_medical_device")
        other = self - medical
        if other:
            other.write({"lifecycle_state": "disposal"})
        if not medical:
            return True
        # The lifecycle's checks first: only an engineer moves a device.
        medical._check_lifecycle_move("disposal")
        Disposal = self.env["dm.disposal"]
        disposals = Disposal
        for device in medical:
            disposal = device._dm_open_disposal() or Disposal.create(
                {"equipment_id": device.id}
            )
            if disposal.state == "draft":
                disposal.action_confirm()
            disposals |= disposal
        return disposals._dm_form_action()

    def action_open_disposal_request(self):
        """Open the device's disposal, or a new request for it."""
        self.ensure_one()
        # Only for a user who may read the device (see docs/security.md).
        self.check_access("read")
        disposal = self.current_disposal_id
        if disposal:
            return disposal._dm_form_action()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Disposal request"),
            "res_model": "dm.disposal",
            "view_mode": "form",
            "context": {"default_equipment_id": self.id},
        }
