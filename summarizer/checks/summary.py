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
    russian_in_kazakh,
    russian_run,
    unknown_russian_words,
)
from ..text.words import TOKEN
from .script import where_words, without_kazakh_names
from .verdict import Check, Finding, Severity, failed

__all__ = [
    "Check",
    "check_summary",
    "complete_check",
    "failed",
    "language_checks",
    "loop",
    "looping",
    "repetition",
    "repetition_check",
]


def check_summary(
    text: str,
    *,
    lang: str,
    finish_reason: str | None,
    length: str = "short",
    source: str | None = None,
    source_lang: str | None = None,
) -> tuple[Check, ...]:
    """Every check of a summary; with its ``source``, also whether the summary is faithful to it
    (``checks.faithfulness``) and free of the prompt's scaffolding."""
    matches = list(TOKEN.finditer(text))
    words = [m.group() for m in matches]
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
        complete_check(finish_reason, text, source=source if length != "headline" else None, severity="warning"),
        repetition_check(matches),
        *language_checks(text, lang),
    ) + extra


# The finish_reason of an answer cut as it began to loop (``llm.chat.STOPPED``; ``looping`` below
# is the rule that cuts it): the model did not finish, so the text is incomplete.
CUT_AT_LOOP = "repetition"


def complete_check(
    finish_reason: str | None, text: str = "", *, source: str | None = None, severity: Severity = "error"
) -> Check:
    """``complete``: the model stopped by itself, not at its token limit nor cut at a loop, and the text does not
    stop mid-word where its source ends a sentence. The second half needs no model, so an edited
    text (which has no ``finish_reason``) is judged on it too, on every path alike. A summary may
    end without a full stop and be whole: there the open end is a ``warning``."""
    if finish_reason in ("length", CUT_AT_LOOP):
        why = "stopped at the token limit" if finish_reason == "length" else "began to loop and was stopped"
        cut = Finding("cut_off", "error", f"the model {why}, so the text is cut off", expected="stop",
                      found=finish_reason)  # fmt: skip
        return Check.of("complete", [cut], ok="")
    findings = []
    last = _OPEN_END.search(text.rstrip())
    if last is not None and source is not None and _OPEN_END.search(source.rstrip()) is None:
        findings.append(Finding("cut_off", severity, f"the text stops mid-sentence at {last.group()!r}; the source "
                                "ends its sentence", span=last.span(), expected="a closed sentence",
                                found=last.group()))  # fmt: skip
    if finish_reason:
        ok = f"finish_reason={finish_reason}"
    elif last is None:
        ok = "the text ends its last sentence"
    elif source is not None and not findings:  # a label must be true: nothing to hold the open end against
        ok = "no model ran, and its source ends without a full stop too"
    else:
        ok = "no model ran"
    return Check.of("complete", findings, ok=ok)


# The last word when a text ends on it, no full stop, quote or bracket after: a text cut off.
_OPEN_END = re.compile(r"\w+$")


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
    unit, count, _ = _loop(words, longest=longest, copies=copies)
    return unit, count


def _loop(words: list[str], *, longest: int = 12, copies: int = 3) -> tuple[str, int, int]:
    """``loop``, and the index of the word the loop starts at."""
    lowered = [w.lower() for w in words]
    best, best_count, best_start = "", 0, 0
    for size in range(1, longest + 1):
        run = 0
        for i in range(len(lowered) - size):
            run = run + 1 if lowered[i] == lowered[i + size] else 0
            if run >= size * (copies - 1) and run // size + 1 > best_count:
                best_count, best_start = run // size + 1, i - run + 1
                best = " ".join(lowered[best_start : best_start + size])
    return (best, best_count, best_start) if best_count >= copies else ("", 0, 0)


def looping(text: str, *, words: re.Pattern[str] = TOKEN, limit: float = 0.2) -> bool:
    """Does ``text``, an answer still being generated, already hold a loop ``no_repetition`` fails?

    The stream's watch (``llm.chat.ChatRequest.watch``), asked every few words of an answer. It
    applies that check's two rules (``repetition_check``, with its ``words`` and ``limit``) to the
    whole words so far (the last may still grow): a unit of up to 12 words said three times in a
    row, or, past 48 words, a share of repeated 4-word sequences twice the check's limit (so the
    rest of a loop cannot bring the whole under it). A small model that falls into either goes on
    to its token limit; cut here, the answer fails the same checks, only sooner.
    """
    found = [m.group() for m in words.finditer(text)]
    if found and text[-1:].isalnum():
        found.pop()  # the word the model is still writing
    if len(found) < 12:
        return False
    if _loop(found[-48:])[1]:
        return True
    return len(found) >= 48 and repetition(found)[0] >= 2 * limit


def repetition_check(words: list[re.Match[str]], *, limit: float = 0.2) -> Check:
    """``no_repetition`` over the words of a text (their matches, so that a loop can be pointed at)."""
    if len(words) < 12:
        return Check("no_repetition", True, "too short to loop")
    plain = [w.group() for w in words]
    share, top = repetition(plain)
    unit, count, start = _loop(plain)
    detail = f"{share:.0%} of 4-word sequences repeat" + (f" (most: '{top}')" if top else "")
    if count:
        detail += f"; '{unit}' {count} times in a row"
    findings = []
    if share >= limit:
        message = f"{share:.0%} of 4-word sequences repeat"
        findings += [Finding("repeated_ngram", "error", message, span=span, found=top) for span in _grams(words, top)]
        findings += [] if top else [Finding("repeated_ngram", "error", message)]
    if count:
        end = words[start + count * len(unit.split()) - 1].end()
        findings.append(Finding("loop", "error", f"'{unit}' {count} times in a row", span=(words[start].start(), end),
                                found=unit))  # fmt: skip
    return Check.of("no_repetition", findings, ok=detail, detail=detail)


def _grams(words: list[re.Match[str]], gram: str, n: int = 4) -> list[tuple[int, int]]:
    """Where the ``n``-word sequence ``gram`` (lower case) is among ``words``."""
    lowered = [w.group().lower() for w in words]
    return [
        (words[i].start(), words[i + n - 1].end())
        for i in range(len(words) - n + 1)
        if gram and " ".join(lowered[i : i + n]) == gram
    ]


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
    wrong: list[Finding] = []
    if found != lang:
        wrong = [Finding("wrong_language", "error", f"expected {lang}, text looks like {found}", expected=lang,
                         found=found)]  # fmt: skip
    elif lang == "en":
        # The script rule calls any Latin text English; a German or Turkish answer is not.
        other = identify_language(text)
        if not other.uncertain and other.code != "en":
            message = f"expected en, text reads as {other.code} ({other.confidence:.2f})"
            wrong = [Finding("wrong_language", "error", message, expected="en", found=other.code)]
    return Check.of("language", wrong, ok=f"text is in {lang}")


def _language_check(text: str, lang: str) -> Check:
    if lang == "ru":  # АО «Қазақстан темір жолы» in Russian is a name, not Kazakh
        text = without_kazakh_names(text)
    guess = guess_language(text)
    problems = []
    if guess.lang != lang:
        hint = " (Cyrillic without any Kazakh-only letter: this is Russian)" if guess.lang == "ru" else ""
        message = f"it reads as {guess.lang}, not {lang}{hint}"
        problems.append(Finding("wrong_language", "error", message, expected=lang, found=guess.lang))
    if lang == "kk":
        share = letter_share(text, KAZAKH_ONLY)
        if share < 0.2 and guess.lang == lang:  # Kyrgyz and Russian-with-a-few-letters read as Kazakh
            message = f"only {share:.0%} of its words have a Kazakh letter (ә ғ қ ұ һ і; Kazakh has 50-80%)"
            problems.append(Finding("few_kazakh_letters", "error", message, expected="50-80%", found=f"{share:.0%}"))
        run = russian_run(text)
        if len(run) >= 6:
            words = [m.group() for m in run]
            message = f"{len(run)} Russian words in a row: '{' '.join(words[:10])}'"
            problems.append(Finding("russian_run", "error", message, span=(run[0].start(), run[-1].end()),
                                    found=" ".join(words)))  # fmt: skip
    else:
        share = letter_share(text, NOT_RUSSIAN)
        if share > 0.03 and guess.lang == lang:
            message = f"{share:.0%} of its words have letters Russian does not use (Kazakh, Ukrainian)"
            problems.append(Finding("foreign_letters", "error", message, found=f"{share:.0%}"))
    return Check.of("language", problems, ok=f"text is in {lang} (lingua {guess.confidence:.2f})",
                    detail="; ".join(f.message for f in problems))  # fmt: skip


def _vocabulary_check(text: str, lang: str) -> Check:
    if lang == "ru":
        judged, unknown = unknown_russian_words(without_kazakh_names(text))
        share = len(unknown) / judged if judged else 0.0
        # Good Russian: 0-3 % unknown (rare compounds); invented-word garbage: 28 % and more.
        passed = judged < 10 or share <= 0.1
        detail = f"{len(unknown)} of {judged} lower-case words are not in the Russian dictionary ({share:.0%})"
        kind, why = "unknown_word", "not in the Russian dictionary"
    else:
        russian = russian_in_kazakh(text)
        judged = len(TOKEN.findall(text))
        share = len(russian) / judged if judged else 0.0
        passed = len(russian) < 3 or share < 0.02
        detail = f"{len(russian)} of {judged} words are Russian forms ({share:.0%})"
        unknown = russian
        kind, why = "russian_form", "a Russian form"
    if unknown:
        detail += ": " + ", ".join(dict.fromkeys(unknown[:8]))
    # Where the words are (a passing check names a few, for the record, and marks nothing); the
    # verdict is the share's, so it is given, not derived from the findings.
    hits = [] if passed else [m for m in where_words(text, unknown) if m.group()[0].islower()]
    findings = tuple(Finding(kind, "error", f"{m.group()}: {why}", span=(m.start(), m.end()), found=m.group())
                     for m in hits)  # fmt: skip
    return Check("vocabulary", passed, detail, findings=findings)
