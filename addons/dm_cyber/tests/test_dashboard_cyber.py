"""The RSSI's panel of the criticality dashboard: connected devices by cyber
risk, obsolete OS, MDS2 missing, uncontrolled remote maintenance, counted with
the shared queries' domains, each opening exactly its devices; seen by the
RSSI, IT and the engineer only, and by nobody of another hospital."""

from datetime import date

from odoo.addons.medical_device.tests.common import MedicalDeviceCase
from odoo.tests import new_test_user, tagged

from ..controllers.main import IT_QUERIES


@tagged("post_install", "-at_install")
class TestDashboardCyber(MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hospital = cls.env["res.company"].create({"name": "CH Cyber"})
        cls.other = cls.env["res.company"].create({"name": "Clinique Cyber"})

        def user(login, group, company):
            return new_test_user(
                cls.env,
                login=login,
                groups=group,
                company_id=company.id,
                company_ids=[(6, 0, company.ids)],
            )

        cls.rssi = user("dash_cyber_rssi", "medical_device.group_dm_rssi", cls.hospital)
        cls.other_rssi = user(
            "dash_cyber_rssi_b", "medical_device.group_dm_rssi", cls.other
        )
        cls.roles = {
            role: user(
                f"dash_cyber_{role}", f"medical_device.group_dm_{role}", cls.hospital
            )
            for role in ("engineer", "technician", "pharmacist", "dpo", "auditor")
        }
        cls.roles["it"] = user(
            "dash_cyber_it", "dm_cyber.group_dm_it_handover", cls.hospital
        )
        xp = cls.env.ref("dm_cyber.dm_os_windows_xp")
        modern = cls.env.ref("dm_cyber.dm_os_windows_11_iot_enterprise_ltsc_2024")
        patched = date.today()
        safe = {
            "antivirus": "hospital",
            "os_version_id": modern.id,
            "last_patch_date": patched,
            "mds2_date": patched,
            "usb_locked": True,
            "default_accounts_changed": True,
            "domain_joined": True,
            "vendor_firewall": True,
            "remote_maintenance_channel": "hospital_bastion",
        }
        cls.devices = {}
        for name, company, state, extra in (
            ("SAFE", cls.hospital, "in_service", {}),
            ("XP", cls.hospital, "in_service", {"os_version_id": xp.id}),
            ("NOMDS2", cls.hospital, "in_service", {"mds2_date": False}),
            (
                "REMOTE",
                cls.hospital,
                "in_service",
                {"remote_maintenance_channel": "uncontrolled"},
            ),
            ("UNANSWERED", cls.hospital, "acquisition", {"antivirus": False}),
            ("DISPOSED", cls.hospital, "disposed", {"os_version_id": xp.id}),
            ("OTHER", cls.other, "in_service", {"os_version_id": xp.id}),
        ):
            # sudo: only imports (superuser) bring a device past acquisition.
            cls.devices[name] = cls.Equipment.sudo().create(
                cls._acquisition_vals(
                    name=f"Cyber {name}",
                    serial_no=f"DASH-CY-{name}",
                    lifecycle_state=state,
                    company_id=company.id,
                    is_connected=True,
                    **{**safe, **extra},
                )
            )
        cls.env.flush_all()

    def cyber_panel(self, user):
        panels = self.env["dm.dashboard"].with_user(user).get_panels()
        return next((p for p in panels if p["key"] == "cyber"), None)

    def test_figures_are_the_shared_queries(self):
        panel = self.cyber_panel(self.rssi)
        figures = {f["code"]: f for f in panel["figures"]}
        Equipment = self.Equipment.with_user(self.rssi)
        hospital = [
            ("is_medical_device", "=", True),
            ("lifecycle_state", "!=", "disposed"),
            ("company_id", "=", self.hospital.id),
        ]
        for code, query in (
            ("cyber_os_obsolete", "obsolete_os"),
            ("cyber_no_mds2", "no_mds2"),
            ("cyber_remote_uncontrolled", "remote_uncontrolled"),
        ):
            figure = figures[code]
            listed = Equipment.search(figure["action"]["domain"])
            with self.subTest(code=code):
                self.assertEqual(figure["value"], len(listed))
                self.assertEqual(listed, Equipment.search(IT_QUERIES[query] + hospital))
        names = {
            code: sorted(Equipment.search(f["action"]["domain"]).mapped("name"))
            for code, f in figures.items()
        }
        self.assertEqual(names["cyber_os_obsolete"], ["Cyber XP"])
        self.assertEqual(names["cyber_no_mds2"], ["Cyber NOMDS2"])
        self.assertEqual(names["cyber_remote_uncontrolled"], ["Cyber REMOTE"])
        high = Equipment.search(
            [("cyber_risk_level", "in", ["high", "critical"]), *hospital]
        )
        self.assertEqual(figures["cyber_high_risk"]["value"], len(high))
        self.assertEqual(panel["total"]["value"], 5)  # not the disposed one
        # The chart: every level, each bar opening its devices.
        chart = panel["chart"]
        self.assertEqual(len(chart["labels"]), 5)
        self.assertEqual(sum(chart["values"]), 5)
        for value, action in zip(chart["values"], chart["actions"], strict=True):
            self.assertEqual(Equipment.search_count(action["domain"]), value)
        levels = dict(zip(chart["labels"], chart["values"], strict=True))
        self.assertEqual(levels["Not assessed"], 1)

    def test_panel_for_the_rssi_it_and_engineer(self):
        for role in ("engineer", "it"):
            with self.subTest(role=role):
                self.assertTrue(self.cyber_panel(self.roles[role]))
        rssi = self.env["dm.dashboard"].with_user(self.rssi).get_panels()
        self.assertEqual(rssi[0]["key"], "cyber")  # the RSSI's own panel first
        for role in ("technician", "pharmacist", "dpo", "auditor"):
            with self.subTest(role=role):
                self.assertIsNone(self.cyber_panel(self.roles[role]))

    def test_another_hospital_sees_none_of_these_devices(self):
        panel = self.cyber_panel(self.other_rssi)
        figures = {f["code"]: f["value"] for f in panel["figures"]}
        self.assertEqual(panel["total"]["value"], 1)
        self.assertEqual(figures["cyber_os_obsolete"], 1)
        self.assertEqual(figures["cyber_no_mds2"], 0)
        self.assertEqual(figures["cyber_remote_uncontrolled"], 0)
