import base64
import json

from odoo.addons.medical_device.tests.common import MedicalDeviceCase

from .advisory_server import sample


class AdvisoryCase(MedicalDeviceCase):
    """Users of every role, the importer and the sample files."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Importer = cls.env["dm.advisory.importer"]
        cls.Cve = cls.env["dm.cve"]
        cls.Advisory = cls.env["dm.advisory"].with_context(active_test=False)
        # A clean slate (the demo's CVEs and advisories; rolled back after).
        # The demo's vulnerability lines have a history that the ORM keeps
        # (archive, never delete): removed by SQL, in this test's transaction.
        cls.env.cr.execute("DELETE FROM dm_vulnerability")
        cls.env.invalidate_all()
        cls.env["dm.advisory.product"].search([]).unlink()
        cls.Advisory.search([]).unlink()
        cls.Cve.search([]).unlink()

    def import_sample(self, name, kind=None, user=None, data=None):
        importer = self.Importer.with_user(user) if user else self.Importer
        return importer._dm_import_file(
            data if data is not None else sample(name), kind=kind, filename=name
        )

    def cve(self, name):
        return self.Cve.search([("name", "=", name)])

    def csaf(self, **changes):
        """The ICSMA sample with ``changes`` applied by a function."""
        document = json.loads(sample("icsma_perfusio_volumat.json"))
        for change in changes.values():
            change(document)
        return json.dumps(document).encode()

    @staticmethod
    def b64(data):
        return base64.b64encode(data)
