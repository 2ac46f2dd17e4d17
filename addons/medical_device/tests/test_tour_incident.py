"""Browser test: a technician reports a serious incident from the device's
form (the device and its identity are the server's), a pharmacist declares
an incident to the ANSM from its form."""

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install", "dm_browser")
class TestIncidentTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for role in ("technician", "pharmacist"):
            new_test_user(
                cls.env,
                login=f"tour_mv_{role}",
                password=f"tour_mv_{role}",
                groups=f"medical_device.group_dm_{role}",
            )
        cls.device = cls.env["maintenance.equipment"].create(
            {
                "name": "Tour Vigilance Pump",
                "is_medical_device": True,
                "serial_no": "TOUR-MV-0001",
                "udi_carrier": "(01)03760123450010(10)LTOUR1(21)TOUR-MV-0001",
                "acquisition_mode": "purchase",
            }
        )
        cls.Incident = cls.env["dm.vigilance.incident"]

    def test_technician_reports_a_serious_incident(self):
        self.start_tour(
            f"/odoo/medical-devices/{self.device.id}",
            "medical_device_vigilance_report_tour",
            login="tour_mv_technician",
        )
        incident = self.Incident.search([("equipment_id", "=", self.device.id)])
        self.assertEqual(len(incident), 1)
        self.assertTrue(incident.is_serious)
        self.assertEqual(incident.state, "draft")
        self.assertEqual(incident.lot, "LTOUR1")
        self.assertEqual(incident.reported_by_id.login, "tour_mv_technician")
        self.assertTrue(incident.activity_ids)

    def test_pharmacist_declares(self):
        incident = self.Incident.create(
            {
                "equipment_id": self.device.id,
                "description": "Alarm did not sound.",
                "ansm_declaration_date": "2026-11-30",
            }
        )
        self.start_tour(
            f"/odoo/action-medical_device.dm_vigilance_incident_action/{incident.id}",
            "medical_device_vigilance_declare_tour",
            login="tour_mv_pharmacist",
        )
        self.env.invalidate_all()
        self.assertEqual(incident.state, "declared")
        self.assertEqual(incident.ansm_reference, "R2612001")
        self.assertEqual(incident.declarant_id.login, "tour_mv_pharmacist")
