"""What the review pages mark: the checks' findings, glossary terms, facts' evidence.

Marks on the judged text and on the source come from the checks' findings alone (their
``span`` and ``source_span``: ``checks.marks``); this module adds what only the desk shows: the
glossary terms in their house spelling, and the evidence of each fact. It only marks: a mark
that cannot be placed is simply not drawn, the check is still listed in full beside the text.

Texts are cut into paragraphs with their offsets, and each paragraph into ``Piece``s, plain or
marked, that the templates print with autoescape: a mark never carries markup of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import zip_longest
from typing import Any

from ..checks.marks import Mark, Piece, finding_marks, layers, pieces
from ..checks.verdict import Check
from ..text.articles import paragraph_spans as paragraphs
from ..text.glossary import Glossary, find_term

__all__ = [
    "Mark",
    "Piece",
    "Row",
    "evidence_marks",
    "layers",
    "paragraphs",
    "pieces",
    "rows",
    "summary_marks",
    "translation_marks",
]

# A verdict as the desk's store keeps it (``CheckOut``'s JSON), or as the library makes it.
Verdict = Check | Mapping[str, Any]


@dataclass(frozen=True)
class Row:
    left: list[Piece]
    right: list[Piece]


def rows(left: str, left_marks: Sequence[Mark], right: str, right_marks: Sequence[Mark]) -> list[Row]:
    """Source and output side by side, paragraph by paragraph (a missing paragraph is an empty cell)."""
    return [
        Row(pieces(left, a, left_marks) if a else [], pieces(right, b, right_marks) if b else [])
        for a, b in zip_longest(paragraphs(left), paragraphs(right))
    ]


def _checks(verdicts: Iterable[Verdict]) -> list[Check]:
    return [v if isinstance(v, Check) else Check.from_dict(v) for v in verdicts]


def translation_marks(
    source: str,
    translation: str,
    checks: Iterable[Verdict],
    *,
    glossary: Glossary | None,
    source_lang: str,
    target_lang: str,
) -> tuple[list[Mark], list[Mark]]:
    """Marks on the source and on the translation for the findings and the glossary terms: a
    finding's span is a fault in the translation, its source span what the translation lost."""
    verdicts = _checks(checks)
    left = finding_marks(verdicts, len(source), side="source", kind="missing")
    right = finding_marks(verdicts, len(translation), why=False)
    if glossary is not None:
        for term in glossary.select(source, lang=source_lang, target=target_lang):
            original, house = term.form(source_lang), term.form(target_lang)
            found = find_term(translation, house, lang=target_lang)
            if found is not None:
                right.append(Mark(found[0], found[1], "term", f"glossary: {original} = {house}"))
            where = find_term(source, original, lang=source_lang)
            if where is not None:
                left.append(Mark(where[0], where[1], "term", f"glossary: {original} = {house}"))
    return left, right


def summary_marks(summary: str, checks: Iterable[Verdict]) -> list[Mark]:
    """Marks on a summary where its checks found faults."""
    return finding_marks(_checks(checks), len(summary), why=False)


@dataclass(frozen=True)
class FactLine:
    id: str
    kind: str
    text: str
    evidence: str
    start: int | None
    end: int | None


_LABELS = {
    "people": lambda f: f["name"] + (f" — {f['role']}" if f.get("role") else ""),
    "organisations": lambda f: f["name"],
    "places": lambda f: f["name"],
    "dates": lambda f: f"{f['what']}: {f['date']}",
    "quotes": lambda f: (f"{f['speaker']}: " if f.get("speaker") else "") + f"«{f['quote']}»",
    "figures": lambda f: f"{f['measures']}: {f['value']:g}" + (f" {f['unit']}" if f.get("unit") else ""),
    "topics": lambda f: f["name"],
}


def evidence_marks(facts: dict[str, Any]) -> tuple[list[FactLine], list[Mark]]:
    """Every fact as a line, and its evidence as a mark on ``article.text`` (its offsets point there)."""
    lines: list[FactLine] = []
    marks: list[Mark] = []
    for kind, label in _LABELS.items():
        for index, fact in enumerate(facts.get(kind, [])):
            ev = fact.get("evidence", {})
            fid = f"{kind}-{index}"
            lines.append(FactLine(fid, kind, label(fact), ev.get("text", ""), ev.get("start"), ev.get("end")))
            if ev.get("start") is not None and ev.get("end") is not None:
                marks.append(Mark(ev["start"], ev["end"], "evidence", fid))
    return lines, marks
