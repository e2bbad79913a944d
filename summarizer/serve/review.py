"""What the review pages mark: failing checks on their spans, glossary terms, facts' evidence.

A check that knows where its fault is says so in ``Check.spans``; the others say it in their
detail ("missing or changed: 24500, month January", "3 Latin-script words in a row: 'the big
plan'"), and this module finds those words again, in the translation (what is wrong there) or in
the source (what went missing). It only marks: a mark that cannot be placed is simply not drawn,
the check is still listed in full beside the text.

Texts are cut into paragraphs with their offsets, and each paragraph into ``Piece``s, plain or
marked, that the templates print with autoescape: a mark never carries markup of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import zip_longest
from typing import Any

from ..text.glossary import Glossary, find_term

__all__ = ["Mark", "Piece", "Row", "evidence_marks", "paragraphs", "rows", "summary_marks", "translation_marks"]

_QUOTED = re.compile(r"'([^']{2,200})'")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_NUMBER = re.compile(r"\d(?:[\d\s.,\u00a0\u202f]*\d)?")


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    kind: str  # fault | term | missing | evidence
    label: str  # the check's name, the term, or the fact's id


@dataclass(frozen=True)
class Piece:
    text: str
    mark: Mark | None = None
    labels: tuple[str, ...] = ()  # every mark covering this piece (facts' evidence may overlap)


@dataclass(frozen=True)
class Row:
    left: list[Piece]
    right: list[Piece]


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: blank lines part them (single lines when there are none),
    as ``text.articles.split_paragraphs`` does, but keeping where each one is."""
    spans = _spans(text, _PARAGRAPH_BREAK)
    if len(spans) == 1 and "\n" in text[spans[0][0] : spans[0][1]]:
        spans = _spans(text, re.compile(r"\n"))
    return spans


def _spans(text: str, separator: re.Pattern[str]) -> list[tuple[int, int]]:
    out, start = [], 0
    for match in [*separator.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk = text[start:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            out.append((start + lead, start + len(chunk.rstrip())))
        start = match.end() if match else len(text)
    return out


def pieces(text: str, span: tuple[int, int], marks: Sequence[Mark]) -> list[Piece]:
    """``text[span]`` cut at the marks that fall in it; where marks overlap the first one wins."""
    start, end = span
    out: list[Piece] = []
    at = start
    for mark in sorted(marks, key=lambda m: (m.start, -m.end)):
        s, e = max(mark.start, at), min(mark.end, end)
        if e <= s:
            continue
        if s > at:
            out.append(Piece(text[at:s]))
        out.append(Piece(text[s:e], mark))
        at = e
    if at < end:
        out.append(Piece(text[at:end]))
    return out


def layers(text: str, span: tuple[int, int], marks: Sequence[Mark]) -> list[Piece]:
    """Like ``pieces``, but overlapping marks all count: each piece lists every mark over it, so a
    click on any fact can light its whole evidence even where two quotes share words."""
    start, end = span
    inside = [m for m in marks if m.end > start and m.start < end]
    cuts = sorted({start, end, *(max(start, m.start) for m in inside), *(min(end, m.end) for m in inside)})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        over = [m for m in inside if m.start <= a and m.end >= b]
        out.append(Piece(text[a:b], over[0] if over else None, tuple(m.label for m in over)))
    return out


def rows(left: str, left_marks: Sequence[Mark], right: str, right_marks: Sequence[Mark]) -> list[Row]:
    """Source and output side by side, paragraph by paragraph (a missing paragraph is an empty cell)."""
    return [
        Row(pieces(left, a, left_marks) if a else [], pieces(right, b, right_marks) if b else [])
        for a, b in zip_longest(paragraphs(left), paragraphs(right))
    ]


def _find_all(text: str, needle: str, *, words: bool = True) -> list[tuple[int, int]]:
    if not needle.strip():
        return []
    pattern = re.escape(needle).replace(r"\ ", r"\s+")
    if words:
        pattern = rf"(?<!\w){pattern}(?!\w)"
    return [(m.start(), m.end()) for m in re.finditer(pattern, text, re.IGNORECASE)]


def _listed(detail: str) -> list[str]:
    """The items after the colon of a detail: "missing or changed: 24500, month January and 3 more"."""
    _, _, tail = detail.partition(": ")
    tail = re.sub(r" and \d+ more$", "", tail)
    return [item.strip() for item in tail.split(",") if item.strip()]


def _numbers_in(source: str, item: str) -> list[tuple[int, int]]:
    item = re.sub(r" \(x\d+\)$", "", item)
    if item.startswith(("month ", "weekday ")):
        return _find_all(source, item.split(" ", 1)[1])
    wanted = re.sub(r"\D", "", item)
    return [(m.start(), m.end()) for m in _NUMBER.finditer(source) if wanted and re.sub(r"\D", "", m.group()) == wanted]


def translation_marks(
    source: str,
    translation: str,
    checks: Iterable[dict[str, Any]],
    *,
    glossary: Glossary | None,
    source_lang: str,
    target_lang: str,
) -> tuple[list[Mark], list[Mark]]:
    """Marks on the source and on the translation for the failing checks and the glossary terms."""
    left: list[Mark] = []
    right: list[Mark] = []
    for check in checks:
        if check.get("passed", True):
            continue
        name, detail = str(check.get("name", "")), str(check.get("detail", ""))
        right += [Mark(s, e, "fault", name) for s, e in check.get("spans") or ()]
        if name == "numbers":
            for item in _listed(detail):
                left += [Mark(s, e, "missing", f"numbers: {item} is not in the translation")
                         for s, e in _numbers_in(source, item)]  # fmt: skip
        elif name == "glossary":
            for item in re.findall(r"([^,:]+?) \(for ([^)]+)\)", detail):
                house, original = item[0].strip(), item[1].strip()
                left += [Mark(s, e, "missing", f"glossary: house spelling {house}")
                         for s, e in _find_all(source, original)]  # fmt: skip
        elif name == "vocabulary":
            for word in _listed(detail):
                right += [Mark(s, e, "fault", name) for s, e in _find_all(translation, word)]
        else:  # untranslated, language, no_repetition: the quoted run of words
            for run in _QUOTED.findall(detail):
                right += [Mark(s, e, "fault", name) for s, e in _find_all(translation, run)]
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


def summary_marks(summary: str, checks: Iterable[dict[str, Any]]) -> list[Mark]:
    marks: list[Mark] = []
    for check in checks:
        if check.get("passed", True):
            continue
        name, detail = str(check.get("name", "")), str(check.get("detail", ""))
        marks += [Mark(s, e, "fault", name) for s, e in check.get("spans") or ()]
        for run in _QUOTED.findall(detail):
            marks += [Mark(s, e, "fault", name) for s, e in _find_all(summary, run)]
        if name == "vocabulary":
            for word in _listed(detail):
                marks += [Mark(s, e, "fault", name) for s, e in _find_all(summary, word)]
    return marks


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
