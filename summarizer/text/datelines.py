"""The wire header of real agency copy: headline, dateline, agency, date, source trailer.

A dateline opens the first paragraph of the story (after a headline line, if any) and is built
from a few parts in a few orders, whatever the agency and the script::

    ASTANA. KAZINFORM –            PLACE. AGENCY dash
    Astana. July 4. KazTAG -       Place. date. AGENCY dash
    АЛМАТЫ. 8 наурыз. ҚазАқпарат - the same in Kazakh
    МОСКВА, 5 июля. /ТАСС/.        PLACE, date. /AGENCY/.   (also /Корр. ТАСС Name/.)
    МИНСК, 25 октября (БЕЛТА) –    PLACE, date (AGENCY) dash
    LOS ANGELES (Reuters) -        PLACE (AGENCY) dash      (also Hamburg (dpa/lno) –)
    МОСКВА, 10 авг - РИА Новости.  PLACE, date dash AGENCY.  (often a line of its own)
    ТАСС, 10 августа.              AGENCY, date.
    KHAN YOUNIS, GAZA —            PLACE, REGION dash
    CAIRO —                        PLACE dash

The rule that keeps ordinary sentences whole: a dateline needs weight, that is a known agency
(``agencies.toml``), a date, or a place written in capitals. ``Astana – Kazakhstan Temir
Zholy ...`` and ``Dee Dee Myers — a White House ...`` have a title-case name and a dash and
nothing else: a sentence, left as it is. A place in capitals with nothing else must also open a
sentence (what follows starts with a capital and its line ends like a sentence, or the line ends
at the dash): a rubric such as ``MIGRATION – Probleme zwischen ... umgeht`` is a teaser line and
``NATO – the alliance said`` a sentence, neither a dateline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .agencies import AgencyTable
from .dates import parse_date

__all__ = ["Dateline", "parse_dateline", "parse_trailer"]

_DASH = r"(?:--|[-–—―])"
# What ends a dateline: a dash (or Spanish ".-") then a space or the end of the line.
_END_DASH = re.compile(rf"[ \t\u00a0]*\.?{_DASH}(?:[ \t\u00a0]+|(?=\n)|\Z)")
_END_LINE = re.compile(r"[ \t\u00a0]*(?:\n|\Z)")
_SEP = re.compile(r"[ \t\u00a0]*[.,،][ \t\u00a0]*|[ \t\u00a0]+")
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’.\-/](?=[^\W\d_]))*\.?")
_PARTICLES = frozenset("am an der de del la le el on upon da do di al sur na".split())
_PAREN = re.compile(r"[ \t\u00a0]*\((?P<inner>[^()\n]{1,40})\)")
# A date may leave its full stop to the agency: "December 7. /TASS/."
_SLASHED = re.compile(r"(?:[ \t\u00a0]*\.)?[ \t\u00a0]*/(?P<inner>[^/\n]{1,60})/")
_CAPS_AGENCY = re.compile(rf"([^\W\d_]{{3,}}(?:[-.][^\W\d_]+)*)(?=[ \t\u00a0]*{_DASH}[ \t\u00a0])")
_OUTLET = re.compile(r"[A-ZА-ЯЁ][\w.&'’-]*(?: [\w.&'’-]+){0,2}")
# Rubric words set in capitals before a dash that are not places.
_RUBRICS = frozenset(
    "BREAKING UPDATE UPDATED EXCLUSIVE ANALYSIS OPINION EDITORIAL COMMENT VIDEO PHOTO LIVE INTERVIEW "
    "СРОЧНО МОЛНИЯ ОФИЦИАЛЬНО ЭКСКЛЮЗИВ ИНТЕРВЬЮ МНЕНИЕ".split()
)
_XINHUA = re.compile(r"新华社(?P<place>[^\d\s，。]{1,8}?)(?P<m>\d{1,2})月(?P<d>\d{1,2})日电(?:（[^）]{0,40}）)?\s*")
_JP_AGENCY = re.compile(r"【(?P<m>\d{1,2})月(?P<d>\d{1,2})日\s*(?P<agency>[^】]{1,20})】\s*")


@dataclass(frozen=True)
class Dateline:
    place: str | None  # in its own script, title-cased when the copy set it in capitals
    date: str | None  # YYYY-MM-DD, or --MM-DD when the year is not given
    agency: str | None  # canonical name when known, else the outlet as written
    byline: str | None  # a correspondent named inside the dateline (/Корр. ТАСС Name/)
    end: int  # where the story starts


def parse_dateline(text: str, table: AgencyTable) -> Dateline | None:
    """The dateline at the start of ``text`` (a story's first paragraph onwards), or None."""
    special = _special(text)
    if special:
        return special
    head = _Head()
    pos = 0
    lead = table.longest_prefix(text)
    if lead and _COMMA.match(text, len(lead[1])):  # ТАСС, 10 августа.
        head.agency, head.known, head.bare, pos = lead[0].name, True, False, len(lead[1])
    elif found := _place(text, 0):
        head.place, pos = found
    while True:
        step = _SEP.match(text, pos)
        after = step.end() if step else pos
        if head.date is None and (head.place or head.agency) and (got := parse_date(text, after)):
            head.date, pos = got
            continue
        if head.agency is None and (slot := _agency_slot(text, pos, table)):
            head.agency, head.known, head.bare, head.byline, pos = slot
            continue
        if head.place and not (head.region or head.agency or head.date) and step and _COMMA.match(text, pos):
            if region := _place(text, after):
                head.region, pos = region
                continue
        break
    if head.place is None and head.agency is None:
        return None
    end = _terminator(text, pos, table, head)
    if end is None or not _weighty(head, text, end):
        return None
    place = _display(head.place) if head.place else None
    return Dateline(place=place, date=head.date, agency=head.agency, byline=head.byline, end=end)


@dataclass
class _Head:
    place: str | None = None
    region: str | None = None
    date: str | None = None
    agency: str | None = None
    known: bool = False  # the agency is in agencies.toml
    bare: bool = False  # written without brackets: MOGILEV. KAZINFORM
    byline: str | None = None


_COMMA = re.compile(r"[ \t\u00a0]*[,،]")
_SPACE = re.compile(r"[ \t\u00a0]+")
_STOP = re.compile(r"\.(?:[ \t\u00a0]+|(?=\n)|\Z)")


def _place(text: str, pos: int) -> tuple[str, int] | None:
    """Up to five capitalised words (particles such as ``am``, ``de`` may join them)."""
    words: list[str] = []
    end = pos
    while len(words) < 5:
        space = _SPACE.match(text, end) if words else None
        match = _WORD.match(text, space.end() if space else end)
        if not match:
            break
        word = match.group()
        if not (_capitalised(word) or (words and word in _PARTICLES)):
            break
        words.append(word)
        end = match.end()
        if word.endswith(".") and len(word) > 4:  # "Astana." ends the place; "St." does not
            break
    while words and words[-1] in _PARTICLES:
        end -= len(words.pop()) + 1
    if not words:
        return None
    if words[-1].endswith(".") and len(words[-1]) > 4:
        words[-1] = words[-1][:-1]
        end -= 1
    return " ".join(words), end


def _capitalised(word: str) -> bool:
    first = word[0]
    # Arabic, Chinese and other scripts without case count as capitalised.
    return first.isupper() or not first.islower()


def _agency_slot(text: str, pos: int, table: AgencyTable) -> tuple[str, bool, bool, str | None, int] | None:
    """(agency, known, bare, byline, end) for ``(AGENCY)``, ``/AGENCY/``, ``/Корр. AGENCY Name/``, ``. AGENCY``."""
    paren = _PAREN.match(text, pos)
    if paren:
        head = re.split(r"[/,]", paren.group("inner").strip())[0].strip()
        known = table.find(head)
        if known:
            return known.name, True, False, None, paren.end()
        if _OUTLET.fullmatch(head):
            return head, False, False, None, paren.end()
        return None
    slashed = _SLASHED.match(text, pos)
    if slashed:
        inner = slashed.group("inner").strip()
        for start in range(len(inner)):
            if start and inner[start - 1] not in " .":
                continue
            hit = table.longest_prefix(inner[start:])
            if hit:
                byline = inner[start + len(hit[1]) :].strip(" ,.") or None
                return hit[0].name, True, False, byline, slashed.end()
        return None
    step = _SEP.match(text, pos)
    if step and ("." in step.group() or "," in step.group() or (pos and text[pos - 1] == ".")):
        hit = table.longest_prefix(text[step.end() :])
        if hit:
            return hit[0].name, True, True, None, step.end() + len(hit[1])
        # An agency the table lacks, in capitals before the dash: МОГИЛЁВ. ҚАЗИНФОРМ — (kept as written).
        caps = _CAPS_AGENCY.match(text, step.end())
        if caps and "." in step.group() and caps.group(1).isupper():
            return caps.group(1), False, True, None, caps.end(1)
    return None


def _terminator(text: str, pos: int, table: AgencyTable, head: _Head) -> int | None:
    dash = _END_DASH.match(text, pos)
    if dash:
        # МОСКВА, 10 авг - РИА Новости.  The agency after the dash belongs to the dateline.
        if head.agency is None and (hit := table.longest_prefix(text[dash.end() :])):
            close = _STOP.match(text, dash.end() + len(hit[1]))
            if close:
                head.agency, head.known = hit[0].name, True
                return close.end()
        return dash.end()
    if not (head.known or head.date):
        return None  # an unknown name in brackets, or a bare place, needs a dash
    stop = _STOP.match(text, pos)
    if stop:  # /ТАСС/.  (KNA/iz).  ТАСС, 10 августа.
        return stop.end()
    space = _SPACE.match(text, pos)
    if space and pos and text[pos - 1] == ".":  # the date took its full stop: "10 августа. Text"
        return space.end()
    if space and head.bare and head.known and text[:pos].split()[-1].isupper():
        return space.end()  # MOGILEV. KAZINFORM Kazakhstan ... (Kazinform's export has no dash)
    line = _END_LINE.match(text, pos)
    return line.end() if line else None


def _weighty(head: _Head, text: str, end: int) -> bool:
    if head.known or head.date:
        return True
    place = head.place or ""
    letters = [ch for ch in place if ch.isalpha()]
    if len(letters) < 3 or any(ch.islower() for ch in letters) or place in _RUBRICS:
        return False
    if not any(ch.isupper() for ch in letters):
        return bool(head.agency)  # a script without case: only with an outlet named
    rest = text[end:].split("\n", 1)[0].rstrip()
    # The story after a dateline opens a sentence: "NATO – the alliance said" is one sentence.
    return not rest or (not rest[0].islower() and rest[-1] in '.!?…"»”’)')


def _display(place: str) -> str:
    """A place set in capitals, title-cased in its own script (RIO de JANEIRO -> Rio de Janeiro)."""
    words = place.split(" ")
    caps = [w for w in words if w not in _PARTICLES]
    if not caps or any(ch.islower() for w in caps for ch in w) or not any(ch.isupper() for w in caps for ch in w):
        return place
    return " ".join(w if w in _PARTICLES else w.title().replace("’S", "’s").replace("'S", "'s") for w in words)


def _special(text: str) -> Dateline | None:
    """Xinhua's 电头 (新华社北京11月17日电) and the Japanese agency bracket (【6月18日 AFP】)."""
    match = _XINHUA.match(text)
    if match:
        date = f"--{int(match.group('m')):02d}-{int(match.group('d')):02d}"
        return Dateline(match.group("place"), date, "Xinhua", None, match.end())
    match = _JP_AGENCY.match(text)
    if match:
        date = f"--{int(match.group('m')):02d}-{int(match.group('d')):02d}"
        return Dateline(None, date, match.group("agency").strip(), None, match.end())
    return None


_SOURCE_LINE = re.compile(
    r"\s*(?:Source|Источник|Дереккөз|Крыніца|Джерело|Quelle|Fuente|Source)\s*:\s*(?P<source>[^\n]{1,80}?)\s*\Z"
)
_DASH_CREDIT = re.compile(rf"(?:\n|[ \t]){_DASH}[ \t]*(?P<source>[^\n.—–]{{2,40}}?)\.?\s*\Z")
_PRESS_OFFICE = re.compile(r"пресс-служб|баспасөз қызмет|press service|press office", re.IGNORECASE)
_ATTRIBUTION = re.compile(
    r"[,—–]\s*(?:(?:сообщает|сообщают|передает|передаёт|информирует)\s+(?P<ru>[^.,\n«»]{3,80})"
    r"|деп\s+(?:хабарлайды|жазады)\s+(?P<kk>[^.,\n«»]{3,80}))\.\s*\Z"
)

_TRAILER_REACH = 600


def parse_trailer(body: str, table: AgencyTable) -> tuple[str | None, int]:
    """The source a story credits at its end, and where the body ends.

    ``Source: BELTA`` and a closing ``— Sputnik`` are lines about the story and are cut; a final
    ``..., сообщает пресс-служба Акорды.`` is part of a sentence, so it names the source and the
    sentence stays.
    """
    # Each pattern ends the text (\Z) in under 200 characters: searched from the last few hundred,
    # not tried at every position of a long story.
    tail = max(0, len(body) - _TRAILER_REACH)
    line = _SOURCE_LINE.search(body, tail)
    if line:
        raw = line.group("source").strip()
        known = table.find(raw)
        return (known.name if known else raw), line.start()
    credit = _DASH_CREDIT.search(body, tail)
    if credit and (known := table.find(credit.group("source"))):
        return known.name, credit.start()
    said = _ATTRIBUTION.search(body, tail)
    if said:
        # Only an office that issues the news (a press service) or an agency: "сообщает издание
        # ABC Color" cites a newspaper inside the story and is no source line.
        raw = (said.group("ru") or said.group("kk")).strip()
        known = table.find(raw)
        if known or _PRESS_OFFICE.search(raw):
            return (known.name if known else raw), len(body)
    return None, len(body)
