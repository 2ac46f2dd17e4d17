from odoo import fields, models
from odoo.fields import Domain

from ..tools import fleet_import, fleet_import_plans
from .maintenance_plan import default_team_memo


class DmFleetImportPlans(models.AbstractModel):
    """The plan columns of a fleet import (used by ``dm.fleet.import.batch``):
    each row's periodicities become the device's maintenance and
    quality-control plans, its last operations done operations of those plans
    in the maintenance register.

    Written in the same call as the row's device (``_write_rows``): a row whose
    plans the server refuses leaves nothing, its device included. A plan of
    the same nature already on the device (its own or its model's) is the one
    the row updates; an operation already in the register (same device,
    nature and date) is not recorded again, so that a re-run of the same file
    changes nothing."""

    _name = "dm.fleet.import.plans"
    _description = "Plans of a medical device fleet import"

    def _dm_plan_references(self, state):
        """What the plan columns read once per run: the done stage of the
        operations and the natures' labels (the importer's language for the
        errors, the company's for the plans' names)."""
        refs = state.references
        if "plan_done_stage" not in refs:
            Plan = self.env["maintenance.plan"]
            field = Plan._fields["dm_nature"]
            # sudo: the stages are configuration every operation uses.
            refs["plan_done_stage"] = (
                self.env["maintenance.stage"]
                .sudo()
                .search([("done", "=", True)], order="sequence, id", limit=1)
                .id
            )
            refs["plan_nature_labels"] = dict(field._description_selection(self.env))
            lang = self.company_id.partner_id.lang or self.env.lang
            lang_env = self.env(context={**self.env.context, "lang": lang})
            refs["plan_names"] = dict(field._description_selection(lang_env))
            refs["plan_today"] = fields.Date.context_today(self)
        return refs

    def _dm_row_plans(self, state, vals):
        """The plans of a parsed row, or its errors as ``(column, message)``."""
        refs = self._dm_plan_references(state)
        plans_, errors = fleet_import_plans.row_plans(
            vals, refs["plan_today"], refs["plan_nature_labels"]
        )
        return plans_, [
            (
                state.header(target),
                fleet_import.error_text(code, params, state.targets, self.env),
            )
            for target, code, params in errors
        ]

    def _dm_write_plans(self, env, state, row_devices, row_plans):
        """Write the plans of ``row_devices`` (``[(row number, device)]``) and
        record their last operations: a few queries per batch, whatever its
        size. Returns the row numbers whose plans or operations changed."""
        items = [
            (row_number, device, plan)
            for row_number, device in row_devices
            for plan in row_plans.get(row_number, ())
        ]
        if not items:
            return set()
        refs = self._dm_plan_references(state)
        Plan = env["maintenance.plan"]
        devices = env["maintenance.equipment"].browse(
            {device.id for _r, device, _p in items}
        )
        found = {}
        for plan in Plan.search_fetch(
            Domain("equipment_id", "in", devices.ids)
            & Domain("active", "=", True)
            & Domain("dm_nature", "in", list({p.nature for _r, _d, p in items})),
            [
                "equipment_id",
                "dm_nature",
                "interval",
                "interval_step",
                "start_maintenance_date",
            ],
            order="id",
        ):
            found.setdefault((plan.equipment_id.id, plan.dm_nature), plan)
        changed, new_plans, updates = set(), [], {}
        for row_number, device, spec in items:
            plan = found.get((device.id, spec.nature))
            if plan is None:
                new_plans.append((row_number, device, spec))
                continue
            changes = self._dm_plan_changes(plan, spec)
            if changes:
                updates.setdefault(tuple(sorted(changes.items())), []).append(plan.id)
                changed.add(row_number)
        if new_plans:
            created = Plan.create(
                [
                    self._dm_plan_vals(refs, device, spec)
                    for _r, device, spec in new_plans
                ]
            )
            for (row_number, device, spec), plan in zip(
                new_plans, created, strict=True
            ):
                found[(device.id, spec.nature)] = plan
                changed.add(row_number)
        for changes, plan_ids in updates.items():
            Plan.browse(plan_ids).write(dict(changes))
        changed |= self._dm_record_last_operations(env, refs, items, found)
        return changed

    def _dm_plan_changes(self, plan, spec):
        """What a row changes on a plan the device has: its periodicity, and
        its start when the file knows an earlier last operation (or, without
        one, another next due date)."""
        changes = {}
        if (plan.interval, plan.interval_step) != (spec.interval, spec.step):
            changes.update(interval=spec.interval, interval_step=spec.step)
        start = plan.start_maintenance_date
        if spec.last_date:
            if not start or spec.last_date < start:
                changes["start_maintenance_date"] = spec.last_date
        elif spec.next_date and spec.next_date != start:
            changes["start_maintenance_date"] = spec.next_date
        return changes

    def _dm_plan_vals(self, refs, device, spec):
        """A new plan of a device from a row: done by the hospital team (an
        external control waits for its accredited body, as the proposals do),
        planned one period ahead, starting at its last operation so that its
        next date follows from it."""
        vals = {
            "name": refs["plan_names"].get(spec.nature, spec.nature),
            "equipment_id": device.id,
            "company_id": device.company_id.id,
            "dm_nature": spec.nature,
            "interval": spec.interval,
            "interval_step": spec.step,
            "maintenance_plan_horizon": spec.interval,
            "planning_step": spec.step,
            "dm_performer": False if spec.nature == "qc_external" else "internal",
        }
        if spec.start_date():
            vals["start_maintenance_date"] = spec.start_date()
        return vals

    def _dm_record_last_operations(self, env, refs, items, plans_by_key):
        """The last operations of the rows as done operations of their plans,
        except those already in the register (same device, nature and date):
        one search and one create for the batch."""
        with_date = [
            (row_number, device, spec)
            for row_number, device, spec in items
            if spec.last_date
        ]
        if not with_date:
            return set()
        Request = env["maintenance.request"]
        known = {
            (request.equipment_id.id, request.operation_nature, request.request_date)
            for request in Request.search_fetch(
                Domain("equipment_id", "in", list({d.id for _r, d, _s in with_date}))
                & Domain(
                    "request_date", "in", list({s.last_date for *_x, s in with_date})
                ),
                ["equipment_id", "operation_nature", "request_date"],
            )
        }
        vals_list, rows = [], set()
        with default_team_memo(env):
            for row_number, device, spec in with_date:
                if (device.id, spec.nature, spec.last_date) in known:
                    continue
                known.add((device.id, spec.nature, spec.last_date))
                plan = plans_by_key[(device.id, spec.nature)]
                vals_list.append(self._dm_last_operation_vals(refs, device, plan, spec))
                rows.add(row_number)
        if vals_list:
            Request.create(vals_list)
        return rows

    def _dm_last_operation_vals(self, refs, device, plan, spec):
        """A done operation of the plan, from the previous CMMS: what the
        plan's generation would create on that date, done on it."""
        vals = device._prepare_request_from_plan(plan, spec.last_date)
        vals.update(
            {
                "stage_id": refs["plan_done_stage"],
                "close_date": spec.last_date,
                # Nothing to schedule, nobody here to follow it or to remind.
                "schedule_date": False,
                "owner_user_id": False,
                "user_id": False,
                "operation_result": spec.last_result or False,
            }
        )
        return vals
