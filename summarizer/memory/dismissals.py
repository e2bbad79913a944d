"""Findings an editor has ruled out, remembered: a dismissal turns a matching finding into ``info``.

A dismissal names a finding by its check, its kind and its expected and found text (never by
its message or its place: the same false alarm in tomorrow's article has other offsets), with a
reason, who dismissed it and when, and a scope:

- ``document``: this article only (its id);
- ``pair``: every translation from this source language into this target language, from now on;
- ``outlet``: every translation for this outlet.

A matching finding keeps its kind, expected and found text and its spans, so that the page
still marks it, but its severity becomes ``info`` and its message says who dismissed it, when
and why; a check whose errors are all dismissed passes. A revoked dismissal stays on record
(``revoked_at``) and matches nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from ..checks.verdict import Check, Finding
from ..errors import UsageError
from .store import HouseMemory, now

__all__ = ["SCOPES", "Dismissal", "dismiss", "dismissals", "dismissed", "revoke"]

SCOPES = ("document", "pair", "outlet")


@dataclass(frozen=True)
class Dismissal:
    id: int
    check: str
    kind: str
    expected: str
    found: str
    scope: str
    document: str
    source_lang: str
    target_lang: str
    outlet: str
    reason: str
    who: str
    at: str
    revoked_at: str = ""

    def matches(self, check: str, finding: Finding, *, document: str, source_lang: str, target_lang: str,
                outlet: str) -> bool:  # fmt: skip
        if self.revoked_at or (check, finding.kind) != (self.check, self.kind):
            return False
        if (finding.expected or "", finding.found or "") != (self.expected, self.found):
            return False
        if self.scope == "document":
            return document == self.document
        if self.scope == "outlet":
            return outlet == self.outlet
        return (source_lang, target_lang) == (self.source_lang, self.target_lang)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def dismiss(
    memory: HouseMemory,
    *,
    check: str,
    kind: str,
    expected: str | None,
    found: str | None,
    scope: str,
    reason: str,
    who: str,
    document: str = "",
    source_lang: str = "",
    target_lang: str = "",
    outlet: str = "",
) -> int:
    """Remember a dismissal; returns its id. A reason and a name are required: a dismissal
    nobody can explain later is a hidden failure."""
    if scope not in SCOPES:
        raise UsageError(f"unknown scope {scope!r}; choose one of {', '.join(SCOPES)}")
    if not reason.strip() or not who.strip():
        raise UsageError("say who dismisses it and why: a dismissal needs a name and a reason")
    needed = {"document": document, "pair": source_lang and target_lang, "outlet": outlet}[scope]
    if not needed:
        raise UsageError(f"a dismissal for this {scope} needs its {scope} named")
    with memory.tx() as db:
        cursor = db.execute(
            "INSERT INTO dismissals (check_name, kind, expected, found, scope, document, source_lang, target_lang,"
            " outlet, reason, who, at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (check, kind, expected or "", found or "", scope, document, source_lang, target_lang, outlet,
             reason.strip()[:500], who.strip()[:100], now()),  # fmt: skip
        )
    return int(cursor.lastrowid or 0)


def dismissals(memory: HouseMemory, *, revoked: bool = False) -> list[Dismissal]:
    where = "" if revoked else " WHERE revoked_at = ''"
    rows = memory.rows(
        "SELECT id, check_name, kind, expected, found, scope, document, source_lang, target_lang, outlet, reason,"
        f" who, at, revoked_at FROM dismissals{where} ORDER BY id"
    )
    return [Dismissal(*row) for row in rows]


def revoke(memory: HouseMemory, dismissal_id: int) -> None:
    with memory.tx() as db:
        done = db.execute("UPDATE dismissals SET revoked_at=? WHERE id=? AND revoked_at=''", (now(), dismissal_id))
    if not done.rowcount:
        raise UsageError(f"no dismissal {dismissal_id} in force; `summarizer memory dismissals` lists them")


def dismissed(
    checks: Iterable[Check],
    memory: HouseMemory,
    *,
    document: str,
    source_lang: str,
    target_lang: str,
    outlet: str = "",
) -> tuple[Check, ...]:
    """The checks with every finding a dismissal in force matches turned into ``info``."""
    checks = tuple(checks)
    rules = dismissals(memory)
    if not rules:
        return checks
    out = []
    for check in checks:
        findings, changed = [], False
        for finding in check.findings:
            rule = next((r for r in rules if finding.severity != "info" and r.matches(
                check.name, finding, document=document, source_lang=source_lang, target_lang=target_lang,
                outlet=outlet)), None)  # fmt: skip
            if rule is not None:
                changed = True
                finding = replace(finding, severity="info", message=f"{finding.message} (dismissed by {rule.who}, "
                                  f"{rule.at[:10]}: {rule.reason})")  # fmt: skip
            findings.append(finding)
        out.append(_rejudged(check, findings) if changed else check)
    return tuple(out)


def _rejudged(check: Check, findings: list[Finding]) -> Check:
    errors = [f.message for f in findings if f.severity == "error"]
    if errors:
        return Check(check.name, False, check.detail, findings=tuple(findings))
    ruled = "; ".join(f.message for f in findings if f.severity == "info" and "(dismissed by " in f.message)
    return Check(check.name, True, f"passed: what it found was dismissed: {ruled}", findings=tuple(findings))
