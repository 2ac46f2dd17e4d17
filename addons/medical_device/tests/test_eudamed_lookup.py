"""The EUDAMED look-up of a device against a local EUDAMED serving recorded
answers: differences shown field by field and never written silently, the
chosen ones applied through the device's own gates, clear errors when
EUDAMED cannot answer, and the weekly check that flags changed
registrations with one digest per site."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import MedicalDeviceCase
from .eudamed_server import EudamedServer, closed_port_url

AGILIA_UUID = "5f0d3c1e-8a52-4b7e-9d0c-2b9e6f41a7c3"
UDI = "(01)03760123450010(11)220829(10)L2208A(21){serial}"


@tagged("post_install", "-at_install")
class TestEudamedLookup(MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.params = cls.env["ir.config_parameter"].sudo()
        cls.params.set_param("medical_device.eudamed_retries", "1")
        cls.params.set_param("medical_device.eudamed_timeout", "3")
        cls.params.set_param("medical_device.eudamed_batch_size", "1000")

    def setUp(self):
        super().setUp()
        self.server = EudamedServer()
        self.server.__enter__()
        self.addCleanup(self.server.__exit__, None, None, None)
        self.params.set_param("medical_device.eudamed_url", self.server.url)
        self.device = self.device_in_service(
            serial_no="EUD-1", udi_carrier=UDI.format(serial="EUD-1"), location="ICU"
        )

    def lookup(self, user="pharmacist", device=None):
        action = (
            (device or self.device).with_user(self.users[user]).action_eudamed_lookup()
        )
        return (
            self.env["dm.eudamed.lookup.wizard"]
            .with_user(self.users[user])
            .browse(action["res_id"])
        )

    def line(self, wizard, fname):
        return wizard.line_ids.filtered(lambda line: line.field_name == fname)

    def test_differences_shown_nothing_written(self):
        before = self.device.read(
            ["notified_body_number", "ce_certificate_ref", "basic_udi_di", "trade_name"]
        )[0]
        wizard = self.lookup()
        self.assertTrue(wizard.found)
        self.assertIn("DE-MF-000006180", wizard.manufacturer_eudamed)
        self.assertIn("GMED-MDR-19651", wizard.certificates)
        body = self.line(wizard, "notified_body_number")
        self.assertEqual((body.ours, body.eudamed), ("0123", "0459"))
        self.assertTrue(body.differs and body.can_apply)
        self.assertFalse(self.line(wizard, "dm_risk_class").differs)  # IIb both
        self.assertEqual(self.line(wizard, "basic_udi_di").eudamed, "3760123AGILIASPPD")
        # Nothing changed on the device; the look-up is remembered.
        self.assertEqual(self.device.read(list(before))[0], before)
        self.assertTrue(self.device.eudamed_hash)
        self.assertTrue(self.device.eudamed_checked_on)
        self.assertEqual(
            self.device.eudamed_snapshot["manufacturer_srn"], "DE-MF-000006180"
        )

    def test_apply_the_chosen_values_only(self):
        wizard = self.lookup()
        self.line(wizard, "notified_body_number").apply = True
        self.line(wizard, "ce_certificate_ref").apply = True
        wizard.action_apply()
        self.assertEqual(self.device.notified_body_number, "0459")
        self.assertEqual(self.device.ce_certificate_ref, "GMED-MDR-19651")
        # Not ticked: kept.
        self.assertFalse(self.device.basic_udi_di)
        self.assertIn("EUDAMED", self.device.message_ids[:1].body)
        with self.assertRaisesRegex(UserError, "Tick"):
            self.lookup().action_apply()

    def test_apply_goes_through_the_device_gates(self):
        # A technician may look up, not change the CE data of a device in
        # service (the pharmacist's and the engineer's).
        wizard = self.lookup("technician")
        self.line(wizard, "notified_body_number").apply = True
        with self.assertRaises(AccessError):
            wizard.action_apply()
        self.assertEqual(self.device.notified_body_number, "0123")

    def test_forged_line_is_refused(self):
        wizard = self.lookup()
        wizard.line_ids = [
            (
                0,
                0,
                {
                    "field_name": "lifecycle_state",
                    "label": "Lifecycle",
                    "eudamed_value": "disposal",
                    "apply": True,
                },
            )
        ]
        with self.assertRaisesRegex(UserError, "cannot be taken from EUDAMED"):
            wizard.action_apply()
        self.assertEqual(self.device.lifecycle_state, "in_service")
        # Nor a wizard pointing at another model.
        wizard.sudo().res_model = "res.users"
        with self.assertRaises(UserError):
            wizard.action_apply()

    def test_client_cannot_set_the_memory_of_the_lookup(self):
        for fname, value in (
            ("eudamed_changed", False),
            ("eudamed_hash", "forged"),
            ("eudamed_checked_on", "2030-01-01 00:00:00"),
        ):
            with self.subTest(field=fname), self.assertRaises(UserError):
                self.device.with_user(self.users["pharmacist"]).write({fname: value})
        self.assertFalse(self.device.eudamed_hash)

    def test_not_found(self):
        device = self.device_in_service(
            serial_no="EUD-NF", udi_carrier="(01)04012345678901(21)EUD-NF"
        )
        wizard = self.lookup(device=device)
        self.assertFalse(wizard.found)
        self.assertFalse(wizard.line_ids)
        self.assertTrue(device.eudamed_hash)

    def test_nothing_to_look_up(self):
        device = self.device_in_service(serial_no="EUD-NONE")
        with self.assertRaisesRegex(UserError, "neither a UDI-DI nor a Basic UDI-DI"):
            device.with_user(self.users["pharmacist"]).action_eudamed_lookup()

    def test_offline_and_server_error_messages(self):
        self.params.set_param("medical_device.eudamed_url", closed_port_url())
        with self.assertRaisesRegex(UserError, "EUDAMED cannot be reached"):
            self.lookup()
        self.params.set_param("medical_device.eudamed_url", self.server.url)
        self.server.httpd.failures_left = 5
        with self.assertRaisesRegex(UserError, r"HTTP 500"):
            self.lookup()
        self.assertFalse(self.device.eudamed_hash)

    def test_other_company_device_is_out_of_reach(self):
        other = self.env["res.company"].create({"name": "Clinique EUDAMED"})
        device = self.Equipment.create(
            self._acquisition_vals(
                serial_no="EUD-OTHER",
                udi_carrier=UDI.format(serial="EUD-OTHER"),
                company_id=other.id,
            )
        )
        with self.assertRaises(AccessError):
            device.with_user(self.users["pharmacist"]).action_eudamed_lookup()
        self.assertFalse(device.eudamed_hash)
        self.assertFalse(self.server.requests)

    # ------------------------------------------------------------ weekly job
    def test_weekly_check_flags_changes_by_site(self):
        second = self.device_in_service(
            serial_no="EUD-2", udi_carrier=UDI.format(serial="EUD-2"), location="ICU"
        )
        third = self.device_in_service(
            serial_no="EUD-3", udi_carrier=UDI.format(serial="EUD-3"), location="OR"
        )
        devices = self.device | second | third
        Equipment = self.env["maintenance.equipment"]
        # First run: the registrations are remembered, nothing is flagged.
        Equipment._cron_eudamed_check()
        self.assertTrue(all(devices.mapped("eudamed_hash")))
        self.assertFalse(any(devices.mapped("eudamed_changed")))
        # The notified body suspends the certificate.
        self.server.overrides[AGILIA_UUID] = (
            "basic_udi_data_03760123450010_suspended.json"
        )
        changed = Equipment._cron_eudamed_check()
        self.assertLessEqual(devices, changed)
        self.assertTrue(all(devices.mapped("eudamed_changed")))
        digests = self.env["dm.activity.digest"].search(
            [("kind", "=", "eudamed_change"), ("device_ids", "in", devices.ids)]
        )
        # One digest per site, not one activity per device.
        self.assertEqual(sorted(digests.mapped("site")), ["ICU", "OR"])
        self.assertEqual(
            digests.filtered(lambda d: d.site == "ICU").device_ids & devices,
            self.device | second,
        )
        self.assertEqual(len(digests.activity_ids), 2)
        pharmacists = self.env.ref("medical_device.group_dm_pharmacist").all_user_ids
        self.assertLessEqual(digests.activity_ids.user_id, pharmacists)
        self.assertFalse(
            self.env["mail.activity"].search(
                [
                    ("res_model", "=", "maintenance.equipment"),
                    ("res_id", "in", devices.ids),
                ]
            )
        )
        # Nothing new: no new flag, no new digest.
        devices.sudo().write({"eudamed_changed": False})
        Equipment._cron_eudamed_check()
        self.assertFalse(any(devices.mapped("eudamed_changed")))
        # A look-up by the pharmacist acknowledges the change.
        self.server.overrides.clear()
        Equipment._cron_eudamed_check()
        self.assertTrue(self.device.eudamed_changed)
        self.lookup()
        self.assertFalse(self.device.eudamed_changed)

    def test_weekly_check_offline_flags_nothing(self):
        Equipment = self.env["maintenance.equipment"]
        Equipment._cron_eudamed_check()
        stored = self.device.eudamed_hash
        self.params.set_param("medical_device.eudamed_url", closed_port_url())
        self.params.set_param("medical_device.eudamed_retries", "0")
        self.assertFalse(Equipment._cron_eudamed_check())
        self.assertEqual(self.device.eudamed_hash, stored)
        self.assertFalse(self.device.eudamed_changed)
