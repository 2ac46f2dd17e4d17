"""Multi-company: a user of hospital A never sees or learns anything of hospital B.

Registry-driven: every model of the three addons (and the core equipment and
maintenance requests) that has a ``company_id`` field, or a required Many2one
to a model that has one, must either have records of company B built below
(``_build_company``) or be listed in ``EXCUSED`` with the reason. Each role
of company A then probes B's records through every channel a client has:
search, search_count, read, read_group, name_search, export_data, a hostile
``allowed_company_ids``, the chatter (messages, attachments, activities), the
QWeb reports, the exports of the suite (IT hand-over, HAS mapping, fleet-import
error report), the fleet import's messages, the approvals' activities and the
daily jobs' notifications, and the dashboards' aggregates. The same records
built in company A then try to link to B's (``check_company``) and to move
under B's parents.

A probe that finds something of B is a leak: all of them are collected, counted
in the ``multi_company`` figure and reported together.
"""

import base64
import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import psycopg2

from odoo import fields
from odoo.addons.dm_cyber.controllers.main import (
    IT_QUERIES,
    cyber_matrix_rows,
    it_query_domain,
)
from odoo.addons.medical_device.tests.common import ROLE_GROUPS as ROLES
from odoo.addons.medical_device.tests.figures import record_figure
from odoo.addons.medical_device.tests.test_fleet_import import device_row, to_csv
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user
from odoo.tools import mute_logger

ADDONS = ("medical_device", "dm_cyber", "dm_software", "dm_cyber_software")
CORE_MODELS = ("maintenance.equipment", "maintenance.request")
# A word found in every name, reference and note of company B: finding it in
# anything a user of A receives is a leak.
SECRET = "Zorglub"
MDS2_SAMPLE = (
    Path(__file__).resolve().parent.parent
    / "addons/dm_cyber/data/samples/mds2/volumat8_mds2_hn1-2019.xlsx"
)
# Models in scope that hold no record of B the test can probe, and why.
EXCUSED = {
    "dm.software.install.wizard": "transient wizard: Odoo's transient models "
    "show a wizard to its creator only (create_uid rule of models.TransientModel)",
    "dm.software.qualification.wizard": "transient wizard: Odoo's transient "
    "models show a wizard to its creator only",
    "res.config.settings": "transient settings wizard of the administrator "
    "(base.group_system); it writes the current company's settings",
}
# Users written by the server as the record of who acted (not assigned by a
# client, so not checked against the record's company): a user who works for
# several hospitals acts in each of them.
STAMPS = {
    ("dm.reception", "received_by_id"),
    ("dm.software", "requested_by_id"),
    ("dm.software.qc.record", "checked_by_id"),
    ("dm.software.qualification", "answered_by_id"),
    ("dm.software.qualification", "confirmed_by_id"),
}
# Core fields of a core model the addons extend (res.partner: medical_device
# limits what the engineer's create right on contacts gives), whose company
# checks are core's: not the addons' links.
CORE_LINKS = {
    ("res.partner", "parent_id"): "core's contact hierarchy, not company-checked "
    "by core; the engineer creates no contact with a parent",
}
# Refusals a probe may meet: the record rule or the access rights said no.
REFUSED = (AccessError,)


class TestMultiCompany(TransactionCase):
    # Outside odoo.addons, Odoo's test case gets no default tags.
    test_tags = {"standard", "post_install"}
    test_module = "dm_multi_company"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": f"Clinique {SECRET}"})
        cls.users = {
            role: new_test_user(
                cls.env,
                login=f"mc_a_{role}",
                groups=group,
                company_id=cls.company_a.id,
                company_ids=[(6, 0, cls.company_a.ids)],
            )
            for role, group in ROLES.items()
        }
        cls.user_b = new_test_user(
            cls.env,
            login="mc_b_all_roles",
            name=f"{SECRET} engineer",
            groups=",".join(
                ROLES[role] for role in ("engineer", "pharmacist", "rssi", "dpo")
            ),
            company_id=cls.company_b.id,
            company_ids=[(6, 0, cls.company_b.ids)],
        )
        cls.os_version = cls.env["dm.os.version"].create(
            {
                "vendor": "Microsoft",
                "product": "Windows",
                "version": "MC-XP",
                "end_of_support": fields.Date.today() - timedelta(days=400),
            }
        )
        cls.b = cls._build_company(cls.company_b, cls.user_b, SECRET, "ZORG")
        cls.device_b = cls.b["maintenance.equipment"][0]
        cls.partner_b = cls.b["res.partner"]
        cls.category_b = cls.b["maintenance.equipment.category"]
        # The same records in company A, to point at B's from A's side.
        cls.user_a = new_test_user(
            cls.env,
            login="mc_a_all_roles",
            groups=",".join(
                ROLES[role] for role in ("engineer", "pharmacist", "rssi", "dpo")
            ),
            company_id=cls.company_a.id,
            company_ids=[(6, 0, cls.company_a.ids)],
        )
        cls.a = cls._build_company(cls.company_a, cls.user_a, "Alpha", "ALFA")
        # A category shared by both hospitals, with a device of each.
        cls.shared_category = cls.env["maintenance.equipment.category"].create(
            {"name": "Shared category", "company_id": False}
        )
        for devices in (cls.a["maintenance.equipment"], cls.b["maintenance.equipment"]):
            devices[1].category_id = cls.shared_category
        cls.leaks = []
        cls.probes = 0

    # ------------------------------------------------------------ company B
    @classmethod
    def _build_company(cls, company, user, label, prefix):
        """Records of ``company`` for every model in scope, built as a hospital
        would: its own partners, categories, devices, documents, chatter;
        ``label`` is in every name, ``prefix`` starts every serial number."""
        env = cls.env(context=dict(cls.env.context, allowed_company_ids=company.ids))
        b = {}
        company = company.id
        partner = env["res.partner"].create(
            {"name": f"{label} Medical SA", "is_company": True, "company_id": company}
        )
        b["res.partner"] = partner
        b["maintenance.equipment.category"] = env[
            "maintenance.equipment.category"
        ].create({"name": f"{label} scanners", "company_id": company})
        Equipment = env["maintenance.equipment"]
        common = {
            "company_id": company,
            "is_medical_device": True,
            "dm_kind": "dm",
            "manufacturer_id": partner.id,
            "category_id": b["maintenance.equipment.category"].id,
            "location": f"{label} radiology",
            "is_connected": True,
            "os_version_id": cls.os_version.id,
            "patient_data": True,
            "remote_maintenance_channel": "supplier_vpn",
            "ce_certificate_expiry": fields.Date.today() + timedelta(days=20),
        }
        devices = Equipment.create(
            [
                {
                    **common,
                    "name": f"{label} CT scanner",
                    "serial_no": f"{prefix}-0001",
                    "udi_carrier": f"(01)03760123450010(10){prefix}LOT(21){prefix}1",
                },
                {
                    **common,
                    "name": f"{label} CT scanner 2",
                    "serial_no": f"{prefix}-0002",
                    "udi_carrier": f"(01)03760123450010(10){prefix}LOT(21){prefix}2",
                },
            ]
        )
        b["maintenance.equipment"] = devices
        team = b["maintenance.team"] = env["maintenance.team"].create(
            {"name": f"{label} team", "company_id": company}
        )
        b["maintenance.request"] = env["maintenance.request"].create(
            {
                "name": f"{label} tube replacement",
                "equipment_id": devices[0].id,
                "maintenance_team_id": team.id,
                "company_id": company,
                "maintenance_type": "corrective",
            }
        )
        b["dm.reception"] = env["dm.reception"].create(
            {"equipment_id": devices[0].id, "received_by_id": user.id}
        )
        # A device's plan done by the company's contractor, and a plan of a
        # device model of the company (issue 14).
        b["maintenance.plan"] = env["maintenance.plan"].create(
            [
                {
                    "name": f"{label} yearly maintenance",
                    "equipment_id": devices[0].id,
                    "company_id": company,
                    "dm_nature": "preventive",
                    "maintenance_team_id": team.id,
                    "dm_performer": "contractor",
                    "dm_contractor_id": partner.id,
                },
                {
                    "name": f"{label} model quality control",
                    "dm_model_name": f"{label} model",
                    "dm_model_manufacturer_id": partner.id,
                    "company_id": company,
                    "dm_nature": "qc_internal",
                    "dm_performer": "internal",
                },
            ]
        )
        # A QC plan with its test, a control with its measure, and an
        # engineer's override of the overdue control (issue 14).
        qc_plan = env["maintenance.plan"].create(
            {
                "name": f"{label} internal QC",
                "equipment_id": devices[0].id,
                "company_id": company,
                "dm_nature": "qc_internal",
                "maintenance_team_id": team.id,
                "dm_performer": "internal",
            }
        )
        b["dm.qc.test"] = env["dm.qc.test"].create(
            {
                "plan_id": qc_plan.id,
                "name": f"{label} dose",
                "reference": 1.0,
                "tolerance": 0.1,
                "action_level": 0.2,
            }
        )
        control = env["maintenance.request"].create(
            {
                "name": f"{label} QC",
                "equipment_id": devices[0].id,
                "maintenance_plan_id": qc_plan.id,
                "maintenance_team_id": team.id,
            }
        )
        b["dm.qc.measure"] = env["dm.qc.measure"].create(
            {"request_id": control.id, "test_id": b["dm.qc.test"].id, "value": 1.05}
        )
        b["dm.qc.override"] = env["dm.qc.override"].create(
            {"plan_id": qc_plan.id, "reason": f"{label} visit booked"}
        )
        # The company's register of trained users (issue 14): a session of
        # its device model with one of its employees.
        employee = env["hr.employee"].create(
            {"name": f"{label} nurse", "company_id": company}
        )
        b["dm.training.session"] = env["dm.training.session"].create(
            {
                "device_model": f"{label} model",
                "manufacturer_id": partner.id,
                "equipment_id": devices[0].id,
                "company_id": company,
                "trainer_kind": "supplier",
                "trainer_name": f"{label} trainer",
                "content": f"{label} alarms",
                "attendee_ids": [(6, 0, employee.ids)],
            }
        )
        b["dm.training.attendance"] = env["dm.training.attendance"].search(
            [("session_id", "=", b["dm.training.session"].id)]
        )
        # Matériovigilance (issue 15): a safety notice matched against the
        # company's fleet (its actions), and an incident on one of its devices.
        notice = env["dm.vigilance.notice"].create(
            {
                "name": f"{label} FSN-1",
                "company_id": company,
                "title": f"{label} recall",
                "manufacturer_id": partner.id,
                "required_action": "inspect",
                "udi_di_list": "03760123450010",
            }
        )
        notice.action_match()
        b["dm.vigilance.notice"] = notice
        b["dm.vigilance.action"] = notice.action_ids
        b["dm.vigilance.incident"] = env["dm.vigilance.incident"].create(
            {
                "equipment_id": devices[0].id,
                "description": f"{label} alarm did not sound",
                "patient_consequence": "none",
            }
        )
        disposal = env["dm.disposal"].create({"equipment_id": devices[1].id})
        b["dm.disposal"] = disposal
        # A daily job's digest of the company's devices (issue 13).
        b["dm.activity.digest"] = env["dm.activity.digest"].create(
            {
                "kind": "ce_deadline",
                "company_id": company,
                "site": f"{label} radiology",
                "device_ids": [(6, 0, devices.ids)],
                "device_count": len(devices),
            }
        )
        b["dm.erasure.medium"] = env["dm.erasure.medium"].create(
            {"disposal_id": disposal.id}
        )
        b["dm.remote.agreement"] = env["dm.remote.agreement"].create(
            {
                "name": f"{label} remote contract",
                "supplier_id": partner.id,
                "channel": env["dm.remote.agreement"]
                ._fields["channel"]
                .get_values(env)[0],
                "date_end": fields.Date.today() + timedelta(days=300),
                "company_id": company,
            }
        )
        b["dm.remote.session"] = env["dm.remote.session"].create(
            {
                "equipment_id": devices[0].id,
                "technician_name": f"{label} technician",
                "reason": f"{label} calibration",
            }
        )
        # A device's vulnerability (issue 16): the CVE and the advisory are
        # public reference data, the line is the hospital's.
        cve = env["dm.cve"].create({"name": f"CVE-2099-{prefix}1"})
        advisory = env["dm.advisory"].create(
            {"name": f"ADV-{prefix}", "cve_ids": [(6, 0, cve.ids)]}
        )
        b["dm.vulnerability"] = env["dm.vulnerability"].create(
            {
                "equipment_id": devices[0].id,
                "cve_id": cve.id,
                "advisory_id": advisory.id,
                "status": "mitigated",
                "status_note": f"{label} isolated in its VLAN",
            }
        )
        # Continuity when a cyberattack hits (issue 16): a plan of a device in
        # a service (whose continuity sheet is printed) and one of a model.
        department = env["hr.department"].create(
            {"name": f"{label} imaging", "company_id": company}
        )
        devices[0].write(
            {"equipment_assign_to": "department", "department_id": department.id}
        )
        b["hr.department"] = department
        b["dm.continuity.plan"] = env["dm.continuity.plan"].create(
            [
                {
                    "name": f"{label} CT continuity",
                    "equipment_id": devices[0].id,
                    "degraded_mode": f"{label} partner hospital",
                    "fallback_equipment_ids": [(6, 0, devices[1].ids)],
                    "restorer_partner_id": partner.id,
                    "company_id": company,
                },
                {
                    "name": f"{label} model continuity",
                    "dm_model_name": f"{label} model",
                    "dm_model_manufacturer_id": partner.id,
                    "company_id": company,
                },
            ]
        )
        campaign = env["dm.cyber.campaign"].create(
            {"name": f"{label} patch campaign", "company_id": company}
        )
        b["dm.cyber.campaign"] = campaign
        b["dm.cyber.campaign.line"] = env["dm.cyber.campaign.line"].create(
            {"campaign_id": campaign.id, "equipment_id": devices[0].id}
        )
        # The device's MDS2 form read into proposals for its matrix (issue 16).
        devices[0].write(
            {
                "mds2_document": base64.b64encode(MDS2_SAMPLE.read_bytes()),
                "mds2_filename": f"{label} MDS2.xlsx",
            }
        )
        b["dm.mds2.proposal"] = devices[0]._mds2_read()
        software = env["dm.software"].create(
            {
                "name": f"{label} AI triage",
                "company_id": company,
                "is_medical_device": True,
                "intended_purpose": f"{label} purpose",
                "referent_id": user.id,
            }
        )
        b["dm.software"] = software
        version = env["dm.software.version"].create(
            {"software_id": software.id, "version": f"9.9-{prefix}"}
        )
        b["dm.software.version"] = version
        site = env["dm.software.site"].create(
            {"name": f"{label} site", "company_id": company}
        )
        b["dm.software.site"] = site
        b["dm.software.install"] = env["dm.software.install"].create(
            {
                "version_id": version.id,
                "software_id": software.id,
                "site_id": site.id,
                "install_date": fields.Date.today(),
                "mode": env["dm.software.install"]._fields["mode"].get_values(env)[0],
                "state": env["dm.software.install"]._fields["state"].get_values(env)[0],
            }
        )
        b["dm.software.qualification"] = env["dm.software.qualification"].create(
            {"software_id": software.id}
        )
        plan = env["dm.software.qc.plan"].create(
            {
                "name": f"{label} QC plan",
                "software_id": software.id,
                "method": f"{label} method",
                "responsible_id": user.id,
            }
        )
        b["dm.software.qc.plan"] = plan
        b["dm.software.qc.record"] = env["dm.software.qc.record"].create(
            {"plan_id": plan.id, "cases_checked": 3, "checked_by_id": user.id}
        )
        # SBOMs (issue 16): a device's, a device model's and, with the
        # software bridge, a software version's; their components name B.
        sbom_file = base64.b64encode(
            json.dumps(
                {
                    "bomFormat": "CycloneDX",
                    "specVersion": "1.5",
                    "version": 1,
                    "components": [
                        {
                            "type": "firmware",
                            "name": f"{label} firmware",
                            "version": "1.0",
                            "supplier": {"name": f"{label} Medical SA"},
                            "purl": f"pkg:generic/{prefix.lower()}-firmware@1.0",
                        }
                    ],
                }
            ).encode()
        )
        sbom_vals = [
            {"name": f"{label} CT SBOM", "equipment_id": devices[0].id},
            {
                "name": f"{label} model SBOM",
                "dm_model_name": f"{label} model",
                "dm_model_manufacturer_id": partner.id,
                "company_id": company,
            },
        ]
        if "software_version_id" in env["dm.sbom"]._fields:
            sbom_vals.append(
                {
                    "name": f"{label} software SBOM",
                    "software_version_id": version.id,
                    "company_id": company,
                }
            )
        b["dm.sbom"] = env["dm.sbom"].create(
            [
                {**vals, "document": sbom_file, "filename": f"{label}.cdx.json"}
                for vals in sbom_vals
            ]
        )
        b["dm.sbom.component"] = b["dm.sbom"].component_ids
        mapping = env["dm.import.mapping"].create(
            {"name": f"{label} CMMS", "company_id": company}
        )
        b["dm.import.mapping"] = mapping
        b["dm.import.mapping.line"] = env["dm.import.mapping.line"].create(
            {
                "mapping_id": mapping.id,
                "source_header": f"{label} serial",
                "target_field": "serial_no",
            }
        )
        # A fleet import run by B's engineer: one row rejected, so it has error
        # lines and an error report that name B's values.
        fleet_import = (
            env["dm.fleet.import"]
            .with_user(user)
            .create(
                {
                    "file": base64.b64encode(
                        to_csv(
                            [
                                device_row(
                                    f"{prefix}-0003", Désignation=f"{label} pump", I="9"
                                )
                            ]
                        )
                    ),
                    "filename": f"{label}.csv",
                }
            )
        )
        fleet_import.action_import()
        b["dm.fleet.import"] = fleet_import.sudo(False).with_user(cls.env.user)
        b["dm.fleet.import.error"] = fleet_import.sudo().error_ids
        # Approvals requested by B on a device whose data go to a cloud: lines,
        # and activities for the deciding role.
        cloud = Equipment.create(
            {
                **common,
                "name": f"{label} cloud monitor",
                "serial_no": f"{prefix}-0004",
                "data_hosting": "cloud",
                "dpa_reference": f"{label}-DPA",
                "hds_certified": True,
                "data_retention": "20 years",
            }
        )
        b["maintenance.equipment"] |= cloud
        cloud.with_user(user).action_request_approvals()
        b["dm.approval"] = env["dm.approval"].search(
            [("res_model", "=", cloud._name), ("res_id", "=", cloud.id)]
        )
        # The dashboard's rows are the devices.
        b["dm.criticality.report"] = env["dm.criticality.report"].search(
            [("equipment_id", "in", b["maintenance.equipment"].ids)]
        )
        # Chatter of the records: a note and an attachment on each.
        for records in b.values():
            record = records[:1]
            if hasattr(record, "message_post"):
                record.message_post(
                    body=f"{label} internal note",
                    subtype_xmlid="mail.mt_note",
                    author_id=user.partner_id.id,
                )
            if record._auto:
                env["ir.attachment"].create(
                    {
                        "name": f"{label}.txt",
                        "raw": f"{label} file".encode(),
                        "res_model": record._name,
                        "res_id": record.id,
                    }
                )
        return {name: records.sudo() for name, records in b.items()}

    # ------------------------------------------------------------ scope
    @classmethod
    def _models_in_scope(cls):
        """Models of the three addons (and the core equipment and requests) with
        a company_id field or a required Many2one to a model that has one."""
        names = set(CORE_MODELS)
        for model in cls.env["ir.model"].sudo().search([]):
            if set((model.modules or "").split(", ")) & set(ADDONS):
                names.add(model.model)
        scope = set()
        for name in names:
            Model = cls.env[name]
            if Model._abstract:
                continue
            if "company_id" in Model._fields or any(
                field.type == "many2one"
                and field.required
                and "company_id" in cls.env[field.comodel_name]._fields
                and field.comodel_name not in ("res.company", "res.users")
                for field in Model._fields.values()
            ):
                scope.add(name)
        return scope

    def leak(self, channel, role, model, detail=""):
        self.leaks.append(f"{channel} as {role} on {model}: {detail}")

    def probe(self):
        type(self).probes += 1

    # ------------------------------------------------------------ the test
    def test_company_a_never_sees_company_b(self):
        scope = self._models_in_scope()
        missing = sorted(scope - set(self.b) - set(EXCUSED))
        self.assertFalse(
            missing,
            "models with a company but no records of company B in this test: "
            "build some in _build_company or excuse them in EXCUSED",
        )
        self.assertFalse(set(EXCUSED) - scope, "excused models left the scope")
        for name, records in self.b.items():
            self.assertTrue(records, f"no record of company B for {name}")
        self._check_b_records_are_of_b()

        for role, user in self.users.items():
            for name in sorted(self.b):
                self._probe_model(role, user, name)
            self._probe_reports(role, user)
            self._probe_exports(role, user)
            self._probe_aggregates(role, user)
        self._probe_links()
        self._probe_fleet_import()
        self._probe_notifications()

        record_figure(
            "multi_company",
            models=len(scope & set(self.b)),
            excused=len(EXCUSED),
            roles=len(self.users),
            probes=self.probes,
            leaks_found=len(self.leaks),
        )
        self.assertFalse(self.leaks, "\n".join(self.leaks))

    def _check_b_records_are_of_b(self):
        for name, records in self.b.items():
            if "company_id" in records._fields:
                companies = records.mapped("company_id")
            else:
                parent = next(
                    f
                    for f in records._fields.values()
                    if f.type == "many2one" and f.required
                )
                companies = records.mapped(f"{parent.name}.company_id")
            self.assertEqual(companies, self.company_b, name)

    # ------------------------------------------------------------ channels
    def _probe_model(self, role, user, name):
        records = self.b[name]
        ids = records.ids
        Model = self.env[name].with_user(user).with_context(active_test=False)
        domain = [("id", "in", ids)]

        def invisible(channel, call, empty, refused=REFUSED):
            self.probe()
            try:
                result = call()
            except refused:
                return
            if not empty(result):
                self.leak(channel, role, name, repr(result)[:200])

        invisible("search", lambda: Model.search(domain), lambda r: not r)
        invisible("search_count", lambda: Model.search_count(domain), lambda r: r == 0)
        invisible(
            "read", lambda: Model.browse(ids).read(["display_name"]), lambda r: not r
        )
        invisible(
            "read_group",
            lambda: Model._read_group(domain, [], ["__count"]),
            lambda r: r[0][0] == 0,
        )
        if "company_id" in Model._fields and Model._fields["company_id"].store:
            invisible(
                "read_group by company",
                lambda: Model._read_group([], ["company_id"], ["__count"]),
                lambda r: self.company_b not in {company for company, _c in r},
            )
        invisible(
            "formatted_read_group",
            lambda: Model.formatted_read_group(domain, [], ["__count"]),
            lambda r: r[0]["__count"] == 0,
        )
        label = records[:1].display_name or SECRET
        invisible(
            "name_search",
            lambda: Model.name_search(label, limit=None),
            lambda r: not {i for i, _n in r} & set(ids),
        )
        invisible(
            "export_data",
            lambda: Model.browse(ids).export_data(["display_name"]),
            lambda r: not r.get("datas"),
            # Refused too: a user without Odoo's export right exports nothing.
            refused=(AccessError, UserError),
        )
        invisible(
            "hostile allowed_company_ids",
            lambda: Model.with_context(
                allowed_company_ids=[self.company_a.id, self.company_b.id]
            ).search(domain),
            lambda r: not r,
        )
        # The chatter of B's records.
        for chatter, res_model in (
            ("mail.message", "model"),
            ("ir.attachment", "res_model"),
            ("mail.activity", "res_model"),
        ):
            invisible(
                chatter,
                lambda chatter=chatter, res_model=res_model: (
                    self.env[chatter]
                    .with_user(user)
                    .search([(res_model, "=", name), ("res_id", "in", ids)])
                ),
                lambda r: not r,
            )

    def _probe_reports(self, role, user):
        """Every QWeb report of the addons, rendered as A's user for B's
        records: refused."""
        reports = self.env["ir.actions.report"].search([("model", "in", list(self.b))])
        reports = reports.filtered(
            lambda r: r.get_external_id()[r.id].split(".")[0] in ADDONS
        )
        self.assertTrue(reports, "the reception and erasure reports exist")
        for report in reports:
            self.probe()
            try:
                html, _kind = (
                    self.env["ir.actions.report"]
                    .with_user(user)
                    ._render_qweb_html(report.report_name, self.b[report.model].ids)
                )
            except REFUSED:
                continue
            if SECRET.encode() in html:
                self.leak("report", role, report.report_name, "rendered")

    def _probe_exports(self, role, user):
        env = self.env(user=user)
        b_devices = set(self.b["maintenance.equipment"].ids)
        for query in (None, *IT_QUERIES):
            self.probe()
            try:
                rows = cyber_matrix_rows(env, it_query_domain(query))
            except REFUSED:
                # Only the IT hand-over group (the RSSI here) reads it.
                self.assertFalse(user.has_group("dm_cyber.group_dm_it_handover"))
                continue
            if b_devices & {row["id"] for row in rows} or SECRET in repr(rows):
                self.leak("IT hand-over", role, query or "all", "B's devices")
        # The HAS mapping of every software in use, and of B's software.
        Software = self.env["dm.software"].with_user(user)
        self.probe()
        try:
            action = Software.action_export_has_mapping()
        except REFUSED:
            pass
        else:
            if SECRET.encode() in self._attachment_text(action):
                self.leak("HAS mapping export", role, "dm.software", "B's software")
        for method, records in (
            ("action_export_has_mapping", self.b["dm.software"]),
            ("action_download_error_report", self.b["dm.fleet.import"]),
        ):
            self.probe()
            try:
                getattr(records.with_user(user).sudo(False), method)()
            except REFUSED:
                continue
            self.leak(method, role, records._name, "B's record exported")

    def _attachment_text(self, action):
        attachment_id = int(action["url"].split("/web/content/")[1].split("?")[0])
        raw = self.env["ir.attachment"].browse(attachment_id).raw
        with zipfile.ZipFile(io.BytesIO(raw)) as book:
            return b"".join(book.read(name) for name in book.namelist())

    def _probe_aggregates(self, role, user):
        """Figures computed over many records count A's records only."""
        # Computed as a request would: nothing another user computed is cached.
        self.env.invalidate_all()
        a_devices = self.env["maintenance.equipment"].search_count(
            [
                ("company_id", "=", self.company_a.id),
                ("is_medical_device", "=", True),
            ]
        )
        Report = self.env["dm.criticality.report"].with_user(user)
        self.probe()
        try:
            [(total,)] = Report._read_group([], [], ["device_count:sum"])
        except REFUSED:
            total = None
        if total is not None and total > a_devices:
            self.leak("dashboard total", role, Report._name, f"{total} > {a_devices}")
        # The criticality dashboard: every figure, total and bar opens (and
        # counts) records of A only.
        self.probe()
        try:
            panels = self.env["dm.dashboard"].with_user(user).get_panels()
        except REFUSED:
            panels = []
        b_ids = {
            name: set(records.ids)
            for name, records in self.b.items()
            if name in ("maintenance.equipment", "maintenance.request")
        }
        for panel in panels:
            # (action, count shown): a count must be that of the records the
            # user reads, else it counts records the user cannot see.
            shown = [
                (f["action"], f["value"] if f["unit"] == "count" else None)
                for f in panel["figures"]
            ]
            if panel["total"]:
                shown.append((panel["total"]["action"], panel["total"]["value"]))
            chart = panel["chart"] or {"actions": [], "values": []}
            shown += zip(chart["actions"], chart["values"], strict=True)
            for action, count in shown:
                self.probe()
                model = action["res_model"]
                found = self.env[model].with_user(user).search(action["domain"])
                if set(found.ids) & b_ids.get(model, set()) or (
                    count is not None and count != len(found)
                ):
                    self.leak("dashboard", role, model, action["name"])
        # The OS versions are shared reference data: their device count is the
        # user's company's.
        a_count = self.env["maintenance.equipment"].search_count(
            [
                ("company_id", "=", self.company_a.id),
                ("os_version_id", "=", self.os_version.id),
            ]
        )
        self.assertTrue(a_count)
        self.probe()
        try:
            count = self.os_version.with_user(user).equipment_count
        except REFUSED:
            count = 0
        if count > a_count:
            self.leak("OS device count", role, "dm.os.version", f"{count} devices")
        self.probe()
        try:
            count = self.shared_category.with_user(user).equipment_count
        except REFUSED:
            count = 0
        if count > 1:
            self.leak("category device count", role, "category", f"{count} devices")

    # ------------------------------------------------------------ links
    @staticmethod
    def _company_source(Model):
        """The field a model takes its company from (its parent), if any."""
        company = Model._fields.get("company_id")
        if company is not None:
            return company.related.split(".")[0] if company.related else None
        return next(
            (
                f.name
                for f in Model._fields.values()
                if f.type == "many2one" and f.required
            ),
            None,
        )

    def _try_write(self, record, fname, value):
        """Whether ``record.write({fname: value})`` is accepted; undone."""

        class Undo(Exception):
            pass

        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                record.write({fname: value})
                record.flush_recordset()
                raise Undo
        except Undo:
            return True
        except (AccessError, UserError, ValidationError, psycopg2.IntegrityError):
            return False
        finally:
            self.env.invalidate_all()

    def _probe_links(self):
        """No record of A can point at a record of B (``check_company``): the
        name of what it points at would be shown to A's users. Tried as the
        superuser, as server code (imports, wizards) writes: the ORM refuses.
        A record cannot be moved under B's parent by A's users either."""
        scope = self._models_in_scope()
        for name, records in self.a.items():
            record = records[:1]
            if name not in scope or not record._auto:
                continue  # core helpers; a report of SQL views is not written
            source = self._company_source(record)
            for field in record._fields.values():
                target = self.b.get(field.comodel_name)
                if field.comodel_name == "res.users":
                    # The users a client assigns (responsible, referent…) are
                    # notified of the record: B's user cannot be one of A's.
                    assigned = (
                        field._module in ADDONS
                        and not field.readonly
                        and (name, field.name) not in STAMPS
                    )
                    target = self.user_b if assigned else None
                if (
                    field.type not in ("many2one", "many2many")
                    or target is None
                    or not field.store
                    or field.related
                    or field.name == "company_id"
                    or (field.compute and not field.inverse)
                    or (name, field.name) in CORE_LINKS
                ):
                    continue
                value = target[:1].id
                if field.type == "many2many":
                    value = [(4, value)]
                if field.name == source:
                    # The parent: as A's users, the record may not go to B.
                    for role, user in self.users.items():
                        self.probe()
                        if self._try_write(record.with_user(user), field.name, value):
                            self.leak("moved to B", role, name, field.name)
                    continue
                self.probe()
                if self._try_write(record, field.name, value):
                    self.leak("check_company", "superuser", name, field.name)

    # ------------------------------------------------------------ fleet import
    def _probe_fleet_import(self):
        """A's engineer imports rows naming B's serial, manufacturer, category
        and UDI lot: B's records are never used nor disclosed."""
        engineer = self.users["engineer"]
        Import = self.env["dm.fleet.import"].with_user(engineer)
        row_lot = device_row(
            "",
            UDI="(01)03760123450010(10)ZORGLOT",
            Désignation="Imported by A",
        )
        data = to_csv(
            [
                device_row("ZORG-0001", Désignation="Probe"),
                device_row(
                    "A-MC-0001",
                    Marque=self.partner_b.name,
                    Fournisseur=self.partner_b.name,
                    Catégorie=self.category_b.name,
                ),
                row_lot,
            ]
        )
        record = Import.create({"file": base64.b64encode(data), "filename": "a.csv"})
        record.action_import()
        record = record.sudo()
        texts = [record.log or "", *record.error_ids.mapped("message")]
        if record.error_report:
            texts.append(base64.b64decode(record.error_report).decode("utf-8-sig"))
        self.probe()
        if any(SECRET in text or self.company_b.name in text for text in texts):
            self.leak("import messages", "engineer", record._name, "\n".join(texts))
        imported = self.env["maintenance.equipment"].search(
            [("company_id", "=", self.company_a.id), ("serial_no", "=", "A-MC-0001")]
        )
        self.assertTrue(imported, texts)
        self.probe()
        if imported.manufacturer_id == self.partner_b:
            self.leak("import manufacturer lookup", "engineer", "res.partner", "")
        self.probe()
        if imported.category_id == self.category_b:
            self.leak("import category lookup", "engineer", "category", "")
        # B's devices of a UDI lot are not A's: the lot row creates A's device.
        self.probe()
        lot_device = self.env["maintenance.equipment"].search(
            [("company_id", "=", self.company_a.id), ("udi_lot", "=", "ZORGLOT")]
        )
        if not lot_device:
            self.leak("import UDI lot lookup", "engineer", "maintenance.equipment", "")
        self.probe()
        if (
            self.device_b.name != f"{SECRET} CT scanner"
            or self.device_b.company_id != self.company_b
        ):
            self.leak("import wrote B's device", "engineer", "maintenance.equipment")
        # B's column mapping cannot be used by A.
        self.probe()
        try:
            with self.env.cr.savepoint():
                Import.create(
                    {
                        "file": base64.b64encode(data),
                        "filename": "b.csv",
                        "mapping_id": self.b["dm.import.mapping"].id,
                    }
                ).action_import()
        except (AccessError, UserError, ValidationError):
            pass
        else:
            self.leak("import with B's mapping", "engineer", "dm.import.mapping")

    # ------------------------------------------------------------ notifications
    def _probe_notifications(self):
        """Approvals' activities, reminders and the daily jobs notify the users
        of B's company only: nothing of B reaches a user of A."""
        Approval = self.env["dm.approval"]
        lines = self.b["dm.approval"]
        lines.write({"requested_on": fields.Datetime.now() - timedelta(days=30)})
        Approval._cron_remind_pending()
        self.env["maintenance.equipment"]._cron_ce_deadlines()
        self.env["maintenance.equipment"]._cron_cyber_watch()
        self.env.flush_all()
        members_b = (
            self.env["res.users"]
            .with_context(active_test=False)
            .search([("company_ids", "in", self.company_b.ids)])
        )
        b_docs = {(name, i) for name, records in self.b.items() for i in records.ids}
        activities = self.env["mail.activity"].search(
            [("res_model", "in", list(self.b))]
        )
        for activity in activities:
            if (activity.res_model, activity.res_id) not in b_docs:
                continue
            self.probe()
            if activity.user_id not in members_b:
                self.leak(
                    "activity",
                    activity.user_id.login,
                    activity.res_model,
                    activity.summary,
                )
        # Every message that names B's data goes to B's users only.
        messages = self.env["mail.message"].search(
            [
                "|",
                ("body", "ilike", SECRET),
                ("subject", "ilike", SECRET),
            ]
        )
        self.assertTrue(messages)
        partners_b = members_b.partner_id
        for message in messages:
            self.probe()
            notified = message.partner_ids | message.notification_ids.res_partner_id
            outsiders = notified - partners_b
            if outsiders:
                self.leak(
                    "notification",
                    ",".join(outsiders.mapped("name")),
                    message.model or "mail.thread",
                    message.subject or message.body[:100],
                )
