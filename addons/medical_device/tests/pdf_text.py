"""Read a rendered PDF as a person would: its text page by page and where each
word sits (poppler's ``pdftotext``, the tool people use to search archived
PDFs). Used by the tests of the printed documents (PV, erasure certificate)."""

import re
import shutil
import subprocess
import tempfile

from lxml import etree


def pdftotext_available():
    return bool(shutil.which("pdftotext"))


def _pdftotext(pdf, *args):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as source:
        source.write(pdf)
        source.flush()
        return subprocess.run(
            ["pdftotext", *args, source.name, "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout


def pdf_pages(pdf):
    """The text of each page (reading order), as a list."""
    return _pdftotext(pdf).split("\f")[:-1] or [""]


def pdf_words(pdf):
    """(page number from 1, page width, word, x_min, x_max) of every word."""
    root = etree.fromstring(_pdftotext(pdf, "-bbox").encode())
    words = []
    for number, page in enumerate(root.iter("{*}page"), start=1):
        width = float(page.get("width"))
        for word in page.iter("{*}word"):
            words.append(
                (
                    number,
                    width,
                    word.text or "",
                    float(word.get("xMin")),
                    float(word.get("xMax")),
                )
            )
    return words


def pdf_columns(pdf):
    """The text of each left-aligned column of each page, top to bottom: the
    lines a value is wrapped on inside its table cell follow each other, whatever
    order pdftotext reads the row's other cells in."""
    root = etree.fromstring(_pdftotext(pdf, "-bbox").encode())
    columns = {}
    for number, page in enumerate(root.iter("{*}page"), start=1):
        for word in page.iter("{*}word"):
            key = (number, round(float(word.get("xMin"))))
            columns.setdefault(key, []).append(
                (float(word.get("yMin")), word.text or "")
            )
    return [" ".join(text for _y, text in sorted(words)) for words in columns.values()]


def squeezed(text):
    """The text without its line breaks and spaces: a serial wrapped over
    three lines of a cell reads whole again."""
    return re.sub(r"\s+", "", text)
