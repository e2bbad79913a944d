from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from summarizer.errors import UsageError
from summarizer.llm.cache import Cache, cache_key

BASE: dict[str, Any] = {
    "backend": "openai",
    "endpoint": "http://127.0.0.1:8000/v1",
    "model": "m",
    "messages": [{"role": "user", "content": "hi"}],
    "params": {"max_tokens": 10, "temperature": 0.0, "seed": 0},
}
RESPONSE = {
    "text": "hello",
    "finish_reason": "stop",
    "model": "m",
    "usage": {"prompt_tokens": 3, "completion_tokens": 1},
}


def test_key_is_stable_and_versioned() -> None:
    shuffled = dict(reversed(list(BASE.items())))
    assert cache_key(BASE) == cache_key(shuffled)
    assert cache_key(BASE).startswith("v1:")


@pytest.mark.parametrize(
    "change",
    [
        {"backend": "local"},
        {"endpoint": "http://other:8000/v1"},
        {"model": "m2"},
        {"messages": [{"role": "user", "content": "hi!"}]},
        {"messages": [{"role": "system", "content": "hi"}]},
        {"params": {"max_tokens": 11, "temperature": 0.0, "seed": 0}},
        {"params": {"max_tokens": 10, "temperature": 0.7, "seed": 0}},
        {"params": {"max_tokens": 10, "temperature": 0.0, "seed": 1}},
        {"params": {**BASE["params"], "response_format": {"type": "json_schema"}}},
    ],
)
def test_key_changes_with_everything_that_changes_the_answer(change: dict[str, Any]) -> None:
    assert cache_key({**BASE, **change}) != cache_key(BASE)


def test_put_get_records_provenance(tmp_path: Path) -> None:
    with Cache(tmp_path / "c.sqlite") as cache:
        key = cache.put(task="summarise", request=BASE, response=RESPONSE)
        entry = cache.get(key)
        assert entry is not None
        assert entry.response == RESPONSE
        assert (entry.provenance, entry.model, entry.backend, entry.task) == ("recorded", "m", "openai", "summarise")
        assert entry.created_at
        assert cache.get("v1:nothing") is None


def test_wal_mode(tmp_path: Path) -> None:
    Cache(tmp_path / "c.sqlite").close()
    mode = sqlite3.connect(tmp_path / "c.sqlite").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_provenance_must_be_known(tmp_path: Path) -> None:
    with Cache(tmp_path / "c.sqlite") as cache, pytest.raises(ValueError):
        cache.put(task="t", request=BASE, response=RESPONSE, provenance="guessed")


def test_stats_and_clear(tmp_path: Path) -> None:
    with Cache(tmp_path / "c.sqlite") as cache:
        cache.put(task="t", request=BASE, response=RESPONSE)
        cache.put(task="t", request={**BASE, "model": "m2"}, response=RESPONSE, provenance="hand-written")
        stats = cache.stats()
        assert stats.entries == 2
        assert stats.by_provenance == {"recorded": 1, "hand-written": 1}
        assert stats.prompt_tokens == 6 and stats.completion_tokens == 2
        assert cache.clear() == 2
        assert cache.stats().entries == 0


def test_export_import_roundtrip(tmp_path: Path) -> None:
    out = io.StringIO()
    with Cache(tmp_path / "a.sqlite") as a:
        key = a.put(task="t", request=BASE, response=RESPONSE, provenance="hand-written", note="written by hand")
        assert a.export_jsonl(out) == 1
    with Cache(tmp_path / "b.sqlite") as b:
        assert b.import_jsonl(io.StringIO(out.getvalue())) == 1
        entry = b.get(key)
        assert entry is not None and entry.provenance == "hand-written" and entry.note == "written by hand"


def test_import_refuses_a_stale_record(tmp_path: Path) -> None:
    record = {"key": cache_key(BASE), "task": "t", "request": {**BASE, "model": "changed"}, "response": RESPONSE}
    with Cache(tmp_path / "c.sqlite") as cache, pytest.raises(UsageError, match="stale"):
        cache.import_jsonl(io.StringIO(json.dumps(record)))


def test_unwritable_location_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(Exception, match="cannot open the cache"):
        Cache(blocker / "sub" / "c.sqlite")


WRITER = """
import sys
from pathlib import Path
from summarizer.llm.cache import Cache, cache_key
cache = Cache(Path(sys.argv[1]))
for i in range(300):
    request = {"backend": "openai", "model": "m", "messages": [{"role": "user", "content": f"{sys.argv[2]}-{i}"}]}
    cache.put(task="t", request=request, response={"text": f"{sys.argv[2]}-{i}"})
    assert cache.get(cache_key(request)) is not None
"""


def test_two_processes_share_one_cache_without_loss(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "shared.sqlite"
    Cache(path).close()
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), name]) for name in ("a", "b", "c")]
    assert [p.wait(timeout=300) for p in procs] == [0, 0, 0]
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("SELECT count(*) FROM responses").fetchone()[0] == 900
