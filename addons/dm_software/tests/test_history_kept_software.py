"""Nothing with a history is deleted (dm_software): a software in use, its
validated version, installation, qualification, quality control plan and
record and the site it runs on resist every role and the superuser."""

from odoo.addons.medical_device.tests.audit import HistoryKeptMixin
from odoo.addons.medical_device.tests.figures import record_figure
from odoo.tests import tagged

from .common import SoftwareCase


@tagged("post_install", "-at_install")
class TestSoftwareHistoryKept(HistoryKeptMixin, SoftwareCase):
    def test_software_history_is_kept(self):
        software = self.software_in_use(contains_ai=True)
        plan = software.qc_plan_ids
        self.assertTrue(plan)
        record = (
            self.env["dm.software.qc.record"]
            .with_user(self.users["referent"])
            .create({"plan_id": plan.id, "cases_checked": 30, "discordances": 1})
        )
        install = software.install_ids
        records = (
            software,
            software.version_ids,
            install,
            software.qualification_ids,
            plan,
            record,
            install.site_id,
        )
        refused = 0
        for kept in records:
            self.assertTrue(kept)
            refused += self.assertKept(kept)
        record_figure("history_unlink_refused_dm_software", attempts=refused)
