from unittest.mock import Mock

from odoo.addons.dm_software.models.dm_software_install import (
    remote_session_selection,
)
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import AI_NODULE_DETECTOR, INSULIN_DOSE_CALCULATOR, SoftwareCase


@tagged("post_install", "-at_install")
class TestVersions(SoftwareCase):
    # ------------------------------------------------------------ ordering
    def test_versions_sort_naturally(self):
        software = self.create_software()
        for version in ("2.9", "2.10", "1.0", "2.10.1", "2.10-rc1", "10.0"):
            self.add_version(software, version)
        software.invalidate_recordset(["version_ids"])
        self.assertEqual(
            software.version_ids.mapped("version"),
            ["10.0", "2.10.1", "2.10", "2.10-rc1", "2.9", "1.0"],
        )
        found = self.Version.search(
            [("software_id", "=", software.id)], order="version_sort_key"
        )
        self.assertEqual(found.mapped("version")[:2], ["1.0", "2.9"])

    def test_same_version_twice_is_refused(self):
        software = self.create_software()
        self.add_version(software, "2.1")
        with self.assertRaisesRegex(ValidationError, "already has version 2.1"):
            self.add_version(software, "v2.01")
        with self.assertRaisesRegex(ValidationError, "not a version"):
            self.add_version(software, "--")
        # Another software may have its own 2.1.
        self.add_version(self.create_software(name="Other"), "2.1")

    # ------------------------------------------------------------ validation
    def test_validation_by_pharmacist_or_engineer(self):
        software = self.create_software()
        version = self.add_version(software, "1.0", release_notes=False)
        for role in ("technician", "auditor", "internal", "rssi"):
            with self.assertRaises(AccessError, msg=role):
                version.with_user(self.users[role]).action_validate()
        with self.assertRaisesRegex(UserError, "no release notes"):
            version.with_user(self.users["engineer"]).action_validate()
        attachment = (
            self.env["ir.attachment"]
            .with_user(self.users["technician"])
            .create({"name": "notes.pdf", "raw": b"%PDF-1.4"})
        )
        version.with_user(self.users["technician"]).write(
            {"release_note_attachment_ids": [(4, attachment.id)]}
        )
        version.with_user(self.users["engineer"]).action_validate()
        self.assertEqual(version.state, "validated")
        self.assertEqual(version.validated_by_id, self.users["engineer"])
        self.assertTrue(version.validated_on)
        with self.assertRaisesRegex(UserError, "only a proposed"):
            version.with_user(self.users["pharmacist"]).action_validate()

    def test_state_and_validated_content_are_protected(self):
        software = self.create_software()
        version = self.add_version(software, "1.0")
        for vals in (
            {"state": "validated"},
            {"validated_by_id": self.users["pharmacist"].id},
        ):
            for role in ("technician", "pharmacist", "engineer"):
                with self.assertRaisesRegex(UserError, "only through", msg=vals):
                    version.with_user(self.users[role]).write(vals)
        with self.assertRaisesRegex(UserError, "proposed"):
            self.add_version(software, "1.1", state="validated")
        version.with_user(self.users["pharmacist"]).action_validate()
        with self.assertRaisesRegex(UserError, "cannot change"):
            version.with_user(self.users["technician"]).write({"version": "1.0.1"})
        with self.assertRaisesRegex(UserError, "history"):
            version.with_user(self.users["engineer"]).unlink()
        version.with_user(self.users["engineer"]).write({"active": False})
        self.assertFalse(version.active)

    # ------------------------------------------------------------ installation
    def test_installing_an_unvalidated_version_is_refused(self):
        software = self.received_software()
        proposed = self.add_version(software, "1.1")
        with self.assertRaisesRegex(UserError, "only a validated version"):
            self.install(proposed)
        withdrawn = self.validated_version(software, "1.2")
        withdrawn.with_user(self.users["pharmacist"]).action_withdraw()
        with self.assertRaisesRegex(UserError, "only a validated version"):
            self.install(withdrawn)
        # Neither through the installation model nor the version's state.
        with self.assertRaisesRegex(UserError, "Install action"):
            self.env["dm.software.install"].with_user(self.users["technician"]).create(
                {
                    "version_id": proposed.id,
                    "site_id": self.site.id,
                    "install_date": "2026-01-01",
                    "mode": "on_site",
                    "state": "current",
                }
            )
        self.assertEqual(software.current_version_id.version, "1.0")

    def test_who_installs(self):
        software = self.received_software()
        version = self.validated_version(software, "1.1")
        for role in ("pharmacist", "auditor", "rssi", "dpo", "internal"):
            with self.assertRaises(AccessError, msg=role):
                self.install(version, user=role)
        self.install(version, user="engineer")
        self.assertEqual(software.current_version_id, version)

    def test_one_current_version_per_site(self):
        software = self.received_software()
        v1 = software.current_version_id
        v2 = self.validated_version(software, "1.10")
        v3 = self.validated_version(software, "1.9")
        self.install(v2)
        installs = software.install_ids
        self.assertEqual(
            installs.filtered(lambda i: i.state == "current").version_id, v2
        )
        self.assertEqual(
            installs.filtered(lambda i: i.version_id == v1).state, "replaced"
        )
        self.assertEqual(software.current_version_id, v2)
        self.assertTrue(v2.is_current)
        self.assertFalse(v1.is_current)
        self.assertEqual(v1.state, "installed")
        # 1.9 is older than 1.10: installing it would be a roll back.
        with self.assertRaisesRegex(UserError, "older than 1.10"):
            self.install(v3)
        with self.assertRaisesRegex(UserError, "already the current version"):
            self.install(v2)
        # Each site has its own current version.
        self.install(v3, site=self.site_south)
        current = software.install_ids.filtered(lambda i: i.state == "current")
        self.assertEqual(
            {(i.site_id, i.version_id) for i in current},
            {(self.site, v2), (self.site_south, v3)},
        )
        self.assertEqual(software.current_version_id, v2)
        self.assertEqual(v3.site_ids, self.site_south)
        with self.assertRaisesRegex(UserError, "current version on"):
            v2.with_user(self.users["engineer"]).action_withdraw()

    def test_install_records_devices_date_and_mode(self):
        device = self.create_device(name="Reading workstation", serial_no="WS-1")
        software = self.received_software()
        version = self.validated_version(software, "2.0")
        self.install(
            version, equipment_ids=[(6, 0, device.ids)], install_date="2026-02-03"
        )
        install = version.install_ids
        self.assertEqual(install.equipment_ids, device)
        self.assertEqual(str(install.install_date), "2026-02-03")
        self.assertEqual(install.mode, "on_site")
        self.assertEqual(install.installed_by_id, self.users["technician"])
        self.assertEqual(str(version.installed_on), "2026-02-03")
        self.assertEqual(version.installed_equipment_ids, device)
        with self.assertRaisesRegex(UserError, "only its note"):
            install.with_user(self.users["technician"]).write({"state": "replaced"})
        install.with_user(self.users["technician"]).write({"note": "Done at night"})
        with self.assertRaises(AccessError):
            install.with_user(self.users["engineer"]).unlink()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            install.sudo().unlink()

    def test_install_before_reception_is_refused(self):
        software = self.create_software()
        version = self.validated_version(software, "1.0")
        with self.assertRaisesRegex(UserError, "from its reception on"):
            self.install(version)

    # ------------------------------------------------------------ roll back
    def test_roll_back_returns_to_the_previous_version(self):
        software = self.received_software()
        v1 = software.current_version_id
        v2 = self.validated_version(software, "1.1")
        self.install(v2)
        with self.assertRaisesRegex(UserError, "why"):
            self.rollback(v2, note=False)
        with self.assertRaises(AccessError):
            self.rollback(v2, user="pharmacist")
        self.rollback(v2)
        self.assertEqual(v2.state, "rolled_back")
        self.assertEqual(software.current_version_id, v1)
        states = software.install_ids.sorted("id").mapped("state")
        self.assertEqual(states, ["replaced", "rolled_back", "current"])
        with self.assertRaisesRegex(UserError, "only a validated version"):
            self.install(v2)
        with self.assertRaisesRegex(UserError, "nothing to go back to"):
            self.rollback(v1)

    # ------------------------------------------------------------ re-qualification
    def test_version_changing_the_class_requires_requalification(self):
        software = self.received_software()
        version = self.validated_version(
            software, "2.0", changes_class=True, release_notes="New class IIb."
        )
        self.assertEqual(software.qualification_state, "to_qualify")
        self.assertEqual(software.requalification_version_id, version)
        with self.assertRaisesRegex(UserError, "qualify .* again"):
            self.install(version)
        record = self.qualify(software, INSULIN_DOSE_CALCULATOR, confirm_as=None)
        self.assertEqual(record.version_id, version)
        with self.assertRaisesRegex(UserError, "qualify .* again"):
            self.install(version)
        record.with_user(self.users["pharmacist"]).action_confirm()
        self.assertTrue(version.requalified)
        self.assertFalse(software.requalification_version_id)
        self.install(version)
        self.assertEqual(software.current_version_id, version)
        self.assertEqual(software.dm_risk_class, "iib")

    def test_version_changing_the_purpose_requires_requalification(self):
        software = self.received_software()
        version = self.validated_version(software, "3.0", changes_intended_purpose=True)
        self.assertTrue(version.requires_requalification)
        self.assertEqual(software.qualification_state, "to_qualify")
        self.qualify(software, AI_NODULE_DETECTOR)
        self.install(version)
        self.assertEqual(software.current_version_id, version)

    # ------------------------------------------------------------ remote
    def test_remote_update_is_tied_to_its_remote_session(self):
        if "dm.remote.session" not in self.env:
            self.skipTest("dm_cyber is not installed")
        device = self.create_device(
            name="AI server", serial_no="SRV-1", is_connected=True
        )
        other = self.create_device(name="Other", serial_no="OTHER-1")
        (device | other).sudo().write(
            {"remote_maintenance_channel": "hospital_bastion"}
        )
        software = self.received_software(equipment_ids=[(6, 0, device.ids)])
        version = self.validated_version(software, "1.1")
        with self.assertRaisesRegex(UserError, "choose its remote maintenance"):
            self.install(version, mode="remote")
        Session = self.env["dm.remote.session"]
        session = Session.sudo().create(
            {
                "equipment_id": device.id,
                "technician_name": "Vendor support",
                "reason": "Update to 1.1",
            }
        )
        reference = f"dm.remote.session,{session.id}"
        with self.assertRaisesRegex(UserError, "took place"):
            self.install(version, mode="remote", remote_session_ref=reference)
        # The session's log, through its workflow (no move skips a step).
        for state in ("authorised", "in_progress", "done"):
            session.sudo().write({"state": state})
        other_session = Session.sudo().create(
            {
                "equipment_id": other.id,
                "technician_name": "Vendor support",
                "reason": "Other device",
                "state": "done",
            }
        )
        with self.assertRaisesRegex(UserError, "not on a device"):
            self.install(
                version,
                mode="remote",
                remote_session_ref=f"dm.remote.session,{other_session.id}",
            )
        with self.assertRaisesRegex(UserError, "remote update only"):
            self.install(version, remote_session_ref=reference)
        self.install(version, mode="remote", remote_session_ref=reference)
        install = version.install_ids
        self.assertEqual(install.mode, "remote")
        self.assertEqual(install.remote_session_ref, session)

    def test_remote_session_selection_without_dm_cyber(self):
        """dm_software installs without dm_cyber: the reference then offers no
        model and a remote update needs no session."""
        env_without_cyber = Mock()
        env_without_cyber.__contains__ = Mock(return_value=False)
        self.assertEqual(remote_session_selection(env_without_cyber), [])
        if "dm.remote.session" in self.env:
            self.assertEqual(
                [m for m, _label in remote_session_selection(self.env)],
                ["dm.remote.session"],
            )
        Install = self.env["dm.software.install"]
        software = self.received_software()
        version = self.validated_version(software, "1.1")
        if "dm.remote.session" in self.env:
            with self.assertRaisesRegex(UserError, "choose its remote maintenance"):
                self.install(version, mode="remote")
        else:
            self.install(version, mode="remote")
            self.assertEqual(version.install_ids.mode, "remote")
        install_model_env = Mock(wraps=Install)
        install_model_env.env = Mock()
        install_model_env.env.__contains__ = Mock(return_value=False)
        # Without the remote maintenance log, nothing to check.
        self.assertIsNone(
            type(Install)._check_remote_session(
                install_model_env, software, "remote", None, software.equipment_ids
            )
        )
