"""What a translation finds in the memory: exact matches to reuse, close ones to show the model.

An exact match (``align.key``: whitespace and quotation marks aside) is an approved paragraph:
the translate task uses its translation and sends nothing. A close match, at least
``SIMILAR`` per cent alike by rapidfuzz's ``ratio`` (an edit-distance similarity on the whole
paragraph: the same boilerplate with another name or date in it scores 80-95, an unrelated
paragraph of the same agency 30-50), goes into the prompt as a worked example of the house's
wording. The view is built once per language pair and outlet and read by every paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass

from .align import key
from .store import HouseMemory, Unit

__all__ = ["SIMILAR", "Recall", "Segment", "recall"]

SIMILAR = 75.0
_EXAMPLES = 3  # per article: each costs prompt tokens on every part


@dataclass(frozen=True)
class Recall:
    units: dict[str, Unit]  # by key; an outlet's own unit replaced the house's

    def exact(self, paragraph: str) -> Unit | None:
        return self.units.get(key(paragraph))

    def similar(self, paragraphs: list[str], *, limit: int = _EXAMPLES) -> list[tuple[float, Unit]]:
        """The closest approved units to any of ``paragraphs`` (not exact ones: those are reused),
        best first, each unit once."""
        if not self.units:
            return []
        from rapidfuzz import fuzz, process  # only when there is something to compare with

        keys = list(self.units)
        best: dict[str, float] = {}
        for paragraph in paragraphs:
            wanted = key(paragraph)
            if wanted in self.units:
                continue
            for found, score, _ in process.extract(wanted, keys, scorer=fuzz.ratio, score_cutoff=SIMILAR, limit=limit):
                best[found] = max(score, best.get(found, 0.0))
        ranked = sorted(best.items(), key=lambda item: -item[1])[:limit]
        return [(score, self.units[k]) for k, score in ranked]

    def segments(self, paragraphs: list[str]) -> list[Segment]:
        """The article as runs: each approved paragraph alone (its unit to reuse), and the
        paragraphs between them joined as they are sent to the model."""
        out: list[Segment] = []
        for paragraph in paragraphs:
            unit = self.exact(paragraph)
            if unit is None and out and out[-1].unit is None:
                out[-1] = Segment(out[-1].text + "\n\n" + paragraph, None)
            else:
                out.append(Segment(paragraph, unit))
        return out


@dataclass(frozen=True)
class Segment:
    text: str  # the source paragraph(s)
    unit: Unit | None  # the approved unit that translates it, or None: ask the model


def recall(memory: HouseMemory, *, source_lang: str, target_lang: str, outlet: str = "") -> Recall:
    """The view a translation from ``source_lang`` into ``target_lang`` for ``outlet`` reads."""
    scope = (source_lang, target_lang, outlet)
    return memory.view(("recall", *scope), lambda: Recall({key(u.source): u for u in memory.scope(*scope)}))
