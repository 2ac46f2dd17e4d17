"""MDS2 forms (ANSI/NEMA HN 1-2019) read into proposals for the cyber matrix.

The Manufacturer Disclosure Statement for Medical Device Security is an
Excel workbook: one row per question, identified by its MDS2 question id
(``DOC-1`` manufacturer name, ``MPII-1`` personally identifiable
information, ``CONN-1.2.1`` RJ45 ports, ``MLDP-2`` anti-malware,
``RMOT-1`` remote service, ``CSUP-2`` operating system…), the question, the
manufacturer's answer (Yes, No, N/A, See Note, or a text) and a note.

:func:`read_mds2` finds the question rows by their ids wherever they are
(manufacturers move columns and sheets around), reading the column headers
("Question ID", "Question", "See note"…) when the sheet has them.
:func:`proposals` maps the answers that fit the cyber matrix of
``maintenance.equipment`` onto its fields, each with the question it comes
from and the manufacturer's answer, for the RSSI to accept or not.

Pure functions, no env (openpyxl only).
"""

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any, NamedTuple

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from odoo.tools.translate import LazyTranslate

from .read_error import ReadError

_lt = LazyTranslate(__name__)

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 5000  # per sheet; the form has about 250 question rows
MAX_COLUMNS = 30
# The section codes of HN 1-2019 (SHAD: the form's own spelling of SAHD-15).
SECTIONS = (
    "DOC",
    "MPII",
    "ALOF",
    "AUDT",
    "AUTH",
    "CSUP",
    "DIDT",
    "DTBK",
    "EMRG",
    "IGAU",
    "MLDP",
    "NAUT",
    "CONN",
    "PAUT",
    "PLOK",
    "RDMP",
    "SBOM",
    "SAHD",
    "SHAD",
    "SGUD",
    "STCF",
    "TXCF",
    "TXIG",
    "RMOT",
    "OTHR",
)
QUESTION_ID = re.compile(
    r"^(?P<section>" + "|".join(SECTIONS) + r")\s*-\s*(?P<number>\d+(?:\.\d+)*)$",
    re.IGNORECASE,
)
_NOTE_REF = re.compile(r"^(?:see\s+)?note\s*#?\s*(\d+)$|^(\d+)$", re.IGNORECASE)
_NOTE_LABEL = re.compile(r"^note\s*#?\s*(\d+)\s*[:.]?$", re.IGNORECASE)
_BLANK = re.compile(r"^[\s_\-–—]*$")

YES, NO, NOT_APPLICABLE, SEE_NOTE = "yes", "no", "n/a", "see_note"
_ANSWER_WORDS = (
    (re.compile(r"^yes\b", re.IGNORECASE), YES),
    (re.compile(r"^no\b", re.IGNORECASE), NO),
    (re.compile(r"^(n/?a|not applicable)\b", re.IGNORECASE), NOT_APPLICABLE),
    (re.compile(r"^see\s+note\b", re.IGNORECASE), SEE_NOTE),
)
# Questions that say how the device is patched: the ones the matrix records
# are proposed (_propose_patching), all are shown next to the proposals.
PATCHING_QUESTIONS = (
    "CSUP-1",
    "CSUP-2.1",
    "CSUP-2.2",
    "CSUP-2.3",
    "CSUP-2.4",
    "CSUP-7",
    "CSUP-8",
    "CSUP-11",
)


class Mds2Error(ReadError):
    MESSAGES = {
        "empty": _lt("The MDS2 file is empty."),
        "too_large": _lt("The MDS2 file is larger than %(max)s MB."),
        "not_workbook": _lt(
            "The MDS2 file is not an Excel workbook (.xlsx): %(message)s"
        ),
        "no_questions": _lt(
            "No MDS2 question (DOC-1, MPII-1, MLDP-2…) was found in the workbook: "
            "is it an MDS2 form of ANSI/NEMA HN 1-2019?"
        ),
        "duplicate_question": _lt(
            "The MDS2 question %(question)s is answered twice, differently "
            "(%(first)s, then %(second)s)."
        ),
    }


@dataclass(frozen=True)
class Mds2Answer:
    question_id: str
    question: str
    answer: str  # as written
    value: str | None  # yes, no, n/a, see_note, or None (a free text / blank)
    detail: str  # what follows the yes/no (e.g. "Yes, LDAP" → "LDAP")
    note: str  # the note, resolved when it refers to the notes list
    sheet: str
    row: int

    @property
    def text(self):
        """The answer and its note, as the manufacturer wrote them."""
        return " — ".join(part for part in (self.answer, self.note) if part)


@dataclass(frozen=True)
class Mds2Form:
    answers: dict  # question id → Mds2Answer

    def get(self, question_id):
        return self.answers.get(question_id)

    def value(self, question_id):
        answer = self.answers.get(question_id)
        return answer.value if answer else None

    def _text(self, question_id):
        answer = self.answers.get(question_id)
        return answer.answer if answer else None

    @property
    def manufacturer(self):
        return self._text("DOC-1")

    @property
    def device_description(self):
        return self._text("DOC-2")

    @property
    def device_model(self):
        return self._text("DOC-3")

    @property
    def document_id(self):
        return self._text("DOC-4")

    @property
    def release_date(self):
        return self._text("DOC-7")


class Proposal(NamedTuple):
    """A value for a field of the cyber matrix, and where it comes from."""

    field_name: str
    value: Any
    source_question_id: str
    answer_text: str


# ----------------------------------------------------------------- reading
def normalize_question_id(text):
    """``MLDP-2.1`` for ``mldp - 2.1``; ``None`` when ``text`` is no id."""
    match = QUESTION_ID.match(str(text or "").strip())
    if not match:
        return None
    section = match.group("section").upper()
    return f"{'SAHD' if section == 'SHAD' else section}-{match.group('number')}"


def parse_answer(text):
    """``(value, detail)`` of an answer: ``("yes", "LDAP")`` for ``Yes, LDAP``;
    ``(None, text)`` for a free text; ``(None, "")`` for a blank."""
    answer = " ".join(str(text or "").split())
    if _BLANK.match(answer):
        return None, ""
    for pattern, value in _ANSWER_WORDS:
        match = pattern.match(answer)
        if match:
            return value, answer[match.end() :].strip(" ,;:.-–—()")
    return None, answer


def _cell_text(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _header_columns(row):
    """Columns of the header row of a sheet, or ``None`` if ``row`` is not it."""
    texts = [t.lower() for t in row]
    if "question id" not in texts:
        return None
    columns = {"id": texts.index("question id")}
    for index, text in enumerate(texts):
        if text == "question":
            columns["question"] = index
        elif text in ("answer", "response", "yes, no, n/a, or see note"):
            columns["answer"] = index
        elif text.startswith(("see note", "note")):
            columns.setdefault("note", index)
    return columns


def _row_answer(row, columns):
    """``(question id, question, answer, note)`` of a question row."""
    if columns:
        question_col = columns.get("question", columns["id"] + 1)
        answer_col = columns.get("answer", question_col + 1)
        if answer_col == columns.get("note"):
            answer_col = question_col + 1

        def cell(index):
            return row[index] if index is not None and index < len(row) else ""

        return (
            cell(columns["id"]),
            cell(question_col),
            cell(answer_col),
            cell(columns.get("note")),
        )
    # No header: the id, then the question, the answer and the note.
    filled = [t for t in row if t]
    start = next(i for i, t in enumerate(filled) if normalize_question_id(t))
    rest = [*filled[start + 1 :], "", "", ""]
    return filled[start], rest[0], rest[1], rest[2]


def _load(data):
    if not isinstance(data, bytes | bytearray):
        raise TypeError("read_mds2() expects bytes")
    if not data:
        raise Mds2Error("empty")
    if len(data) > MAX_BYTES:
        raise Mds2Error("too_large", {"max": MAX_BYTES // (1024 * 1024)})
    try:
        return load_workbook(io.BytesIO(bytes(data)), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as error:
        raise Mds2Error("not_workbook", {"message": str(error)}) from None
    except Exception as error:  # pylint: disable=broad-exception-caught
        # openpyxl raises what its XML readers meet inside a damaged file.
        raise Mds2Error("not_workbook", {"message": str(error)}) from None


def read_mds2(data):
    """The :class:`Mds2Form` of an MDS2 workbook (bytes of an .xlsx)."""
    workbook = _load(data)
    rows_found, notes = [], {}
    try:
        for sheet in workbook.worksheets:
            columns = None
            for number, values in enumerate(
                sheet.iter_rows(
                    max_row=MAX_ROWS, max_col=MAX_COLUMNS, values_only=True
                ),
                start=1,
            ):
                row = [_cell_text(v) for v in values]
                columns = _header_columns(row) or columns
                filled = [t for t in row if t]
                if not filled:
                    continue
                label = _NOTE_LABEL.match(filled[0])
                if label and len(filled) > 1:
                    notes[label.group(1)] = " ".join(filled[1:])
                    continue
                if any(normalize_question_id(t) for t in row):
                    rows_found.append((sheet.title, number, *_row_answer(row, columns)))
    except Exception as error:  # pylint: disable=broad-exception-caught
        raise Mds2Error("not_workbook", {"message": str(error)}) from None
    finally:
        workbook.close()
    answers = {}
    for sheet, number, raw_id, question, answer, note in rows_found:
        question_id = normalize_question_id(raw_id)
        if question_id is None:
            continue  # an id quoted in a question or a note, not a question row
        value, detail = parse_answer(answer)
        note_ref = _NOTE_REF.match(note or "")
        if note_ref and (note_ref.group(1) or note_ref.group(2)) in notes:
            note = notes[note_ref.group(1) or note_ref.group(2)]
        found = Mds2Answer(
            question_id, question, answer, value, detail, note, sheet, number
        )
        previous = answers.get(question_id)
        if previous and (previous.answer, previous.note) != (answer, note):
            raise Mds2Error(
                "duplicate_question",
                {
                    "question": question_id,
                    "first": previous.text or "-",
                    "second": found.text or "-",
                },
            )
        answers.setdefault(question_id, found)
    if not answers:
        raise Mds2Error("no_questions")
    return Mds2Form(answers)


# ----------------------------------------------------------------- mapping
def _proposal(field_name, value, answer):
    return Proposal(field_name, value, answer.question_id, answer.text)


def _first(form, question_ids, value):
    """The first of ``question_ids`` answered ``value``."""
    for question_id in question_ids:
        answer = form.get(question_id)
        if answer and answer.value == value:
            return answer
    return None


def _all_answered(form, question_ids, value):
    """The last of ``question_ids`` when all are answered ``value``."""
    answers = [form.get(q) for q in question_ids]
    if answers and all(a and a.value == value for a in answers):
        return answers[-1]
    return None


def _propose_os(form):
    for question_id in ("CSUP-2", "DOC-11.1"):
        answer = form.get(question_id)
        if answer and answer.value in (YES, SEE_NOTE):
            name = answer.note or answer.detail
            if name and parse_answer(name)[0] is None:
                return [_proposal("os_version_id", name, answer)]
    return []


def _propose_antivirus(form):
    included = _first(form, ("MLDP-2.1", "CSUP-4"), YES)
    if included:
        return [_proposal("antivirus", "vendor", included)]
    by_owner = _first(form, ("MLDP-2.3", "MLDP-2.2"), YES)
    if by_owner:
        return [_proposal("antivirus", "hospital", by_owner)]
    unsupported = _first(form, ("MLDP-2",), NO)
    if unsupported:
        return [_proposal("antivirus", "none", unsupported)]
    return []


def _propose_yes_no(form, field_name, yes_ids, no_ids):
    """``True`` from the first of ``yes_ids`` answered yes; ``False`` when all
    of ``no_ids`` are answered no."""
    yes = _first(form, yes_ids, YES)
    if yes:
        return [_proposal(field_name, True, yes)]
    no = _all_answered(form, no_ids, NO)
    if no:
        return [_proposal(field_name, False, no)]
    return []


def _propose_usb(form):
    # No USB port at all: nothing to lock. With ports, locking them is the
    # hospital's configuration, which the form does not tell.
    answer = form.get("CONN-1.2.2")
    if answer and answer.value == NO:
        return [_proposal("usb_locked", True, answer)]
    return []


def _propose_remote(form):
    answer = form.get("RMOT-1")
    if not answer:
        return []
    if answer.value == NO:
        return [_proposal("remote_maintenance_channel", "none", answer)]
    if answer.value in (YES, SEE_NOTE):
        words = f"{answer.detail} {answer.note}".lower()
        if "bastion" in words:
            return [_proposal("remote_maintenance_channel", "hospital_bastion", answer)]
        if "vpn" in words:
            return [_proposal("remote_maintenance_channel", "supplier_vpn", answer)]
    return []


def _propose_patch_installer(form):
    """Who installs the security updates: nobody when the device has no
    software that needs any (CSUP-1 no), the device itself when it installs
    them automatically (CSUP-8), the manufacturer's service when it requires
    it (CSUP-2.2), the hospital when the documentation tells it how
    (CSUP-2.1)."""
    for question_id, value, installer in (
        ("CSUP-1", NO, "none"),
        ("CSUP-8", YES, "automatic"),
        ("CSUP-2.2", YES, "vendor"),
        ("CSUP-2.1", YES, "hospital"),
    ):
        answer = form.get(question_id)
        if answer and answer.value == value:
            return [_proposal("patch_installer", installer, answer)]
    return []


def _propose_patching(form):
    found = _propose_patch_installer(form)
    for field_name, question_id in (
        ("patch_remote", "CSUP-2.3"),
        ("third_party_patches_allowed", "CSUP-2.4"),
        ("vendor_notifies_updates", "CSUP-7"),
    ):
        found += _propose_yes_no(form, field_name, (question_id,), (question_id,))
    return found


def proposals(form):
    """Proposals ``(field_name, value, source_question_id, answer_text)`` for
    the cyber matrix of a device from its MDS2 form. ``os_version_id`` is
    proposed as the operating system's name and version as written (the
    model layer finds the matching ``dm.os.version``)."""
    found = []
    found += _propose_os(form)
    found += _propose_antivirus(form)
    found += _propose_yes_no(form, "patient_data", ("MPII-1",), ("MPII-1",))
    found += _propose_yes_no(
        form,
        "is_connected",
        ("CONN-1.2.1", "CONN-1.1.1", "CONN-1.1.3", "CONN-3"),
        ("CONN-1.2.1", "CONN-1.1.1", "CONN-3"),
    )
    found += _propose_yes_no(
        form, "internet_access", ("CONN-6", "CONN-4", "MPII-3.7"), ("CONN-6", "CONN-4")
    )
    found += _propose_yes_no(form, "vendor_firewall", ("NAUT-2",), ("NAUT-2",))
    found += _propose_usb(form)
    found += _propose_remote(form)
    found += _propose_patching(form)
    return found


def patching_answers(form):
    """The answers of :data:`PATCHING_QUESTIONS` the form has, in that order."""
    return [form.get(q) for q in PATCHING_QUESTIONS if form.get(q)]


# ----------------------------------------------------------------- OS versions
def _os_key(text):
    """``wind river linux lts 21`` for ``Wind River Linux, LTS 21``: the words
    of a name, lower case, without punctuation."""
    return " ".join(re.findall(r"[a-z0-9]+", str(text or "").lower()))


def match_os_version(text, candidates):
    """The id of the OS version the MDS2's ``text`` names, or ``None``.

    ``candidates``: ``(id, vendor, name)`` of the known OS versions (the name
    is the product and its version). The text names one when it is its name,
    or its vendor and name, case, spaces and punctuation aside; a text that
    names several (two vendors of the same product) names none."""
    key = _os_key(text)
    if not key:
        return None
    found = {
        os_id
        for os_id, vendor, name in candidates
        if key in (_os_key(name), _os_key(f"{vendor or ''} {name or ''}"))
    }
    return found.pop() if len(found) == 1 else None
