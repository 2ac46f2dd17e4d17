"""The MDS2 form of a device read into proposals for its cyber matrix, which
only the RSSI accepts (through the device's own write) or refuses; attacks by
role and by company."""

import base64
import importlib.util
from pathlib import Path

from odoo import Command, fields
from odoo.addons.medical_device.tests.common import MedicalDeviceCase
from odoo.addons.medical_device.tests.french_reader import load_french
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples" / "mds2"


def _generator():
    spec = importlib.util.spec_from_file_location(
        "make_mds2_sample", SAMPLES / "make_mds2_sample.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATOR = _generator()
SAMPLE = (SAMPLES / "volumat8_mds2_hn1-2019.xlsx").read_bytes()
# What the sample proposes for the matrix below (tools' mapping), but what the
# matrix already holds (is_connected, internet_access).
EXPECTED = {
    "os_version_id": "Wind River Linux LTS 21",
    "antivirus": "none",
    "patient_data": "true",
    "vendor_firewall": "true",
    "usb_locked": "true",
    "remote_maintenance_channel": "supplier_vpn",
    "patch_installer": "vendor",
    "patch_remote": "true",
    # third_party_patches_allowed: "No", what the matrix holds.
    "vendor_notifies_updates": "true",
}


@tagged("post_install", "-at_install")
class TestMds2Proposal(MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.os_w10_iot = cls.env.ref(
            "dm_cyber.dm_os_windows_10_iot_enterprise_ltsc_2021"
        )
        cls.Proposal = cls.env["dm.mds2.proposal"]

    def matrix(self, **overrides):
        values = {
            "is_connected": True,
            "acq_cyber_questionnaire": True,
            "acq_data_protection_clauses": True,
            "os_version_id": self.os_w10_iot.id,
            "antivirus": "hospital",
            "domain_joined": True,
            "internet_access": False,
            "last_patch_date": fields.Date.today(),
            "remote_maintenance_channel": "hospital_bastion",
            "network_zone": "VLAN 120 biomedical",
            "mds2_document": base64.b64encode(SAMPLE),
            "mds2_filename": "volumat8_mds2.xlsx",
            "mds2_date": "2026-03-01",
        }
        values.update(overrides)
        return values

    def device(self, **overrides):
        return self.create_device(**self.matrix(**overrides))

    def read_form(self, device, user="technician"):
        return device.with_user(self.users[user])._mds2_read()

    def by_field(self, proposals):
        return {p.field_name: p for p in proposals}

    # ------------------------------------------------------------ mapping
    def test_sample_workbook_gives_proposals_with_their_source(self):
        device = self.device(serial_no="MDS2-1")
        proposals = self.read_form(device)
        found = self.by_field(proposals)
        self.assertEqual(
            {f: p.proposed_value for f, p in found.items()},
            EXPECTED,
        )
        self.assertEqual(set(proposals.mapped("state")), {"proposed"})
        antivirus = found["antivirus"]
        self.assertEqual(antivirus.question_id, "MLDP-2")
        self.assertTrue(antivirus.question)
        self.assertEqual(antivirus.answer, "No")
        self.assertIn("allow-listing", antivirus.note)
        self.assertEqual(antivirus.mds2_filename, "volumat8_mds2.xlsx")
        self.assertEqual(str(antivirus.mds2_date), "2026-03-01")
        self.assertTrue(antivirus.read_on)
        self.assertEqual(antivirus.current_value, "hospital")
        self.assertEqual(antivirus.current_display, "Managed by the hospital")
        self.assertEqual(antivirus.proposed_display, "None")
        self.assertEqual(found["patient_data"].current_display, "No")
        self.assertEqual(found["patient_data"].proposed_display, "Yes")
        remote = found["remote_maintenance_channel"]
        self.assertEqual(
            (remote.question_id, remote.proposed_display),
            ("RMOT-1", "Supplier VPN"),
        )
        # No known OS version named so: kept as text, to create first.
        os_proposal = found["os_version_id"]
        self.assertFalse(os_proposal.proposed_os_version_id)
        self.assertTrue(os_proposal.os_version_missing)
        self.assertEqual(os_proposal.current_value, self.os_w10_iot.display_name)
        self.assertEqual(device.mds2_pending_count, len(EXPECTED))
        # Nothing written on the device by the reading.
        self.assertEqual(device.antivirus, "hospital")

    def test_os_text_maps_onto_a_known_os_version(self):
        linux = self.env["dm.os.version"].create(
            {"vendor": "Wind River", "product": "Linux LTS", "version": "21"}
        )
        device = self.device(serial_no="MDS2-OS")
        os_proposal = self.by_field(self.read_form(device))["os_version_id"]
        self.assertEqual(os_proposal.proposed_os_version_id, linux)
        self.assertEqual(os_proposal.proposed_display, linux.display_name)
        os_proposal.with_user(self.users["rssi"]).action_accept()
        self.assertEqual(device.os_version_id, linux)
        # The matrix holds it now: a new reading does not propose it again.
        self.assertNotIn("os_version_id", self.by_field(self.read_form(device)))

    def test_patching_answers_fill_the_matrix_not_the_last_patch(self):
        """Who installs the updates, remotely or not, and the manufacturer's
        notices are proposed and accepted like any answer; the last patch
        date is the hospital's to record, never the form's."""
        device = self.device(serial_no="MDS2-PATCH", last_patch_date=False)
        info = device.mds2_patching_info
        for question_id in ("CSUP-1", "CSUP-2.1", "CSUP-7", "CSUP-8"):
            self.assertIn(question_id, info)
        found = self.by_field(self.read_form(device))
        self.assertFalse(device.last_patch_date)
        self.assertNotIn("last_patch_date", found)
        installer = found["patch_installer"]
        self.assertEqual(installer.question_id, "CSUP-2.2")
        self.assertEqual(
            installer.proposed_display, "The manufacturer or its authorised service"
        )
        patching = installer | found["patch_remote"] | found["vendor_notifies_updates"]
        with self.assertRaises(AccessError):
            patching.with_user(self.users["technician"]).action_accept()
        self.assertFalse(device.patch_installer)
        patching.with_user(self.users["rssi"]).action_accept()
        device.invalidate_recordset()
        self.assertEqual(device.patch_installer, "vendor")
        self.assertTrue(device.patch_remote)
        self.assertTrue(device.vendor_notifies_updates)
        self.assertFalse(device.third_party_patches_allowed)
        self.assertEqual(set(patching.mapped("state")), {"accepted"})
        device.write({"mds2_document": base64.b64encode(b"not a workbook")})
        self.assertFalse(device.mds2_patching_info)

    # ------------------------------------------------------------ decisions
    def test_rssi_accepts_through_the_device_write(self):
        device = self.device(serial_no="MDS2-ACC")
        antivirus = self.by_field(self.read_form(device))["antivirus"]
        self.flush_tracking()
        antivirus.with_user(self.users["rssi"]).action_accept()
        self.flush_tracking()
        self.assertEqual(device.antivirus, "none")
        self.assertEqual(antivirus.state, "accepted")
        self.assertEqual(antivirus.decided_by_id, self.users["rssi"])
        self.assertTrue(antivirus.decided_on)
        # Tracked on the device as the RSSI's change, and on the proposal.
        tracked = device.sudo().message_ids.filtered(
            lambda m: "antivirus" in m.tracking_value_ids.field_id.mapped("name")
        )
        self.assertEqual(tracked[:1].author_id, self.users["rssi"].partner_id)
        self.assertIn(
            "state",
            antivirus.sudo().message_ids.tracking_value_ids.field_id.mapped("name"),
        )
        # Decided: frozen and kept.
        with self.assertRaises(UserError):
            antivirus.with_user(self.users["rssi"]).action_accept()
        with self.assertRaises(UserError):
            antivirus.with_user(self.users["rssi"]).write({"refusal_reason": "x"})
        with self.assertRaises(AccessError):
            antivirus.with_user(self.users["rssi"]).unlink()

    def test_accept_all_reopens_the_rssi_review_when_the_risk_rises(self):
        # Patched long ago: medium (35); the supplier's answers make it high.
        device = self.device(
            serial_no="MDS2-REOPEN",
            last_patch_date=fields.Date.subtract(fields.Date.today(), days=400),
        )
        device.with_user(self.users["technician"]).action_request_approvals()
        device._dm_current_line("rssi_cyber_answers").with_user(
            self.users["rssi"]
        ).action_approve()
        device.with_user(self.users["technician"]).action_to_reception()
        self.reception_ready(device).with_user(self.users["engineer"]).action_accept()
        approved = device._dm_current_line("rssi_network_connection")
        approved.with_user(self.users["rssi"]).action_approve()
        device.with_user(self.users["technician"]).action_put_in_service()
        self.read_form(device)
        os_proposal = device.mds2_proposal_ids.filtered(
            lambda p: p.field_name == "os_version_id"
        )
        os_proposal.with_user(self.users["rssi"]).action_refuse(
            reason="Our units run another build"
        )
        self.assertEqual(device.cyber_risk_level, "medium")
        device.with_user(self.users["rssi"]).action_accept_mds2_proposals()
        self.assertEqual(device.antivirus, "none")
        self.assertTrue(device.patient_data)
        self.assertEqual(device.remote_maintenance_channel, "supplier_vpn")
        self.assertFalse(device.mds2_pending_count)
        self.assertIn(device.cyber_risk_level, ("high", "critical"))
        reopened = device._dm_current_line("rssi_network_connection")
        self.assertNotEqual(reopened, approved)
        self.assertEqual(reopened.state, "pending")

    def test_unmatched_os_accepts_nothing(self):
        device = self.device(serial_no="MDS2-NOOS")
        proposals = self.read_form(device)
        found = self.by_field(proposals)
        rssi = self.users["rssi"]
        # All or nothing: the OS has no value to write, the antivirus neither.
        with self.assertRaisesRegex(UserError, "no matching OS version"):
            (found["antivirus"] | found["os_version_id"]).with_user(
                rssi
            ).action_accept()
        self.assertEqual(set(proposals.mapped("state")), {"proposed"})
        self.assertEqual(device.antivirus, "hospital")
        self.assertEqual(device.os_version_id, self.os_w10_iot)
        # Accept all takes the others and says what waits.
        notice = device.with_user(rssi).action_accept_mds2_proposals()
        self.assertIn("no matching OS version", notice["params"]["message"])
        self.assertEqual(found["os_version_id"].state, "proposed")
        self.assertEqual(
            set((proposals - found["os_version_id"]).mapped("state")), {"accepted"}
        )
        self.assertEqual(device.antivirus, "none")
        with self.assertRaisesRegex(UserError, "no matching OS version"):
            device.with_user(rssi).action_accept_mds2_proposals()
        # Once the OS version exists, the same proposal is accepted.
        linux = self.env["dm.os.version"].create(
            {"vendor": "Wind River", "product": "Linux LTS", "version": "21"}
        )
        device.with_user(rssi).action_accept_mds2_proposals()
        self.assertEqual(device.os_version_id, linux)
        self.assertEqual(found["os_version_id"].proposed_os_version_id, linux)

    def test_refuse_needs_a_reason(self):
        device = self.device(serial_no="MDS2-REF")
        proposals = self.by_field(self.read_form(device))
        usb = proposals["usb_locked"]
        rssi = self.users["rssi"]
        dialog = usb.with_user(rssi).action_refuse()
        self.assertEqual(dialog["res_model"], "dm.mds2.proposal")
        self.assertEqual(usb.state, "proposed")
        both = usb | proposals["vendor_firewall"]
        with self.assertRaisesRegex(UserError, "refusal reason"):
            both.with_user(rssi).action_refuse()
        usb.with_user(rssi).write({"refusal_reason": "Ports are open on our units"})
        usb.with_user(rssi).action_refuse()
        self.assertEqual(
            (usb.state, usb.decided_by_id, usb.refusal_reason),
            ("refused", rssi, "Ports are open on our units"),
        )
        self.assertFalse(device.usb_locked)

    # ------------------------------------------------------------ re-reading
    def test_rereading_replaces_the_proposed_and_keeps_the_decided(self):
        device = self.device(serial_no="MDS2-RE")
        first = self.by_field(self.read_form(device))
        rssi = self.users["rssi"]
        first["antivirus"].with_user(rssi).action_accept()
        first["usb_locked"].with_user(rssi).action_refuse(reason="Open ports")
        second = self.read_form(device)
        # Accepted: the matrix holds it; refused from this same file: not again.
        self.assertEqual(
            set(second.mapped("field_name")),
            set(EXPECTED) - {"antivirus", "usb_locked"},
        )
        self.assertFalse(first["patient_data"].exists())
        self.assertEqual(
            device.mds2_proposal_ids.filtered(lambda p: p.state != "proposed"),
            first["antivirus"] | first["usb_locked"],
        )
        # Idempotent.
        third = self.read_form(device)
        self.assertEqual(len(third), len(second))
        self.assertEqual(len(device.mds2_proposal_ids), len(second) + 2)
        # A new file (another revision) may propose a refused value again.
        self.assertEqual(
            device.with_user(self.users["technician"]).action_read_mds2()["tag"],
            "display_notification",
        )
        revision = [
            (
                title,
                [
                    (r[0], r[1], "PM-MDS2-0042 rev. D", *r[3:])
                    if r[0] == "DOC-4"
                    else r
                    for r in rows
                ],
            )
            for title, rows in GENERATOR.SECTIONS
        ]
        device.write({"mds2_document": base64.b64encode(GENERATOR.build(revision))})
        fourth = self.read_form(device)
        self.assertIn("usb_locked", fourth.mapped("field_name"))
        self.assertEqual(len(device.mds2_proposal_ids), len(fourth) + 2)

    def test_malformed_or_missing_file_writes_nothing(self):
        device = self.device(serial_no="MDS2-BAD")
        before = self.read_form(device)
        device.write({"mds2_document": base64.b64encode(b"PK\x03\x04 broken")})
        with self.assertRaisesRegex(UserError, "MDS2-BAD.*not an Excel workbook"):
            self.read_form(device)
        self.assertEqual(device.mds2_proposal_ids, before)
        self.assertTrue(all(before.exists()))
        device.write({"mds2_document": False})
        with self.assertRaisesRegex(UserError, "no MDS2 form to read"):
            self.read_form(device)
        self.assertEqual(device.mds2_proposal_ids, before)
        # A disposed device's matrix is read-only: no reading.
        device.write({"mds2_document": base64.b64encode(SAMPLE)})
        self.env.cr.execute(
            "UPDATE maintenance_equipment SET lifecycle_state = 'disposed' "
            "WHERE id = %s",
            [device.id],
        )
        device.invalidate_recordset(["lifecycle_state"])
        with self.assertRaisesRegex(UserError, "is disposed: it is read-only"):
            self.read_form(device)
        self.assertEqual(device.mds2_proposal_ids, before)

    def test_malformed_file_is_explained_in_french(self):
        load_french(self.env)
        technician = self.users["technician"]
        technician.lang = "fr_FR"
        device = self.device(
            serial_no="MDS2-FR", mds2_document=base64.b64encode(b"no workbook")
        )
        with self.assertRaisesRegex(UserError, "MDS2-FR.*n'est pas un classeur Excel"):
            device.with_user(technician).with_context(lang="fr_FR")._mds2_read()
        self.assertFalse(device.mds2_proposal_ids)

    # ------------------------------------------------------------ attacks
    def test_nobody_but_the_rssi_decides(self):
        device = self.device(serial_no="MDS2-ATK")
        proposals = self.read_form(device)
        antivirus = self.by_field(proposals)["antivirus"]
        for role in ("technician", "engineer", "pharmacist", "dpo", "auditor"):
            user = self.users[role]
            as_user = antivirus.with_user(user)
            with self.assertRaises(AccessError, msg=role):
                as_user.action_accept()
            with self.assertRaises(AccessError, msg=role):
                as_user.action_refuse(reason="No")
            with self.assertRaises(AccessError, msg=role):
                device.with_user(user).action_accept_mds2_proposals()
            with self.assertRaises(UserError, msg=role):
                as_user.write({"state": "accepted"})
            with self.assertRaises(UserError, msg=role):
                as_user.write({"proposed_value": "vendor"})
            with self.assertRaises(AccessError, msg=role):
                as_user.unlink()
            with self.assertRaises(AccessError, msg=role):
                self.Proposal.with_user(user).create(
                    {
                        "equipment_id": device.id,
                        "field_name": "antivirus",
                        "proposed_value": "vendor",
                        "state": "accepted",
                    }
                )
            with self.assertRaises(AccessError, msg=role):
                self.Proposal.with_user(user).with_context(
                    default_state="accepted", default_decided_by_id=user.id
                ).create({"equipment_id": device.id, "field_name": "antivirus"})
        # Through the device's lines too.
        with self.assertRaises(UserError):
            device.with_user(self.users["technician"]).write(
                {
                    "mds2_proposal_ids": [
                        Command.create(
                            {"field_name": "antivirus", "state": "accepted"}
                        ),
                        Command.update(antivirus.id, {"state": "accepted"}),
                    ]
                }
            )
        # The RSSI's own rights: decide by the buttons, write nothing else.
        rssi = self.users["rssi"]
        for vals in (
            {"state": "accepted"},
            {"proposed_value": "vendor"},
            {"field_name": "usb_locked"},
            {"decided_by_id": rssi.id},
            {"equipment_id": self.device(serial_no="MDS2-ATK2").id},
        ):
            with self.assertRaises(UserError, msg=vals):
                antivirus.with_user(rssi).write(vals)
        with self.assertRaises(AccessError):
            self.Proposal.with_user(rssi).with_context(default_state="accepted").create(
                {"equipment_id": device.id, "field_name": "antivirus"}
            )
        # The auditor and the DPO may not even read the form into proposals.
        for role in ("dpo", "auditor", "internal"):
            with self.assertRaises(AccessError, msg=role):
                self.read_form(device, role)
        # Read back: nothing moved, nothing written on the device.
        self.env.invalidate_all()
        self.assertEqual(set(proposals.mapped("state")), {"proposed"})
        self.assertFalse(proposals.decided_by_id)
        self.assertEqual(antivirus.proposed_value, "none")
        self.assertEqual(device.antivirus, "hospital")
        self.assertEqual(len(device.mds2_proposal_ids), len(EXPECTED))

    def test_other_company_sees_and_decides_nothing(self):
        company_b = self.env["res.company"].create({"name": "Clinique B"})
        rssi_b = new_test_user(
            self.env,
            login="test_mds2_rssi_b",
            groups="medical_device.group_dm_rssi,medical_device.group_dm_engineer",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        device = self.device(serial_no="MDS2-MC")
        proposals = self.read_form(device)
        as_b = proposals.with_user(rssi_b)
        self.assertFalse(
            self.Proposal.with_user(rssi_b).search([("id", "in", proposals.ids)])
        )
        with self.assertRaises(AccessError):
            as_b.read(["proposed_value"])
        with self.assertRaises(AccessError):
            as_b[:1].action_accept()
        with self.assertRaises(AccessError):
            as_b[:1].action_refuse(reason="Not ours")
        with self.assertRaises(AccessError):
            device.with_user(rssi_b)._mds2_read()
        self.env.invalidate_all()
        self.assertEqual(set(proposals.mapped("state")), {"proposed"})
        self.assertEqual(proposals.company_id, self.env.company)
