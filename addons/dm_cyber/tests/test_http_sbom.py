"""SBOMs attacked over JSON-RPC, as the browser sessions of the technician,
the engineer and the RSSI would: the reading of the file (format, stamps,
components) and the computed "SBOM received" are the server's; a damaged file
changes nothing; an upload over the same path reads the file."""

import base64

from odoo.addons.medical_device.tests.common import DmHttpCase
from odoo.tests import new_test_user, tagged
from odoo.tests.common import JsonRpcException

from .test_sbom import MONITOR_XML, NOT_AN_SBOM, PUMP_JSON, sample

ROLES = {
    "technician": "medical_device.group_dm_technician",
    "engineer": "medical_device.group_dm_engineer",
    "rssi": "medical_device.group_dm_rssi",
}


@tagged("post_install", "-at_install", "dm_http")
class TestSbomOverRpc(DmHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.users = {
            role: new_test_user(env, login=f"test_sbom_rpc_{role}", groups=group)
            for role, group in ROLES.items()
        }
        cls.device = env["maintenance.equipment"].create(
            {
                "name": "Pump SBOM RPC",
                "model": "SBOM RPC model",
                "is_medical_device": True,
                "serial_no": "SBOM-RPC-1",
                "acquisition_mode": "purchase",
                "acq_ce_checked": True,
                "acq_training_planned": True,
            }
        )
        cls.sbom = env["dm.sbom"].create(
            {
                "name": "RPC model SBOM",
                "dm_model_name": "SBOM RPC model",
                "document": base64.b64encode(sample(PUMP_JSON)),
                "filename": PUMP_JSON,
            }
        )

    def refused(self, model, method, args, kwargs=None):
        with self.assertRaises(JsonRpcException) as caught:
            self.call(model, method, args, kwargs)
        self.assertIn(
            caught.exception.args[0],
            ("odoo.exceptions.UserError", "odoo.exceptions.AccessError"),
        )

    def state(self):
        self.env.invalidate_all()
        sbom = self.sbom
        return (
            sbom.sbom_format,
            sbom.read_on,
            sbom.read_by_id,
            sbom.name,
            sbom.with_context(bin_size=False).document,
            sorted(sbom.component_ids.mapped(lambda c: (c.id, c.name, c.version))),
            self.device.sbom_received,
        )

    def test_roles_cannot_forge_the_reading(self):
        before = self.state()
        self.assertTrue(before[-1], "the model's SBOM applies to the device")
        component = self.sbom.component_ids[:1]
        damaged = base64.b64encode(NOT_AN_SBOM).decode()
        for role in ROLES:
            with self.subTest(role=role):
                login = f"test_sbom_rpc_{role}"
                self.authenticate(login, login)
                sbom_id = [self.sbom.id]
                for vals in (
                    {"sbom_format": "spdx_json"},
                    {"read_by_id": self.users["technician"].id},
                    {"read_on": "2020-01-01 00:00:00"},
                    {"component_count": 0},
                    {"component_ids": [[5]]},
                    {"component_ids": [[1, component.id, {"version": "9"}]]},
                    {"component_ids": [[0, 0, {"name": "forged"}]]},
                    {"name": "Renamed", "document": damaged},
                ):
                    self.refused("dm.sbom", "write", [sbom_id, vals])
                self.refused(
                    "dm.sbom.component",
                    "write",
                    [component.ids, {"version": "9"}],
                )
                self.refused("dm.sbom.component", "create", [{"sbom_id": self.sbom.id}])
                self.refused("dm.sbom.component", "unlink", [component.ids])
                self.refused("dm.sbom", "unlink", [sbom_id])
                self.refused(
                    "maintenance.equipment",
                    "write",
                    [self.device.ids, {"sbom_received": False}],
                )
                self.assertEqual(self.state(), before)

    def test_upload_over_rpc_reads_the_file_whatever_the_context(self):
        self.authenticate("test_sbom_rpc_engineer", "test_sbom_rpc_engineer")
        sbom_id = self.call(
            "dm.sbom",
            "create",
            [
                {
                    "name": "Monitor SBOM",
                    "equipment_id": self.device.id,
                    "document": base64.b64encode(sample(MONITOR_XML)).decode(),
                    "filename": MONITOR_XML,
                }
            ],
            {
                "context": {
                    "default_sbom_format": "spdx_json",
                    "default_read_by_id": self.users["rssi"].id,
                    "default_component_ids": [[0, 0, {"name": "forged"}]],
                }
            },
        )
        sbom = self.env["dm.sbom"].browse(sbom_id)
        self.assertEqual(sbom.sbom_format, "cyclonedx_xml")
        self.assertEqual(sbom.read_by_id, self.users["engineer"])
        self.assertEqual(len(sbom.component_ids), 3)
        self.assertNotIn("forged", sbom.component_ids.mapped("name"))
        # The technician reads, never uploads.
        self.authenticate("test_sbom_rpc_technician", "test_sbom_rpc_technician")
        self.assertEqual(
            self.call("dm.sbom", "read", [[sbom_id], ["component_count"]])[0][
                "component_count"
            ],
            3,
        )
        self.refused(
            "dm.sbom",
            "create",
            [
                {
                    "name": "Technician SBOM",
                    "equipment_id": self.device.id,
                    "document": base64.b64encode(sample(MONITOR_XML)).decode(),
                }
            ],
        )
