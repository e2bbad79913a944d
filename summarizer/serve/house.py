"""What the desk gives the house memory, and what the review page shows of it.

``approved`` is the one call the approve handler makes (``pages.approve``): an approved
translation is aligned and its paragraphs stored with the editor's name and the time (origin
``desk``), and the names it renders are proposed for the glossary. ``context`` is what the
review page's house section shows: the paragraphs that came from the memory (who approved them,
when), how much of this source the memory holds, glossary proposals from this document, and
every finding an editor may dismiss or has dismissed.

Nothing here imports the pages (``memory_pages.py`` has the routes and imports both).
"""

from __future__ import annotations

from typing import Any

from ..memory.align import Misaligned, align
from ..memory.recall import recall
from ..memory.store import HouseMemory
from ..memory.terms import candidates, proposals, propose
from ..text.articles import split_paragraphs
from .desk import Desk, DeskError
from .store import Doc

__all__ = ["approved", "context", "memory_of", "outlet_of", "pair_of"]


def memory_of(desk: Desk) -> HouseMemory:
    if desk.memory is None:
        raise DeskError(503, "the desk is starting; try again in a moment")
    return desk.memory


def pair_of(doc: Doc) -> tuple[str, str]:
    params = doc.params
    return str(params.get("source_lang") or "en"), str(params.get("lang") or params.get("to") or "ru")


def outlet_of(doc: Doc) -> str:
    outlet = str(doc.params.get("outlet") or "")
    return "" if outlet == "default" else outlet


def approved(desk: Desk, doc: Doc, text: str, editor: str) -> None:
    """An approval's lesson: its units stored, its names proposed. A pair whose paragraphs do not
    line up stores nothing (the review page says so, from ``context``)."""
    if doc.kind != "translation" or desk.memory is None:
        return
    source_lang, target_lang = pair_of(doc)
    try:
        desk.memory.add_pair(doc.source, text, source_lang=source_lang, target_lang=target_lang,
                             outlet=outlet_of(doc), approver=editor, origin="desk")  # fmt: skip
    except Misaligned:
        return
    propose(desk.memory, doc.source, text, source_lang=source_lang, target_lang=target_lang)


def context(desk: Desk, doc: Doc, approved_text: str | None) -> dict[str, Any]:
    """The review page's house section (empty for what is not a finished translation);
    ``approved_text`` is the text as last approved, in the script the memory stores (Cyrillic)."""
    if doc.kind != "translation" or desk.memory is None or doc.result is None:
        return {}
    memory = desk.memory
    source_lang, target_lang = pair_of(doc)
    found = recall(memory, source_lang=source_lang, target_lang=target_lang, outlet=outlet_of(doc))
    paragraphs = split_paragraphs(doc.source)
    held = sum(1 for p in paragraphs if found.exact(p) is not None)
    note = ""
    if approved_text is not None:
        try:
            align(doc.source, approved_text)
        except Misaligned as exc:
            note = str(exc)
    names = (
        set(candidates(doc.source, approved_text, source_lang=source_lang, target_lang=target_lang))
        if approved_text
        else set()
    )
    proposed = [p for p in proposals(memory, status=None) if (p.source_form, p.target_form) in names
                and (p.source_lang, p.target_lang) == (source_lang, target_lang)]  # fmt: skip
    return {
        "reused": list(doc.result.get("from_memory") or []),
        "held": held,
        "paragraphs": len(paragraphs),
        "note": note,
        "proposed": proposed,
        "findings": _findings(doc.checks),
        "pair": f"{source_lang}->{target_lang}",
        "outlet": outlet_of(doc),
    }


def _findings(checks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each finding an editor may dismiss (an error or a warning), and each already dismissed."""
    out = []
    for check in checks:
        for finding in check.get("findings") or []:
            dismissed = finding.get("severity") == "info" and "(dismissed by " in str(finding.get("message", ""))
            if finding.get("severity") in ("error", "warning") or dismissed:
                out.append({"check": check["name"], "dismissed": dismissed, **finding})
    return out
