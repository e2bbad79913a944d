"""Words: the one tokenizer, case folding and stemmer every other module uses.

Three patterns, each for a job: ``TOKEN`` (runs of word characters: n-gram repetition,
grounding, name matching), ``TERM`` (a word with its inner hyphens and apostrophes: glossary
forms such as ``Нұр-Сұлтан``, ``O'Brien``), ``LETTERS`` (the same without digits: what a
language check reads). Stemming is prefix matching, because Russian and Kazakh inflect by
adding endings (``Мусабеков`` / ``Мусабекова``, ``Қазақстан`` / ``Қазақстанның``): ``stem`` is
the language-blind prefix the facts task matches names with; ``matcher`` is the
language-aware one a glossary needs (how many letters an ending may replace and add, and the
Kazakh voicing of a final consonant before a vowel ending: ``Ақтөбе``... ``қ`` / ``ғ``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = [
    "LETTERS",
    "TERM",
    "TOKEN",
    "fold",
    "matcher",
    "named_in",
    "stem",
    "stems",
    "tokens",
    "word_set",
]

TOKEN = re.compile(r"\w+")
TERM = re.compile(r"\w+(?:[-'’]\w+)*")
LETTERS = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")

# Per inflecting language: (final letters the stem may drop, letters an ending may add).
_INFLECTING = {"ru": (2, 4), "uk": (2, 4), "be": (2, 4), "kk": (1, 10), "ky": (1, 10)}
_STRIPPABLE = set("аеёиоуыэюяәіөүұй" + "ь")
_VOICED = {"к": "кг", "қ": "қғ", "п": "пб"}
_ENGLISH_ENDINGS = ("", "s", "es", "'s", "’s")


def fold(word: str) -> str:
    # Russian print often writes ё as е (Могилев / Могилёв): the same word either way.
    return word.casefold().replace("ё", "е")


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def word_set(text: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in TOKEN.findall(text))


def stem(word: str) -> str:
    """Enough of the word to survive Russian/Kazakh case endings (Мусабеков / Мусабекова)."""
    return word if len(word) <= 4 else word[: max(4, len(word) - 3)]


def named_in(name: str, words: frozenset[str], *, surname: bool = False) -> bool:
    """Whether ``name`` is written in a text whose words are ``words`` (stems, for inflection).

    Half the name's words must be found; with ``surname`` its last word must be one of them.
    """
    parts = [t.casefold() for t in TOKEN.findall(name) if len(t) > 1]
    if not parts:
        return False
    found = [any(w.startswith(stem(t)) for w in words) for t in parts]
    if surname and not found[-1]:
        return False
    return sum(found) * 2 >= len(parts)


def stems(word: str, lang: str) -> tuple[str, ...]:
    """The stems an inflected form of ``word`` (folded) starts with, in language ``lang``."""
    drop = _INFLECTING.get(lang, (0, 0))[0]
    base = word
    for _ in range(drop):
        if len(base) > 4 and base[-1] in _STRIPPABLE:
            base = base[:-1]
    if drop and len(base) > 4 and base[-1] in _VOICED:
        return tuple(base[:-1] + letter for letter in _VOICED[base[-1]])
    return (base,)


def matcher(word: str, lang: str) -> Callable[[str], bool]:
    """A test for "is this folded word an inflected form of ``word``" in language ``lang``."""
    if lang not in _INFLECTING:
        endings = _ENGLISH_ENDINGS if lang == "en" else ("",)
        options = {word + ending for ending in endings}
        return lambda candidate: candidate in options
    extra = _INFLECTING[lang][1]
    prefixes = stems(word, lang)

    def match(candidate: str) -> bool:
        return any(candidate.startswith(p) and len(candidate) - len(p) <= extra for p in prefixes)

    return match
