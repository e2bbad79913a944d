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
from .facts import Facts, extract_facts
from .factschema import FactsOut
from .fidelity import check_translation
from .glossary import Glossary, Term, load_glossary
from .outlets import Outlet, load_outlets
from .quality import Check
from .report import JobResult
from .structured import complete_model
from .summarise import Summary, summarise
from .translate import Translation, translate

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
