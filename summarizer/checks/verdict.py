"""A check's verdict: the value every check returns, made of findings.

A check looks at a judged text (a translation, a summary) and reports what it found as
``Finding`` values: what kind of fault, how grave (``error``: must not go out as it is;
``warning``: look first; ``info``: for the record), a short message, where it is in the judged
text and, where there is one, in the source, and the expected and found values (the missing
number, the house spelling, the Latin word). A check passes when none of its findings is an
``error``. ``detail`` is the one-line sentence for people, rendered from the findings by the check
that made them; nothing reads it back: the pages, the reports and the API read the findings.

``out.CheckOut`` is how a verdict crosses a boundary (the CLI's ``--json``, ``report.json``, the
desk). Apart, so that a check does not pay for pydantic: ``summarise`` of a cached article stays
light.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["SEVERITIES", "Check", "Finding", "Severity", "failed", "verdict_line", "warned"]

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
Span = tuple[int, int]


@dataclass(frozen=True)
class Finding:
    """One thing a check found. Spans are (start, end) character offsets; None when the fault
    is the text as a whole (too long, a paragraph missing) or the place cannot be named."""

    kind: str  # e.g. "missing_number", "latin_word", "glossary_term", "cut_off"
    severity: Severity
    message: str
    span: Span | None = None  # in the judged text
    source_span: Span | None = None  # in the source article, where the fault has a counterpart
    expected: str | None = None  # what the source or the house style wants
    found: str | None = None  # what the judged text has instead

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "severity": self.severity, "message": self.message}
        for name in ("span", "source_span"):
            value = getattr(self, name)
            out[name] = list(value) if value is not None else None
        out["expected"], out["found"] = self.expected, self.found
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        def span(value: Any) -> Span | None:
            return (int(value[0]), int(value[1])) if value else None

        severity = data.get("severity", "error")
        return cls(
            kind=str(data.get("kind", "")),
            severity=severity if severity in SEVERITIES else "error",
            message=str(data.get("message", "")),
            span=span(data.get("span")),
            source_span=span(data.get("source_span")),
            expected=data.get("expected"),
            found=data.get("found"),
        )


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str
    # Where the faults are in the judged text: the spans of the error findings. Given directly
    # by a check that has no more to say than where; then each span becomes one finding.
    spans: tuple[Span, ...] = field(default=(), compare=False)
    findings: tuple[Finding, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        # Every failed check has findings, so a consumer never has to read ``detail``: a check
        # that only says where (or not even that) gets one error finding per span (or one).
        if not self.findings and not self.passed:
            made = tuple(Finding(self.name, "error", self.detail, span=s) for s in self.spans) or (
                Finding(self.name, "error", self.detail),
            )
            object.__setattr__(self, "findings", made)
        if self.findings and not self.spans:
            spans = tuple(f.span for f in self.findings if f.span is not None and f.severity == "error")
            object.__setattr__(self, "spans", spans)

    @classmethod
    def of(cls, name: str, findings: Iterable[Finding], *, ok: str, detail: str | None = None) -> Check:
        """A verdict from findings: passed when none is an error; ``ok`` is the detail then (with
        the warnings' messages after it, so that a passed check never hides what to look at),
        else ``detail`` (or the findings' messages, joined)."""
        found = tuple(findings)
        passed = not any(f.severity == "error" for f in found)
        if passed:
            warnings = [f.message for f in found if f.severity == "warning"]
            return cls(name, True, ok + ("; look: " + _joined(warnings) if warnings else ""), findings=found)
        text = detail if detail is not None else _joined([f.message for f in found if f.severity == "error"])
        return cls(name, False, text, findings=found)

    @property
    def severity(self) -> Severity | None:
        """The gravest finding's severity; None for a check with nothing to say."""
        return next((s for s in SEVERITIES if any(f.severity == s for f in self.findings)), None)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """What to look at before publishing: findings that do not fail the check."""
        return tuple(f for f in self.findings if f.severity == "warning")

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "passed": self.passed, "detail": self.detail}
        if self.spans:
            out["spans"] = [list(span) for span in self.spans]
        if self.findings:
            out["findings"] = [f.as_dict() for f in self.findings]
            out["severity"] = self.severity
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Check:
        spans = tuple((int(a), int(b)) for a, b in data.get("spans") or ())
        findings = tuple(Finding.from_dict(f) for f in data.get("findings") or ())
        return cls(str(data["name"]), bool(data["passed"]), str(data.get("detail", "")), spans, findings)


def _joined(messages: list[str], limit: int = 12) -> str:
    """One readable line: a long article can lose dozens of figures."""
    shown = "; ".join(messages[:limit])
    return shown + (f" and {len(messages) - limit} more" if len(messages) > limit else "")


def failed(checks: Iterable[Check]) -> list[Check]:
    return [c for c in checks if not c.passed]


def warned(checks: Iterable[Check]) -> list[Check]:
    """The checks that passed but ask for a look: warnings only, no error."""
    return [c for c in checks if c.passed and c.warnings]


def verdict_line(checks: Iterable[Check]) -> str:
    """The one-line verdict every page and the CLI print: errors decide "failed", and warnings
    are counted either way ("All 10 checks passed, 1 warning"), so a green line never hides one."""
    checks = list(checks)
    bad = failed(checks)
    count = sum(len(c.warnings) for c in checks)
    line = f"{len(bad)} of {len(checks)} checks failed" if bad else f"All {len(checks)} checks passed"
    return line + (f", {count} warning{'s' if count != 1 else ''}" if count else "")
