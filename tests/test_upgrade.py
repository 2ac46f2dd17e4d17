"""The upgrade from the previous release (19.0.1.0.0, commit dad2f8e) keeps
every record, approval, attachment and chatter message, and the gates hold.

Run by `bash scripts/dm.sh test` on a database where the previous release's
addons were installed with demo data, then upgraded with the working tree's
(`-u medical_device,dm_cyber,dm_software -i dm_cyber_software`: an upgrade
does not install a new auto-install addon by itself); DM_UPGRADE_SNAPSHOT names the JSON
written by scripts/upgrade_snapshot.py before the upgrade, DM_UPGRADE_LOG the
log of the upgrade.
"""

import importlib.util
import json
import os
import pathlib
import re

from odoo.exceptions import AccessError, UserError
from odoo.modules.module import get_manifest
from odoo.tests import TransactionCase

HERE = pathlib.Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location(
    "upgrade_snapshot", HERE.parent / "scripts" / "upgrade_snapshot.py"
)
upgrade_snapshot = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(upgrade_snapshot)


class TestUpgrade(TransactionCase):
    # Outside odoo.addons, Odoo's test case gets no default tags.
    test_tags = {"standard", "post_install"}
    test_module = "dm_upgrade"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with open(os.environ["DM_UPGRADE_SNAPSHOT"], encoding="utf-8") as snap:
            cls.before = json.load(snap)
        cls.env.flush_all()
        # Through JSON as well, so that both sides compare the same types.
        cls.after = json.loads(
            json.dumps(upgrade_snapshot.snapshot(cls.env.cr), default=str)
        )
        cls.technician = cls.env.ref("medical_device.user_dm_technician_demo")
        cls.engineer = cls.env.ref("medical_device.user_dm_engineer_demo")

    def test_upgrade_log_has_no_error(self):
        path = os.environ.get("DM_UPGRADE_LOG")
        if not path:
            self.skipTest("no upgrade log given")
        with open(path, encoding="utf-8", errors="replace") as log:
            errors = [
                line
                for line in log
                if re.match(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ", line)
            ]
        self.assertFalse(errors, "".join(errors[:5]))

    def test_upgrade_deletes_nothing(self):
        """ir.model.data._process_end logs every record it deletes: no field,
        view, rule or other record of the previous release may go."""
        path = os.environ.get("DM_UPGRADE_LOG")
        if not path:
            self.skipTest("no upgrade log given")
        with open(path, encoding="utf-8", errors="replace") as log:
            deleted = [line for line in log if re.search(r" Deleting \d+@", line)]
        self.assertFalse(deleted, "".join(deleted[:5]))

    def test_addons_are_at_the_new_version(self):
        modules = self.env["ir.module.module"].search(
            [
                (
                    "name",
                    "in",
                    ("medical_device", "dm_cyber", "dm_software", "dm_cyber_software"),
                )
            ]
        )
        self.assertEqual(len(modules), 4)
        self.assertEqual(set(modules.mapped("state")), {"installed"})
        # The version of the working tree's manifests, whatever it is.
        for module in modules:
            manifest = get_manifest(module.name)
            self.assertEqual(module.latest_version, manifest["version"], module.name)

    def test_every_record_keeps_its_id(self):
        self.assertTrue(self.before["ids"]["dm.disposal"], "demo disposals loaded")
        # Every record of before is still there under its id; an upgrade may
        # add records (new demo data of the release), never lose or renumber one.
        for model, ids in self.before["ids"].items():
            lost = sorted(set(ids) - set(self.after["ids"][model]))
            self.assertFalse(lost, f"{model}: records lost by the upgrade: {lost[:10]}")

    def test_devices_keep_their_sbom_received(self):
        """The box ticked by hand before the SBOMs were read (issue 16) is kept
        as the manual answer, and the computed flag keeps every device."""
        received = self.before.get("sbom_received")
        if received is None:
            self.skipTest("the snapshot predates the SBOM flag")
        # dm_cyber/migrations/19.0.2.4.0 runs from that version of the addon on.
        version = tuple(int(p) for p in get_manifest("dm_cyber")["version"].split("."))
        if version < (19, 0, 2, 4, 0):
            self.skipTest("the SBOM migration runs from dm_cyber 19.0.2.4.0 on")
        self.assertTrue(received, "demo devices with an SBOM received")
        self.assertLessEqual(set(received), set(self.after["sbom_received"]))
        devices = self.env["maintenance.equipment"].browse(received)
        self.assertTrue(all(devices.mapped("sbom_received_manual")))

    def test_disposals_media_and_certificates_are_unchanged(self):
        self.assertTrue(self.before["certificates"])
        for key in ("disposals", "media", "certificates", "disposal_sequence_next"):
            self.assertEqual(self.after[key], self.before[key], key)
        self.assertLessEqual(
            set(self.before["disposal_columns"]),
            set(self.after["disposal_columns"]),
            "no column of dm_disposal is dropped",
        )

    def test_approvals_are_unchanged_and_still_point_at_their_documents(self):
        self.assertTrue(
            any(a[0] == "dm.disposal" for a in self.before["approvals"].values())
        )
        # Every approval of before is kept: a decided one unchanged; a pending
        # one may be superseded (archived, still pointing at its document)
        # when the release changed what it approves (a reception's user
        # training now read from the register). The release's new demo
        # devices may bring their own.
        for key, approval in self.before["approvals"].items():
            after = self.after["approvals"].get(key)
            if approval[3] == "pending" and after and after[:4] == approval[:4]:
                continue
            self.assertEqual(after, approval, key)
        Approval = self.env["dm.approval"].with_context(active_test=False)
        for line in Approval.search([("res_model", "=", "dm.disposal")]):
            self.assertTrue(self.env["dm.disposal"].browse(line.res_id).exists())

    def test_attachments_and_chatter_are_kept(self):
        self.assertTrue(
            any(a[0] == "dm.disposal" for a in self.before["attachments"].values()),
            "the upgrade test prepared certificates and files on disposals",
        )
        self.assertEqual(self.after["attachments"], self.before["attachments"])
        # Every message of before is kept; a migration may add its own note
        # (e.g. on a reception whose ticked training no longer counts).
        for model, ids in self.before["messages"].items():
            lost = sorted(set(ids) - set(self.after["messages"][model]))
            self.assertFalse(lost, f"{model}: messages lost: {lost[:10]}")
        self.assertGreaterEqual(
            self.after["tracking_values"], self.before["tracking_values"]
        )

    def test_disposal_now_belongs_to_medical_device(self):
        """Every record that changed module carries the medical_device external
        id on the same record: nothing was deleted and recreated."""
        for xmlid, (model, res_id) in self.before["xmlids"].items():
            module, name = xmlid.split(".", 1)
            self.assertEqual(module, "dm_cyber", xmlid)
            self.assertEqual(
                self.after["xmlids"].get(f"medical_device.{name}"),
                [model, res_id],
                name,
            )
        data = self.env["ir.model.data"].search(
            [("model", "=", "ir.model"), ("name", "=", "model_dm_disposal")]
        )
        self.assertIn("medical_device", data.mapped("module"))
        self.assertIn(
            "medical_device", self.env["ir.model"]._get("dm.disposal").modules
        )
        # dm_cyber's erasure part stays dm_cyber's.
        self.assertTrue(self.env.ref("dm_cyber.field_dm_disposal__medium_ids"))
        self.assertTrue(self.env.ref("dm_cyber.selection__dm_disposal__state__erasure"))

    def test_gates_still_hold(self):
        Equipment = self.env["maintenance.equipment"].with_context(active_test=False)
        in_service = Equipment.search(
            [("is_medical_device", "=", True), ("lifecycle_state", "=", "in_service")],
            limit=1,
        )
        self.assertTrue(in_service)
        with self.assertRaises(UserError):  # an AccessError is one too
            in_service.with_user(self.technician).write({"lifecycle_state": "disposed"})
        self.assertEqual(in_service.lifecycle_state, "in_service")
        disposed = Equipment.search(
            [("is_medical_device", "=", True), ("lifecycle_state", "=", "disposed")],
            limit=1,
        )
        self.assertTrue(disposed)
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            disposed.sudo().unlink()
        with self.assertRaisesRegex(UserError, "read-only"):
            disposed.with_user(self.engineer).write({"name": "Renamed"})
        draft = self.env["dm.disposal"].search([("state", "=", "draft")], limit=1)
        self.assertTrue(draft)
        with self.assertRaises(AccessError):
            draft.with_user(self.technician).action_confirm()
        done = self.env["dm.disposal"].search([("state", "=", "done")], limit=1)
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            done.sudo().unlink()
        with self.assertRaisesRegex(UserError, "not edited"):
            done.with_user(self.engineer).write({"state": "draft"})
