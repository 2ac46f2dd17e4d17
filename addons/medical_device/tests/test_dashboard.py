"""The criticality dashboard (dm.dashboard.get_panels): its figures on a known
fleet, each figure's list holding exactly the records it counts, the colours
following the targets of the data, the panels by role, and a hospital that
sees none of another's devices."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import MedicalDeviceCase, pieu_levels

NOW = datetime(2026, 6, 15, 12, 0, 0)


def ago(days=0, hours=0):
    return NOW - timedelta(days=days, hours=hours)


@tagged("post_install", "-at_install")
class TestDashboard(MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A hospital of its own: the demo fleet (main company) stays out of
        # the figures, and a second hospital must stay out of them too.
        cls.hospital = cls.env["res.company"].create({"name": "CH Dashboard"})
        cls.other = cls.env["res.company"].create({"name": "Clinique Autre"})
        cls.roles = {
            role: cls._user(f"dash_{role}", group, cls.hospital)
            for role, group in (
                ("engineer", "medical_device.group_dm_engineer"),
                ("technician", "medical_device.group_dm_technician"),
                ("pharmacist", "medical_device.group_dm_pharmacist"),
                ("rssi", "medical_device.group_dm_rssi"),
                ("dpo", "medical_device.group_dm_dpo"),
                ("auditor", "medical_device.group_dm_auditor"),
                ("internal", "base.group_user"),
            )
        }
        cls.other_engineer = cls._user(
            "dash_other_engineer", "medical_device.group_dm_engineer", cls.other
        )
        cls.pieu_moderate = pieu_levels(cls.env, 1, 2, 1, 2)  # 4
        cls.stage_new = cls.env.ref("maintenance.stage_0")
        cls.stage_done = cls.env.ref("maintenance.stage_3")
        cls.Indicator = cls.env["dm.dashboard.indicator"]

    @classmethod
    def _user(cls, login, group, company):
        return new_test_user(
            cls.env,
            login=login,
            groups=group,
            company_id=company.id,
            company_ids=[(6, 0, company.ids)],
        )

    # ------------------------------------------------------------ fleet
    def device(self, name, pieu, company=None, state="in_service", **extra):
        # sudo: only imports (superuser) bring a device past acquisition.
        return (
            self.Equipment.sudo()
            .with_context(tracking_disable=True)
            .create(
                self._acquisition_vals(
                    name=name,
                    serial_no=f"DASH-{name}",
                    lifecycle_state=state,
                    company_id=(company or self.hospital).id,
                    **pieu,
                    **extra,
                )
            )
        )

    def request(self, device, kind, stage=None, **vals):
        team = self.teams[device.company_id]
        return (
            self.env["maintenance.request"]
            .sudo()
            .with_context(tracking_disable=True)
            .create(
                {
                    "name": f"{device.name} {kind}",
                    "equipment_id": device.id,
                    "company_id": device.company_id.id,
                    "maintenance_team_id": team.id,
                    "maintenance_type": kind,
                    "stage_id": (stage or self.stage_new).id,
                    **vals,
                }
            )
        )

    def build_fleet(self):
        """The known fleet of the hospital (and one device of another)."""
        self.teams = {
            company: self.env["maintenance.team"].create(
                {"name": f"Biomed {company.name}", "company_id": company.id}
            )
            for company in (self.hospital, self.other)
        }
        done = self.stage_done
        vc1 = self.device("VC1", self.pieu_ct)
        vc2 = self.device("VC2", self.pieu_ct, ce_certificate_expiry=ago(5).date())
        # In acquisition: not followed by the dashboard yet.
        self.device("VC3", self.pieu_ct, state="acquisition")
        mod1 = self.device("MOD1", self.pieu_moderate)
        self.device(
            "MOD2",
            self.pieu_moderate,
            ce_certificate_expiry=(NOW + timedelta(days=30)).date(),
        )
        low1 = self.device(
            "LOW1",
            self.pieu_syringe_pump,
            ce_certificate_expiry=(NOW + timedelta(days=400)).date(),
        )
        # VC1: a failure of 24 h, an open one since two days (60 h from the
        # request date's midnight), one across the start of the period (5 days
        # in it), one archived, one closed before the period.
        self.request(
            vc1,
            "corrective",
            done,
            request_date=ago(10).date(),
            close_date=ago(9).date(),
            use_stopped_on=ago(10),
            use_resumed_on=ago(9),
        )
        self.request(vc1, "corrective", request_date=ago(2).date())
        self.request(
            vc1,
            "corrective",
            done,
            request_date=ago(370).date(),
            close_date=ago(360).date(),
            use_stopped_on=ago(370),
            use_resumed_on=ago(360),
        )
        self.request(
            vc1,
            "corrective",
            archive=True,
            use_stopped_on=ago(5),
            request_date=ago(5).date(),
        )
        self.request(
            vc1,
            "corrective",
            done,
            request_date=ago(401).date(),
            close_date=ago(400).date(),
        )
        # VC2: a quality control that stopped the use 3 days ago.
        self.request(
            vc2, "preventive", done, request_date=ago(3).date(), use_stopped_on=ago(3)
        )
        # MOD1: two preventive requests late (10 and 45 days), one ahead, one done.
        self.request(mod1, "preventive", schedule_date=ago(10))
        self.request(mod1, "preventive", schedule_date=ago(45))
        self.request(mod1, "preventive", schedule_date=NOW + timedelta(days=5))
        self.request(mod1, "preventive", done, schedule_date=ago(20))
        # LOW1: three planned in the last 12 months, two done; one before, one ahead.
        self.request(low1, "preventive", done, schedule_date=ago(100))
        self.request(low1, "preventive", done, schedule_date=ago(200))
        self.request(low1, "preventive", schedule_date=ago(50))
        self.request(low1, "preventive", schedule_date=ago(400))
        self.request(low1, "preventive", schedule_date=NOW + timedelta(days=10))
        # The other hospital: a very critical device down, a late preventive.
        other = self.device("OTHER-VC", self.pieu_ct, company=self.other)
        self.request(other, "corrective", use_stopped_on=ago(1))
        other_mod = self.device("OTHER-MOD", self.pieu_moderate, company=self.other)
        self.request(other_mod, "preventive", schedule_date=ago(3))
        self.env.flush_all()

    def panels(self, role="engineer", user=None):
        user = user or self.roles[role]
        return {
            panel["key"]: panel
            for panel in self.env["dm.dashboard"].with_user(user).get_panels()
        }

    def figures(self, role="engineer", user=None):
        return {
            figure["code"]: figure
            for panel in self.panels(role, user).values()
            for figure in panel["figures"]
        }

    def records(self, figure, role="engineer"):
        action = figure["action"]
        return (
            self.env[action["res_model"]]
            .with_user(self.roles[role])
            .search(action["domain"])
        )

    # ------------------------------------------------------------ figures
    @freeze_time(NOW)
    def test_figures_of_a_known_fleet(self):
        self.build_fleet()
        figures = self.figures()
        values = {code: figure["value"] for code, figure in figures.items()}
        self.assertEqual(values["vc_unavailable"], 2)
        self.assertEqual(values["vc_downtime"], 24 + 60 + 120 + 72)
        self.assertAlmostEqual(
            values["vc_availability"], 100 * (1 - 276 / (2 * 8760)), places=6
        )
        self.assertEqual(values["mod_preventive_late"], 2)
        self.assertEqual(values["mod_devices_late_rate"], 50.0)
        self.assertEqual(values["low_preventive_planned"], 3)
        self.assertEqual(values["low_preventive_done"], 2)
        self.assertAlmostEqual(values["low_programme_rate"], 200 / 3)
        self.assertEqual(values["ce_passed"], 1)
        self.assertEqual(values["ce_soon"], 1)
        # Colours against the shipped targets.
        states = {code: figure["state"] for code, figure in figures.items()}
        self.assertEqual(states["vc_unavailable"], "danger")  # 2 > alert 1
        self.assertEqual(states["vc_downtime"], "warning")  # 240 < 276 h <= 480
        self.assertEqual(states["vc_availability"], "warning")  # 97 <= 98.4 < 99
        self.assertEqual(states["mod_devices_late_rate"], "danger")
        self.assertEqual(states["low_preventive_planned"], "muted")  # no target
        self.assertEqual(states["low_programme_rate"], "danger")  # 66.7 < 75
        self.assertEqual(states["ce_passed"], "danger")  # 1 > alert 0
        self.assertEqual(states["ce_soon"], "warning")  # 0 < 1 <= alert 5
        panels = self.panels()
        self.assertEqual(panels["very_critical"]["total"]["value"], 2)
        self.assertEqual(panels["moderate"]["total"]["value"], 2)
        self.assertEqual(panels["low"]["total"]["value"], 1)

    @freeze_time(NOW)
    def test_each_list_holds_the_records_counted(self):
        """A count opens exactly its records; hours and rates open the records
        they are computed from."""
        self.build_fleet()
        figures = self.figures()
        for code, figure in figures.items():
            records = self.records(figure)
            with self.subTest(code=code):
                self.assertFalse(records.company_id - self.hospital)
                if figure["unit"] == "count":
                    self.assertEqual(len(records), figure["value"])
        names = set(self.records(figures["vc_unavailable"]).mapped("name"))
        self.assertEqual(names, {"VC1", "VC2"})
        # The downtime: the sum over its requests, computed here in Python.
        since = NOW - timedelta(days=365)
        hours = 0.0
        for request in self.records(figures["vc_downtime"]):
            start = request.use_stopped_on or datetime.combine(
                request.request_date, datetime.min.time()
            )
            if request.use_stopped_on:
                end = request.use_resumed_on or NOW
            elif request.stage_id.done:
                end = datetime.combine(request.close_date, datetime.min.time())
            else:
                end = NOW
            hours += max(0.0, (min(end, NOW) - max(start, since)).total_seconds())
        self.assertEqual(len(self.records(figures["vc_downtime"])), 4)
        self.assertAlmostEqual(hours / 3600, figures["vc_downtime"]["value"])
        self.assertEqual(len(self.records(figures["vc_availability"])), 2)
        late_devices = self.records(figures["mod_devices_late_rate"])
        self.assertEqual(late_devices.mapped("name"), ["MOD1"])
        planned = self.records(figures["low_programme_rate"])
        self.assertEqual(len(planned), 3)
        self.assertEqual(len(planned.filtered("stage_id.done")), 2)
        # The charts' bars open their records too.
        for key, panel in self.panels().items():
            chart = panel["chart"]
            for value, action in zip(chart["values"], chart["actions"], strict=True):
                with self.subTest(panel=key, label=action["name"]):
                    Model = self.env[action["res_model"]].with_user(
                        self.roles["engineer"]
                    )
                    self.assertEqual(Model.search_count(action["domain"]), value)
        late = self.panels()["moderate"]["chart"]["values"]
        self.assertEqual(late, [1, 1, 0])

    # ------------------------------------------------------------ targets
    @freeze_time(NOW)
    def test_colours_follow_the_targets_of_the_data(self):
        self.build_fleet()
        rate = self.env.ref("medical_device.dm_dashboard_indicator_low_programme_rate")
        engineer = self.roles["engineer"]
        self.assertEqual(self.figures()["low_programme_rate"]["state"], "danger")
        rate.with_user(engineer).write({"alert_threshold": 60})
        self.assertEqual(self.figures()["low_programme_rate"]["state"], "warning")
        rate.with_user(engineer).write({"target": 60, "alert_threshold": 50})
        figure = self.figures()["low_programme_rate"]
        self.assertEqual(figure["state"], "success")
        self.assertIn("60", figure["target_display"])
        # An archived indicator leaves the dashboard.
        rate.with_user(engineer).action_archive()
        self.assertNotIn("low_programme_rate", self.figures())

    def test_targets_are_the_engineers(self):
        rate = self.env.ref("medical_device.dm_dashboard_indicator_low_programme_rate")
        for role in ("technician", "pharmacist", "rssi", "auditor"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                rate.with_user(self.roles[role]).write({"target": 10})
        engineer = rate.with_user(self.roles["engineer"])
        with self.assertRaisesRegex(ValidationError, "alert threshold"):
            engineer.write({"target": 90, "alert_threshold": 95})
        for field, value in (
            ("code", "vc_downtime"),
            ("panel", "low"),
            ("unit", "hours"),
        ):
            with self.subTest(field=field), self.assertRaises(UserError):
                engineer.write({field: value})
        with self.assertRaises(AccessError):
            self.Indicator.with_user(self.roles["engineer"]).create(
                {"code": "x", "name": "X", "panel": "low"}
            )
        with self.assertRaises(AccessError):
            engineer.unlink()
        self.assertEqual(rate.target, 90.0)

    # ------------------------------------------------------------ roles
    @freeze_time(NOW)
    def test_panels_by_role(self):
        self.build_fleet()
        criticality = {"very_critical", "moderate", "low"}
        self.assertEqual(
            set(self.panels("engineer")) & (criticality | {"ce"}), criticality | {"ce"}
        )
        self.assertEqual(
            set(self.panels("pharmacist")) - {"cyber", "vigilance"},
            criticality | {"ce"},
        )
        for role in ("technician", "dpo", "auditor", "rssi"):
            with self.subTest(role=role):
                self.assertNotIn("ce", self.panels(role))
                self.assertTrue(criticality <= set(self.panels(role)))
        self.assertEqual(self.panels("internal"), {})
        # Each role's own panel first.
        first = self.env["dm.dashboard"].with_user(self.roles["pharmacist"])
        self.assertEqual(first.get_panels()[0]["key"], "ce")
        first = self.env["dm.dashboard"].with_user(self.roles["engineer"])
        self.assertEqual(first.get_panels()[0]["key"], "very_critical")
        # Every reader counts the same devices: the figures are the data's.
        expected = {c: f["value"] for c, f in self.figures("engineer").items()}
        auditor = {c: f["value"] for c, f in self.figures("auditor").items()}
        self.assertEqual(auditor, {c: expected[c] for c in auditor})

    @freeze_time(NOW)
    def test_another_hospital_sees_none_of_these_devices(self):
        self.build_fleet()
        figures = self.figures(user=self.other_engineer)
        self.assertEqual(figures["vc_unavailable"]["value"], 1)
        self.assertEqual(figures["vc_downtime"]["value"], 24.0)
        self.assertEqual(figures["mod_preventive_late"]["value"], 1)
        self.assertEqual(figures["ce_passed"]["value"], 0)
        for figure in figures.values():
            action = figure["action"]
            records = (
                self.env[action["res_model"]]
                .with_user(self.other_engineer)
                .search(action["domain"])
            )
            with self.subTest(code=figure["code"]):
                self.assertNotIn(self.hospital, records.company_id)
        # A forged context naming the hospital gives nothing more.
        forged = (
            self.env["dm.dashboard"]
            .with_user(self.other_engineer)
            .with_context(allowed_company_ids=[self.hospital.id, self.other.id])
        )
        with self.assertRaises(AccessError):
            forged.get_panels()

    # ------------------------------------------------------------ cost
    @freeze_time(NOW)
    def test_queries_do_not_grow_with_the_fleet(self):
        """The figures are counts and sums of the database: ten times the
        devices, the same number of queries."""
        self.build_fleet()
        Dashboard = self.env["dm.dashboard"].with_user(self.roles["engineer"])
        Dashboard.get_panels()  # warm the caches (groups, views)

        def queries():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            Dashboard.get_panels()
            return self.env.cr.sql_log_count - before

        small = queries()
        for index in range(10):
            device = self.device(f"MORE{index}", self.pieu_moderate)
            self.request(device, "preventive", schedule_date=ago(index + 1))
        self.env.flush_all()
        # Creating records may clear an ormcache (rules, groups) that the
        # first call after them refills: compare warm calls, as above.
        Dashboard.get_panels()
        self.assertEqual(queries(), small)
        self.assertEqual(self.figures()["mod_preventive_late"]["value"], 12)


@tagged("post_install", "-at_install")
class TestDashboardInFrench(MedicalDeviceCase):
    """The dashboard reads French for a French user: panels, figures, targets
    and numbers in the reader's format. (Needs the addons' fr.po with the
    dashboard's terms.)"""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        modules = (
            cls.env["ir.module.module"]
            .search(
                [
                    ("name", "in", ["medical_device", "dm_cyber"]),
                    ("state", "=", "installed"),
                ]
            )
            .mapped("name")
        )
        cls.env["ir.module.module"]._load_module_terms(modules, ["fr_FR"])
        cls.pharmacist = new_test_user(
            cls.env,
            login="dash_fr_pharmacist",
            groups="medical_device.group_dm_pharmacist",
            lang="fr_FR",
        )

    def test_panels_read_french(self):
        # As the web client calls it: the user's language in the context.
        Dashboard = self.env["dm.dashboard"].with_user(self.pharmacist)
        panels = Dashboard.with_context(lang=self.pharmacist.lang).get_panels()
        titles = [panel["title"] for panel in panels]
        self.assertEqual(titles[0], "Échéances CE")
        self.assertIn("Dispositifs très critiques", titles)
        figures = {f["code"]: f for panel in panels for f in panel["figures"]}
        self.assertEqual(figures["vc_unavailable"]["label"], "Indisponibles maintenant")
        self.assertTrue(
            figures["vc_unavailable"]["target_display"].startswith("Objectif")
        )
        self.assertEqual(
            figures["vc_availability"]["target_display"], "Objectif : ≥ 99,0 %"
        )
        self.assertRegex(
            panels[0]["total"]["display"], r"^\d[\d\s\u202f]* dispositifs$"
        )
