"""The embedded model's read prompts kept on disk (``llm/prefix.py``): the same answers, less reading.

The model tests run the real SmolLM2-135M on the seed (fictional-free: the seed is the real item
the other local-model tests use) and compare a process that reads the prompt cold with one that
restores a stored state first.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT, SEED

from summarizer import CacheMode, Settings
from summarizer.llm.local import PREFIX_DIR, LocalModel, default_model_path
from summarizer.llm.prefix import MIN_PREFIX_TOKENS, PrefixStates, head_length, reusable

OTHER = ROOT / "seeds" / "002_ru_almaty_transport.txt"


def _body(article: Path, task: str = "Summarise the article above in English as one short paragraph.") -> dict:
    system = "You are a news editor at a wire agency. " * 12 + "Answer with the summary only."
    user = f"<article>\n{article.read_text(encoding='utf-8')[:1500]}\n</article>\n\n{task}"
    messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
    sampling = {"temperature": 0.0, "seed": 0, "frequency_penalty": 0.5, "presence_penalty": 0.3}
    return {"messages": messages, "max_tokens": 40, **sampling}


def _answer(model: LocalModel, body: dict) -> str:
    text = model.chat(body)["choices"][0]["message"]["content"]
    if model._llama.cache:
        model._llama.cache.flush()  # the state is written beside the answer; the next "process" needs it
    return text


def _head(model: LocalModel) -> int:
    """How many tokens of the last prompt the model read make its system message (and may be kept)."""
    llama = model._llama
    prompt = llama.cache._prompt
    return reusable(head_length(prompt, llama.token_eos()), len(prompt), llama.n_batch)


def _states(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.state"))


def _whole_only(directory: Path) -> Path:
    """Drop the kept head (the smaller state) and return the whole prompt's: the one left to damage."""
    head, whole = sorted(_states(directory), key=lambda p: p.stat().st_size)
    head.unlink()
    return whole


@pytest.mark.parametrize(
    ("common", "prompt", "expected"),
    [
        (300, 654, 300),  # an article after the shared system prompt: everything shared is reused
        (654, 654, 652),  # the very prompt again: two tokens are still read, never one alone
        (653, 654, 652),
        (142, 654, 142),  # the rest is one full batch of 512
        (141, 654, 140),  # the rest would be 512 + 1, ending in a batch of one: one token more is read
        (600, 513, 0),  # a cold read of 513 tokens ends in a batch of one: only a cold read matches it
    ],
)
def test_reuse_never_leaves_a_token_to_be_read_alone(common: int, prompt: int, expected: int) -> None:
    assert reusable(common, prompt, 512) == expected
    if expected:
        rest = prompt - expected
        assert rest >= 2 and rest % 512 != 1


def test_a_prompts_head_is_its_first_message_with_its_end_token() -> None:
    assert head_length([1, 5, 6, 2, 1, 7, 2], 2) == 4
    assert head_length([1, 5, 6], 2) == 0  # a bare completion has no message to keep apart


def _fake_state(tokens: list[int], size: int):  # type: ignore[no-untyped-def]
    import llama_cpp

    ids = np.zeros(4096, dtype=np.intc)
    ids[: len(tokens)] = tokens
    return llama_cpp.llama.LlamaState(input_ids=ids, scores=np.zeros((1, 4), dtype=np.single), n_tokens=len(tokens),
                                      llama_state=b"\x01" * size, llama_state_size=size, seed=0)  # fmt: skip


def test_the_state_that_saves_most_reading_is_chosen_not_the_longest_match(tmp_path: Path) -> None:
    states = PrefixStates(tmp_path, "model|1|2|llama-cpp-python x|n_ctx 4096", llama=None)
    head = list(range(1000, 1130))  # a task's system message, kept on its own
    whole = [*head, *range(5000, 5012), *range(7000, 9000)]  # another article's prompt and answer
    for tokens in (head, whole):
        states.keep(tuple(tokens), _fake_state(tokens, 10))
    states.flush()
    new_article = (*head, *range(5000, 5012), *range(6000, 6400))
    # The whole state shares 12 tokens more, but loading its 2,142 costs more than reading 12.
    assert states._find_longest_prefix_key(new_article) == tuple(head)
    assert states._find_longest_prefix_key(tuple(whole[:-1])) == tuple(whole)  # the same article again
    # A state that would cost more to load than it spares is not offered at all.
    states._drop(states._best(tuple(head)).path, "test")  # type: ignore[union-attr]
    assert states._find_longest_prefix_key((*whole[:64], *range(6000, 6400))) is None  # 64 spared, 67 to load


def test_the_directory_is_capped_and_the_least_recently_used_state_goes_first(tmp_path: Path) -> None:
    states = PrefixStates(tmp_path, "model|1|2|llama-cpp-python x|n_ctx 4096", llama=None, cap_bytes=250_000)
    first, second = list(range(100, 200)), list(range(300, 400))
    states[first] = _fake_state(first, 100_000)
    states.flush()
    states[second] = _fake_state(second, 100_000)
    states.flush()
    assert len(_states(tmp_path)) == 2
    third = list(range(500, 600))
    states[third] = _fake_state(third, 100_000)
    states.flush()
    kept = _states(tmp_path)
    assert len(kept) == 2 and sum(p.stat().st_size for p in kept) <= 250_000
    assert states._find_longest_prefix_key(tuple(first)) is None  # the oldest went
    assert states._find_longest_prefix_key(tuple(third)) == tuple(third)
    # Too short to be worth a file: nothing written.
    short = list(range(MIN_PREFIX_TOKENS - 1))
    states[short] = _fake_state(short, 10)
    states.flush()
    assert len(_states(tmp_path)) == 2


def test_cache_mode_off_keeps_no_state_and_others_keep_it_under_the_cache_dir(tmp_path: Path) -> None:
    off = LocalModel.from_settings(Settings.resolve(backend="local", cache_mode=CacheMode.OFF, cache_dir=tmp_path))
    assert off.prefix_dir is None
    on = LocalModel.from_settings(Settings.resolve(backend="local", cache_dir=tmp_path))
    assert on.prefix_dir == tmp_path / PREFIX_DIR


@pytest.mark.local_model
def test_one_process_answers_a_prompt_again_as_a_cold_read_does(tmp_path: Path) -> None:
    """The desk's case: one model, many requests. What stays in memory from the last request is
    reused as far as it keeps a cold read's numbers, with or without a directory of states."""
    path = default_model_path()
    seed, other = _body(SEED), _body(OTHER)
    cold = {name: _answer(LocalModel(path=path), body) for name, body in (("seed", seed), ("other", other))}
    for model in (LocalModel(path=path), LocalModel(path=path, prefix_dir=tmp_path / PREFIX_DIR)):
        answers = [_answer(model, body) for body in (seed, seed, other)]
        assert answers == [cold["seed"], cold["seed"], cold["other"]]


@pytest.mark.local_model
def test_a_restored_prompt_state_gives_the_cold_answer_for_the_same_and_another_article(tmp_path: Path) -> None:
    path = default_model_path()
    seed, other = _body(SEED), _body(OTHER)
    cold = {name: _answer(LocalModel(path=path), body) for name, body in (("seed", seed), ("other", other))}

    keep = tmp_path / PREFIX_DIR
    first = LocalModel(path=path, prefix_dir=keep)
    assert _answer(first, other) == cold["other"]
    # Two states: the system message read on its own first, and the whole prompt with its answer.
    sizes = sorted(p.stat().st_size for p in _states(keep))
    assert len(sizes) == 2 and sizes[0] < sizes[1] / 3
    # A new process, another article: the shared system prompt comes from the small state.
    model = LocalModel(path=path, prefix_dir=keep)
    assert _answer(model, seed) == cold["seed"]
    assert model._llama.cache.reused == _head(model) >= MIN_PREFIX_TOKENS
    assert len(_states(keep)) == 3  # the seed's whole prompt too; its head was there already
    # The same article again: all but the last two tokens come from the state, same answer.
    model = LocalModel(path=path, prefix_dir=keep)
    assert _answer(model, seed) == cold["seed"]
    assert model._llama.cache.reused > 300


@pytest.mark.local_model
@pytest.mark.parametrize("damage", ["garbage", "truncated", "flipped"])
def test_a_corrupt_state_file_is_dropped_with_one_warning_and_the_prompt_read_in_full(
    tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    path, body = default_model_path(), _body(SEED)
    keep = tmp_path / PREFIX_DIR
    cold = _answer(LocalModel(path=path, prefix_dir=keep), body)
    state = _whole_only(keep)
    data = state.read_bytes()
    if damage == "garbage":
        state.write_bytes(b"not a state at all\n" * 10)
    elif damage == "truncated":
        state.write_bytes(data[: len(data) // 2])
    else:  # same length, one byte of the llama.cpp state changed: the checksum catches it
        state.write_bytes(data[:-100] + bytes([data[-100] ^ 0xFF]) + data[-99:])
    caplog.set_level(logging.WARNING, logger="summarizer.llm.prefix")
    model = LocalModel(path=path, prefix_dir=keep)
    assert _answer(model, body) == cold
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "reading the prompt in full" in warnings[0].getMessage()
    assert model._llama.cache.reused == 0
    assert len(_states(keep)) == 2  # the damaged file went, this run's head and whole took its place


@pytest.mark.local_model
def test_a_state_from_another_model_file_or_build_is_not_used(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path, body = default_model_path(), _body(SEED)
    keep = tmp_path / PREFIX_DIR
    cold = _answer(LocalModel(path=path, prefix_dir=keep), body)
    state = _whole_only(keep)
    state.write_bytes(state.read_bytes().replace(b"llama-cpp-python ", b"llama-cpp-pythoX ", 1))
    caplog.set_level(logging.WARNING, logger="summarizer.llm.prefix")
    model = LocalModel(path=path, prefix_dir=keep)
    assert _answer(model, body) == cold
    assert model._llama.cache.reused == 0 and not caplog.records


@pytest.mark.local_model
def test_a_well_formed_file_whose_state_llama_cpp_refuses_is_dropped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path, body = default_model_path(), _body(SEED)
    keep = tmp_path / PREFIX_DIR
    cold = _answer(LocalModel(path=path, prefix_dir=keep), body)
    state = _whole_only(keep)
    model = LocalModel(path=path, prefix_dir=keep)
    model._load(vocab_only=False)
    stored = model._llama.cache._header(state)
    state.unlink()
    # Right header and checksum, but not llama.cpp's bytes: only llama.cpp itself can say no.
    model._llama.cache._write(stored.tokens, b"\x00\x01" * 4096)
    caplog.set_level(logging.WARNING, logger="summarizer.llm.prefix")
    assert _answer(model, body) == cold
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "llama.cpp refused it" in warnings[0]
    assert model._llama.cache.reused == 0
