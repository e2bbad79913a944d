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
    "Identified",
    "guess_language",
    "identify_language",
    "letter_share",
    "longest_russian_run",
    "russian_in_kazakh",
    "russian_nominative",
    "russian_run",
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


# Source languages an article may arrive in. lingua has no model for Kyrgyz, Uzbek, Tajik or
# Turkmen: those are told by their letters (see _by_letters).
_SOURCE_CODES = {
    **_CODES,
    "GERMAN": "de",
    "FRENCH": "fr",
    "SPANISH": "es",
    "ITALIAN": "it",
    "PORTUGUESE": "pt",
    "POLISH": "pl",
    "CHINESE": "zh",
    "JAPANESE": "ja",
    "KOREAN": "ko",
    "ARABIC": "ar",
    "PERSIAN": "fa",
}
UNDETERMINED = "und"  # ISO 639-2's code for "cannot tell"
_MIN_LETTERS = 20  # fewer letters than a short sentence: any answer would be a coin toss
_MIN_CONFIDENCE = 0.6  # lingua's share for the best language; below it two languages are close
_TAJIK = frozenset("ӣӯҳҷ")
_UZBEK_CYRILLIC = frozenset("ўқғҳ")
_KYRGYZ = frozenset("өүң")
# oʻ and gʻ inside words (Oʻzbekiston, Qozogʻiston); not the English possessive (Hong Kong's).
_UZBEK_LATIN = re.compile(r"[og][ʻ‘’'`](?!s\b)[a-z]", re.IGNORECASE)
_ENGLISH_WORDS = frozenset("the of and to in a is that for on with as by was at from said has have".split())


@dataclass(frozen=True)
class Identified:
    """The language of a source text: ``code`` is ``und`` when ``uncertain``, ``best`` is the guess anyway."""

    code: str
    confidence: float
    uncertain: bool
    best: str
    evidence: str  # how it was decided: "letters", "lingua", "script"


def identify_language(text: str) -> Identified:
    """Which language an article is in, saying so when it cannot tell.

    Letters decide first where they are conclusive (Kazakh-only letters, Tajik and Uzbek
    letters, Kyrgyz ө ү ң without Kazakh-only ones, plain Russian with ы/э and nothing else);
    English by its function words; everything else goes to lingua, restricted to the languages
    a newsroom here receives, whose answer letters may still correct (it calls Kyrgyz Kazakh).
    """
    sample = text[:4000]
    letters = sum(map(str.isalpha, sample))
    if letters < _MIN_LETTERS:
        best = _lingua(sample)[0] if letters else UNDETERMINED
        return Identified(UNDETERMINED, 0.0, True, best, "too short")
    words = LETTERS.findall(sample)  # once: a wire item's words, read by every test below
    cyrillic_words = _cyrillic_words(sample, words)
    cyrillic = len(cyrillic_words) / max(1, len(words))
    if 0.3 <= cyrillic <= 0.7 and len(words) >= 4:
        # Half Cyrillic, half Latin: a quote in another language, or two texts pasted together.
        best, confidence = _lingua(sample)
        return Identified(UNDETERMINED, min(confidence, 0.5), True, best, "mixed scripts")
    known = _by_letters(sample, words, cyrillic_words)
    if known:
        return Identified(known, 0.99, False, known, "letters")
    best, confidence = _lingua(sample)
    corrected = _correct(best, sample)
    if corrected != best:
        return Identified(corrected, confidence, False, corrected, "lingua and letters")
    uncertain = confidence < _MIN_CONFIDENCE
    return Identified(UNDETERMINED if uncertain else best, confidence, uncertain, best, "lingua")


def _by_letters(text: str, all_words: list[str], words: list[str]) -> str | None:
    """``all_words``: the letter words of ``text``; ``words``: those of them in Cyrillic."""
    lower = text.lower()
    present = set(lower)
    if len(words) >= 0.5 * len(all_words):
        if present & _TAJIK and not present & frozenset("әұі"):
            return "tg" if "ҷ" in present or "ӣ" in present or "ӯ" in present else None
        if "ў" in present and present & frozenset("қғҳ"):
            return "uz"
        if _share(words, KAZAKH_ONLY) >= 0.15 and not present & frozenset("ўїєґ"):
            return "kk"
        if not present & (NOT_RUSSIAN | _TAJIK) and present & frozenset("ыэ") and not present & frozenset("ђјљњћџѓќѕ"):
            return "ru"
        return None
    if len(_UZBEK_LATIN.findall(text)) >= 3:
        return "uz"
    if "ň" in present and not present & frozenset("řěů"):
        return "tk"
    latin = [w.lower() for w in all_words]
    if latin and "".join(latin).isascii():
        share = sum(w in _ENGLISH_WORDS for w in latin) / len(latin)
        if share >= 0.12:
            return "en"
    return None


def _correct(best: str, text: str) -> str:
    """lingua reads Kyrgyz as Kazakh (or Mongolian): without Kazakh-only letters but with ө ү ң it is Kyrgyz."""
    present = set(text.lower())
    if best in ("kk", "mn") and letter_share(text, KAZAKH_ONLY) < 0.02 and "ң" in present:
        return "ky"
    if best == "kk" and letter_share(text, KAZAKH_ONLY) < 0.02 and present & _KYRGYZ:
        return "ky"
    return best


def _lingua(text: str) -> tuple[str, float]:
    values = _source_detector().compute_language_confidence_values(text)
    if not values:
        return UNDETERMINED, 0.0
    top = values[0]
    return _SOURCE_CODES.get(top.language.name, top.language.name.lower()), float(top.value)


@lru_cache(maxsize=1)
def _source_detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(*(getattr(Language, name) for name in _SOURCE_CODES)).build()


@lru_cache(maxsize=1)
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


_NAME_TAGS = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn"})


def russian_nominative(word: str) -> str:
    """A Russian proper name in its dictionary form, its gender kept (Беларуси -> Беларусь,
    Бородавкина -> Бородавкин, Назарбаевой -> Назарбаева); ``word`` itself when the dictionary
    does not take it for a name. A glossary entry is a headword, not the case one text used."""
    if word.isupper():  # an acronym (ООН, НАТО) is not inflected in the dictionary's way
        return word
    parses = [p for p in _morph().parse(word) if _NAME_TAGS & set(p.tag.grammemes)]
    if not parses:
        return word
    best = max(parses, key=lambda p: ("sing" in p.tag.grammemes, p.score))
    wanted = {"nomn", "sing"} if "sing" in best.tag.grammemes else {"nomn"}
    form = best.inflect(wanted)
    lemma = form.word if form is not None else best.normal_form
    if "ё" not in word.casefold():  # keep the spelling's own choice of е for ё
        lemma = lemma.replace("ё", "е")
    return lemma[:1].upper() + lemma[1:] if word[:1].isupper() else lemma


def guess_language(text: str) -> Guess:
    if not LETTERS.search(text):
        return Guess("unknown", 0.0)
    values = _detector().compute_language_confidence_values(text)
    if not values:
        return Guess("unknown", 0.0)
    best = values[0]
    return Guess(_CODES.get(best.language.name, best.language.name.lower()), float(best.value))


def _cyrillic_words(text: str, words: list[str] | None = None) -> list[str]:
    if not _CYRILLIC.search(text):  # English copy: one scan in C instead of a test per word
        return []
    return [w for w in (LETTERS.findall(text) if words is None else words) if _CYRILLIC.search(w)]


def letter_share(text: str, letters: frozenset[str]) -> float:
    """Share of the Cyrillic words that contain at least one of ``letters``."""
    return _share(_cyrillic_words(text), letters)


def _share(words: list[str], letters: frozenset[str]) -> float:
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
    return [m.group() for m in russian_run(text)]


def russian_run(text: str) -> list[re.Match[str]]:
    """``longest_russian_run`` as the words' matches, so that a check can say where the run is."""
    best: list[re.Match[str]] = []
    run: list[re.Match[str]] = []
    for match in LETTERS.finditer(text):
        word = match.group()
        lower = word.lower()
        if word[0].islower() and _CYRILLIC.search(word) and not NOT_RUSSIAN & set(lower) and _known(lower):
            run.append(match)
            if len(run) > len(best):
                best = list(run)
        else:
            run = []
    return best
