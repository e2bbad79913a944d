"""The desk's engine: the library calls the API and the pages share, on the async client.

Each task is the very generator the CLI drives (``summarise_steps``, ``translate_steps``,
``facts_steps``), here driven by ``llm.steps.arun`` on ``LLM.acomplete``, so requests from many
editors run at the same time against an endpoint. The embedded model answers one request at a
time (one llama.cpp context): a lock takes turns, and ``waiting`` says how many are queued so that
a page can tell its editor why nothing has happened yet.

Errors keep their place in the library's tree (``summarizer.errors``); ``status_for`` is the one
map from that tree to HTTP statuses, and ``one_line`` the one way an error becomes text (the key
redacted, never a traceback).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ..checks.out import CheckOut
from ..checks.verdict import failed
from ..config import Settings
from ..errors import (
    BackendError,
    CacheMiss,
    EndpointTimeout,
    InputError,
    OutputInvalid,
    SummarizerError,
    UsageError,
)
from ..llm.chat import Capabilities, Listener
from ..llm.client import open_llm
from ..llm.steps import Steps, arun
from ..output.shapes import CheckReportOut
from ..output.tasks import CHECK_KINDS, TaskParams, TaskSpec, check_text
from ..redact import redact
from ..text.articles import Article, parse_article
from ..text.glossary import Glossary, parse_glossary

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ..llm.client import LLM

__all__ = ["Desk", "DeskError", "one_line", "status_for"]

log = logging.getLogger("summarizer.serve")
T = TypeVar("T")


class DeskError(Exception):
    """A request the desk refuses, with its HTTP status and one line for the person who sent it."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def status_for(exc: BaseException) -> int:
    if isinstance(exc, DeskError):
        return exc.status
    if isinstance(exc, (UsageError, InputError)):
        return 400
    if isinstance(exc, EndpointTimeout):
        return 504
    if isinstance(exc, (BackendError, CacheMiss, OutputInvalid)):
        return 502  # the model's side failed (unreachable, 5xx, a rejected key, an unusable answer)
    return 500


def one_line(exc: BaseException, secret: str | None) -> str:
    if isinstance(exc, (SummarizerError, DeskError)):
        text = str(exc)
    else:  # ours, not the user's: name it without the traceback (that goes nowhere but --debug)
        text = f"internal error: {type(exc).__name__}"
    return redact(" ".join(text.split()), secret)


@dataclass
class Desk:
    settings: Settings
    inbox: Path | None = None
    reports: Path | None = None
    glossary_csv: str = ""  # the house glossary (serve --glossary), offered on every form
    waiting: int = 0
    llm: LLM | None = None
    _lock: asyncio.Lock | None = field(default=None, repr=False)

    # -- life cycle ---------------------------------------------------------------------------

    def open(self) -> None:
        self.llm = open_llm(self.settings)
        # A serial model (one llama.cpp context) answers one request at a time; an endpoint takes many.
        self._lock = asyncio.Lock() if self.llm.capabilities.serial else None

    async def close(self) -> None:
        if self.llm is not None:
            await self.llm.aclose()
            self.llm.close()
            self.llm = None

    @property
    def capabilities(self) -> Capabilities:
        """The open model's; before ``open``, an endpoint's defaults (nothing queues yet)."""
        return self.llm.capabilities if self.llm is not None else Capabilities()

    @property
    def embedded(self) -> bool:  # the page header's note: requests take turns on this model
        return self.capabilities.serial

    def health(self) -> dict[str, Any]:
        llm = self._llm()
        return {"status": "ok", "backend": str(llm.backend), "model": llm.model, "endpoint": llm.capabilities.where,
                "waiting": self.waiting}  # fmt: skip

    def _llm(self) -> LLM:
        if self.llm is None:
            raise DeskError(503, "the desk is starting; try again in a moment")
        return self.llm

    @contextlib.asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """Wait for the model's turn (the embedded one only); ``waiting`` counts who is queued."""
        if self._lock is None:
            yield
            return
        self.waiting += 1
        queued = True
        try:
            async with self._lock:
                self.waiting -= 1
                queued = False
                yield
        finally:
            if queued:
                self.waiting -= 1

    async def drive(self, steps: Steps[T], *, listener: Listener | None = None) -> T:
        """``listener`` (the waiting page, a streamed API answer) is told the text as it comes; the
        task's own steps run off the event loop, so a long run never holds up other pages."""
        async with self.turn():
            return await arun(steps, self._llm(), listener=listener, offload=True)

    # -- input ----------------------------------------------------------------------------------

    def article(self, text: Any, *, name: str = "pasted") -> Article:
        if not isinstance(text, str) or not text.strip():
            raise DeskError(400, "the text is empty: paste or upload an article")
        data = text.encode("utf-8")
        if len(data) > self.settings.max_input_bytes:
            raise DeskError(413, f"the article is over the {self.settings.max_input_mb:g} MB limit")
        return parse_article(data, name=name, agencies=self.settings.agencies)

    def glossary(self, csv: Any) -> Glossary | None:
        if csv is None or (isinstance(csv, str) and not csv.strip()):
            return None
        if not isinstance(csv, str):
            raise DeskError(400, "glossary must be CSV text: a header row of language codes, one term per row")
        return parse_glossary(csv, name="the glossary")

    # -- the tasks (output/tasks.py: the desk's forms and the API read the same entries) ---------

    async def run(
        self, spec: TaskSpec, article: Article, params: TaskParams, *, listener: Listener | None = None
    ) -> BaseModel:
        """Any task on the async client: the very steps the CLI and the batch drive."""
        return spec.shape(await self.drive(spec.steps(article, self._llm(), params), listener=listener))

    def params(self, spec: TaskSpec, get: Callable[[str], Any]) -> TaskParams:
        """A task's parameters from a form or a JSON body: a bad value is a 400 naming it."""
        try:
            params = spec.read(get)
        except UsageError as exc:
            raise DeskError(400, str(exc)) from None
        return replace(params, glossary=self.glossary(get("glossary"))) if spec.uses_glossary else params

    # -- checks (no model; lingua and the dictionary cost a second of CPU: off the event loop) ----

    async def check(
        self, kind: str, source: Article, text: str, *, lang: str, length: str = "short", glossary: Glossary | None = None
    ) -> CheckReportOut:
        """``text`` judged as a translation or a summary of ``source``: always against the source."""
        if not isinstance(text, str) or not text.strip():
            raise DeskError(400, f"the {kind if kind in CHECK_KINDS else 'text'} is empty")
        try:
            checks = await asyncio.to_thread(
                check_text, kind, source, text.strip(), lang=lang, length=length, glossary=glossary
            )
        except UsageError as exc:
            raise DeskError(400, str(exc)) from None
        return CheckReportOut(
            passed=not failed(list(checks)),
            source=None,
            translation=None,
            source_language=source.language,
            language=lang,
            glossary=glossary.path if glossary else None,
            checks=[CheckOut.of(c) for c in checks],
            kind=kind,
        )
