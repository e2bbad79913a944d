"""Where every page and email is rendered: one Jinja environment per escaping rule and folder.

Reports, digests and the desk all print someone else's text (articles, model answers), so HTML
templates are always autoescaped; text and Markdown templates never are. An environment is made
once per folder and kept: the packaged templates do not change under a running batch, so no
template is compiled twice and no file is stat'ed per page. Missing variables are errors
(``StrictUndefined``), never an empty string on a page sent to readers.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

__all__ = ["TEMPLATES", "html_env", "render_html", "render_text", "text_env"]

TEMPLATES = Path(__file__).resolve().parent / "templates"


def html_env(folder: Path = TEMPLATES) -> jinja2.Environment:
    """The environment of the HTML templates in ``folder``: every value escaped."""
    return _environment(folder, autoescape=True)


def text_env(folder: Path = TEMPLATES) -> jinja2.Environment:
    """The environment of the plain-text and Markdown templates in ``folder``: nothing escaped."""
    return _environment(folder, autoescape=False)


def render_html(name: str, /, **context: Any) -> str:
    """The packaged HTML template ``name`` rendered with ``context``."""
    return html_env().get_template(name).render(**context)


def render_text(name: str, /, **context: Any) -> str:
    """The packaged text template ``name`` rendered with ``context``."""
    return text_env().get_template(name).render(**context)


@lru_cache(maxsize=8)
def _environment(folder: Path, *, autoescape: bool) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=autoescape,
        auto_reload=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
