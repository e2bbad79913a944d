"""How soon do the first words of the seed's summary appear on a terminal?

``summarizer summarise SEED`` runs as a new process with its stdout on a pseudo-terminal (so it
streams, as it does for a person at a shell) and its stderr on a pipe, on the embedded model,
into an empty cache. Timed from just before the process is started to the first letter on the
terminal, and to the end of the process. The same command with its stdout on a pipe (what a
script sees, nothing streamed) is timed beside it, and the two outputs are compared.

    python benchmarks/first_words.py              # 3 rounds
    python benchmarks/first_words.py --rounds 5 --length medium
    python benchmarks/first_words.py --keep-state            # round 1 cold, later rounds after it
    python benchmarks/first_words.py --prime seeds/002_ru_almaty_transport.txt   # after another article

The embedded model keeps the state of the prompts it read under the cache directory
(``llama-prefix/``). By default every round starts from an empty cache directory: nothing kept.
``--keep-state`` keeps that directory's prompt states from one round to the next (the response
cache is still emptied before each round, or the answer would simply be replayed); ``--prime
ARTICLE`` starts every round with only the state another article's summary left. The run on a
pipe always starts from an empty directory, so "same output" compares against a cold read.

Target: the first words within 1.5 s of the command starting.
"""

from __future__ import annotations

import argparse
import os
import pty
import shutil
import select
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_8ce9aa6233c040a4.txt"
EXE = Path(sys.executable).parent / "summarizer"


@dataclass(frozen=True)
class Timed:
    out: bytes  # stdout as the terminal received it ("\r\n" turned back into "\n")
    err: bytes
    first: float | None  # seconds from start to the first letter on stdout
    total: float
    code: int
    pieces: int = 1  # how many separate writes the terminal received: many when it streamed


def _env(cache_dir: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_"))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as a user's Python runs: bytecode kept
    env.update({"SUMMARIZER_CACHE_DIR": cache_dir, "COLUMNS": "200", "LINES": "60"})
    return env


def on_terminal(args: list[str], *, cache_dir: str) -> Timed:
    """``summarizer ARGS`` with stdout on a pseudo-terminal; the time of its first letter."""
    leader, follower = pty.openpty()
    os.set_blocking(leader, False)
    start = time.perf_counter()
    proc = subprocess.Popen(
        [str(EXE), *args], stdout=follower, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=_env(cache_dir)
    )
    os.close(follower)
    out, err, first, pieces = b"", b"", None, 0
    assert proc.stderr is not None
    errfd = proc.stderr.fileno()
    open_fds = {leader, errfd}
    while open_fds:
        ready, _, _ = select.select(list(open_fds), [], [], 0.1)
        for fd in ready:
            try:
                data = os.read(fd, 65536)
            except OSError:  # EIO: the terminal's other end closed with the process
                data = b""
            if not data:
                open_fds.discard(fd)
            elif fd == leader:
                if first is None and any(chr(b).isalpha() for b in data):
                    first = time.perf_counter() - start
                out += data
                pieces += 1
            else:
                err += data
    proc.wait()
    total = time.perf_counter() - start
    os.close(leader)
    return Timed(out.replace(b"\r\n", b"\n"), err, first, total, proc.returncode, pieces)


def on_pipe(args: list[str], *, cache_dir: str) -> Timed:
    start = time.perf_counter()
    proc = subprocess.run([str(EXE), *args], capture_output=True, env=_env(cache_dir), stdin=subprocess.DEVNULL)
    return Timed(proc.stdout, proc.stderr, None, time.perf_counter() - start, proc.returncode)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--length", default="short")
    parser.add_argument("--keep-state", action="store_true", help="keep the model's prompt states between rounds")
    parser.add_argument("--prime", type=Path, help="start each round with the prompt state of this article's summary")
    ns = parser.parse_args()
    args = ["summarise", str(SEED), "--length", ns.length]
    firsts, totals, piped, same = [], [], [], True
    kept = tempfile.TemporaryDirectory()
    primed = tempfile.TemporaryDirectory()
    if ns.prime:
        on_pipe(["summarise", str(ns.prime), "--length", ns.length], cache_dir=primed.name)
    for _ in range(ns.rounds):
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            if ns.keep_state:
                a = kept.name
                for old in Path(a).glob("cache.sqlite*"):  # answers are not kept: only prompt states
                    old.unlink()
            elif ns.prime:
                shutil.copytree(Path(primed.name) / "llama-prefix", Path(a) / "llama-prefix")
            tty = on_terminal(args, cache_dir=a)
            pipe = on_pipe(args, cache_dir=b)
        same &= tty.out == pipe.out and tty.err == pipe.err
        firsts.append(tty.first or float("nan"))
        totals.append(tty.total)
        piped.append(pipe.total)
        print(f"terminal: first words {tty.first:.2f} s, done {tty.total:.2f} s; pipe: done {pipe.total:.2f} s")
    print(
        f"median of {ns.rounds}: first words {statistics.median(firsts):.2f} s, terminal done"
        f" {statistics.median(totals):.2f} s, pipe done {statistics.median(piped):.2f} s;"
        f" same output: {'yes' if same else 'NO'}"
    )
    kept.cleanup()
    primed.cleanup()
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
