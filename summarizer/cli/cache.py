"""``cache``: what the response cache holds; clear, export and import it."""

from __future__ import annotations

import argparse
import json
import sys

from ..errors import SummarizerError
from ..llm.cache import Cache
from .common import open_out, settings


def cache_command(args: argparse.Namespace) -> int:
    with Cache(settings(args).cache_path) as cache:
        if args.action == "stats":
            stats = cache.stats()
            data = {
                "path": str(stats.path),
                "entries": stats.entries,
                "bytes": stats.bytes,
                "by_provenance": stats.by_provenance,
                "by_model": stats.by_model,
                "prompt_tokens": stats.prompt_tokens,
                "completion_tokens": stats.completion_tokens,
            }
            if args.json:
                print(json.dumps(data, indent=2, ensure_ascii=False))
            else:
                for name, value in data.items():
                    print(f"{name}: {value}")
        elif args.action == "clear":
            print(f"removed {cache.clear()} cached response(s) from {cache.path}")
        elif args.action == "export":
            with open_out(args.file) as out:
                count = cache.export_jsonl(out)
            print(f"exported {count} response(s)", file=sys.stderr)
        elif args.action == "import":
            try:
                with open(args.file, encoding="utf-8") as lines:
                    count = cache.import_jsonl(lines, source=args.file)
            except OSError as exc:
                raise SummarizerError(f"cannot read {args.file}: {exc.strerror}") from None
            print(f"imported {count} response(s) into {cache.path}", file=sys.stderr)
    return 0
