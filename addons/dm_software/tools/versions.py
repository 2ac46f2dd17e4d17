"""Natural ordering of software version strings (2.10 comes after 2.9).

Pure Python, no Odoo import. A version is split into numbers and words:
numbers compare by value, the usual pre-release words (dev, alpha, beta,
rc…) sort before the release they announce (``2.0rc1`` < ``2.0``) and any
other word sorts after it (``2.0`` < ``2.0 SP1``). Separators, case and
leading zeros do not matter: ``V2.01`` and ``2.1`` are the same version.

:func:`version_key` turns a version into a string made of digits and lower
case letters whose plain string order is the natural order, so the database
can sort on it (``ORDER BY``) and a unique index can refuse duplicates.
"""

import re

_TOKEN = re.compile(r"\d+|[^\W\d_]+")
# Pre-release words, in release order, each with its rank (one digit).
PRE_RELEASE = {
    "dev": 0,
    "snapshot": 0,
    "a": 1,
    "alpha": 1,
    "b": 2,
    "beta": 2,
    "pre": 3,
    "preview": 3,
    "c": 4,
    "rc": 4,
}
WORD_WIDTH = 8
# Token kinds: the first character of each encoded token.
_PRE, _WORD, _NUMBER = "0", "1", "2"
# Ends every key: after pre-release words, before numbers and other words.
_END = _WORD + "0" * WORD_WIDTH


# Bounds of a version: far above any real one ("2024.10.1-rc2 build 20241031"),
# and they keep the key short and every number within the two digits of its
# encoded length (and Python's limit on converting long digit strings).
MAX_LENGTH = 64
MAX_NUMBER_DIGITS = 20


class VersionError(ValueError):
    """The text holds no version (no digit and no letter)."""


class VersionTooLongError(VersionError):
    """The text is longer than :data:`MAX_LENGTH` or one of its numbers has
    more than :data:`MAX_NUMBER_DIGITS` digits."""


def version_tokens(version):
    """Numbers and lower case words of ``version``, leading "v" dropped."""
    if not isinstance(version, str):
        raise TypeError("version_tokens() expects a string")
    text = version.strip().lower()
    if len(text) > MAX_LENGTH:
        raise VersionTooLongError(version)
    if re.match(r"v\d", text):
        text = text[1:]
    raw = _TOKEN.findall(text)
    if any(t.isdigit() and len(t.lstrip("0")) > MAX_NUMBER_DIGITS for t in raw):
        raise VersionTooLongError(version)
    tokens = [int(t) if t.isdigit() else t for t in raw]
    if not tokens:
        raise VersionError(version)
    return tokens


def _encode(token):
    if isinstance(token, int):
        digits = str(token)
        return f"{_NUMBER}{len(digits):02d}{digits}"
    if token in PRE_RELEASE:
        return f"{_PRE}{PRE_RELEASE[token]}"
    # Words are cut to a fixed width and padded with "0", which sorts before
    # any letter: shorter words come first, as in a dictionary.
    word = "".join(c if "a" <= c <= "z" else "z" for c in token[:WORD_WIDTH])
    return _WORD + word.ljust(WORD_WIDTH, "0")


def version_key(version):
    """Sortable key of ``version``; raises :class:`VersionError` if empty."""
    return "".join(_encode(t) for t in version_tokens(version)) + _END


def sort_versions(versions, reverse=False):
    """The versions in natural order (oldest first unless ``reverse``)."""
    return sorted(versions, key=version_key, reverse=reverse)


def compare_versions(left, right):
    """-1, 0 or 1 as ``left`` is older than, the same as or newer than ``right``."""
    left_key, right_key = version_key(left), version_key(right)
    return (left_key > right_key) - (left_key < right_key)
