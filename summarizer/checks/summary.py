"""Checks on what a model wrote: they say when the output is not good enough, never pretend.

Each check returns a ``Check`` with its verdict and the evidence, so a person (or ``--json``)
can see why. The checks are cheap and model-free; they are what tells an editor that the
embedded 135M model's Kazakh is not Kazakh. Summaries are checked here; translations, which
are compared with their source, in ``translation.py``, which reuses the language checks below.
"""

from __future__ import annotations

import re
from collections import Counter

from ..text.articles import detect_language
from ..text.langid import (
    KAZAKH_ONLY,
    NOT_RUSSIAN,
    guess_language,
    identify_language,
    letter_share,
    longest_russian_run,
    russian_in_kazakh,
    unknown_russian_words,
)
from ..text.words import TOKEN
from .script import without_kazakh_names
from .verdict import Check, failed

__all__ = ["Check", "check_summary", "failed", "language_checks", "loop", "repetition", "repetition_check"]


def check_summary(
    text: str,
    *,
    lang: str,
    finish_reason: str,
    length: str = "short",
    source: str | None = None,
    source_lang: str | None = None,
) -> tuple[Check, ...]:
    """Every check of a summary; with its ``source``, also whether the summary is faithful to it
    (``checks.faithfulness``) and free of the prompt's scaffolding."""
    words = TOKEN.findall(text)
    extra: tuple[Check, ...] = ()
    if source is not None:
        from .faithfulness import check_faithfulness  # names and numbers: loaded when a source is given
        from .scaffold import scaffolding_check
        from .script import repeated_phrase_check

        faithful = check_faithfulness(text, source, lang=lang, source_lang=source_lang or lang)
        extra = (scaffolding_check(text, source), repeated_phrase_check(text, source=source), *faithful)
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
        repetition_check(words),
        *language_checks(text, lang),
    ) + extra


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


def loop(words: list[str], *, longest: int = 12, copies: int = 3) -> tuple[str, int]:
    """The longest-running back-to-back repeat: a unit of 1..``longest`` words said ``copies`` or more times.

    This is the loop a small model falls into ("болып жатыр болып жатыр болып жатыр"); the
    4-gram share misses it in a long text, where a loop of twenty is a few per cent of the
    whole. Honest prose never says the same word or phrase three times in a row.
    """
    lowered = [w.lower() for w in words]
    best, best_count = "", 0
    for size in range(1, longest + 1):
        run = 0
        for i in range(len(lowered) - size):
            run = run + 1 if lowered[i] == lowered[i + size] else 0
            if run >= size * (copies - 1) and run // size + 1 > best_count:
                best_count = run // size + 1
                best = " ".join(lowered[i - run + 1 : i - run + 1 + size])
    return (best, best_count) if best_count >= copies else ("", 0)


def repetition_check(words: list[str], *, limit: float = 0.2) -> Check:
    if len(words) < 12:
        return Check("no_repetition", True, "too short to loop")
    share, top = repetition(words)
    unit, count = loop(words)
    detail = f"{share:.0%} of 4-word sequences repeat" + (f" (most: '{top}')" if top else "")
    if count:
        detail += f"; '{unit}' {count} times in a row"
    return Check("no_repetition", share < limit and not count, detail)


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


def language_checks(text: str, lang: str) -> tuple[Check, ...]:
    """Is ``text`` in ``lang``, and are its words real? (``language`` and, for ru/kk, ``vocabulary``)."""
    if lang not in ("ru", "kk") or not text.strip():
        return (_script_check(text, lang),)
    return (_language_check(text, lang), _vocabulary_check(text, lang))


def _script_check(text: str, lang: str) -> Check:
    found = detect_language(text) if text.strip() else "none"
    if found != lang:
        return Check("language", False, f"expected {lang}, text looks like {found}")
    if lang == "en":
        # The script rule calls any Latin text English; a German or Turkish answer is not.
        other = identify_language(text)
        if not other.uncertain and other.code != "en":
            return Check("language", False, f"expected en, text reads as {other.code} ({other.confidence:.2f})")
    return Check("language", True, f"text is in {lang}")


def _language_check(text: str, lang: str) -> Check:
    if lang == "ru":  # АО «Қазақстан темір жолы» in Russian is a name, not Kazakh
        text = without_kazakh_names(text)
    guess = guess_language(text)
    problems = []
    if guess.lang != lang:
        hint = " (Cyrillic without any Kazakh-only letter: this is Russian)" if guess.lang == "ru" else ""
        problems.append(f"it reads as {guess.lang}, not {lang}{hint}")
    if lang == "kk":
        share = letter_share(text, KAZAKH_ONLY)
        if share < 0.2 and guess.lang == lang:  # Kyrgyz and Russian-with-a-few-letters read as Kazakh
            problems.append(f"only {share:.0%} of its words have a Kazakh letter (ә ғ қ ұ һ і; Kazakh has 50-80%)")
        run = longest_russian_run(text)
        if len(run) >= 6:
            problems.append(f"{len(run)} Russian words in a row: '{' '.join(run[:10])}'")
    else:
        share = letter_share(text, NOT_RUSSIAN)
        if share > 0.03 and guess.lang == lang:
            problems.append(f"{share:.0%} of its words have letters Russian does not use (Kazakh, Ukrainian)")
    if problems:
        return Check("language", False, "; ".join(problems))
    return Check("language", True, f"text is in {lang} (lingua {guess.confidence:.2f})")


def _vocabulary_check(text: str, lang: str) -> Check:
    if lang == "ru":
        judged, unknown = unknown_russian_words(without_kazakh_names(text))
        share = len(unknown) / judged if judged else 0.0
        # Good Russian: 0-3 % unknown (rare compounds); invented-word garbage: 28 % and more.
        passed = judged < 10 or share <= 0.1
        detail = f"{len(unknown)} of {judged} lower-case words are not in the Russian dictionary ({share:.0%})"
    else:
        russian = russian_in_kazakh(text)
        judged = len(TOKEN.findall(text))
        share = len(russian) / judged if judged else 0.0
        passed = len(russian) < 3 or share < 0.02
        detail = f"{len(russian)} of {judged} words are Russian forms ({share:.0%})"
        unknown = russian
    if unknown:
        detail += ": " + ", ".join(dict.fromkeys(unknown[:8]))
    return Check("vocabulary", passed, detail)
