"""Browser test: a technician records an erasure line from its form, with
the “Record the erasure” button, and is offered only the levels its medium
allows."""

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install", "dm_browser")
class TestErasureLineTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.technician = new_test_user(
            cls.env,
            login="tour_line_technician",
            name="Tour Technician",
            groups="medical_device.group_dm_technician",
        )
        device = cls.env["maintenance.equipment"].create(
            {
                "name": "Tour Line Scanner",
                "serial_no": "TOUR-LINE-1",
                "is_medical_device": True,
                "lifecycle_state": "in_service",
                "acquisition_mode": "purchase",
                "acq_ce_checked": True,
                "acq_training_planned": True,
                "dm_risk_class": "iia",
                "ce_regime": "mdr",
                "notified_body_number": "0459",
                "ce_certificate_ref": "CE-TOUR-LINE",
                "patient_data": True,
                "data_hosting": "device",
            }
        )
        cls.disposal = cls.env["dm.disposal"].create(
            {
                "equipment_id": device.id,
                "reason": "obsolete",
                "destination": "destruction",
            }
        )
        cls.disposal.action_confirm()
        cls.medium = cls.env["dm.erasure.medium"].create(
            {
                "disposal_id": cls.disposal.id,
                "media_type": "ssd",
                "serial_no": "TOUR-LINE-SSD",
            }
        )

    def test_record_the_erasure_from_the_line_form(self):
        self.assertEqual(self.medium.state, "planned")
        self.start_tour(
            f"/odoo/dm-disposals/{self.disposal.id}",
            "dm_cyber_erasure_line_tour",
            login="tour_line_technician",
        )
        self.assertEqual(self.medium.state, "sanitised")
        self.assertEqual(self.medium.recorded_by_id, self.technician)
        self.assertEqual(self.medium.level, "purge")
        self.assertEqual(self.medium.sanitiser_name, "Julien Moreau")
