"""A judged text as HTML with its failing spans marked: ``<mark title="check: detail">``.

The editor sees a verdict where the text is: the Latin word, the mangled name, the number the
source does not give. Everything is escaped (the text is a model's, the detail quotes it);
overlapping spans are merged; spans that do not fit the text (a report read back against
other text) are ignored rather than misplaced.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

from .verdict import Check

__all__ = ["marked", "spans_of"]


def spans_of(checks: Iterable[Check], length: int) -> list[tuple[int, int, str]]:
    """(start, end, why) for each failing span inside a text of ``length`` characters, merged."""
    raw = sorted(
        (start, end, f"{c.name}: {c.detail}")
        for c in checks
        if not c.passed
        for start, end in c.spans
        if 0 <= start < end <= length
    )
    merged: list[tuple[int, int, str]] = []
    for start, end, why in raw:
        if merged and start < merged[-1][1]:
            last = merged[-1]
            reasons = last[2] if why in last[2] else f"{last[2]}\n{why}"
            merged[-1] = (last[0], max(last[1], end), reasons)
        else:
            merged.append((start, end, why))
    return merged


def marked(text: str, checks: Iterable[Check]) -> Markup:
    """``text`` escaped, with each failing span of ``checks`` in a ``<mark>`` whose title says why."""
    out: list[str] = []
    position = 0
    for start, end, why in spans_of(checks, len(text)):
        out.append(escape(text[position:start]))
        out.append(Markup('<mark title="{}" style="background:#ffe08a;">{}</mark>').format(why, text[start:end]))
        position = end
    out.append(escape(text[position:]))
    return Markup("").join(out)
