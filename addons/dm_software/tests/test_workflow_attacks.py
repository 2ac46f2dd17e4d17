"""The software workflows attacked as the roles a hospital would fear: create
with hostile ``default_*`` context keys, write of every protected or computed
field, copy with ``default=``, unlink of history, actions as the wrong role.
Each attack is refused or changes nothing: the records are read back."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import AI_NODULE_DETECTOR, INSULIN_DOSE_CALCULATOR, SoftwareCase

# The roles a hospital fears, from the plain internal user to the engineer.
ROLES = ("technician", "pharmacist", "engineer", "auditor", "internal")
SOFTWARE_STATE = (
    "lifecycle_state",
    "qualification_state",
    "is_medical_device",
    "dm_risk_class",
    "qualification_id",
    "requalification_reason",
    "requalification_version_id",
    "in_use_since",
    "withdrawn_on",
    "current_version_id",
    "last_qc_record_id",
    "last_qc_result",
    "last_qc_date",
)


@tagged("post_install", "-at_install")
class TestWorkflowAttacks(SoftwareCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls.env["dm.software"].create({"name": "Other software"})
        cls.other_version = cls.env["dm.software.version"].create(
            {"software_id": cls.other.id, "version": "7.0"}
        )

    # ------------------------------------------------------------ helpers
    def read_back(self, record, fnames):
        record.invalidate_recordset()
        return {fname: record.sudo()[fname] for fname in fnames}

    def attempt(self, attack):
        """Run the attack; True when it was not refused (the caller then reads
        back that it changed nothing)."""
        try:
            with self.env.cr.savepoint():
                attack()
        except UserError:  # AccessError and ValidationError included
            return False
        return True

    def assert_refused(self, record, fnames, attack, msg=None):
        before = self.read_back(record, fnames)
        with self.assertRaises(UserError, msg=msg):
            attack()
        self.assertEqual(self.read_back(record, fnames), before, msg)

    def software_vals(self, **extra):
        return {
            "name": "Forged software",
            "publisher_id": self.publisher.id,
            "intended_purpose": "Flags chest X-rays with suspected nodules.",
            "referent_id": self.users["referent"].id,
            **extra,
        }

    def failed_control_software(self):
        software = self.software_in_use(contains_ai=True)
        plan = software.qc_plan_ids
        self.env["dm.software.qc.record"].with_user(self.users["referent"]).create(
            {"plan_id": plan.id, "cases_checked": 30, "discordances": 20}
        )
        software.with_user(self.users["referent"]).action_suspend()
        return software

    # ------------------------------------------------------------ software
    def test_software_created_with_hostile_defaults(self):
        qualification = self.qualify(self.create_software(), AI_NODULE_DETECTOR)
        hostile = {
            "default_qualification_state": "qualified",
            "default_is_medical_device": True,
            "default_dm_risk_class": "iii",
            "default_qualification_id": qualification.id,
            "default_in_use_since": "2020-01-01",
            "default_withdrawn_on": "2020-01-01",
            "default_requalification_reason": "forged",
            "default_current_version_id": self.other_version.id,
            "default_last_qc_result": "pass",
            "default_last_qc_date": "2020-01-01",
        }
        Software = self.env["dm.software"]
        for role in ROLES:
            # A software already in use: the forged default is dropped (or the
            # role may not create at all).
            forged = []
            if self.attempt(
                lambda role=role, forged=forged: forged.append(
                    Software.with_user(self.users[role])
                    .with_context(**hostile, default_lifecycle_state="in_use")
                    .create(self.software_vals())
                )
            ):
                self.assertEqual(forged[0].lifecycle_state, "request", role)
            # The other keys are dropped.
            created = []
            allowed = self.attempt(
                lambda role=role, created=created: created.append(
                    Software.with_user(self.users[role])
                    .with_context(**hostile)
                    .create(self.software_vals())
                )
            )
            self.assertEqual(allowed, role in ("technician", "pharmacist", "engineer"))
            if allowed:
                software = created[0]
                self.assertEqual(
                    (software.lifecycle_state, software.qualification_state),
                    ("request", "to_qualify"),
                    role,
                )
                for fname in SOFTWARE_STATE[2:]:
                    self.assertFalse(software[fname], f"{role} {fname}")

    def test_software_protected_and_computed_fields(self):
        software = self.failed_control_software()
        self.assertEqual(software.last_qc_result, "fail")
        qualification = software.qualification_id
        forged = (
            {"lifecycle_state": "in_use"},
            {"qualification_state": "to_qualify"},
            {"is_medical_device": False},
            {"dm_risk_class": "i"},
            {"qualification_id": False},
            {"requalification_reason": "forged"},
            {"requalification_version_id": self.other_version.id},
            {"in_use_since": "2020-01-01"},
            {"withdrawn_on": "2020-01-01"},
            {"current_version_id": self.other_version.id},
            {"last_qc_record_id": False},
            {"last_qc_result": "pass"},
            {"last_qc_date": "2020-01-01"},
            {"qualification_ids": [(1, qualification.id, {"risk_class": "i"})]},
            {"qualification_ids": [(2, qualification.id)]},
            {"version_ids": [(0, 0, {"version": "9.0", "state": "validated"})]},
            {"install_ids": [(1, software.install_ids.id, {"state": "replaced"})]},
            {"qc_record_ids": [(1, software.last_qc_record_id.id, {"result": "pass"})]},
        )
        for role in (*ROLES, "referent"):
            for vals in forged:
                self.assert_refused(
                    software,
                    SOFTWARE_STATE,
                    lambda role=role, vals=vals: software.with_user(
                        self.users[role]
                    ).write(vals),
                    msg=f"{role} {vals}",
                )
        # The gate reads the controls, not the stored result.
        with self.assertRaisesRegex(UserError, "passed quality control"):
            software.with_user(self.users["pharmacist"]).action_resume()

    def test_software_copied_with_hostile_defaults(self):
        software = self.software_in_use()
        for role in ROLES:
            for default in (
                {"lifecycle_state": "in_use"},
                {"qualification_state": "qualified"},
                {"is_medical_device": True, "dm_risk_class": "iii"},
                {"qualification_id": software.qualification_id.id},
                {"in_use_since": "2020-01-01"},
                {"current_version_id": software.current_version_id.id},
            ):
                with self.assertRaises(UserError, msg=f"{role} {default}"):
                    software.with_user(self.users[role]).copy(default)
        copy = software.with_user(self.users["technician"]).copy()
        self.assertEqual(
            (copy.lifecycle_state, copy.qualification_state, copy.is_medical_device),
            ("request", "to_qualify", False),
        )
        self.assertFalse(copy.dm_risk_class or copy.current_version_id)

    def test_software_with_history_is_not_deleted(self):
        software = self.software_in_use()
        for role in (*ROLES, "referent"):
            self.assert_refused(
                software,
                ["active", "lifecycle_state"],
                lambda role=role: software.with_user(self.users[role]).unlink(),
                msg=role,
            )
        self.assertTrue(software.exists())

    def test_software_actions_as_the_wrong_role(self):
        requested = self.create_software()
        for role in ("auditor", "internal", "referent", "rssi", "dpo"):
            self.assert_refused(
                requested,
                ["lifecycle_state"],
                lambda role=role: requested.with_user(
                    self.users[role]
                ).action_to_reception(),
                msg=role,
            )
        software = self.software_in_use()
        for role, action in (
            ("technician", "action_suspend"),
            ("auditor", "action_suspend"),
            ("internal", "action_suspend"),
            ("technician", "action_withdraw"),
            ("referent", "action_withdraw"),
            ("internal", "action_withdraw"),
        ):
            self.assert_refused(
                software,
                ["lifecycle_state", "withdrawn_on"],
                lambda role=role, action=action: getattr(
                    software.with_user(self.users[role]), action
                )(),
                msg=f"{role} {action}",
            )
        # The referent's right to suspend opens no other move.
        software.with_user(self.users["referent"]).action_suspend()
        with self.assertRaises(AccessError):
            software.with_user(self.users["referent"]).action_resume()
        self.assertEqual(software.lifecycle_state, "suspended")

    # ------------------------------------------------------------ versions
    def test_version_created_with_hostile_defaults(self):
        software = self.received_software()
        Version = self.env["dm.software.version"]
        vals = {
            "software_id": software.id,
            "version": "2.0",
            "release_notes": "New class.",
            "changes_class": True,
        }
        hostile = {
            "default_validated_by_id": self.users["pharmacist"].id,
            "default_validated_on": "2020-01-01 10:00:00",
            "default_requires_requalification": False,
            "default_is_current": True,
            "default_installed_on": "2020-01-01",
            "default_version_sort_key": "zzz",
        }
        fnames = [
            "state",
            "validated_by_id",
            "validated_on",
            "requires_requalification",
            "is_current",
            "installed_on",
        ]
        for index, role in enumerate(ROLES):
            vals["version"] = f"2.{index}"
            # A version already validated: the forged default is dropped (or
            # the role may not create at all).
            forged = []
            if self.attempt(
                lambda role=role, forged=forged, index=index: forged.append(
                    Version.with_user(self.users[role])
                    .with_context(**hostile, default_state="validated")
                    .create(dict(vals, version=f"3.{index}"))
                )
            ):
                self.assertEqual(forged[0].state, "proposed", role)
            with self.assertRaises(UserError, msg=role):
                Version.with_user(self.users[role]).create(
                    dict(vals, version=f"4.{index}", state="validated")
                )
            created = []
            allowed = self.attempt(
                lambda role=role, created=created: created.append(
                    Version.with_user(self.users[role])
                    .with_context(**hostile)
                    .create(vals)
                )
            )
            self.assertEqual(allowed, role in ("technician", "pharmacist", "engineer"))
            if allowed:
                version = created[0]
                self.assertEqual(
                    self.read_back(version, fnames),
                    {
                        "state": "proposed",
                        "validated_by_id": self.env["res.users"],
                        "validated_on": False,
                        "requires_requalification": True,
                        "is_current": False,
                        "installed_on": False,
                    },
                    role,
                )
                self.assertNotEqual(version.version_sort_key, "zzz")

    def test_version_protected_computed_and_validated_fields(self):
        software = self.received_software()
        version = software.current_version_id
        company = self.env["res.company"].create({"name": "Other hospital"})
        fnames = [
            "state",
            "validated_by_id",
            "validated_on",
            "requires_requalification",
            "is_current",
            "installed_on",
            "version",
            "software_id",
            "company_id",
            "changes_class",
            "release_notes",
        ]
        for role in (*ROLES, "referent"):
            for vals in (
                {"state": "proposed"},
                {"validated_by_id": self.users["engineer"].id},
                {"validated_on": "2020-01-01 10:00:00"},
                {"requires_requalification": True},
                {"is_current": False},
                {"installed_on": "2020-01-01"},
                {"version_sort_key": "zzz"},
                {"company_id": company.id},
                {"software_id": self.other.id},
                {"version": "1.0.1"},
                {"changes_class": True},
                {"release_notes": "Rewritten after the validation."},
                {"install_ids": [(2, version.install_ids.id)]},
            ):
                self.assert_refused(
                    version,
                    fnames,
                    lambda role=role, vals=vals: version.with_user(
                        self.users[role]
                    ).write(vals),
                    msg=f"{role} {vals}",
                )
            for default in (
                {"version": "1.1", "state": "validated"},
                {"version": "1.2", "validated_by_id": self.users["engineer"].id},
                {"version": "1.3", "is_current": True},
            ):
                with self.assertRaises(UserError, msg=f"{role} {default}"):
                    version.with_user(self.users[role]).copy(default)
            self.assert_refused(
                version,
                fnames,
                lambda role=role: version.with_user(self.users[role]).unlink(),
                msg=role,
            )

    def test_computed_values_given_at_creation_are_computed(self):
        software = self.received_software()
        version = self.add_version(software, "2.0", changes_class=True)
        copy = version.with_user(self.users["technician"]).copy(
            {"version": "2.1", "requires_requalification": False}
        )
        self.assertTrue(copy.requires_requalification)
        created = self.add_version(
            software,
            "2.2",
            changes_intended_purpose=True,
            requires_requalification=False,
        )
        self.assertTrue(created.requires_requalification)

    def test_version_actions_as_the_wrong_role(self):
        software = self.received_software()
        proposed = self.add_version(software, "1.1")
        installed = software.current_version_id
        for role in ("technician", "auditor", "internal", "referent", "rssi"):
            for record, action in (
                (proposed, "action_validate"),
                (proposed, "action_withdraw"),
                (installed, "action_withdraw"),
            ):
                self.assert_refused(
                    record,
                    ["state", "validated_by_id"],
                    lambda role=role, record=record, action=action: getattr(
                        record.with_user(self.users[role]), action
                    )(),
                    msg=f"{role} {action}",
                )
        validated = self.validated_version(software, "1.2")
        for role in ("pharmacist", "auditor", "internal", "rssi"):
            with self.assertRaises(UserError, msg=role):
                self.install(validated, user=role)
            # The action itself, whatever the wizard's access rights.
            with self.assertRaises(AccessError, msg=role):
                validated.with_user(self.users[role])._install(self.site)
            with self.assertRaises(AccessError, msg=role):
                installed.with_user(self.users[role])._rollback(self.site, note="Bug")
            self.assertEqual(validated.state, "validated")
            self.assertEqual(software.current_version_id, installed)

    def test_requalification_is_not_forged(self):
        software = self.software_in_use()
        version = self.add_version(software, "2.0", changes_class=True)
        version.with_user(self.users["pharmacist"]).action_validate()
        self.assertEqual(software.qualification_state, "to_qualify")
        for vals in ({"requires_requalification": False}, {"changes_class": False}):
            with self.assertRaises(UserError):
                version.with_user(self.users["engineer"]).write(vals)
        # A qualification of another software "for" this version.
        other = self.create_software(name="Unrelated")
        wizard = self.qualification_wizard(other, AI_NODULE_DETECTOR)
        wizard.version_id = version
        wizard.action_save_and_confirm()
        self.assertFalse(version.requalified)
        with self.assertRaisesRegex(UserError, "qualify .* again"):
            self.install(version)
        self.assertEqual(software.current_version_id.version, "1.0")

    # ------------------------------------------------------------ installations
    def test_installations_are_history(self):
        software = self.received_software()
        install = software.install_ids
        fnames = [
            "state",
            "version_id",
            "software_id",
            "site_id",
            "install_date",
            "installed_by_id",
            "mode",
            "equipment_ids",
            "company_id",
            "note",
        ]
        Install = self.env["dm.software.install"]
        device = self.create_device(name="Forged workstation", serial_no="FW-1")
        for role in (*ROLES, "referent"):
            with self.assertRaises(UserError, msg=role):
                Install.with_user(self.users[role]).with_context(
                    default_state="current"
                ).create(
                    {
                        "version_id": self.other_version.id,
                        "software_id": software.id,
                        "site_id": self.site_south.id,
                        "install_date": "2026-01-01",
                        "mode": "on_site",
                    }
                )
            for vals in (
                {"state": "replaced"},
                {"version_id": self.other_version.id},
                {"software_id": self.other.id},
                {"site_id": self.site_south.id},
                {"install_date": "2020-01-01"},
                {"installed_by_id": self.users["engineer"].id},
                {"mode": "remote"},
                {"equipment_ids": [(4, device.id)]},
                {"company_id": False},
            ):
                self.assert_refused(
                    install,
                    fnames,
                    lambda role=role, vals=vals: install.with_user(
                        self.users[role]
                    ).write(vals),
                    msg=f"{role} {vals}",
                )
            with self.assertRaises(UserError, msg=role):
                install.with_user(self.users[role]).copy({"state": "current"})
            self.assert_refused(
                install,
                fnames,
                lambda role=role: install.with_user(self.users[role]).unlink(),
                msg=role,
            )
        self.assertEqual(software.current_version_id.version, "1.0")

    def test_install_action_ignores_hostile_defaults(self):
        software = self.received_software()
        version = self.validated_version(software, "1.1")
        wizard = (
            self.env["dm.software.install.wizard"]
            .with_user(self.users["technician"])
            .create(
                {
                    "version_id": version.id,
                    "site_id": self.site.id,
                    "operation": "install",
                }
            )
        )
        wizard.with_context(
            default_state="replaced",
            default_installed_by_id=self.users["pharmacist"].id,
            default_company_id=self.env["res.company"].create({"name": "Other"}).id,
            default_software_id=self.other.id,
            default_note="forged",
        ).action_confirm()
        install = version.install_ids
        self.assertEqual(install.state, "current")
        self.assertEqual(install.installed_by_id, self.users["technician"])
        self.assertEqual(install.company_id, software.company_id)
        self.assertEqual(install.software_id, software)
        self.assertFalse(install.note)
        self.assertEqual(software.current_version_id, version)

    # ------------------------------------------------------------ quality controls
    def test_quality_controls_cannot_be_forged(self):
        software = self.failed_control_software()
        failed = software.last_qc_record_id
        Record = self.env["dm.software.qc.record"]
        created = (
            Record.with_user(self.users["referent"])
            .with_context(
                default_result="pass",
                default_discordance_rate=0.0,
                default_below_sample=False,
                default_software_id=self.other.id,
                default_company_id=False,
                default_threshold=99.0,
            )
            .create(
                {
                    "plan_id": failed.plan_id.id,
                    "cases_checked": 10,
                    "discordances": 5,
                    "date": failed.date,
                }
            )
        )
        self.assertEqual(
            (created.result, created.discordance_rate, created.threshold),
            ("fail", 50.0, failed.threshold),
        )
        self.assertTrue(created.below_sample)
        self.assertEqual(created.software_id, software)
        fnames = [
            "result",
            "discordance_rate",
            "below_sample",
            "software_id",
            "company_id",
            "threshold",
            "discordances",
            "cases_checked",
            "date",
            "plan_id",
            "checked_by_id",
            "active",
        ]
        for role in (*ROLES, "referent"):
            for vals in (
                {"result": "pass"},
                {"discordance_rate": 0.0},
                {"below_sample": True},
                {"software_id": self.other.id},
                {"company_id": False},
                {"threshold": 99.0},
                {"discordances": 0},
                {"cases_checked": 1000},
                {"date": "2020-01-01"},
                {"checked_by_id": self.users["pharmacist"].id},
            ):
                self.assert_refused(
                    failed,
                    fnames,
                    lambda role=role, vals=vals: failed.with_user(
                        self.users[role]
                    ).write(vals),
                    msg=f"{role} {vals}",
                )
            for default in ({"result": "pass"}, {"active": False}):
                with self.assertRaises(UserError, msg=f"{role} {default}"):
                    failed.with_user(self.users[role]).copy(default)
            self.assert_refused(
                failed,
                fnames,
                lambda role=role: failed.with_user(self.users[role]).unlink(),
                msg=role,
            )
        for role in ("referent", "technician", "internal", "auditor"):
            self.assert_refused(
                failed,
                fnames,
                lambda role=role: failed.with_user(self.users[role]).action_archive(),
                msg=role,
            )
        self.assertEqual(software.last_qc_result, "fail")
        with self.assertRaisesRegex(UserError, "passed quality control"):
            software.with_user(self.users["pharmacist"]).action_resume()

    def test_plan_and_site_history(self):
        software = self.failed_control_software()
        plan = software.qc_plan_ids
        other = self.software_in_use(name="Other AI", contains_ai=True)
        for role in ROLES:
            for vals in (
                {"next_qc_date": "2099-01-01"},
                {"last_qc_date": False},
                # The failed control would leave with the plan.
                {"software_id": other.id},
            ):
                self.assert_refused(
                    plan,
                    ["next_qc_date", "last_qc_date", "software_id"],
                    lambda role=role, vals=vals: plan.with_user(self.users[role]).write(
                        vals
                    ),
                    msg=f"{role} {vals}",
                )
            self.assert_refused(
                plan,
                ["active"],
                lambda role=role: plan.with_user(self.users[role]).unlink(),
                msg=role,
            )
            self.assert_refused(
                self.site,
                ["active"],
                lambda role=role: self.site.with_user(self.users[role]).unlink(),
                msg=role,
            )
        self.assertEqual(software.last_qc_result, "fail")
        # A plan without controls may still change.
        fresh = self.create_plan(other, name="Weekly check")
        fresh.with_user(self.users["pharmacist"]).write({"software_id": software.id})
        self.assertEqual(fresh.software_id, software)

    # ------------------------------------------------------------ qualifications
    def test_qualification_action_ignores_hostile_context(self):
        software = self.create_software()
        wizard = self.qualification_wizard(
            software, AI_NODULE_DETECTOR, user="technician"
        )
        record = wizard.with_context(
            default_state="confirmed",
            default_confirmed_by_id=self.users["pharmacist"].id,
            default_confirmed_on="2020-01-01 10:00:00",
            default_answered_by_id=self.users["pharmacist"].id,
            default_driven_equipment_id=self.create_device(
                name="Pump", serial_no="P-1"
            ).id,
            default_qualification_state="qualified",
            default_lifecycle_state="in_use",
            default_is_medical_device=False,
        ).action_save()
        self.assertEqual(record.state, "to_confirm")
        self.assertFalse(record.confirmed_by_id or record.confirmed_on)
        self.assertEqual(record.answered_by_id, self.users["technician"])
        self.assertFalse(record.driven_equipment_id)
        self.assertTrue(record.is_medical_device)
        self.assertEqual(
            (software.qualification_state, software.lifecycle_state),
            ("to_confirm", "request"),
        )
        self.assertFalse(software.is_medical_device)

    def test_qualifications_are_history(self):
        software = self.create_software()
        confirmed = self.qualify(software, AI_NODULE_DETECTOR)
        pending = self.qualify(software, INSULIN_DOSE_CALCULATOR, confirm_as=None)
        Qualification = self.env["dm.software.qualification"]
        fnames = [
            "state",
            "is_medical_device",
            "risk_class",
            "confirmed_by_id",
            "confirmed_on",
            "answered_by_id",
            "software_id",
        ]
        for role in (*ROLES, "referent"):
            with self.assertRaises(UserError, msg=role):
                Qualification.with_user(self.users[role]).with_context(
                    default_state="confirmed"
                ).create({"software_id": software.id})
            for record in (confirmed, pending):
                for vals in (
                    {"state": "confirmed"},
                    {"risk_class": "iii"},
                    {"is_medical_device": False},
                    {"confirmed_by_id": self.users["pharmacist"].id},
                    {"answered_by_id": self.users["pharmacist"].id},
                    {"software_id": self.other.id},
                ):
                    self.assert_refused(
                        record,
                        fnames,
                        lambda role=role, record=record, vals=vals: record.with_user(
                            self.users[role]
                        ).write(vals),
                        msg=f"{role} {vals}",
                    )
                with self.assertRaises(UserError, msg=role):
                    record.with_user(self.users[role]).copy({"state": "to_confirm"})
                self.assert_refused(
                    record,
                    fnames,
                    lambda role=role, record=record: record.with_user(
                        self.users[role]
                    ).unlink(),
                    msg=role,
                )
            if role not in ("pharmacist", "engineer"):
                self.assert_refused(
                    pending,
                    fnames,
                    lambda role=role: pending.with_user(
                        self.users[role]
                    ).action_confirm(),
                    msg=role,
                )
        self.assertEqual(software.dm_risk_class, "iia")
        self.assertEqual(software.qualification_state, "to_confirm")
        # A client cannot put a qualification in through the software either.
        for vals in (
            {"qualification_ids": [(0, 0, {"state": "confirmed", "risk_class": "i"})]},
            {"qualification_ids": [(1, pending.id, {"risk_class": "i"})]},
        ):
            self.assert_refused(
                software,
                SOFTWARE_STATE,
                lambda vals=vals: software.with_user(self.users["pharmacist"]).write(
                    vals
                ),
                msg=vals,
            )
