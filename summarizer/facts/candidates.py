"""What an article visibly holds before any model reads it: its quotes, figures, dates and names,
found deterministically. They measure an answer (``coverage``: how many of them made it into
the facts) and notice an implausibly empty one, which is asked again once with them listed and
a worked example (as langextract's few-shot examples steer a model).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..checks.names import proper_names
from ..text.numbers import month_spans, number_spans

__all__ = ["Candidates", "candidates", "coverage", "implausibly_empty", "reask_message"]

# A quotation: in «», “”, „“ or straight quotes, three words or more (a scare-quoted word is no quote).
_QUOTE = re.compile(r"«([^«»]+)»|“([^“”]+)”|„([^“”]+)[“”]|\"([^\"\n]+)\"")
_ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_YEAR = re.compile(r"\b(?:1[89]|20)\d{2}\b")


@dataclass(frozen=True)
class Candidates:
    quotes: tuple[tuple[int, int], ...]
    figures: tuple[tuple[int, int], ...]
    dates: tuple[tuple[int, int], ...]
    names: tuple[str, ...]


def candidates(text: str, lang: str) -> Candidates:
    quotes = []
    for m in _QUOTE.finditer(text):
        group = next(i for i in range(1, 5) if m.group(i) is not None)
        if len(m.group(group).split()) >= 3:
            quotes.append((m.start(group), m.end(group)))
    dates = [(a, b) for a, b, _ in month_spans(text, lang)] + [(m.start(), m.end()) for m in _ISO.finditer(text)]
    taken = {p for a, b in dates for p in range(a, b)}
    dates += [(m.start(), m.end()) for m in _YEAR.finditer(text) if m.start() not in taken]
    in_dates = {p for a, b in dates for p in range(a, b)}
    figures = [(a, b) for a, b, _ in number_spans(text, lang) if a not in in_dates]
    names = tuple(dict.fromkeys(n.word for n in proper_names(text)))
    return Candidates(tuple(quotes), tuple(figures), tuple(sorted(dates)), names)


def _covered(spans: tuple[tuple[int, int], ...], evidence: list[tuple[int, int]]) -> int:
    return sum(any(s < e_end and e_start < e for e_start, e_end in evidence) for s, e in spans)


def coverage(found: Candidates, evidence: dict[str, list[tuple[int, int]]]) -> dict[str, tuple[int, int]]:
    """kind -> (candidates covered by a fact's evidence, candidates in the text)."""
    return {
        "quotes": (_covered(found.quotes, evidence.get("quotes", [])), len(found.quotes)),
        "figures": (_covered(found.figures, evidence.get("figures", [])), len(found.figures)),
        "dates": (_covered(found.dates, evidence.get("dates", [])), len(found.dates)),
    }


def implausibly_empty(found: Candidates, counts: dict[str, int]) -> bool:
    """Nothing where the text plainly has something: no facts at all in an article with names,
    quotes or figures, or no quote from an article that quotes someone."""
    total = sum(counts.values())
    if total == 0:
        return bool(found.names or found.quotes or found.figures)
    return bool(found.quotes) and counts.get("quotes", 0) == 0 and counts.get("people", 0) == 0


_EXAMPLE = (
    'For example (a fictional text): Minister Aigul Sarsenova said on 3 March 2021: "Exports grew by 12 percent."\n'
    'has people [{"name": "Aigul Sarsenova", "role": "Minister", "affiliation": null, "country": null, '
    '"evidence": "Minister Aigul Sarsenova"}], quotes [{"speaker": "Aigul Sarsenova", '
    '"quote": "Exports grew by 12 percent."}], figures [{"value": 12, "unit": "percent", '
    '"measures": "export growth", "evidence": "grew by 12 percent"}] and dates [{"what": "the statement", '
    '"date": "2021-03-03", "qualifier": "on", "evidence": "3 March 2021"}].'
)


def reask_message(text: str, found: Candidates, limit: int = 8) -> str:
    """The follow-up for an empty answer: what the article visibly holds, and a worked example."""
    listed = []
    if found.names:
        listed.append("names: " + ", ".join(found.names[:limit]))
    if found.quotes:
        listed.append("quotations: " + " | ".join(text[a:b][:120] for a, b in found.quotes[:limit]))
    if found.figures:
        listed.append("figures: " + ", ".join(text[a:b] for a, b in found.figures[:limit]))
    if found.dates:
        listed.append("dates: " + ", ".join(text[a:b] for a, b in found.dates[:limit]))
    return (
        "Your answer lists almost no facts, but the article states these (found by a program, to annotate, "
        "not to copy blindly):\n- " + "\n- ".join(listed) + "\n" + _EXAMPLE + "\n"
        "Answer again with one JSON object that matches the schema: every person, quote, figure and date "
        "the article states, each with its evidence copied from the article."
    )
