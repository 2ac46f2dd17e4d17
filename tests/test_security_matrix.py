"""The security matrix of docs/security.md, checked cell by cell against the
running system (access rights, record rules, action guards), and complete:
a model, a public action or a role of the addons missing from the document
fails the test. How a cell is measured: tests/security_matrix_probe.py."""

from pathlib import Path

import security_matrix_probe as sm

from odoo.addons.medical_device.tests.figures import record_figure
from odoo.tests import TransactionCase

DOCUMENT = Path(__file__).resolve().parent.parent / "docs" / "security.md"


class TestSecurityMatrix(TransactionCase):
    # Outside an addon's tests package: the attributes Odoo derives from it.
    test_tags = {"standard", "post_install"}
    test_module = "medical_device"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.document = sm.parse(DOCUMENT.read_text(encoding="utf-8"))
        cls.probe = sm.Probe(cls.env)

    def test_document_lists_every_model_action_and_role(self):
        self.assertEqual(
            sorted(self.document),
            sorted(self.probe.models),
            "docs/security.md must have one section per model of the addons",
        )
        for model, actions in self.probe.models.items():
            section = self.document[model]
            self.assertEqual(
                sorted(section["columns"] or []),
                sorted([*sm.CRUD, *actions]),
                f"{model}: the columns must be R, C, W, D and every public action",
            )
            self.assertEqual(
                sorted(section["rows"]),
                sorted(sm.ROLE_LABELS),
                f"{model}: one row per role",
            )
            for role, row in section["rows"].items():
                unknown = {text for text in row.values() if text not in sm.PARSE}
                self.assertFalse(unknown, f"{model} / {role}: unknown cells {unknown}")

    def differences(self, model, section, measured):
        """(cells compared, the differences between the section and the
        measure)."""
        cells, found = 0, []
        for role, row in section["rows"].items():
            for column, text in row.items():
                if column not in measured.get(role, {}):
                    continue  # reported by the test of completeness
                cells += 1
                system = measured[role][column]
                if sm.PARSE.get(text) != system:
                    found.append(
                        f"{model} / {role} / {column}: the document says "
                        f"{text}, the system {sm.VALUES.get(system, sm.NONE)}"
                    )
        return cells, found

    def test_every_cell_matches_the_system(self):
        differences, cells = [], 0
        for model, section in self.document.items():
            if model not in self.probe.models:
                continue  # reported by the test of completeness
            compared, found = self.differences(
                model, section, self.probe.measure(model)
            )
            cells += compared
            differences += found
        self.assertFalse(differences, "\n".join(differences))
        # Each cell is two measures: the user's own company and another one.
        self.assertGreater(cells, 1000)
        record_figure(
            "security_matrix",
            cells=cells,
            models=len(self.document),
            roles=len(sm.ROLE_LABELS),
        )

    def test_a_wrong_cell_is_caught(self):
        """The comparison can fail: a cell of the document changed (a public
        read of the PIEU scales, an engineer refused to edit them) is
        reported."""
        model = "dm.pieu.level"
        section = self.document[model]
        measured = self.probe.measure(model)
        self.assertEqual(self.differences(model, section, measured)[1], [])
        wrong = {
            "columns": section["columns"],
            "rows": {role: dict(row) for role, row in section["rows"].items()},
        }
        wrong["rows"]["public"]["R"] = "all"
        wrong["rows"]["engineer"]["W"] = sm.NONE
        self.assertEqual(len(self.differences(model, wrong, measured)[1]), 2)
