# Run by `odoo-bin shell` on the previous release's database (its own addons),
# before the snapshot: what a hospital has and the demo data lacks, a printed
# certificate of sanitisation kept as an attachment and chatter with files on
# disposals and devices. The upgrade must keep every one of them.
# ruff: noqa: F821 (env is the shell's)
import base64

disposals = env["dm.disposal"].search([], order="id")
done = disposals.filtered(lambda d: d.state == "done")
for disposal in done[:2]:
    # As the report's attachment_use stores the first print.
    env["ir.attachment"].create(
        {
            "name": f"Erasure certificate - {disposal.name.replace('/', '-')}.pdf",
            "res_model": "dm.disposal",
            "res_id": disposal.id,
            "type": "binary",
            "mimetype": "application/pdf",
            "datas": base64.b64encode(
                b"%PDF-1.4 certificate " + disposal.name.encode()
            ),
        }
    )
for record in [*disposals[:3], *done.equipment_id[:2]]:
    attachment = env["ir.attachment"].create(
        {
            "name": f"recycler-receipt-{record.id}.txt",
            "res_model": record._name,
            "res_id": record.id,
            "datas": base64.b64encode(b"receipt"),
        }
    )
    record.message_post(
        body="Upgrade test: note with a file", attachment_ids=attachment.ids
    )
env.cr.commit()
print(f"prepared {len(disposals)} disposals, {len(done)} disposed")
