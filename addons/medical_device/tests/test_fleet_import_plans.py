"""Plans and last operations in the fleet import (the periodicity and last
date columns of the previous CMMS)."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import tagged

from .test_fleet_import import HEADERS, SAMPLES, FleetImportCase, device_row, to_csv

PLAN_HEADERS = [
    *HEADERS,
    "Modèle",
    "Périodicité MP",
    "Dernière maintenance",
    "Périodicité CQ",
    "Date dernier CQ",
    "Résultat CQ",
]


def french(day):
    return day.strftime("%d/%m/%Y")


@tagged("post_install", "-at_install")
class TestFleetImportPlans(FleetImportCase):
    """The import creates each device's plans from the periodicity columns and
    records the last operations as done operations of those plans, once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["maintenance.plan"])
        cls.pm_last = cls.today - timedelta(days=100)
        cls.qc_last = cls.today - timedelta(days=40)

    def plan_row(self, serial, **overrides):
        return device_row(
            serial,
            **{
                "Modèle": "SP-IMPORT",
                "Périodicité MP": "12 mois",
                "Dernière maintenance": french(self.pm_last),
                "Périodicité CQ": "semestriel",
                "Date dernier CQ": french(self.qc_last),
                "Résultat CQ": "Conforme",
                **overrides,
            },
        )

    def import_rows(self, rows, **vals):
        return self.run_import(to_csv(rows, PLAN_HEADERS), **vals)

    def plans_of(self, device):
        return self.env["maintenance.plan"].search(
            [("equipment_id", "=", device.id)], order="dm_nature"
        )

    def operations_of(self, device):
        return self.env["maintenance.request"].search(
            [("equipment_id", "=", device.id)], order="request_date"
        )

    # ------------------------------------------------------------ plans
    def test_plans_and_last_operations_of_each_row(self):
        record = self.import_rows([self.plan_row("PL-1"), self.plan_row("PL-2")])
        self.assertEqual((record.state, record.failed_count), ("done", 0))
        self.assertEqual(record.created_count, 2)
        device = self.devices("PL-1")
        by_nature = {plan.dm_nature: plan for plan in self.plans_of(device)}
        self.assertEqual(set(by_nature), {"preventive", "qc_internal"})
        pm, qc = by_nature["preventive"], by_nature["qc_internal"]
        self.assertEqual((pm.interval, pm.interval_step), (1, "year"))
        self.assertEqual((qc.interval, qc.interval_step), (6, "month"))
        self.assertEqual(pm.dm_performer, "internal")
        self.assertEqual(pm.company_id, device.company_id)
        # The plan starts at its last operation: the next date follows from it.
        self.assertEqual(pm.start_maintenance_date, self.pm_last)
        self.assertEqual(
            pm.next_maintenance_date, self.pm_last + relativedelta(years=1)
        )
        self.assertEqual(
            qc.next_maintenance_date, self.qc_last + relativedelta(months=6)
        )
        # The last operations are done operations of those plans.
        done = self.operations_of(device)
        self.assertEqual(
            [(r.maintenance_plan_id, r.operation_nature, r.request_date) for r in done],
            [(pm, "preventive", self.pm_last), (qc, "qc_internal", self.qc_last)],
        )
        self.assertTrue(all(done.stage_id.mapped("done")))
        self.assertEqual(done.mapped("close_date"), [self.pm_last, self.qc_last])
        self.assertEqual(done.mapped("operation_result"), [False, "compliant"])
        # Nothing to remind of an operation done: no activity, no follower.
        self.assertFalse(done.activity_ids)
        self.assertFalse(done.message_partner_ids)
        # The device's generation goes on from them, once.
        (pm | qc).with_user(self.users["technician"]).button_manual_request_generation()
        planned = self.operations_of(device) - done
        self.assertIn(
            self.pm_last + relativedelta(years=1), planned.mapped("request_date")
        )
        self.assertFalse(planned.filtered(lambda r: r.request_date < self.today))

    def test_rerun_of_the_same_file_changes_nothing(self):
        rows = [self.plan_row("PL-1"), self.plan_row("PL-2")]
        self.import_rows(rows)
        devices = self.devices("PL-1", "PL-2")
        plans_before = self.env["maintenance.plan"].search(
            [("equipment_id", "in", devices.ids)]
        )
        operations_before = self.env["maintenance.request"].search(
            [("equipment_id", "in", devices.ids)]
        )
        again = self.import_rows(rows)
        self.assertEqual(
            (again.created_count, again.updated_count, again.unchanged_count),
            (0, 0, 2),
        )
        self.assertEqual(
            self.env["maintenance.plan"].search([("equipment_id", "in", devices.ids)]),
            plans_before,
        )
        self.assertEqual(
            self.env["maintenance.request"].search(
                [("equipment_id", "in", devices.ids)]
            ),
            operations_before,
        )

    def test_a_newer_last_operation_and_a_new_periodicity(self):
        self.import_rows([self.plan_row("PL-1")])
        device = self.devices("PL-1")
        newer = self.today - timedelta(days=5)
        record = self.import_rows(
            [
                self.plan_row(
                    "PL-1",
                    **{
                        "Date dernier CQ": french(newer),
                        "Résultat CQ": "Non conforme",
                        "Périodicité MP": "2 ans",
                    },
                )
            ]
        )
        self.assertEqual((record.updated_count, record.failed_count), (1, 0))
        plans_ = self.plans_of(device)
        self.assertEqual(len(plans_), 2)
        pm = plans_.filtered(lambda p: p.dm_nature == "preventive")
        self.assertEqual((pm.interval, pm.interval_step), (2, "year"))
        qc_ops = self.operations_of(device).filtered(
            lambda r: r.operation_nature == "qc_internal"
        )
        self.assertEqual(qc_ops.mapped("request_date"), [self.qc_last, newer])
        self.assertEqual(qc_ops[-1].operation_result, "non_compliant")

    def test_the_model_s_plan_gets_the_last_operation(self):
        """A device of a model with a plan of that nature: the row's plan is
        the model's, not a second one; it keeps following the model while the
        periodicity is the same."""
        model_plan = self.env["maintenance.plan"].with_user(self.users["engineer"])
        model_plan = model_plan.create(
            {
                "name": "Manufacturer's yearly maintenance",
                "dm_model_name": "SP-IMPORT",
                "dm_nature": "preventive",
                "interval": 1,
                "interval_step": "year",
                "dm_performer": "internal",
            }
        )
        no_qc = {"Périodicité CQ": "", "Date dernier CQ": "", "Résultat CQ": ""}
        self.import_rows([self.plan_row("PL-1", **no_qc)])
        self.assertEqual(self.error_lines(self.Import.search([], limit=1)).ids, [])
        device = self.devices("PL-1")
        pm = self.plans_of(device)
        self.assertEqual(pm.dm_model_plan_id, model_plan)
        self.assertFalse(pm.dm_overridden)
        self.assertEqual(pm.start_maintenance_date, self.pm_last)
        self.assertEqual(
            self.operations_of(device).maintenance_plan_id, pm, "one operation, PM's"
        )

    def test_the_sample_files_plans(self):
        """data/samples: a PM pair and a QC pair (data/make_samples.py), as
        text in the CSV and as Excel numbers and dates in the XLSX."""
        for name in ("gmao_export_fr_sample.csv", "gmao_export_fr_sample.xlsx"):
            path = SAMPLES / name
            if not path.exists():
                self.skipTest("the repository's data/samples folder is not here")
            with self.subTest(name=name):
                record = self.run_import(path.read_bytes(), name)
                self.assertEqual(
                    self.errors(record), [(14, "N° série"), (18, "UDI"), (22, "Classe")]
                )
                dialysis = self.devices("DIAL-5008-3310")
                plans_ = {p.dm_nature: p for p in self.plans_of(dialysis)}
                self.assertEqual(
                    {n: (p.interval, p.interval_step) for n, p in plans_.items()},
                    {"preventive": (6, "month"), "qc_internal": (1, "year")},
                )
                qc = self.operations_of(dialysis).filtered(
                    lambda r: r.operation_nature == "qc_internal"
                )
                self.assertEqual(
                    (qc.request_date.isoformat(), qc.operation_result),
                    ("2025-02-15", "non_compliant"),
                )
                monitor = self.plans_of(self.devices("MON-IV-7731"))
                self.assertEqual((monitor.interval, monitor.interval_step), (2, "year"))
                self.assertFalse(self.plans_of(self.devices("LIT-MED-2231")))

    # ------------------------------------------------------------ errors
    def test_bad_cells_reject_their_row_with_its_number(self):
        future = self.today + timedelta(days=30)
        rows = [
            self.plan_row("PL-OK"),
            self.plan_row("PL-BAD-PERIOD", **{"Périodicité MP": "quand il faut"}),
            self.plan_row("PL-BAD-DATE", **{"Date dernier CQ": "31/02/2025"}),
            self.plan_row("PL-FUTURE", **{"Dernière maintenance": french(future)}),
            self.plan_row("PL-NO-PERIOD", **{"Périodicité CQ": ""}),
            self.plan_row("PL-BAD-RESULT", **{"Résultat CQ": "bof"}),
        ]
        record = self.import_rows(rows)
        self.assertEqual(record.state, "done")
        self.assertEqual(
            self.errors(record),
            [
                (3, "Périodicité MP"),
                (4, "Date dernier CQ"),
                (5, "Dernière maintenance"),
                (6, "Date dernier CQ"),
                (7, "Résultat CQ"),
            ],
        )
        messages = self.error_lines(record).mapped("message")
        self.assertIn("quand il faut is not a periodicity", messages[0])
        self.assertIn("31/02/2025 is not a date", messages[1])
        self.assertIn("is a date to come", messages[2])
        self.assertIn("without its periodicity", messages[3])
        self.assertIn("Unknown result bof", messages[4])
        # Nothing of a rejected row: no device, no plan, no operation.
        self.assertEqual(
            self.devices(*[r["N° série"] for r in rows]).mapped("serial_no"), ["PL-OK"]
        )
        self.assertEqual(record.failed_count, 5)

    def test_a_plan_the_server_refuses_leaves_nothing_of_its_row(self):
        """A device in service whose QC is obligatory (a mammograph, ANSM: a
        monthly internal control): a row making its control quarterly is
        refused by the plans' gate, and its other cells are not written."""
        device = self.Equipment.sudo().create(
            {
                "name": "Mammograph",
                "serial_no": "PL-MG",
                "is_medical_device": True,
                "is_ionising": True,
                "imaging_modality": "mammography",
                "lifecycle_state": "in_service",
                "location": "Imagerie",
            }
        )
        self.env["maintenance.plan"].sudo().create(
            {
                "name": "Internal QC",
                "equipment_id": device.id,
                "dm_nature": "qc_internal",
                "interval": 1,
                "interval_step": "month",
                "dm_performer": "internal",
            }
        )
        row = self.plan_row(
            "PL-MG",
            **{
                "Service": "Radiologie",
                "Périodicité MP": "",
                "Dernière maintenance": "",
                "Périodicité CQ": "3 mois",
            },
        )
        record = self.import_rows([row, self.plan_row("PL-OK")])
        self.assertEqual(self.errors(record), [(2, "")])
        self.assertIn("internal quality control", self.error_lines(record).message)
        device.invalidate_recordset()
        self.assertEqual(device.location, "Imagerie")
        plan = self.plans_of(device)
        self.assertEqual((plan.interval, plan.interval_step), (1, "month"))
        self.assertFalse(self.operations_of(device))
        self.assertTrue(self.plans_of(self.devices("PL-OK")))

    # ------------------------------------------------------------ speed
    def test_plan_queries_do_not_grow_per_row(self):
        """A batch of rows with two plans and two last operations each costs
        a few queries more than a smaller one, not a few per row."""

        def queries(prefix, count):
            rows = [self.plan_row(f"{prefix}{i}") for i in range(count)]
            record = self.new_import(to_csv(rows, PLAN_HEADERS), batch_size=100)
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            record.action_import()
            self.env.flush_all()
            self.assertEqual(record.created_count, count)
            return self.env.cr.sql_log_count - before

        queries("PQ-W", 5)  # warm the partners and the category
        small, large = queries("PQ-S", 10), queries("PQ-L", 40)
        self.assertLess(large - small, 60, f"10 rows: {small}, 40 rows: {large}")
