"""Which language a text is in, and whether its words are real: evidence for the quality checks.

No single signal is enough (measured on ``tests/data/translations``):

* ``lingua`` (its n-gram models ship in the wheel; no download) tells Russian from Kazakh and
  Ukrainian reliably on a paragraph, but calls Kyrgyz "Kazakh" and labels fluent-looking Kazakh
  garbage as Kazakh with full confidence. It is restricted to the languages a model drifts into
  here, which also keeps it fast.
* Letters: ``ә ғ қ ұ һ і`` occur in Kazakh and in none of Russian and Kyrgyz, so real Kazakh
  has them in a third or more of its words (0.55-0.80 in the corpus); Russian has none of
  ``ә ғ қ ң ө ұ ү һ``. Ukrainian also has ``і``: lingua catches that one.
* Words: ``pymorphy3``'s Russian dictionary (OpenCorpora, shipped in its wheel) knows all but
  0-3 % of the lower-case words of a good Russian translation (names are capitalised), and
  28-72 % of the invented ones in the garbage cases ("грузовищ", "возросталась"). No such
  dictionary is at hand for Kazakh; what Kazakh gets instead is a look for Russian in it:
  Russian-only function words and endings, and runs of dictionary Russian words (a good Kazakh
  text has runs of at most 3, a sentence left in Russian has dozens).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .words import LETTERS

__all__ = [
    "Guess",
    "guess_language",
    "letter_share",
    "longest_russian_run",
    "russian_in_kazakh",
    "unknown_russian_words",
]

KAZAKH_ONLY = frozenset("әғқұһі")  # not in Russian or Kyrgyz (і is also Ukrainian: lingua tells those apart)
NOT_RUSSIAN = frozenset("әғқңөұүһіїєґў")  # Kazakh, Kyrgyz, Ukrainian and Belarusian letters
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_CODES = {
    "ENGLISH": "en",
    "RUSSIAN": "ru",
    "KAZAKH": "kk",
    "UKRAINIAN": "uk",
    "BELARUSIAN": "be",
    "BULGARIAN": "bg",
    "SERBIAN": "sr",
    "MACEDONIAN": "mk",
    "MONGOLIAN": "mn",
    "TURKISH": "tr",
    "AZERBAIJANI": "az",
}
# Words and endings that are Russian and never Kazakh (Kazakh has no -ть infinitive, no -ого).
_RUSSIAN_FUNCTION_WORDS = frozenset(
    "в во и на с со по для что не из к ко от это как или при о об также который которая которые "
    "которого был была были будет его её ее их она они мы вы но же бы уже только между после".split()
)
_RUSSIAN_ENDING = re.compile(r"(?:ть|ться|тся|ого|ему|ому|ыми|ими|ых|ый|ая|ое|ую)$")


@dataclass(frozen=True)
class Guess:
    lang: str  # ISO 639-1 code, or "unknown"
    confidence: float


@lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(*(getattr(Language, name) for name in _CODES)).build()


@lru_cache(maxsize=1)
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def guess_language(text: str) -> Guess:
    if not LETTERS.search(text):
        return Guess("unknown", 0.0)
    values = _detector().compute_language_confidence_values(text)
    if not values:
        return Guess("unknown", 0.0)
    best = values[0]
    return Guess(_CODES.get(best.language.name, best.language.name.lower()), float(best.value))


def _cyrillic_words(text: str) -> list[str]:
    return [w for w in LETTERS.findall(text) if _CYRILLIC.search(w)]


def letter_share(text: str, letters: frozenset[str]) -> float:
    """Share of the Cyrillic words that contain at least one of ``letters``."""
    words = _cyrillic_words(text)
    if not words:
        return 0.0
    return sum(1 for w in words if letters & set(w.lower())) / len(words)


def _known(word: str) -> bool:
    morph = _morph()
    return bool(morph.word_is_known(word)) or ("-" in word and all(morph.word_is_known(p) for p in word.split("-")))


def unknown_russian_words(text: str) -> tuple[int, list[str]]:
    """(lower-case Cyrillic words judged, those the Russian dictionary does not know).

    Capitalised words are left out: they are names, which no dictionary holds.
    """
    words = [w.lower().replace("’", "'") for w in _cyrillic_words(text) if w[0].islower()]
    return len(words), [w for w in words if not _known(w.replace("ё", "е"))]


def russian_in_kazakh(text: str) -> list[str]:
    """Lower-case words of a Kazakh text that are Russian by a function word or an ending."""
    found = []
    for word in _cyrillic_words(text):
        lower = word.lower()
        if not word[0].islower() or NOT_RUSSIAN & set(lower):
            continue
        if lower in _RUSSIAN_FUNCTION_WORDS or (len(lower) > 4 and _RUSSIAN_ENDING.search(lower) and _known(lower)):
            found.append(word)
    return found


def longest_russian_run(text: str) -> list[str]:
    """The longest run of consecutive lower-case dictionary Russian words (a sentence left in Russian)."""
    best: list[str] = []
    run: list[str] = []
    for word in LETTERS.findall(text):
        lower = word.lower()
        if word[0].islower() and _CYRILLIC.search(word) and not NOT_RUSSIAN & set(lower) and _known(lower):
            run.append(word)
            if len(run) > len(best):
                best = list(run)
        else:
            run = []
    return best
