"""Names a translator may render rather than transliterate: warnings, not errors.

``names`` (``checks.names``) fails a translation that lacks a source name in a recognisable form.
Three kinds of "lack" are what professional translators do on purpose, and the Russian and
Kazakh press prints them every day; each is a warning (look before publishing), never an error:

* an organisation's descriptive words translated by meaning: "KTZ Freight Transportation" as
  «ҚТЖ – Жүк тасымалы», "Air Astana Flight Academy" as «Air Astana ұшу академиясы». The word has no
  look-alike in the translation, and its name is an organisation's: it has an acronym (KTZ), a
  word that only a common noun has (-tion, -ment, -ics, -ity, ...), or a company word around it
  (a subsidiary, a company, JSC, Ltd). A person's name has none of these, so a dropped first name
  stays an error;
* a Kazakh name across the Russian and Kazakh spelling traditions: English spells most Kazakh
  names the Russian way (Tuleshov, Тулешов), a Kazakh translation writes them the Kazakh way
  (Төлешов). The two differ only in the vowels the Russian alphabet lacks (ө, ү, ұ, і, ә written
  у, и, ы, а, е), so a mangled-looking name that matches once those vowels are folded together is
  a rendering. A changed consonant, or ``a`` for ``o`` (Кашанов for Koshanov), still is not;
* a country rendered as "our country": the Kazakh press writes «еліміз», the Russian «наша
  страна», for Kazakhstan in its own news. A country the translation does not name, where it has
  such a phrase, is a warning, marked on the phrase.

A name missing or mangled in a way none of these explains stays an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.romanise import names_match
from .verdict import Finding

__all__ = ["Rendered", "rendering"]


@dataclass(frozen=True)
class Rendered:
    """Why a source name the translation lacks may be a legitimate rendering, and where."""

    kind: str  # "translated_name" | "spelling_tradition" | "our_country"
    why: str
    span: tuple[int, int] | None = None  # in the translation


# The word a capitalised run ends with when it is a company's (KTZ Freight Transportation JSC),
# and the words before a run that make it one (a subsidiary, KTZ Freight Transportation).
_COMPANY_AFTER = re.compile(r"^[\s,]*(?:JSC|LLP|LLC|Ltd|Inc|Corp|PLC|AG|GmbH|SA|NV|Co)\b")
_COMPANY_BEFORE = re.compile(
    r"\b(?:subsidiary|company|companies|firm|operator|carrier|holding|group|corporation|brand|unit|branch|"
    r"division|enterprise|producer|maker|manufacturer|developer|provider|venture|startup|organisation|"
    r"organization|agency|fund|bank|JSC|LLP)\b[^.!?]{0,40}$",
    re.IGNORECASE,
)
# Endings only common nouns have (Transportation, Development, Logistics); not -ing, -ence, -age,
# which surnames have too (Jinping, Lawrence, Page).
_COMMON_NOUN = re.compile(r"^\w{3,}(?:tion|sion|ment|ics|ity|ities|ness|ism|ship|ware|ology)s?$", re.IGNORECASE)
_RUN = re.compile(r"[A-Z][\w'’&-]*(?:\s+(?:(?:of|for|the|and|&)\s+)*[A-Z][\w'’&-]*)+")
_ACRONYM = re.compile(r"^[A-Z]{2,}$")
# Words after which a capitalised run is a person's name (US Secretary Ryan Zinke, UN Envoy ...).
_TITLES = frozenset(
    """mr mrs ms dr president minister ambassador governor mayor senator chairman chairwoman chair director
    secretary general prince king queen sir envoy spokesman spokeswoman spokesperson commissioner chancellor
    premier chief head deputy vice officer reporter correspondent coach captain ceo founder judge justice
    prosecutor commander akim speaker rapper singer actor actress""".split()
)
_TITLE_BEFORE = re.compile(rf"\b(?:{'|'.join(_TITLES)})\.?\s+$", re.IGNORECASE)
_COUNTRY_ACRONYMS = frozenset({"US", "USA", "UK", "UAE", "RK", "RF", "PRC", "DPRK"})

_COUNTRIES = frozenset(
    """kazakhstan russia china belarus ukraine uzbekistan kyrgyzstan tajikistan turkmenistan azerbaijan armenia
    georgia mongolia turkey iran india pakistan afghanistan japan korea germany france italy spain britain
    poland hungary sweden finland norway greece egypt israel syria iraq qatar indonesia vietnam thailand
    malaysia singapore australia canada mexico brazil argentina america""".split()
)
# "Our country" in the three languages, in any case form.
_OUR_COUNTRY = {
    "kk": r"\bел(?:іміз|імізд\w*|іміздің|імізге|імізден|імізбен|імізді)\b|\bбіздің ел\w*|\bотанымыз\w*|"
    r"\bреспубликамыз\w*|\bмемлекетіміз\w*",
    "ru": r"\bнаш(?:а|ей|у|ею|ем) (?:стран\w*|республик\w*|государств\w*)|\bв нашей стране\b",
    "en": r"\bour (?:country|nation|republic)\b",
}


def rendering(
    word: str,
    start: int,
    end: int,
    key: str,
    near: tuple[str, str, int, int] | None,
    *,
    source: str,
    translation: str,
    found: frozenset[str],
    source_lang: str,
    target_lang: str,
) -> Rendered | None:
    """Why the source name ``word`` (at ``start:end`` of ``source``, romanised ``key``) that the
    translation lacks may be a translator's rendering, or None. ``near``: its closest look-alike in
    the translation (word, key, start, end); ``found``: the source's name words that are there."""
    country = _our_country(word, translation, target_lang)
    if country is not None:
        return country
    if near is not None:
        return _tradition(word, key, near, source_lang, target_lang)
    return _descriptive(word, start, end, source, found)


def _our_country(word: str, translation: str, target_lang: str) -> Rendered | None:
    bare = word.casefold().removesuffix("'s").removesuffix("’s")
    if bare not in _COUNTRIES and not bare.endswith("stan"):
        return None
    pattern = _OUR_COUNTRY.get(target_lang)
    hit = re.search(pattern, translation, re.IGNORECASE) if pattern else None
    if hit is None:
        return None
    return Rendered("our_country", f"{word} rendered as «{hit.group()}» ('our country')?", (hit.start(), hit.end()))


# Romanised, ө is o and Russian writes у for it (Төлешов, Тулешов); ү and ұ are u in both, і and
# ы are the cheap i/y, ә is the cheap a/e. So o and u are folded into one letter that is like no
# other: a for o (Кашанов for Koshanov) stays a changed letter.
_VOWEL_FOLD = str.maketrans({"o": "0", "u": "0"})


def _tradition(
    word: str, key: str, near: tuple[str, str, int, int], source_lang: str, target_lang: str
) -> Rendered | None:
    if "kk" not in (source_lang, target_lang):
        return None
    near_word, near_key, start, end = near
    # The first letter is kept as it is: a vowel folded there would let any name pass for another.
    if key[:1] != near_key[:1] or not names_match(key.translate(_VOWEL_FOLD), near_key.translate(_VOWEL_FOLD)):
        return None
    why = f"{word} written {near_word}: the other spelling tradition of a Kazakh name (Russian у for Kazakh ө)?"
    return Rendered("spelling_tradition", why, (start, end))


def _descriptive(word: str, start: int, end: int, source: str, found: frozenset[str]) -> Rendered | None:
    for run in _RUN.finditer(source, max(0, start - 120), min(len(source), end + 120)):
        if not run.start() <= start < run.end():
            continue
        words = re.findall(r"[\w'’&-]+", run.group())
        names = [w for w in words if w[0].isupper()]
        before = words[: words.index(word)] if word in words else []
        if (
            len(names) < 2
            or _TITLE_BEFORE.search(source[max(0, run.start() - 20) : run.start()])
            or any(w.casefold() in _TITLES for w in before)
        ):
            return None
        acronym = any(_ACRONYM.match(w) and w not in _COUNTRY_ACRONYMS for w in names)
        present = acronym or any(w.casefold() in found for w in names if w != word)
        company = (
            acronym
            or _COMMON_NOUN.search(word) is not None
            or _COMPANY_AFTER.match(source, run.end()) is not None
            or _COMPANY_BEFORE.search(source[max(0, run.start() - 60) : run.start()]) is not None
        )
        if present and company:
            return Rendered("translated_name", f"{word} (of {run.group()}) translated by meaning?")
        return None
    return None


def warning(rendered: Rendered, word: str, start: int, end: int) -> Finding:
    """The warning finding for a rendered source name."""
    return Finding(rendered.kind, "warning", rendered.why, span=rendered.span, source_span=(start, end),
                   expected=word)  # fmt: skip
