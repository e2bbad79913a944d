"""The layer rules hold: import-linter's contracts (pyproject.toml) and no import cycle at all."""

from __future__ import annotations

import ast
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
