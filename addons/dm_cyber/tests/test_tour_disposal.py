"""Browser test: the disposal of a device holding data, from the engineer's
request to the DPO's sign-off, one tour per role."""

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install", "dm_browser")
class TestDisposalTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.engineer = new_test_user(
            cls.env,
            login="tour_disposal_engineer",
            name="Tour Engineer",
            groups="medical_device.group_dm_engineer",
        )
        cls.rssi = new_test_user(
            cls.env,
            login="tour_disposal_rssi",
            name="Tour RSSI",
            groups="medical_device.group_dm_rssi",
        )
        cls.dpo = new_test_user(
            cls.env,
            login="tour_disposal_dpo",
            name="Tour DPO",
            groups="medical_device.group_dm_dpo",
        )
        # Loaded in service (as data loading may), holding patient data.
        cls.device = cls.env["maintenance.equipment"].create(
            {
                "name": "Tour Disposal Ultrasound",
                "serial_no": "TOUR-US-1",
                "is_medical_device": True,
                "lifecycle_state": "in_service",
                "acquisition_mode": "purchase",
                "acq_ce_checked": True,
                "acq_training_planned": True,
                "dm_risk_class": "iia",
                "ce_regime": "mdr",
                "notified_body_number": "0459",
                "ce_certificate_ref": "CE-TOUR-DISPOSAL",
                "patient_data": True,
                "data_hosting": "device",
            }
        )

    def test_disposal_from_request_to_dpo_sign_off(self):
        self.start_tour(
            f"/odoo/medical-devices/{self.device.id}",
            "dm_cyber_disposal_request_tour",
            login="tour_disposal_engineer",
        )
        disposal = self.device.current_disposal_id
        self.assertEqual(disposal.state, "verification")
        self.assertEqual(self.device.lifecycle_state, "disposal")
        self.assertEqual(disposal.confirmed_by_id, self.engineer)
        self.assertEqual(
            disposal.medium_ids.mapped(lambda m: (m.media_type, m.level, m.state)),
            [("ssd", "purge", "sanitised")],
        )

        self.start_tour(
            "/odoo/dm-disposals",
            "dm_cyber_disposal_verify_tour",
            login="tour_disposal_rssi",
        )
        self.assertEqual(disposal.state, "sign_off")
        self.assertEqual(disposal.verified_by_id, self.rssi)

        self.start_tour(
            "/odoo/dm-erasure-sign-off",
            "dm_cyber_disposal_sign_off_tour",
            login="tour_disposal_dpo",
        )
        self.assertEqual(disposal.state, "ready")
        self.assertEqual(disposal.signed_off_by_id, self.dpo)

        disposal.with_user(self.engineer).action_dispose()
        self.assertEqual(self.device.lifecycle_state, "disposed")
        self.assertFalse(self.device.active)
        self.assertTrue(disposal.certificate_issued_on)
