"""Is a summary faithful to its source? Entity-level factual consistency, without a model.

After Nan et al. (2021), "Entity-level Factual Consistency of Abstractive Text Summarization":
the faults that matter in a news summary are the entities and figures it states that the
source does not. Three checks, each naming the unsupported spans of the summary:

=====================  =======================================================================
numbers_supported      every number, date and year of the summary is a figure of the source, read
                       per language (``four million`` = ``4 million`` = ``4 млн``); a round figure
                       within 10 % of one of the source's passes ("about 27,000" for 26,750)
names_supported        every person, place and organisation the summary names is named in the
                       source, in any spelling or script (``Токаев`` for ``Tokayev``)
quotes_supported       every quoted passage of three words or more is in the source (for a summary
                       in another language, its names and numbers are what is checked above)
=====================  =======================================================================
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..text.numbers import month_spans, number_spans, weekday_spans
from .names import unsupported_names
from .verdict import Check, Finding

__all__ = ["check_faithfulness"]

_QUOTE = re.compile(r"«([^«»]{3,}?)»|“([^“”]{3,}?)”|\"([^\"]{3,}?)\"|„([^“”]{3,}?)[“”]")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_FOLD = str.maketrans({"’": "'", "‘": "'", "—": "-", "–": "-", "\u00a0": " "})


def check_faithfulness(summary: str, source: str, *, lang: str, source_lang: str) -> tuple[Check, ...]:
    """The three faithfulness checks of ``summary`` (in ``lang``) against ``source`` (in ``source_lang``)."""
    return (
        _numbers(summary, source, lang, source_lang),
        _names(summary, source),
        _quotes(summary, source, same_language=lang == source_lang),
    )


def _supported(value: Decimal, known: set[Decimal]) -> bool:
    if value in known:
        return True
    digits = len(str(abs(int(value)))) if value >= 1 else 0
    rounded = value == value.to_integral_value() and digits >= 3 and int(value) % 10 ** (digits - 2) == 0
    return rounded and any(k and abs(value - k) / abs(k) <= Decimal("0.1") for k in known)


def _numbers(summary: str, source: str, lang: str, source_lang: str) -> Check:
    # The summary first: the source is read only for the kinds of figure the summary states
    # (most short summaries state none, and reading a wire item's figures is this check's cost).
    figures = [
        (start, end, value)
        for start, end, value in number_spans(summary, lang)
        if not (value == 1 and not summary[start].isdigit())  # "one of the", "one" as a pronoun
    ]
    months_said = month_spans(summary, lang)
    days_said = weekday_spans(summary, lang)
    bad: list[tuple[int, int]] = []
    if figures or months_said:
        known = {v for _, _, v in number_spans(source, source_lang)} if figures else set()
        months = {m for _, _, m in month_spans(source, source_lang)} if months_said else set()
        for year, month, day in _ISO_DATE.findall(source):  # the wire header's date
            known.update((Decimal(year), Decimal(day).normalize(), Decimal(month).normalize()))
            months.add(int(month))
        bad += [(start, end) for start, end, value in figures if not _supported(value, known)]
        bad += [(start, end) for start, end, month in months_said if month not in months]
    if days_said:
        days = {d for _, _, d in weekday_spans(source, source_lang)}
        bad += [(start, end) for start, end, day in days_said if day not in days]
    listed = ", ".join(dict.fromkeys(summary[a:b] for a, b in sorted(bad)))
    return Check.of(
        "numbers_supported",
        [Finding("unsupported_number", "error", f"not in the source: {summary[a:b]}", span=(a, b), found=summary[a:b])
         for a, b in sorted(bad)],  # fmt: skip
        ok="every number and date of the summary is in the source",
        detail=f"not in the source: {listed}",
    )


def _names(summary: str, source: str) -> Check:
    missing = unsupported_names(summary, source)
    listed = ", ".join(dict.fromkeys(n.word for n in missing))
    return Check.of(
        "names_supported",
        [Finding("unsupported_name", "error", f"the source never names {n.word}", span=(n.start, n.end), found=n.word)
         for n in missing],  # fmt: skip
        ok="every name of the summary is named in the source",
        detail=f"the source never names: {listed}",
    )


def _normal(text: str) -> str:
    return " ".join(text.translate(_FOLD).casefold().split())


def _quotes(summary: str, source: str, *, same_language: bool) -> Check:
    if not same_language:
        return Check("quotes_supported", True, "the summary is in another language: its names and numbers are checked")
    plain = _normal(source)
    bad = []
    for match in _QUOTE.finditer(summary):
        group = next(i for i in range(1, 5) if match.group(i) is not None)
        quoted = match.group(group).strip(" .,")
        if len(quoted.split()) >= 3 and _normal(quoted) not in plain:
            bad.append((match.start(group), match.end(group)))
    listed = "; ".join(f"'{summary[a:b]}'" for a, b in bad)
    return Check.of(
        "quotes_supported",
        [Finding("unsupported_quote", "error", f"quoted, but not in the source: '{summary[a:b]}'", span=(a, b),
                 found=summary[a:b]) for a, b in bad],  # fmt: skip
        ok="every quotation of the summary is in the source",
        detail=f"quoted, but not in the source: {listed}",
    )
