from odoo.addons.medical_device.tests.common import MedicalDeviceCase
from odoo.tests import new_test_user

YES, NO = "yes", "no"
MDSW_PATH = {
    "q_is_software": YES,
    "q_drives_device": NO,
    "q_acts_on_data": YES,
    "q_individual_benefit": YES,
    "q_medical_purpose": YES,
    "q_ivd_data": NO,
}
# The representative cases, as a user answers them in the wizard.
PACS_VIEWER = {"q_is_software": YES, "q_drives_device": NO, "q_acts_on_data": NO}
AI_NODULE_DETECTOR = {
    **MDSW_PATH,
    "q_decision_support": YES,
    "q_decision_impact": "other",
    "q_monitors_physiology": NO,
}
INSULIN_DOSE_CALCULATOR = {
    **MDSW_PATH,
    "q_decision_support": YES,
    "q_decision_impact": "serious",
    "q_monitors_physiology": NO,
}
PUMP_DRIVER = {"q_is_software": YES, "q_drives_device": YES}


class SoftwareCase(MedicalDeviceCase):
    """Users of every role (plus a plain referent), sites, a publisher and
    helpers that walk a software through qualification, versions and use."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users["referent"] = new_test_user(
            cls.env, login="test_dm_referent", groups="base.group_user"
        )
        cls.users["clinician"] = new_test_user(
            cls.env, login="test_dm_clinician", groups="base.group_user"
        )
        cls.Software = cls.env["dm.software"]
        cls.Version = cls.env["dm.software.version"]
        cls.site = cls.env["dm.software.site"].create({"name": "North site"})
        cls.site_south = cls.env["dm.software.site"].create({"name": "South site"})
        cls.publisher = cls.env["res.partner"].create(
            {"name": "Radiance AI", "is_company": True}
        )

    def create_software(self, user="technician", **overrides):
        vals = {
            "name": "Chest X-ray triage",
            "publisher_id": self.publisher.id,
            "intended_purpose": "Flags chest X-rays with suspected nodules.",
            "referent_id": self.users["referent"].id,
            "hosting": "on_premises",
        }
        vals.update(overrides)
        return self.Software.with_user(self.users[user]).create(vals)

    def qualification_wizard(self, software, answers, user="pharmacist", **extra):
        return (
            self.env["dm.software.qualification.wizard"]
            .with_user(self.users[user])
            .create({"software_id": software.id, **answers, **extra})
        )

    def qualify(self, software, answers, user="pharmacist", confirm_as="pharmacist"):
        """Answer the wizard (as ``user``) and confirm (as ``confirm_as``)."""
        record = self.qualification_wizard(software, answers, user=user).action_save()
        if confirm_as:
            record.with_user(self.users[confirm_as]).action_confirm()
        return record

    def add_version(self, software, version, user="technician", **overrides):
        vals = {
            "software_id": software.id,
            "version": version,
            "release_notes": f"Release notes of {version}.",
        }
        vals.update(overrides)
        return self.Version.with_user(self.users[user]).create(vals)

    def validated_version(self, software, version, **overrides):
        record = self.add_version(software, version, **overrides)
        record.with_user(self.users["pharmacist"]).action_validate()
        return record

    def install(self, version, site=None, user="technician", **overrides):
        vals = {
            "version_id": version.id,
            "site_id": (site or self.site).id,
            "operation": "install",
        }
        vals.update(overrides)
        wizard = (
            self.env["dm.software.install.wizard"]
            .with_user(self.users[user])
            .create(vals)
        )
        return wizard.action_confirm()

    def rollback(self, version, site=None, user="technician", **overrides):
        vals = {
            "version_id": version.id,
            "site_id": (site or self.site).id,
            "operation": "rollback",
            "note": "Regression on the export to the PACS",
        }
        vals.update(overrides)
        wizard = (
            self.env["dm.software.install.wizard"]
            .with_user(self.users[user])
            .create(vals)
        )
        return wizard.action_confirm()

    def received_software(self, answers=None, **overrides):
        """A qualified software in reception with its CE data and a version
        installed on the north site."""
        software = self.create_software(**overrides)
        self.qualify(software, answers or AI_NODULE_DETECTOR)
        software.with_user(self.users["technician"]).action_to_reception()
        if software.is_medical_device:
            software.with_user(self.users["pharmacist"]).write(
                {
                    "ce_regime": "mdr",
                    "notified_body_number": "0459",
                    "ce_certificate_ref": "CE-MDR-2031",
                    "ce_checked": True,
                }
            )
        version = self.validated_version(software, "1.0")
        self.install(version)
        return software

    def software_in_use(self, **overrides):
        software = self.received_software(**overrides)
        software.with_user(self.users["pharmacist"]).write({"training_done": True})
        if software.contains_ai:
            self.create_plan(software)
        software.with_user(self.users["pharmacist"]).action_put_in_use()
        return software

    def create_plan(self, software, user="pharmacist", **overrides):
        vals = {
            "name": "Monthly double reading",
            "software_id": software.id,
            "method": "A radiologist reads 30 random cases and compares with the AI.",
            "frequency_interval": 1,
            "frequency_unit": "months",
            "sample_size": 30,
            "max_discordance_rate": 10.0,
            "responsible_id": self.users["referent"].id,
        }
        vals.update(overrides)
        return self.env["dm.software.qc.plan"].with_user(self.users[user]).create(vals)

    def activities(self, record, xmlid):
        return (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", record._name),
                    ("res_id", "=", record.id),
                    ("activity_type_id", "=", self.env.ref(xmlid).id),
                ]
            )
        )
