"""Browser test: a pharmacist registers an AI software, qualifies it with the
wizard, then adds and validates its first version."""

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install", "dm_browser")
class TestSoftwareTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pharmacist = new_test_user(
            cls.env,
            login="tour_dm_pharmacist",
            groups="medical_device.group_dm_pharmacist",
        )

    def test_register_qualify_and_validate_a_version(self):
        self.start_tour("/odoo", "dm_software_tour", login="tour_dm_pharmacist")

        software = self.env["dm.software"].search(
            [("name", "=", "Tour Lung Nodule AI")]
        )
        self.assertEqual(len(software), 1)
        self.assertTrue(software.contains_ai)
        self.assertTrue(software.is_medical_device)
        self.assertEqual(software.dm_risk_class, "iia")
        self.assertEqual(software.qualification_state, "qualified")
        qualification = software.qualification_id
        self.assertEqual(qualification.answered_by_id, self.pharmacist)
        self.assertEqual(qualification.confirmed_by_id, self.pharmacist)
        self.assertEqual(qualification.q_decision_impact, "other")
        version = software.version_ids
        self.assertEqual(version.version, "2.10")
        self.assertEqual(version.state, "validated")
        self.assertEqual(version.validated_by_id, self.pharmacist)
