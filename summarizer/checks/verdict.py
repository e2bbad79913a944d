"""A check's verdict: the value every check returns, and its one JSON shape.

``Check`` is what the checks produce inside the library; ``out.CheckOut`` is how a verdict
crosses a boundary (the CLI's ``--json``, ``report.json``). One definition of each, so that the
CLI, the batch report and the desk print the same fields. (Apart, so that a check does not pay
for pydantic: ``summarise`` of a cached article stays light.)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Check", "failed"]


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str
    # Where the fault is, as (start, end) character offsets into the judged text (the translation
    # or the summary), for a check that can say: the Latin word, the mangled name, the invented
    # figure. Reports and the desk mark them. Left out of equality; in ``as_dict`` only when there
    # are some, so every existing ledger row stays exactly as it was.
    spans: tuple[tuple[int, int], ...] = field(default=(), compare=False)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "passed": self.passed, "detail": self.detail}
        if self.spans:
            out["spans"] = [list(span) for span in self.spans]
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Check:
        spans = tuple((int(a), int(b)) for a, b in data.get("spans") or ())
        return cls(str(data["name"]), bool(data["passed"]), str(data.get("detail", "")), spans)


def failed(checks: Iterable[Check]) -> list[Check]:
    return [c for c in checks if not c.passed]
