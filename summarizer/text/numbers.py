"""Numbers, months and weekdays of a text, read the way its language writes them.

A translation must keep every figure of its source, but not its spelling: English ``11.4``,
``24,500`` and ``1.2 million`` are Russian and Kazakh ``11,4``, ``24 500`` and ``1,2 млн``;
``January 2016`` is ``января 2016`` or ``2016 жылғы қаңтар``. So both texts are reduced to
values (``Decimal``) and month/weekday numbers, and those are compared.

Reading rules, per language:

* English: ``,`` groups thousands only before exactly three digits (``24,500``); ``.`` is the
  decimal point.
* Russian and Kazakh: ``,`` is the decimal comma (``11,4``), so ``24,500`` reads as 24.5, which is
  what a Russian reader would take it for (a model that keeps English grouping has changed the
  number); a space (also no-break or thin) groups thousands (``24 500``); ``.`` is also read as a
  decimal point (``11.4`` is unambiguous to a reader).
* A scale word after a number multiplies it: thousand/million/billion/trillion, тыс./млн/млрд/трлн
  (and their full forms), мың.
* Digits inside words count (``COVID-19``); Kazakh case endings after a hyphen do not disturb
  the number (``450-ге``).
* Small numbers written as words in the translation (``три``, ``үш``) may stand for digits of the
  source: style guides spell out numbers below ten. Likewise a bare scale word (``тысяча``,
  ``миллион``) may stand for ``1,000`` or ``1 million``.
* Roman numerals (``XIX съезд``, ``XXI ғасыр``, also typed in Cyrillic look-alikes) are their
  values in every language (``text.roman``), so XIX for 19th is the same number and XVII for XIX
  is not; an ordinal word (``Вторая``, ``екінші``) may stand for a small one.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Literal

from .roman import ordinal_spans, roman_spans

__all__ = [
    "Figures",
    "Lost",
    "compare",
    "losses",
    "places",
    "month_spans",
    "number_spans",
    "read_figures",
    "readings",
    "rewritten",
    "weekday_spans",
]

_SPACE = "[ \u00a0\u202f\u2009]"
_NUMBER = {
    "en": re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,]\d)|(?<![\d.])\d+(?:\.\d+)?(?![\d])"),
    "local": re.compile(
        rf"(?<![\d.,])\d{{1,3}}(?:{_SPACE}\d{{3}})+(?![\d])(?:,\d+)?|(?<![\d.,])\d+(?:[.,]\d+)?(?![\d])"
    ),
}
_SCALE = {
    "en": [(r"thousand", 3), (r"million|mln", 6), (r"billion|bn", 9), (r"trillion", 12)],
    "ru": [
        (r"тыс\.?|тысяч\w*", 3),
        (r"млн\.?|миллион\w*", 6),
        (r"млрд\.?|миллиард\w*", 9),
        (r"трлн\.?|триллион\w*", 12),
    ],
    "kk": [(r"мың\w*", 3), (r"млн\.?|миллион\w*", 6), (r"млрд\.?|миллиард\w*", 9), (r"трлн\.?|триллион\w*", 12)],
}
# Month and weekday names as patterns (index = number - 1). English is matched case-sensitively,
# and March and May (also verbs, also at the start of a sentence) only beside a number or after
# a preposition; Russian and Kazakh in any case and any inflection.
_VERB_MONTH = r"(?:(?<=\d )|(?<=\bin )|(?<=\bof )|(?<=\bby )|(?<=\bfrom )|(?<=\buntil )|(?<=\bsince )){0}|{0}(?=,? \d)"
_MONTHS = {
    "en": ["January|Jan\\.", "February|Feb\\.", _VERB_MONTH.format("March"), "April|Apr\\.",
           _VERB_MONTH.format("May"), "June", "July", "August|Aug\\.", "September|Sept?\\.", "October|Oct\\.",
           "November|Nov\\.", "December|Dec\\."],
    "ru": [r"январ\w*", r"феврал\w*", r"март\w*", r"апрел\w*", r"ма[йяюе]", r"июн\w*", r"июл\w*", r"август\w*",
           r"сентябр\w*", r"октябр\w*", r"ноябр\w*", r"декабр\w*"],
    "kk": [r"қаңтар\w*", r"ақпан\w*", r"наурыз\w*", r"сәуір\w*", r"мамыр\w*", r"маусым\w*", r"шілде\w*",
           r"тамыз\w*", r"қыркүйек\w*", r"қазан\w*", r"қараша\w*", r"желтоқсан\w*"],
}  # fmt: skip
_WEEKDAYS = {
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "ru": [r"понедельник\w*", r"вторник\w*", r"сред[аыуе]", r"четверг\w*", r"пятниц\w*", r"суббот\w*",
           r"воскресень\w*"],
    "kk": [r"дүйсенбі\w*", r"сейсенбі\w*", r"сәрсенбі\w*", r"бейсенбі\w*", r"жұма\w*", r"сенбі\w*", r"жексенбі\w*"],
}  # fmt: skip
_MONTH_NAMES = "January February March April May June July August September October November December".split()
# A numeric date, 25.11.2015: day, month, year (read before plain numbers).
_DOTTED_DATE = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?![\d])")
# Words for 1..10, for a source digit that the translation spells out.
_NUMBER_WORDS = {
    "ru": [r"од(?:ин|на|но|ну|ного|ной|ному|ним|ном)", r"дв(?:а|е|ух|ум|умя)", r"тр(?:и|[её]х|[её]м|емя)",
           r"четыр(?:е|[её]х|[её]м|ьмя)", r"пят(?:ь|и|ью)", r"шест(?:ь|и|ью)", r"сем(?:ь|и|ью)",
           r"вос(?:емь|ьми|емью)", r"девят(?:ь|и|ью)", r"десят(?:ь|и|ью)"],
    "kk": ["бір", "екі", "үш", "төрт", "бес", "алты", "жеті", "сегіз", "тоғыз", "он"],
}  # fmt: skip


@dataclass(frozen=True)
class Figures:
    """What a text says in numbers: value -> how often, month number -> how often, and weekdays."""

    values: Counter[Decimal]
    months: Counter[int]
    weekdays: Counter[int]
    spelled: Counter[int]  # small numbers written as words (ru/kk): index 0 is one, 9 is ten
    bare: Counter[int] = field(default_factory=Counter)  # scale words with no number before them: power of ten

    @property
    def empty(self) -> bool:
        return not (self.values or self.months or self.weekdays)


def read_figures(text: str, lang: str) -> Figures:
    key = _key(lang)
    values: Counter[Decimal] = Counter()
    months = _names(text, _MONTHS[key], key)
    for day, month, year in _DOTTED_DATE.findall(text):
        if 1 <= int(month) <= 12:
            values.update([Decimal(day), Decimal(year)])
            months[int(month) - 1] += 1
    text = _DOTTED_DATE.sub(" ", text)
    scaled: set[int] = set()
    for _, value in _numbers(text, key, scaled):
        values[value] += 1
    values.update(value for _, _, value in roman_spans(text))
    spelled = _names(text, _NUMBER_WORDS.get(key, []), key)
    spelled.update(n - 1 for _, _, n in ordinal_spans(text, key))
    bare: Counter[int] = Counter()
    for scale, power in _scales(key):
        for hit in scale.finditer(text):
            if hit.start(1) not in scaled and (hit.start(1) == 0 or not text[hit.start(1) - 1].isalnum()):
                bare[power] += 1
    return Figures(
        values=values,
        months=months,
        weekdays=_names(text, _WEEKDAYS[key], key),
        spelled=spelled,
        bare=bare,
    )


def readings(text: str) -> frozenset[Decimal]:
    """Every value a number in ``text`` can mean when its language is not known: each number as
    English, Russian and Kazakh read it (``1,400`` is 1400 or 1.4), with and without a scale word
    after it (``9.5 trillion`` is 9.5 and 9.5e12). The facts task checks a model's figure with it."""
    found: set[Decimal] = set()
    for key in _SCALE:
        for written, value in _numbers(text, key, set()):
            found.update((written, value))
    return frozenset(found)


def _numbers(text: str, key: str, scaled: set[int]) -> list[tuple[Decimal, Decimal]]:
    """Each number of ``text`` read the ``key`` way: (as written, times its scale word if any);
    the positions of the scale words used go into ``scaled``."""
    pattern = _NUMBER["en" if key == "en" else "local"]
    out = []
    for match in pattern.finditer(text):
        written = value = _value(match.group(), key)
        for scale, power in _scales(key):
            hit = scale.match(text, match.end())
            if hit:
                value = value * (Decimal(10) ** power)
                scaled.add(hit.start(1))
                break
        out.append((written, value))
    return out


@cache
def _scales(key: str) -> list[tuple[re.Pattern[str], int]]:
    return [
        (re.compile(rf"[\s\u00a0\u202f-]?((?:{words})(?!\w))", re.IGNORECASE), power) for words, power in _SCALE[key]
    ]


@dataclass(frozen=True)
class Lost:
    """A figure of the source that the translation lacks: a value, or a month or weekday."""

    kind: Literal["value", "month", "weekday"]
    value: Decimal  # the figure; for a month 1-12, for a weekday 1 (Monday) to 7
    short: int = 1  # how many times fewer the translation says it

    @property
    def name(self) -> str:
        """As a reader says it: ``24500``, ``January``, ``Tuesday``."""
        if self.kind == "value":
            return _plain(self.value)
        return (_MONTH_NAMES if self.kind == "month" else _WEEKDAYS["en"])[int(self.value) - 1]

    @property
    def label(self) -> str:
        """``24500 (x2)``, ``month January``: the item ``compare`` lists."""
        if self.kind == "value":
            return self.name + (f" (x{self.short})" if self.short > 1 else "")
        return f"{self.kind} {self.name}"


def compare(source: Figures, translation: Figures) -> list[str]:
    """What the source says that the translation lost, as readable items (empty: nothing lost)."""
    return [lost.label for lost in losses(source, translation)]


def losses(source: Figures, translation: Figures) -> list[Lost]:
    """What the source says that the translation lost (empty: nothing lost).

    Counts matter (a figure said twice must be there twice), except that a figure the
    translation says more often is fine. A missing digit from 1 to 10 is forgiven when the
    translation spells that number out.
    """
    lost: list[Lost] = []
    spelled, bare = Counter(translation.spelled), Counter(translation.bare)
    for value, count in sorted(source.values.items()):
        short = count - translation.values.get(value, 0)
        if short > 0 and value == value.to_integral_value() and 1 <= value <= 10:
            covered = min(short, spelled[int(value) - 1])
            spelled[int(value) - 1] -= covered
            short -= covered
        power = len(str(int(value))) - 1 if value == value.to_integral_value() else -1
        if short > 0 and power in (3, 6, 9, 12) and value == Decimal(10) ** power:
            covered = min(short, bare[power])
            bare[power] -= covered
            short -= covered
        if short > 0:
            lost.append(Lost("value", value, short))
    lost += [Lost("month", Decimal(i + 1)) for i, n in sorted(source.months.items()) if translation.months[i] < n]
    lost += [Lost("weekday", Decimal(i + 1)) for i, n in sorted(source.weekdays.items()) if translation.weekdays[i] < n]
    return lost


def places(lost: list[Lost], text: str, lang: str) -> list[tuple[int, int] | None]:
    """Where each lost figure is in ``text`` (the source), its first occurrence; None where it
    cannot be pointed at (a month of a dotted date). Digits are preferred to a number word."""
    values = number_spans(text, lang) if any(x.kind == "value" for x in lost) else []
    values.sort(key=lambda hit: (not text[hit[0]].isdigit(), hit[0]))
    names = {
        "month": month_spans(text, lang) if any(x.kind == "month" for x in lost) else [],
        "weekday": weekday_spans(text, lang) if any(x.kind == "weekday" for x in lost) else [],
    }
    found: list[tuple[int, int] | None] = []
    for item in lost:
        hits = values if item.kind == "value" else names[item.kind]
        found.append(next(((a, b) for a, b, v in hits if v == item.value), None))
    return found


# Belarusian and Ukrainian write numbers and scale words (тыс., млн, млрд) as Russian does.
_LIKE = {"be": "ru", "uk": "ru"}


def _key(lang: str) -> str:
    lang = _LIKE.get(lang, lang)
    return lang if lang in _MONTHS else "en"


def _value(text: str, lang: str) -> Decimal:
    if lang == "en":
        return Decimal(text.replace(",", ""))
    return Decimal(re.sub(_SPACE, "", text).replace(",", "."))


def _names(text: str, patterns: list[str], lang: str) -> Counter[int]:
    flags = 0 if lang == "en" else re.IGNORECASE
    found: Counter[int] = Counter()
    for index, pattern in enumerate(patterns):
        hits = len(re.findall(rf"(?<!\w)(?:{pattern})(?!\w)", text, flags))
        if hits:
            found[index] = hits
    return found


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# Number words, for a summary that spells a figure out ("four million" = 4 million = 4 млн):
# values 1..20 and the tens; a following scale word multiplies (``number_spans``).
_WORD_VALUES = {
    "en": dict(
        zip(
            "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
            "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred".split(),
            [*range(1, 21), 30, 40, 50, 60, 70, 80, 90, 100],
            strict=True,
        )
    ),
    "ru": {
        **{p: i + 1 for i, p in enumerate(_NUMBER_WORDS["ru"])},
        r"двадцат(?:ь|и|ью)": 20,
        r"сто": 100,
        # collective numerals: "двое мужчин" is two men
        r"дво(?:е|их|им|ими)": 2,
        r"тро(?:е|их|им|ими)": 3,
        r"четвер(?:о|ых|ым|ыми)": 4,
        r"пятер(?:о|ых|ым|ыми)": 5,
    },
    "kk": {**{p: i + 1 for i, p in enumerate(_NUMBER_WORDS["kk"])}, "жиырма": 20, "отыз": 30, "жүз": 100},
}


def number_spans(text: str, lang: str) -> list[tuple[int, int, Decimal]]:
    """Every figure of ``text`` with where it is: digits read the ``lang`` way, a dotted date's
    day and year, and number words (one to twenty, the tens, hundred), each times a scale
    word after it ("1.2 million", "four million", "4 млн")."""
    key = _key(lang)
    found: list[tuple[int, int, Decimal]] = []
    for match in _DOTTED_DATE.finditer(text):
        if 1 <= int(match.group(2)) <= 12:
            found += [(match.start(1), match.end(1), Decimal(match.group(1))),
                      (match.start(3), match.end(3), Decimal(match.group(3)))]  # fmt: skip
    masked = _DOTTED_DATE.sub(lambda m: " " * len(m.group()), text)
    hits: list[tuple[int, int, Decimal]] = [
        (m.start(), m.end(), _value(m.group(), key)) for m in _NUMBER["en" if key == "en" else "local"].finditer(masked)
    ]
    words, values = _number_words(key)
    if words is not None:
        hits += [(m.start(), m.end(), Decimal(values[m.lastindex - 1])) for m in words.finditer(masked)]  # type: ignore[operator]
    hits += roman_spans(masked)
    for start, end, value in sorted(hits):
        for scale, power in _scales(key):
            hit = scale.match(masked, end)
            if hit:
                value, end = value * (Decimal(10) ** power), hit.end()
                break
        found.append((start, end, value))
    return sorted(found)


@cache
def _number_words(key: str) -> tuple[re.Pattern[str] | None, tuple[int, ...]]:
    """All number words of a language as one pattern (one scan of the text, not one per word);
    the group that matched says which value."""
    table = _WORD_VALUES.get(key, {})
    if not table:
        return None, ()
    alternatives = "|".join(f"({pattern})" for pattern in table)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE), tuple(table.values())


@cache
def _names_pattern(kind: str, key: str) -> re.Pattern[str]:
    """A language's month (or weekday) names as one pattern; group N matched: month (day) N."""
    patterns = (_MONTHS if kind == "months" else _WEEKDAYS)[key]
    alternatives = "|".join(f"({pattern})" for pattern in patterns)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", 0 if key == "en" else re.IGNORECASE)


def month_spans(text: str, lang: str) -> list[tuple[int, int, int]]:
    """Each month name of ``text`` with where it is: (start, end, month number 1-12)."""
    return sorted((m.start(), m.end(), m.lastindex or 0) for m in _names_pattern("months", _key(lang)).finditer(text))


def weekday_spans(text: str, lang: str) -> list[tuple[int, int, int]]:
    """Each weekday name of ``text`` with where it is: (start, end, 1 for Monday ... 7)."""
    return sorted((m.start(), m.end(), m.lastindex or 0) for m in _names_pattern("weekdays", _key(lang)).finditer(text))


# Units the Russian and Kazakh press convert to metric: English unit pattern -> factor to metric.
_IMPERIAL = [
    (r"feet|foot|ft", Decimal("0.3048")),
    (r"miles?|mi", Decimal("1.609")),
    (r"pounds?|lbs?", Decimal("0.4536")),
    (r"inch(?:es)?", Decimal("2.54")),
    (r"yards?", Decimal("0.9144")),
    (r"gallons?", Decimal("3.785")),
]
# Durations the press writes as a word: "24 hours" is сутки / тәулік.
_DURATION_WORDS = {Decimal(24): r"сут(?:ки|ок|кам|ках)|тәулік\w*"}


def rewritten(source: str, value: Decimal, translation: str, lang: str) -> bool:
    """Whether a source figure the translation lacks was rewritten the way the press rewrites it:
    an imperial measure converted to metric (20 feet = 6 metres, within 10 %), or 24 hours as a day."""
    if lang == "en" or not value:
        return False
    found = {v for _, _, v in number_spans(translation, lang)}
    for unit, factor in _IMPERIAL:
        if re.search(rf"(?<![\d.,]){re.escape(_plain(value))}(?:,\d{{3}})*\s*-?\s*(?:{unit})\b", source):
            metric = value * factor
            if any(v and abs(v - metric) / metric <= Decimal("0.1") for v in found):
                return True
    pattern = _DURATION_WORDS.get(value)
    return bool(pattern and re.search(rf"\b{value} hours?\b", source) and re.search(pattern, translation, re.I))
