"""``batch --shard K/N`` on several machines, and ``merge-reports``: every article once, one report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fakes import FakeOpenAI, Reply

from summarizer.batch.shard import in_shard, parse_shard
from summarizer.cli.main import main


def wire(tmp_path: Path, n: int) -> Path:
    src = tmp_path / "wire"
    src.mkdir()
    for i in range(n):
        (src / f"a{i:03d}.txt").write_text(f"ASTANA. KAZINFORM - Item {i}. The akimat opened a bridge.\n", "utf-8")
    return src


def run_shard(src: Path, out: Path, shard: str, fake: FakeOpenAI, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
    return main(["batch", str(src), "--out", str(out), "--shard", shard, "--concurrency", "4"])


def test_two_shards_do_every_article_once_and_merge_into_one_report(
    tmp_path: Path, clean_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    src = wire(tmp_path, 12)
    with FakeOpenAI(lambda body: Reply("Summary.")) as fake:
        assert run_shard(src, tmp_path / "s1", "1/2", fake, monkeypatch) == 0
        assert run_shard(src, tmp_path / "s2", "2/2", fake, monkeypatch) == 0
        asked = len(fake.requests)
        assert run_shard(src, tmp_path / "s1", "1/2", fake, monkeypatch) == 0  # a rerun resumes
        assert len(fake.requests) == asked
    done = [
        {item["article"] for item in json.loads((tmp_path / s / "report.json").read_text())["items"]}
        for s in ("s1", "s2")
    ]
    assert done[0] and done[1] and not done[0] & done[1]
    assert done[0] | done[1] == {f"a{i:03d}" for i in range(12)}
    assert asked == 12  # nothing asked twice

    assert main(["merge-reports", str(tmp_path / "s1"), str(tmp_path / "s2"), "--out", str(tmp_path / "all")]) == 0
    merged = json.loads((tmp_path / "all/report.json").read_text())
    assert merged["totals"]["jobs"] == merged["totals"]["done"] == 12
    for item in merged["items"]:  # links from the merged index reach each shard's own pages
        assert (tmp_path / "all" / item["page"]).is_file()
        assert (tmp_path / "all" / item["output"]).read_text() == "Summary.\n"
    assert "a000" in (tmp_path / "all/index.html").read_text()
    assert "12 job(s) from 2 shard(s)" in capsys.readouterr().out


def test_overlapping_shards_are_refused_when_merged(
    tmp_path: Path, clean_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    src = wire(tmp_path, 3)
    with FakeOpenAI(lambda body: Reply("Summary.")) as fake:
        assert run_shard(src, tmp_path / "one", "1/1", fake, monkeypatch) == 0
    capsys.readouterr()
    assert main(["merge-reports", str(tmp_path / "one"), str(tmp_path / "one"), "--out", str(tmp_path / "m")]) == 2
    assert "the shards overlap" in capsys.readouterr().err


@pytest.mark.parametrize("bad", ["0/2", "3/2", "two", "1/0"])
def test_a_bad_shard_is_one_line_and_exit_2(
    bad: str, tmp_path: Path, clean_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["batch", str(wire(tmp_path, 1)), "--out", str(tmp_path / "o"), "--shard", bad]) == 2
    err = capsys.readouterr().err
    assert "--shard" in err and len(err.strip().splitlines()) == 1


def test_shards_partition_by_id_not_position() -> None:
    ids = [f"item-{i}" for i in range(1000)]
    owners = [[k for k in range(1, 5) if in_shard(i, k, 4)] for i in ids]
    assert all(len(o) == 1 for o in owners)
    sizes = [sum(o == [k] for o in owners) for k in range(1, 5)]
    assert min(sizes) > 200  # roughly even
    assert parse_shard("3/4") == (3, 4)
