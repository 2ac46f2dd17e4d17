"""Generate a realistic CMMS export of a hospital group's fleet, for the benchmark.

    python data/make_fleet.py --rows 100000 --out /tmp/fleet.csv [--seed 7]

The file has the headers of the "Generic French CMMS export" preset (the same as
data/samples/gmao_export_fr_sample.csv), is ``;`` separated and Windows-1252
encoded, as a French CMMS writes it. Each row is one of the sample's real device
models (syringe pumps, monitors, CT scanners, ventilators…) with its own serial
number, service, dates, PIEU levels and, for connected models, a cyber matrix
(OS version, antivirus, last patch, VLAN, IP and MAC addresses). The same seed
gives the same file. Every row is valid: the benchmark measures the import of a
clean export; the import's tests cover the defects.

data/samples/generated_fleet_sample.csv is the first 200 rows of seed 7.
"""

import argparse
import csv
import random
from datetime import date, timedelta
from pathlib import Path

from make_samples import HEADERS, ROWS, udi_gs1

SAMPLE = Path(__file__).resolve().parent / "samples" / "generated_fleet_sample.csv"
COLUMN = {header: index for index, header in enumerate(HEADERS)}
# Sample rows that carry a defect on purpose (duplicate, bad UDI, unknown class)
# or a status the generator sets itself.
DEFECTIVE_SERIALS = {"PS-SMP-0002", "PS-SMP-0003", "RX-MOB-66120"}
SERVICES = [
    "Réanimation polyvalente",
    "Réanimation chirurgicale",
    "Soins intensifs de cardiologie",
    "Urgences adultes",
    "Urgences pédiatriques",
    "Bloc opératoire central",
    "Bloc ambulatoire",
    "Salle de naissance",
    "Néonatalogie",
    "Pédiatrie",
    "Cardiologie",
    "Pneumologie",
    "Néphrologie - dialyse",
    "Gastro-entérologie",
    "Oncologie",
    "Hématologie",
    "Médecine interne",
    "Gériatrie",
    "Neurologie",
    "Chirurgie orthopédique",
    "Chirurgie viscérale",
    "Imagerie médicale",
    "Médecine nucléaire",
    "Radiothérapie",
    "Laboratoire de biologie",
    "Consultations externes",
    "Soins de suite et réadaptation",
    "Psychiatrie adulte",
    "Hôpital de jour",
    "Magasin biomédical",
]
SITES = ["Hôpital Nord", "Hôpital Sud", "Hôpital Est", "Hôpital mère-enfant"]
# (status, weight): most of an existing fleet is in service.
STATUSES = [
    ("En service", 92),
    ("En commande", 3),
    ("En cours de réforme", 1),
    ("Réformé", 4),
]
OPERATING_SYSTEMS = [
    ("Windows XP", 3),
    ("Windows Embedded Standard 7", 6),
    ("Windows 7", 14),
    ("Windows 10 Home/Pro/Enterprise", 18),
    ("Windows 10 IoT Enterprise LTSC 2019", 20),
    ("Windows 10 IoT Enterprise LTSC 2021", 20),
    ("Debian 10 (buster)", 7),
    ("VxWorks 6.9", 12),
]
ANTIVIRUS = [("Hôpital", 50), ("Fournisseur", 30), ("Aucun", 20)]
TODAY = date(2026, 12, 1)


def templates():
    """The sample's device models, without its deliberately defective rows."""
    return [row for row in ROWS if row[0] not in DEFECTIVE_SERIALS]


def pick(rng, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def french_date(day):
    return day.strftime("%d/%m/%Y")


def vary_pieu(rng, value, scale):
    """The template's level, or a neighbour on the same scale (one time in four)."""
    if rng.random() < 0.75:
        return value
    position = scale.index(value) if value in scale else 0
    return scale[max(0, min(len(scale) - 1, position + rng.choice((-1, 1))))]


def fleet_rows(count, seed=7):
    """``count`` rows of the export, as lists of cells in HEADERS order."""
    rng = random.Random(seed)
    models = templates()
    p_scale = ["0,01", "0,1", "1", "2", "3"]
    e_scale = ["1", "2", "3"]
    for index in range(1, count + 1):
        row = list(rng.choice(models))
        template_serial = row[COLUMN["N° série"]]
        prefix = template_serial.rsplit("-", 1)[0]
        serial = f"{prefix}-{index:07d}"
        site = SITES[index % len(SITES)]
        service = rng.choice(SERVICES)
        acquired = TODAY - timedelta(days=rng.randint(30, 6500))
        row[COLUMN["N° série"]] = serial
        row[COLUMN["Désignation"]] = f"{row[COLUMN['Dénomination commune']]} {index}"
        row[COLUMN["Service"]] = f"{site} - {service}"
        row[COLUMN["Date d'acquisition"]] = french_date(acquired)
        row[COLUMN["Date de mise en service"]] = french_date(
            acquired + timedelta(days=rng.randint(2, 60))
        )
        status = pick(rng, STATUSES)
        row[COLUMN["Statut"]] = status
        if status == "En commande":
            row[COLUMN["Date de mise en service"]] = ""
        for header, scale in (("Criticité P", p_scale), ("I", p_scale)):
            row[COLUMN[header]] = vary_pieu(rng, row[COLUMN[header]], scale)
        row[COLUMN["E"]] = vary_pieu(rng, row[COLUMN["E"]], e_scale)
        row[COLUMN["U"]] = vary_pieu(rng, row[COLUMN["U"]], e_scale)
        udi = row[COLUMN["UDI"]]
        if udi:
            di_body = udi[4:17]
            made = acquired - timedelta(days=rng.randint(10, 200))
            row[COLUMN["UDI"]] = udi_gs1(di_body, made.strftime("%y%m%d"), serial)
        row[COLUMN["Commentaire"]] = ""
        if row[COLUMN["Connecté"]] == "Oui":
            connected_matrix(rng, row, index)
        yield row


def connected_matrix(rng, row, index):
    row[COLUMN["Système d'exploitation"]] = pick(rng, OPERATING_SYSTEMS)
    row[COLUMN["Antivirus"]] = pick(rng, ANTIVIRUS)
    row[COLUMN["Accès internet"]] = "Oui" if rng.random() < 0.1 else "Non"
    row[COLUMN["Domaine"]] = "Oui" if rng.random() < 0.4 else "Non"
    row[COLUMN["Pare-feu fournisseur"]] = "Oui" if rng.random() < 0.5 else "Non"
    row[COLUMN["Dernier patch"]] = french_date(
        TODAY - timedelta(days=rng.randint(5, 1200))
    )
    row[COLUMN["Adresse IP"]] = (
        f"10.{20 + index // 65025 % 200}.{index // 255 % 255}.{index % 255 + 1}"
    )
    row[COLUMN["Adresse MAC"]] = ":".join(
        f"{byte:02X}" for byte in (0x02, 0x1A, *index.to_bytes(4, "big"))
    )


def write_csv(path, rows):
    with open(path, "w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADERS)
        writer.writerows(rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=SAMPLE)
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_csv(args.out, fleet_rows(args.rows, args.seed))
    print(f"{args.rows} devices written to {args.out}")


if __name__ == "__main__":
    main()
