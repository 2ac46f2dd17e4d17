import base64
import hashlib

from markupsafe import Markup

from odoo import api, fields, models
from odoo.addons.medical_device.tools.messages import tools_error
from odoo.exceptions import AccessError, UserError

from ..tools import mds2


class MaintenanceEquipmentMds2(models.Model):
    """The MDS2 form of a device read into proposals for its cyber matrix
    (``dm.mds2.proposal``), which the RSSI accepts or refuses."""

    _inherit = "maintenance.equipment"  # pylint: disable=consider-merging-classes-inherited

    mds2_proposal_ids = fields.One2many(
        "dm.mds2.proposal", "equipment_id", string="MDS2 proposals", readonly=True
    )
    mds2_pending_count = fields.Integer(
        string="MDS2 answers to decide", compute="_compute_mds2_pending_count"
    )
    mds2_patching_info = fields.Html(
        string="Patching (MDS2)",
        compute="_compute_mds2_patching_info",
        store=True,
        sanitize=True,
        help="What the manufacturer's MDS2 form says of the device's patches "
        "(CSUP questions): who installs them, remotely or not, third-party "
        "updates and the manufacturer's notices are proposed for the matrix; "
        "the last patch date is the hospital's to record.",
    )

    # ------------------------------------------------------------ computes
    @api.depends("mds2_proposal_ids.state")
    def _compute_mds2_pending_count(self):
        counts = dict(
            self.env["dm.mds2.proposal"]._read_group(
                [("equipment_id", "in", self.ids), ("state", "=", "proposed")],
                ["equipment_id"],
                ["__count"],
            )
        )
        for device in self:
            device.mds2_pending_count = counts.get(device, 0)

    @api.depends("mds2_document")
    def _compute_mds2_patching_info(self):
        for device in self:
            form = device._mds2_form(raise_error=False)
            answers = mds2.patching_answers(form) if form else []
            device.mds2_patching_info = (
                Markup("<ul>%s</ul>")
                % Markup("").join(
                    Markup("<li><b>%s</b> %s<br/>%s</li>")
                    % (answer.question_id, answer.question, answer.text or "-")
                    for answer in answers
                )
                if answers
                else False
            )

    # ------------------------------------------------------------ reading
    def _mds2_bytes(self):
        self.ensure_one()
        # The file's content, not its size (the web client reads with bin_size).
        data = self.with_context(bin_size=False).mds2_document
        return base64.b64decode(data) if data else b""

    def _mds2_form(self, raise_error=True):
        """The device's MDS2 form read, or None (no file; a malformed file
        when ``raise_error`` is false, else a translated error)."""
        self.ensure_one()
        data = self._mds2_bytes()
        if not data:
            return None
        try:
            return mds2.read_mds2(data)
        except mds2.Mds2Error as error:
            if not raise_error:
                return None
            raise tools_error(
                self.env, self.display_name, error, exception=UserError
            ) from None

    def action_read_mds2(self):
        """Read the devices' MDS2 forms into proposals (see ``_mds2_read``) and
        say how many answers wait for the RSSI."""
        created = self._mds2_read()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if created else "info",
                "message": self.env._(
                    "%(count)s MDS2 answer(s) proposed for the cyber matrix.",
                    count=len(created),
                )
                if created
                else self.env._(
                    "The MDS2 form proposes nothing the cyber matrix does not "
                    "already hold."
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _mds2_read(self):
        """Read the devices' MDS2 forms into proposals for their cyber matrix:
        the still-proposed ones are replaced, the decided ones kept (history);
        nothing is proposed that the matrix already holds, nor a value the
        RSSI refused from this same file. A malformed file writes nothing.
        Returns the proposals created."""
        # Reading the form is a change of the device's cyber data: whoever may
        # change the device (and reads it in their companies).
        self.check_access("write")
        Proposal = self.env["dm.mds2.proposal"]
        # Every form is read before anything is written.
        forms = {}
        for device in self:
            if device.lifecycle_state in device._dm_frozen_states:
                # A disposed device's matrix is read-only: nothing to propose.
                raise UserError(device._dm_frozen_message({"mds2_proposal_ids"}))
            form = device._mds2_form()
            if form is None:
                raise UserError(
                    self.env._(
                        "%(device)s has no MDS2 form to read: attach it first "
                        "(Cyber matrix tab).",
                        device=device.display_name,
                    )
                )
            forms[device] = form
        created = Proposal
        now = fields.Datetime.now()
        for device, form in forms.items():
            checksum = hashlib.sha256(device._mds2_bytes()).hexdigest()
            # sudo: proposals are the reading's, closed to every client's
            # create and delete; the user's right to change the device was
            # checked above.
            device_sudo = device.sudo()
            device_sudo.mds2_proposal_ids.filtered(
                lambda p: p.state == "proposed"
            ).unlink()
            refused = {
                (p.field_name, p.proposed_value)
                for p in device_sudo.mds2_proposal_ids
                if p.state == "refused" and p.mds2_checksum == checksum
            }
            vals_list = []
            for found in mds2.proposals(form):
                vals = device._mds2_proposal_vals(found, form)
                if vals is None or (vals["field_name"], vals["proposed_value"]) in (
                    refused
                ):
                    continue
                vals.update(
                    mds2_filename=device.mds2_filename,
                    mds2_date=device.mds2_date,
                    mds2_checksum=checksum,
                    read_on=now,
                )
                vals_list.append(vals)
            created |= Proposal.sudo().create(vals_list)
        return created.with_env(self.env)

    def _mds2_proposal_vals(self, found, form):
        """The values of the proposal of ``found`` (a ``tools.mds2.Proposal``),
        or None when the matrix already holds its value."""
        self.ensure_one()
        Proposal = self.env["dm.mds2.proposal"]
        fname = found.field_name
        vals = {"equipment_id": self.id, "field_name": fname}
        current = self[fname]
        if fname == "os_version_id":
            os_version = Proposal._match_os_version(found.value)
            if os_version and os_version == current:
                return None
            vals["proposed_value"] = found.value
            vals["proposed_os_version_id"] = os_version.id
        else:
            if current == found.value or (
                self._fields[fname].type == "boolean"
                and bool(current) == bool(found.value)
            ):
                return None
            vals["proposed_value"] = Proposal._value_code(fname, found.value)
        answer = form.get(found.source_question_id)
        vals.update(
            current_value=Proposal._value_code(fname, current),
            question_id=found.source_question_id,
            question=answer.question if answer else False,
            answer=answer.answer if answer else found.answer_text,
            note=answer.note if answer else False,
        )
        return vals

    def action_accept_mds2_proposals(self):
        """Accept every proposed MDS2 answer of the devices (the RSSI)."""
        Proposal = self.env["dm.mds2.proposal"]
        # The role first, whether or not an answer waits.
        if not self.env.su and not Proposal._dm_may_move("proposed", "accepted"):
            raise AccessError(Proposal._dm_role_message("proposed", "accepted"))
        proposals = self.mds2_proposal_ids.filtered(lambda p: p.state == "proposed")
        if not proposals:
            raise UserError(self.env._("No MDS2 answer waits for a decision."))
        # An operating system to create first waits; the others are accepted.
        waiting = proposals.filtered(lambda p: not p._can_accept())
        ready = proposals - waiting
        if not ready:
            waiting[:1]._typed_value()  # raises: says what to create
        ready.action_accept()
        if not waiting:
            return True
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "sticky": True,
                "message": self.env._(
                    "%(count)s MDS2 answer(s) accepted. Still waiting: "
                    "%(proposals)s (no matching OS version: create it first, "
                    "then accept).",
                    count=len(ready),
                    proposals=", ".join(waiting.mapped("display_name")),
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
