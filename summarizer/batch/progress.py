"""How a batch shows its progress: a rich progress bar on a terminal, plain log lines otherwise.

Plain lines (a cron job's log, a pipe) say one thing each: ``[12/120] done kz-ru/000_seed/summary``,
with the reason when a job fails, so that a log can be grepped for failures.
"""

from __future__ import annotations

import sys
from typing import TextIO

from .report import JobResult

__all__ = ["LogLines", "ProgressBar", "for_terminal"]

_PROG = "summarizer"


def _describe(result: JobResult) -> str:
    how = " (done by an earlier run)" if result.resumed else (" (cached)" if result.cached else "")
    failed = result.failed_checks
    checks = f" [failed checks: {', '.join(failed)}]" if failed else ""
    error = f": {result.error}" if result.error else ""
    return f"{result.status} {result.job}{how}{checks}{error}"


def _earlier(earlier: dict[str, int]) -> str:
    return ", ".join(f"{n} {status}" for status, n in sorted(earlier.items()))


class LogLines:
    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.total = self.count = 0

    def _print(self, text: str) -> None:
        print(f"{_PROG}: {text}", file=self.stream, flush=True)

    def start(self, total: int, *, earlier: dict[str, int]) -> None:
        self.total = total
        if earlier:
            self._print(f"resuming: the ledger records {_earlier(earlier)} job(s) from an earlier run")
        self._print(f"{total} job(s) to account for")

    def advance(self, result: JobResult) -> None:
        self.count += 1
        self._print(f"[{self.count}/{self.total}] {_describe(result)}")

    def note(self, message: str) -> None:
        self._print(message)

    def close(self) -> None:
        pass


class ProgressBar:
    """rich's progress bar on stderr; failures are printed above it as they happen."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.console = Console(stderr=True)
        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[failed]} failed"),
            TimeRemainingColumn(),
            console=self.console,
            transient=False,
        )
        self.task = self.bar.add_task("batch", total=None, failed=0)
        self.failed = 0

    def start(self, total: int, *, earlier: dict[str, int]) -> None:
        self.bar.start()
        if earlier:
            self.note(f"resuming: the ledger records {_earlier(earlier)} job(s) from an earlier run")
        self.bar.update(self.task, total=total)

    def advance(self, result: JobResult) -> None:
        if result.status == "failed":
            self.failed += 1
            self.note(_describe(result))
        self.bar.update(self.task, advance=1, failed=self.failed)

    def note(self, message: str) -> None:
        # markup=False: file names and error messages may contain [brackets]
        self.console.print(f"{_PROG}: {message}", markup=False, highlight=False)

    def close(self) -> None:
        self.bar.stop()


def for_terminal(stream: TextIO | None = None) -> LogLines | ProgressBar:
    stream = stream or sys.stderr
    return ProgressBar() if stream.isatty() else LogLines(stream)
