"""Browser test: the DPO approves a data-processing contract from My approvals."""

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install", "dm_browser")
class TestApprovalTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dpo = new_test_user(
            cls.env,
            login="tour_dpo",
            groups="medical_device.group_dm_dpo",
        )
        cls.technician = new_test_user(
            cls.env,
            login="tour_technician",
            groups="medical_device.group_dm_technician",
        )
        cls.device = cls.env["maintenance.equipment"].create(
            {
                "name": "Tour Cloud Monitor",
                "is_medical_device": True,
                "serial_no": "TOUR-CLOUD-1",
                "acquisition_mode": "purchase",
                "acq_ce_checked": True,
                "acq_training_planned": True,
                "patient_data": True,
                "data_hosting": "cloud",
                "dpa_reference": "DPA-TOUR-42",
                "hds_certified": True,
                "data_retention": "20 years",
            }
        )
        cls.device.with_user(cls.technician).action_request_approvals()

    def test_dpo_approves_then_the_device_moves_to_reception(self):
        device = self.device.with_user(self.technician)
        self.assertEqual(device.validation_status, "pending")
        self.start_tour("/odoo", "medical_device_approval_tour", login="tour_dpo")

        line = self.device._dm_current_line("dpo_data_contract")
        self.assertEqual(line.state, "approved")
        self.assertEqual(line.reviewer_id, self.dpo)
        device.write({"lifecycle_state": "reception"})
        self.assertEqual(device.lifecycle_state, "reception")
