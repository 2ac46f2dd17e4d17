"""Who changes the CE data of a medical device: the technician while it is
acquired and received (inventory work), then only the pharmacist and the
engineer (``_dm_field_groups`` of the rulebook)."""

from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..models.maintenance_equipment import CE_DATA_GROUPS, DEVICE_REGULATORY_FIELDS
from .common import MedicalDeviceCase

# A new value for every field of the CE data, valid for a class IIa device
# under the MDR (the UDI-DI is read from the UDI carrier, never written).
NEW_VALUES = {
    "dm_risk_class": "iia",
    "ce_regime": "mdr",
    "notified_body_number": "0459",
    "ce_certificate_ref": "CE-MDR-2031",
    "ce_certificate_expiry": date(2031, 5, 26),
    "basic_udi_di": "0614141MODEL42AB",
    "dm_kind": "dm",
    "is_implantable": True,
    "udi_carrier": "(01)10050428383077(17)271231(10)LOT42(21)SN0001",
    "emdn_code": "Z12030101",
}
HOSTILE = {"tracking_disable": True, "default_lifecycle_state": "acquisition"}


@tagged("post_install", "-at_install")
class TestCeDataRoles(MedicalDeviceCase):
    def ce_fields(self):
        return self.Equipment._dm_regulatory_fields()

    def snapshot(self, device):
        device.invalidate_recordset()
        return {fname: device[fname] for fname in self.ce_fields()}

    def test_every_regulatory_field_is_declared(self):
        """The class: every field of the regulatory identity (read from the
        mixin's list) has its roles by step."""
        fnames = set(self.ce_fields())
        self.assertTrue({"dm_risk_class", "ce_certificate_expiry", "udi_di"} <= fnames)
        self.assertTrue(set(DEVICE_REGULATORY_FIELDS) <= fnames)
        for fname in fnames:
            with self.subTest(fname):
                self.assertEqual(self.Equipment._dm_field_groups[fname], CE_DATA_GROUPS)
        self.assertEqual(set(NEW_VALUES) | {"udi_di"}, fnames)

    def test_technician_fills_them_in_acquisition_and_reception(self):
        device = self.create_device(user="technician")
        as_technician = device.with_user(self.users["technician"])
        as_technician.write(NEW_VALUES)
        self.assertEqual(device.ce_certificate_ref, "CE-MDR-2031")
        as_technician.action_to_reception()
        as_technician.write({"ce_certificate_ref": "CE-MDR-2032"})
        self.assertEqual(device.ce_certificate_ref, "CE-MDR-2032")

    def test_technician_cannot_change_them_once_in_service(self):
        device = self.device_in_service()
        before = self.snapshot(device)
        Device = device.with_user(self.users["technician"]).with_context(**HOSTILE)
        for fname, value in NEW_VALUES.items():
            with (
                self.subTest(fname),
                self.assertRaisesRegex(AccessError, "Pharmacist") as caught,
            ):
                Device.write({fname: value})
            label = device._fields[fname].get_description(self.env)["string"]
            self.assertIn(label, str(caught.exception))
            self.assertIn("Biomedical engineer", str(caught.exception))
        # The UDI-DI is never written: read from the carrier.
        with self.assertRaises(UserError):
            Device.write({"udi_di": "09999999999999"})
        self.assertEqual(self.snapshot(device), before)
        # The rest of the device stays the technician's.
        Device.write({"location": "ICU, room 4"})
        self.assertEqual(device.location, "ICU, room 4")

    def test_pharmacist_and_engineer_keep_them_in_service(self):
        for role in ("pharmacist", "engineer"):
            with self.subTest(role=role):
                device = self.device_in_service(serial_no=f"CE-{role}")
                device.with_user(self.users[role]).write(
                    dict(NEW_VALUES, udi_carrier=False)
                )
                self.assertEqual(device.dm_risk_class, "iia")
                self.assertEqual(device.ce_certificate_expiry, date(2031, 5, 26))

    def test_other_writers_of_devices_never_change_them(self):
        device = self.create_device()
        for role in ("rssi", "maintenance_manager"):
            with (
                self.subTest(role=role),
                self.assertRaisesRegex(
                    AccessError, "ce_certificate_ref|CE certificate"
                ),
            ):
                device.with_user(self.users[role]).write(
                    {"ce_certificate_ref": "CE-FORGED"}
                )
        with self.assertRaisesRegex(AccessError, "Risk class"):
            self.Equipment.with_user(self.users["maintenance_manager"]).create(
                self._acquisition_vals(serial_no="CE-MM", dm_risk_class="iii")
            )
        self.assertFalse(device.ce_certificate_ref)

    def test_the_form_shows_them_read_only_to_the_technician(self):
        device = self.device_in_service()
        readonly = device.with_user(self.users["technician"]).dm_readonly_fields
        self.assertTrue(set(NEW_VALUES) <= set(readonly))
        readonly = device.with_user(self.users["pharmacist"]).dm_readonly_fields
        self.assertFalse(set(NEW_VALUES) & set(readonly))
