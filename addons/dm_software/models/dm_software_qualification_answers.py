from odoo import fields, models
from odoo.addons.medical_device.tools.messages import render

from ..tools import qualification

YES_NO = [(qualification.YES, "Yes"), (qualification.NO, "No")]
OUTCOMES = [
    (qualification.INCOMPLETE, "Questions left to answer"),
    (qualification.NOT_SOFTWARE, "Not software"),
    (qualification.NOT_MDSW, "Not a medical device"),
    (qualification.DRIVES_DEVICE, "Medical device: drives a device"),
    (qualification.MDSW, "Medical device software (MDR)"),
    (qualification.IVD_MDSW, "In-vitro diagnostic medical device software (IVDR)"),
]


class DmSoftwareQualificationAnswers(models.AbstractModel):
    """The questions of MDCG 2019-11 and MDR rule 11, shared by the
    qualification wizard and the qualification records it leaves."""

    _name = "dm.software.qualification.answers"
    _description = "Software qualification questions (MDCG 2019-11, rule 11)"

    q_is_software = fields.Selection(
        YES_NO,
        string="1. Is it software?",
        help="A set of instructions that processes input data and creates output "
        "data (MDCG 2019-11). A document, a data set or a plain database is not.",
    )
    q_drives_device = fields.Selection(
        YES_NO,
        string="2. Does it drive or influence the use of a medical device?",
        help="Software that drives or influences the use of a (hardware) medical "
        "device, or is its accessory: the pump's drug library manager, the "
        "scanner's console, a pacemaker programmer.",
    )
    driven_equipment_id = fields.Many2one(
        "maintenance.equipment",
        string="Device it drives",
        domain=[("is_medical_device", "=", True)],
        help="Its class is the class of the software (implementing rule 3.3).",
    )
    q_acts_on_data = fields.Selection(
        YES_NO,
        string="3. Does it act on data beyond storage, archival, communication, "
        "simple search or lossless compression?",
        help="Calculation, analysis, interpretation, detection, alarms… A PACS "
        "that only stores, sends and displays images answers No.",
    )
    q_individual_benefit = fields.Selection(
        YES_NO,
        string="4. Is the action for the benefit of individual patients?",
        help="It gives a result for one patient (not epidemiology, statistics or "
        "population management).",
    )
    q_medical_purpose = fields.Selection(
        YES_NO,
        string="5. Is its intended purpose medical (MDR article 2(1))?",
        help="Diagnosis, prevention, monitoring, prediction, prognosis, treatment "
        "or alleviation of a disease, injury or disability; investigation of "
        "anatomy or of a physiological process; control of conception.",
    )
    q_ivd_data = fields.Selection(
        YES_NO,
        string="6. Does its information come from in-vitro diagnostic examinations?",
        help="Results of laboratory examinations of specimens (blood, tissue…) "
        "only or mainly: it is then an IVD software (IVDR).",
    )
    q_decision_support = fields.Selection(
        YES_NO,
        string="Rule 11: does it give information used to take diagnostic or "
        "therapeutic decisions?",
        help="Detection of nodules, dose calculation, treatment planning, "
        "prescription checks…",
    )
    q_decision_impact = fields.Selection(
        [
            (qualification.IMPACT_OTHER, "Neither of the below"),
            (
                qualification.IMPACT_SERIOUS,
                "Serious deterioration of health or surgical intervention",
            ),
            (qualification.IMPACT_DEATH, "Death or irreversible deterioration"),
        ],
        string="Rule 11: worst impact of a wrong decision",
    )
    q_monitors_physiology = fields.Selection(
        YES_NO,
        string="Rule 11: does it monitor physiological processes?",
    )
    q_vital_parameters = fields.Selection(
        YES_NO,
        string="Rule 11: are they vital parameters whose variations could put the "
        "patient in immediate danger?",
        help="Heart rate, blood pressure, oxygen saturation, breathing in "
        "intensive care or anaesthesia…",
    )

    def _qualification_answers(self):
        self.ensure_one()
        return {key: self[f"q_{key}"] or None for key in qualification.QUESTIONS}

    def _driven_device_class(self):
        self.ensure_one()
        # sudo: the class of the driven device is read whoever answers.
        return self.driven_equipment_id.sudo().dm_risk_class or None

    def _conclusion(self):
        self.ensure_one()
        return qualification.qualify(
            self._qualification_answers(), self._driven_device_class()
        )

    def _conclusion_text(self, conclusion):
        return "\n".join(
            render(qualification.REASONS.get(code, code), env=self.env)
            for code in conclusion.reasons
        )
