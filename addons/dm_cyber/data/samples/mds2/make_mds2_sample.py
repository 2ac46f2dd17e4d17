"""Writes ``volumat8_mds2_hn1-2019.xlsx``: a small MDS2 form (ANSI/NEMA
HN 1-2019) of a demo infusion pump, laid out as the NEMA workbook is (a
title, the document header band, the column headers "Question ID",
"Question", answer, "See note" and the three standards, section title rows,
question rows, and the notes listed at the end).

Run: ``.local/venv/bin/python addons/dm_cyber/data/samples/mds2/make_mds2_sample.py``
(only openpyxl needed). The tests build variants with :func:`build`.
"""

import io
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

HEADERS = [
    "Question ID",
    "Question",
    "",
    "See note",
    "IEC TR 80001-2-2:2012",
    "NIST SP 800-53 Rev. 4",
    "ISO 27002:2013",
]
# (section title, [(question id, question, answer, note, IEC, NIST, ISO)])
SECTIONS = [
    (
        None,
        [
            ("DOC-1", "Manufacturer Name", "Perfusio Medical SAS", "", "", "", ""),
            ("DOC-2", "Device Description", "Volumetric infusion pump", "", "", "", ""),
            ("DOC-3", "Device Model", "Volumat 8", "", "", "", ""),
            ("DOC-4", "Document ID", "PM-MDS2-0042 rev. C", "", "", "", ""),
            (
                "DOC-5",
                "Manufacturer Contact Information",
                "psirt@perfusio.example, +33 4 72 00 00 00",
                "",
                "",
                "",
                "",
            ),
            (
                "DOC-6",
                "Intended use of device in network-connected environment:",
                "Drug library updates and infusion events sent to the PDMS",
                "",
                "",
                "",
                "",
            ),
            ("DOC-7", "Document Release Date", "2025-03-14", "", "", "", ""),
            (
                "DOC-8",
                "Coordinated Vulnerability Disclosure: Does the manufacturer have a "
                "vulnerability disclosure program for this device?",
                "Yes",
                "",
                "",
                "",
                "",
            ),
            (
                "DOC-11",
                "SaMD: Is the device Software as a Medical Device (i.e. "
                "software-only, no hardware)?",
                "No",
                "",
                "",
                "",
                "",
            ),
            (
                "DOC-11.1",
                "Does the SaMD contain an operating system?",
                "N/A",
                "",
                "",
                "",
                "",
            ),
        ],
    ),
    (
        "MANAGEMENT OF PERSONALLY IDENTIFIABLE INFORMATION",
        [
            (
                "MPII-1",
                "Can this device display, transmit, store, or modify personally "
                "identifiable information (e.g. electronic Protected Health "
                "Information (ePHI))?",
                "Yes",
                "Note 2",
                "",
                "AR-2",
                "A.15.1.4",
            ),
            (
                "MPII-3.7",
                "Does the device transmit/receive personally identifiable "
                "information over an external network (e.g., Internet)?",
                "No",
                "",
                "",
                "AC-17",
                "A.13.2.1",
            ),
        ],
    ),
    (
        "AUTHORIZATION (AUTH)",
        [
            (
                "AUTH-1",
                "Does the device prevent access to unauthorized users through user "
                "login requirements or other mechanism?",
                "Yes",
                "",
                "Section 5.3, AUTH",
                "IA-2",
                "A.9.2.1",
            ),
        ],
    ),
    (
        "CYBER SECURITY PRODUCT UPGRADES (CSUP)",
        [
            (
                "CSUP-1",
                "Does the device contain any software or firmware which may require "
                "security updates during its operational life, either from the "
                "device manufacturer or from a third-party manufacturer of the "
                "software/firmware? If no, answer \u201cN/A\u201d to questions in "
                "this section.",
                "Yes",
                "",
                "",
                "",
                "",
            ),
            (
                "CSUP-2",
                "Does the device contain an Operating System? If yes, complete "
                "2.1-2.4.",
                "Yes",
                "Note 1",
                "",
                "",
                "",
            ),
            (
                "CSUP-2.1",
                "Does the device documentation provide instructions for "
                "owner/operator installation of patches or software updates?",
                "No",
                "",
                "",
                "",
                "",
            ),
            (
                "CSUP-2.2",
                "Does the device require vendor or vendor-authorized service to "
                "install patches or software updates?",
                "Yes",
                "",
                "",
                "",
                "",
            ),
            (
                "CSUP-2.3",
                "Does the device have the capability to receive remote installation "
                "of patches or software updates?",
                "Yes",
                "",
                "",
                "",
                "",
            ),
            (
                "CSUP-2.4",
                "Does the medical device manufacturer allow security updates from "
                "any third-party manufacturers (e.g., Microsoft) to be installed "
                "without approval from the manufacturer?",
                "No",
                "",
                "",
                "",
                "",
            ),
            (
                "CSUP-4",
                "Does the device contain Anti-Malware Software? If yes, complete "
                "4.1-4.4.",
                "No",
                "",
                "",
                "",
                "",
            ),
            (
                "CSUP-7",
                "Does the manufacturer notify the customer when updates are "
                "approved for installation?",
                "Yes",
                "",
                "",
                "",
                "",
            ),
            (
                "CSUP-8",
                "Does the device perform automatic installation of software updates?",
                "No",
                "",
                "",
                "",
                "",
            ),
        ],
    ),
    (
        "MALWARE DETECTION/PROTECTION (MLDP)",
        [
            (
                "MLDP-1",
                "Is the device capable of hosting executable software?",
                "Yes",
                "",
                "Section 5.10, MLDP",
                "",
                "",
            ),
            (
                "MLDP-2",
                "Does the device support the use of anti-malware software (or other "
                "anti-malware mechanism)? Provide details or reference in notes.",
                "No",
                "Note 3",
                "Section 5.10, MLDP",
                "SI-3",
                "A.12.2.1",
            ),
            (
                "MLDP-2.1",
                "Does the device include anti-malware software by default?",
                "No",
                "",
                "",
                "CM-5",
                "A.9.2.3",
            ),
            (
                "MLDP-2.2",
                "Does the device have anti-malware software available as an option?",
                "No",
                "",
                "",
                "AU-6",
                "A.12.4.1",
            ),
            (
                "MLDP-2.3",
                "Does the device documentation allow the owner/operator to install "
                "or update anti-malware software?",
                "No",
                "",
                "",
                "CP-10",
                "A.17.1.2",
            ),
            (
                "MLDP-3",
                "If the answer to MLDP-2 is NO, and anti-malware cannot be "
                "installed on the device, are other compensating controls in place "
                "or available?",
                "Yes",
                "Note 3",
                "",
                "",
                "",
            ),
            (
                "MLDP-4",
                "Does the device employ application whitelisting that restricts the "
                "software and services that are permitted to be run on the device?",
                "Yes",
                "",
                "",
                "SI-3",
                "A.12.2.1",
            ),
        ],
    ),
    (
        "NODE AUTHENTICATION (NAUT)",
        [
            (
                "NAUT-2",
                "Are network access control mechanisms supported (E.g., does the "
                "device have an internal firewall, or use a network connection "
                "white list)?",
                "Yes",
                "",
                "Section 5.11, NAUT",
                "SC-7",
                "A.13.1.1",
            ),
        ],
    ),
    (
        "CONNECTIVITY CAPABILITIES (CONN)",
        [
            (
                "CONN-1",
                "Does the device have hardware connectivity capabilities?",
                "Yes",
                "",
                "",
                "",
                "",
            ),
            (
                "CONN-1.1",
                "Does the device support wireless connections?",
                "Yes",
                "",
                "",
                "",
                "",
            ),
            ("CONN-1.1.1", "Does the device support Wi-Fi?", "Yes", "", "", "", ""),
            ("CONN-1.1.2", "Does the device support Bluetooth?", "No", "", "", "", ""),
            (
                "CONN-1.2",
                "Does the device support physical connections?",
                "Yes",
                "",
                "",
                "",
                "",
            ),
            (
                "CONN-1.2.1",
                "Does the device have available RJ45 Ethernet ports?",
                "Yes",
                "",
                "",
                "",
                "",
            ),
            (
                "CONN-1.2.2",
                "Does the device have available USB ports?",
                "No",
                "",
                "",
                "",
                "",
            ),
            (
                "CONN-3",
                "Can the device communicate with other systems within the customer "
                "environment?",
                "Yes",
                "",
                "",
                "",
                "",
            ),
            (
                "CONN-4",
                "Can the device communicate with other systems external to the "
                "customer environment (e.g., a service host)?",
                "No",
                "",
                "",
                "",
                "",
            ),
            (
                "CONN-6",
                "Does the device require an internet connection for its intended use?",
                "No",
                "",
                "",
                "",
                "",
            ),
        ],
    ),
    (
        "REMOTE SERVICE (RMOT)",
        [
            (
                "RMOT-1",
                "Does the device permit remote service connections for device "
                "analysis or repair?",
                "Yes, site-to-site IPsec VPN to Perfusio service centre",
                "",
                "",
                "AC-17",
                "A.6.2.2",
            ),
            (
                "RMOT-1.1",
                "Does the device allow the owner/operator to initiative remote "
                "service sessions for device analysis or repair?",
                "Yes",
                "",
                "",
                "",
                "",
            ),
        ],
    ),
    (
        "SOFTWARE BILL OF MATERIALS (SBoM)",
        [
            (
                "SBOM-1",
                "Is the SBoM for this product available?",
                "Yes",
                "Note 4",
                "",
                "",
                "",
            ),
        ],
    ),
    (
        "SYSTEM AND APPLICATION HARDENING (SAHD)",
        [
            (
                "SHAD-15",
                "Can the system prevent access to BIOS or other bootloaders during "
                "boot?",
                "Yes",
                "",
                "",
                "",
                "",
            ),
        ],
    ),
]
NOTES = [
    ("Note 1", "Wind River Linux LTS 21"),
    ("Note 2", "Patient identifier and weight, received from the PDMS."),
    (
        "Note 3",
        "Application allow-listing and a read-only root file system replace "
        "anti-malware software.",
    ),
    ("Note 4", "CycloneDX 1.5 SBOM available on request from psirt@perfusio.example."),
]


def build(sections=SECTIONS, notes=NOTES, headers=HEADERS, title="MDS2"):
    """The bytes of an MDS2 workbook with these rows."""
    workbook = Workbook()
    instructions = workbook.active
    instructions.title = "Instructions"
    instructions["A1"] = (
        "Manufacturer Disclosure Statement for Medical Device Security – MDS2 "
        "(ANSI/NEMA HN 1-2019). Answer each question Yes, No, N/A or See Note."
    )
    sheet = workbook.create_sheet(title)
    bold = Font(bold=True)
    band = PatternFill("solid", fgColor="D9E1F2")
    sheet.append(
        ["Manufacturer Disclosure Statement for Medical Device Security – MDS2"]
    )
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(
        ["Perfusio Medical SAS", "Volumat 8", "PM-MDS2-0042 rev. C", "2025-03-14"]
    )
    sheet.append([])
    sheet.append(headers)
    for cell in sheet[4]:
        cell.font = bold
        cell.fill = band
    for section, rows in sections:
        if section:
            sheet.append([section])
            sheet.cell(sheet.max_row, 1).font = bold
        for row in rows:
            sheet.append(list(row))
    sheet.append([])
    sheet.append(["Notes:"])
    for label, text in notes:
        sheet.append([label, text])
    for column, width in zip("ABCDEFG", (12, 70, 30, 10, 18, 18, 14), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=5):
        row[1].alignment = Alignment(wrap_text=True)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


if __name__ == "__main__":
    target = Path(__file__).with_name("volumat8_mds2_hn1-2019.xlsx")
    target.write_bytes(build())
    sys.stdout.write(f"{target}\n")
