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


SEAM = {"openai", "httpx2", "aiohttp", "llama_cpp"}
ROOT = PACKAGE.parent


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_only_the_llm_package_imports_the_sdk_and_its_transports() -> None:
    importers = {str(p.relative_to(PACKAGE)) for p in _modules() if SEAM & _imports(p)}
    assert importers, "the walk found no importer at all: it no longer covers the package"
    assert all(name.startswith("llm/") for name in importers), importers
    assert "llm/sdk.py" in importers


def test_modules_stay_small() -> None:
    modules = _modules()
    assert len(modules) > 40  # the walk reaches every subpackage
    for path in modules:
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 400, path.name


def test_the_folder_tree_is_the_layer_diagram() -> None:
    top = [p.name for p in PACKAGE.glob("*.py")]
    packages = sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py"))
    assert len(top) <= 8, top
    assert len(packages) >= 5, packages
    architecture = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    missing = [name for name in packages if f"`{name}/`" not in architecture]
    assert not missing, f"docs/ARCHITECTURE.md does not describe {missing}"


def test_the_architecture_page_names_every_module_and_no_module_that_does_not_exist() -> None:
    import re

    architecture = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    bullets = {m.group(1): m.group(2) for m in re.finditer(r"^- `(\w+)/`: (.*)$", architecture, re.MULTILINE)}
    packages = sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py"))
    assert sorted(bullets) == packages
    for package, text in bullets.items():
        modules = {p.stem for p in (PACKAGE / package).glob("*.py")} - {"__init__"}
        named = set(re.findall(r"`([a-z_]+)` \(", text))  # "`name` (what it does)" names a module
        assert modules <= set(re.findall(r"`([a-z_]+)`", text)), (package, modules - set(re.findall(r"`(\w+)`", text)))
        assert named <= modules, (package, named - modules)
    leaves = {p.name for p in PACKAGE.glob("*.py")} - {"__init__.py", "__main__.py"}
    assert all(f"`{name}`" in architecture for name in leaves), leaves
