"""Regional outlets: who gets what, in which language and script. A TOML file, checked with pydantic.

::

    [[outlet]]
    name = "kazinform-kk"          # a folder name: letters, digits, '-', '_'
    language = "kk"                 # en | ru | kk
    script = "latn"                 # cyrl (default) | latn (Kazakh only: the 2021 Latin alphabet)
    summary_length = "short"        # headline | short | medium | bullets
    glossary = "glossary.csv"       # relative to this file; for tasks that use one
    tasks = ["summary", "summary:en"]

Every outlet gets its own folder of outputs. Without a file the batch has one outlet, ``default``
(English, short summaries). A mistake in the file is a usage error naming the file and the field.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import UsageError
from ..tasks.choices import LENGTHS
from ..output.tasks import TaskName, TaskParams, parse_task
from ..text.glossary import load_glossary

__all__ = ["DEFAULT_OUTLET", "Outlet", "load_outlets"]


class Outlet(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
    language: Literal["en", "ru", "kk"] = "en"
    script: Literal["cyrl", "latn"] = "cyrl"
    summary_length: str = "short"
    glossary: Path | None = None
    tasks: tuple[str, ...] = ("summary",)
    fallback: Literal["lead", "none"] = "lead"  # a summary that failed its checks: the article's lead instead

    @field_validator("summary_length")
    @classmethod
    def _known_length(cls, value: str) -> str:
        if value not in LENGTHS:
            raise ValueError(f"must be one of {', '.join(LENGTHS)}")
        return value

    @field_validator("tasks")
    @classmethod
    def _known_tasks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("list at least one task")
        for task in value:
            try:
                parse_task(task)
            except UsageError as exc:  # pydantic reports ValueErrors with the field's location
                raise ValueError(str(exc)) from None
        return value

    @model_validator(mode="after")
    def _latin_is_kazakh(self) -> Outlet:
        if self.script == "latn" and self.language != "kk":
            raise ValueError("script 'latn' is for Kazakh only (language = 'kk')")
        return self

    def params(self) -> TaskParams:
        """What the outlet tells every task (the glossary parsed once, however many jobs use it)."""
        return TaskParams(
            lang=self.language,
            script=self.script,
            length=self.summary_length,
            glossary=load_glossary(self.glossary) if self.glossary else None,
            outlet=self.name,
            fallback=self.fallback,
        )

    def task_names(self, override: tuple[str, ...] | None = None) -> list[TaskName]:
        """The outlet's tasks (``--tasks`` on the command line replaces them), each checked against it."""
        try:
            names = [parse_task(t) for t in (override or self.tasks)]
            base = TaskParams(lang=self.language)
            for name in names:
                name.params(base)  # e.g. "translate" for an English outlet
        except UsageError as exc:
            raise UsageError(f"outlet {self.name!r}: {exc}") from None
        return names


DEFAULT_OUTLET = Outlet(name="default")


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outlet: list[Outlet] = Field(min_length=1)


def load_outlets(path: Path) -> tuple[Outlet, ...]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"outlets file {path}: no such file") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"outlets file {path}: {exc}") from None
    try:
        parsed = _File.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise UsageError(
            f"outlets file {path}: {where}: {first['msg']} (expected [[outlet]] tables; see README)"
        ) from None
    names = [o.name for o in parsed.outlet]
    if len(set(names)) != len(names):
        raise UsageError(f"outlets file {path}: outlet names must be unique (each is a folder)")
    outlets = []
    for outlet in parsed.outlet:
        glossary = outlet.glossary
        if glossary is not None:
            glossary = glossary if glossary.is_absolute() else path.parent / glossary
            if not glossary.is_file():
                raise UsageError(f"outlets file {path}: outlet {outlet.name!r}: glossary {glossary} is not a file")
        outlets.append(outlet.model_copy(update={"glossary": glossary}))
    return tuple(outlets)
