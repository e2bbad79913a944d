"""Marks on a text from the checks' findings: the one place that turns spans into marked text.

The editor sees a verdict where the text is: the Latin word, the mangled name, the number the
source gives and the translation lost. A ``Mark`` is a span with a kind and a label; a text (or
one paragraph of it) is cut at its marks into ``Piece``s, plain or marked. Batch pages print the
pieces as HTML (``marked``); the desk's templates print them with autoescape. Either way a mark
never carries markup of its own: the text is a model's, the label quotes it.

Marks come from findings only (``Finding.span`` on the judged text, ``Finding.source_span`` on
the source), never from a check's ``detail``. A span that does not fit the text (a report read
back against other text) is dropped rather than misplaced.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from markupsafe import Markup, escape

from .verdict import Check

__all__ = ["Mark", "Piece", "finding_marks", "layers", "marked", "merged", "pieces"]

Side = Literal["judged", "source"]


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    kind: str  # fault | warning | term | missing | evidence
    label: str  # why: the check's name (and the finding's message), the term, or the fact's id


@dataclass(frozen=True)
class Piece:
    text: str
    mark: Mark | None = None
    labels: tuple[str, ...] = ()  # every mark covering this piece (facts' evidence may overlap)


def finding_marks(
    checks: Iterable[Check], length: int, *, side: Side = "judged", kind: str = "fault", why: bool = True
) -> list[Mark]:
    """A mark for each error or warning finding of ``checks`` with a span on ``side`` (the judged
    text or the source) inside a text of ``length`` characters. The label is the check's name
    and, with ``why``, the finding's message. A warning is marked as ``warning`` on either side,
    in its own colour: something to look at, not a fault."""
    out = []
    for check in checks:
        for finding in check.findings:
            span = finding.span if side == "judged" else finding.source_span
            if finding.severity == "info" or span is None or not 0 <= span[0] < span[1] <= length:
                continue
            shown = "warning" if finding.severity == "warning" else kind
            out.append(Mark(span[0], span[1], shown, f"{check.name}: {finding.message}" if why else check.name))
    return out


def merged(marks: Iterable[Mark]) -> list[Mark]:
    """Overlapping marks as one, labelled with every reason (once each), in text order; a fault
    over a warning makes the whole a fault."""
    out: list[Mark] = []
    for mark in sorted(marks, key=lambda m: (m.start, m.end)):
        if out and mark.start < out[-1].end:
            last = out[-1]
            label = last.label if mark.label in last.label.split("\n") else f"{last.label}\n{mark.label}"
            kind = mark.kind if last.kind == "warning" else last.kind
            out[-1] = Mark(last.start, max(last.end, mark.end), kind, label)
        else:
            out.append(mark)
    return out


def pieces(text: str, span: tuple[int, int], marks: Sequence[Mark]) -> list[Piece]:
    """``text[span]`` cut at the marks that fall in it; where marks overlap the first one wins."""
    start, end = span
    out: list[Piece] = []
    at = start
    for mark in sorted(marks, key=lambda m: (m.start, -m.end)):
        s, e = max(mark.start, at), min(mark.end, end)
        if e <= s:
            continue
        if s > at:
            out.append(Piece(text[at:s]))
        out.append(Piece(text[s:e], mark))
        at = e
    if at < end:
        out.append(Piece(text[at:end]))
    return out


def layers(text: str, span: tuple[int, int], marks: Sequence[Mark]) -> list[Piece]:
    """Like ``pieces``, but overlapping marks all count: each piece lists every mark over it, so a
    click on any fact can light its whole evidence even where two quotes share words."""
    start, end = span
    inside = [m for m in marks if m.end > start and m.start < end]
    cuts = sorted({start, end, *(max(start, m.start) for m in inside), *(min(end, m.end) for m in inside)})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        over = [m for m in inside if m.start <= a and m.end >= b]
        out.append(Piece(text[a:b], over[0] if over else None, tuple(m.label for m in over)))
    return out


_COLOURS = {"fault": "#ffc9d2", "warning": "#fff1a8"}


def marked(text: str, checks: Iterable[Check]) -> Markup:
    """``text`` escaped, with each error or warning finding of ``checks`` in a ``<mark>`` whose title
    says why: a fault in red, a warning in yellow (inline styles: mail clients drop style sheets)."""
    cut = pieces(text, (0, len(text)), merged(finding_marks(checks, len(text))))
    return Markup("").join(
        Markup('<mark title="{}" style="background:{};" class="{}">{}</mark>').format(
            p.mark.label, _COLOURS.get(p.mark.kind, _COLOURS["fault"]), p.mark.kind, p.text
        )
        if p.mark
        else escape(p.text)
        for p in cut
    )
