"""One Jinja environment per escaping rule and folder, for every page and email."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest

from summarizer.render import TEMPLATES, html_env, render_html, render_text, text_env


@pytest.mark.parametrize(("env", "shown"), [(html_env, "&lt;b&gt;A &amp; B&lt;/b&gt;"), (text_env, "<b>A & B</b>")])
def test_html_is_escaped_and_text_is_not(env: Callable[[], jinja2.Environment], shown: str) -> None:
    assert env().from_string("{{ x }}").render(x="<b>A & B</b>") == shown


def test_an_environment_is_made_once_per_rule_and_folder(tmp_path: Path) -> None:
    assert html_env() is html_env(TEMPLATES) and text_env() is text_env()
    assert html_env() is not text_env() and html_env(tmp_path) is not html_env()


@pytest.mark.parametrize("render", [render_html, render_text])
def test_a_missing_variable_is_an_error_not_an_empty_string(render: Callable[..., str]) -> None:
    with pytest.raises(jinja2.UndefinedError):
        render("digest.txt.j2")
