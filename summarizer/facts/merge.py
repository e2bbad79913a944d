"""Fold the facts drafted for the parts of a long article into one list per kind.

A long article is extracted part by part, and the same person turns up in several parts, named
in full once ("Askar Temirbekov") and by surname later ("Temirbekov"). Duplicates fold into one
item: the fullest plain name, the first value given for each field, the earliest evidence, and
the other places it is named in ``mentions`` (each one a grounded span too).

Matching is by name for people, organisations, places and topics (word stems, so Russian and
Kazakh case endings match: "Мусабеков" / "Мусабекова"), and by overlapping evidence for dates,
quotes and figures, which have no name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..text.words import TOKEN, stem
from .schema import Evidence, FactsDraft

__all__ = ["merge", "same_name", "same_person"]

_ARTICLES = {"the", "a", "an"}
_NAMED = ("people", "organisations", "places", "topics")


def _tokens(name: str) -> list[str]:
    return [t.casefold() for t in TOKEN.findall(name) if len(t) > 1 and t.casefold() not in _ARTICLES]


def _same_word(a: str, b: str) -> bool:
    return a == b or a.startswith(stem(b)) or b.startswith(stem(a))


def same_person(a: str, b: str) -> bool:
    """The same surname, and no first name that contradicts: "Temirbekov" is "Askar Temirbekov"."""
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb or not _same_word(ta[-1], tb[-1]):
        return False
    short, long = sorted((ta, tb), key=len)
    return len(short) == 1 or all(any(_same_word(s, w) for w in long) for s in short)


def same_name(a: str, b: str) -> bool:
    """Word for word the same name, allowing case endings and a leading article."""
    ta, tb = _tokens(a), _tokens(b)
    return bool(ta) and len(ta) == len(tb) and all(_same_word(x, y) for x, y in zip(ta, tb, strict=True))


def _overlap(a: Evidence, b: Evidence) -> bool:
    if a.start is None or b.start is None or a.end is None or b.end is None:
        return a.text.casefold() == b.text.casefold()
    return a.start < b.end and b.start < a.end


def _same(kind: str, a: Any, b: Any) -> bool:
    if kind == "people":
        return same_person(a.name, b.name)
    if kind in _NAMED:
        return same_name(a.name, b.name)
    if kind == "quotes":
        return _overlap(a.evidence, b.evidence)
    if kind == "dates":
        return a.date == b.date and (_overlap(a.evidence, b.evidence) or a.what.casefold() == b.what.casefold())
    if kind == "figures":
        return a.value == b.value and (a.unit or "") == (b.unit or "") and _overlap(a.evidence, b.evidence)
    return False


def _plain(name: str) -> tuple[bool, int]:
    # Prefer a name whose words are all capitalised ("Askar Temirbekov", not "the minister
    # Temirbekov"), then the fuller one.
    words = TOKEN.findall(name)
    return all(w[:1].isupper() for w in words), len(words)


def _position(evidence: Evidence) -> tuple[bool, int]:
    return evidence.start is None, evidence.start or 0


def _fold(kind: str, group: list[Any]) -> Any:
    if len(group) == 1:
        return group[0]
    if kind == "quotes":  # the longest span holds the others
        return max(group, key=lambda q: (q.evidence.grounded, len(q.quote)))
    if kind not in _NAMED:
        return min(group, key=lambda item: _position(item.evidence))
    best = max(group, key=lambda item: _plain(item.name))
    ordered = sorted(group, key=lambda item: _position(item.evidence))
    fields: dict[str, Any] = {}
    for name in type(best).model_fields:
        if name in ("name", "evidence", "mentions"):
            continue
        values = [getattr(best, name), *(getattr(item, name) for item in ordered)]
        fields[name] = next((v for v in values if v), getattr(best, name))
    spans = _distinct(e for item in ordered for e in (item.evidence, *getattr(item, "mentions", [])))
    if "mentions" not in type(best).model_fields:  # topics keep one excerpt
        return best.model_copy(update={**fields, "evidence": spans[0]})
    return best.model_copy(update={**fields, "evidence": spans[0], "mentions": spans[1:]})


def _distinct(evidence: Iterable[Evidence]) -> list[Evidence]:
    seen: dict[tuple[Any, ...], Evidence] = {}
    for e in evidence:
        seen.setdefault((e.start, e.end) if e.grounded else (e.text,), e)
    return sorted(seen.values(), key=_position)


def merge(parts: Sequence[dict[str, list[Any]]]) -> dict[str, list[Any]]:
    """One list per kind, duplicates folded, in the order the facts appear in the article."""
    merged: dict[str, list[Any]] = {}
    for kind in FactsDraft.model_fields:
        groups: list[list[Any]] = []
        for part in parts:
            for item in part.get(kind, []):
                home = next((g for g in groups if any(_same(kind, member, item) for member in g)), None)
                if home is None:
                    groups.append([item])
                else:
                    home.append(item)
        folded = [_fold(kind, group) for group in groups]
        merged[kind] = sorted(folded, key=lambda item: _position(item.evidence))
    return merged
