"""SBOMs in the database: a file read into components on upload (CycloneDX
JSON and XML, SPDX JSON and tag-value), a bad file refused with nothing
written, exactly one target, the components of a device (its own SBOMs and
its model's, for a batch of devices in a constant number of queries), the
computed "SBOM received", and what no role may write."""

import base64
from pathlib import Path

from odoo.addons.medical_device.tests.common import MedicalDeviceCase
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..tools.sbom import read_sbom
from ..tools.vuln_match import component_match_key

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples" / "sbom"
PUMP_JSON = "infusion_pump_cyclonedx_1.5.json"
PUMP_JSON_14 = "infusion_pump_cyclonedx_1.4.json"
MONITOR_XML = "patient_monitor_cyclonedx_1.6.xml"
PUMP_SPDX_JSON = "infusion_pump_spdx_2.3.json"
MONITOR_SPDX_TAG = "patient_monitor_spdx_2.3.spdx"
FORMATS = {
    PUMP_JSON: "cyclonedx_json",
    MONITOR_XML: "cyclonedx_xml",
    PUMP_SPDX_JSON: "spdx_json",
    MONITOR_SPDX_TAG: "spdx_tag_value",
}
NOT_AN_SBOM = b'{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": ['


def sample(name):
    return (SAMPLES / name).read_bytes()


def b64(data):
    return base64.b64encode(data).decode()


class SbomCase(MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Sbom = cls.env["dm.sbom"]
        cls.maker = cls.env["res.partner"].create(
            {"name": "Perfusio Medical SAS", "is_company": True}
        )
        cls.other_maker = cls.env["res.partner"].create(
            {"name": "Other Pumps SA", "is_company": True}
        )
        cls.pumps = cls.Equipment.create(
            [
                cls._acquisition_vals(
                    name=f"Volumat {n}",
                    serial_no=f"SBOM-PUMP-{n}",
                    model="Volumat 8",
                    manufacturer_id=cls.maker.id,
                )
                for n in range(3)
            ]
        )
        # Same model name, another manufacturer.
        cls.lookalike = cls.Equipment.create(
            cls._acquisition_vals(
                name="Lookalike",
                serial_no="SBOM-LOOK",
                model="VOLUMAT 8 ",
                manufacturer_id=cls.other_maker.id,
            )
        )
        cls.monitor = cls.Equipment.create(
            cls._acquisition_vals(
                name="Monitor", serial_no="SBOM-MON", model="CardioSys M540"
            )
        )

    def sbom(self, filename, user="rssi", **vals):
        values = {
            "name": f"SBOM {filename}",
            "document": b64(sample(filename)),
            "filename": filename,
            **vals,
        }
        if not ({"equipment_id", "dm_model_name"} & set(vals)):
            values["equipment_id"] = self.monitor.id
        return self.Sbom.with_user(self.users[user]).create(values)

    def model_sbom(self, filename=PUMP_JSON, user="rssi", **vals):
        return self.sbom(
            filename,
            user=user,
            dm_model_name="Volumat 8",
            dm_model_manufacturer_id=self.maker.id,
            **vals,
        )

    def components(self, sbom):
        return sorted(
            (c.name, c.version or None, c.purl or None, c.cpe or None)
            for c in sbom.sudo().component_ids
        )


@tagged("post_install", "-at_install")
class TestSbomReading(SbomCase):
    def test_each_format_is_read_into_its_components(self):
        for filename, kind in FORMATS.items():
            with self.subTest(filename=filename):
                sbom = self.sbom(filename)
                expected = read_sbom(sample(filename), filename)
                self.assertEqual(sbom.sbom_format, kind)
                self.assertEqual(
                    self.components(sbom),
                    sorted((c.name, c.version, c.purl, c.cpe) for c in expected),
                )
                self.assertEqual(sbom.component_count, len(expected))
                self.assertEqual(sbom.read_by_id, self.users["rssi"])
                self.assertTrue(sbom.read_on)
                self.assertEqual(sbom.target_kind, "device")
                # Every component carries the key matching narrows on, and the
                # SBOM's target.
                for component in sbom.sudo().component_ids:
                    self.assertEqual(
                        component.match_key,
                        component_match_key(
                            name=component.name,
                            purl=component.purl,
                            cpe=component.cpe,
                            vendor=component.supplier,
                        ),
                    )
                    self.assertEqual(component.equipment_id, self.monitor)
                    self.assertEqual(component.company_id, sbom.company_id)

    def test_pump_sample_components_and_keys(self):
        sbom = self.model_sbom()
        by_name = {c.name: c for c in sbom.component_ids}
        self.assertEqual(len(by_name), 7)  # busybox, nested in the OS, included
        log4j = by_name["log4j-core"]
        self.assertEqual(log4j.version, "2.14.1")
        self.assertEqual(log4j.supplier, "The Apache Software Foundation")
        self.assertEqual(
            log4j.match_key, "pkg:maven/org.apache.logging.log4j/log4j-core"
        )
        self.assertEqual(by_name["wind-river-linux"].match_key, "cpe:windriver:linux")
        self.assertEqual(
            by_name["SX-PCEAC2 firmware"].match_key,
            "name:silex_technology:sx_pceac2_firmware",
        )
        self.assertEqual(log4j.dm_model_name, "Volumat 8")
        self.assertEqual(sbom.target_kind, "model")

    def test_engineer_uploads_and_the_chatter_says_what_was_read(self):
        sbom = self.sbom(MONITOR_XML, user="engineer")
        self.assertEqual(sbom.read_by_id, self.users["engineer"])
        self.assertTrue(
            any("3 components, 3 new" in (m.body or "") for m in sbom.message_ids)
        )

    def test_new_file_replaces_the_components_and_keeps_the_unchanged(self):
        sbom = self.sbom(PUMP_JSON)
        kept = sbom.component_ids.filtered(lambda c: c.name == "openssl")
        # The same file again: every component keeps its record.
        before = sbom.component_ids
        sbom.with_user(self.users["rssi"]).write({"document": b64(sample(PUMP_JSON))})
        self.assertEqual(sbom.component_ids, before)
        # The 1.4 file lists OpenSSL 1.0.2u only: the others go, one comes.
        sbom.with_user(self.users["engineer"]).write(
            {"document": b64(sample(PUMP_JSON_14)), "filename": PUMP_JSON_14}
        )
        (only,) = read_sbom(sample(PUMP_JSON_14))
        self.assertEqual(
            self.components(sbom), [(only.name, only.version, only.purl, only.cpe)]
        )
        self.assertFalse(kept.exists())
        self.assertEqual(sbom.read_by_id, self.users["engineer"])
        self.assertEqual(sbom.component_count, 1)

    def test_read_again_button(self):
        sbom = self.sbom(MONITOR_SPDX_TAG)
        before = sbom.component_ids
        self.assertTrue(sbom.with_user(self.users["engineer"]).action_read_document())
        self.assertEqual(sbom.component_ids, before)
        self.assertEqual(sbom.read_by_id, self.users["engineer"])
        with self.assertRaises(AccessError):
            sbom.with_user(self.users["technician"]).action_read_document()

    def test_malformed_file_creates_nothing(self):
        count = self.Sbom.search_count([])
        components = self.env["dm.sbom.component"].search_count([])
        for data, message in (
            (NOT_AN_SBOM, "not valid JSON"),
            (b"hello", "neither a CycloneDX SBOM"),
            (b"<bom/>", "neither a CycloneDX"),
            (b"", None),
        ):
            with self.subTest(data=data):
                try:
                    self.Sbom.with_user(self.users["rssi"]).create(
                        {
                            "name": "Broken",
                            "document": b64(data) if data else False,
                            "filename": "broken.json",
                            "equipment_id": self.monitor.id,
                        }
                    )
                except (UserError, ValidationError) as error:
                    if message:
                        self.assertIn(message, str(error))
                        self.assertIn("broken.json", str(error))
                else:
                    self.fail("a file that is not an SBOM was accepted")
        self.env.flush_all()
        self.assertEqual(self.Sbom.search_count([]), count)
        self.assertEqual(self.env["dm.sbom.component"].search_count([]), components)

    def test_malformed_file_keeps_the_previous_one(self):
        """Not in a savepoint: what the refused call wrote before it failed
        would stay in the transaction and show here."""
        sbom = self.sbom(PUMP_JSON)
        self.env.flush_all()
        before = {
            "components": sbom.component_ids.ids,
            "format": sbom.sbom_format,
            "read_on": sbom.read_on,
            "document": sbom.with_context(bin_size=False).document,
            "filename": sbom.filename,
            "name": sbom.name,
        }
        for role in ("rssi", "engineer"):
            try:
                sbom.with_user(self.users[role]).write(
                    {
                        "name": "Renamed",
                        "document": b64(NOT_AN_SBOM),
                        "filename": "damaged.json",
                    }
                )
            except UserError as error:
                self.assertIn("damaged.json", str(error))
            else:
                self.fail("a damaged file was accepted")
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(
            {
                "components": sbom.component_ids.ids,
                "format": sbom.sbom_format,
                "read_on": sbom.read_on,
                "document": sbom.with_context(bin_size=False).document,
                "filename": sbom.filename,
                "name": sbom.name,
            },
            before,
        )

    def test_error_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["medical_device", "dm_cyber"], ["fr_FR"], overwrite=True
        )
        user = self.users["rssi"]
        user.lang = "fr_FR"
        with self.assertRaises(UserError) as caught:
            # The web client sends the user's language in the context.
            self.Sbom.with_user(user).with_context(lang="fr_FR").create(
                {
                    "name": "Vide",
                    "document": b64(b"   "),
                    "filename": "vide.json",
                    "equipment_id": self.monitor.id,
                }
            )
        self.assertIn("Le fichier SBOM est vide", str(caught.exception))


@tagged("post_install", "-at_install")
class TestSbomTarget(SbomCase):
    def test_exactly_one_target(self):
        cases = {
            "none": {},
            "device and model": {
                "equipment_id": self.monitor.id,
                "dm_model_name": "Volumat 8",
            },
            "blank model": {"dm_model_name": "   "},
        }
        for label, vals in cases.items():
            with (
                self.subTest(label),
                self.assertRaisesRegex(ValidationError, "exactly one of"),
            ):
                self.Sbom.with_user(self.users["rssi"]).create(
                    {
                        "name": label,
                        "document": b64(sample(MONITOR_XML)),
                        **vals,
                    }
                )
        with self.assertRaisesRegex(ValidationError, "only with a device model"):
            self.sbom(MONITOR_XML, dm_model_manufacturer_id=self.maker.id)
        sbom = self.sbom(MONITOR_XML)
        with self.assertRaisesRegex(ValidationError, "exactly one of"):
            sbom.with_user(self.users["rssi"]).write({"dm_model_name": "Volumat 8"})
        with self.assertRaisesRegex(ValidationError, "needs its file"):
            sbom.with_user(self.users["rssi"]).write({"document": False})

    def test_only_the_server_records_an_sbom_without_its_file(self):
        with self.assertRaisesRegex(ValidationError, "needs its file"):
            self.Sbom.with_user(self.users["rssi"]).create(
                {"name": "No file", "equipment_id": self.monitor.id}
            )
        # The benchmark's seed: a model's SBOM given as its components.
        sbom = self.Sbom.sudo().create({"name": "Seed", "dm_model_name": "Volumat 8"})
        self.env["dm.sbom.component"].sudo().create(
            {
                "sbom_id": sbom.id,
                "name": "log4j-core",
                "version": "2.14.1",
                "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
            }
        )
        self.assertEqual(
            self.pumps[0]._dm_sbom_components().mapped("name"), ["log4j-core"]
        )
        self.assertTrue(self.pumps[0].sbom_received)


@tagged("post_install", "-at_install")
class TestDeviceSboms(SbomCase):
    def test_device_components_are_its_own_and_its_models(self):
        model_sbom = self.model_sbom()
        own = self.sbom(MONITOR_XML, equipment_id=self.pumps[0].id)
        pump = self.pumps[0]
        self.assertEqual(
            pump._dm_sbom_components(), model_sbom.component_ids | own.component_ids
        )
        self.assertEqual(self.pumps[1]._dm_sbom_components(), model_sbom.component_ids)
        # Another manufacturer's model of the same name has none of them.
        self.assertFalse(self.lookalike._dm_sbom_components())
        self.assertFalse(self.monitor._dm_sbom_components())
        by_device = (self.pumps | self.lookalike)._dm_sbom_components_by_device()
        self.assertEqual(set(by_device), set((self.pumps | self.lookalike).ids))
        self.assertEqual(by_device[self.pumps[2].id], model_sbom.component_ids)
        self.assertFalse(by_device[self.lookalike.id])
        # Without a manufacturer, the model's name is enough (case and
        # surrounding spaces aside).
        model_sbom.write({"dm_model_manufacturer_id": False})
        self.assertEqual(self.lookalike._dm_sbom_components(), model_sbom.component_ids)
        # An archived SBOM applies no more.
        model_sbom.write({"active": False})
        self.assertEqual(pump._dm_sbom_components(), own.component_ids)
        self.assertEqual(self.pumps[1].dm_sbom_count, 0)
        self.assertEqual(pump.dm_sbom_count, 1)
        self.assertEqual(pump.dm_sbom_component_count, 3)

    def test_model_sbom_of_a_company_applies_to_its_devices_only(self):
        other = self.env["res.company"].create({"name": "SBOM other hospital"})
        sbom = self.model_sbom(user="rssi")
        self.assertEqual(sbom.company_id, self.env.company)
        foreign = self.Equipment.create(
            self._acquisition_vals(
                serial_no="SBOM-FOREIGN",
                model="Volumat 8",
                manufacturer_id=self.maker.id,
                company_id=other.id,
            )
        )
        self.assertFalse(foreign._dm_sbom_components())
        self.assertFalse(foreign.sbom_received)
        self.assertNotIn(foreign, sbom._dm_devices())
        sbom.write({"company_id": False})
        self.assertTrue(foreign.sbom_received)
        self.assertIn(foreign, sbom._dm_devices())

    def test_batch_of_devices_in_constant_queries(self):
        self.model_sbom()
        self.sbom(MONITOR_XML, equipment_id=self.pumps[1].id)
        many = self.Equipment.create(
            [
                self._acquisition_vals(
                    serial_no=f"SBOM-BATCH-{n}",
                    model=f"Batch model {n % 7}",
                    manufacturer_id=self.maker.id,
                )
                for n in range(60)
            ]
        )
        for n in range(7):
            self.sbom(MONITOR_SPDX_TAG, dm_model_name=f"Batch model {n}")
        self.env.flush_all()
        counts = []
        for devices in (self.pumps, self.pumps | self.lookalike | many):
            self.env.invalidate_all()
            devices = devices.browse(devices.ids)
            start = self.env.cr.sql_log_count
            by_device = devices._dm_sbom_components_by_device()
            counts.append(self.env.cr.sql_log_count - start)
            self.assertEqual(len(by_device), len(devices))
        self.assertEqual(counts[0], counts[1])
        self.assertLessEqual(counts[0], 8)
        self.assertEqual(len(by_device[many[0].id]), 2)
        self.env.invalidate_all()
        devices = (self.pumps | many).browse((self.pumps | many).ids)
        with self.assertQueryCount(counts[0]):
            devices._dm_sbom_components_by_device()

    def test_sbom_received_is_computed(self):
        pump, other_pump = self.pumps[:2]
        self.assertFalse(pump.sbom_received)
        sbom = self.model_sbom()
        self.assertTrue(pump.sbom_received)
        self.assertTrue(other_pump.sbom_received)
        self.assertFalse(self.lookalike.sbom_received)
        # The device changes model: no SBOM of its new model.
        other_pump.write({"model": "Volumat 9"})
        self.assertFalse(other_pump.sbom_received)
        sbom.write({"active": False})
        self.assertFalse(pump.sbom_received)
        # Received outside the suite: ticked by hand.
        pump.with_user(self.users["rssi"]).write({"sbom_received_manual": True})
        self.assertTrue(pump.sbom_received)
        sbom.write({"active": True, "dm_model_name": "Volumat 9"})
        self.assertTrue(other_pump.sbom_received)
        self.assertTrue(pump.sbom_received)  # its manual answer
        # A device's own SBOM counts, and is tracked in its chatter.
        self.flush_tracking()
        own = self.sbom(MONITOR_XML, equipment_id=self.monitor.id)
        self.assertTrue(self.monitor.sbom_received)
        self.assertIn("sbom_received", self.tracked_fields(self.monitor))
        own.with_user(self.users["engineer"]).write({"active": False})
        self.assertFalse(self.monitor.sbom_received)


@tagged("post_install", "-at_install")
class TestSbomAttacks(SbomCase):
    ROLES = ("technician", "engineer", "rssi")

    def test_server_set_fields_are_not_writable(self):
        sbom = self.sbom(PUMP_JSON)
        self.env.flush_all()
        fnames = [
            "sbom_format",
            "read_on",
            "read_by_id",
            "component_count",
            "target_kind",
            "dm_model_key",
        ]
        before = sbom.read(fnames)[0]
        components = sbom.component_ids
        component = components[:1]
        version = component.version
        forged = {
            "sbom_format": "spdx_json",
            "read_on": "2020-01-01 00:00:00",
            "read_by_id": self.users["technician"].id,
            "component_count": 99,
            "target_kind": "model",
            "dm_model_key": "volumat 8",
            "component_ids": [(0, 0, {"name": "forged", "version": "1"})],
        }
        for role in self.ROLES:
            for fname, value in forged.items():
                with (
                    self.subTest(role=role, field=fname),
                    self.assertRaises(UserError),
                ):
                    sbom.with_user(self.users[role]).write({fname: value})
            for commands in (
                [(1, component.id, {"version": "9.9"})],
                [(2, component.id)],
                [(3, component.id)],
                [(5,)],
                [(6, 0, [])],
            ):
                with (
                    self.subTest(role=role, commands=commands),
                    self.assertRaises(UserError),
                ):
                    sbom.with_user(self.users[role]).write({"component_ids": commands})
            Component = self.env["dm.sbom.component"].with_user(self.users[role])
            with self.assertRaises(AccessError):
                Component.create({"sbom_id": sbom.id, "name": "forged"})
            with self.assertRaises(AccessError):
                component.with_user(self.users[role]).write({"version": "9.9"})
            with self.assertRaises(AccessError):
                component.with_user(self.users[role]).write({"match_key": "x"})
            with self.assertRaises(AccessError):
                component.with_user(self.users[role]).unlink()
            with self.assertRaises(UserError):
                sbom.with_user(self.users[role]).unlink()
        self.env.invalidate_all()
        self.assertEqual(sbom.read(fnames)[0], before)
        self.assertEqual(sbom.component_ids, components)
        self.assertEqual(component.version, version)
        self.assertNotIn("forged", sbom.component_ids.mapped("name"))

    def test_create_with_forged_values_and_defaults(self):
        for role in ("engineer", "rssi"):
            with self.subTest(role=role), self.assertRaises(UserError):
                self.sbom(MONITOR_XML, user=role, sbom_format="spdx_json")
            with self.subTest(role=role), self.assertRaises(UserError):
                self.sbom(
                    MONITOR_XML,
                    user=role,
                    component_ids=[(0, 0, {"name": "forged"})],
                )
            forged_context = {
                "default_sbom_format": "spdx_json",
                "default_read_by_id": self.users["technician"].id,
                "default_read_on": "2020-01-01 00:00:00",
                "default_component_ids": [(0, 0, {"name": "forged"})],
                "default_component_count": 99,
                "default_target_kind": "model",
            }
            sbom = (
                self.Sbom.with_user(self.users[role])
                .with_context(**forged_context)
                .create(
                    {
                        "name": "Forged defaults",
                        "document": b64(sample(MONITOR_XML)),
                        "filename": MONITOR_XML,
                        "equipment_id": self.monitor.id,
                    }
                )
            )
            self.assertEqual(sbom.sbom_format, "cyclonedx_xml")
            self.assertEqual(sbom.read_by_id, self.users[role])
            self.assertEqual(sbom.target_kind, "device")
            self.assertEqual(sbom.component_count, 3)
            self.assertNotIn("forged", sbom.component_ids.mapped("name"))
        for role in ("technician", "pharmacist", "dpo", "auditor"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                self.sbom(MONITOR_XML, user=role)

    def test_sbom_received_is_not_writable(self):
        device = self.pumps[0]
        for role in self.ROLES:
            with self.subTest(role=role), self.assertRaises(UserError):
                device.with_user(self.users[role]).write({"sbom_received": True})
        with self.assertRaises(UserError):
            self.Equipment.with_user(self.users["technician"]).create(
                self._acquisition_vals(serial_no="SBOM-FORGED", sbom_received=True)
            )
        device.invalidate_recordset()
        self.assertFalse(device.sbom_received)

    def test_every_role_reads(self):
        sbom = self.sbom(MONITOR_XML)
        for role in ("technician", "engineer", "pharmacist", "rssi", "dpo", "auditor"):
            with self.subTest(role=role):
                as_role = sbom.with_user(self.users[role])
                self.assertEqual(len(as_role.component_ids), 3)
                self.assertEqual(
                    self.monitor.with_user(self.users[role]).dm_sbom_count, 1
                )
        with self.assertRaises(AccessError):
            sbom.with_user(self.users["internal"]).read(["name"])

    def test_actions_show_only_what_the_user_reads(self):
        other = self.env["res.company"].create({"name": "SBOM hospital B"})
        foreign = self.Equipment.create(
            self._acquisition_vals(
                serial_no="SBOM-B",
                model="Volumat 8",
                manufacturer_id=self.maker.id,
                company_id=other.id,
            )
        )
        sbom = self.model_sbom()
        sbom.write({"company_id": False})
        self.assertIn(foreign, sbom._dm_devices())
        rssi = self.users["rssi"]
        as_rssi = sbom.with_user(rssi)
        self.assertEqual(as_rssi.device_count, len(self.pumps))
        action = as_rssi.action_view_devices()
        self.assertEqual(
            self.Equipment.with_user(rssi).search(action["domain"]), self.pumps
        )
        for method in ("action_view_devices", "action_view_components"):
            with self.subTest(method=method), self.assertRaises(AccessError):
                getattr(sbom.with_user(self.users["internal"]), method)()
