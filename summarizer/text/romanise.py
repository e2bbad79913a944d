"""Names across scripts: Russian/Kazakh Cyrillic and Latin reduced to one ASCII key, and compared.

A translation must keep every name of its source "in a recognisable form", and no glossary
can list every name of the wire. So both spellings are romanised to plain ASCII and compared
by a weighted edit distance in which the differences that honest transliteration makes are
cheap and the ones a model makes when it mangles a name are not:

* cheap: the vowels English and Russian write differently (Sainsbury / Сейнсбери: ai/ей,
  u/е), ``y``/``i``/``j`` and soft signs (Kanye / Канье), ``w``/``v``/``u`` (West / Уэст),
  ``h``/``g``/``kh`` (Hamburg / Гамбург), ``c``/``k``/``q``, ``s``/``z``, a doubled letter, a
  dropped ``h`` or ``y``;
* dear: any other consonant (Tokayev / Токаев keeps every one; Альберт for Aleksandr does not),
  and ``o`` for ``a`` or back (Koshanov / Кашанов: romanised Russian and Kazakh names keep
  their ``o``, so a model's ``а`` there is a different name).

``similarity`` is 1 minus that distance over the longer key; ``NAME_MATCH`` is the bar a
name must clear. Inflection (Токаева, Тоқаевтың, Lukashenko's) is tolerated by comparing
the source's key with each prefix of the target word near its length.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "NAME_MATCH",
    "EXONYMS",
    "name_key",
    "romanise",
    "similarity",
    "best_prefix_similarity",
    "names_match",
    "related",
    "same_name",
]

NAME_MATCH = 0.78

# Russian and Kazakh Cyrillic -> ASCII, one letter at a time (close to BGN/PCGN, simplified:
# the key only has to make two spellings of one name comparable, not to be read).
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Kazakh letters
    "ә": "a", "ғ": "gh", "қ": "q", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
    # Ukrainian and Belarusian, for names that arrive from there
    "є": "ye", "ї": "yi", "ґ": "g", "ў": "u",
}  # fmt: skip

# Place names that Russian and Kazakh do not write as a transliteration of the English one:
# English key -> the keys of the Cyrillic forms (romanised). Only what a wire about this region
# names often; anything else must pass as a transliteration or through a glossary.
EXONYMS: dict[str, tuple[str, ...]] = {
    "china": ("kitay", "kitai", "qytay"),
    "chinese": ("kitay", "qytay"),
    "sweden": ("shvets",),
    "hungary": ("vengri",),
    "germany": ("germani", "german", "alman"),
    "german": ("germani", "nemets", "alman"),
    "united": ("soedinenn", "qurama", "ssha", "aqsh"),
    "states": ("shtat", "ssha", "aqsh"),
    "america": ("amerik", "ssha", "aqsh"),
    "american": ("amerikan", "ssha", "aqsh"),
    "britain": ("britani", "velikobritani", "ulybritani"),
    "british": ("britan",),
    "kingdom": ("korolevstv", "korolidik", "velikobritani", "ulybritani"),
    "cologne": ("keln",),
    "munich": ("myunkhen",),
    "vienna": ("ven",),
    "warsaw": ("varshav",),
    "rome": ("rim",),
    "paris": ("parizh",),
    "brussels": ("bryussel",),
    "moscow": ("moskv",),
    "beijing": ("pekin", "beyzhin"),
    "mexico": ("meksik", "mekhiko"),
    "greece": ("gretsi", "greki"),
    "georgia": ("gruzi",),
    "netherlands": ("niderland", "gollandi"),
    "switzerland": ("shveytsari",),
    "turkey": ("turtsi", "turki"),
    "japan": ("yaponi", "zhaponi"),
    "korea": ("kore",),
    "egypt": ("egipet", "misyr"),
    "india": ("indi", "undist"),
    "europe": ("evrop", "europ", "yevrop"),
    "european": ("evrop", "europ", "yevrop"),
    "russia": ("rossi", "resei"),
    "russian": ("rossi", "russk", "resei"),
    "kazakhstan": ("kazakhstan", "qazaqstan"),
    "kazakh": ("kazakh", "qazaq"),
    "kyrgyzstan": ("kirgiz", "qyrghyz"),
    "uzbekistan": ("uzbekistan", "ozbekstan"),
    "ukraine": ("ukrain",),
    "belarus": ("belarus", "belorus"),
    "north": ("severn", "soltustik"),
    "south": ("yuzhn", "ontustik"),
    "east": ("vostoch", "shygys"),
    "west": ("zapad", "batys"),
    "new": ("nov", "zhana"),
}


def romanise(text: str) -> str:
    """Russian/Kazakh Cyrillic and accented Latin as lower-case ASCII; other characters kept."""
    out = []
    for char in text.lower():
        if char in _CYRILLIC:
            out.append(_CYRILLIC[char])
        elif char.isascii():
            out.append(char)
        else:
            base = unicodedata.normalize("NFKD", char)
            out.append("".join(c for c in base if c.isascii()) or char)
    return "".join(out)


# Spellings of one sound, folded to one letter (in this order: "chzh" before "zh" and "ch").
_DIGRAPHS = (
    ("chzh", "j"), ("ou", "u"), ("ea", "i"), ("ee", "i"), ("shch", "sh"), ("dzh", "j"), ("zh", "j"), ("kh", "h"),
    ("gh", "g"), ("ts", "c"), ("tz", "c"), ("ch", "c"), ("ph", "f"), ("ck", "k"), ("x", "ks"), ("w", "v"), ("q", "k"),
)  # fmt: skip


@lru_cache(maxsize=1 << 16)
def name_key(word: str) -> str:
    """The comparable skeleton of one word of a name: romanised, letters only, digraphs folded.

    Cached: the name checks key every word of a source (1,500 a wire item), and most words
    recur from one article to the next (a batch keyed 75,000 words for 50 summaries)."""
    key = "".join(c for c in romanise(word) if c.isalpha() and c.isascii())
    if key.startswith("x"):  # pinyin x (Xiao, Xi) is Russian с
        key = "s" + key[1:]
    for many, one in _DIGRAPHS:
        key = key.replace(many, one)
    key = re.sub(r"(?<=[aeiouy])ng$", "n", key)  # Zhang / Чжан: a final -ng is Russian -н
    # Doubled letters (Kassym / Касым, Anna / Ана) carry no difference between scripts.
    return "".join(c for i, c in enumerate(key) if i == 0 or c != key[i - 1])


_CHEAP_GROUPS = ("eiyj", "ae", "au", "ui", "ue", "eo", "vu", "hgk", "kcg", "szc", "oy")
_CHEAP_DROP = set("yheiuar")  # letters one script writes and the other leaves out (Park / Пак: a silent r)
_CHEAP, _DEAR = 1, 100  # integer costs, so that a distance says how many of each it took


@lru_cache(maxsize=4096)
def _cost(a: str, b: str) -> int:
    if a == b:
        return 0
    if any(a in group and b in group for group in _CHEAP_GROUPS):
        return _CHEAP
    return _DEAR


@lru_cache(maxsize=65536)
def _distance(a: str, b: str) -> int:
    previous = [0]
    for ch in b:
        previous.append(previous[-1] + (_CHEAP if ch in _CHEAP_DROP else _DEAR))
    for ca in a:
        drop_a = _CHEAP if ca in _CHEAP_DROP else _DEAR
        current = [previous[0] + drop_a]
        for j, cb in enumerate(b, 1):
            drop_b = _CHEAP if cb in _CHEAP_DROP else _DEAR
            current.append(min(previous[j] + drop_a, current[j - 1] + drop_b, previous[j - 1] + _cost(ca, cb)))
        previous = current
    return previous[-1]


def similarity(a: str, b: str) -> float:
    """1.0 for the same name key, falling towards 0 as the spellings part (keys from ``name_key``):
    a dear edit costs 1, a cheap one 0.35, over the longer key."""
    if not a or not b:
        return 0.0
    dear, cheap = divmod(_distance(a, b), _DEAR)
    return max(0.0, 1.0 - (dear + 0.35 * cheap) / max(len(a), len(b)))


def same_name(a: str, b: str) -> bool:
    """Whether two keys spell one name: no dear edit at all (one in a name of 10+ letters), and
    cheap ones on at most a third of the letters. A changed consonant, or ``a`` for ``o``, is
    another name (Кашанов is not Koshanov), however alike the two look."""
    if not a or not b:
        return False
    dear, cheap = divmod(_distance(a, b), _DEAR)
    length = max(len(a), len(b))
    return (dear == 0 or (dear == 1 and length >= 10 and cheap <= 1)) and cheap <= max(2, length // 3)


def related(a: str, b: str) -> bool:
    """Looser than ``names_match``: ``b`` (or its stem) differs from ``a`` only by cheap edits, on up
    to half the letters. For "does the source name this at all", where Сыга stands for seug."""
    for prefix in _prefixes(a, b):
        dear, cheap = divmod(_distance(a, prefix), _DEAR)
        if dear == 0 and cheap <= len(a) // 2 + 1:
            return True
    return False


def _prefixes(source_key: str, target_key: str) -> list[str]:
    low = max(2, len(source_key) - 2)
    return [target_key] + [target_key[:end] for end in range(low, min(len(target_key), len(source_key) + 2) + 1)]


def best_prefix_similarity(source_key: str, target_key: str) -> float:
    """``similarity`` of ``source_key`` with the target word or a prefix of it: a case ending
    (Токаев-а, Тоқаев-тың, Lukashenko-'s) is not part of the name."""
    return max(similarity(source_key, p) for p in _prefixes(source_key, target_key))


def names_match(source_key: str, target_key: str) -> bool:
    """``same_name`` for the target word or a prefix of it (its case ending cut off)."""
    return any(same_name(source_key, p) for p in _prefixes(source_key, target_key))
