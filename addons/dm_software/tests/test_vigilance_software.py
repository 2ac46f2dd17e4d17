"""Safety notices matched by software version (dm_software): the current
version on each device, in natural order, through the installation's
devices or the software's."""

from odoo.exceptions import ValidationError

from .common import SoftwareCase


class TestNoticeSoftwareVersions(SoftwareCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Equipment = cls.Equipment
        cls.linac = Equipment.create(
            cls._acquisition_vals(
                name="Linac", serial_no="LN-1", lifecycle_state="in_service"
            )
        )
        cls.ct = Equipment.create(
            cls._acquisition_vals(
                name="CT", serial_no="CT-1", lifecycle_state="reception"
            )
        )
        cls.mri = Equipment.create(
            cls._acquisition_vals(
                name="MRI", serial_no="MR-1", lifecycle_state="in_service"
            )
        )
        cls.software = cls.Software.create(
            {
                "name": "TPS",
                "publisher_id": cls.publisher.id,
                "intended_purpose": "Plans treatments.",
                "hosting": "on_premises",
                "equipment_ids": [(6, 0, cls.ct.ids)],
            }
        )
        Version = cls.Version
        Install = cls.env["dm.software.install"]

        def install(version, site, devices, state):
            record = Version.create(
                {
                    "software_id": cls.software.id,
                    "version": version,
                    "state": "installed",
                }
            )
            Install.create(
                {
                    "version_id": record.id,
                    "software_id": cls.software.id,
                    "site_id": site.id,
                    "equipment_ids": [(6, 0, devices.ids)],
                    "install_date": "2026-01-01",
                    "mode": "on_site",
                    "state": state,
                }
            )

        # The linac ran 2.9, now 2.10; the CT runs the software (its own
        # link) whose south site has 3.0; the MRI ran 2.10 (replaced).
        install("2.9", cls.site, cls.linac | cls.mri, "replaced")
        install("2.10", cls.site, cls.linac, "current")
        install("3.0", cls.site_south, cls.env["maintenance.equipment"], "current")

    def notice(self, **values):
        return (
            self.env["dm.vigilance.notice"]
            .with_user(self.users["pharmacist"])
            .create({"name": "FSN-SW", "title": "Dose error", **values})
        )

    def matched(self, notice):
        return notice.sudo().action_ids.equipment_id

    def test_natural_version_range(self):
        # 2.10 is after 2.9: in 2.2-2.10. The CT runs the software (any of its
        # current versions may be the one it uses).
        notice = self.notice(software_versions="2.2-2.10")
        notice.action_match()
        self.assertEqual(self.matched(notice), self.linac | self.ct)
        reason = notice.action_ids.filtered(lambda a: a.equipment_id == self.linac)
        self.assertIn("TPS 2.10", reason.match_reason)
        self.assertIn("2.2-2.10", reason.match_reason)
        # Replaced versions do not count (the MRI's 2.9, the linac's).
        other = self.notice(name="FSN-SW2", software_versions="2.0-2.9")
        other.action_match()
        self.assertFalse(self.matched(other))
        third = self.notice(name="FSN-SW5", software_versions="3.0")
        third.action_match()
        self.assertEqual(self.matched(third), self.ct)

    def test_with_other_criteria_and_manufacturer(self):
        notice = self.notice(software_versions="2.0-3.0", serial_ranges="CT-1")
        notice.action_match()
        self.assertEqual(self.matched(notice), self.ct)
        elsewhere = self.env["res.partner"].create({"name": "Someone else"})
        notice = self.notice(
            name="FSN-SW3", software_versions="2.0-3.0", manufacturer_id=elsewhere.id
        )
        notice.action_match()
        self.assertFalse(self.matched(notice))
        notice = self.notice(
            name="FSN-SW4",
            software_versions="2.0-3.0",
            manufacturer_id=self.publisher.id,
        )
        notice.action_match()
        self.assertEqual(self.matched(notice), self.linac | self.ct)

    def test_bad_version_line(self):
        with self.assertRaisesRegex(ValidationError, r"line 2 \(3\.0 - 2\.0\)"):
            self.notice(software_versions="2.0\n3.0 - 2.0")
