"""Pin an extracted fact to the exact span of the article it came from.

The model hands back a quote ("Domanevsky proposed a meeting ..."); we have to find where in
the *original* source text it is, so a reviewer can highlight it and a checker can tell an
invented quote from a real one. ``locate`` tries three strategies, strictest first:

1. EXACT: the quote occurs verbatim (``str.find``; C speed).
2. NORMALISED: models retype what they read, so whitespace runs (CRLF, NBSP, thin spaces),
   typographic quotes, dashes and the ellipsis are folded in a copy of the source that keeps
   a map from each of its characters back to the original offsets. Case is kept: "us" and
   "US" are different facts.
3. FUZZY: the quote is paraphrased slightly (one word changed, a Russian case ending moved).
   Chunks of the normalised source vote for where the quote would start, and the few best
   positions are refined with ``difflib.SequenceMatcher``. Never used with ``verbatim=True``:
   a direct quote that is only *nearly* in the article is a misquote, not a match.

Offsets always index the source as given, and ``Span.text`` is always ``source[start:end]``:
the article's own characters, never the model's.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from ..text.words import TOKEN

__all__ = ["Alignment", "Span", "locate"]


class Alignment(enum.StrEnum):
    """How a quote was matched; a str so it serialises to JSON as-is."""

    EXACT = "exact"
    NORMALISED = "normalised"
    FUZZY = "fuzzy"
    NONE = "none"


@dataclass(frozen=True)
class Span:
    """Where a quote sits in the source; ``text`` is ``source[start:end]`` when found."""

    start: int | None
    end: int | None
    text: str | None
    alignment: Alignment
    score: float


_NOT_FOUND = Span(None, None, None, Alignment.NONE, 0.0)

# What "the same text" means once typography is ignored. One source character may become
# several ("…" -> "...") or none (soft hyphens and zero-width spaces that word processors
# leave inside words, invisible to the model and so never in its quote).
_FOLD: dict[str, str] = {
    **{c: '"' for c in "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033"},  # “ ” „ ‟ « » ″
    **{c: "'" for c in "\u2018\u2019\u201a\u201b\u2039\u203a\u2032"},  # ‘ ’ ‚ ‛ ‹ › ′
    **{c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"},  # ‐ ‑ ‒ – — ― −
    "\u2026": "...",
    **{c: "" for c in "\u00ad\u200b\u2060\ufeff"},
}
_CHUNK = re.compile(r"\S+")
# Fuzzy search knobs: how many voted start positions get the expensive refinement, and how
# many leading letters of a word identify it (4 survives Russian/Kazakh inflection and
# typos at the end of names, e.g. "Доманевскому" still votes for "Доманевский").
_CANDIDATES = 4
_KEY_LEN = 4
_SLACK = 2  # words the model may insert or drop at one place and still be found


@dataclass(frozen=True)
class _Folded:
    """A normalised text plus, per character, the original [start, end) it came from."""

    text: str
    starts: list[int]
    ends: list[int]


def _fold(text: str) -> _Folded:
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    # Decomposed input (e.g. "й" as и + U+0306) would never equal the model's composed
    # quote; compose base+combining groups, all mapped to the whole group. Skipped when
    # the text is already NFC, which is the usual case.
    compose = not unicodedata.is_normalized("NFC", text)
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        ch = text[i]
        if ch.isspace():
            # One space per run; also swallows a space after a dropped zero-width char.
            if chars and chars[-1] != " ":
                chars.append(" ")
                starts.append(i)
                ends.append(j)
            i = j
            continue
        if compose:
            while j < n and unicodedata.combining(text[j]):
                j += 1
            group = unicodedata.normalize("NFC", text[i:j])
        else:
            group = ch
        for c in group:
            for out in _FOLD.get(c, c):
                chars.append(out)
                starts.append(i)
                ends.append(j)
        i = j
    if chars and chars[-1] == " ":
        del chars[-1], starts[-1], ends[-1]
    return _Folded("".join(chars), starts, ends)


def _key(chunk: str) -> str | None:
    word = TOKEN.search(chunk)
    return word.group().lower()[:_KEY_LEN] if word else None


@dataclass(frozen=True)
class _Index:
    folded: _Folded
    chunks: list[tuple[int, int]]  # whitespace-separated chunks of folded.text
    keys: list[str]  # per chunk: its word key, or the chunk itself ("-") if it has no word
    by_key: dict[str, list[int]]  # word key -> indices into chunks


# The caller looks up ~100 facts in one article: fold and index it once, not per lookup.
@lru_cache(maxsize=4)
def _index(source: str) -> _Index:
    folded = _fold(source)
    chunks = [m.span() for m in _CHUNK.finditer(folded.text)]
    keys = [_key(folded.text[a:b]) or folded.text[a:b] for a, b in chunks]
    by_key: dict[str, list[int]] = {}
    for k, key in enumerate(keys):
        by_key.setdefault(key, []).append(k)
    return _Index(folded, chunks, keys, by_key)


def _span(source: str, folded: _Folded, a: int, b: int, kind: Alignment, score: float) -> Span:
    """Map folded [a, b) back to the source, trimming any whitespace at the edges."""
    start, end = folded.starts[a], folded.ends[b - 1]
    while start < end and source[start].isspace():
        start += 1
    while end > start and source[end - 1].isspace():
        end -= 1
    return Span(start, end, source[start:end], kind, score)


def _fuzzy(idx: _Index, quote: str, min_score: float, hint: int) -> tuple[int, int, float] | None:
    text, chunks, keys = idx.folded.text, idx.chunks, idx.keys
    q_chunks = _CHUNK.findall(quote)
    q_keys = [_key(c) or c for c in q_chunks]
    # Each quote word votes for the chunk where the quote would start. Words as common as
    # "the"/"и" would cast thousands of votes carrying little information, so only the rarer
    # ones vote, unless every rare word was changed. map/Counter.update keep the loops in C.
    words = [t for t, c in enumerate(q_chunks) if TOKEN.search(c)]
    counts = {t: len(idx.by_key.get(q_keys[t], ())) for t in words}
    voting = [t for t in words if counts[t] <= max(32, len(chunks) // 64)]
    if not any(counts[t] for t in voting):
        voting = words
    raw: list[int] = []
    for t in voting:
        raw.extend(map(t.__rsub__, idx.by_key.get(q_keys[t], ())))
    # A word the model inserted or dropped splits the votes between neighbouring starts, so
    # a vote also counts for starts up to _SLACK chunks away.
    support: Counter[int] = Counter()
    for d in range(-_SLACK, _SLACK + 1):
        support.update(map(d.__rsub__, raw))
    # With fewer than half the words in place the similarity cannot plausibly reach
    # min_score, and such starts are not worth a SequenceMatcher.
    need = max(1.0, len(voting) / 2)
    starts: list[int] = []
    likely = [o for o, v in support.items() if v >= need]
    for o in sorted(likely, key=support.__getitem__, reverse=True):
        if all(abs(o - p) > 2 * _SLACK for p in starts):  # same peak, spread by the slack
            starts.append(o)
            if len(starts) == _CANDIDATES:
                break

    # Word-level alignment (cheap: ~20 items) picks the chunk boundaries of each candidate.
    spans: set[tuple[int, int]] = set()
    n, nq = len(chunks), len(q_keys)
    for o in starts:
        lo, hi = max(o - 2 * _SLACK, 0), min(o + nq + 2 * _SLACK, n)
        words_sm = SequenceMatcher(None, keys[lo:hi], q_keys, autojunk=False)
        blocks = [b for b in words_sm.get_matching_blocks() if b.size]
        if blocks:  # quote words before the first / after the last match were changed
            first, last = blocks[0], blocks[-1]
            i = max(lo + first.a - first.b, 0)
            j = min(lo + last.a + nq - last.b, n)
            if i < j:
                spans.add((i, j))

    # Character-level similarity is the score; it also rewards a right inflection or typo.
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(quote)  # b2j is built once per lookup, on the short side
    best: tuple[float, bool, int, int, int] | None = None  # score, after hint, -distance, a, b
    for i, j in spans:
        a, b = chunks[i][0], chunks[j - 1][1]
        # Chunks carry attached punctuation («Нам, said.”,): drop what the quote lacks, up to
        # the quote's own first/last character.
        while a < b and not text[a].isalnum() and text[a] != quote[0]:
            a += 1
        while b > a and not text[b - 1].isalnum() and text[b - 1] != quote[-1]:
            b -= 1
        matcher.set_seq1(text[a:b])
        # The quick ratios are upper bounds of ratio(): skip the expensive call when they lose.
        if b <= a or matcher.real_quick_ratio() < min_score or matcher.quick_ratio() < min_score:
            continue
        score = matcher.ratio()
        if score >= min_score:
            start = idx.folded.starts[a]
            cand = (round(score, 9), start >= hint, -abs(start - hint), a, b)
            if best is None or cand[:3] > best[:3]:
                best = cand
    return None if best is None else (best[3], best[4], best[0])


def locate(
    source: str,
    quote: str,
    *,
    min_score: float = 0.85,
    verbatim: bool = False,
    hint: int = 0,
) -> Span:
    """Find ``quote`` in ``source``; prefer an occurrence at or after ``hint``.

    ``verbatim=True`` (direct quotes) allows only EXACT or NORMALISED matches. Surrounding
    whitespace in the quote is ignored, so an EXACT span equals ``quote.strip()``.
    """
    quote = quote.strip()
    if not quote or not source:
        return _NOT_FOUND
    hint = min(max(hint, 0), len(source))  # a negative start means "from the end" to find()

    pos = source.find(quote, hint)
    if pos < 0:
        pos = source.find(quote)
    if pos >= 0:
        return Span(pos, pos + len(quote), quote, Alignment.EXACT, 1.0)

    idx = _index(source)
    folded, q = idx.folded, _fold(quote).text
    if not q:  # only zero-width characters
        return _NOT_FOUND
    pos = folded.text.find(q, bisect_left(folded.starts, hint))
    if pos < 0:
        pos = folded.text.find(q)
    if pos >= 0:
        return _span(source, folded, pos, pos + len(q), Alignment.NORMALISED, 1.0)

    if verbatim:
        return _NOT_FOUND
    hit = _fuzzy(idx, q, min_score, hint)
    return _NOT_FOUND if hit is None else _span(source, folded, *hit[:2], Alignment.FUZZY, hit[2])
