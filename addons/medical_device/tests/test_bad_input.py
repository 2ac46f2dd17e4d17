"""Bad values sent by an RPC client: a clear, translated refusal, never a
traceback from deep in the code, a database error or a value stored as sent."""

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..models.dm_input_guard import CHAR_MAX_LENGTH, TEXT_MAX_LENGTH
from .common import MedicalDeviceCase

# A refusal the client can show: ValidationError is a UserError.
REFUSED = UserError
WRONG_KINDS = (123, 1.5, ["x"], {"x": 1}, True)
# x2many values that are neither records, ids nor well-formed commands.
BAD_COMMANDS = (
    "abc",
    [("x",)],
    [(99, 0, 0)],
    [(0, 0, "vals")],
    [(1, 0, {})],
    [(6, 0, "abc")],
    [(4, 10**30)],
    [True],
)


@tagged("post_install", "-at_install")
class TestBadInput(MedicalDeviceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.device = cls.Equipment.with_user(cls.users["engineer"]).create(
            cls._acquisition_vals(serial_no="SP-BAD-1")
        )

    def refuse(self, record, vals, regex=None, user="engineer"):
        """``vals`` written on ``record`` as ``user`` is refused with a message
        (not a KeyError, TypeError, AttributeError or ValueError)."""
        with self.assertRaises(REFUSED) as caught:
            record.with_user(self.users[user]).write(vals)
        if regex:
            self.assertRegex(str(caught.exception), regex)
        return caught.exception

    def refuse_create(self, vals, user="engineer"):
        with self.assertRaises(REFUSED):
            self.Equipment.with_user(self.users[user]).create(
                self._acquisition_vals(serial_no="SP-BAD-NEW", **vals)
            )

    # ------------------------------------------------------------ selections
    def test_unknown_or_wrongly_typed_selection_value(self):
        fields = ("dm_risk_class", "ce_regime", "dm_kind", "lifecycle_state")
        for fname in fields:
            for value in ("zz", 42, ["iib"], {"a": 1}, 1.5):
                with self.subTest(field=fname, value=value):
                    self.refuse(self.device, {fname: value}, "not one of the allowed")
                    self.refuse_create({fname: value})
        self.assertEqual(self.device.lifecycle_state, "acquisition")

    def test_every_selection_of_the_device_is_checked(self):
        """The class, not the example: every stored selection field of the
        model refuses an unknown value with a message."""
        for fname, field in self.Equipment._fields.items():
            if field.type != "selection" or not field.store or field.compute:
                continue
            with self.subTest(field=fname):
                self.refuse(self.device, {fname: "no_such_value"})

    # ------------------------------------------------------------ codes
    def test_codes_that_are_not_text(self):
        for fname in ("udi_carrier", "basic_udi_di", "emdn_code", "udi_di"):
            for value in WRONG_KINDS:
                with self.subTest(field=fname, value=value):
                    self.refuse(self.device, {fname: value}, "a text is expected")
                    self.refuse_create({fname: value})
        self.assertFalse(self.device.udi_carrier)

    def test_hostile_context_defaults(self):
        """A ``default_*`` key of the context is a value the ORM applies: the
        same refusal, not a ValueError from the ORM."""
        for key, value in (
            ("default_dm_risk_class", "zz"),
            ("default_ce_regime", ["mdr"]),
            ("default_cost", float("inf")),
            ("default_emdn_code", 123),
        ):
            Equipment = self.Equipment.with_user(self.users["engineer"])
            with self.subTest(key=key), self.assertRaises(REFUSED):
                Equipment.with_context(**{key: value}).create(
                    self._acquisition_vals(serial_no="SP-BAD-CTX")
                )

    def test_basic_udi_di_too_short(self):
        self.refuse(self.device, {"basic_udi_di": "ABC"}, "at least 6")
        self.device.with_user(self.users["engineer"]).write(
            {"basic_udi_di": "0614141MODEL42AB"}
        )
        self.assertEqual(self.device.basic_udi_di, "0614141MODEL42AB")

    # ------------------------------------------------------------ sizes
    def test_huge_strings_are_refused(self):
        huge = "x" * 5_000_000
        char_fields = ("name", "serial_no", "model", "location", "trade_name")
        for fname in char_fields:
            with self.subTest(field=fname):
                self.refuse(self.device, {fname: huge}, "too long")
        self.refuse(self.device, {"name": "x" * (CHAR_MAX_LENGTH + 1)}, "too long")
        self.device.with_user(self.users["engineer"]).write(
            {"name": "x" * CHAR_MAX_LENGTH}
        )
        self.assertEqual(len(self.device.name), CHAR_MAX_LENGTH)
        text_fields = [
            fname
            for fname, field in self.Equipment._fields.items()
            if field.type == "text" and field.store and not field.compute
        ]
        for fname in text_fields:
            with self.subTest(field=fname):
                self.refuse(
                    self.device, {fname: "x" * (TEXT_MAX_LENGTH + 1)}, "too long"
                )

    # ------------------------------------------------------------ numbers
    def test_cost_must_be_finite(self):
        for value in (float("inf"), float("-inf"), float("nan"), "abc", [1]):
            with self.subTest(value=value):
                self.refuse(self.device, {"cost": value})
                self.refuse_create({"cost": value})
        self.device.with_user(self.users["engineer"]).write({"cost": 1200.5})
        self.assertEqual(self.device.cost, 1200.5)

    def test_integer_out_of_range(self):
        self.refuse(self.device, {"pieu_p_id": 10**30}, "out of range")

    # ------------------------------------------------------------ PIEU
    def test_level_of_another_scale_is_refused(self):
        level_i = self.pieu_ct["pieu_i_id"]
        with self.assertRaises(ValidationError):
            self.device.with_user(self.users["engineer"]).write({"pieu_p_id": level_i})
        self.refuse_create({"pieu_p_id": level_i})
        self.device.with_user(self.users["engineer"]).write(self.pieu_ct)
        self.assertEqual(self.device.pieu_p_id.factor, "p")

    def test_reception_refuses_a_level_of_another_scale(self):
        self.device.with_user(self.users["technician"]).action_to_reception()
        Reception = self.env["dm.reception"].with_user(self.users["technician"])
        with self.assertRaises(ValidationError):
            Reception.create(
                {
                    "equipment_id": self.device.id,
                    "pieu_p_id": self.pieu_ct["pieu_u_id"],
                }
            )
        reception = Reception.create({"equipment_id": self.device.id})
        with self.assertRaises(ValidationError):
            reception.write({"pieu_e_id": self.pieu_ct["pieu_i_id"]})
        bad = (
            {"name": ["x"]},
            {"equipment_id": "abc"},
            {"equipment_id": 10**30},
            {"state": "zz"},
        )
        for vals in bad:
            with self.subTest(**vals), self.assertRaises(REFUSED):
                Reception.create({"equipment_id": self.device.id, **vals})

    def test_configuration_models_are_guarded(self):
        """The scale and the rules (no workflow) refuse the same values."""
        level = self.env.ref("medical_device.dm_pieu_level_p_1")
        for vals in (
            {"value": float("inf")},
            {"value": float("nan")},
            {"factor": "x"},
            {"name": "x" * 5_000_000},
        ):
            with (
                self.subTest(**{k: str(v)[:10] for k, v in vals.items()}),
                self.assertRaises(REFUSED),
            ):
                level.with_user(self.users["engineer"]).write(vals)
        self.assertEqual(level.value, 1)

    def test_every_guarded_model_and_field(self):
        """The class, not the example: every model of the suite that is guarded
        (found in the registry, so a new model or field is covered without a
        line here) refuses a wrong kind, an unknown choice, a huge text and a
        non-finite number in every stored field it owns, on create and write."""
        names = self.env.registry.descendants(["dm.input.guard"], "_inherit")
        bad = {
            "selection": ("no_such_value", ["x"]),
            "char": (123, "x" * 5_000_000),
            "text": ({"x": 1}, "x" * 5_000_000),
            "float": (float("inf"), "abc", 10**400),
            "monetary": (float("nan"),),
            "integer": (10**30, "abc"),
            "many2one": (10**30, "abc", [1]),
            "html": (123, "x" * 2_000_000),
            "boolean": ("yes", ["x"], {"x": 1}),
            "date": ("not a date", "2026-13-45", 123),
            "datetime": ("not a date", 1.5),
            "one2many": BAD_COMMANDS,
            "many2many": BAD_COMMANDS,
        }
        checked = 0
        for name in sorted(names):
            # As a user (the sizes bind clients): refused before any access
            # check, with the guard's message (a ValidationError).
            model = self.env[name].with_user(self.users["engineer"])
            if model._abstract:
                continue
            for fname, field in model._fields.items():
                if not field.store or field.compute or field.type not in bad:
                    continue
                for value in bad[field.type]:
                    label = f"{name}.{fname}={str(value)[:12]}"
                    with self.subTest(label), self.assertRaises(ValidationError):
                        model.create({fname: value})
                    with self.subTest(label), self.assertRaises(ValidationError):
                        model.browse().write({fname: value})
                    checked += 1
        self.assertGreater(checked, 100)

    def test_lines_and_dates_keep_working(self):
        """The guard refuses malformed values, not the ones clients send."""
        device = self.device.with_user(self.users["engineer"])
        device.write({"acquisition_date": "2026-01-15", "note": "<p>ok</p>"})
        self.assertEqual(str(device.acquisition_date), "2026-01-15")
        reception = self.env["dm.reception"].with_user(self.users["engineer"])
        reception = reception.create({"equipment_id": device.id})
        for value in ([(4, reception.id)], [(6, 0, [reception.id])], [reception.id]):
            with self.subTest(value=value):
                device.write({"reception_ids": value})
                self.assertEqual(device.reception_ids, reception)
        self.refuse(device, {"acquisition_date": "15/01/2026"}, "YYYY-MM-DD")
        self.refuse(device, {"reception_ids": [(4, "x")]}, "command")
        self.refuse(device, {"reception_ids": "abc"}, "list of records")
        self.assertEqual(device.reception_ids, reception)
