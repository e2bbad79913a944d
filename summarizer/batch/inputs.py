"""A batch's inputs: a folder, a glob, or a JSONL file of ``{"id", "text"}`` records.

Inputs are found up front (so the plan and the progress bar know the total) but read only when
their turn comes: a JSONL archive of millions of articles is indexed by byte offset, not held in
memory. Each input gets an id that is unique in the batch and safe as a file name (ids come from
file names and from records, which may contain anything). A broken JSONL line is an input that
fails with its reason when read, like an empty or binary file: never a crash.
"""

from __future__ import annotations

import glob
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import InputError, UsageError
from ..text.articles import MAX_INPUT_BYTES, Article, article_files, load_article, parse_article

__all__ = ["Input", "find_inputs"]


@dataclass(frozen=True)
class Input:
    """Where one article comes from: a file, or one line of a JSONL file (read when its turn comes)."""

    id: str  # unique in the batch, safe as a file name
    label: str  # how errors name it: the path, or ``file.jsonl:LINE``
    path: Path
    line: int = 0  # JSONL: 1-based line number
    offset: int = -1  # JSONL: byte offset of the line; -1 for a whole file
    problem: str = ""  # known bad before reading (a broken JSONL line)
    max_bytes: int = MAX_INPUT_BYTES  # Settings.max_input_bytes
    agencies: Path | None = None  # Settings.agencies

    @property
    def source(self) -> str:
        """Where to read it again (the desk reopening a job): the absolute path, ``:LINE`` for JSONL."""
        where = str(self.path.resolve())
        return f"{where}:{self.line}" if self.offset >= 0 else where

    def load(self) -> Article:
        if self.problem:
            raise InputError(self.problem)
        if self.offset < 0:
            return replace(load_article(self.path, max_bytes=self.max_bytes, agencies=self.agencies), id=self.id)
        with open(self.path, "rb") as handle:
            handle.seek(self.offset)
            record = json.loads(handle.readline())
        return parse_article(str(record["text"]).encode("utf-8"), name=self.id, path=self.label, agencies=self.agencies)


_UNSAFE = re.compile(r"[^\w.-]+")


def find_inputs(source: str, *, max_bytes: int = MAX_INPUT_BYTES, agencies: Path | None = None) -> list[Input]:
    """A folder (``article_files``), a glob, a JSONL file, or one file; each read, when its turn
    comes, under ``max_bytes`` and with the newsroom's ``agencies`` (the ``Settings`` ones)."""
    found = _find(source)
    if (max_bytes, agencies) == (MAX_INPUT_BYTES, None):
        return found
    return [replace(i, max_bytes=max_bytes, agencies=agencies) for i in found]


def _find(source: str) -> list[Input]:
    path = Path(source).expanduser()
    if path.is_dir():
        files = article_files(path)
        if not files:
            raise UsageError(f"{path} has no files to process")
    elif path.is_file() and path.suffix.lower() == ".jsonl":
        return _jsonl_inputs(path)
    elif path.is_file():
        files = [path]
    else:
        files = sorted(Path(p) for p in glob.glob(source, recursive=True) if Path(p).is_file())
        if not files:
            raise UsageError(f"{source}: no such file or folder, and no file matches it as a pattern")
    ids = _unique_ids([p.stem for p in files], [p.as_posix() for p in files])
    return [Input(id=i, label=str(p), path=p) for i, p in zip(ids, files, strict=True)]


def _jsonl_inputs(path: Path) -> list[Input]:
    found: list[tuple[str, int, int, str]] = []
    offset = 0
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, 1):
            start, offset = offset, offset + len(raw)
            if not raw.strip():
                continue
            problem, name = "", f"line-{number}"
            try:
                record = json.loads(raw)
                if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                    problem = 'not a {"id", "text"} record (no "text" string)'
                elif record.get("id") in (None, ""):
                    problem = 'the record has no "id"'
                else:
                    name = str(record["id"])
            except json.JSONDecodeError as exc:  # its own "line 1 column 5" would clash with the file's line
                problem = f"not JSON ({exc.msg} at column {exc.pos + 1})"
            except UnicodeDecodeError as exc:
                problem = f"not UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1})"
            found.append((name, number, start, problem))
    if not found:
        raise UsageError(f"{path} has no records")
    ids = _unique_ids([f[0] for f in found], [f"{f[0]}-line-{f[1]}" for f in found])
    return [
        Input(id=i, label=f"{path}:{n}", path=path, line=n, offset=o, problem=f"{path}:{n}: {p}" if p else "")
        for i, (_, n, o, p) in zip(ids, found, strict=True)
    ]


def _unique_ids(names: Sequence[str], fallbacks: Sequence[str]) -> list[str]:
    """File-safe ids; clashing names fall back to a longer form, then a counter."""
    slugs = [_slug(n) for n in names]
    clashes = {s for s in slugs if slugs.count(s) > 1} if len(set(slugs)) < len(slugs) else set()
    seen: set[str] = set()
    out = []
    for slug, fallback in zip(slugs, fallbacks, strict=True):
        candidate = _slug(fallback) if slug in clashes else slug
        base, n = candidate, 2
        while candidate in seen:
            candidate, n = f"{base}-{n}", n + 1
        seen.add(candidate)
        out.append(candidate)
    return out


def _slug(name: str) -> str:
    return _UNSAFE.sub("_", name).strip("._")[:100] or "article"
