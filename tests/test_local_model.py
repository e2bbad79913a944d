"""The real embedded model (SmolLM2-135M through llama.cpp) on the seed: slow-ish, no network."""

from __future__ import annotations

import pytest
from conftest import SEED

from summarizer import CacheMode, Settings, load_article, open_llm, summarise

pytestmark = pytest.mark.local_model


def test_embedded_model_summarises_the_seed_in_english() -> None:
    settings = Settings.resolve(backend="local", cache_mode=CacheMode.OFF)
    with open_llm(settings) as llm:
        summary = summarise(load_article(SEED), llm, lang="en", length="short")
    assert summary.model == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert summary.usage.prompt_tokens > 400  # the whole article went in
    assert summary.usage.completion_tokens > 10
    checks = {c.name: c.passed for c in summary.checks}
    assert checks["not_empty"] and checks["language"]
    assert "Kazakhstan" in summary.text or "Belarus" in summary.text


def test_embedded_model_counts_with_its_own_tokenizer() -> None:
    with open_llm(Settings.resolve(backend="local", cache_mode=CacheMode.OFF)) as llm:
        counter = llm.counter()
        assert counter.exact and counter.name.startswith("llama.cpp:")
        assert 400 < counter.count(load_article(SEED).body) < 900


def test_embedded_model_through_the_async_client_gives_the_same_answer() -> None:
    import asyncio

    from summarizer.llm.steps import arun
    from summarizer.tasks.summarise import summarise_steps

    article = load_article(SEED)
    with open_llm(Settings.resolve(backend="local", cache_mode=CacheMode.OFF)) as llm:
        sync = summarise(article, llm, length="headline")

        async def go():  # type: ignore[no-untyped-def]
            try:
                return await arun(summarise_steps(article, llm, length="headline"), llm)
            finally:
                await llm.aclose()

        assert asyncio.run(go()).text == sync.text


def test_embedded_model_streams_the_same_answer_through_its_transport() -> None:
    import dataclasses

    from summarizer.tasks.summarise import summarise_steps

    article = load_article(SEED)
    told: list[str] = []

    class Listener:
        def on_text(self, request, delta):  # type: ignore[no-untyped-def]
            told.append(delta)

    with open_llm(Settings.resolve(backend="local", cache_mode=CacheMode.OFF)) as llm:
        (request,) = next(summarise_steps(article, llm, length="headline"))
        streamed = llm.stream(request, Listener())
        whole = llm.complete(dataclasses.replace(request, watch=None))  # llama.cpp's plain answer
    assert len(told) > 3 and "".join(told) == streamed.text == whole.text
    assert streamed.usage == whole.usage and streamed.finish_reason == whole.finish_reason


def test_a_cancelled_embedded_stream_stops_the_model_and_frees_it() -> None:
    import asyncio

    from summarizer.tasks.summarise import summarise_steps

    article = load_article(SEED)
    told: list[str] = []

    class Listener:
        def on_text(self, request, delta):  # type: ignore[no-untyped-def]
            told.append(delta)

    with open_llm(Settings.resolve(backend="local", cache_mode=CacheMode.OFF)) as llm:
        (request,) = next(summarise_steps(article, llm, length="medium"))

        async def go() -> str:
            try:
                task = asyncio.create_task(llm.astream(request, Listener()))
                while len(told) < 3:
                    await asyncio.sleep(0.02)
                task.cancel()
                try:
                    await task
                except asyncio.CancelledError:
                    pass
                heard = len(told)
                await asyncio.sleep(0.3)
                assert len(told) == heard  # nothing more was generated for it
                # The model's lock was let go: the next request is answered.
                (headline,) = next(summarise_steps(article, llm, length="headline"))
                return (await asyncio.wait_for(llm.acomplete(headline), 60)).text
            finally:
                await llm.aclose()

        assert asyncio.run(go()).strip()


def test_loading_the_model_in_a_thread_loses_nothing_other_threads_write() -> None:
    """llama-cpp-python silences a load by pointing file descriptors 1 and 2 at /dev/null, for the
    whole process: what the desk's other threads logged meanwhile, or the CLI printed, was lost."""
    import subprocess
    import sys

    script = """
import os, sys, threading
from summarizer.llm.local import LocalModel, default_model_path
model = LocalModel(path=default_model_path())
loading = threading.Thread(target=model._load, kwargs={"vocab_only": False})
loading.start()
n = 0
while loading.is_alive() or n < 50:
    n += 1
    print(f"out {n}", flush=True)
    print(f"err {n}", file=sys.stderr, flush=True)
print(f"total {n}", file=sys.stderr, flush=True)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    total = int(done.stderr.split()[-1])
    assert done.stdout.splitlines() == [f"out {i}" for i in range(1, total + 1)]
    assert done.stderr.splitlines()[:-1] == [f"err {i}" for i in range(1, total + 1)]
