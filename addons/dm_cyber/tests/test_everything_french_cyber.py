"""Everything dm_cyber writes reads French for a French user, whoever wrote
it (see medical_device's test_everything_french.py): the cyber watch's
activities and summary, remote maintenance (requests, decisions, the device's
log, the agreements' expiry), the erasure's and the disposal's notes.

Depends on the French translations of the addons (i18n/fr.po)."""

from datetime import date, timedelta

from odoo import fields
from odoo.addons.medical_device.tests.common import MedicalDeviceCase
from odoo.addons.medical_device.tests.french_reader import (
    FrenchReaderMixin,
    load_french,
)
from odoo.tests import freeze_time, new_test_user, tagged

TODAY = date(2026, 3, 2)


@tagged("post_install", "-at_install")
class TestEverythingFrenchCyber(FrenchReaderMixin, MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_french(cls.env)
        cls.env.user.lang = "en_US"
        for role in ("technician", "engineer", "rssi", "dpo", "auditor"):
            cls.users[role].lang = "en_US"
        cls.users["rssi_en"] = new_test_user(
            cls.env,
            login="test_dm_rssi_en",
            groups="medical_device.group_dm_rssi",
            lang="en_US",
        )
        # Every other RSSI reads French (the daily job and the requests
        # assign them).
        members = cls.env["dm.approval"]._group_members("medical_device.group_dm_rssi")
        (members - cls.users["rssi"] - cls.users["rssi_en"]).write({"lang": "fr_FR"})
        cls.rssi_fr = new_test_user(
            cls.env,
            login="test_dm_rssi_fr",
            groups="medical_device.group_dm_rssi",
            lang="fr_FR",
        )
        cls.reader = new_test_user(
            cls.env,
            login="test_dm_reader_fr",
            groups="medical_device.group_dm_engineer,medical_device.group_dm_rssi,"
            "medical_device.group_dm_dpo,medical_device.group_dm_auditor",
            lang="fr_FR",
        )
        cls.Equipment.search([]).write({"active": False})
        cls.os_w7 = cls.env.ref("dm_cyber.dm_os_windows_7")
        cls.supplier = cls.env["res.partner"].create(
            {"name": "MedTech SA", "is_company": True}
        )

    # ------------------------------------------------------------ cyber watch
    def test_the_cyber_watch_writes_french_for_the_rssi(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "medical_device.digest_threshold", 100
        )
        self.Equipment._cron_cyber_watch()  # past versions, notified before
        self.env["dm.os.version"].create(
            {
                "vendor": "Microsoft",
                "product": "Windows",
                "version": "FR-TEST",
                "end_of_support": TODAY - timedelta(days=10),
            }
        )
        start, start_activity = self.last_message_id(), self.last_activity_id()
        self.Equipment.sudo().with_context(tracking_disable=True).create(
            [
                {
                    "name": f"Échographe {index}",
                    "serial_no": f"FR-CYB-{index}",
                    "is_medical_device": True,
                    "lifecycle_state": "in_service",
                    "is_connected": True,
                    "os_version_id": self.os_w7.id,
                    "last_patch_date": date(2020, 1, 1) if index else False,
                    "antivirus": "none",
                }
                for index in range(2)
            ]
        )
        with freeze_time(TODAY):
            created = self.Equipment._cron_cyber_watch()
        self.assertEqual(len(created), 2)
        texts = self.activity_texts(start_activity)
        joined = " ".join(text for _w, text in texts)
        self.assertIn("jamais", joined)
        self.assertIn("01/01/2020", joined)
        self.assertAllFrench(texts, expected_min=2)
        self.assertAllFrench(self.inbox_texts(self.rssi_fr, start), expected_min=2)

    # ------------------------------------------------------------ remote maintenance
    def test_remote_maintenance_writes_french(self):
        device = self.Equipment.create(
            self._acquisition_vals(
                name="Pompe à perfusion",
                serial_no="FR-TM-1",
                is_connected=True,
                remote_maintenance_channel="supplier_vpn",
                partner_id=self.supplier.id,
            )
        )
        Session = self.env["dm.remote.session"].with_user(self.users["technician"])
        start, start_activity = self.last_message_id(), self.last_activity_id()
        vals = {
            "equipment_id": device.id,
            "technician_name": "Paul Martin",
            "reason": "Mise à jour de la bibliothèque de médicaments",
        }
        with freeze_time(f"{TODAY} 09:00:00"):
            session = Session.create(vals)
            refused = Session.create(vals)
            # The French RSSI's activity: in French.
            self.assertAllFrench(self.activity_texts(start_activity), expected_min=2)
            session.with_user(self.users["rssi_en"]).action_authorise()
            refused.with_user(self.users["rssi_en"]).action_refuse("Hors créneau.")
            session.with_user(self.users["technician"]).action_start()
        with freeze_time(f"{TODAY} 10:30:00"):
            session.with_user(self.users["technician"]).write(
                {"summary": "Bibliothèque v12 installée"}
            )
            session.with_user(self.users["technician"]).action_end()
        texts = (
            self.served_texts(device, self.reader, start)
            + self.served_texts(session, self.reader, start)
            + self.served_texts(refused, self.reader, start)
        )
        joined = "\n".join(text for _w, text in texts)
        self.assertIn("Paul Martin", joined)
        self.assertAllFrench(texts, expected_min=4)

        # An agreement pre-authorises, then expires (the daily job).
        agreement = (
            self.env["dm.remote.agreement"]
            .with_user(self.users["rssi"])
            .create(
                {
                    "name": "Télémaintenance MedTech 2026",
                    "supplier_id": self.supplier.id,
                    "equipment_ids": [(6, 0, device.ids)],
                    "channel": "supplier_vpn",
                    "date_start": TODAY - timedelta(days=30),
                    "date_end": TODAY + timedelta(days=3),
                }
            )
        )
        with freeze_time(f"{TODAY} 09:00:00"):
            agreement.action_activate()
            pre_authorised = Session.create(vals)
        with freeze_time(f"{TODAY + timedelta(days=4)} 12:00:00"):
            self.env["dm.remote.agreement"]._cron_expire_agreements()
        self.assertEqual(agreement.state, "expired")
        texts = self.served_texts(agreement, self.reader, start) + self.served_texts(
            pre_authorised, self.reader, start
        )
        self.assertRegex("\n".join(t for _w, t in texts), r"05/03/2026")
        self.assertAllFrench(texts, expected_min=2)

    # ------------------------------------------------------------ erasure, disposal
    def test_erasure_and_disposal_notes_read_french(self):
        device = self.device_in_service(
            name="Échographe",
            serial_no="FR-ERA-1",
            patient_data=True,
            data_hosting="device",
        )
        recycler = self.env["res.partner"].create(
            {"name": "Recyclage DEEE Sud", "is_company": True}
        )
        start = self.last_message_id()
        disposal = (
            self.env["dm.disposal"]
            .with_user(self.users["technician"])
            .create(
                {
                    "equipment_id": device.id,
                    "reason": "obsolete",
                    "destination": "recycler",
                    "recipient_id": recycler.id,
                    "recycler_certificate_ref": "DEEE-2026-0042",
                }
            )
        )
        disposal.with_user(self.users["engineer"]).action_confirm()
        Medium = self.env["dm.erasure.medium"].with_user(self.users["technician"])
        medium = Medium.create(
            {"disposal_id": disposal.id, "media_type": "ssd", "serial_no": "SSD-1"}
        )
        execution = {
            "executed_on": fields.Date.today(),
            "result": "failure",
            "verification_method": "sampling",
            "sanitiser_name": "Julien Moreau",
            "sanitiser_title": "Technicien biomédical",
            "tool": "Blancco Drive Eraser",
            "tool_version": "7.9",
        }
        medium.write(execution)
        medium.action_record_execution()
        medium.action_plan_again()
        medium.write({**execution, "result": "success"})
        medium.action_record_execution()
        disposal.with_user(self.users["technician"]).action_submit_verification()
        disposal.with_user(self.users["rssi"]).action_verify()
        disposal.with_user(self.users["dpo"]).action_sign_off()
        disposal.with_user(self.users["engineer"]).action_dispose()
        self.assertEqual(disposal.state, "done")
        self.flush_tracking()
        texts = self.served_texts(disposal, self.reader, start) + self.served_texts(
            device.with_context(active_test=False), self.reader, start
        )
        joined = "\n".join(text for _w, text in texts)
        self.assertIn("Julien Moreau", joined)
        self.assertRegex(joined, r"\d{2}/\d{2}/\d{4}")
        # The erasure's summary, read on the disposal, too.
        summary = disposal.with_user(self.reader).with_context(lang="fr_FR")
        texts.append(("erasure summary", summary.erasure_summary))
        self.assertAllFrench(texts, expected_min=5)

    def test_the_no_data_statement_reads_french(self):
        device = self.device_in_service(name="Lit médicalisé", serial_no="FR-ND-1")
        start = self.last_message_id()
        disposal = (
            self.env["dm.disposal"]
            .with_user(self.users["technician"])
            .create(
                {
                    "equipment_id": device.id,
                    "reason": "beyond_repair",
                    "destination": "destruction",
                }
            )
        )
        disposal.with_user(self.users["engineer"]).action_confirm()
        disposal.with_user(self.users["engineer"]).action_state_no_data(
            "Lit mécanique : aucune mémoire, aucune donnée."
        )
        disposal.with_user(self.users["engineer"]).action_dispose()
        self.assertAllFrench(
            self.served_texts(disposal, self.reader, start), expected_min=2
        )
