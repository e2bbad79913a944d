"""summarizer: newsroom summaries, Russian and Kazakh translations, grounded facts and digests.

The library is the product; the CLI is a thin layer over it::

    from summarizer import Settings, load_article, open_llm, summarise

    article = load_article("seeds/000_8ce9aa6233c040a4.txt")
    with open_llm(Settings.resolve()) as llm:
        print(summarise(article, llm, lang="en", length="short").text)
        facts = extract_facts(article, llm)  # every fact pinned: article.text[start:end] == evidence.text
        print(facts.to_model().model_dump_json(indent=2))
        kazakh = translate(article, llm, lang="kk", glossary=load_glossary("names.csv"))
        print(kazakh.text, [c for c in kazakh.checks if not c.passed])

A batch (``summarizer batch``): ``run_batch(plan(find_inputs("wire/"), outlets), llm, BatchOptions(out=...))``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .config import Backend, CacheMode, Settings
from .errors import (
    AuthenticationFailed,
    BackendError,
    CacheMiss,
    EndpointUnreachable,
    InputError,
    LocalModelUnavailable,
    ModelNotFound,
    OutputInvalid,
    QualityCheckFailed,
    RequestRejected,
    ServerFailed,
    SummarizerError,
    UsageError,
)

# Where each public name lives. They are imported on first use (PEP 562), so that ``import
# summarizer`` and ``summarizer --help`` do not pay for the SDK, llama.cpp and every model.
_LAZY = {
    "Outlet": "batch.outlets",
    "load_outlets": "batch.outlets",
    "JobResult": "batch.report",
    "BatchOptions": "batch.jobs",
    "find_inputs": "batch.inputs",
    "plan": "batch.jobs",
    "run_batch": "batch.run",
    "check_translation": "checks.translation",
    "Check": "checks.verdict",
    "Facts": "facts.extract",
    "extract_facts": "facts.extract",
    "FactsOut": "facts.schema",
    "Cache": "llm.cache",
    "LLM": "llm.client",
    "open_llm": "llm.client",
    "ChatRequest": "llm.chat",
    "ChatResult": "llm.chat",
    "Usage": "llm.chat",
    "complete_model": "tasks.structured",
    "Summary": "tasks.summarise",
    "summarise": "tasks.summarise",
    "Translation": "tasks.translate",
    "translate": "tasks.translate",
    "Article": "text.articles",
    "ArticleMeta": "text.articles",
    "load_article": "text.articles",
    "parse_article": "text.articles",
    "Glossary": "text.glossary",
    "Term": "text.glossary",
    "load_glossary": "text.glossary",
}

if TYPE_CHECKING:
    from .batch.inputs import find_inputs
    from .batch.jobs import BatchOptions, plan
    from .batch.outlets import Outlet, load_outlets
    from .batch.report import JobResult
    from .batch.run import run_batch
    from .checks.translation import check_translation
    from .checks.verdict import Check
    from .facts.extract import Facts, extract_facts
    from .facts.schema import FactsOut
    from .llm.cache import Cache
    from .llm.chat import ChatRequest, ChatResult, Usage
    from .llm.client import LLM, open_llm
    from .tasks.structured import complete_model
    from .tasks.summarise import Summary, summarise
    from .tasks.translate import Translation, translate
    from .text.articles import Article, ArticleMeta, load_article, parse_article
    from .text.glossary import Glossary, Term, load_glossary


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'summarizer' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__version__ = "0.1.0"

__all__ = [
    "LLM",
    "Article",
    "ArticleMeta",
    "AuthenticationFailed",
    "Backend",
    "BackendError",
    "BatchOptions",
    "Cache",
    "CacheMiss",
    "CacheMode",
    "ChatRequest",
    "ChatResult",
    "Check",
    "EndpointUnreachable",
    "Facts",
    "FactsOut",
    "Glossary",
    "InputError",
    "JobResult",
    "LocalModelUnavailable",
    "ModelNotFound",
    "Outlet",
    "OutputInvalid",
    "QualityCheckFailed",
    "RequestRejected",
    "ServerFailed",
    "Settings",
    "Summary",
    "SummarizerError",
    "Term",
    "Translation",
    "Usage",
    "UsageError",
    "complete_model",
    "extract_facts",
    "check_translation",
    "load_article",
    "load_glossary",
    "find_inputs",
    "load_outlets",
    "open_llm",
    "parse_article",
    "plan",
    "run_batch",
    "summarise",
    "translate",
]
