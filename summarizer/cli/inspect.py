"""``inspect``: what the tool reads from an article, with no model call and no model loaded.

Imports nothing of the SDK or llama.cpp (``llm.plan`` stands in for the model), so it is as fast
as reading the file, identifying its language and counting its tokens.
"""

from __future__ import annotations

import argparse

from ..config import Settings
from ..llm.plan import planning_model
from ..output.shapes import InspectOut
from ..tasks.inspect import Inspection, inspect_article
from ..text.provenance import Provenance
from .common import read_article

__all__ = ["inspect_command", "render"]


def inspect_command(args: argparse.Namespace) -> int:
    config = Settings.resolve(backend=args.backend, model=args.model)
    found = inspect_article(read_article(args.path, config), planning_model(config))
    print(InspectOut.of(found).model_dump_json(indent=2) if args.json else render(found))
    return 0


def render(i: Inspection) -> str:
    a, meta = i.article, i.article.meta
    if a.language == "und":
        language = f"undetermined (best guess {a.language_guess}, confidence {a.language_confidence:.2f})"
    else:
        language = f"{a.language} (confidence {a.language_confidence:.2f})"
    date = meta.date and (meta.date if meta.year_known else f"{meta.date} (month and day; year unknown)")
    rows = [
        ("file", a.path or a.id),
        ("format", f"{a.format}, {a.encoding}"),
        ("language", language),
        ("title", meta.title),
        ("subtitle", meta.subtitle),
        ("dateline", meta.dateline),
        ("agency", meta.agency),
        ("date", date),
        ("source", meta.source),
        ("byline", meta.byline),
        ("site", meta.site),
        *_wire(meta.wire),
        ("paragraphs", str(len(a.paragraphs))),
        ("characters", str(i.characters)),
        ("tokens", f"{i.tokens} for {i.model} ({i.tokenizer}{'' if i.exact else '; approximate'})"),
        ("context", _fit(i)),
    ]
    return "\n".join(f"{name + ':':<12}{value if value else '-'}" for name, value in rows)


def _fit(i: Inspection) -> str:
    if i.fits:
        return f"fits {i.model}'s {i.context_tokens}-token context in one request ({i.prompt_tokens} prompt tokens)"
    return f"too long for {i.model}'s {i.context_tokens}-token context: summarise would send it in {i.parts} parts"


def _wire(wire: Provenance | None) -> list[tuple[str, str | None]]:
    """A pulled item's provenance (its wire header), only for an item that has one."""
    if wire is None:
        return []
    version = str(wire.version) if wire.version > 1 else None
    return [("feed", wire.feed), ("link", wire.link), ("guid", wire.guid), ("published", wire.published),
            ("pulled", wire.pulled), ("version", version)]  # fmt: skip
