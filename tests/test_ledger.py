from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.batch.ledger import Ledger
from summarizer.errors import UsageError


def test_statuses_survive_reopening(tmp_path: Path) -> None:
    with Ledger(tmp_path) as ledger:
        ledger.start("o/a/summary", input="a.txt", fingerprint="f1")
        ledger.start("o/b/summary", input="b.txt", fingerprint="f2")
        ledger.finish("o/b/summary", input="b.txt", fingerprint="f2", result={"output": "o/b.summary.txt"})
        ledger.finish("o/c/summary", input="c.txt", fingerprint="", error="c.txt is empty")
    with Ledger(tmp_path) as ledger:
        assert ledger.counts() == {"running": 1, "done": 1, "failed": 1}
        row = ledger.get("o/b/summary")
        assert row is not None and (row.status, row.fingerprint, row.result) == (
            "done",
            "f2",
            {"output": "o/b.summary.txt"},
        )
        assert ledger.get("o/c/summary").error == "c.txt is empty"  # type: ignore[union-attr]
        assert ledger.get("o/d/summary") is None
        assert [r.id for r in ledger.rows()] == ["o/a/summary", "o/b/summary", "o/c/summary"]


def test_openai_batches_are_remembered_until_collected(tmp_path: Path) -> None:
    with Ledger(tmp_path) as ledger:
        ledger.submitted("batch-1", requests=3)
        ledger.submitted("batch-2", requests=1)
        ledger.collected("batch-1")
    with Ledger(tmp_path) as ledger:
        assert ledger.open_batches() == ["batch-2"]


def test_two_batches_cannot_write_into_one_folder(tmp_path: Path) -> None:
    with Ledger(tmp_path):
        with pytest.raises(UsageError, match="another batch is already writing"):
            Ledger(tmp_path)
    Ledger(tmp_path).close()  # free again once the first one is closed
