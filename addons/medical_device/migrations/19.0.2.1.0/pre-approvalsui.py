"""19.0.2.1.0: an approval line keeps its values raw (``data_values``) and
renders them in each reader's language. The text written before, in its
requester's language, is kept as ``data_summary_legacy`` (``data_summary``
becomes a computed field, rendered at display time)."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """SELECT column_name FROM information_schema.columns
            WHERE table_name = 'dm_approval'
              AND column_name IN ('data_summary', 'data_summary_legacy')"""
    )
    columns = {name for (name,) in cr.fetchall()}
    if "data_summary" in columns and "data_summary_legacy" not in columns:
        cr.execute(
            "ALTER TABLE dm_approval RENAME COLUMN data_summary TO data_summary_legacy"
        )
