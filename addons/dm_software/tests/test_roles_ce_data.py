"""Who changes the CE data of a software: the technician and the pharmacist
while it is requested and received, then only the pharmacist and the
engineer (``_dm_field_groups`` of the rulebook)."""

from datetime import date

from odoo.addons.medical_device.tests.audit import AuditTrailMixin
from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..models.dm_software import CE_DATA_GROUPS
from .common import SoftwareCase

NEW_VALUES = {
    "ce_regime": "mdr",
    "notified_body_number": "0123",
    "ce_certificate_ref": "CE-MDR-FORGED",
    "ce_certificate_expiry": date(2031, 5, 26),
    "udi_di": "10050428383077",
    "basic_udi_di": "0614141MODEL42AB",
    "in_house": True,
    "in_house_justification": "No CE-marked equivalent.",
}


@tagged("post_install", "-at_install")
class TestSoftwareCeDataRoles(AuditTrailMixin, SoftwareCase):
    def test_every_regulatory_field_is_declared(self):
        fnames = set(self.Software._dm_regulatory_fields())
        self.assertEqual(fnames, set(NEW_VALUES) | {"dm_risk_class"})
        for fname in fnames:
            with self.subTest(fname):
                self.assertEqual(self.Software._dm_field_groups[fname], CE_DATA_GROUPS)

    def test_technician_fills_them_before_use_only(self):
        software = self.create_software()
        software.with_user(self.users["technician"]).write(
            {"ce_certificate_ref": "CE-1", "basic_udi_di": "0614141MODEL42AB"}
        )
        self.assertEqual(software.ce_certificate_ref, "CE-1")
        software = self.software_in_use(name="In use")
        before = {f: software[f] for f in NEW_VALUES}
        Software = software.with_user(self.users["technician"]).with_context(
            tracking_disable=True
        )
        for fname, value in NEW_VALUES.items():
            with (
                self.subTest(fname),
                self.assertRaisesRegex(AccessError, "Pharmacist") as caught,
            ):
                Software.write({fname: value})
            label = software._fields[fname].get_description(self.env)["string"]
            self.assertIn(label, str(caught.exception))
        software.invalidate_recordset()
        self.assertEqual({f: software[f] for f in NEW_VALUES}, before)
        software.with_user(self.users["pharmacist"]).write(
            {"ce_certificate_expiry": date(2031, 5, 26)}
        )
        self.assertEqual(software.ce_certificate_expiry, date(2031, 5, 26))

    def test_changes_are_tracked(self):
        software = self.software_in_use(name="Tracked")
        self.flush_tracking()
        pharmacist = self.users["pharmacist"]
        values = dict(NEW_VALUES, ce_regime="mdr")
        values = {k: v for k, v in values.items() if software[k] != v}
        self.assertChangeTracked(
            software,
            software,
            list(values),
            pharmacist,
            lambda: software.with_user(pharmacist).write(values),
        )
