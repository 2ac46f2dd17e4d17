"""An advisory source's last error and last summary were stored as text in
the language of whoever fetched; they are now reader texts
(``last_error_data``, ``last_summary_data``) shown in each reader's language.
The texts already there are kept as they read (a plain text is a reader text
shown as is) until the next fetch writes its own."""

from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'dm_advisory_source' "
        "AND column_name IN ('last_error', 'last_summary')"
    )
    old = {name for (name,) in cr.fetchall()}
    if not old:
        # Before 19.0.2.4.0 there were no sources: the ORM creates the table.
        return
    for column in ("last_error", "last_summary"):
        text, data = SQL.identifier(column), SQL.identifier(f"{column}_data")
        cr.execute(
            SQL(
                "ALTER TABLE dm_advisory_source ADD COLUMN IF NOT EXISTS %s jsonb", data
            )
        )
        if column in old:
            cr.execute(
                SQL(
                    "UPDATE dm_advisory_source SET %(data)s = to_jsonb(%(text)s) "
                    "WHERE %(text)s IS NOT NULL AND %(text)s != '' "
                    "AND %(data)s IS NULL",
                    data=data,
                    text=text,
                )
            )
            cr.execute(SQL("ALTER TABLE dm_advisory_source DROP COLUMN %s", text))
