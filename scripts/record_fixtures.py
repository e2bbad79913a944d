"""Re-record the fixture cache that the replay tests use: ``tests/fixtures/cache.jsonl``.

Every entry recorded from a model is recorded again, on the embedded model, by running the
commands below through the real CLI; entries written by hand (provenance ``hand-written``) are
kept as they are, and the ones this script writes by hand (HAND_WRITTEN) are rebuilt for the
request the code sends today. Run it after a deliberate prompt change:

    .venv/bin/python scripts/record_fixtures.py
    .venv/bin/python scripts/record_fixtures.py --hand-written-only   # keep recordings, rebuild HAND_WRITTEN
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
# The 135M model cannot produce usable facts JSON (it loops until the token limit), so the
# replay test of `summarizer facts` runs on a correct answer written by hand for the seed.
SEED_FACTS = ROOT / "tests" / "data" / "facts" / "seed_answer.json"

# (argv for `summarizer`) run on the embedded model; keep in step with tests/test_e2e_replay.py.
RECORDINGS = [
    ["summarise", SEED],
    ["summarise", SEED, "--length", "headline"],
    ["summarise", SEED, "--length", "bullets"],
    ["summarise", SEED, "--lang", "kk"],
]


def main(argv: list[str]) -> int:
    hand_written_only = "--hand-written-only" in argv
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
                if line.strip()
                and (hand_written_only or json.loads(line)["provenance"] == "hand-written")
                and SEED_FACTS.name not in json.loads(line)["note"]  # rebuilt below, for today's request
            ]
            cache.import_jsonl(io.StringIO("\n".join(kept)), source=str(FIXTURE))
        _hand_written_facts(cache)
        for command in [] if hand_written_only else RECORDINGS:
            print("recording:", " ".join(command), file=sys.stderr)
            code = cli(command)
            if code not in (0, 3):
                return code
        records = sorted(io.StringIO(_export(cache)).read().splitlines(), key=lambda line: json.loads(line)["key"])
        FIXTURE.parent.mkdir(parents=True, exist_ok=True)
        FIXTURE.write_text("\n".join(records) + "\n", encoding="utf-8")
        print(f"wrote {len(records)} entries to {FIXTURE.relative_to(ROOT)}", file=sys.stderr)
    return 0


def _hand_written_facts(cache: object) -> None:
    """The answer `summarizer facts SEED --backend local` gets, written by hand, under its exact request."""
    from summarizer.articles import load_article
    from summarizer.client import LLM
    from summarizer.config import Backend, Settings
    from summarizer.facts import plan
    from summarizer.factschema import FactsDraft
    from summarizer.structured import structured_request

    article = load_article(ROOT / SEED)
    llm = LLM(Settings(backend=Backend.LOCAL))
    (part,) = plan(article, llm, lang="en")
    request = structured_request(part.request, FactsDraft)
    answer = json.dumps(json.loads(SEED_FACTS.read_text(encoding="utf-8")), ensure_ascii=False)
    FactsDraft.model_validate_json(answer)  # a fixture that does not validate would test nothing
    counter = llm.counter()
    cache.put(  # type: ignore[attr-defined]
        task=request.task,
        request=llm._document(request),
        response={
            "text": answer,
            "finish_reason": "stop",
            "model": llm.model,
            "usage": {
                "prompt_tokens": counter.count_messages(request.messages),
                "completion_tokens": counter.count(answer),
            },
        },
        provenance="hand-written",
        note="written by hand by the issue-4 engineer from the seed text: SmolLM2-135M cannot produce this JSON,"
        " so the facts replay test needs a correct answer (tests/data/facts/seed_answer.json)",
    )


def _export(cache: object) -> str:
    out = io.StringIO()
    cache.export_jsonl(out)  # type: ignore[attr-defined]
    return out.getvalue()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
