"""Browser test: a pharmacist imports the sample notices, matches the ANSM
one and sees the devices concerned; a technician records an action."""

import base64

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import file_open


@tagged("post_install", "-at_install", "dm_browser")
class TestVigilanceTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pharmacist = new_test_user(
            cls.env,
            login="tour_vig_pharmacist",
            password="tour_vig_pharmacist",
            groups="medical_device.group_dm_pharmacist",
        )
        cls.technician = new_test_user(
            cls.env,
            login="tour_vig_technician",
            password="tour_vig_technician",
            groups="medical_device.group_dm_technician",
        )
        drager = cls.env["res.partner"].create({"name": "Dräger", "is_company": True})
        cls.devices = cls.env["maintenance.equipment"]
        for name, lot, serial in (
            ("Tour Evita A", "L2310", "TOUR-VIG-1"),
            ("Tour Evita B", "L2450", "TOUR-VIG-2"),
            ("Tour Evita C", "L2500", "TOUR-VIG-3"),
        ):
            cls.devices |= cls.env["maintenance.equipment"].create(
                {
                    "name": name,
                    "is_medical_device": True,
                    "manufacturer_id": drager.id,
                    "model": "Evita V500",
                    "serial_no": serial,
                    "udi_di": "04012345678901",
                    "udi_lot": lot,
                    "lifecycle_state": "in_service",
                }
            )
        with file_open(
            "medical_device/data/samples/dm_vigilance_notice_sample.csv", "rb"
        ) as handle:
            data = handle.read()
        # The pharmacist's own file, which the tour puts in the upload field.
        cls.env["ir.attachment"].with_user(cls.pharmacist).create(
            {"name": "dm_vigilance_notice_sample.csv", "datas": base64.b64encode(data)}
        )

    def test_vigilance_tour(self):
        self.start_tour(
            "/odoo", "medical_device_vigilance_import_tour", login="tour_vig_pharmacist"
        )
        notice = self.env["dm.vigilance.notice"].search(
            [("name", "=", "ANSM-2026-0042")]
        )
        self.assertEqual(notice.state, "matched")
        self.assertEqual(notice.create_uid, self.pharmacist)
        self.assertEqual(notice.action_ids.equipment_id, self.devices[:2])
        self.start_tour(
            "/odoo", "medical_device_vigilance_action_tour", login="tour_vig_technician"
        )
        done = notice.action_ids.filtered(lambda a: a.state == "done")
        self.assertEqual(done.equipment_id, self.devices[0])
        self.assertEqual(done.done_by_id, self.technician)
        self.assertEqual(done.note, "Expiratory valve replaced")
