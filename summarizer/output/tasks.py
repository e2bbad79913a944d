"""Every task, declared once: its name, its parameters, its steps, its result and that result's shapes.

The command line's subcommands and options (``cli/arguments.py``), the batch's task names
(``summary:ru``, ``translate:kk``), the desk's form and the JSON API's routes all read ``TASKS``.
A task is:

- ``params``: which of the one ``TaskParams`` value's fields it reads, with their choices and
  defaults (``Param``): a CLI option, a form field and a JSON field at once;
- ``steps``: the step generator that asks the model (``llm/steps.py``), imported when first run so
  that ``--help`` and a cached ``summarise`` do not load the other tasks;
- ``shape``: the pydantic model ``--json`` prints and the API answers, ``text``: what the CLI
  prints without ``--json``, ``checks``: the result's verdicts, ``written``: what a batch writes.

Adding a task is one entry here (and its template in ``prompts/`` when it asks something new):
see ``headline``, which reuses the summary's steps and prompt.
The checks are the one task that asks no model: ``check_text`` judges a text against its source,
for the CLI's ``check``, the desk's re-check and approval, and ``POST /api/check``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from ..tasks.choices import LANGUAGES, LENGTHS, SCRIPTS, TARGETS

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ..checks.verdict import Check
    from ..llm.chat import Made, ModelInfo
    from ..llm.steps import Steps
    from ..memory.store import HouseMemory
    from ..text.articles import Article
    from ..text.glossary import Glossary

__all__ = ["CHECK_KINDS", "TASKS", "Param", "TaskName", "TaskParams", "TaskSpec", "Written", "check_text", "parse_task", "task"]


@dataclass(frozen=True)
class TaskParams:
    """One validated value of everything a task may be told (each task reads the fields it declares)."""

    lang: str | None = None  # None: the task's own default (facts: the article's language)
    length: str = "short"
    script: str = "cyrl"  # only Kazakh has a choice: "cyrl" or "latn"
    glossary: Glossary | None = field(default=None, compare=False)
    outlet: str = "default"
    fallback: str = "lead"  # a summary that failed its checks: "lead" writes the article's lead instead
    memory: HouseMemory | None = field(default=None, compare=False)  # None: --no-memory, or none yet

    def to_json(self) -> dict[str, Any]:
        """What a job records, so that the desk can reopen it exactly (the glossary by its file)."""
        return {
            "lang": self.lang,
            "length": self.length,
            "script": self.script,
            "glossary": self.glossary.path if self.glossary is not None else None,
            "outlet": self.outlet,
            "fallback": self.fallback,
        }


@dataclass(frozen=True)
class Param:
    """One parameter: the ``TaskParams`` field it sets, and its name on the command line, in a form
    and in JSON (``key``; translate's language is ``to``)."""

    attr: str
    key: str
    choices: tuple[str, ...]
    help: str
    default: str | None = None  # None: the article's own (facts' language), or required
    required: bool = False

    @property
    def flag(self) -> str:
        return f"--{self.key}"

    def read(self, value: Any) -> str | None:
        if value is None or value == "":
            if self.required:
                raise UsageError(f"say which {self.help}: {self.key} is one of {', '.join(self.choices)}")
            return self.default
        if not isinstance(value, str) or value not in self.choices:  # a JSON body's 5 is a wrong type
            wrong = f"unknown {self.key} {value!r}" if isinstance(value, str) else f"{self.key} must be a string"
            raise UsageError(f"{wrong}; choose one of {', '.join(self.choices)}")
        return value


@dataclass(frozen=True)
class Written:
    """A finished task as a batch writes it: ``content`` into ``<id>.<task><suffix>``."""

    content: str
    suffix: str
    # The text the checks judged, when it is not ``content`` as written: a summary replaced by the
    # article's lead (``fallback`` says so), or Kazakh transliterated to Latin. Pages mark it.
    judged: str | None = None
    fallback: str | None = None
    note: str | None = None  # a line the page shows above the text: paragraphs from the house memory


@dataclass(frozen=True)
class TaskSpec:
    name: str  # as the batch names it: summary, translate, facts, headline
    command: str  # the CLI subcommand and the API route: summarise, translate, facts, headline
    help: str
    params: tuple[Param, ...]
    languages: tuple[str, ...]  # what ``NAME:LANG`` may ask for
    kind: str  # the desk's document kind: summary, translation, facts
    steps: Callable[[Article, ModelInfo, TaskParams], Steps[Any]]
    shape: Callable[[Any], BaseModel]
    text: Callable[[Any], str]
    checks: Callable[[Any], tuple[Check, ...]]
    made: Callable[[Any], Made]
    written: Callable[[Any, TaskParams], Written]
    source: Callable[[Article], str]  # the text the desk shows beside the result
    aliases: tuple[str, ...] = ()
    uses_glossary: bool = False  # house spellings: a CSV file on the command line, its text in the desk

    def read(self, get: Callable[[str], Any], *, base: TaskParams | None = None) -> TaskParams:
        """The task's parameters from a form, a JSON body or parsed arguments (``get(key)``),
        validated; fields the task does not read keep ``base``'s values."""
        values = {p.attr: p.read(get(p.key)) for p in self.params}
        return replace(base or TaskParams(), **{k: v for k, v in values.items() if v is not None})

    def run_steps(self, article: Article, llm: ModelInfo, params: TaskParams) -> Steps[Any]:
        return self.steps(article, llm, params)


# -- the tasks' pieces: imported when a task first runs ----------------------------------------


def _summary_steps(article: Article, llm: ModelInfo, p: TaskParams) -> Steps[Any]:
    from ..tasks.summarise import summarise_steps

    return summarise_steps(article, llm, lang=p.lang or "en", length=p.length)


def _headline_steps(article: Article, llm: ModelInfo, p: TaskParams) -> Steps[Any]:
    from ..tasks.summarise import summarise_steps

    # The very request the digest makes for an item's headline: they share cache entries.
    return summarise_steps(article, llm, lang=p.lang or "en", length="headline")


def _translate_steps(article: Article, llm: ModelInfo, p: TaskParams) -> Steps[Any]:
    from ..tasks.translate import translate_steps

    outlet = "" if p.outlet == "default" else p.outlet  # the memory's "" is the whole house
    return translate_steps(article, llm, lang=p.lang or "", script=p.script, glossary=p.glossary, memory=p.memory,
                           outlet=outlet)  # fmt: skip


def _facts_steps(article: Article, llm: ModelInfo, p: TaskParams) -> Steps[Any]:
    # The facts schema is 28 pydantic models, 0.15 s that a batch without facts never needs.
    from ..facts.extract import facts_steps

    return facts_steps(article, llm, lang=p.lang, glossary=p.glossary)


def _summary_shape(result: Any) -> BaseModel:
    from .shapes import SummaryOut

    return SummaryOut.of(result)


def _translation_shape(result: Any) -> BaseModel:
    from .shapes import TranslationOut

    return TranslationOut.of(result)


def _facts_shape(result: Any) -> BaseModel:
    model: BaseModel = result.to_model()
    return model


def _summary_written(summary: Any, p: TaskParams) -> Written:
    from ..checks.publish import publishable

    # A translation arrives in its script already; a summary is transliterated here.
    text = summary.text
    if p.lang == "kk" and p.script == "latn":
        from ..text.translit import to_latin

        text = to_latin(summary.text)
    content, fallback = publishable(summary.article, text, summary.checks, mode=p.fallback)
    judged = summary.text if (fallback or text != summary.text) else None
    return Written(content.rstrip() + "\n", ".txt", judged=judged, fallback=fallback)


def _translation_written(translation: Any, p: TaskParams) -> Written:
    from ..tasks.translate import reused_note

    judged = translation.cyrillic if translation.cyrillic != translation.text else None
    return Written(translation.text.rstrip() + "\n", ".txt", judged=judged, note=reused_note(translation))


def _facts_written(facts: Any, p: TaskParams) -> Written:
    return Written(facts.to_model().model_dump_json(indent=2) + "\n", ".json")


def _article_text(article: Article) -> str:
    return article.text


def _source_text(article: Article) -> str:
    from ..tasks.translate import source_text

    return source_text(article)


_LANG = Param("lang", "lang", tuple(LANGUAGES), "language of the output (default en)", "en")
_LENGTH = Param("length", "length", tuple(LENGTHS), "default short", "short")
_SUMMARY = dict(
    text=lambda r: r.text, checks=lambda r: r.checks, made=lambda r: r.made, source=_article_text, kind="summary"
)

TASKS: dict[str, TaskSpec] = {
    spec.name: spec
    for spec in (
        TaskSpec(
            name="summary",
            command="summarise",
            aliases=("summarize",),
            help="a summary in the outlet's language and length (summary:ru, summary:kk to choose)",
            params=(_LANG, _LENGTH),
            languages=tuple(LANGUAGES),
            steps=_summary_steps,
            shape=_summary_shape,
            written=_summary_written,
            **_SUMMARY,  # type: ignore[arg-type]
        ),
        TaskSpec(
            name="headline",
            command="headline",
            help="one headline of at most 15 words (headline:ru, headline:kk)",
            params=(_LANG,),
            languages=tuple(LANGUAGES),
            steps=_headline_steps,
            shape=_summary_shape,
            written=_summary_written,
            **_SUMMARY,  # type: ignore[arg-type]
        ),
        TaskSpec(
            name="translate",
            command="translate",
            help="a full translation (translate:ru, translate:kk; Kazakh Latin when the outlet's script is latn)",
            params=(
                Param("lang", "to", TARGETS, "language to translate into", required=True),
                Param("script", "script", SCRIPTS, "Kazakh script: cyrl (default) or latn, the 2021 Latin "
                      "alphabet by transliteration", "cyrl"),  # fmt: skip
            ),
            languages=TARGETS,
            kind="translation",
            steps=_translate_steps,
            shape=_translation_shape,
            text=lambda r: r.text,
            checks=lambda r: r.checks,
            made=lambda r: r.made,
            written=_translation_written,
            source=_source_text,
            uses_glossary=True,
        ),
        TaskSpec(
            name="facts",
            command="facts",
            help="facts pinned to their spans of the article, as JSON (facts:ru for names and roles in Russian)",
            params=(
                Param("lang", "lang", tuple(LANGUAGES), "language of names and roles (default: the article's "
                      "if en, ru or kk, else en); evidence stays as written"),  # fmt: skip
            ),
            languages=tuple(LANGUAGES),
            kind="facts",
            steps=_facts_steps,
            shape=_facts_shape,
            text=lambda r: r.to_model().model_dump_json(indent=2),
            checks=lambda r: r.checks,
            made=lambda r: r.made,
            written=_facts_written,
            source=_article_text,
            uses_glossary=True,
        ),
    )
}


def task(name: str) -> TaskSpec:
    """A task by its name, its command or an alias (``summarise``, ``summarize`` and ``summary``)."""
    for spec in TASKS.values():
        if name in (spec.name, spec.command, *spec.aliases):
            return spec
    known = ", ".join(sorted(TASKS))
    raise UsageError(f"unknown task {name!r}; this build knows: {known}")


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

    def params(self, base: TaskParams) -> TaskParams:
        """The outlet's parameters with this name's ``:LANG``, checked against what the task can make."""
        language = self.lang or base.lang or "en"
        if language not in self.spec.languages:
            raise UsageError(
                f"task {self.spec.name!r} cannot produce {language!r}; "
                f"use {', '.join(f'{self.spec.name}:{lang}' for lang in self.spec.languages)}"
            )
        return replace(base, lang=language)


def parse_task(text: str) -> TaskName:
    """``summary``, ``summary:ru`` -> a ``TaskName``; anything else is a usage error (exit 2)."""
    name, _, lang = text.strip().partition(":")
    spec = TASKS.get(name)
    if spec is None:
        known = ", ".join(sorted(TASKS))
        raise UsageError(f"unknown task {text!r}; this build knows: {known} (with :LANG, e.g. summary:ru)")
    if lang and lang not in spec.languages:
        raise UsageError(f"task {name!r} has no language {lang!r}; choose one of {', '.join(spec.languages)}")
    return TaskName(spec, lang or None)


# -- the checks, as a task of their own ---------------------------------------------------------

CHECK_KINDS = ("translation", "summary")


def check_text(
    kind: str,
    source: Article,
    text: str,
    *,
    lang: str,
    length: str = "short",
    glossary: Glossary | None = None,
    finish_reason: str | None = None,
) -> tuple[Check, ...]:
    """Judge ``text`` as a translation or a summary of ``source``: always against the source, on
    every path (the CLI's ``check``, the desk's re-check and approval, the API), so an edited
    summary keeps its numbers, names and quotes checks."""
    if kind == "translation":
        from ..checks.translation import check_translation
        from ..tasks.translate import source_text

        if lang not in TARGETS:
            raise UsageError(f"check a translation with --to {' or '.join(TARGETS)}")
        # Both sides normalised alike (NFC, LF): a translation pasted from Windows is the same text.
        return check_translation(
            source_text(source), _normalised(text), source_lang=source.language, target_lang=lang,
            glossary=glossary, finish_reason=finish_reason,
        )  # fmt: skip
    if kind == "summary":
        from ..checks.summary import check_summary
        from ..text.articles import detect_language

        if lang not in LANGUAGES or length not in LENGTHS:
            raise UsageError(f"a summary is in one of {', '.join(LANGUAGES)}, of length {', '.join(LENGTHS)}")
        # The article reader says "und" for a source it is unsure of; the checks need a language.
        source_lang = source.language if source.language in LANGUAGES else detect_language(source.text)
        return check_summary(
            text.strip(), lang=lang, finish_reason=finish_reason, length=length, source=source.text,
            source_lang=source_lang,
        )  # fmt: skip
    raise UsageError(f"unknown kind {kind!r}; choose one of {', '.join(CHECK_KINDS)}")


def _normalised(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def recorded(params: Mapping[str, Any] | None) -> TaskParams:
    """A job's recorded parameters back as a value (the glossary is reopened by its file)."""
    data = dict(params or {})
    glossary = None
    if data.get("glossary"):
        from ..text.glossary import load_glossary

        path = Path(str(data["glossary"]))
        glossary = load_glossary(path) if path.is_file() else None
    known = {k: str(v) for k, v in data.items() if k in ("lang", "length", "script", "outlet", "fallback") and v}
    return TaskParams(glossary=glossary, **known)
