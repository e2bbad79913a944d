"""The embedded model's read prompts kept on disk, so a new process skips re-reading their prefix.

Most of a prompt is the same from one article to the next (the task's system prompt and its
instructions): llama.cpp's state after reading a prompt (its KV cache) is saved beside the
response cache, and a later process that sends a prompt starting with the same tokens loads that
state and reads only the rest. llama-cpp-python drives it through ``Llama.set_cache``: before a
completion it asks for the stored state with the longest common token prefix, after one it offers
the state it ended with.

A state is only valid for the model file, the llama.cpp build and the context size that made it:
those make the ``fingerprint`` every file carries and is checked against. A file that is
truncated, corrupt or foreign is dropped with one warning line, and the prompt is read in full.
The directory is capped (``DEFAULT_CAP_BYTES``): the least recently used states go first.

The part every article of a task shares is the chat's first message (the system prompt): a prompt
read with nothing of it in memory is read in two steps, that message and then the rest, and the
state after the first step is kept on its own (``PrefixLlama.generate``). A new article then loads
that small state (23 KB a token) rather than another article's whole prompt and answer, which
held the same shared part at ten times the size.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import struct
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import llama_cpp
import numpy as np
from llama_cpp import Llama
from llama_cpp.llama_cache import BaseLlamaCache

__all__ = [
    "DEFAULT_CAP_BYTES",
    "LOAD_COST",
    "MIN_PREFIX_TOKENS",
    "PrefixLlama",
    "PrefixStates",
    "fingerprint",
    "head_length",
    "reusable",
]

log = logging.getLogger(__name__)
DEFAULT_CAP_BYTES = 128 * 1024 * 1024  # a handful of read prompts and answers of SmolLM2-135M (23 KB a token)
MIN_PREFIX_TOKENS = 64  # below this, loading a state saves less than it costs
# Loading a kept token (23 KB read, hashed and copied into llama.cpp) costs about a 32nd of reading
# it again (measured on SmolLM2-135M, docs/BENCHMARKS.md): what ranks one stored state over another.
LOAD_COST = 1 / 32
WRITER_THREAD = "summarizer-prefix"
_MAGIC = b"SUMMARIZER-LLAMA-PREFIX-1\n"
_HEADER = struct.Struct("<Q")  # the JSON header's length in bytes
_SUFFIX = ".state"


def fingerprint(model: Path, n_ctx: int) -> str:
    """What a state depends on besides its tokens: the model file, the llama.cpp build, n_ctx."""
    stat = model.stat()
    return f"{model.name}|{stat.st_size}|{stat.st_mtime_ns}|llama-cpp-python {llama_cpp.__version__}|n_ctx {n_ctx}"


class PrefixLlama(Llama):
    """``Llama`` whose reuse of what it read gives a cold read's answers, that keeps the state after
    a prompt's first message, and whose saved state leaves out the logits buffer.

    With a cache set, llama-cpp-python saves the state after every completion, and its own
    ``save_state`` copies the whole logits buffer (n_batch x vocabulary floats: 100 MB for
    SmolLM2) each time; a state is always followed by reading at least one token, which writes
    fresh logits, so the KV state alone is enough."""

    def save_state(self) -> llama_cpp.llama.LlamaState:
        size = llama_cpp.llama_state_get_size(self.ctx)
        buffer = (llama_cpp.ctypes.c_uint8 * int(size))()
        n = int(llama_cpp.llama_state_get_data(self.ctx, buffer, size))
        if n > int(size):
            raise RuntimeError("failed to copy the llama.cpp state")
        return llama_cpp.llama.LlamaState(
            input_ids=self.input_ids.copy(),
            scores=np.zeros((1, self.n_vocab()), dtype=np.single),
            n_tokens=self.n_tokens,
            llama_state=bytes(buffer)[:n],
            llama_state_size=n,
            seed=getattr(self, "_seed", 0),
        )

    def generate(self, tokens: Sequence[int], *args: Any, **kwargs: Any) -> Any:
        """llama-cpp-python's ``generate``, reusing from memory only what keeps a cold read's
        numbers, and after reading the prompt's first message on its own and keeping the state it
        leaves, when neither memory nor a stored state holds that message."""
        prompt = list(tokens)
        self._reuse_as_cold(prompt)
        if isinstance(self.cache, PrefixStates):
            self._read_head(prompt)
        return super().generate(tokens, *args, **kwargs)

    def _reuse_as_cold(self, prompt: list[int]) -> None:
        """Cut what llama-cpp-python would reuse from memory to what ``reusable`` allows. Left to
        itself, a prompt sent again re-reads its last token alone, and the second answer differed
        from the first (the seed's summary from its 28th word) in one long-lived process."""
        in_memory = _common(self.input_ids[: self.n_tokens].tolist(), prompt)
        if in_memory == 0:
            return
        if self.n_tokens == in_memory == len(prompt) and not self._requires_eval:
            return  # the prompt read ahead (``LocalModel.prepare``): its own logits, sampled at once
        self.n_tokens = reusable(in_memory, len(prompt), self.n_batch)  # ``generate`` drops the rest

    def _read_head(self, prompt: list[int]) -> None:
        assert isinstance(self.cache, PrefixStates)
        head = reusable(head_length(prompt, self.token_eos()), len(prompt), self.n_batch)
        in_memory = _common(self.input_ids[: self.n_tokens].tolist(), prompt)
        # The cache lookup has run: a stored state holding the head is loaded by now. A step of one
        # token would change the numbers (``reusable``), so a head already all but read is left.
        if head < MIN_PREFIX_TOKENS or head - in_memory < 2:
            return
        self.n_tokens = in_memory  # ``eval`` drops the memory past it and reads from there
        self.eval(prompt[in_memory:head])
        self.cache.keep(tuple(prompt[:head]), self.save_state())


def head_length(prompt: Sequence[int], end_of_message: int) -> int:
    """How many tokens the prompt's first chat message takes, its end-of-message token included;
    0 when the prompt has none (a bare completion)."""
    for i, token in enumerate(prompt):
        if token == end_of_message:
            return i + 1
    return 0


def reusable(common: int, prompt: int, n_batch: int) -> int:
    """How many of a prompt's first tokens a stored state may stand for, so that the answer is
    the very one a cold read gives.

    Measured on SmolLM2 (docs/BENCHMARKS.md): llama.cpp gives a token the same numbers whatever
    batch it is read in, as long as that batch holds two tokens or more; a token read alone (a
    batch of one) comes out slightly different, and so does the answer. A cold read splits the
    prompt every ``n_batch`` tokens from the start; the rest after a restored prefix is split
    every ``n_batch`` from the prefix. So: at least two tokens are re-read, no batch of the rest
    is a single token, and a prompt whose cold read ends in a batch of one is read cold.
    """
    if prompt % n_batch == 1:
        return 0
    usable = min(common, prompt - 2)
    if (prompt - usable) % n_batch == 1:
        usable -= 1
    return max(usable, 0)


@dataclass(frozen=True)
class _Entry:
    path: Path
    tokens: tuple[int, ...]
    digest: str  # sha256 of the state bytes
    offset: int  # where the state bytes start in the file
    size: int


def _common(a: Sequence[int], b: Sequence[int]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


class PrefixStates(BaseLlamaCache):
    """llama.cpp states on disk, looked up by the longest common token prefix."""

    def __init__(self, directory: Path, print_: str, llama: Any, *, cap_bytes: int = DEFAULT_CAP_BYTES) -> None:
        super().__init__(capacity_bytes=cap_bytes)
        self.directory = directory
        self.fingerprint = print_
        self._llama = llama
        self._prompt: tuple[int, ...] = ()  # the prompt of the completion in progress
        self._writers: list[threading.Thread] = []
        self.reused = 0  # prompt tokens the last restored state stood for

    def __bool__(self) -> bool:  # llama-cpp-python tests ``if self.cache:``
        return True

    @property
    def cache_size(self) -> int:
        return sum(p.stat().st_size for p in self._files())

    def _find_longest_prefix_key(self, key: tuple[int, ...]) -> tuple[int, ...] | None:
        best = self._best(key)
        return best.tokens if best else None

    def __contains__(self, key: Sequence[int]) -> bool:
        return self._best(tuple(key)) is not None

    def __getitem__(self, key: Sequence[int]) -> llama_cpp.llama.LlamaState:
        """The stored state sharing the longest prefix with prompt ``key``; ``KeyError`` when none
        is worth loading (llama-cpp-python then reads the prompt in full, or reuses its own)."""
        prompt = self._prompt = tuple(key)
        llama = self._llama
        in_memory = _common(llama.input_ids[: llama.n_tokens].tolist(), prompt)
        best = self._best(prompt)
        usable = reusable(_common(best.tokens, prompt), len(prompt), llama.n_batch) if best else 0
        if usable < MIN_PREFIX_TOKENS or usable <= in_memory:
            raise KeyError("no stored prefix longer than the one in memory")
        state = self._read(best)
        if state is None:
            raise KeyError("unreadable prefix state")
        # Loaded once here to learn whether llama.cpp accepts it: llama-cpp-python's own load
        # raises on a refused state instead of reading the prompt in full.
        if llama_cpp.llama_state_set_data(llama.ctx, (llama_cpp.ctypes.c_uint8 * len(state)).from_buffer_copy(state),
                                          len(state)) != len(state):  # fmt: skip
            self._drop(best.path, "llama.cpp refused it")
            llama.reset()
            llama_cpp.llama_memory_clear(llama_cpp.llama_get_memory(llama.ctx), True)
            raise KeyError("prefix state refused")
        os.utime(best.path)  # recently used: the cap evicts it last
        self.reused = usable
        log.debug("prompt state %s: %d of %d prompt tokens not read again", best.path.name, usable, len(prompt))
        ids = np.zeros(llama.input_ids.shape, dtype=np.intc)
        ids[:usable] = best.tokens[:usable]
        return llama_cpp.llama.LlamaState(
            input_ids=ids,
            # llama-cpp-python keeps last logits beside the state; they are recomputed before any
            # sampling (a restored state always re-reads at least one token), so none are stored.
            scores=np.zeros((1, llama.n_vocab()), dtype=np.single),
            n_tokens=usable,  # llama-cpp-python drops the cells past it and reads the prompt from there
            llama_state=state,
            llama_state_size=len(state),
            seed=getattr(llama, "_seed", 0),
        )

    def __setitem__(self, key: Sequence[int], value: llama_cpp.llama.LlamaState) -> None:
        """Keep the state a completion ended with, unless a stored one already holds its prompt."""
        tokens = tuple(int(t) for t in value.input_ids[: value.n_tokens])
        prompt = self._prompt or tuple(key)
        if len(tokens) < MIN_PREFIX_TOKENS or _common(tokens, prompt) < len(prompt) - 1:
            return  # a state that does not hold the prompt read is of no use to the next one
        best = self._best(prompt)
        if best is not None and _common(best.tokens, prompt) >= len(prompt) - 1:
            return
        self.keep(tokens, value)

    def keep(self, tokens: tuple[int, ...], value: llama_cpp.llama.LlamaState) -> None:
        """Write ``value``, the state after reading ``tokens``, in a background thread."""
        if value.llama_state_size > self.capacity_bytes // 2:
            return
        # Written beside the answer, not before it: the first completion of a process is the
        # prompt read ahead (``LocalModel.prepare``), and its first words must not wait for the
        # disk. Not a daemon thread: the process waits for the file at exit.
        state = value.llama_state[: value.llama_state_size]
        writer = threading.Thread(target=self._keep, args=(tokens, state), name=WRITER_THREAD)
        self._writers = [w for w in self._writers if w.is_alive()] + [writer]
        writer.start()

    def _keep(self, tokens: tuple[int, ...], state: bytes) -> None:
        try:
            self._write(tokens, state)
            self._evict()
        except OSError as exc:
            log.warning("cannot keep the embedded model's prompt state in %s: %s", self.directory, exc)

    def flush(self) -> None:
        """Wait for the states being written, if any."""
        for writer in self._writers:
            writer.join()

    def _files(self) -> list[Path]:
        try:
            return [p for p in self.directory.iterdir() if p.name.endswith(_SUFFIX)]
        except OSError:
            return []

    def _best(self, prompt: tuple[int, ...]) -> _Entry | None:
        """The state that saves the most: tokens it spares reading, less what loading it costs.
        So a task's shared head wins over another article's whole prompt and answer that shares
        a few tokens more, and the same article's own state wins over both."""
        best, rank = None, 0.0  # a state that costs more to load than it spares is not worth it
        for path in self._files():
            entry = self._header(path)
            if entry is None or (common := _common(entry.tokens, prompt)) < MIN_PREFIX_TOKENS:
                continue
            if (r := common - len(entry.tokens) * LOAD_COST) > rank:
                best, rank = entry, r
        return best

    def _header(self, path: Path) -> _Entry | None:
        try:
            with path.open("rb") as f:
                if f.read(len(_MAGIC)) != _MAGIC:
                    raise ValueError("not a prefix state file")
                (length,) = _HEADER.unpack(f.read(_HEADER.size))
                if length > 1 << 24:
                    raise ValueError("header too long")
                head = json.loads(f.read(length))
            if head["fingerprint"] != self.fingerprint:
                return None  # another model or llama.cpp build: left for it, the cap evicts it
            offset = len(_MAGIC) + _HEADER.size + length
            tokens = tuple(int(t) for t in head["tokens"])
            entry = _Entry(path, tokens, str(head["sha256"]), offset, int(head["size"]))
        except (OSError, ValueError, KeyError, TypeError, struct.error) as exc:
            self._drop(path, str(exc) or type(exc).__name__)
            return None
        return entry

    def _read(self, entry: _Entry) -> bytes | None:
        try:
            with entry.path.open("rb") as f:
                f.seek(entry.offset)
                data = f.read(entry.size + 1)
        except OSError as exc:
            self._drop(entry.path, str(exc))
            return None
        if len(data) != entry.size or hashlib.sha256(data).hexdigest() != entry.digest:
            self._drop(entry.path, "truncated or corrupt")
            return None
        return data

    def _write(self, tokens: tuple[int, ...], state: bytes) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = hashlib.sha256(f"{self.fingerprint}|{tokens}".encode()).hexdigest()[:32]
        head = json.dumps({"fingerprint": self.fingerprint, "tokens": tokens, "size": len(state),
                           "sha256": hashlib.sha256(state).hexdigest()}).encode()  # fmt: skip
        final = self.directory / f"{name}{_SUFFIX}"
        partial = final.with_suffix(f".{os.getpid()}-{threading.get_ident()}.partial")
        try:
            with partial.open("wb") as f:
                f.write(_MAGIC + _HEADER.pack(len(head)) + head)
                f.write(state)
            os.replace(partial, final)  # a reader sees the whole file or none
        finally:
            partial.unlink(missing_ok=True)

    def _evict(self) -> None:
        files = sorted(self._files(), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        total = 0
        for path in files:
            total += path.stat().st_size
            if total > self.capacity_bytes:
                path.unlink(missing_ok=True)

    def _drop(self, path: Path, why: str) -> None:
        log.warning("ignoring the embedded model's prompt state %s (%s); reading the prompt in full", path.name, why)
        path.unlink(missing_ok=True)
