"""Proper names across a translation or a summary, without a glossary.

``names_check`` (translations): every proper name of the source must be in the translation in
a recognisable form. Both sides are romanised (``text.romanise``) and compared word by word,
first names too, case endings tolerated; each source name word claims its own target word, so
one target name cannot stand for two source names. What small models do to names (Касим-Ямарт
for Kassym-Jomart, Альберт for Aleksandr, Кашанов for Koshanov, a named source left out) fails
here; an honest transliteration (Сутопо Пурво Нугрохо, Эрдоганның) passes.

``unsupported_names`` (summaries): the reverse question: which names of the summary the source
never names, across scripts.

What counts as a name: a capitalised word that is not at the start of a sentence or a line (a
word there counts when the text also capitalises it elsewhere), not an acronym (``BelTA``,
``ООН``: those are allowed to stay as they are), not a title or a calendar word.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ..text.glossary import Glossary
from ..text.roman import roman_value
from ..text.romanise import EXONYMS, best_prefix_similarity, name_key, names_match, related
from ..text.words import TERM
from .renderings import rendering, warning
from .verdict import Check, Finding

__all__ = ["Name", "Paired", "source_names", "names_check", "pair_names", "proper_names", "unsupported_names"]

# Capitalised words that are not names: titles, institutions' common nouns, calendar words,
# function words that open a clause. Russian and Kazakh write these in lower case, so they
# are not to be looked for in a translation.
# Titles stand before a name and are not part of it; institution words make the capitalised run
# they are in (up to the institution word, and its "of"/"for" complement) an institution's name,
# which the press translates by meaning (Executive Committee, National Center for Disaster Prevention).
_TITLES = frozenset(
    """mr mrs ms dr sir president prime minister foreign secretary general deputy chairman chairwoman chair head
    chief spokesman spokeswoman spokesperson director governor mayor ambassador senator lawmaker king queen
    prince det sgt lt col gen capt rep sen gov extraordinary plenipotentiary""".split()
)
_INSTITUTIONS = frozenset(
    """ministry affairs interior defence defense finance government department agency committee council parliament
    senate congress navy army police court supreme republic union national state international federal bank
    university institute office team cup club party center centre disaster prevention nations united forces
    force guard service services administration authority commission board museum hospital school college
    company group corporation foundation association organization organisation assembly house palace embassy
    executive oblast region district province forum summit commercial cargo transport corridor agriculture
    trade industry energy port railway railways airlines airport exchange stock market fund
    day week festival cinema championship games exhibition conference""".split()
)
# Kazakh (and Russian) title and institution words that formal style capitalises (Төтенше және
# Өкілетті Елшісі, Атқару комитеті): stems, matched at the start of a lower-cased word.
_CYRILLIC_TITLES = (
    "елші", "төтенше", "өкілетті", "президент", "премьер", "министр", "төраға", "әкім", "депутат", "басшы",
    "комитет", "басқарма", "департамент", "агенттік", "университет", "ұлттық", "мемлекеттік", "халықаралық",
    "республика", "кеңес", "парламент", "мәжіліс", "сенат", "үкімет", "облыс", "аудан", "атқару", "чрезвычайн",
    "полномочн", "посол", "председател", "губернатор", "мэр", "правительств", "исполнительн",
)  # fmt: skip
_NOT_NAMES = (
    _TITLES
    | _INSTITUTIONS
    | frozenset(
        """a an the this that these those it its he she they we i you his her their our in on at of for to by
    from with and or but as after before when while if since about over under into than then there here
    year jan feb mar apr jun jul aug sep sept oct nov dec
    east west north south middle cold war city pacific atlantic ocean sea gulf river island islands street
    avenue square airport station internal external economic
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december
    source photo video read more update updated breaking news""".split()
    )
)
_SENTENCE_START = re.compile(r"(?:^|[.!?…:;]\s+|\n\s*|[«\"“„'‘(]\s*|[-—–]\s+)$")
_ACRONYM = re.compile(r"^(?:[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]{2,}|[A-Z]\w*[A-Z]\w*|[А-ЯЁ]\w*[А-ЯЁ]\w*)$")
_PARTS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")  # the parts of a hyphenated name, each on its own
# A hyphenated given name with a lower-case second part (Kim Jong-un, Park Byeong-seug): Korean
# and Chinese names reach Russian through their own systems (Чен Ын, Бён Сок), not letter by
# letter, so only the family name is held to the romanised comparison.
_ASIAN_GIVEN = re.compile(r"[A-Z][a-z]+-[a-z]+\b")
_LATIN_ACRONYM = re.compile(r"\b[A-Z]{2,}\b")
_ENGLISH_SUFFIXES = ("ian", "ese", "ish", "an", "'s", "’s", "s")


@dataclass(frozen=True)
class Name:
    """One word of a proper name as the text writes it, where, and its romanised key."""

    word: str
    start: int
    end: int
    key: str


def proper_names(text: str, *, institutions: bool = True) -> list[Name]:
    """The words of ``text`` that are proper names (see the module docstring), in order.
    ``institutions=False`` keeps the distinctive words of an institution's name too (European
    in European Commission): a summary must not name an institution its source does not."""
    words = [m for m in _PARTS.finditer(text) if m.group()[0].isupper() and not m.group()[0].isdigit()]
    inside: set[str] = set()
    for m in words:
        if not _SENTENCE_START.search(text[max(0, m.start() - 3) : m.start()]) and m.start() > 0:
            inside.add(m.group().casefold())
    found = []
    for m in words:
        word = m.group()
        bare_word = re.sub(r"['’]s$", "", word)
        if "/" + word in text:  # HIV/Aids: an acronym written as a word, wherever it stands
            continue
        if _ASIAN_GIVEN.match(text, m.start()) or bare_word.casefold().startswith(_CYRILLIC_TITLES):
            continue
        if (
            _ACRONYM.match(bare_word)
            or bare_word.casefold() in _NOT_NAMES
            or len(word) < 2
            or (institutions and _in_institution(text, m))
        ):
            continue
        opening = m.start() == 0 or _SENTENCE_START.search(text[max(0, m.start() - 3) : m.start()])
        if opening and word.casefold() not in inside:
            continue
        key = name_key(word)
        if len(key) >= 2:
            found.append(Name(word, m.start(), m.end(), key))
    return found


_RUN = re.compile(r"[A-Z][\w'’-]*(?:\s+(?:(?:of|for|the|and|on)\s+)*[A-Z][\w'’-]*)*")


def _in_institution(text: str, match: re.Match[str]) -> bool:
    """Whether the word is part of an institution's name that the press translates by meaning
    (Mogilev Oblast Executive Committee, United Nations General Assembly): see ``_INSTITUTIONS``.
    A person named after the institution (...Committee Vladimir Domanevsky) is not part of it."""
    for run in _RUN.finditer(text, max(0, match.start() - 150), min(len(text), match.end() + 150)):
        if not run.start() <= match.start() < run.end():
            continue
        segment: list[tuple[int, bool]] = []
        words = list(re.finditer(r"[\w'’-]+", run.group()))
        for i, word in enumerate(words):
            folded = word.group().casefold()
            if folded in _TITLES:
                segment = []
                continue
            segment.append((run.start() + word.start(), folded in _INSTITUTIONS))
            following = words[i + 1].group() if i + 1 < len(words) else ""
            ends = folded in _INSTITUTIONS and following not in ("of", "for", "and", "the", "on")
            if run.start() + word.start() >= match.start() and (ends or i + 1 == len(words)):
                return len(segment) > 1 and any(inst for _, inst in segment)
            if ends:
                segment = []
        return False
    return False


def _keys(name: Name) -> list[str]:
    """The keys a source name may be found under: itself, without an English suffix
    (Syrian -> Syri, Erdogan's -> Erdogan), and the exonyms of a place (China -> Китай)."""
    keys = [name.key]
    lowered = name.word.casefold()
    stripped = lowered
    changed = True
    while changed:  # Mexicans -> Mexican -> Mexic
        changed = False
        for suffix in _ENGLISH_SUFFIXES:
            if stripped.endswith(suffix) and len(stripped) - len(suffix) >= 4:
                stripped = stripped[: -len(suffix)]
                keys.append(name_key(stripped))
                changed = True
                break
    # A final vowel is where Russian puts its case ending (Indonesia / Индонезии, Syria / Сирии).
    # Only for a Latin source: between Russian and Kazakh a name keeps its letters (Пурво is not
    # Пурварі).
    bare = keys[-1].rstrip("aeiouy")
    if len(bare) >= 3 and bare != keys[-1] and name.word.isascii():
        keys.append(bare)
    for exonym in EXONYMS.get(lowered.rstrip("'’s") if lowered.endswith(("'s", "’s")) else lowered, ()):
        keys.append(name_key(exonym))
    return keys


@lru_cache(maxsize=8)
def _candidates(text: str) -> list[Name]:
    # Cached: ``names_check`` asks for the candidates it has just paired (``pair_names``).
    return [
        Name(m.group(), m.start(), m.end(), name_key(m.group()))
        for pattern in (TERM, _PARTS)
        for m in pattern.finditer(text)
        if len(m.group()) > 1
    ]


def _found(keys: list[str], candidate: Name) -> bool:
    return any(
        names_match(key, candidate.key)
        or (len(key) >= 3 and candidate.key.startswith(key) and candidate.word[0].isupper())
        for key in keys
    )


def names_check(
    source: str, translation: str, *, glossary: Glossary | None = None, source_lang: str = "en", target_lang: str = "ru"
) -> Check:
    """Every name word of ``source`` in ``translation``, recognisably (see the module docstring)."""
    names = source_names(source)
    if glossary is not None:
        covered = {w.casefold() for t in glossary.select(source, lang=source_lang, target=target_lang)
                   for w in TERM.findall(t.form(source_lang))}  # fmt: skip
        names = [n for n in names if n.word.casefold() not in covered]
    candidates = _candidates(translation)
    missing = [(p.name, _closest(p.name, candidates)) for p in pair_names(names, translation, source_lang=source_lang)
               if not p.found]  # fmt: skip
    if not missing:
        return Check("names", True, f"all {len(names)} name words of the source are there")
    there = frozenset(n.word.casefold() for n in names) - {n.word.casefold() for n, _ in missing}
    findings = []
    for name, near in missing:
        # What a translator renders on purpose (checks.renderings) is a warning; the rest an error.
        why = rendering(name.word, name.start, name.end, name.key, near and (near.word, near.key, near.start, near.end),
                        source=source, translation=translation, found=there, source_lang=source_lang,
                        target_lang=target_lang)  # fmt: skip
        findings.append(warning(why, name.word, name.start, name.end) if why else _missing(name, near))
    errors = [f for f in findings if f.severity == "error"]
    return Check.of(
        "names",
        findings,
        ok=f"{len(names) - len(findings)} of {len(names)} name words of the source are there as written",
        detail=f"{len(errors)} of {len(names)} name words of the source are missing or mangled: "
        + ", ".join(f.message for f in errors[:12]),
    )


@dataclass(frozen=True)
class Paired:
    """One name word of the source and the words of the translation that render it."""

    name: Name
    renderings: tuple[Name, ...]  # the target words this name owns: each is most like this name
    found: bool  # the translation has it in a recognisable form (``names_check``'s verdict)


def pair_names(names: list[Name], translation: str, *, source_lang: str = "en") -> list[Paired]:
    """Each source name with its renderings in ``translation``: the one pairing ``names_check``
    judges and ``consistency`` compares across documents."""
    candidates = _candidates(translation)
    # A Russian, Kazakh or Belarusian source inflects its names too (Доманевскиймен, Белстаце):
    # the target's form may be a stem of the source's.
    inflected = source_lang in ("ru", "kk", "be", "uk")
    # One source name, one target name: each target word belongs to the source name it is most
    # like (the longer key on a tie), so Альберт cannot pass for both Aleksandr and Albert.
    # Names that share a stem (Kazakh, Kazakhstan) may share their target words.
    owner: dict[tuple[int, int], str] = {}
    for c in candidates:
        scored = [
            (best_prefix_similarity(n.key, c.key), len(n.key), n.key) for n in names if _same(n.key, c.key, inflected)
        ]
        if scored:
            owner[(c.start, c.end)] = max(scored)[2]
    paired = []
    for name in names:
        exact = [c for c in candidates if _same(name.key, c.key, inflected)]
        found = any(_related_keys(owner[(c.start, c.end)], name.key) for c in exact) or (
            # by a stem or an exonym (Mexicans / мексиканцы, China / Китай)
            not exact and any(_found(_keys(name), c) for c in candidates)
        )
        own = tuple(c for c in exact if owner[(c.start, c.end)] == name.key)
        paired.append(Paired(name, own, found))
    return paired


def _missing(name: Name, near: Name | None) -> Finding:
    """A source name the translation lacks: where it is in the source and, when it is mangled,
    where its mangled form is in the translation."""
    if near is None:
        return Finding("missing_name", "error", f"{name.word} (not there)", source_span=(name.start, name.end),
                       expected=name.word)  # fmt: skip
    return Finding("mangled_name", "error", f"{name.word} (closest: {near.word})", span=(near.start, near.end),
                   source_span=(name.start, name.end), expected=name.word, found=near.word)  # fmt: skip


def _same(source_key: str, target_key: str, inflected: bool) -> bool:
    if names_match(source_key, target_key):
        return True
    if not inflected:
        return False
    # The target's form may be the stem of the source's (Доманевский / Доманевскиймен), or the
    # source's ending may have changed its last consonant (Белстаце / Белстате).
    stems = [source_key[:-k] for k in (1, 2) if len(source_key) - k >= 5]
    return names_match(target_key, source_key) or any(names_match(stem, target_key) for stem in stems)


def _related_keys(a: str, b: str) -> bool:
    """Two source keys of one name: one extends the other (Kazakh, Kazakhstan) or they share the
    stem and differ in an ending (Белстата, Белстаце)."""
    shared = len(os.path.commonprefix([a, b]))
    return a.startswith(b) or b.startswith(a) or shared >= max(4, min(len(a), len(b)) - 2)


def _closest(name: Name, candidates: list[Name]) -> Name | None:
    """The target word most like the missing name, when one is alike enough to be its mangling."""
    scored = [(best_prefix_similarity(name.key, c.key), c) for c in candidates if c.word[0].isupper()]
    scored = [s for s in scored if s[0] >= 0.65]
    return max(scored, key=lambda s: s[0])[1] if scored else None


def source_names(source: str) -> list[Name]:
    """The name words of ``source``, each once (where it first occurs)."""
    return _distinct(proper_names(source))


def _distinct(names: Iterable[Name]) -> list[Name]:
    seen: dict[str, Name] = {}
    for name in names:
        seen.setdefault(name.word.casefold().removesuffix("'s").removesuffix("’s"), name)
    return list(seen.values())


def unsupported_names(summary: str, source: str) -> list[Name]:
    """Name words of ``summary`` that ``source`` does not name in any spelling or script."""
    missing = [
        Name(m.group(), m.start(), m.end(), m.group())
        for m in _LATIN_ACRONYM.finditer(summary)  # KCNA: an acronym is a name, and checkable as written
        # XVII is a number: the numbers check's to judge
        if m.group() not in source and m.group() not in source.replace(".", "") and not roman_value(m.group())
    ]
    names = [
        n
        for n in _distinct(proper_names(summary, institutions=False))
        # A name the source writes as the summary does is named there: most names of a summary in
        # the source's language, found without keying the source's words (the cost of a batch's checks).
        if not _common_russian_noun(n.word) and not re.search(rf"(?<!\w){re.escape(n.word)}(?!\w)", source)
    ]
    if not names:
        return missing
    words = _source_words(source)
    capitalised = [c for c in words if c.word[0].isupper()]
    candidates = [c for c in words if c.word.casefold() not in _NOT_NAMES]
    for name in names:
        keys = [name.key, *(name_key(e) for e in EXONYMS.get(name.word.casefold(), ()))]
        # The reverse direction too: a Russian summary's Китай for the source's China.
        reverse = [
            c for c in capitalised if any(name.key.startswith(name_key(e)) for e in EXONYMS.get(c.word.casefold(), ()))
        ]
        # Looser than for a translation: the question is whether the source names it at all,
        # not whether the spelling is right (Сыга for seug).
        if reverse or any(
            _found(keys, c) or names_match(c.key, name.key) or related(c.key, name.key) for c in candidates
        ):
            continue
        missing.append(name)
    return missing


def _source_words(source: str) -> list[Name]:
    """The source's capitalised words and the parts of its hyphenated names (Byeong-seug), keyed:
    keying every word of the source was most of this check's cost."""
    return [
        Name(m.group(), m.start(), m.end(), name_key(m.group()))
        for pattern in (TERM, _PARTS)
        for m in pattern.finditer(source)
        if len(m.group()) > 1 and (m.group()[0].isupper() or source[m.start() - 1 : m.start()] == "-")
    ]


_NAME_TAGS = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"})


def _common_russian_noun(word: str) -> bool:
    """A capitalised Russian common noun (Кубок, Генассамблея, Неделя): Russian capitalises the
    first word of an institution's or event's name, which is no name to look for."""
    if not re.search("[а-яё]", word.casefold()) or re.search("[әғқңөұүһі]", word.casefold()):
        return False
    from ..text.langid import _morph  # the one Russian dictionary, loaded once

    parses = _morph().parse(word)
    known = _morph().word_is_known(word.casefold())
    return known and all(p.tag.POS == "NOUN" and not (_NAME_TAGS & p.tag.grammemes) for p in parses[:2])
