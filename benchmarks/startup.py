"""What a user waits for when they type a command: each command's wall time, from the shell.

Each command runs as a new process, as an editor or cron starts it. "cold" is its first run here
(for ``summarise``/``translate``: the embedded model really generates, into an empty cache);
"warm" is the median of the next runs (the answer is in the cache). Every figure is also given
as a ratio to ``python -c "import openai"`` timed in the same run, so the ratios hold on a noisy
machine.

    python benchmarks/startup.py             # 5 warm runs each
    python benchmarks/startup.py --runs 9 --json

Targets: ``--help`` at most 0.3x of ``import openai``; a warm cached ``summarise`` of the seed on
the embedded default at most 0.5x, with the same output as the cold run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_8ce9aa6233c040a4.txt"
RUSSIAN = ROOT / "seeds" / "002_ru_almaty_transport.txt"
SUMMARIZER = str(Path(sys.executable).parent / "summarizer")

COMMANDS = {
    "--help": [SUMMARIZER, "--help"],
    "cache stats": [SUMMARIZER, "cache", "stats"],
    "check": [SUMMARIZER, "check", str(SEED), str(RUSSIAN), "--to", "ru"],
    "summarise": [SUMMARIZER, "summarise", str(SEED)],
    "translate --to kk": [SUMMARIZER, "translate", str(SEED), "--to", "kk"],
}


def timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    return time.perf_counter() - start, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="warm runs per command (default 5)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="startup-") as cache:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_"))}
        env["SUMMARIZER_CACHE_DIR"] = cache  # the embedded default, an empty cache
        # A user's Python keeps compiled bytecode (__pycache__); a sandbox that sets
        # PYTHONDONTWRITEBYTECODE would make every run compile the package again.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        baseline = [timed([sys.executable, "-c", "import openai"], env)[0] for _ in range(args.runs)]
        rows = []
        for name, command in COMMANDS.items():
            cold, first = timed(command, env)
            warm = [timed(command, env) for _ in range(args.runs)]
            same = all(out == first for _, out in warm)
            rows.append(
                {"command": name, "cold_s": cold, "warm_s": statistics.median(t for t, _ in warm), "same": same}
            )
        base = statistics.median(baseline)
    print(f"python -c 'import openai': {base:.3f} s (median of {args.runs}); {os.cpu_count()} CPUs")
    print(f"{'command':<20} {'cold s':>8} {'warm s':>8} {'warm/openai':>12} {'same output':>12}")
    for r in rows:
        r["warm_vs_import_openai"] = round(r["warm_s"] / base, 3)
        print(
            f"{r['command']:<20} {r['cold_s']:>8.3f} {r['warm_s']:>8.3f} {r['warm_vs_import_openai']:>11.2f}x"
            f" {'yes' if r['same'] else 'NO':>12}"
        )
    by = {r["command"]: r for r in rows}
    ok = by["--help"]["warm_vs_import_openai"] <= 0.3 and by["summarise"]["warm_vs_import_openai"] <= 0.5
    ok = ok and by["summarise"]["same"]
    print(f"targets (--help <= 0.3x, cached summarise <= 0.5x with the same output): {'met' if ok else 'NOT met'}")
    if args.json:
        print(json.dumps({"import_openai_s": base, "rows": rows}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
