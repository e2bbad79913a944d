from __future__ import annotations

import io

from summarizer.batch.progress import LogLines, ProgressBar, for_terminal
from summarizer.batch.report import JobOutput, JobResult


def result(status: str, **fields: object) -> JobResult:
    return JobResult(job="o/a/summary", outlet="o", article="a", input="a.txt", task="summary", status=status, **fields)  # type: ignore[arg-type]


def test_plain_lines_for_a_log_one_per_job() -> None:
    out = io.StringIO()
    lines = LogLines(out)
    lines.start(3, earlier={"done": 2, "running": 1})
    done = JobOutput.from_json({"cached": True, "checks": [{"name": "language", "passed": False}]})
    lines.advance(result("done", result=done))
    lines.advance(result("done", resumed=True))
    lines.advance(result("failed", error="a.txt is empty"))
    assert out.getvalue().splitlines() == [
        "summarizer: resuming: the ledger records 2 done, 1 running job(s) from an earlier run",
        "summarizer: 3 job(s) to account for",
        "summarizer: [1/3] done o/a/summary (cached) [failed checks: language]",
        "summarizer: [2/3] done o/a/summary (done by an earlier run)",
        "summarizer: [3/3] failed o/a/summary: a.txt is empty",
    ]


def test_a_terminal_gets_the_progress_bar_a_pipe_gets_lines() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert isinstance(for_terminal(io.StringIO()), LogLines)
    assert isinstance(for_terminal(Tty()), ProgressBar)
