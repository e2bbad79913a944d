"""One name, one spelling: a source name rendered two ways in the day's translations.

Translators' QA tools (Xbench, Verifika, Okapi CheckMate) call it inconsistency and check it
across a whole project: Назарбаев in one story and Назарбайев in the next (or both in one), Тоқаев
beside Токаев. ``consistency`` takes several (source, translation) pairs of one target language
(the caller groups them by outlet too), pairs every source name with its renderings the way the
``names`` check does (``names.pair_names``: the one pairing), and compares the renderings of each
source name across all the pairs.

Inflection is not inconsistency: each rendering's name part is its shortest prefix that still
spells the source name (``romanise.same_name``, the names check's comparison: Назарбаев of
Назарбаевым, Корея of Кореядағы), and two renderings are one spelling when they agree up to the
end of the shorter name part (Назарбаев, Назарбаева, Назарбаевым; Кореяға, Кореядан), and two
when they part before it (Назарбаев, Назарбайев; Токаев, Тоқаев). Names of fewer than four letters
(Ye, Xi; Beach, whose key is bic) are left out: so short a key matches too many words to pair
reliably. What is compared: capitalised renderings outside «quotes» (an organisation's own name
keeps its own spelling: АО «Қазақстан темір жолы» in a Russian text that writes Казахстан), each
word of a hyphenated name on its own.

Every place of a name spelt two ways gets a ``warning`` finding with both spellings and where
each occurs (document and character span): either spelling may be the house one, so an editor
looks; the glossary (``--glossary``) is what makes one of them an error.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ..text.romanise import name_key, same_name
from ..text.words import fold, stems
from .names import Name, pair_names, source_names
from .verdict import Check, Finding

__all__ = ["Document", "Place", "consistency"]

_INFLECTED = ("ru", "kk", "be", "uk", "ky")
_COUNT = {2: "two", 3: "three", 4: "four"}
_SHOWN = 4  # documents a message names per spelling


@dataclass(frozen=True)
class Document:
    """One (source, translation) pair; ``id`` is how findings name it (a batch job, a file)."""

    id: str
    source: str
    translation: str
    source_lang: str = "en"
    target_lang: str = "ru"


@dataclass(frozen=True)
class Place:
    """One rendering of a source name: which document, the word as written, where, and where its
    source name is."""

    doc: str
    word: str
    span: tuple[int, int]
    source_span: tuple[int, int]
    source_word: str
    part: str  # the word's name part, folded: what two spellings differ in (see ``_name_part``)


def consistency(documents: Sequence[Document]) -> dict[str, Check]:
    """A ``consistency`` check per document id: its places of a source name that the documents
    (of one target language) spell two ways, as warnings; passed, and silent, when there are none."""
    groups: dict[tuple[str, str], list[Place]] = defaultdict(list)
    for doc in documents:
        for place_key, place in _places(doc):
            groups[(doc.target_lang, place_key)].append(place)
    found: dict[str, list[Finding]] = defaultdict(list)
    for places in groups.values():
        spellings = _spellings(places)
        if len(spellings) < 2:
            continue
        message = _message(places[0].source_word, spellings)
        for spelling in spellings:
            others = " / ".join(s[0].word for s in spellings if s is not spelling)
            for place in spelling:
                where = {"span": place.span, "source_span": place.source_span}
                found[place.doc].append(
                    Finding("inconsistent_name", "warning", message, expected=others, found=place.word, **where)
                )
    count = len(documents)
    checks = {}
    for doc in documents:
        findings = found.get(doc.id, [])
        names = len({f.message for f in findings})
        ok = (
            f"{names} source name(s) spelt two ways: " + "; ".join(dict.fromkeys(f.message for f in findings))
            if findings
            else f"each source name spelt one way across {count} translation{'s' if count != 1 else ''}"
        )
        checks[doc.id] = Check.of("consistency", findings, ok=ok)
    return checks


def _places(doc: Document) -> list[tuple[str, Place]]:
    """The renderings of every source name in ``doc``, each under its source name's key."""
    out = []
    for paired in pair_names(source_names(doc.source), doc.translation, source_lang=doc.source_lang):
        # Keyed by span: the name pairing reads a word both whole and in its hyphenated parts.
        words = list({(r.start, r.end): r for r in paired.renderings if _compared(r, doc.translation)}.values())
        # A hyphenated name is compared word by word: Касым-Жомарт gives way to Касым.
        words = [r for r in words if not any(o is not r and r.start <= o.start and o.end <= r.end for o in words)]
        key, name = _source_key(paired.name, doc.source_lang), paired.name
        if len(key) < 4:
            continue
        for r in words:
            folded = fold(r.word)
            k = _name_part(folded, key)
            if k is not None:
                where, source = (r.start, r.end), (name.start, name.end)
                out.append((key, Place(doc.id, r.word, where, source, name.word.removesuffix("'s"), folded[:k])))
    return out


def _compared(rendering: Name, text: str) -> bool:
    if not rendering.word[0].isupper():
        return False  # a Russian or Kazakh adjective (казахстанский): another word, not a spelling
    before = text[: rendering.start]
    return before.rfind("«") <= before.rfind("»")


def _source_key(name: Name, lang: str) -> str:
    """The source name across documents: Nazarbayev and Nazarbayev's, Назарбаев and Назарбаева."""
    word = fold(name.word).removesuffix("'s").removesuffix("’s")
    if lang in _INFLECTED:
        word = stems(word, lang)[0]
    return name_key(word)


def _name_part(word: str, key: str) -> int | None:
    """How many letters of ``word`` spell the name ``key``: its shortest prefix that does; None
    when none does (a word the pairing let through as a stem, such as The for Тоқаев)."""
    # A part shorter than most of the name matches too much (an for Ryan: r and y are cheap to drop).
    shortest = max(3, len(key) - 2)
    return next(
        (k for k in range(1, len(word) + 1) if len(part := name_key(word[:k])) >= shortest and same_name(key, part)),
        None,
    )


def _spellings(places: list[Place]) -> list[list[Place]]:
    """The places grouped by spelling, the most frequent first. Two words are one spelling,
    inflected, when they agree up to the end of the shorter name part: when one name part starts
    the other (Назарбаев of Назарбаевым; not Назарбайев). Compared part by part, not place by
    place: a name the batch writes a thousand times has a handful of parts."""
    by_part: dict[str, list[Place]] = defaultdict(list)
    for place in places:
        by_part[place.part].append(place)
    groups: list[list[str]] = []
    for part in sorted(by_part, key=len):  # the shorter first: a part joins every group that starts it
        home = [g for g in groups if any(part.startswith(q) for q in g)]
        groups = [g for g in groups if not any(g is h for h in home)] + [[q for g in home for q in g] + [part]]
    order = {id(p): i for i, p in enumerate(places)}
    spellings = [sorted((p for q in g for p in by_part[q]), key=lambda p: order[id(p)]) for g in groups]
    return sorted(spellings, key=lambda g: (-len(g), order[id(g[0])]))


def _message(source_word: str, spellings: list[list[Place]]) -> str:
    shown = []
    for spelling in spellings:
        where: dict[str, list[str]] = defaultdict(list)
        for p in spelling:
            where[p.doc].append(f"{p.span[0]}-{p.span[1]}")
        # Every place has its own finding with its span; the message names a few, so that a name a
        # batch writes in hundreds of stories does not copy hundreds of places into every finding.
        places = ", ".join(f"{doc} at {' '.join(spans[:3])}{' ...' if len(spans) > 3 else ''}"
                           for doc, spans in list(where.items())[:_SHOWN])  # fmt: skip
        more = f" and {len(where) - _SHOWN} more" if len(where) > _SHOWN else ""
        shown.append(f"{spelling[0].word} ({places}{more})")
    return f"{source_word} spelt {_COUNT.get(len(spellings), len(spellings))} ways: " + " and ".join(shown)
