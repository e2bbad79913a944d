"""The desk's day: a source name that today's translations spell two ways (``checks/consistency.py``).

A translation's page lists the names it spells otherwise than the desk's other translations of the
day into the same language for the same outlet (or than itself elsewhere), with both spellings and
where each is. Read from the store at each view: the day's documents, the editors' drafts
included (the text under review, ``Doc.output``).
"""

from __future__ import annotations

from ..checks.consistency import Document, consistency
from .store import Doc, Store

__all__ = ["spelt_today"]

_DAY_LIMIT = 300  # the most recent documents looked at: a desk's day, not its history


def spelt_today(store: Store, doc: Doc) -> list[str]:
    """One line per name ``doc`` spells two ways across the day's translations; none for other kinds."""
    if doc.kind != "translation" or doc.status != "done":
        return []
    lang, outlet, day = _lang(doc), doc.params.get("outlet", "default"), doc.created[:10]
    today = [
        d
        for d in store.recent(_DAY_LIMIT)
        if d.kind == "translation" and d.status == "done" and d.created[:10] == day
        and _lang(d) == lang and d.params.get("outlet", "default") == outlet and d.output.strip()
    ]  # fmt: skip
    if not any(d.id == doc.id for d in today):
        today.append(doc)
    documents = [
        Document(f"{d.title} [{d.id[:6]}]", d.source, d.output, d.params.get("source_lang", "en"), lang) for d in today
    ]
    mine = next(document.id for document, d in zip(documents, today, strict=True) if d.id == doc.id)
    return list(dict.fromkeys(f.message for f in consistency(documents)[mine].findings))


def _lang(doc: Doc) -> str:
    return str(doc.params.get("lang") or doc.params.get("to") or "")
