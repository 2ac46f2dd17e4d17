"""The audit trail of the cyber matrix and of the erasure evidence: every
change is tracked (who, when, old, new); the field sets are read from the
code (MATRIX_FIELDS, EVIDENCE_FIELDS)."""

from datetime import date

from odoo.addons.medical_device.tests.audit import AuditTrailMixin
from odoo.addons.medical_device.tests.test_disposal_attacks import DisposalAttackCase
from odoo.tests import tagged

from ..models.dm_erasure_medium import EVIDENCE_FIELDS, EXECUTION_FIELDS
from ..models.maintenance_equipment import MATRIX_FIELDS


@tagged("post_install", "-at_install")
class TestCyberAuditTrail(AuditTrailMixin, DisposalAttackCase):
    def test_every_matrix_and_evidence_field_is_tracked(self):
        Equipment = self.env["maintenance.equipment"]
        for fname in (*MATRIX_FIELDS, "cyber_risk_level"):
            with self.subTest(field=fname):
                self.assertTrue(Equipment._fields[fname].tracking)
        Medium = self.env["dm.erasure.medium"]
        self.assertEqual(Medium._dm_document_tracked_fields, EVIDENCE_FIELDS)
        # Every stored field a user fills on a medium is in the trail but the
        # certificate file (an attachment) and the line's order.
        filled = {
            name
            for name, field in Medium._fields.items()
            if field.store
            and (not field.compute or not field.readonly)
            and not field.related
            and name not in ("id", "sequence", "disposal_id", "supplier_certificate")
            and not name.startswith(("create_", "write_"))
        }
        self.assertEqual(filled - set(EVIDENCE_FIELDS), set())

    def test_matrix_changes_are_tracked(self):
        device = self.create_device(serial_no="AUDIT-CYBER", is_connected=False)
        self.flush_tracking()
        values = {
            "is_connected": True,
            "os_version_id": self.env["dm.os.version"]
            .create({"vendor": "Audit", "product": "OS", "version": "1"})
            .id,
            "antivirus": "hospital",
            "domain_joined": True,
            "internet_access": True,
            "patient_data": True,
            "vendor_firewall": True,
            "usb_locked": True,
            "default_accounts_changed": True,
            "last_patch_date": date(2026, 1, 15),
            "patch_installer": "vendor",
            "patch_remote": True,
            "third_party_patches_allowed": True,
            "vendor_notifies_updates": True,
            "remote_maintenance_channel": "hospital_bastion",
            "network_zone": "VLAN 42",
            "ip_address": "10.1.2.3",
            "mac_address": "00:1A:2B:3C:4D:5E",
            "supplier_rssi_contact_id": self.env["res.partner"]
            .create({"name": "Supplier RSSI"})
            .id,
            "mds2_date": date(2026, 2, 1),
            "sbom_received_manual": True,
            "last_pentest_date": date(2026, 3, 1),
            "bug_bounty": True,
        }
        self.assertEqual(set(values), set(MATRIX_FIELDS))
        rssi = self.users["rssi"]
        self.assertChangeTracked(
            device,
            device,
            list(values),
            rssi,
            lambda: device.with_user(rssi).write(values),
        )

    def test_erasure_evidence_is_tracked_on_the_disposal(self):
        device = self.device_in_service(
            serial_no="AUDIT-ERASE", patient_data=True, data_hosting="device"
        )
        disposal = self.request(device)
        disposal.with_user(self.users["engineer"]).action_confirm()
        technician = self.users["technician"]
        medium = (
            self.env["dm.erasure.medium"]
            .with_user(technician)
            .create({"disposal_id": disposal.id, "media_type": "internal_disk"})
        )
        self.flush_tracking()
        supplier = self.env["res.partner"].create({"name": "Shredding company"})
        plan = {
            "media_type": "ssd",
            "name": "System disk of the console",
            "media_model": "Samsung PM883",
            "serial_no": "S4XXNA0M",
            "level": "destroy",
            "method": "shred",
            "tool": "Shredder",
            "tool_version": "2.1",
            "performer_type": "supplier",
            "supplier_id": supplier.id,
            "sanitiser_name": "Julien Moreau",
            "sanitiser_title": "Technician",
            "sanitiser_contact": "julien@example.com",
            "location": "Workshop",
            "supplier_certificate_filename": "certificate.pdf",
            "supplier_certificate_ref": "CERT-42",
            "notes": "Witnessed by the biomedical department.",
        }
        execution = {
            "executed_on": date(2026, 11, 30),
            "result": "success",
            "verification_method": "visual",
        }
        recorded = ("state", "recorded_by_id", "recorded_on")
        self.assertEqual(
            set(plan) | set(execution) | set(recorded), set(EVIDENCE_FIELDS)
        )
        self.assertEqual(set(execution), set(EXECUTION_FIELDS))
        as_technician = medium.with_user(technician)
        self.assertChangeTracked(
            disposal,
            medium,
            [*plan, *execution],
            technician,
            lambda: as_technician.write({**plan, **execution}),
        )
        self.assertChangeTracked(
            disposal,
            medium,
            list(recorded),
            technician,
            as_technician.action_record_execution,
        )
        self.assertEqual(medium.state, "sanitised")
