"""Nothing with a history is deleted (dm_cyber): a sanitised medium, an
operating system the fleet runs, resist every role and the superuser."""

from datetime import date

from odoo.addons.medical_device.tests.audit import HistoryKeptMixin
from odoo.addons.medical_device.tests.figures import record_figure
from odoo.addons.medical_device.tests.test_disposal_attacks import DisposalAttackCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestCyberHistoryKept(HistoryKeptMixin, DisposalAttackCase):
    def test_sanitised_medium_and_used_os_are_kept(self):
        device = self.device_in_service(
            serial_no="KEPT-ERASE", patient_data=True, data_hosting="device"
        )
        os_version = self.env["dm.os.version"].create(
            {"vendor": "Kept", "product": "OS", "version": "1"}
        )
        device.sudo().write({"os_version_id": os_version.id})
        disposal = self.request(device)
        disposal.with_user(self.users["engineer"]).action_confirm()
        medium = (
            self.env["dm.erasure.medium"]
            .with_user(self.users["technician"])
            .create({"disposal_id": disposal.id, "media_type": "ssd", "tool": "T"})
        )
        medium.write(
            {
                "executed_on": date(2026, 11, 30),
                "result": "success",
                "verification_method": "sampling",
                "sanitiser_name": "Julien Moreau",
            }
        )
        medium.action_record_execution()
        refused = self.assertKept(medium) + self.assertKept(os_version)
        self.assertEqual(device.os_version_id, os_version)
        # Unused, an operating system may go.
        spare = self.env["dm.os.version"].create(
            {"vendor": "Kept", "product": "OS", "version": "2"}
        )
        spare.with_user(self.users["rssi"]).unlink()
        self.assertFalse(spare.exists())
        record_figure("history_unlink_refused_dm_cyber", attempts=refused)
