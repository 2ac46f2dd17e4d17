from contextlib import contextmanager

from odoo import Command
from odoo.tests import HttpCase, TransactionCase, new_test_user

from ..models.dm_reception import RECEPTION_CRITERIA

# The suite's roles and their groups, for the tests that act as each of them.
DM_ROLE_GROUPS = {
    "technician": "medical_device.group_dm_technician",
    "engineer": "medical_device.group_dm_engineer",
    "pharmacist": "medical_device.group_dm_pharmacist",
    "rssi": "medical_device.group_dm_rssi",
    "dpo": "medical_device.group_dm_dpo",
    "auditor": "medical_device.group_dm_auditor",
}
# The same, and an employee with no medical device role.
ROLE_GROUPS = {**DM_ROLE_GROUPS, "internal": "base.group_user"}


def pieu_levels(env, p, i, e, u):
    """PIEU field values from the shipped scale levels (xml ids by value)."""
    ref = env.ref
    return {
        "pieu_p_id": ref(f"medical_device.dm_pieu_level_p_{p}").id,
        "pieu_i_id": ref(f"medical_device.dm_pieu_level_i_{i}").id,
        "pieu_e_id": ref(f"medical_device.dm_pieu_level_e_{e}").id,
        "pieu_u_id": ref(f"medical_device.dm_pieu_level_u_{u}").id,
    }


# A device's regulatory identity, enough for reception.
REGULATORY_VALS = {
    "dm_risk_class": "iib",
    "ce_regime": "mdr",
    "notified_body_number": "0123",
    "ce_certificate_ref": "CE-MDR-42",
}


def train_device(env, device, **overrides):
    """Record, in ``env``, a training session held for ``device`` today with
    one attendee: the register of trained users that meets a reception's user
    training."""
    employee = (
        env["hr.employee"]
        .sudo()
        .create(
            {
                "name": f"Trained user of {device.name}",
                "company_id": device.company_id.id,
            }
        )
    )
    vals = {
        "equipment_id": device.id,
        "company_id": device.company_id.id,
        "attendee_ids": [Command.set(employee.ids)],
        "validity_months": 12,
    }
    vals.update(overrides)
    return env["dm.training.session"].create(vals)


class MedicalDeviceCase(TransactionCase):
    """Users for every role and helpers that build devices at each lifecycle step."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.company = cls.env.company
        cls.users = {
            role: new_test_user(cls.env, login=f"test_dm_{role}", groups=group)
            for role, group in DM_ROLE_GROUPS.items()
        }
        cls.users["internal"] = new_test_user(
            cls.env, login="test_dm_internal", groups="base.group_user"
        )
        cls.users["maintenance_manager"] = new_test_user(
            cls.env,
            login="test_dm_maint_manager",
            groups="maintenance.group_equipment_manager",
        )
        # The seed's examples: CT scanner 0.01x0.01x3x1, syringe pump 1x2x3x2.
        cls.pieu_ct = pieu_levels(cls.env, "0_01", "0_01", 3, 1)
        cls.pieu_syringe_pump = pieu_levels(cls.env, 1, 2, 3, 2)
        cls.Equipment = cls.env["maintenance.equipment"]

    @contextmanager
    def assertRaisesRegex(self, exception, regex, msg=None):
        """Like unittest's, inside Odoo's savepoint: a refused call leaves no
        trace, as the rolled-back transaction of an RPC call would."""
        with self.assertRaises(exception, msg=msg) as caught:
            yield caught
        self.assertRegex(str(caught.exception), regex)

    def flush_tracking(self):
        """Run the tracking as a commit would (it is a precommit hook). Changes
        made in the transaction that created a record are not tracked: tests
        flush once after creating, like the end of the creating request."""
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()

    def tracked_fields(self, record):
        """Names of the fields tracked in the record's chatter so far."""
        self.flush_tracking()
        return record.sudo().message_ids.tracking_value_ids.mapped("field_id.name")

    @classmethod
    def _acquisition_vals(cls, **overrides):
        vals = {
            "name": "Syringe pump",
            "is_medical_device": True,
            "dm_kind": "dm",
            "serial_no": "SP-0001",
            "acquisition_mode": "purchase",
            "acq_ce_checked": True,
            "acq_training_planned": True,
        }
        vals.update(overrides)
        return vals

    @classmethod
    def _regulatory_vals(cls, **overrides):
        vals = {
            "dm_risk_class": "iib",
            "ce_regime": "mdr",
            "notified_body_number": "0123",
            "ce_certificate_ref": "CE-MDR-42",
        }
        vals.update(overrides)
        return vals

    def create_device(self, user="engineer", **overrides):
        return self.Equipment.with_user(self.users[user]).create(
            self._acquisition_vals(**overrides)
        )

    def train_users(self, device, user="technician", **overrides):
        """A training session held for ``device`` today with one attendee,
        recorded as ``user``: the register of trained users that meets a
        reception's user training."""
        employee = self.env["hr.employee"].create(
            {
                "name": f"Trained user of {device.name}",
                "company_id": device.company_id.id,
            }
        )
        vals = {
            "equipment_id": device.id,
            "company_id": device.company_id.id,
            "attendee_ids": [Command.set(employee.ids)],
            "validity_months": 12,
        }
        vals.update(overrides)
        return self.env["dm.training.session"].with_user(self.users[user]).create(vals)

    def reception_ready(self, device, pieu=None):
        """Fill what reception needs, record a training session of the device,
        create a reception report with every criterion met and submit it for
        acceptance (as the technician); returns the reception, still to
        decide."""
        device.write(self._regulatory_vals())
        self.train_users(device)
        reception_vals = {
            "equipment_id": device.id,
            **(pieu or self.pieu_syringe_pump),
        }
        reception_vals.update(dict.fromkeys(RECEPTION_CRITERIA, True))
        reception = (
            self.env["dm.reception"]
            .with_user(self.users["technician"])
            .create(reception_vals)
        )
        reception.action_submit()
        return reception

    def device_in_service(self, **overrides):
        """Walk a new device to service, one request per step as in the UI."""
        device = self.create_device(**overrides)
        self.flush_tracking()
        device.with_user(self.users["technician"]).action_to_reception()
        self.flush_tracking()
        reception = self.reception_ready(device)
        reception.with_user(self.users["engineer"]).action_accept()
        self.flush_tracking()
        device.with_user(self.users["technician"]).action_put_in_service()
        self.flush_tracking()
        return device


class DmHttpCase(HttpCase):
    """HTTP and browser tests of the suite: the devices they start from,
    walked through the lifecycle as the users would (the gates apply)."""

    def call(self, model, method, args, kwargs=None):
        """``model.method(*args, **kwargs)`` over JSON-RPC as the web client
        sends it, as the authenticated user; an error answer raises
        ``JsonRpcException``."""
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    @classmethod
    def device_received(cls, technician=None, engineer=None, pieu=None, **vals):
        """A medical device created by ``engineer``, taken to reception by
        ``technician`` with its regulatory identity, its users trained
        (``train_device``) and its reception report submitted by
        ``technician`` and accepted by ``engineer`` (four eyes): ready to be
        put in service. ``technician`` defaults to the test's user (OdooBot),
        ``engineer`` to the administrator; ``vals`` complete the device."""
        env = cls.env
        technician = technician or env.user
        engineer = engineer or env.ref("base.user_admin")
        regulatory = {k: vals.pop(k) for k in list(vals) if k in REGULATORY_VALS}
        device = (
            env["maintenance.equipment"]
            .with_user(engineer)
            .create(
                {
                    "is_medical_device": True,
                    "acquisition_mode": "purchase",
                    "acq_ce_checked": True,
                    "acq_training_planned": True,
                    **vals,
                }
            )
        )
        device.with_user(technician).action_to_reception()
        device.with_user(technician).write({**REGULATORY_VALS, **regulatory})
        train_device(env, device)
        reception = (
            env["dm.reception"]
            .with_user(technician)
            .create(
                {
                    "equipment_id": device.id,
                    **(pieu or pieu_levels(env, 1, 2, 3, 2)),
                    **dict.fromkeys(RECEPTION_CRITERIA, True),
                }
            )
        )
        reception.action_submit()
        reception.with_user(engineer).action_accept()
        return device.with_env(env)

    @classmethod
    def device_in_service(cls, technician=None, engineer=None, pieu=None, **vals):
        """A medical device walked to service (``device_received``, then put
        in service by ``technician``)."""
        device = cls.device_received(technician, engineer, pieu, **vals)
        device.with_user(technician or cls.env.user).action_put_in_service()
        return device
