"""Issue 16 (SBOM): "SBOM received" was a box ticked by hand; it is now
computed from the SBOM files that apply to the device, or the new box
"SBOM received (not in the suite)" (``sbom_received_manual``). Keep every
device ticked before ticked: its old answer becomes the manual one. The
stored ``sbom_received`` column keeps its values (no SBOM file existed before
this version, so they are already what the computation gives)."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        "ALTER TABLE maintenance_equipment "
        "ADD COLUMN IF NOT EXISTS sbom_received_manual boolean"
    )
    cr.execute(
        "UPDATE maintenance_equipment SET sbom_received_manual = TRUE "
        "WHERE sbom_received IS TRUE"
    )
