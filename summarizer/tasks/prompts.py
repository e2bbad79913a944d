"""Stage 3: render ``prompts/<task>.j2`` into chat messages.

A template defines two blocks, ``system`` and ``user``; each becomes one message. Rendering uses
``StrictUndefined`` so that a misspelt variable fails loudly instead of sending the model an
empty gap. A changed template changes the rendered messages, and so the cache key; a batch
also folds ``prompts_version`` (every template's text) into each job's fingerprint.

Templates are found in ``Settings.prompts_dir`` (``SUMMARIZER_PROMPTS_DIR``) when set (a
newsroom's own wording), else in the package (a wheel carries them) or the repository's
top-level ``prompts/``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import jinja2

from ..config import prompts_dir
from ..errors import UsageError
from .choices import LANGUAGES, LENGTHS, SOURCE_LANGUAGES, source_name

__all__ = ["LANGUAGES", "LENGTHS", "SOURCE_LANGUAGES", "Prompt", "prompts_dir", "render", "source_name"]


@dataclass(frozen=True)
class Prompt:
    task: str
    messages: tuple[dict[str, str], ...]


def prompts_version() -> str:
    """One hash of every template in use: a batch redoes its finished jobs when a prompt changed."""
    digest = hashlib.sha256()
    for path in sorted(prompts_dir().glob("*.j2")):
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


_ARTICLE_CLOSE = re.compile(r"</?\s*article\s*>", re.IGNORECASE)
# Chat-template control tokens (ChatML, Llama 3, Mistral, Gemma). A local server that renders
# the template to text before tokenising would read these inside an article as real turns.
_CHAT_TOKENS = re.compile(r"<\|[a-z_]{2,30}\|>|\[/?INST\]|</?s>|<</?SYS>>|<(?:start|end)_of_turn>", re.IGNORECASE)


def fence(text: str) -> str:
    """Neutralise anything in the article that could close our ``<article>`` fence early or
    open a new chat turn.

    The article is data; a wire item that contains ``</article>`` or ``<|im_start|>system``
    followed by instructions must not escape the fence. We swap the brackets for look-alike
    characters, which changes nothing a summary needs.
    """
    text = _ARTICLE_CLOSE.sub(_defang, text)
    return _CHAT_TOKENS.sub(_defang, text)


def _defang(match: re.Match[str]) -> str:
    return match.group(0).replace("<", "‹").replace(">", "›").replace("[", "⟦").replace("]", "⟧")


@lru_cache(maxsize=4)
def _environment(directory: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(directory),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # prompts are plain text for a model, not HTML
    )
    env.filters["fence"] = fence
    return env


def render(task: str, **variables: Any) -> Prompt:
    directory = prompts_dir()
    env = _environment(str(directory))
    try:
        template = env.get_template(f"{task}.j2")
    except jinja2.TemplateNotFound:
        raise UsageError(f"no prompt template {task}.j2 in {directory}") from None
    context = template.new_context(dict(variables))
    messages = []
    try:
        for role in ("system", "user"):
            if role in template.blocks:
                content = "".join(template.blocks[role](context)).strip()
                messages.append({"role": role, "content": content})
    except jinja2.UndefinedError as exc:
        raise UsageError(f"prompt {task}.j2: {exc.message}") from None
    return Prompt(task=task, messages=tuple(messages))
