"""The desk's engine: the library calls the API and the pages share, on the async client.

Each task is the very generator the CLI drives (``summarise_steps``, ``translate_steps``,
``facts_steps``), here driven by ``llm.steps.arun`` on ``LLM.acomplete``, so requests from many
editors run at the same time against an endpoint. The embedded model answers one request at a
time (one llama.cpp context): a lock takes turns, and ``waiting`` says how many are queued so that
a page can tell its editor why nothing has happened yet. The queue is bounded (``serve --queue N``):
beyond it a request is refused at once with 503 and a ``Retry-After`` estimated from how long turns
have taken, rather than left to wait until every client behind it times out.

Errors keep their place in the library's tree (``summarizer.errors``); ``status_for`` is the one
map from that tree to HTTP statuses, and ``one_line`` the one way an error becomes text (the key
redacted, never a traceback).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
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
from ..memory.dismissals import dismissed
from ..memory.store import HouseMemory
from ..memory.terms import house_glossary
from ..output.shapes import CheckReportOut
from ..output.tasks import CHECK_KINDS, TaskParams, TaskSpec, check_text
from ..redact import redact
from ..text.articles import Article, parse_article
from ..text.glossary import Glossary, parse_glossary

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ..llm.client import LLM
    from .store import Doc

__all__ = ["DEFAULT_QUEUE", "Desk", "DeskError", "one_line", "status_for"]

# Requests that may wait for a serial model. The embedded model takes 7 to 17 s a summary: the
# eighth in line waits a minute or two, about what a CMS or a reverse proxy waits (nginx: 60 s)
# before it gives up, and a request given up on still costs its whole turn.
DEFAULT_QUEUE = 8
_FIRST_GUESS_S = 10.0  # a turn's length before one has been timed (the embedded model's summary)

log = logging.getLogger("summarizer.serve")
T = TypeVar("T")


class DeskError(Exception):
    """A request the desk refuses, with its HTTP status and one line for the person who sent it."""

    def __init__(self, status: int, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after  # seconds, for the Retry-After header of a 503


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
    queue: int = DEFAULT_QUEUE  # at most this many wait for a serial model; more are refused (503)
    llm: LLM | None = None
    memory: HouseMemory | None = None  # the house memory (serve/house.py writes it on approval)
    _lock: asyncio.Lock | None = field(default=None, repr=False)
    _turn_s: float = field(default=_FIRST_GUESS_S, repr=False)  # a moving average of turns' lengths

    # -- life cycle ---------------------------------------------------------------------------

    def open(self) -> None:
        self.memory = HouseMemory(self.settings.memory_path)
        self.llm = open_llm(self.settings)
        # A serial model (one llama.cpp context) answers one request at a time; an endpoint takes many.
        self._lock = asyncio.Lock() if self.llm.capabilities.serial else None

    async def close(self) -> None:
        if self.llm is not None:
            await self.llm.aclose()
            self.llm.close()
            self.llm = None
        if self.memory is not None:
            self.memory.close()
            self.memory = None

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
                "waiting": self.waiting, "queue": self.queue if llm.capabilities.serial else None}  # fmt: skip

    def _llm(self) -> LLM:
        if self.llm is None:
            raise DeskError(503, "the desk is starting; try again in a moment")
        return self.llm

    def admit(self) -> None:
        """Refuse now (503) what the queue has no room for: before a page starts a run, and in ``turn``."""
        if self._lock is None or self.waiting < self.queue:
            return
        ahead = self.waiting + 1  # those queued, and the one the model is answering
        retry = max(1, math.ceil(self._turn_s * ahead))
        raise DeskError(
            503,
            f"the embedded model is busy: {self.waiting} request(s) already wait for it and it answers one at"
            f" a time; try again in about {retry} s",
            retry_after=retry,
        )

    @contextlib.asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """Wait for the model's turn (the embedded one only); ``waiting`` counts who is queued."""
        if self._lock is None:
            yield
            return
        self.admit()
        self.waiting += 1
        queued = True
        try:
            async with self._lock:
                self.waiting -= 1
                queued = False
                began = time.monotonic()
                try:
                    yield
                finally:
                    self._turn_s = 0.7 * self._turn_s + 0.3 * (time.monotonic() - began)
        finally:
            if queued:
                self.waiting -= 1

    async def drive(self, steps: Steps[T], *, listener: Listener | None = None) -> T:
        """``listener`` (the waiting page, a streamed API answer) is told the text as it comes; the
        task's own steps run off the event loop, so a long run never holds up other pages."""
        async with self.turn():
            return await arun(steps, self._llm(), listener=listener, offload=True)

    # -- input ----------------------------------------------------------------------------------

    def article(self, text: Any, *, name: str = "pasted", field: str = "text") -> Article:
        if text is not None and not isinstance(text, str):  # 5, [..]: not "empty", a wrong type
            raise DeskError(400, f"{field} must be a string (the article's text), not {_json_type(text)}")
        if text is None or not text.strip():
            raise DeskError(400, "the text is empty: paste or upload an article")
        data = text.encode("utf-8")
        if len(data) > self.settings.max_input_bytes:
            raise DeskError(413, f"the article is over the {self.settings.max_input_mb:g} MB limit")
        return parse_article(data, name=name, agencies=self.settings.agencies)

    def glossary(self, csv: Any) -> Glossary | None:
        """The glossary a form or a body gives, else the house's (accepted from approvals), if any."""
        if csv is None or (isinstance(csv, str) and not csv.strip()):
            return house_glossary(self.memory) if self.memory is not None else None
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
        if not spec.uses_glossary:
            return params
        return replace(params, glossary=self.glossary(get("glossary")), memory=self.memory)

    # -- checks (no model; lingua and the dictionary cost a second of CPU: off the event loop) ----

    async def check(
        self,
        kind: str,
        source: Article,
        text: str,
        *,
        lang: str,
        length: str = "short",
        glossary: Glossary | None = None,
        document: str = "",
        outlet: str = "",
    ) -> CheckReportOut:
        """``text`` judged as a translation or a summary of ``source``: always against the source;
        what the editors dismissed for this ``document``, language pair or ``outlet`` is ``info``."""
        what = kind if kind in CHECK_KINDS else "text"
        if text is not None and not isinstance(text, str):
            raise DeskError(400, f"text must be a string (the {what}), not {_json_type(text)}")
        if text is None or not text.strip():
            raise DeskError(400, f"the {what} is empty")
        try:
            checks = await asyncio.to_thread(
                check_text, kind, source, text.strip(), lang=lang, length=length, glossary=glossary
            )
        except UsageError as exc:
            raise DeskError(400, str(exc)) from None
        if self.memory is not None and kind == "translation":
            checks = dismissed(checks, self.memory, document=document, source_lang=source.language, target_lang=lang,
                               outlet="" if outlet == "default" else outlet)  # fmt: skip
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

    async def recheck(self, doc: Doc, text: str) -> list[dict[str, Any]]:
        """A document's edited text judged against its source, with the parameters it was made
        with: the one re-check of the review page, of its approval and of ``POST /api/approve``."""
        if doc.kind not in CHECK_KINDS:
            raise DeskError(400, f"a {doc.kind} is not edited as text")
        source = parse_article(doc.source.encode("utf-8"), name=doc.id, agencies=self.settings.agencies)
        params = doc.params
        lang = params.get("lang") or params.get("to") or "en"  # "to": documents made before tasks were declared once
        length = "headline" if params.get("task") == "headline" else params.get("length") or "short"
        report = await self.check(doc.kind, source, text, lang=lang, length=length,
                                  glossary=self.glossary(params.get("glossary")), document=doc.id,
                                  outlet=params.get("outlet") or "")  # fmt: skip
        return [c.model_dump(mode="json") for c in report.checks]


def _json_type(value: Any) -> str:
    """What a JSON value is, in JSON's words: a number, an object, an array, true or false."""
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    return {dict: "an object", list: "an array"}.get(type(value), type(value).__name__)
