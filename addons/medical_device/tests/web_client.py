"""What the web client asks the server for, so that tests and the benchmark
(scripts/bench.py) measure the same calls as a user's browser."""

import json

from lxml import etree

from odoo.tools.safe_eval import safe_eval

# Records per group on a grouped view's first page (web_read_group's default).
FIRST_PAGE = 80


def view_specification(Model, arch):
    """The read specification the web client builds from a view's arch: every
    field of the arch (not of its sub-views), relational ones with their
    display name."""
    spec = {}
    for node in etree.fromstring(arch).iter("field"):
        if any(parent.tag == "field" for parent in node.iterancestors()):
            continue
        name = node.get("name")
        if Model._fields[name].type in ("many2one", "one2many", "many2many"):
            spec[name] = {"fields": {"display_name": {}}}
        else:
            spec[name] = {}
    return spec


def kanban_first_page(Model, arch, domain, group_by, limit=FIRST_PAGE):
    """A callable that loads a grouped kanban's first page as the web client
    does: the groups with the first ``limit`` records of each, and the column
    progress bars."""
    spec = view_specification(Model, arch)
    node = etree.fromstring(arch).find(".//progressbar")
    bar = node is not None and {
        "field": node.get("field"),
        "colors": json.loads(node.get("colors")),
    }

    def load():
        result = Model.web_read_group(
            domain,
            [group_by],
            auto_unfold=True,
            unfold_read_specification=spec,
            unfold_read_default_limit=limit,
        )
        if bar:
            Model.read_progress_bar(domain, group_by, bar)
        return result

    load.specification = spec
    return load


def action_kanban_first_page(env, action_xmlid, limit=FIRST_PAGE):
    """The first page of the kanban of a window action, grouped as the action's
    context says."""
    # sudo: the web client loads actions with sudo (/web/action/load) too.
    action = env.ref(action_xmlid).sudo()
    Model = env[action.res_model]
    arch = Model.get_view(action.view_id.id, "kanban")["arch"]
    context = action._get_eval_context()
    domain = safe_eval(action.domain or "[]", context)
    group_by = safe_eval(action.context or "{}", context).get("group_by")
    if isinstance(group_by, list):
        group_by = group_by[0]
    return kanban_first_page(Model, arch, domain, group_by, limit)
