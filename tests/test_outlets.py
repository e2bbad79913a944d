from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.batch.outlets import DEFAULT_OUTLET, Outlet, load_outlets
from summarizer.errors import UsageError

GOOD = """
[[outlet]]
name = "kazinform-ru"
language = "ru"
summary_length = "headline"
glossary = "terms.csv"
tasks = ["summary", "summary:en"]

[[outlet]]
name = "kazinform-kk"
language = "kk"
script = "latn"
"""


def test_outlets_file_is_read_with_defaults_and_relative_glossary(tmp_path: Path) -> None:
    (tmp_path / "terms.csv").write_text("en,ru,kk\n")
    (tmp_path / "outlets.toml").write_text(GOOD)
    ru, kk = load_outlets(tmp_path / "outlets.toml")
    assert (ru.name, ru.language, ru.summary_length, ru.glossary) == (
        "kazinform-ru",
        "ru",
        "headline",
        tmp_path / "terms.csv",
    )
    assert [t.label for t in ru.task_names()] == ["summary", "summary:en"]
    assert (kk.script, kk.tasks, kk.summary_length) == ("latn", ("summary",), "short")
    assert [t.label for t in kk.task_names(("summary:ru",))] == ["summary:ru"]  # --tasks replaces the list
    assert (DEFAULT_OUTLET.params().lang, DEFAULT_OUTLET.params().outlet) == ("en", "default")


@pytest.mark.parametrize(
    "body, message",
    [
        ('[[outlet]]\nname = "x"\nlanguage = "de"\n', "outlet.0.language"),
        ('[[outlet]]\nname = "x"\nlanguage = "ru"\nscript = "latn"\n', "for Kazakh only"),
        ('[[outlet]]\nname = "x"\ntasks = ["teleport"]\n', "unknown task 'teleport'"),
        ('[[outlet]]\nname = "x"\nsummary_length = "epic"\n', "summary_length"),
        ('[[outlet]]\nname = "../x"\n', "outlet.0.name"),
        ('[[outlet]]\nname = "x"\ncolour = "red"\n', "colour"),
        ('[[outlet]]\nname = "x"\n[[outlet]]\nname = "x"\n', "unique"),
        ('[[outlet]]\nname = "x"\nglossary = "missing.csv"\n', "missing.csv is not a file"),
        ("[outlets]\n", "expected [[outlet]] tables"),
        ("name = = 1", "outlets.toml"),
    ],
)
def test_mistakes_are_usage_errors_naming_the_file_and_field(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "outlets.toml"
    path.write_text(body)
    with pytest.raises(UsageError, match="outlets.toml") as info:
        load_outlets(path)
    assert message in str(info.value)


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        load_outlets(tmp_path / "nope.toml")


def test_an_outlet_cannot_run_a_task_in_a_language_the_task_lacks() -> None:
    with pytest.raises(UsageError, match="outlet 'x'"):
        Outlet(name="x", tasks=("summary",)).task_names(("summary:xx",))
