"""The layer rules hold: import-linter's contracts (pyproject.toml) and no import cycle at all."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_are_kept() -> None:
    lint = Path(sys.executable).parent / "lint-imports"
    if not lint.exists():
        pytest.fail("lint-imports is missing: install the [test] extra")
    done = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:]
    assert "0 broken" in done.stdout


def test_no_module_imports_one_that_imports_it_back() -> None:
    # Imports under TYPE_CHECKING only name types; they never run, so they cannot form a cycle.
    graph = grimp.build_graph("summarizer", exclude_type_checking_imports=True)
    modules = {m for m in graph.modules if m != "summarizer"}  # the root __init__ re-exports the API
    cycles = []
    for module in sorted(modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if imported in modules and imported != module and graph.chain_exists(imported, module, as_packages=False):
                cycles.append(f"{module} -> {imported}")
    assert not cycles, cycles
    assert len(modules) > 40  # the graph covers every subpackage


# Asking which backend it is: the enum's members, the client's old private model, a comparison
# of a backend with a name. Above the llm seam the code asks ``capabilities`` instead.
_BACKEND_TEST = re.compile(r"Backend\.(LOCAL|OPENAI)\b|\b_local\b|(==|!=)\s*[\"'](local|openai)[\"']")


def test_only_the_llm_package_and_the_settings_ask_which_backend_it_is() -> None:
    package = ROOT / "summarizer"
    modules = [p for p in sorted(package.rglob("*.py")) if p.parent.name != "llm" and p.name != "config.py"]
    assert len(modules) > 40  # the walk reaches every subpackage
    asking = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in modules
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _BACKEND_TEST.search(line)
    ]
    assert not asking, "ask llm.capabilities instead:\n" + "\n".join(asking)


@pytest.mark.parametrize(
    "line",
    ["if llm.backend is Backend.LOCAL:", "x = self._local.counter()", 'if llm.backend == "local":', "b != 'openai'"],
)
def test_the_backend_test_is_recognised(line: str) -> None:
    assert _BACKEND_TEST.search(line)


def _reads_ambient_settings(path: Path) -> bool:
    """Whether a module imports ``config.current`` or calls it as ``config.current``."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("config"):
            if any(alias.name == "current" for alias in node.names):
                return True
        if isinstance(node, ast.Attribute) and node.attr == "current":
            if isinstance(node.value, ast.Name) and node.value.id == "config":
                return True
    return False


@pytest.mark.parametrize("package", ["text", "checks"])
def test_language_knowledge_and_checks_take_their_settings_from_the_caller(package: str) -> None:
    modules = sorted((ROOT / "summarizer" / package).rglob("*.py"))
    assert modules
    assert [p.name for p in modules if _reads_ambient_settings(p)] == []


def test_the_ambient_settings_reader_is_recognised(tmp_path: Path) -> None:
    sources = ["from ..config import Backend, current\n", "from .. import config\nconfig.current()\n"]
    for i, source in enumerate(sources):
        (tmp_path / f"m{i}.py").write_text(source, encoding="utf-8")
        assert _reads_ambient_settings(tmp_path / f"m{i}.py")
