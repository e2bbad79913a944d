"""summarizer: newsroom summaries, Russian and Kazakh translations, grounded facts and digests.

The library is the product; the CLI is a thin layer over it::

    from summarizer import Settings, load_article, open_llm, summarise

    article = load_article("seeds/000_8ce9aa6233c040a4.txt")
    with open_llm(Settings.resolve()) as llm:
        print(summarise(article, llm, lang="en", length="short").text)

A batch (``summarizer batch``): ``run_batch(plan(find_inputs("wire/"), outlets), llm, BatchOptions(out=...))``.
"""

from .articles import Article, ArticleMeta, load_article, parse_article
from .batch import BatchOptions, find_inputs, plan, run_batch
from .cache import Cache
from .client import LLM, ChatRequest, ChatResult, Usage, open_llm
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
from .outlets import Outlet, load_outlets
from .quality import Check
from .report import JobResult
from .summarise import Summary, summarise

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
    "Usage",
    "UsageError",
    "find_inputs",
    "load_article",
    "load_outlets",
    "open_llm",
    "parse_article",
    "plan",
    "run_batch",
    "summarise",
]
