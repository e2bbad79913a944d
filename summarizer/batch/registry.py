"""The tasks a batch can run, one registry entry each: how to ask the model, how to write the answer.

A task is named on the command line as ``NAME`` or ``NAME:LANG`` (``summary``, ``summary:ru``,
``translate:kk``). Its entry gives a function that returns the task's steps generator for one
article (see ``llm/steps.py``: the same generator the single-article commands drive) and a function
that turns the finished result into what the batch writes and reports. So adding a task to the
batch is adding one entry here; nothing in ``jobs.py`` or ``run.py`` knows what a summary is.

Without a ``:LANG`` a task uses its outlet's language (see ``outlets.py``); Kazakh for an outlet
whose script is ``latn`` is transliterated deterministically from the Cyrillic the model wrote
(``text/translit.py``), and the checks run on the Cyrillic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..checks.verdict import Check
from ..errors import UsageError
from ..llm.chat import ModelInfo, Usage
from ..llm.steps import Steps
from ..tasks.choices import LANGUAGES, TARGETS
from ..tasks.summarise import Summary, summarise_steps
from ..tasks.translate import Translation, translate_steps
from ..text.articles import Article
from ..text.glossary import load_glossary
from ..text.translit import to_latin

if TYPE_CHECKING:
    from ..facts.extract import Facts

__all__ = ["REGISTRY", "TaskContext", "TaskOutput", "TaskSpec", "TaskName", "parse_task"]


@dataclass(frozen=True)
class TaskContext:
    """What the outlet (and the task's ``:LANG``) says about how to run a task."""

    language: str = "en"
    script: str = "cyrl"  # only Kazakh has a choice: "cyrl" or "latn"
    length: str = "short"
    glossary: Path | None = None


@dataclass(frozen=True)
class TaskOutput:
    """A finished task, as the batch writes it (``content`` into ``<id>.<task><suffix>``) and reports it."""

    content: str
    suffix: str
    checks: tuple[Check, ...]
    usage: Usage
    cached: bool
    calls: int
    model: str


@dataclass(frozen=True)
class TaskSpec:
    name: str
    steps: Callable[[Article, ModelInfo, TaskContext], Steps[Any]]
    output: Callable[[Any, TaskContext], TaskOutput]
    languages: tuple[str, ...]
    help: str


@dataclass(frozen=True)
class TaskName:
    """A parsed ``NAME[:LANG]``; ``slug`` names its output files (no colon: some file systems refuse it)."""

    spec: TaskSpec
    lang: str | None = None

    @property
    def label(self) -> str:
        return f"{self.spec.name}:{self.lang}" if self.lang else self.spec.name

    @property
    def slug(self) -> str:
        return f"{self.spec.name}-{self.lang}" if self.lang else self.spec.name

    def context(self, base: TaskContext) -> TaskContext:
        language = self.lang or base.language
        if language not in self.spec.languages:
            raise UsageError(
                f"task {self.spec.name!r} cannot produce {language!r}; "
                f"use {', '.join(f'{self.spec.name}:{lang}' for lang in self.spec.languages)}"
            )
        return TaskContext(language=language, script=base.script, length=base.length, glossary=base.glossary)


def _summary_output(summary: Summary, ctx: TaskContext) -> TaskOutput:
    # A translation arrives in its script already; a summary is transliterated here.
    text = to_latin(summary.text) if ctx.language == "kk" and ctx.script == "latn" else summary.text
    return _text_output(text, summary)


def _translation_output(translation: Translation, ctx: TaskContext) -> TaskOutput:
    return _text_output(translation.text, translation)


def _text_output(text: str, result: Summary | Translation) -> TaskOutput:
    return TaskOutput(
        content=text.rstrip() + "\n",
        suffix=".txt",
        checks=result.checks,
        usage=result.usage,
        cached=result.cached,
        calls=result.calls,
        model=result.model,
    )


def _facts_steps(article: Article, llm: ModelInfo, ctx: TaskContext) -> Steps[Any]:
    # Imported here: the facts schema is 28 pydantic models, 0.15 s a batch without facts never needs.
    from ..facts.extract import facts_steps

    return facts_steps(article, llm, lang=ctx.language, glossary=load_glossary(ctx.glossary) if ctx.glossary else None)


def _facts_output(facts: Facts, ctx: TaskContext) -> TaskOutput:
    from ..facts.extract import KINDS

    found = sum(len(getattr(facts, kind)) for kind in KINDS)
    check = Check("facts_found", found > 0, f"{found} facts pinned to the article, {len(facts.dropped)} dropped")
    return TaskOutput(
        content=facts.to_model().model_dump_json(indent=2) + "\n",
        suffix=".json",
        checks=(check,),
        usage=facts.usage,
        cached=facts.cached,
        calls=facts.calls,
        model=facts.model,
    )


REGISTRY: dict[str, TaskSpec] = {
    "summary": TaskSpec(
        name="summary",
        steps=lambda article, llm, ctx: summarise_steps(article, llm, lang=ctx.language, length=ctx.length),
        output=_summary_output,
        languages=tuple(LANGUAGES),
        help="a summary in the outlet's language and length (summary:ru, summary:kk to choose)",
    ),
    "translate": TaskSpec(
        name="translate",
        steps=lambda article, llm, ctx: translate_steps(
            article,
            llm,
            lang=ctx.language,
            script=ctx.script,
            glossary=load_glossary(ctx.glossary) if ctx.glossary else None,
        ),
        output=_translation_output,
        languages=TARGETS,
        help="a full translation (translate:ru, translate:kk; Kazakh Latin when the outlet's script is latn)",
    ),
    "facts": TaskSpec(
        name="facts",
        steps=_facts_steps,
        output=_facts_output,
        languages=tuple(LANGUAGES),
        help="facts pinned to their spans of the article, as JSON (facts:ru for names and roles in Russian)",
    ),
}


def parse_task(text: str) -> TaskName:
    """``summary``, ``summary:ru`` -> a ``TaskName``; anything else is a usage error (exit 2)."""
    name, _, lang = text.strip().partition(":")
    spec = REGISTRY.get(name)
    if spec is None:
        known = ", ".join(sorted(REGISTRY))
        raise UsageError(f"unknown task {text!r}; this build knows: {known} (with :LANG, e.g. summary:ru)")
    if lang and lang not in spec.languages:
        raise UsageError(f"task {name!r} has no language {lang!r}; choose one of {', '.join(spec.languages)}")
    return TaskName(spec, lang or None)
