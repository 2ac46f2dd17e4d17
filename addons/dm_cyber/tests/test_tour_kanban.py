"""Browser test: the lifecycle kanban at a glance, as the biomedical engineer:
labelled PIEU and cyber badges in their own colours, "Not assessed" for an
unanswered matrix and missing PIEU factors, disposed devices in their column."""

from odoo.addons.medical_device.tests.common import pieu_levels
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install", "dm_browser")
class TestKanbanTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new_test_user(
            cls.env, login="tour_kb_engineer", groups="medical_device.group_dm_engineer"
        )
        common = {
            "is_medical_device": True,
            "acquisition_mode": "purchase",
            "acq_ce_checked": True,
            "acq_training_planned": True,
        }
        # As an import brings them (superuser): one device per lifecycle column.
        Equipment = cls.env["maintenance.equipment"].with_context(tracking_disable=True)
        cls.critical = Equipment.create(
            {
                **common,
                "name": "Tour KB Critical Pump",
                "serial_no": "TOUR-KB-1",
                "lifecycle_state": "in_service",
                **pieu_levels(cls.env, "0_01", "0_01", 1, 1),
                "is_connected": True,
                "os_version_id": cls.env.ref("dm_cyber.dm_os_windows_xp").id,
                "antivirus": "none",
                "internet_access": True,
                "patient_data": True,
            }
        )
        cls.unassessed = Equipment.create(
            {
                **common,
                "name": "Tour KB Unassessed Monitor",
                "serial_no": "TOUR-KB-2",
                "is_connected": True,
            }
        )
        cls.disposed = Equipment.create(
            {
                **common,
                "name": "Tour KB Disposed Scanner",
                "serial_no": "TOUR-KB-3",
                "lifecycle_state": "disposed",
                "active": False,
            }
        )

    def test_kanban_at_a_glance(self):
        self.assertEqual(
            (self.critical.pieu_criticality, self.critical.cyber_risk_level),
            ("very_critical", "critical"),
        )
        self.assertEqual(
            (self.unassessed.pieu_criticality, self.unassessed.cyber_risk_level),
            (False, "not_assessed"),
        )
        self.start_tour(
            "/odoo/medical-devices", "dm_kanban_tour", login="tour_kb_engineer"
        )
