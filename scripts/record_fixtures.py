"""Re-record the fixture cache that the replay tests use: ``tests/fixtures/cache.jsonl``.

Every entry recorded from a model is recorded again, on the embedded model, by running the
commands below through the real CLI; entries written by hand (provenance ``hand-written``) are
kept as they are. Run it after a deliberate prompt change:

    .venv/bin/python scripts/record_fixtures.py
"""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "cache.jsonl"
SEED = "seeds/000_8ce9aa6233c040a4.txt"

# (argv for `summarizer`) run on the embedded model; keep in step with tests/test_e2e_replay.py.
RECORDINGS = [
    ["summarise", SEED],
    ["summarise", SEED, "--length", "headline"],
    ["summarise", SEED, "--length", "bullets"],
    ["summarise", SEED, "--lang", "kk"],
]


def main() -> int:
    from summarizer.cache import Cache
    from summarizer.cli import main as cli

    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(SUMMARIZER_CACHE_DIR=tmp, SUMMARIZER_BACKEND="local", SUMMARIZER_CACHE_MODE="readwrite")
        for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_LOCAL_MODEL"):
            os.environ.pop(name, None)
        os.chdir(ROOT)
        cache = Cache(Path(tmp) / "cache.sqlite")
        if FIXTURE.exists():
            kept = [
                line
                for line in FIXTURE.read_text(encoding="utf-8").splitlines()
                if line.strip() and json.loads(line)["provenance"] == "hand-written"
            ]
            cache.import_jsonl(io.StringIO("\n".join(kept)), source=str(FIXTURE))
        for argv in RECORDINGS:
            print("recording:", " ".join(argv), file=sys.stderr)
            code = cli(argv)
            if code not in (0, 3):
                return code
        records = sorted(io.StringIO(_export(cache)).read().splitlines(), key=lambda line: json.loads(line)["key"])
        FIXTURE.parent.mkdir(parents=True, exist_ok=True)
        FIXTURE.write_text("\n".join(records) + "\n", encoding="utf-8")
        print(f"wrote {len(records)} entries to {FIXTURE.relative_to(ROOT)}", file=sys.stderr)
    return 0


def _export(cache: object) -> str:
    out = io.StringIO()
    cache.export_jsonl(out)  # type: ignore[attr-defined]
    return out.getvalue()


if __name__ == "__main__":
    raise SystemExit(main())
