"""Browser test: an engineer sets a device model's QC plan with a test and
its tolerance; a technician records a control beyond the action level; the
device is suspended and shows so on its form and on the lifecycle kanban."""

from odoo.tests import HttpCase, new_test_user, tagged

from .common import pieu_levels


@tagged("post_install", "-at_install", "dm_browser")
class TestQcTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.engineer = new_test_user(
            cls.env,
            login="qc_tour_engineer",
            password="qc_tour_engineer",
            groups="medical_device.group_dm_engineer",
        )
        cls.technician = new_test_user(
            cls.env,
            login="qc_tour_technician",
            password="qc_tour_technician",
            groups="medical_device.group_dm_technician",
        )
        # The engineer's default team for the plans (a model's plan names one).
        team = cls.env["maintenance.team"].create({"name": "Tour biomedical team"})
        cls.env["ir.default"].set(
            "maintenance.plan", "maintenance_team_id", team.id, user_id=cls.engineer.id
        )
        # sudo: only imports (superuser) bring a device past acquisition.
        cls.device = (
            cls.env["maintenance.equipment"]
            .sudo()
            .create(
                {
                    "name": "Tour Mammograph",
                    "is_medical_device": True,
                    "serial_no": "QC-TOUR-1",
                    "model": "TOUR-MAMMO",
                    "dm_risk_class": "iib",
                    "is_ionising": True,
                    "imaging_modality": "mammography",
                    "lifecycle_state": "in_service",
                    **pieu_levels(cls.env, 1, 2, 1, 2),
                }
            )
        )

    def test_qc_tour(self):
        self.start_tour(
            "/odoo/dm-model-plans/new",
            "medical_device_qc_plan_tour",
            login="qc_tour_engineer",
        )
        plan = self.device.maintenance_plan_ids.filtered("dm_model_plan_id")
        self.assertEqual(plan.dm_model_plan_id.create_uid, self.engineer)
        self.assertEqual(plan.dm_model_plan_id.dm_nature, "qc_internal")
        self.assertEqual(plan.dm_model_plan_id.dm_performer, "internal")
        self.assertEqual(plan.dm_qc_test_ids.mapped("name"), ["Tour dose"])
        self.assertEqual(plan.dm_qc_test_ids.action_level, 0.3)
        # The plan generates its control, as the daily job or "generate now".
        plan.with_user(self.technician).button_manual_request_generation()
        control = plan.maintenance_ids.sorted("request_date")[:1]
        self.assertTrue(control)
        self.assertFalse(self.device.dm_use_suspended)
        self.start_tour(
            f"/odoo/dm-register/{control.id}",
            "medical_device_qc_measure_tour",
            login="qc_tour_technician",
        )
        self.env.invalidate_all()
        self.assertEqual(control.operation_result, "non_compliant")
        self.assertEqual(control.dm_qc_measure_ids.create_uid, self.technician)
        self.assertTrue(self.device.dm_use_suspended)
        self.assertTrue(control.use_stopped_on)
