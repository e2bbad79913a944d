"""The approval rules, once: what the review page and ``POST /api/approve`` both call.

``decide`` approves a text, or says why not: approving over a version someone else approved since
the editor's page was loaded is a conflict (the editor's text is kept in the history, both are
handed back to choose from, nothing is silently overwritten); approving a text whose checks fail
with errors needs the editor to confirm it with a reason, which the approval records.
``review_state`` is what the start page and the batch list say of a document.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .store import Approval, Doc, Store

__all__ = ["Approved", "Conflict", "Decision", "NeedsReason", "Refused", "decide", "review_state"]


@dataclass(frozen=True)
class Approved:
    approval: Approval


@dataclass(frozen=True)
class NeedsReason:
    """Checks fail with errors: approving needs the editor to confirm, with a reason."""

    failed: list[str]


@dataclass(frozen=True)
class Conflict:
    """Someone approved another text since the editor's page was loaded: both are kept."""

    theirs: Approval
    mine: Approval


@dataclass(frozen=True)
class Refused:
    message: str


Decision = Approved | NeedsReason | Conflict | Refused


def decide(
    store: Store,
    doc: Doc,
    *,
    text: str,
    published: str,
    editor: str,
    checks: list[dict[str, Any]],
    base: int | None,
    reason: str = "",
) -> Decision:
    """Approve ``text`` (the reviewed text; ``published`` is what goes out) if the rules allow:

    1. an editor's name, and the version the approval was made from (``base``: the id of the
       approved version the page showed, 0 when there was none);
    2. if another version was approved since and its text differs, nothing is approved: the
       editor's text is kept in the history as a conflict, and both are handed back to choose from;
    3. if a check fails with an error, a reason is needed, and is recorded with the approval.
    """
    editor = " ".join(editor.split())[:100]
    if not editor:
        return Refused("say who approves: type your name beside the Approve button")
    if base is None:
        return Refused("this approval does not say which version it was made from; reload the page and approve again")
    text = text.strip()
    latest = store.latest(doc.id)
    if latest is not None and latest.id != base and latest.reviewed.strip() != text:
        mine = store.add_version(doc.id, text=published, reviewed=text, editor=editor, checks=checks, base=base,
                                 state="conflict")  # fmt: skip
        return Conflict(theirs=latest, mine=mine)
    failed = [str(c.get("name")) for c in checks if not c.get("passed", True)]
    reason = " ".join(reason.split())[:500]
    if failed and not reason:
        return NeedsReason(failed)
    approval = store.add_version(doc.id, text=published, reviewed=text, editor=editor, checks=checks, base=base,
                                 reason=reason if failed else "")  # fmt: skip
    return Approved(approval)


def review_state(doc: Doc, latest: Approval | None) -> str:
    """What the start page and the batch list say of a document: ``approved``, ``edited since
    approval`` (the text under review is not the approved one) or ``needs review``."""
    if latest is None:
        return "needs review"
    return "approved" if doc.output.strip() == latest.reviewed.strip() else "edited since approval"
