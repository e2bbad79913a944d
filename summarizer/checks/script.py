"""Checks on the letters and words of a Cyrillic answer: what small models get wrong that no
hand-written fault showed.

=================  ===========================================================================
mixed_script       a word with both Latin and Cyrillic letters (``Акorda``, ``культурно-хumanitarianных``)
latin_words        a Latin-script word left in a Russian or Kazakh text (``Lukashenko``,
                   ``prospects``): the press writes foreign names in Cyrillic. Acronyms
                   (``BelTA``, ``NATO``), glossary forms and the house list of names kept in
                   Latin (``data/latin_ok.txt``: media and brands) are allowed
kazakh_words       "Kazakh" whose lower-case words the Kazakh word list does not know: Russian,
                   Kyrgyz-like forms (``жоопында``, ``жашып``), invented words
repeated_phrase    a phrase of four or more words said three times or more anywhere in the text,
                   not only back to back (the loop ``no_repetition`` catches)
=================  ===========================================================================

Each failing check names its words and gives their spans in the judged text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from ..text.kkwords import kazakh_share
from ..text.words import LETTERS, TOKEN
from .verdict import Check, Finding

__all__ = [
    "kazakh_words_check",
    "latin_words_check",
    "mixed_script_check",
    "repeated_phrase_check",
    "where_words",
    "without_kazakh_names",
]

_LATIN_LETTER = re.compile(r"[A-Za-z]")
_OTHER_SCRIPT = re.compile(r"[\u0370-\u03ff]")  # Greek: a small model's λ inside a Cyrillic word
_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_ACRONYM = re.compile(r"^(?:[A-Z]{2,}s?|[A-Z][a-z]*[A-Z]\w*)$")  # NATO, BelTA, McDonald's is a name: see house list
_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+")
_DATE_MARK = re.compile(r"^\s*date\s+\d{4}-\d{2}-\d{2}", re.MULTILINE)  # Kazinform's export header


@lru_cache(maxsize=1)
def house_latin() -> frozenset[str]:
    """Names the Russian and Kazakh press keep in Latin letters (media, brands), folded."""
    text = resources.files("summarizer").joinpath("data/latin_ok.txt").read_text(encoding="utf-8")
    names = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return frozenset(n.casefold() for n in names if n)


def _word_findings(kind: str, why: str, words: list[re.Match[str]]) -> list[Finding]:
    """One error finding per word: where it is, and the word."""
    return [Finding(kind, "error", f"{m.group()}: {why}", span=(m.start(), m.end()), found=m.group()) for m in words]


def where_words(text: str, words: Iterable[str]) -> list[re.Match[str]]:
    """The words of ``text`` whose lower-case form is one of ``words``: where a check's words are."""
    wanted = {w.lower().replace("’", "'") for w in words}
    return [m for m in LETTERS.finditer(text) if m.group().lower().replace("’", "'") in wanted]


def _listed(words: list[re.Match[str]], limit: int = 10) -> str:
    unique = list(dict.fromkeys(m.group() for m in words))
    return ", ".join(unique[:limit]) + (f" and {len(unique) - limit} more" if len(unique) > limit else "")


_KAZAKH_LETTER = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_GUILLEMETS = re.compile(r"«[^«»\n]{1,80}»")


def without_kazakh_names(text: str) -> str:
    """``text`` with the Kazakh-script names blanked: Kazakhstani Russian keeps Kazakh names in
    Kazakh letters (АО «Қазақстан темір жолы», «Самұрық-Қазына», Тоқаев), which is no sign of
    the wrong language. A name is a capitalised word, or a phrase in «»."""

    def blank(m: re.Match[str]) -> str:
        return " " * len(m.group()) if _KAZAKH_LETTER.search(m.group()) else m.group()

    text = _GUILLEMETS.sub(blank, text)
    return _WORD.sub(lambda m: blank(m) if m.group()[0].isupper() else m.group(), text)


def mixed_script_check(text: str) -> Check:
    # Per hyphen part: Kazakh inflects a Latin name after a hyphen (Daily-дің, Twitter-дегі).
    mixed = [
        m
        for m in _WORD.finditer(text)
        if any(
            (_LATIN_LETTER.search(part) or _OTHER_SCRIPT.search(part)) and _CYRILLIC_LETTER.search(part)
            for part in re.split(r"[-'’]", m.group())
        )
    ]
    return Check.of(
        "mixed_script",
        _word_findings("mixed_script_word", "mixes Latin and Cyrillic letters", mixed),
        ok="no word mixes Latin and Cyrillic letters",
        detail=f"{len(mixed)} words mix Latin and Cyrillic letters: {_listed(mixed)}",
    )


def latin_words_check(text: str, *, allowed: frozenset[str] = frozenset(), source: str = "") -> Check:
    """Latin-script words in a Cyrillic text, except acronyms, ``allowed`` (glossary forms,
    folded) and the house list. A word inside a multi-word house name (China Daily) is allowed,
    and so is a multi-word name copied from ``source`` that names no person or country there
    (``_kept_brand``: Air Niugini, Le Golf National, Des Moines Register)."""
    clean = _DATE_MARK.sub(lambda m: " " * len(m.group()), _URL.sub(lambda m: " " * len(m.group()), text))
    keep = house_latin() | allowed
    covered: set[int] = set()
    folded = clean.casefold()
    for name in keep:
        for hit in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", folded):
            covered.update(range(hit.start(), hit.end()))
    latin = [
        m
        for m in _WORD.finditer(clean)
        if _LATIN_LETTER.search(m.group())
        and not _CYRILLIC_LETTER.search(m.group())  # mixed words are mixed_script's
        and not _ACRONYM.match(m.group())
        and m.start() not in covered
    ]
    latin = _outside_runs(clean, latin)
    latin = [m for run in _runs(clean, latin) if not _kept_brand(run, source) for m in run]
    return Check.of(
        "latin_words",
        _word_findings("latin_word", "left in Latin letters", latin),
        ok="no word left in Latin letters (acronyms and house names aside)",
        detail=f"{len(latin)} words left in Latin letters: {_listed(latin)}",
    )


def _runs(text: str, words: list[re.Match[str]]) -> list[list[re.Match[str]]]:
    """Words that follow one another (only spaces, hyphens or an apostrophe between) as runs."""
    runs: list[list[re.Match[str]]] = []
    for m in words:
        if runs and not text[runs[-1][-1].end() : m.start()].strip(" -'’"):
            runs[-1].append(m)
        else:
            runs.append([m])
    return runs


_ARTICLE_BEFORE = re.compile(r"(?:^|\W)(?:[Aa]n?|[Tt]he)\s+$")
# What tells a person's name in English news: a title before it. (Not "said" after it:
# companies and newspapers say things too.)
_PERSON_BEFORE = re.compile(
    r"(?:President|Minister|Ambassador|Chairman|Governor|Mayor|Spokesman|Spokeswoman|Senator|Secretary|Mr|Mrs|Ms|"
    r"Dr|Det|Prime Minister|leader|spokesman|spokeswoman|minister|president|ambassador|chairman|governor|mayor|"
    r"lawmaker|chief|head)\.?\s+$"
)


def _kept_brand(run: list[re.Match[str]], source: str) -> bool:
    """A Latin name the press keeps as its owner writes it: copied verbatim from the source (two
    words or more, or one word the source puts after an article), where no title stands before
    it (a person: President, Ambassador ...), and no word of it is a country or region (the
    press writes those in Cyrillic)."""
    from ..text.romanise import EXONYMS

    words = [re.sub(r"['’]s$", "", m.group()) for m in run]
    if not all(w[0].isupper() or len(w) <= 3 for w in words) or any(w.casefold() in EXONYMS for w in words):
        return False
    hits = list(re.finditer(rf"(?<!\w){re.escape(' '.join(words))}(?:['’]s)?(?!\w)", source))
    if not hits or any(_PERSON_BEFORE.search(source[max(0, h.start() - 30) : h.start()]) for h in hits):
        return False
    # One word is a brand only where the source uses it as one, after an article ("a Brink's
    # worker", "the Guardian"): a person or a country is never "a Lukashenko".
    return len(run) >= 2 or all(_ARTICLE_BEFORE.search(source[max(0, h.start() - 5) : h.start()]) for h in hits)


def _outside_runs(text: str, latin: list[re.Match[str]]) -> list[re.Match[str]]:
    """Drop the words of a run of three or more lower-case Latin words: a sentence left
    untranslated is the ``untranslated`` check's fault, reported once, there."""
    runs: list[list[re.Match[str]]] = []
    for m in latin:
        if runs and not text[runs[-1][-1].end() : m.start()].strip(" ,;:'\"()-"):
            runs[-1].append(m)
        else:
            runs.append([m])
    return [m for run in runs if sum(w.group()[0].islower() for w in run) < 3 for m in run]


def kazakh_words_check(text: str) -> Check:
    judged, unknown = kazakh_share(text)
    if judged < 8:
        return Check("kazakh_words", True, f"too few lower-case words to judge ({judged})")
    share = 1 - len(unknown) / judged
    # Human Kazakh news: 88-100 % known (NTREX: 88.7 % of running words); Russian 21-43 %, Kyrgyz 30 %.
    passed = share >= 0.7
    detail = f"{share:.0%} of {judged} lower-case words are Kazakh words or stems"
    if passed:
        return Check("kazakh_words", True, detail)
    hits = where_words(text, unknown)
    detail += " (Kazakh news has 85 % or more): not Kazakh: " + _listed(hits)
    # The verdict is the share's: given, not derived from the findings (a word may not be found again).
    return Check("kazakh_words", False, detail, findings=tuple(_word_findings("not_kazakh_word", "not Kazakh", hits)))


def _repeats(text: str, size: int) -> tuple[list[re.Match[str]], tuple[str, ...], list[int]]:
    """The words of ``text``, its most repeated phrase of ``size`` words, and where each repeat starts."""
    words = list(TOKEN.finditer(text))
    where: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i in range(len(words) - size + 1):
        gram = tuple(w.group().casefold() for w in words[i : i + size])
        if any(len(g) > 2 for g in gram) and (not where[gram] or where[gram][-1] + size <= i):
            where[gram].append(i)
    gram, starts = max(where.items(), key=lambda item: len(item[1]), default=((), []))
    return words, gram, starts


def repeated_phrase_check(text: str, *, source: str = "", size: int = 4, copies: int = 3) -> Check:
    """A phrase of ``size`` words said ``copies`` times or more, apart or together, and more
    often than the source repeats any phrase of its own.

    Honest news repeats a name, rarely four words in a row three times; a small model restates
    its sentence ("The article is about ... The article is about ..."). A statistics item that
    says "compared with January" three times is translated with three of them.
    """
    words, gram, starts = _repeats(text, size)
    if len(starts) < copies:  # the usual case: no need to read the whole source for its repeats
        return Check("repeated_phrase", True, f"no phrase of {size} words comes {copies} times or more")
    # A source that repeats a phrase lets its translation repeat one once more (a phrase the source
    # varies, "ў/у параўнанні", the translation may say the same way three times).
    in_source = len(_repeats(source, size)[2]) if source else 0
    allowed = max(copies - 1, in_source + 1 if in_source >= 2 else 0)
    if len(starts) <= allowed:
        return Check("repeated_phrase", True, f"no phrase of {size} words comes more than {allowed} times")
    phrase = " ".join(gram)
    message = f"'{phrase}' comes {len(starts)} times"
    found = tuple(
        Finding("repeated_phrase", "error", message, span=(words[i].start(), words[i + size - 1].end()), found=phrase)
        for i in starts
    )
    return Check("repeated_phrase", False, message, findings=found)
