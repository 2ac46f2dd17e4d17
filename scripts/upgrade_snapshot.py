"""What an upgrade must keep: ids and counts of the records a hospital cannot
lose, read with plain SQL so that the same code reads the database before the
upgrade (previous release's addons) and after it (working tree's addons).

    python scripts/upgrade_snapshot.py --config .local/odoo.conf \
        --database dm_upgrade --output snapshot.json

``tests/test_upgrade.py`` compares the upgraded database with the file.
"""

import argparse
import configparser
import json

# Records the suite owns, by table (id lists are compared as they are).
TABLES = {
    "maintenance.equipment": "maintenance_equipment",
    "maintenance.request": "maintenance_request",
    "dm.reception": "dm_reception",
    "dm.disposal": "dm_disposal",
    "dm.erasure.medium": "dm_erasure_medium",
    "dm.approval": "dm_approval",
    "dm.remote.session": "dm_remote_session",
    "dm.software": "dm_software",
    "dm.software.version": "dm_software_version",
}
# External ids that move from dm_cyber to medical_device with the disposal:
# the same record must carry them after the upgrade (never recreated).
MOVED_XMLIDS = (
    "model_dm_disposal",
    "seq_dm_disposal",
    "dm_disposal_rule_company",
    "access_dm_disposal_auditor",
    "access_dm_disposal_technician",
    "access_dm_disposal_engineer",
    "dm_disposal_view_form",
    "dm_disposal_view_list",
    "dm_disposal_view_search",
    "dm_disposal_action",
    "dm_disposal_menu",
    "hr_equipment_view_form_disposal",
    "field_dm_disposal__state",
    "field_dm_disposal__reason",
    "field_dm_disposal__equipment_id",
    "field_dm_disposal__message_ids",
    "field_maintenance_equipment__disposal_ids",
)


def _rows(cr, query, params=None):
    cr.execute(query, params)
    return cr.fetchall()


def snapshot(cr):
    """Everything compared after the upgrade, as JSON-compatible values."""
    models = list(TABLES)
    data = {
        "ids": {
            model: [row[0] for row in _rows(cr, f"SELECT id FROM {table} ORDER BY id")]
            for model, table in TABLES.items()
        },
        "disposals": {
            str(row[0]): list(row[1:])
            for row in _rows(
                cr,
                "SELECT id, name, state, equipment_id, holds_data, "
                "certificate_issued_on IS NOT NULL, no_data_confirmed_by_id "
                "FROM dm_disposal ORDER BY id",
            )
        },
        "media": {
            str(row[0]): list(row[1:])
            for row in _rows(
                cr,
                "SELECT id, disposal_id, state, level FROM dm_erasure_medium "
                "ORDER BY id",
            )
        },
        "approvals": {
            str(row[0]): list(row[1:])
            for row in _rows(
                cr,
                "SELECT id, res_model, res_id, rule_key, state, active "
                "FROM dm_approval ORDER BY id",
            )
        },
        "attachments": {
            str(row[0]): list(row[1:])
            for row in _rows(
                cr,
                "SELECT id, res_model, res_id, name, checksum FROM ir_attachment "
                "WHERE res_model IN %s ORDER BY id",
                [tuple(models)],
            )
        },
        "messages": {
            model: [
                row[0]
                for row in _rows(
                    cr,
                    "SELECT id FROM mail_message WHERE model = %s ORDER BY id",
                    [model],
                )
            ]
            for model in models
        },
        "tracking_values": _rows(
            cr,
            "SELECT count(*) FROM mail_tracking_value v "
            "JOIN mail_message m ON m.id = v.mail_message_id WHERE m.model IN %s",
            [tuple(models)],
        )[0][0],
        "certificates": [
            row[0]
            for row in _rows(
                cr,
                "SELECT id FROM dm_disposal WHERE certificate_issued_on IS NOT NULL "
                "ORDER BY id",
            )
        ],
        # Devices whose SBOM was received (issue 16: the answer became
        # computed, the one given by hand kept as sbom_received_manual).
        "sbom_received": [
            row[0]
            for row in _rows(
                cr,
                "SELECT id FROM maintenance_equipment WHERE sbom_received ORDER BY id",
            )
        ],
        "disposal_columns": sorted(
            row[0]
            for row in _rows(
                cr,
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'dm_disposal'",
            )
        ),
        "xmlids": {
            f"{module}.{name}": [model, res_id]
            for module, name, model, res_id in _rows(
                cr,
                "SELECT module, name, model, res_id FROM ir_model_data "
                "WHERE module IN ('dm_cyber', 'medical_device') AND name IN %s",
                [MOVED_XMLIDS],
            )
        },
        "disposal_sequence_next": _rows(
            cr,
            "SELECT number_next FROM ir_sequence WHERE code = 'dm.disposal'",
        ),
    }
    return data


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--output", required=True)
    args = parser.parse_args()
    import psycopg2  # the venv's, as Odoo uses

    config = configparser.ConfigParser()
    config.read(args.config)
    options = config["options"]

    def option(key):
        value = options.get(key)
        return value if value and value != "False" else None

    connection = psycopg2.connect(
        dbname=args.database,
        host=option("db_host"),
        port=option("db_port"),
        user=option("db_user"),
        password=option("db_password"),
    )
    with connection, connection.cursor() as cr:
        data = snapshot(cr)
    connection.close()
    with open(args.output, "w", encoding="utf-8") as output:
        json.dump(data, output, indent=1, sort_keys=True, default=str)
    print(
        f"snapshot of {args.database}: "
        + ", ".join(f"{len(ids)} {model}" for model, ids in data["ids"].items())
        + f", {sum(map(len, data['messages'].values()))} messages, "
        f"{len(data['attachments'])} attachments"
    )


if __name__ == "__main__":
    main()
