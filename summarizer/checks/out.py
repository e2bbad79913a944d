"""How a check's verdict crosses a boundary: the one JSON shape of ``verdict.Check``."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from .verdict import Check

__all__ = ["CheckOut"]


class CheckOut(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str
    passed: bool
    detail: str

    @classmethod
    def of(cls, check: Check) -> CheckOut:
        return cls(name=check.name, passed=check.passed, detail=check.detail)
