"""Dates as datelines write them: ``25 октября``, ``Aug. 20``, ``8 наурыз``, ``4. November``.

Month names (nominative and genitive) in English, Russian, Kazakh, Belarusian, German, Spanish
and French; any unambiguous prefix of three letters or more is an abbreviation (``авг``,
``Abr``, ``Sept.``). A date without a year is kept as ``--MM-DD`` (ISO 8601's form for a
month and day of an unknown year) rather than guessing the year: a wire item from an archive
would get the wrong one.

These names serve datelines only; ``numbers.py`` has its own month patterns for finding months
in running text, where inflection and verb-like names (March, May) need other rules.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["month_number", "parse_date", "year_known"]

_MONTHS = {
    "en": "january february march april may june july august september october november december",
    "ru": "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь "
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "kk": "қаңтар ақпан наурыз сәуір мамыр маусым шілде тамыз қыркүйек қазан қараша желтоқсан",
    "be": "студзень люты сакавік красавік май чэрвень ліпень жнівень верасень кастрычнік лістапад снежань "
    "студзеня лютага сакавіка красавіка мая чэрвеня ліпеня жніўня верасня кастрычніка лістапада снежня",
    "de": "januar februar märz april mai juni juli august september oktober november dezember",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
}
# Spellings the regular table misses: Austrian Jänner, Spanish setiembre, Ukrainian-style forms are
# not needed (Ukrainian datelines write numbers).
_EXTRA = {"jänner": 1, "setiembre": 9, "sept": 9}


@lru_cache(maxsize=1)
def _index() -> dict[str, int]:
    full: dict[str, int] = dict(_EXTRA)
    for names in _MONTHS.values():
        for i, name in enumerate(names.split()):
            full[name] = i % 12 + 1
    prefixes: dict[str, set[int]] = {}
    for name, month in full.items():
        for end in range(3, len(name)):
            prefixes.setdefault(name[:end], set()).add(month)
    index = {p: next(iter(m)) for p, m in prefixes.items() if len(m) == 1}
    index.update(full)
    return index


def month_number(word: str) -> int | None:
    """1-12 for a month name or an unambiguous abbreviation of one (a trailing full stop is fine)."""
    return _index().get(word.rstrip(".").lower())


_WORD = r"[^\W\d_]{3,}\.?"
_DAY_FIRST = re.compile(rf"(?P<d>\d{{1,2}})\.?\s+(?P<m>{_WORD})(?:\s+(?P<y>\d{{4}}))?")
_MONTH_FIRST = re.compile(rf"(?P<m>{_WORD})\s+(?P<d>\d{{1,2}})(?:,?\s+(?P<y>\d{{4}}))?(?!\d)")
_ISO = re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})")
_DOTTED = re.compile(r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})")


def parse_date(text: str, pos: int = 0) -> tuple[str, int] | None:
    """A date at ``text[pos:]``: (``YYYY-MM-DD`` or ``--MM-DD``, end offset), or None."""
    for pattern in (_ISO, _DOTTED, _DAY_FIRST, _MONTH_FIRST):
        match = pattern.match(text, pos)
        if not match:
            continue
        raw = match.group("m")
        month = int(raw) if raw.isdigit() else month_number(raw)
        day = int(match.group("d"))
        if month is None or not 1 <= month <= 12 or not 1 <= day <= 31:
            continue
        year = match.group("y")
        return (f"{year}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"), match.end()
    return None


def year_known(date: str | None) -> bool:
    return bool(date) and not str(date).startswith("--")
