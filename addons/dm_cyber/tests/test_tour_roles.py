"""Browser tests: one tour per demo role (engineer, technician, pharmacist,
RSSI, DPO, auditor), in French, from the role's home screen (``/odoo`` opens
the user's home action) along its main path. Each tour checks French labels
it sees; each test then reads back on the server what the clicks did.

The demo users are used as they are shipped (login, groups, home action);
only their language is set to French here, since the test database is
installed without it. The records the tours work on are built below, not
taken from the demo data. The French checked is the French of the addons'
``i18n/fr.po`` files, loaded here into the database.
"""

from datetime import timedelta
from unittest import SkipTest

from odoo import fields
from odoo.addons.medical_device.models.dm_reception import RECEPTION_CRITERIA
from odoo.addons.medical_device.tests.common import pieu_levels, train_device
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

DEMO_USERS = {
    "engineer": "medical_device.user_dm_engineer_demo",
    "technician": "medical_device.user_dm_technician_demo",
    "pharmacist": "medical_device.user_dm_pharmacist_demo",
    "rssi": "medical_device.user_dm_rssi_demo",
    "dpo": "medical_device.user_dm_dpo_demo",
    "auditor": "medical_device.user_dm_auditor_demo",
}
# The main screen of each role, where /odoo lands (README, "Quick start").
HOME_ACTIONS = {
    "engineer": "medical_device.maintenance_equipment_action_medical_devices",
    "technician": "medical_device.maintenance_equipment_action_medical_devices",
    "pharmacist": "medical_device.maintenance_equipment_action_ce_deadlines",
    "rssi": "dm_cyber.maintenance_equipment_action_cyber",
    "dpo": "medical_device.dm_approval_action_my",
    "auditor": "medical_device.maintenance_equipment_action_medical_devices_list",
}


@tagged("post_install", "-at_install", "dm_browser")
class TestRoleTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            role: cls.env.ref(xmlid, raise_if_not_found=False)
            for role, xmlid in DEMO_USERS.items()
        }
        if not all(cls.users.values()):
            raise SkipTest("the role tours walk the demo users: install with demo")
        # French, as the hospital's users read it: the language and the
        # addons' terms (menus, views, selections) from their fr.po.
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(
            ["medical_device", "dm_cyber", "dm_software"], ["fr_FR"]
        )
        for user in cls.users.values():
            user.lang = "fr_FR"
        cls.today = fields.Date.today()
        cls.Equipment = cls.env["maintenance.equipment"]
        cls.regulatory = {
            "is_medical_device": True,
            "acquisition_mode": "purchase",
            "acq_ce_checked": True,
            "acq_training_planned": True,
            "dm_risk_class": "iib",
            "ce_regime": "mdr",
            "notified_body_number": "0123",
            "ce_certificate_ref": "CE-TOUR-ROLE",
            **pieu_levels(cls.env, 1, 2, 3, 2),
        }

    def as_role(self, role, record):
        return record.with_user(self.users[role])

    def assertHome(self, role):
        self.assertEqual(
            self.users[role].action_id.id,
            self.env.ref(HOME_ACTIONS[role]).id,
            f"the demo {role} no longer lands on its main screen: update its tour",
        )

    # ------------------------------------------------------------ fixtures
    def received_device(self, name, serial_no, **extra):
        device = self.Equipment.create(
            {**self.regulatory, "name": name, "serial_no": serial_no, **extra}
        )
        if device.validation_status == "waiting":
            # The approvals reception needs (the RSSI's, for a connected
            # device), requested and given by the demo users.
            self.as_role("technician", device).action_request_approvals()
            pending = device.approval_ids.filtered(
                lambda a: a.state == "pending" and a.rule_id.step == "reception"
            )
            for line in pending:
                role = "engineer" if line.role == "biomed_engineer" else line.role
                self.as_role(role, line).action_approve()
        device.action_to_reception()
        return device

    def device_in_service(self, name, serial_no, **extra):
        return self.Equipment.create(
            {
                **self.regulatory,
                "name": name,
                "serial_no": serial_no,
                "lifecycle_state": "in_service",
                **extra,
            }
        )

    def submitted_reception(self, device):
        train_device(self.env, device)
        reception = self.env["dm.reception"].create(
            {"equipment_id": device.id, **dict.fromkeys(RECEPTION_CRITERIA, True)}
        )
        self.as_role("technician", reception).action_submit()
        return reception

    def disposal_at_erasure(self, name, device, fill=True):
        """A confirmed disposal (by the demo engineer) of a device holding
        patient data, with one planned SSD, filled but not yet recorded."""
        disposal = self.env["dm.disposal"].create(
            {
                "name": name,
                "equipment_id": device.id,
                "reason": "obsolete",
                "destination": "destruction",
            }
        )
        self.as_role("engineer", disposal).action_confirm()
        medium = self.env["dm.erasure.medium"].create(
            {
                "disposal_id": disposal.id,
                "media_type": "ssd",
                "serial_no": f"{name}-SSD",
            }
        )
        if fill:
            self.as_role("technician", medium).write(
                {
                    "executed_on": self.today,
                    "result": "success",
                    "verification_method": "sampling",
                    "sanitiser_name": "Julien Moreau",
                }
            )
        return disposal, medium

    # ------------------------------------------------------------ tours
    def test_engineer_accepts_the_reception_then_puts_in_service(self):
        """Kanban → device in Réception → its reception report → approve on
        the document → back to the device → Mettre en service."""
        self.assertHome("engineer")
        device = self.received_device("Tour Rôle Moniteur", "TOUR-ROLE-ENG")
        reception = self.submitted_reception(device)
        self.assertTrue(self.as_role("engineer", reception).can_decide)

        self.start_tour("/odoo", "dm_role_engineer_tour", login="dm_engineer")

        self.env.invalidate_all()
        self.assertEqual(reception.state, "accepted")
        self.assertEqual(reception.decided_by_id, self.users["engineer"])
        line = reception._dm_current_line("reception_acceptance")
        self.assertEqual(
            (line.state, line.reviewer_id), ("approved", self.users["engineer"])
        )
        self.assertEqual(device.lifecycle_state, "in_service")
        self.assertTrue(device.commissioning_date)

    def test_technician_records_a_reception_and_an_erasure_line(self):
        """Kanban → device in Réception → new reception report, criteria met,
        submitted; then Réforme → the disposal → record the erasure line and
        submit the erasure to the RSSI."""
        self.assertHome("technician")
        device = self.received_device("Tour Rôle Échographe", "TOUR-ROLE-TECH")
        old = self.device_in_service(
            "Tour Rôle Ancien Moniteur",
            "TOUR-ROLE-TECH-OLD",
            patient_data=True,
            data_hosting="device",
        )
        disposal, medium = self.disposal_at_erasure("RF-TOUR-TECH", old)
        self.assertEqual((disposal.state, medium.state), ("erasure", "planned"))

        self.start_tour("/odoo", "dm_role_technician_tour", login="dm_technician")

        self.env.invalidate_all()
        reception = device.reception_ids
        self.assertEqual(len(reception), 1)
        self.assertEqual(reception.state, "draft")
        self.assertEqual(reception.validation_status, "pending")
        self.assertTrue(all(reception[f] for f in RECEPTION_CRITERIA))
        self.assertEqual(
            reception._dm_current_line("reception_acceptance").requested_by_id,
            self.users["technician"],
        )
        self.assertEqual(medium.state, "sanitised")
        self.assertEqual(medium.recorded_by_id, self.users["technician"])
        self.assertEqual(disposal.state, "verification")

    def test_pharmacist_renews_a_ce_certificate_from_the_deadlines(self):
        """CE deadlines (nearest first) → the device → its regulatory identity
        → the renewed certificate, saved."""
        self.assertHome("pharmacist")
        device = self.device_in_service(
            "Tour Rôle Défibrillateur",
            "TOUR-ROLE-PHARMA",
            ce_certificate_expiry=self.today + timedelta(days=20),
        )
        self.assertEqual(device.ce_next_deadline, self.today + timedelta(days=20))

        self.start_tour("/odoo", "dm_role_pharmacist_tour", login="dm_pharmacist")

        self.env.invalidate_all()
        self.assertEqual(device.ce_certificate_ref, "CE-TOUR-RENOUVELE")
        renewed = device.ce_certificate_expiry
        self.assertTrue(renewed and renewed > self.today + timedelta(days=365 * 4))
        self.assertEqual(device.ce_next_deadline, renewed)

    def test_rssi_approves_the_network_connection_on_the_device(self):
        """Cyber matrix → list → the connected device → approve its network
        connection on the device's form."""
        self.assertHome("rssi")
        device = self.received_device(
            "Tour Rôle Pompe connectée",
            "TOUR-ROLE-RSSI",
            is_connected=True,
            acq_cyber_questionnaire=True,
            acq_data_protection_clauses=True,
            os_version_id=self.env.ref("dm_cyber.dm_os_windows_xp").id,
            antivirus="none",
            network_zone="VLAN 42",
            last_patch_date=self.today,
            remote_maintenance_channel="supplier_vpn",
        )
        reception = self.submitted_reception(device)
        self.as_role("engineer", reception).action_accept()
        device.invalidate_recordset()
        self.assertTrue(device.reception_accepted)
        line = device._dm_current_line("rssi_network_connection")
        self.assertEqual(line.state, "pending")

        self.start_tour("/odoo", "dm_role_rssi_tour", login="dm_rssi")

        self.env.invalidate_all()
        line = device._dm_current_line("rssi_network_connection")
        self.assertEqual(
            (line.state, line.reviewer_id), ("approved", self.users["rssi"])
        )
        self.as_role("technician", device).action_put_in_service()
        self.assertEqual(device.lifecycle_state, "in_service")

    def test_dpo_signs_off_an_erasure(self):
        """My approvals → the disposal's sign-off → open the document → Viser."""
        self.assertHome("dpo")
        device = self.device_in_service(
            "Tour Rôle Ancien Échographe",
            "TOUR-ROLE-DPO",
            patient_data=True,
            data_hosting="device",
        )
        disposal, medium = self.disposal_at_erasure("RF-TOUR-DPO", device)
        self.as_role("technician", medium).action_record_execution()
        self.as_role("technician", disposal).action_submit_verification()
        self.as_role("rssi", disposal).action_verify()
        self.assertEqual(disposal.state, "sign_off")

        self.start_tour("/odoo", "dm_role_dpo_tour", login="dm_dpo")

        self.env.invalidate_all()
        self.assertEqual(disposal.state, "ready")
        self.assertEqual(disposal.signed_off_by_id, self.users["dpo"])
        line = disposal._dm_current_line("disposal_erasure_sign_off")
        self.assertEqual(
            (line.state, line.reviewer_id), ("approved", self.users["dpo"])
        )

    def test_auditor_reads_without_a_decision_button(self):
        """Device list → a device's form and its approvals, read-only, no
        button → the lifecycle kanban, nothing to create."""
        self.assertHome("auditor")
        device = self.Equipment.create(
            {
                **self.regulatory,
                "name": "Tour Rôle Pousse-seringue",
                "serial_no": "TOUR-ROLE-AUDIT",
                "patient_data": True,
                "data_hosting": "cloud",
                "dpa_reference": "DPA-TOUR-ROLE",
                "hds_certified": True,
                "data_retention": "20 ans",
            }
        )
        self.as_role("technician", device).action_request_approvals()
        line = device._dm_current_line("dpo_data_contract")
        self.assertEqual(line.state, "pending")
        before = device.read(["name", "lifecycle_state", "write_date"])

        self.start_tour("/odoo", "dm_role_auditor_tour", login="dm_auditor")

        self.env.invalidate_all()
        self.assertEqual(device.read(["name", "lifecycle_state", "write_date"]), before)
        self.assertEqual(line.state, "pending")
        # What the tour did not see, the server refuses too.
        with self.assertRaises(AccessError):
            self.as_role("auditor", device).write({"name": "Renamed"})
        with self.assertRaises(AccessError):
            self.as_role("auditor", line).action_approve()
        self.assertEqual(line.state, "pending")
