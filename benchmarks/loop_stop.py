"""What the early loop stop saves: the seed's Kazakh translation on the embedded model, cold.

Each round translates the seed into Kazakh twice in this process, cache off, a fresh model each
time, alternately:

* ``whole``: every answer generated to its end (the stream's watch never asked; as before the
  loop stop: a looping answer runs to its token limit, then the re-ask does too);
* ``cut``: the answer streamed and cut as soon as the translation's repetition rule sees a loop
  (``checks.summary.looping``), the re-ask started at once.

It prints the wall time, completion tokens and the verdicts (which checks failed) of each: the
verdicts must be the same, only sooner.

    python benchmarks/loop_stop.py             # 2 rounds
    python benchmarks/loop_stop.py --rounds 3 --to ru
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_8ce9aa6233c040a4.txt"


def once(mode: str, lang: str) -> tuple[float, int, list[str], str, int]:
    from summarizer.checks.verdict import failed
    from summarizer.config import Backend, CacheMode, Settings
    from summarizer.llm.client import LLM
    from summarizer.tasks.translate import translate
    from summarizer.text.articles import load_article

    settings = Settings(
        backend=Backend.LOCAL, cache_mode=CacheMode.OFF, local_model=os.environ.get("SUMMARIZER_LOCAL_MODEL")
    )
    llm = LLM(settings)
    if mode == "whole":  # the same client with the watch never asked: answers run to their end
        llm.route = replace(llm.route, capabilities=replace(llm.capabilities, watch_always=False))
    start = time.perf_counter()
    result = translate(load_article(SEED), llm, lang=lang)
    seconds = time.perf_counter() - start
    llm.close()
    names = sorted(c.name for c in failed(list(result.checks)))
    return seconds, result.usage.completion_tokens, names, result.finish_reason, result.retried


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--to", default="kk")
    args = parser.parse_args()
    times: dict[str, list[float]] = {"whole": [], "cut": []}
    verdicts: dict[str, set[tuple[str, ...]]] = {"whole": set(), "cut": set()}
    for round_ in range(1, args.rounds + 1):
        for mode in ("whole", "cut"):
            seconds, tokens, names, finish, retried = once(mode, args.to)
            times[mode].append(seconds)
            verdicts[mode].add(tuple(names))
            print(f"round {round_} {mode:5}: {seconds:6.1f} s, {tokens:5} completion tokens, retried {retried},"
                  f" finish_reason {finish}, failed: {', '.join(names) or 'none'}")  # fmt: skip
    whole, cut = statistics.median(times["whole"]), statistics.median(times["cut"])
    failing = all(verdicts[m] and all(verdicts[m]) for m in verdicts)  # every run failed some check
    seen_whole = set().union(*verdicts["whole"])
    seen_cut = set().union(*verdicts["cut"])
    print(f"median: whole {whole:.1f} s, cut {cut:.1f} s ({whole / cut:.1f}x sooner);"
          f" every run a failure: {'yes' if failing else 'NO'}; checks failed only whole:"
          f" {', '.join(sorted(seen_whole - seen_cut)) or 'none'}; only cut: {', '.join(sorted(seen_cut - seen_whole)) or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
