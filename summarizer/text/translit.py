"""Kazakh Cyrillic -> Kazakh Latin (the 31-letter alphabet presented in January 2021).

Letter table
------------
The 2021 alphabet is A Ä B D E F G Ğ H I İ J K L M N Ñ O Ö P Q R S Ş T U Ū Ü V Y Z.
The Cyrillic-to-Latin correspondences below follow the "Latin script" section of the
English Wikipedia article "Kazakh alphabets" (its sample text: "Būryñğy ... bır danyşpan
kısı ... üiıne"), cross-checked against two published converters that agree with it:
the "Latin 2021 approved version" column of the npm package qazlatyn-db, and the
``OFFICIAL_LATIN_2021`` table of github.com/Qazaq-Genius/Qazaq-Cyrillic-to-Latin.

    а a   ә ä   б b   в v   г g   ғ ğ   д d   е e   ж j   з z   и/й i (upper İ)
    к k   қ q   л l   м m   н n   ң ñ   о o   ө ö   п p   р r   с s   т t
    у u   ұ ū   ү ü   ф f   х/һ h   ш ş   ы y   і ı (upper I)

Note the Turkish-style dotted/dotless pairs: і <-> I/ı and и, й <-> İ/i. Python's
str.upper()/lower() would turn "i" into "I" (the wrong letter here), so both cases are
spelled out explicitly and the output is never re-cased with str methods.

Decisions for letters the 2021 table does not cover (loan letters from Russian)
-----------------------------------------------------------------------------
Principle: every output letter is a member of the 31-letter alphabet (no c, w, x).
    ё -> io, ю -> iu, я -> ia   read as й + vowel, so й's "i" (upper İ) is reused:
                                Январь -> İanvar, ЯНВАРЬ -> İANVAR (not "IANVAR",
                                because capital I is the capital of ı = і).
    ц -> ts                     keeps Russian names recognisable (Цой -> Tsoi); the
                                Qazaq-Genius table writes s, which loses the sound.
    ч -> ş, щ -> ş              as Qazaq-Genius does and as Kazakh adapts them
                                (шай, шабадан); there is no c in the alphabet.
    э -> e; ъ, ь -> dropped     they carry no sound of their own.
    и, й, у, һ                  are in the 2021 table itself (i/İ, u, h), see above.
Decomposed й/ё (и/е + U+0306/U+0308, common in PDF copy-paste) are composed first.
Anything that is not Kazakh/Russian Cyrillic (Latin, digits, punctuation, «», CR/LF,
other Cyrillic such as Ukrainian ї) is returned exactly as it came in.
"""

from __future__ import annotations

import re

__all__ = ["ALPHABET_NAME", "to_latin"]

ALPHABET_NAME = "kazakh-latin-2021"

# (Cyrillic lowercase, Latin lowercase, Latin ALL-CAPS form). Cyrillic uppercase is
# derived with str.upper(), which is exact for every Cyrillic letter listed here.
_LETTERS: tuple[tuple[str, str, str], ...] = (
    ("а", "a", "A"),
    ("ә", "ä", "Ä"),
    ("б", "b", "B"),
    ("в", "v", "V"),
    ("г", "g", "G"),
    ("ғ", "ğ", "Ğ"),
    ("д", "d", "D"),
    ("е", "e", "E"),
    ("ж", "j", "J"),
    ("з", "z", "Z"),
    ("и", "i", "İ"),
    ("й", "i", "İ"),
    ("к", "k", "K"),
    ("қ", "q", "Q"),
    ("л", "l", "L"),
    ("м", "m", "M"),
    ("н", "n", "N"),
    ("ң", "ñ", "Ñ"),
    ("о", "o", "O"),
    ("ө", "ö", "Ö"),
    ("п", "p", "P"),
    ("р", "r", "R"),
    ("с", "s", "S"),
    ("т", "t", "T"),
    ("у", "u", "U"),
    ("ұ", "ū", "Ū"),
    ("ү", "ü", "Ü"),
    ("ф", "f", "F"),
    ("х", "h", "H"),
    ("һ", "h", "H"),
    ("ш", "ş", "Ş"),
    ("ы", "y", "Y"),
    ("і", "ı", "I"),
    # Loan letters (see the module docstring for why these values).
    ("ё", "io", "İO"),
    ("ю", "iu", "İU"),
    ("я", "ia", "İA"),
    ("ц", "ts", "TS"),
    ("ч", "ş", "Ş"),
    ("щ", "ş", "Ş"),
    ("э", "e", "E"),
    ("ъ", "", ""),
    ("ь", "", ""),
)

# One str.translate table for everything; capitals that become two letters default to
# title case ("Ia") here; _multi_caps() writes "İA" instead inside capitalised words.
_TABLE: dict[int, str] = {}
# Capital Cyrillic letters that become two Latin letters -> their ALL-CAPS form.
_MULTI_CAPS: dict[str, str] = {}
for _cyr, _low, _caps in _LETTERS:
    _TABLE[ord(_cyr)] = _low
    _TABLE[ord(_cyr.upper())] = _caps[:1] + _low[1:]
    if len(_caps) > 1:
        _MULTI_CAPS[_cyr.upper()] = _caps

_MULTI_RE = re.compile("[" + "".join(_MULTI_CAPS) + "]")

# Cyrillic base letter + combining mark -> precomposed letter, so "й" typed as
# и + breve is not split into "i" plus a stray combining breve.
_COMPOSE: tuple[tuple[str, str], ...] = (
    ("и\u0306", "й"),
    ("И\u0306", "Й"),
    ("е\u0308", "ё"),
    ("Е\u0308", "Ё"),
)


def _multi_caps(match: re.Match[str]) -> str:
    """Choose "İA" or "Ia" for a capital Я/Ю/Ё/Ц from its neighbouring letters.

    The next letter decides (ЯНВАРЬ vs Январь); at the end of a word the previous one
    does (КИЮ); a lone capital with no letter beside it is written in title case.
    """
    text, i = match.string, match.start()
    letter = match.group()
    for j in (i + 1, i - 1):
        if 0 <= j < len(text) and text[j].isalpha():
            return _MULTI_CAPS[letter] if text[j].isupper() else _TABLE[ord(letter)]
    return _TABLE[ord(letter)]


def to_latin(text: str) -> str:
    """Transliterate Kazakh (and Russian-loan) Cyrillic in *text* to 2021 Kazakh Latin.

    Deterministic and lossless for non-Cyrillic characters: they are copied unchanged,
    so numbers, quotes, line endings and already-Latin text survive byte for byte.
    """
    for decomposed, composed in _COMPOSE:
        if decomposed in text:
            text = text.replace(decomposed, composed)
    # The multi-letter capitals need context, so they are resolved on the original text
    # first; their Latin output is not in _TABLE, so translate() leaves it alone.
    if _MULTI_RE.search(text):
        text = _MULTI_RE.sub(_multi_caps, text)
    return text.translate(_TABLE)
