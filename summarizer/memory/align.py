"""An approved pair cut into translation units, paragraph by paragraph.

The article reader's paragraphs (``text.articles.paragraph_spans``) on both sides: the wire
header, each body paragraph and the source line are one unit each, as the translate prompt asks
the model to keep them. When the two sides have different counts nothing can be paired safely
(a merged or split paragraph would pair every later one with its neighbour's translation), so
nothing is stored and the caller says why.

A unit is found again by its ``key``: the paragraph with its whitespace collapsed and every
quotation mark one kind, so that «...», "..." and “...” (the translate task turns straight
quotes into guillemets for Russian and Kazakh) do not make the same paragraph a new one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..errors import UsageError
from ..text.articles import split_paragraphs

__all__ = ["Misaligned", "align", "key"]

_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({q: '"' for q in "«»“”„‟″'‘’‚‛`"})


class Misaligned(UsageError):
    """The pair's paragraphs do not line up: nothing of it is stored."""


def key(paragraph: str) -> str:
    """What an exact match compares: NFC, whitespace collapsed, one kind of quotation mark."""
    text = unicodedata.normalize("NFC", paragraph).translate(_QUOTES)
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class Pair:
    source: str
    target: str


def align(source: str, translation: str) -> list[Pair]:
    """The units of an approved pair, one per paragraph; ``Misaligned`` when the counts differ."""
    left = split_paragraphs(_normalised(source))
    right = split_paragraphs(_normalised(translation))
    if not left or not right:
        raise Misaligned("nothing stored: the source or the translation is empty")
    if len(left) != len(right):
        raise Misaligned(
            f"nothing stored: the source has {len(left)} paragraph(s) and the translation {len(right)}, "
            "so they cannot be paired one to one; make the paragraphs match and add it again"
        )
    return [Pair(s, t) for s, t in zip(left, right, strict=True) if key(s)]


def _normalised(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
