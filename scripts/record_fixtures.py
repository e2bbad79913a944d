"""Re-record the fixture cache that the replay tests use: ``tests/fixtures/cache.jsonl``.

Every entry recorded from a model is recorded again, on the embedded model, by running the
commands below through the real CLI; entries written by hand (provenance ``hand-written``) are
kept as they are. Two kinds of hand-written answers are rebuilt here for the request the code
sends today, so they follow a prompt change: the facts answer for the seed (HAND_WRITTEN) and
the seed's hand-written translations (``tests/data/translations/seed_ru.txt`` and ``seed_kk.txt``)
as the answers to what ``translate SEED --to ru|kk --backend local`` sends. Run it after a
deliberate prompt change:

    .venv/bin/python scripts/record_fixtures.py
    .venv/bin/python scripts/record_fixtures.py --hand-written-only   # keep recordings, rebuild HAND_WRITTEN
    .venv/bin/python scripts/record_fixtures.py --missing   # keep recordings, record only what is not there
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
TRANSLATIONS = ROOT / "tests" / "data" / "translations"
GLOSSARY = "tests/data/translations/glossary.csv"

# (argv for `summarizer`) run on the embedded model; keep in step with tests/test_e2e_replay.py.
# The translation with the glossary is a different request from the hand-written ones (the
# glossary is in the prompt), so it records the embedded model's own Kazakh: the garbage the
# checks must catch.
RECORDINGS = [
    ["summarise", SEED],
    ["summarise", SEED, "--length", "headline"],
    ["summarise", SEED, "--length", "bullets"],
    ["summarise", SEED, "--lang", "kk"],
    ["translate", SEED, "--to", "kk", "--glossary", GLOSSARY],
]
HAND_WRITTEN_TRANSLATIONS = {"ru": TRANSLATIONS / "seed_ru.txt", "kk": TRANSLATIONS / "seed_kk.txt"}
NOTE = (
    "written by hand for the tests, fictional wording (no model output): a faithful {lang}"
    " translation of the seed, so that `translate --to {lang}` replays a good translation end to end"
)


def main(argv: list[str]) -> int:
    hand_written_only = "--hand-written-only" in argv
    missing = "--missing" in argv  # kept recordings answer their commands from the cache
    from summarizer.cli.main import main as cli
    from summarizer.llm.cache import Cache

    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(SUMMARIZER_CACHE_DIR=tmp, SUMMARIZER_BACKEND="local", SUMMARIZER_CACHE_MODE="readwrite")
        for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_LOCAL_MODEL"):
            os.environ.pop(name, None)
        os.chdir(ROOT)
        cache = Cache(Path(tmp) / "cache.sqlite")
        translations = hand_written_translations()
        if FIXTURE.exists():
            kept = [
                line
                for line in FIXTURE.read_text(encoding="utf-8").splitlines()
                if line.strip()
                and _keep(json.loads(line), {entry["key"] for entry in translations}, hand_written_only or missing)
            ]
            cache.import_jsonl(io.StringIO("\n".join(kept)), source=str(FIXTURE))
        _hand_written_facts(cache)
        for entry in translations:
            if cache.get(entry["key"]) is None:  # unchanged entries keep their date
                print("hand-written:", entry["task"], entry["note"][:60], file=sys.stderr)
                cache.put(**{k: v for k, v in entry.items() if k != "key"})
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
    from summarizer.config import Backend, Settings
    from summarizer.facts.extract import plan
    from summarizer.facts.schema import FactsDraft
    from summarizer.llm.client import LLM
    from summarizer.tasks.structured import structured_request
    from summarizer.text.articles import load_article

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
        note="written by hand from the seed text: SmolLM2-135M cannot produce this JSON,"
        " so the facts replay test needs a correct answer (tests/data/facts/seed_answer.json)",
    )


def _keep(record: dict, fresh: set[str], hand_written_only: bool) -> bool:  # type: ignore[type-arg]
    """Keep hand-written entries (and recordings with --hand-written-only), except the ones rebuilt
    here: the facts answer, and translations whose request the current prompt no longer sends."""
    if record["provenance"] != "hand-written":
        return hand_written_only
    if SEED_FACTS.name in record["note"]:
        return False
    return not record["task"].startswith("translate") or record["key"] in fresh


def hand_written_translations() -> list[dict]:  # type: ignore[type-arg]
    """The seed's hand-written translations as answers to the requests `translate --backend local` sends."""
    from summarizer.config import Backend, CacheMode, Settings
    from summarizer.llm.cache import cache_key
    from summarizer.llm.client import LLM, ChatRequest, ChatResult, Usage
    from summarizer.tasks.translate import translate
    from summarizer.text.articles import load_article

    llm = LLM(Settings(backend=Backend.LOCAL, cache_mode=CacheMode.OFF))
    counter = llm.counter()
    entries = []
    for lang, path in HAND_WRITTEN_TRANSLATIONS.items():
        text = path.read_text(encoding="utf-8").strip()
        sent: list[ChatRequest] = []

        def answer(request: ChatRequest, text: str = text, sent: list[ChatRequest] = sent) -> ChatResult:
            sent.append(request)
            usage = Usage(counter.count_messages(request.messages), counter.count(text))
            return ChatResult(text, "stop", llm.model, usage, cached=False, provenance="hand-written", key="")

        llm.complete = answer  # type: ignore[method-assign]
        result = translate(load_article(ROOT / SEED), llm, lang=lang)
        failing = [c.name for c in result.checks if not c.passed]
        if len(sent) != 1 or failing:
            raise SystemExit(f"the hand-written {lang} translation fails its checks: {failing}")
        (request,) = sent
        document = llm._document(request)
        entries.append(
            {
                "key": cache_key(document),
                "task": request.task,
                "request": document,
                "response": {
                    "text": text,
                    "finish_reason": "stop",
                    "model": llm.model,
                    "usage": {
                        "prompt_tokens": counter.count_messages(request.messages),
                        "completion_tokens": counter.count(text),
                    },
                },
                "provenance": "hand-written",
                "note": NOTE.format(lang={"ru": "Russian", "kk": "Kazakh"}[lang]),
            }
        )
    return entries


def _export(cache: object) -> str:
    out = io.StringIO()
    cache.export_jsonl(out)  # type: ignore[attr-defined]
    return out.getvalue()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
