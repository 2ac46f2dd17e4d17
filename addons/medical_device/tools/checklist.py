"""The conditions of a workflow step as a checklist: one item per condition,
met or missing, from which both the gate's refusal and the form's "next step"
panel are read (so that they never disagree)."""

from lxml import etree


def item(label, met, field=None):
    """One condition: ``label`` (the words of the refusal), whether it is
    ``met``, and the ``field`` where it is fixed (None: not on this form)."""
    return {"label": label, "met": bool(met), "field": field or None}


def missing(items):
    """The labels of the conditions not met, in order: the gate's list."""
    return [entry["label"] for entry in items if not entry["met"]]


def field_pages(arch):
    """``{field name: page name}`` of the fields inside a named notebook page
    of a form view's ``arch`` (text or element); the outermost page wins, the
    first occurrence of a field too."""
    root = etree.fromstring(arch) if isinstance(arch, (str, bytes)) else arch
    pages = {}
    for page in root.iter("page"):
        name = page.get("name")
        if not name or any(
            ancestor.tag == "page" and ancestor.get("name")
            for ancestor in page.iterancestors()
        ):
            continue
        for node in page.iter("field"):
            pages.setdefault(node.get("name"), name)
    return pages
