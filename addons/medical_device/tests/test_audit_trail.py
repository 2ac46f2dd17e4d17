"""The audit trail: every change of the regulatory identity, the PIEU
criticality and an approval's decision is tracked (who, when, old, new). The
field sets are read from the code, so a new field of a set is covered
without a line here."""

from datetime import date

from odoo.tests import tagged

from ..models.dm_approval import TRACKED_DECISION_FIELDS
from ..tools import pieu
from .audit import AuditTrailMixin
from .common import MedicalDeviceCase, pieu_levels
from .figures import record_figure

# Criticality: the four factors and the level they give.
PIEU_TRACKED = (*pieu.FIELDS, "pieu_criticality")


@tagged("post_install", "-at_install")
class TestAuditTrail(AuditTrailMixin, MedicalDeviceCase):
    def descendants(self, name):
        registry = self.env.registry
        return [
            model
            for model in sorted(registry.descendants([name], "_inherit"))
            if not self.env[model]._abstract
        ]

    def test_every_field_set_is_tracked(self):
        """Registry-driven: every model holding a regulatory identity or a
        PIEU criticality tracks each field of it in its chatter; every line
        kept in its document's chatter names its fields and its document."""
        checked = 0
        for name in self.descendants("dm.regulatory.mixin"):
            Model = self.env[name]
            self.assertIn("message_ids", Model._fields, name)
            for fname in Model._dm_regulatory_fields():
                with self.subTest(model=name, field=fname):
                    self.assertTrue(Model._fields[fname].tracking)
                    self.assertIn(fname, Model._dm_field_groups)
                    checked += 1
        for name in self.descendants("dm.device.criticality.mixin"):
            Model = self.env[name]
            for fname in PIEU_TRACKED:
                with self.subTest(model=name, field=fname):
                    self.assertTrue(Model._fields[fname].tracking)
                    checked += 1
        lines = self.descendants("dm.document.tracking")
        self.assertIn("dm.approval", lines)
        self.assertEqual(
            set(self.env["dm.approval"]._dm_document_tracked_fields),
            set(TRACKED_DECISION_FIELDS),
        )
        for name in lines:
            Model = self.env[name]
            # Not a mail thread: the trail is the document's (see its model).
            self.assertNotIn("message_ids", Model._fields, name)
            self.assertTrue(Model._dm_document_tracked_fields, name)
            for fname in Model._dm_document_tracked_fields:
                with self.subTest(model=name, field=fname):
                    self.assertIn(fname, Model._fields)
                    self.assertTrue(Model._fields[fname].store)
                    checked += 1
        record_figure("audit_tracked_fields", fields=checked)

    def test_regulatory_changes_are_tracked(self):
        device = self.device_in_service()
        values = {
            "dm_risk_class": "iia",
            "ce_regime": "mdr",
            "notified_body_number": "0459",
            "ce_certificate_ref": "CE-MDR-2031",
            "ce_certificate_expiry": date(2031, 5, 26),
            "basic_udi_di": "0614141MODEL42AB",
            "dm_kind": "dmdiv",
            "is_implantable": True,
            "udi_carrier": "(01)10050428383077(17)271231(10)LOT42(21)SN0001",
            "emdn_code": "Z12030101",
        }
        fnames = set(device._dm_regulatory_fields())
        # The UDI-DI is read from the carrier: tracked with it.
        self.assertEqual(set(values) | {"udi_di"}, fnames)
        pharmacist = self.users["pharmacist"]
        as_pharmacist = device.with_user(pharmacist)
        # A DMDIV takes an IVDR class: the kind changes with its class.
        kind = {"dm_kind": "dmdiv", "dm_risk_class": "ivd_b", "ce_regime": "ivdr"}
        self.assertChangeTracked(
            device, device, list(kind), pharmacist, lambda: as_pharmacist.write(kind)
        )
        rest = {k: v for k, v in values.items() if k not in kind}
        self.assertChangeTracked(
            device,
            device,
            [*rest, "udi_di"],
            pharmacist,
            lambda: as_pharmacist.write(rest),
        )

    def test_pieu_changes_are_tracked(self):
        device = self.device_in_service()
        engineer = self.users["engineer"]
        # From the syringe pump's 1x2x3x2 (moderate) to a critical 0.01x0.01x1x1.
        critical = pieu_levels(self.env, "0_01", "0_01", 1, 1)
        self.assertNotEqual(device.pieu_criticality, "very_critical")
        self.assertChangeTracked(
            device,
            device,
            PIEU_TRACKED,
            engineer,
            lambda: device.with_user(engineer).write(critical),
        )
        self.assertEqual(device.pieu_criticality, "very_critical")

    def test_approval_decisions_are_tracked(self):
        device = self.create_device(
            serial_no="AUDIT-CLOUD",
            patient_data=True,
            data_hosting="cloud",
            dpa_reference="DPA-2026-017",
            hds_certified=True,
            data_retention="20 years",
        )
        device.with_user(self.users["technician"]).action_request_approvals()
        self.flush_tracking()
        line = device._dm_current_line("dpo_data_contract")
        dpo = self.users["dpo"]
        self.assertChangeTracked(
            device,
            line,
            ["state", "reviewer_id", "reviewed_on", "comment"],
            dpo,
            lambda: line.with_user(dpo).action_approve(comment="Contract checked"),
        )
        # A decision whose data changes is superseded, kept and tracked.
        engineer = self.users["engineer"]
        self.assertChangeTracked(
            device,
            line,
            ["active", "superseded_reason"],
            engineer,
            lambda: device.with_user(engineer).write({"dpa_reference": "DPA-2"}),
        )
        self.assertTrue(line.exists())
