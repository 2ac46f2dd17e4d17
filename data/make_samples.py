"""Write the sample CMMS exports of data/samples/ (python data/make_samples.py).

gmao_export_fr_sample.csv: 30 devices as a French CMMS exports them (headers of
the "Generic French CMMS export" preset, ``;`` separated, Windows-1252), with
the usual defects an import must report: one serial number twice (row 14 repeats
row 3), one invalid UDI (row 18, wrong GTIN check digit) and one unknown risk
class (row 22, "Classe IV"). Row numbers are the spreadsheet's: headers on row 1.
The last columns are the devices' plans and last operations (a PM pair and a
QC pair, PLAN_HEADERS): periodicities written as CMMS write them ("12 mois",
"1 an", "semestriel", "24"), the dates of the last operations and the result
of the last QC.
gmao_export_fr_sample.xlsx holds the same rows, with real dates and numbers in
its cells as Excel writes them (the notified body 0123 loses its leading zero).
"""

import csv
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent / "samples"

HEADERS = [
    "N° série",
    "Désignation",
    "Dénomination commune",
    "Nom commercial",
    "Marque",
    "Fournisseur",
    "Modèle",
    "Catégorie",
    "Service",
    "Classe",
    "Marquage CE",
    "Organisme notifié",
    "N° certificat CE",
    "Fin de validité certificat",
    "UDI",
    "Code EMDN",
    "Criticité P",
    "I",
    "E",
    "U",
    "Statut",
    "Mode d'acquisition",
    "Date d'acquisition",
    "Date de mise en service",
    "Connecté",
    "Données patient",
    "Système d'exploitation",
    "Antivirus",
    "Accès internet",
    "Domaine",
    "Pare-feu fournisseur",
    "Dernier patch",
    "VLAN",
    "Adresse IP",
    "Adresse MAC",
    "Commentaire",
]
DATE_COLUMNS = {
    "Fin de validité certificat",
    "Date d'acquisition",
    "Date de mise en service",
    "Dernier patch",
}
NUMBER_COLUMNS = {"Criticité P", "I", "E", "U", "Organisme notifié"}
# The plan columns of the samples (the benchmark's fleet, data/make_fleet.py,
# has HEADERS only).
PLAN_HEADERS = [
    "Périodicité MP",
    "Dernière maintenance",
    "Périodicité CQ",
    "Date dernier CQ",
    "Résultat CQ",
]
SAMPLE_HEADERS = HEADERS + PLAN_HEADERS
DATE_COLUMNS |= {"Dernière maintenance", "Date dernier CQ"}
PERIOD_COLUMNS = {"Périodicité MP", "Périodicité CQ"}


def gtin(body13):
    """A GTIN-14 with its check digit."""
    total = sum(
        int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body13))
    )
    return body13 + str((10 - total % 10) % 10)


def udi_gs1(body13, made, serial):
    return f"(01){gtin(body13)}(11){made}(21){serial}"


# fmt: off
# (serial, name, common name, trade name, brand, supplier, model, category,
#  service, class, CE, notified body, certificate, certificate end, UDI, EMDN,
#  P, I, E, U, status, acquisition mode, acquired, in service, connected,
#  patient data, OS, antivirus, internet, domain, firewall, last patch, VLAN,
#  IP, MAC, comment)
ROWS = [
    ("PS-SMP-0001", "Pousse-seringue Réa 1", "Pousse-seringue", "Agilia SP", "Fresenius Kabi", "Fresenius Kabi France", "Agilia SP MC", "Perfusion", "Réanimation polyvalente", "IIb", "MDR", "0123", "MDR-FK-2021-118", "26/05/2029", udi_gs1("0376012345001", "210315", "PS-SMP-0001"), "Z12030101", "0,1", "1", "3", "2", "En service", "Achat", "12/03/2021", "02/04/2021", "Non", "Non", "", "", "", "", "", "", "", "", "", ""),  # noqa: E501
    ("PS-SMP-0002", "Pousse-seringue Réa 2", "Pousse-seringue", "Agilia SP", "Fresenius Kabi", "Fresenius Kabi France", "Agilia SP MC", "Perfusion", "Réanimation polyvalente", "IIb", "MDR", "0123", "MDR-FK-2021-118", "26/05/2029", udi_gs1("0376012345001", "210315", "PS-SMP-0002"), "Z12030101", "0,1", "1", "3", "2", "En service", "Achat", "12/03/2021", "02/04/2021", "Non", "Non", "", "", "", "", "", "", "", "", "", ""),  # noqa: E501
    ("MON-IV-7731", "Moniteur multiparamétrique box 3", "Moniteur de surveillance", "IntelliVue MX750", "Philips", "Philips France Commercial", "MX750", "Monitorage", "Soins intensifs de cardiologie", "IIb", "93/42/CEE", "0344", "DE-MDD-91274519", "26/05/2027", udi_gs1("0088483809471", "221014", "MON-IV-7731"), "Z12030601", "0,1", "0,1", "2", "1", "En service", "Achat", "05/09/2022", "14/10/2022", "Oui", "Oui", "Windows Embedded Standard 7", "Fournisseur", "Non", "Non", "Oui", "12/01/2024", "BIO-MON", "10.20.3.41", "00:1A:2B:3C:4D:01", "Centrale de surveillance"),  # noqa: E501
    ("DEF-ZX-018834", "Défibrillateur chariot urgence bloc", "Défibrillateur", "X Series", "ZOLL", "ZOLL Medical France", "X Series Advanced", "Urgence", "Bloc opératoire central", "III", "MDR", "2797", "BSI-MDR-774412", "31/12/2028", udi_gs1("0084794602941", "210312", "DEF-ZX-018834"), "Z12030501", "0,01", "1", "3", "3", "En service", "Achat", "01/03/2021", "20/03/2021", "Non", "Oui", "", "", "", "", "", "", "", "", "", ""),  # noqa: E501
    ("RESP-EV-300412", "Respirateur réanimation lit 4", "Ventilateur de réanimation", "Evita V300", "Dräger", "Dräger France", "Evita V300", "Ventilation", "Réanimation polyvalente", "IIb", "Règlement (UE) 2017/745", "0123", "MDR-DR-2022-044", "15/11/2028", "", "Z12030202", "0,01", "0,1", "2", "3", "En service", "Achat", "18/06/2020", "01/07/2020", "Oui", "Oui", "Windows 7", "Hôpital", "Non", "Oui", "Non", "03/02/2023", "BIO-REA", "10.20.4.12", "00:1A:2B:3C:4D:02", ""),  # noqa: E501
    ("ECHO-LQ-55120", "Échographe cardiologie", "Échographe", "Vivid E95", "GE Healthcare", "GE Medical Systems SCS", "Vivid E95", "Imagerie", "Cardiologie", "IIa", "MDR", "0459", "GMED-MDR-2023-77", "12/02/2029", "", "Z11060101", "1", "0,1", "2", "2", "En service", "Location", "22/01/2023", "06/02/2023", "Oui", "Oui", "Windows 10 Home/Pro/Enterprise", "Hôpital", "Non", "Oui", "Non", "18/11/2024", "BIO-IMG", "10.20.7.8", "00:1A:2B:3C:4D:03", ""),  # noqa: E501
    ("SCAN-SOM-11820", "Scanner urgences", "Tomodensitomètre", "SOMATOM go.Top", "Siemens Healthineers", "Siemens Healthcare SAS", "go.Top", "Imagerie", "Imagerie médicale", "IIb", "MDR", "0123", "MDR-SH-2022-901", "30/06/2028", "", "Z11030101", "0,01", "0,01", "3", "1", "En service", "Achat", "15/10/2021", "03/01/2022", "Oui", "Oui", "Windows 10 IoT Enterprise LTSC 2019", "Fournisseur", "Non", "Non", "Oui", "05/09/2024", "BIO-IMG", "10.20.7.20", "00:1A:2B:3C:4D:04", "Équipement lourd"),  # noqa: E501
    ("ECG-MAC-5512", "ECG cardiologie consultation", "Électrocardiographe", "MAC 5500 HD", "GE Healthcare", "GE Medical Systems SCS", "MAC 5500", "Cardiologie", "Cardiologie", "IIa", "DM-MDD", "0459", "GMED-MDD-2019-12", "26/05/2026", "", "Z12020101", "2", "1", "2", "2", "En service", "Achat", "07/05/2019", "15/05/2019", "Oui", "Oui", "Windows XP", "Aucun", "Non", "Non", "Non", "11/06/2017", "BIO-CARDIO", "10.20.5.31", "00:1A:2B:3C:4D:05", "OS obsolète"),  # noqa: E501
    ("BIST-FT-10293", "Bistouri électrique salle 2", "Générateur électrochirurgical", "ForceTriad", "Medtronic", "Medtronic France", "ForceTriad", "Bloc", "Bloc opératoire central", "IIb", "93/42/CEE", "0197", "TUV-MDD-44321", "26/05/2027", "", "Z12010301", "0,1", "1", "2", "2", "En service", "Achat", "11/02/2018", "01/03/2018", "Non", "Non", "", "", "", "", "", "", "", "", "", ""),  # noqa: E501
    ("TABLE-OP-7781", "Table d'opération salle 2", "Table d'opération", "Alphamaquet 1150", "Getinge", "Getinge France", "1150", "Bloc", "Bloc opératoire central", "I", "MDR", "", "", "", "", "V0801", "1", "1", "2", "2", "En service", "Achat", "03/03/2015", "20/03/2015", "Non", "Non", "", "", "", "", "", "", "", "", "", ""),  # noqa: E501
    ("AUTO-BIO-4410", "Automate biochimie", "Analyseur de biochimie", "cobas pro", "Roche Diagnostics", "Roche Diagnostics France", "cobas pro c503", "Laboratoire", "Laboratoire de biologie", "DMDIV classe C", "IVDR", "0123", "IVDR-RD-2024-05", "31/12/2029", "", "W0101", "1", "0,1", "2", "1", "En service", "Location", "15/01/2024", "01/02/2024", "Oui", "Oui", "Windows 10 IoT Enterprise LTSC 2021", "Hôpital", "Non", "Oui", "Non", "15/12/2024", "LABO", "10.30.1.15", "00:1A:2B:3C:4D:06", ""),  # noqa: E501
    ("POMPE-VP-55012", "Pompe volumétrique pédiatrie", "Pompe à perfusion", "Volumat Agilia", "Fresenius Kabi", "Fresenius Kabi France", "Volumat MC Agilia", "Perfusion", "Pédiatrie", "classe IIb", "MDR", "123", "MDR-FK-2021-119", "26/05/2029", udi_gs1("0376012345002", "220118", "POMPE-VP-55012"), "Z12030102", "0,1", "2", "3", "2", "En service", "Achat", "10/01/2022", "25/01/2022", "Non", "Non", "", "", "", "", "", "", "", "", "", ""),  # noqa: E501
    ("PS-SMP-0002", "Pousse-seringue Réa 2 (doublon)", "Pousse-seringue", "Agilia SP", "Fresenius Kabi", "Fresenius Kabi France", "Agilia SP MC", "Perfusion", "Urgences", "IIb", "MDR", "0123", "MDR-FK-2021-118", "26/05/2029", "", "Z12030101", "0,1", "1", "3", "2", "En service", "Achat", "12/03/2021", "02/04/2021", "Non", "Non", "", "", "", "", "", "", "", "", "", "Saisi deux fois dans la GMAO"),  # noqa: E501
    ("LIT-MED-2231", "Lit médicalisé chambre 12", "Lit médical", "Eleganza 4", "LINET", "LINET France", "Eleganza 4", "Hôtelier médical", "Médecine interne", "I", "MDR", "", "", "", "", "V080101", "2", "3", "2", "2", "En service", "Achat", "05/05/2020", "10/05/2020", "Non", "Non", "", "", "", "", "", "", "", "", "", ""),  # noqa: E501
    ("THERMO-TYM-08", "Thermomètre tympanique", "Thermomètre médical", "Genius 3", "Cardinal Health", "Cardinal Health France", "Genius 3", "Petit matériel", "Urgences", "Im", "MDR", "0086", "BSI-MDR-2022-16", "30/09/2027", "", "Z12150101", "3", "3", "2", "1", "En service", "Achat", "14/02/2022", "16/02/2022", "Non", "Non", "", "", "", "", "", "", "", "", "", ""),  # noqa: E501
    ("ASP-MUC-0877", "Aspirateur de mucosités", "Aspirateur chirurgical", "Vario 18", "Medela", "Medela France", "Vario 18 c/s", "Petit matériel", "Pneumologie", "IIa", "MDR", "0123", "MDR-ME-2023-08", "30/04/2028", "", "Z12080101", "1", "2", "2", "2", "En service", "Achat", "20/04/2023", "02/05/2023", "Non", "Non", "", "", "", "", "", "", "", "", "", ""),  # noqa: E501
    ("PS-SMP-0003", "Pousse-seringue Réa 3", "Pousse-seringue", "Agilia SP", "Fresenius Kabi", "Fresenius Kabi France", "Agilia SP MC", "Perfusion", "Réanimation polyvalente", "IIb", "MDR", "0123", "MDR-FK-2021-118", "26/05/2029", "(01)03760123450019(11)210315(21)PS-SMP-0003", "Z12030101", "0,1", "1", "3", "2", "En service", "Achat", "12/03/2021", "02/04/2021", "Non", "Non", "", "", "", "", "", "", "", "", "", "UDI mal saisie"),  # noqa: E501
    ("DIAL-5008-3310", "Générateur de dialyse poste 1", "Générateur d'hémodialyse", "5008S CorDiax", "Fresenius Medical Care", "Fresenius Medical Care France", "5008S", "Dialyse", "Néphrologie - dialyse", "IIb", "93/42/CEE", "0123", "MDD-FMC-2017-22", "26/05/2027", "", "Z12050101", "0,1", "0,1", "1", "3", "En service", "Achat", "02/02/2017", "15/02/2017", "Oui", "Oui", "Windows 7", "Fournisseur", "Non", "Non", "Oui", "20/08/2022", "BIO-DIAL", "10.20.9.3", "00:1A:2B:3C:4D:07", ""),  # noqa: E501
    ("INCUB-C2K-441", "Incubateur néonatal", "Incubateur pour nouveau-né", "Caleo", "Dräger", "Dräger France", "Caleo", "Néonatalogie", "Néonatalogie", "IIb", "MDR", "0123", "MDR-DR-2022-051", "15/11/2028", "", "Z12040101", "0,01", "1", "2", "3", "En service", "Achat", "09/09/2019", "01/10/2019", "Non", "Oui", "", "", "", "", "", "", "", "", "", ""),  # noqa: E501
    ("ECHO-PORT-9921", "Échographe portable urgences", "Échographe", "Vscan Air", "GE Healthcare", "GE Medical Systems SCS", "Vscan Air", "Imagerie", "Urgences", "IIa", "MDR", "0459", "GMED-MDR-2023-80", "12/02/2029", "", "Z11060102", "1", "2", "3", "2", "En commande", "Achat", "15/11/2024", "", "Oui", "Oui", "", "", "", "", "", "", "", "", "", "Livraison prévue"),  # noqa: E501
    ("RX-MOB-66120", "Mobile de radiologie", "Appareil de radiographie mobile", "Mobilett Elara Max", "Siemens Healthineers", "Siemens Healthcare SAS", "Elara Max", "Imagerie", "Imagerie médicale", "Classe IV", "MDR", "0123", "MDR-SH-2023-12", "30/06/2028", "", "Z11020201", "0,1", "1", "3", "2", "En service", "Achat", "02/05/2023", "22/05/2023", "Oui", "Oui", "Windows 10 Home/Pro/Enterprise", "Hôpital", "Non", "Oui", "Non", "10/10/2024", "BIO-IMG", "10.20.7.33", "00:1A:2B:3C:4D:08", "Classe inconnue"),  # noqa: E501
    ("GLYC-ACC-1120", "Lecteur de glycémie", "Glucomètre", "Accu-Chek Inform II", "Roche Diagnostics", "Roche Diagnostics France", "Inform II", "Laboratoire", "Diabétologie", "DMDIV classe B", "98/79/CE", "", "", "", "", "W0105", "2", "3", "2", "1", "En service", "Achat", "05/03/2020", "09/03/2020", "Oui", "Oui", "", "", "", "", "", "", "", "", "", ""),  # noqa: E501
    ("ENDO-CV-3302", "Colonne d'endoscopie", "Système d'endoscopie", "EVIS X1", "Olympus", "Olympus France", "CV-1500", "Endoscopie", "Gastro-entérologie", "IIa", "MDR", "0197", "TUV-MDR-2021-77", "31/03/2027", "", "Z12100101", "1", "0,1", "2", "2", "En service", "Achat", "07/07/2021", "01/09/2021", "Oui", "Oui", "Debian 10 (buster)", "Aucun", "Non", "Oui", "Non", "02/02/2022", "BIO-ENDO", "10.20.11.4", "00:1A:2B:3C:4D:09", ""),  # noqa: E501
    ("ANES-PERS-2290", "Station d'anesthésie salle 1", "Station d'anesthésie", "Perseus A500", "Dräger", "Dräger France", "Perseus A500", "Bloc", "Bloc opératoire central", "IIb", "MDR", "0123", "MDR-DR-2022-060", "15/11/2028", "", "Z12030203", "0,01", "0,1", "2", "3", "En service", "Achat", "04/04/2022", "02/05/2022", "Oui", "Oui", "VxWorks 6.9", "Aucun", "Non", "Non", "Oui", "01/12/2023", "BIO-BLOC", "10.20.12.2", "00:1A:2B:3C:4D:0A", ""),  # noqa: E501
    ("ECG-OLD-1999", "ECG ancien service", "Électrocardiographe", "Cardiovit AT-2", "Schiller", "Schiller France", "AT-2", "Cardiologie", "Magasin biomédical", "IIa", "93/42/CEE", "0123", "MDD-SC-2009-01", "26/05/2024", "", "Z12020101", "2", "3", "1", "1", "Réformé", "Achat", "12/01/2009", "20/01/2009", "Non", "Non", "", "", "", "", "", "", "", "", "", "Réformé en 2024"),  # noqa: E501
    ("PS-OLD-0777", "Pousse-seringue ancien", "Pousse-seringue", "Graseby 3100", "Smiths Medical", "Smiths Medical France", "3100", "Perfusion", "Magasin biomédical", "IIb", "93/42/CEE", "0086", "MDD-SM-2008-07", "26/05/2024", "", "Z12030101", "0,1", "3", "1", "1", "Réformé", "Don", "03/03/2008", "10/03/2008", "Non", "Non", "", "", "", "", "", "", "", "", "", ""),  # noqa: E501
    ("FAUT-DIAL-118", "Fauteuil de prélèvement", "Fauteuil médical", "Multitilt", "Promotal", "Promotal", "Multitilt", "Hôtelier médical", "Laboratoire de biologie", "I", "MDR", "", "", "", "", "V0803", "3", "3", "2", "1", "En service", "Achat", "10/10/2016", "12/10/2016", "Non", "Non", "", "", "", "", "", "", "", "", "", ""),  # noqa: E501
    ("HOLT-DMS-300", "Holter ECG", "Enregistreur Holter", "DMS 300-4A", "DMS", "DMS France", "300-4A", "Cardiologie", "Cardiologie", "IIa", "MDR", "0459", "GMED-MDR-2021-32", "12/02/2027", "", "Z12020301", "2", "2", "2", "2", "En service", "Prêt", "01/06/2024", "03/06/2024", "Non", "Oui", "", "", "", "", "", "", "", "", "", "Mise à disposition fournisseur"),  # noqa: E501
    ("OXY-NONIN-77", "Oxymètre de pouls", "Oxymètre de pouls", "Onyx Vantage", "Nonin", "Nonin Medical France", "9590", "Petit matériel", "Pneumologie", "IIa", "MDR", "0123", "MDR-NO-2022-02", "30/04/2028", "", "Z12030602", "2", "3", "3", "2", "En service", "Achat", "08/08/2022", "10/08/2022", "Non", "Non", "", "", "", "", "", "", "", "", "", ""),  # noqa: E501
    ("IRM-SIG-0042", "IRM 1,5 T", "Système d'IRM", "SIGNA Artist", "GE Healthcare", "GE Medical Systems SCS", "SIGNA Artist 1.5T", "Imagerie", "Imagerie médicale", "IIa", "MDR", "0459", "GMED-MDR-2020-99", "12/02/2028", "", "Z11050101", "0,1", "0,01", "3", "1", "En service", "Achat", "10/06/2020", "01/12/2020", "Oui", "Oui", "Windows 10 IoT Enterprise LTSC 2019", "Fournisseur", "Non", "Non", "Oui", "30/10/2024", "BIO-IMG", "10.20.7.50", "00:1A:2B:3C:4D:0B", "Équipement lourd"),  # noqa: E501
]
# (PM periodicity, last PM, QC periodicity, last QC, result of the last QC)
# by serial number; the other rows have no plan.
PLANS = {
    "PS-SMP-0001": ("12 mois", "15/03/2025", "", "", ""),
    "PS-SMP-0002": ("12 mois", "15/03/2025", "", "", ""),
    "MON-IV-7731": ("24", "10/10/2024", "", "", ""),
    "DEF-ZX-018834": ("1 an", "20/03/2025", "", "", ""),
    "RESP-EV-300412": ("semestriel", "02/06/2025", "1 an", "02/06/2025", "Conforme"),
    "SCAN-SOM-11820": ("6 mois", "05/05/2025", "trimestriel", "12/08/2025", "Conforme"),
    "BIST-FT-10293": ("annuelle", "01/03/2025", "", "", ""),
    "POMPE-VP-55012": ("12 mois", "25/01/2025", "", "", ""),
    "DIAL-5008-3310": ("semestriel", "15/08/2025", "1 an", "15/02/2025", "NC"),
    "INCUB-C2K-441": ("1 an", "01/10/2024", "", "", ""),
    "ANES-PERS-2290": ("12", "02/05/2025", "", "", ""),
    "RX-MOB-66120": ("1 an", "22/05/2025", "1 an", "22/05/2025", "Conforme"),
    "IRM-SIG-0042": ("6 mois", "01/06/2025", "1 an", "01/12/2024", "Conforme"),
}
# fmt: on


def sample_rows():
    """The rows of the samples: the device's cells, then its plans'."""
    return [row + PLANS.get(row[0], ("",) * len(PLAN_HEADERS)) for row in ROWS]


def write_csv(path):
    with open(path, "w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(SAMPLE_HEADERS)
        writer.writerows(sample_rows())


def _cell(header, value):
    """What Excel stores: dates as dates, numbers as numbers."""
    if value == "":
        return None
    if header in DATE_COLUMNS:
        day, month, year = (int(part) for part in value.split("/"))
        return datetime(year, month, day)
    if header in PERIOD_COLUMNS and value.isdigit():  # months, as a number
        return int(value)
    if header in NUMBER_COLUMNS:
        number = float(value.replace(",", "."))
        return int(number) if number.is_integer() else number
    return value


def write_xlsx(path):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Export GMAO"
    sheet.append(SAMPLE_HEADERS)
    for row in sample_rows():
        sheet.append([_cell(h, v) for h, v in zip(SAMPLE_HEADERS, row, strict=True)])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, datetime):
                cell.number_format = "DD/MM/YYYY"
    # A fixed timestamp keeps the file identical from one run to the next.
    workbook.properties.created = workbook.properties.modified = datetime(2025, 1, 1)
    workbook.save(path)


def main():
    HERE.mkdir(exist_ok=True)
    assert all(len(row) == len(HEADERS) for row in ROWS)
    assert all(len(plans) == len(PLAN_HEADERS) for plans in PLANS.values())
    write_csv(HERE / "gmao_export_fr_sample.csv")
    write_xlsx(HERE / "gmao_export_fr_sample.xlsx")
    print(f"{len(ROWS)} rows written to {HERE}")


if __name__ == "__main__":
    main()
