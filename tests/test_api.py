"""The public API is what __all__ says; changing it is a deliberate act."""

from __future__ import annotations

import ast
from pathlib import Path

import summarizer
from summarizer import errors

PACKAGE = Path(summarizer.__file__).parent


def test_public_api_is_pinned() -> None:
    assert sorted(summarizer.__all__) == sorted(
        [
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
    )
    for name in summarizer.__all__:
        assert hasattr(summarizer, name)


def test_every_error_descends_from_one_base_and_has_an_exit_code() -> None:
    for name in errors.__all__:
        cls = getattr(errors, name)
        assert issubclass(cls, errors.SummarizerError)
        assert cls.exit_code in (1, 2, 3)
        assert name in errors.__doc__, f"{name} is missing from the tree in errors.py's docstring"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_only_client_imports_openai() -> None:
    importers = {p.name for p in PACKAGE.glob("*.py") if "openai" in _imports(p)}
    assert importers == {"client.py"}


def test_modules_stay_small() -> None:
    for path in PACKAGE.glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 400, path.name
