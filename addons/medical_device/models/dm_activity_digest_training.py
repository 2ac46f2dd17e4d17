from odoo import fields, models


class DmActivityDigest(models.Model):
    """The daily reminder of the trainings expiring: one digest per company
    and department (the site of the trainings), assigned to a biomedical
    engineer of the company; it opens the expiring trainings of the
    department, not devices."""

    _inherit = "dm.activity.digest"  # pylint: disable=consider-merging-classes-inherited

    kind = fields.Selection(
        selection_add=[("training_expiry", "Trainings expiring")],
        ondelete={"training_expiry": "cascade"},
    )
    department_id = fields.Many2one(
        "hr.department",
        readonly=True,
        check_company=True,
        help="For the trainings expiring: the department of the trained users.",
    )

    def _dm_text(self):
        if self.kind != "training_expiry":
            return super()._dm_text()
        return self.env._(
            "Trainings expiring: %(count)s training(s), %(site)s",
            count=self.device_count,
            site=self.site or self.env._("no department"),
        )

    def action_open_devices(self):
        if self.kind != "training_expiry":
            return super().action_open_devices()
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "medical_device.dm_training_attendance_action_expiring"
        )
        action["domain"] = [
            ("company_id", "=", self.company_id.id),
            ("department_id", "=", self.department_id.id),
        ]
        action["context"] = {"search_default_filter_expiring": 1}
        return action
