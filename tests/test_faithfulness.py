"""A summary's faithfulness to its source (checks.faithfulness) and `check --kind summary`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SEED

from summarizer.checks.faithfulness import check_faithfulness

SOURCE = SEED.read_text(encoding="utf-8")


def _failed(summary: str, lang: str = "en") -> dict[str, str]:
    checks = check_faithfulness(summary, SOURCE, lang=lang, source_lang="en")
    return {c.name: summary[c.spans[0][0] : c.spans[0][1]] for c in checks if not c.passed}


@pytest.mark.parametrize(
    ("summary", "lang", "failed"),
    [
        ("Ambassador Yergali Bulegenov proposed a meeting in Mogilev no later than January 2016.", "en", {}),
        ("Посол Ергали Булегенов предложил встречу в Могилеве не позднее января 2016 года.", "ru", {}),
        ("The business meeting is due no later than four million.", "en", {"numbers_supported": "four million"}),
        ("The meeting is due no later than March 2016.", "en", {"numbers_supported": "March"}),
        ("Встреча пройдет не позднее января 2017 года.", "ru", {"numbers_supported": "2017"}),
        ("Bulegenov met Prime Minister Andrei Kobyakov.", "en", {"names_supported": "Andrei"}),
        ("Булегенов открыл Неделю казахского кино в Гомеле.", "ru", {"names_supported": "Гомеле"}),
        ('Bulegenov said "Kazakhstan will invest heavily in Mogilev".', "en",
         {"quotes_supported": "Kazakhstan will invest heavily in Mogilev"}),
        ('Bulegenov said: "We have necessary capabilities".', "en", {}),  # a quote the source has
    ],
)  # fmt: skip
def test_unsupported_spans_are_named(summary: str, lang: str, failed: dict[str, str]) -> None:
    assert _failed(summary, lang) == failed


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "summarizer", *args], capture_output=True, text=True, cwd=ROOT, check=False
    )


def test_check_kind_summary_exit_codes_and_json(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text("Kazakhstan's ambassador Yergali Bulegenov met governor Vladimir Domanevsky in Mogilev.\n")
    bad.write_text("Kazakhstan's ambassador Yergali Bulegenov promised 500 million dollars in Minsk.\n")
    assert _cli("check", str(SEED), str(good), "--kind", "summary").returncode == 0
    done = _cli("check", str(SEED), str(bad), "--kind", "summary", "--json")
    assert done.returncode == 3
    report = json.loads(done.stdout)
    assert report["kind"] == "summary" and report["passed"] is False
    text = bad.read_text()
    marked = {c["name"]: [text[a:b] for a, b in c["spans"]] for c in report["checks"] if not c["passed"]}
    assert marked == {"numbers_supported": ["500 million"], "names_supported": ["Minsk"]}


def test_check_of_a_translation_still_needs_a_target(tmp_path: Path) -> None:
    other = tmp_path / "t.txt"
    other.write_text("Текст.\n")
    done = _cli("check", str(SEED), str(other))
    assert done.returncode == 2 and "--to" in done.stderr
