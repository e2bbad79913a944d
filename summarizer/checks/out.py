"""How a check's verdict crosses a boundary: the one JSON shape of ``verdict.Check``."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .verdict import SEVERITIES, Check, Finding, Severity

__all__ = ["CheckOut", "FindingOut"]


class FindingOut(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    kind: str
    severity: Severity
    message: str
    span: tuple[int, int] | None = None  # offsets into the judged text
    source_span: tuple[int, int] | None = None  # offsets into the source article
    expected: str | None = None
    found: str | None = None

    @classmethod
    def of(cls, finding: Finding) -> FindingOut:
        return cls(**finding.as_dict())

    def value(self) -> Finding:
        return Finding.from_dict(self.model_dump())


class CheckOut(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str
    passed: bool
    detail: str = ""
    spans: list[tuple[int, int]] = Field(default_factory=list)  # offsets into the judged text
    findings: list[FindingOut] = Field(default_factory=list)
    # The gravest finding's (None: nothing found): "warning" on a passed check means look first.
    severity: Severity | None = None

    @model_validator(mode="before")
    @classmethod
    def _gravest(cls, data: Any) -> Any:
        """A verdict written before severities were recorded gets its gravest finding's."""
        if isinstance(data, dict) and data.get("severity") is None and data.get("findings"):
            found = {f.get("severity", "error") if isinstance(f, dict) else f.severity for f in data["findings"]}
            data = {**data, "severity": next((s for s in SEVERITIES if s in found), None)}
        return data

    @classmethod
    def of(cls, check: Check) -> CheckOut:
        return cls(
            name=check.name,
            passed=check.passed,
            detail=check.detail,
            spans=list(check.spans),
            findings=[FindingOut.of(f) for f in check.findings],
            severity=check.severity,
        )

    def value(self) -> Check:
        """Back to the library's value (a report read by the desk, a ledger row)."""
        return Check(self.name, self.passed, self.detail, tuple(self.spans), tuple(f.value() for f in self.findings))
