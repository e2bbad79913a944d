"""Roman numerals as numbers: congresses, forums, sessions, centuries (XIX съезд, XXI ғасыр).

A translation that turns the XIX congress into the XVII has changed a number; one that writes
it 19th, «XIX» or «19-й» has not. So the number reader (``text.numbers``) counts a Roman numeral
as its value, in every language. The Russian and Kazakh press often types the numerals with
Cyrillic look-alikes (ХХІ ғасыр: Cyrillic Х, Kazakh І), which are read as the Latin letters.

Only what is surely a numeral counts, since the letters are also words and initials:

* upper case only, and a well-formed numeral (``IIII``, ``IC``, ``VX`` are not);
* two letters or more of I, V and X (II, XIX, XXI) anywhere but in an all-capitals stretch
  (a shouted headline's ``VI`` may be a word);
* a single I, V or X, or a numeral of two letters or more with L, C, D or M (LVIII, MMXX),
  only beside a word that numbers things (century, congress, war, session, век, съезд, ғасыр,
  ...): never the pronoun I, an initial (V. Putin, Nursultan A.), a grade (class C),
  Washington, DC or a word like MIX.

Ordinal words (второй, екінші, second) are what a translator may write for a Roman numeral
(World War II, Вторая мировая война): ``ordinal_spans`` finds them, so a lost II that the
translation spells out is not a changed number.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

__all__ = ["ordinal_spans", "roman_spans", "roman_value"]

_LOOKALIKES = str.maketrans({"Х": "X", "І": "I", "Ӏ": "I", "Ⅰ": "I", "Ⅴ": "V", "Ⅹ": "X"})
_WELL_FORMED = re.compile(r"^M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_TOKEN = re.compile(r"(?<![\w.])[IVXLCDMХІӀⅠⅤⅩ]+(?!\w)")
# Words that number things, before or after the numeral, in any inflection (stems, lower case).
_CONTEXT = (
    "centur", "congress", "forum", "session", "convocation", "plenum", "summit", "conference", "games", "olympi",
    "war", "championship", "festival", "assembly", "kurultai", "qurultai", "chapter", "stage",
    "phase", "round", "edition", "degree", "pope", "king", "queen", "tsar", "emperor",
    "век", "веков", "столет", "съезд", "форум", "сесси", "созыв", "пленум", "саммит", "конференци", "игр",
    "олимпиад", "войн", "чемпионат", "фестивал", "ассамбле", "курултай", "мирово", "част", "глав", "этап",
    "степен", "папа", "корол", "импера",
    "ғасыр", "съез", "сессия", "шақырылым", "пленум", "саммит", "конференция", "ойын", "олимпиада", "соғыс",
    "чемпионат", "фестиваль", "ассамблея", "құрылтай", "дүниежүзілік", "тарау", "кезең", "дәреже",
    "король", "патша",
)  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+")


def roman_value(numeral: str) -> int | None:
    """The value of a well-formed upper-case numeral (Cyrillic look-alikes read as Latin), else None."""
    latin = numeral.translate(_LOOKALIKES)
    if not latin or not _WELL_FORMED.match(latin):
        return None
    total = 0
    for i, letter in enumerate(latin):
        value = _VALUES[letter]
        following = _VALUES[latin[i + 1]] if i + 1 < len(latin) else 0
        total += -value if value < following else value
    return total


def roman_spans(text: str) -> list[tuple[int, int, Decimal]]:
    """Every Roman numeral of ``text`` that is surely one (see the module docstring), with its
    place and value."""
    found = []
    for match in _TOKEN.finditer(text):
        numeral = match.group()
        value = roman_value(numeral)
        if value is None:
            continue
        latin = numeral.translate(_LOOKALIKES)
        if len(latin) == 1 and (latin not in "IVX" or text[match.end() : match.end() + 1] == "."):
            continue  # C, D, M alone are letters; "V." is an initial
        plain = len(latin) >= 2 and set(latin) <= set("IVX")
        if (plain and not _shouted(text, match.start(), match.end())) or _numbering(text, match.start(), match.end()):
            found.append((match.start(), match.end(), Decimal(value)))
    return found


def _numbering(text: str, start: int, end: int) -> bool:
    """Whether a word that numbers things stands right before or after the numeral."""
    before = _WORD.findall(text[max(0, start - 30) : start])[-1:]
    after = _WORD.findall(text[end : end + 30])[:1]
    return any(word.casefold().startswith(_CONTEXT) for word in before + after)


def _shouted(text: str, start: int, end: int) -> bool:
    """Whether the numeral stands among words in capitals (a headline in upper case)."""
    around = _WORD.findall(text[max(0, start - 40) : start]) + _WORD.findall(text[end : end + 40])
    letters = [w for w in around if len(w) > 1]
    return bool(letters) and sum(w.isupper() for w in letters) * 2 > len(letters)


# Ordinal words for 1..10, which a translator may write for a Roman numeral (Вторая мировая).
_ORDINALS = {
    "en": ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"],
    "ru": [r"перв\w+", r"втор(?:ой|ая|ое|ого|ом|ому|ую|ые|ых|ым|ыми)", r"трет\w+", r"четв[её]рт\w+",
           r"пят(?:ый|ая|ое|ого|ом|ому|ую|ые|ых)", r"шест(?:ой|ая|ое|ого|ом|ому|ую|ые|ых)", r"седьм\w+",
           r"восьм\w+", r"девят(?:ый|ая|ое|ого|ом|ому|ую)", r"десят(?:ый|ая|ое|ого|ом|ому|ую)"],
    "kk": [r"бірінші\w*", r"екінші\w*", r"үшінші\w*", r"төртінші\w*", r"бесінші\w*", r"алтыншы\w*", r"жетінші\w*",
           r"сегізінші\w*", r"тоғызыншы\w*", r"оныншы\w*"],
}  # fmt: skip


@cache
def _ordinals(lang: str) -> re.Pattern[str] | None:
    words = _ORDINALS.get(lang)
    if words is None:
        return None
    return re.compile(rf"(?<!\w)(?:{'|'.join(f'({w})' for w in words)})(?!\w)", re.IGNORECASE)


def ordinal_spans(text: str, lang: str) -> list[tuple[int, int, int]]:
    """Each ordinal word from first to tenth in ``text`` (start, end, 1-10)."""
    pattern = _ordinals(lang)
    return [] if pattern is None else [(m.start(), m.end(), m.lastindex or 0) for m in pattern.finditer(text)]
