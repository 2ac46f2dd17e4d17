from odoo import fields, models

from ..tools import checklist


class DmDeviceAcquisitionMixin(models.AbstractModel):
    """The acquisition of a medical device: how it is acquired, the checks
    before reception, and the protection of the patient data it holds."""

    _name = "dm.device.acquisition.mixin"
    _description = "Acquisition of a medical device"

    acquisition_mode = fields.Selection(
        [
            ("purchase", "Purchase"),
            ("rental", "Rental"),
            ("loan", "Supplier loan (MAD)"),
            ("donation", "Donation"),
        ],
        string="Acquisition mode",
        tracking=True,
    )
    acquisition_date = fields.Date(string="Acquisition date")
    acq_ce_checked = fields.Boolean(
        string="CE marking checked", tracking=True, help="Checked at acquisition."
    )
    acq_cyber_questionnaire = fields.Boolean(
        string="Cybersecurity questionnaire answered",
        tracking=True,
        help="The supplier answered the minimum cybersecurity questions "
        "(required for a connected device).",
    )
    acq_data_protection_clauses = fields.Boolean(
        string="Data-protection clauses present",
        tracking=True,
        help="The contract (CCAP) holds the personal data protection clauses "
        "(required for a connected device).",
    )
    acq_archiving_defined = fields.Boolean(
        string="Data archiving defined", tracking=True
    )
    acq_training_planned = fields.Boolean(string="User training planned", tracking=True)
    supplier_cyber_answers = fields.Text(
        string="Supplier's cybersecurity answers",
        tracking=True,
        help="Summary of the supplier's answers to the cybersecurity questionnaire "
        "(or the MDS2 form), approved by the RSSI for a connected device.",
    )
    patient_data = fields.Boolean(
        string="Holds patient data",
        tracking=True,
        help="The device stores personal health data.",
    )
    data_hosting = fields.Selection(
        [
            ("device", "On the device only"),
            ("hospital", "Hospital servers"),
            ("cloud", "Cloud"),
            ("supplier", "Supplier server"),
        ],
        string="Patient data hosting",
        tracking=True,
        help="Data stored in a cloud or on a supplier server needs the DPO's "
        "approval of the data-processing contract before reception.",
    )
    dpa_reference = fields.Char(
        string="Data-processing contract",
        tracking=True,
        help="Reference of the data-processing agreement with the supplier (GDPR "
        "art. 28).",
    )
    hds_certified = fields.Boolean(
        string="Certified health data host (HDS)",
        tracking=True,
        help="The host holds the French HDS certification.",
    )
    data_retention = fields.Char(
        string="Data retention",
        tracking=True,
        help="How long the data is kept, e.g. '10 years after the last stay'.",
    )

    def _acquisition_checklist(self):
        """What the device needs to leave acquisition for reception, as
        ``tools.checklist`` items."""
        self.ensure_one()
        items = [
            checklist.item(
                self.env._("the acquisition mode"),
                self.acquisition_mode,
                "acquisition_mode",
            ),
            checklist.item(
                self.env._("the CE marking check at acquisition"),
                self.acq_ce_checked,
                "acq_ce_checked",
            ),
            checklist.item(
                self.env._("planned user training"),
                self.acq_training_planned,
                "acq_training_planned",
            ),
        ]
        if self.is_connected:
            items += [
                checklist.item(
                    self.env._(
                        "the supplier's cybersecurity answers (connected device)"
                    ),
                    self.acq_cyber_questionnaire,
                    "acq_cyber_questionnaire",
                ),
                checklist.item(
                    self.env._("the data-protection clauses (connected device)"),
                    self.acq_data_protection_clauses,
                    "acq_data_protection_clauses",
                ),
            ]
        items += self._dm_approvals_checklist("reception")
        return items

    def _acquisition_missing(self):
        """What the device lacks to leave acquisition for reception."""
        return checklist.missing(self._acquisition_checklist())
