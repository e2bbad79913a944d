"""Checks on what a model wrote: they say when the output is not good enough, never pretend.

Each check returns a ``Check`` with its verdict and the evidence, so a person (or ``--json``)
can see why. The summary checks here are cheap and model-free; they are what tells an editor
that the embedded 135M model's Kazakh is not Kazakh.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .articles import detect_language

__all__ = ["Check", "check_summary", "failed", "repetition"]

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str


def failed(checks: tuple[Check, ...] | list[Check]) -> list[Check]:
    return [c for c in checks if not c.passed]


def check_summary(text: str, *, lang: str, finish_reason: str, length: str = "short") -> tuple[Check, ...]:
    words = _WORD.findall(text)
    return (
        _length_check(text, words, length),
        Check("not_empty", bool(words), f"{len(words)} words"),
        Check(
            "complete",
            finish_reason != "length",
            "the model stopped at the token limit, so the text is cut off"
            if finish_reason == "length"
            else f"finish_reason={finish_reason}",
        ),
        _repetition_check(words),
        _language_check(text, lang),
    )


def repetition(words: list[str], n: int = 4) -> tuple[float, str]:
    """Share of word n-grams that are repeats, and the most repeated one.

    Small models fall into loops ("and the and the and the ..."); honest prose of a few
    sentences repeats almost no 4-gram.
    """
    lowered = [w.lower() for w in words]
    grams = [" ".join(lowered[i : i + n]) for i in range(len(lowered) - n + 1)]
    if not grams:
        return 0.0, ""
    counts = Counter(grams)
    top, top_count = counts.most_common(1)[0]
    repeats = sum(c - 1 for c in counts.values())
    return repeats / len(grams), (top if top_count > 1 else "")


def _repetition_check(words: list[str]) -> Check:
    share, top = repetition(words)
    if len(words) < 12:
        return Check("no_repetition", True, "too short to loop")
    passed = share < 0.2
    detail = f"{share:.0%} of 4-word sequences repeat" + (f" (most: '{top}')" if top else "")
    return Check("no_repetition", passed, detail)


_SENTENCE = re.compile(r"[.!?…]+(?:\s|$)")
_BULLET = re.compile(r"^\s*(?:[-*•–]|\d+[.)])\s+\S", re.MULTILINE)
# Generous limits: the check is for a model that ignored the brief, not for a word too many.
_LIMITS = {"headline": (1, 20), "short": (5, 120), "medium": (12, 250)}


def _length_check(text: str, words: list[str], length: str) -> Check:
    if length == "bullets":
        bullets = len(_BULLET.findall(text))
        return Check("length", 2 <= bullets <= 8, f"{bullets} bullet points (asked for 3 to 5)")
    max_sentences, max_words = _LIMITS.get(length, (12, 250))
    sentences = max(1, len(_SENTENCE.findall(text.strip())))
    lines = len([line for line in text.splitlines() if line.strip()])
    if length == "headline":
        ok = len(words) <= max_words and lines == 1 and sentences <= max_sentences
        detail = (
            f"{len(words)} words, {sentences} sentence(s), {lines} line(s) (asked for one line of at most 15 words)"
        )
        return Check("length", ok, detail)
    ok = sentences <= max_sentences and len(words) <= max_words
    return Check("length", ok, f"{len(words)} words in {sentences} sentence(s) for --length {length}")


def _language_check(text: str, lang: str) -> Check:
    found = detect_language(text) if text.strip() else "none"
    if found == lang:
        return Check("language", True, f"text is in {lang}")
    hint = " (Cyrillic without any Kazakh-only letter: this is Russian)" if lang == "kk" and found == "ru" else ""
    return Check("language", False, f"expected {lang}, text looks like {found}{hint}")
