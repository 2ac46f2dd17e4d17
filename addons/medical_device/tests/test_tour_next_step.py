"""Browser test: an engineer opens a device in reception and sees its next step
before clicking: what is missing, the disabled "Put in service" button, and a
link from each missing item to the tab where it is fixed."""

from odoo.tests import new_test_user, tagged

from .common import DmHttpCase


@tagged("post_install", "-at_install", "dm_browser")
class TestNextStepTour(DmHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new_test_user(
            cls.env,
            login="tour_ns_engineer",
            password="tour_ns_engineer",
            groups="medical_device.group_dm_engineer",
        )
        # In reception with its regulatory identity, but no PIEU factors and
        # no accepted reception report.
        cls.device = cls.env["maintenance.equipment"].create(
            {
                "name": "Tour Next Step Monitor",
                "is_medical_device": True,
                "serial_no": "TOUR-NS-0001",
                "acquisition_mode": "purchase",
                "acq_ce_checked": True,
                "acq_training_planned": True,
                "dm_risk_class": "iib",
                "ce_regime": "mdr",
                "notified_body_number": "0123",
                "ce_certificate_ref": "CE-MDR-NS-1",
            }
        )
        cls.device.action_to_reception()
        # Another one with everything met: its accepted reception report.
        # Submitted by OdooBot, accepted by admin: four eyes.
        cls.ready = cls.device_received(
            name="Tour Next Step Ready Pump",
            serial_no="TOUR-NS-0002",
            ce_certificate_ref="CE-MDR-NS-2",
        )

    def test_next_step_tour(self):
        self.assertEqual(self.device.lifecycle_state, "reception")
        self.start_tour(
            f"/odoo/medical-devices/{self.device.id}",
            "medical_device_next_step_tour",
            login="tour_ns_engineer",
        )
        self.env.invalidate_all()
        # The disabled button did not move the device.
        self.assertEqual(self.device.lifecycle_state, "reception")

    def test_next_step_ready_tour(self):
        """Everything met: the panel's button runs the server action."""
        self.assertEqual(self.ready.lifecycle_state, "reception")
        self.start_tour(
            f"/odoo/medical-devices/{self.ready.id}",
            "medical_device_next_step_ready_tour",
            login="tour_ns_engineer",
        )
        self.env.invalidate_all()
        self.assertEqual(self.ready.lifecycle_state, "in_service")
