import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import eudamed

_logger = logging.getLogger(__name__)

URL_PARAM = "medical_device.eudamed_url"
TIMEOUT_PARAM = "medical_device.eudamed_timeout"
RETRIES_PARAM = "medical_device.eudamed_retries"
PROXY_PARAM = "medical_device.eudamed_proxy"
BATCH_PARAM = "medical_device.eudamed_batch_size"
# What the server remembers of the last look-up: never a client's to set.
EUDAMED_STATE_FIELDS = (
    "eudamed_hash",
    "eudamed_snapshot",
    "eudamed_checked_on",
    "eudamed_changed",
)
# Our regulatory identity compared with EUDAMED's, in the wizard's order.
COMPARED_FIELDS = (
    "dm_risk_class",
    "ce_regime",
    "basic_udi_di",
    "notified_body_number",
    "ce_certificate_ref",
    "ce_certificate_expiry",
)


class DmEudamedMixin(models.AbstractModel):
    """A look-up of a record's regulatory identity in EUDAMED (devices,
    software): the client's settings, the comparison field by field shown in
    a wizard (nothing is written without the user's choice), the snapshot of
    the last answer a weekly job compares with."""

    _name = "dm.eudamed.mixin"
    _description = "EUDAMED look-up"

    eudamed_hash = fields.Char(string="EUDAMED fingerprint", readonly=True, copy=False)
    eudamed_snapshot = fields.Json(
        string="EUDAMED registration", readonly=True, copy=False
    )
    eudamed_checked_on = fields.Datetime(
        string="Checked in EUDAMED on", readonly=True, copy=False
    )
    eudamed_changed = fields.Boolean(
        string="EUDAMED registration changed",
        readonly=True,
        copy=False,
        index=True,
        help="The weekly check found that EUDAMED's registration (class, "
        "manufacturer, certificates) changed since the last look-up: look it "
        "up again to see the differences.",
    )

    # ------------------------------------------------------------ client
    @api.model
    def _dm_eudamed_client(self):
        # sudo: the settings are admin data.
        params = self.env["ir.config_parameter"].sudo()
        return eudamed.EudamedClient(
            base_url=params.get_param(URL_PARAM) or eudamed.DEFAULT_URL,
            timeout=float(params.get_param(TIMEOUT_PARAM) or eudamed.DEFAULT_TIMEOUT),
            retries=int(params.get_param(RETRIES_PARAM) or eudamed.DEFAULT_RETRIES),
            proxy=params.get_param(PROXY_PARAM) or None,
        )

    @api.model
    def _dm_eudamed_error_message(self, error):
        """A look-up that failed, said in the user's language."""
        params = error.params
        if error.kind == "timeout":
            return self.env._(
                "EUDAMED did not answer within %(timeout)s seconds (%(attempts)s "
                "attempts): try again later.",
                timeout=params.get("timeout"),
                attempts=params.get("attempts"),
            )
        if error.kind == "http":
            return self.env._(
                "EUDAMED answered with an error (HTTP %(status)s): try again later.",
                status=params.get("status"),
            )
        if error.kind == "invalid":
            return self.env._(
                "EUDAMED's answer could not be read: its format may have changed. "
                "Check the EUDAMED address in the settings."
            )
        return self.env._(
            "EUDAMED cannot be reached (%(url)s): the server is offline or the "
            "network blocks it. Check the connection and the proxy in the "
            "settings, then try again.",
            url=params.get("url") or "",
        )

    def _dm_eudamed_keys(self):
        """(UDI-DI, Basic UDI-DI) looked up."""
        self.ensure_one()
        return (self.udi_di or "", self.basic_udi_di or "")

    def _dm_eudamed_fetch(self, client=None):
        """The record's registration in EUDAMED (``None``: not found); a
        translated ``UserError`` when EUDAMED cannot answer."""
        self.ensure_one()
        udi_di, basic_udi_di = self._dm_eudamed_keys()
        if not udi_di and not basic_udi_di:
            raise UserError(
                self.env._(
                    "%(record)s has neither a UDI-DI nor a Basic UDI-DI to look "
                    "up in EUDAMED.",
                    record=self.display_name,
                )
            )
        client = client or self._dm_eudamed_client()
        try:
            return client.lookup(udi_di=udi_di, basic_udi_di=basic_udi_di)
        except eudamed.EudamedError as error:
            raise UserError(self._dm_eudamed_error_message(error)) from error

    # ------------------------------------------------------------ comparison
    def _dm_eudamed_appliable(self):
        """The fields the wizard may write (the user's own rights apply)."""
        return set(COMPARED_FIELDS)

    @api.model
    def _dm_eudamed_values(self, record):
        """``{field: value}`` EUDAMED gives for our fields (empty values left
        out: EUDAMED saying nothing is no difference to apply)."""
        certificate = record.main_certificate()
        values = {
            "dm_risk_class": record.risk_class,
            "ce_regime": record.ce_regime,
            "basic_udi_di": record.basic_udi_di,
        }
        if certificate:
            values.update(
                notified_body_number=certificate.notified_body_number,
                ce_certificate_ref=certificate.number,
                ce_certificate_expiry=certificate.expiry,
            )
        return {fname: value for fname, value in values.items() if value}

    def _dm_eudamed_display(self, fname, value):
        """A value of ours or EUDAMED's as the user reads it."""
        if not value:
            return ""
        field = self._fields[fname]
        if field.type == "selection":
            labels = dict(field._description_selection(self.env))
            return labels.get(value, value)
        if field.type == "date":
            return fields.Date.to_string(fields.Date.to_date(value))
        return str(value)

    def _dm_eudamed_lines(self, record):
        """The wizard's lines: each compared field, ours and EUDAMED's, whether
        they differ and whether the user may apply EUDAMED's."""
        self.ensure_one()
        theirs = self._dm_eudamed_values(record)
        appliable = self._dm_eudamed_appliable()
        lines = []
        for fname in self._dm_eudamed_compared():
            ours = self[fname]
            if self._fields[fname].type == "date":
                ours = fields.Date.to_string(ours) if ours else ""
            value = theirs.get(fname, "")
            differs = bool(value) and str(ours or "") != str(value)
            lines.append(
                {
                    "field_name": fname,
                    "label": self._fields[fname].get_description(self.env)["string"],
                    "ours": self._dm_eudamed_display(fname, ours),
                    "eudamed": self._dm_eudamed_display(fname, value),
                    "eudamed_value": str(value or ""),
                    "differs": differs,
                    "can_apply": differs and fname in appliable,
                }
            )
        return lines

    def _dm_eudamed_compared(self):
        return COMPARED_FIELDS

    def _dm_eudamed_manufacturer(self):
        """Our manufacturer (a partner), compared by name with EUDAMED's."""
        return self.env["res.partner"]

    def _dm_eudamed_remember(self, record, acknowledged=True):
        """Store what EUDAMED answered (its fingerprint, a snapshot) and when;
        ``acknowledged``: the user saw it, the change flag goes down."""
        vals = {
            "eudamed_hash": eudamed.fingerprint(record),
            "eudamed_snapshot": record.snapshot() if record else False,
            "eudamed_checked_on": fields.Datetime.now(),
        }
        if acknowledged:
            vals["eudamed_changed"] = False
        # sudo: the look-up's memory is closed to clients (see
        # _dm_client_protected_fields of the models); no tracking of it.
        self.sudo().with_context(tracking_disable=True).write(vals)

    # ------------------------------------------------------------ action
    def action_eudamed_lookup(self):
        """Look the record up in EUDAMED and show the differences with our
        regulatory identity in a wizard; nothing changes until the user
        applies the lines chosen."""
        self.ensure_one()
        self.check_access("read")
        record = self._dm_eudamed_fetch()
        if self.has_access("write"):
            self._dm_eudamed_remember(record)
        wizard_vals = {
            "res_model": self._name,
            "res_id": self.id,
            "found": bool(record),
        }
        if record:
            certificates = [
                self.env._(
                    "%(number)s (notified body %(body)s, expires %(expiry)s, "
                    "%(status)s)",
                    number=c.number or "-",
                    body=c.notified_body_number or "-",
                    expiry=c.expiry or "-",
                    status=c.status or "-",
                )
                for c in record.certificates
            ]
            manufacturer = self._dm_eudamed_manufacturer()
            wizard_vals.update(
                registered_as=(
                    self.env._("Medical device software")
                    if record.is_software
                    else self.env._("Medical device")
                )
                if record.is_medical_device
                else self.env._("Not a medical device"),
                trade_name=record.trade_name,
                manufacturer_eudamed=" ".join(
                    filter(
                        None,
                        [
                            record.manufacturer_name,
                            f"({record.manufacturer_srn})"
                            if record.manufacturer_srn
                            else "",
                        ],
                    )
                ),
                manufacturer_ours=manufacturer.display_name or "",
                device_status=record.device_status,
                certificates="\n".join(certificates),
                line_ids=[
                    fields.Command.create(line)
                    for line in self._dm_eudamed_lines(record)
                ],
            )
        wizard = self.env["dm.eudamed.lookup.wizard"].create(wizard_vals)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("EUDAMED look-up"),
            "res_model": "dm.eudamed.lookup.wizard",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }
