"""The command line: parse arguments, call one library function, format, exit.

One module per command (``article``: summarise, translate, facts; ``check``; ``digest``;
``batch``; ``eval``; ``cache``; ``inspect``), imported only when its command runs: ``--help`` and a cached answer
must not pay for the SDK, llama.cpp or the batch machinery they do not use.

Exit codes: 0 success; 1 a runtime failure (endpoint, model, cache miss in replay mode);
2 bad usage or unreadable input; 3 a quality check failed under ``--strict``.
Errors are one line on stderr; ``--debug`` adds the traceback.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import logging
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from types import CodeType, FrameType

from ..errors import SummarizerError
from ..redact import redact
from .arguments import PROG, build_parser

__all__ = ["main", "program", "summarise_main"]

# command -> "module:function" under summarizer.cli
HANDLERS = {
    "task": "article:task_command",  # every task of output/tasks.py but those named here
    "facts": "article:facts_command",
    "check": "check:check_command",
    "digest": "digest:digest_command",
    "batch": "batch:batch_command",
    "merge-reports": "batch:merge_reports_command",
    "eval": "eval:eval_command",
    "cache": "cache:cache_command",
    "inspect": "inspect:inspect_command",
    "serve": "serve:serve_command",
    "pull": "pull:pull_command",
    "memory": "memory:memory_command",
    "glossary": "memory:glossary_command",
}


def _handler(target: str) -> Callable[[argparse.Namespace], int]:
    module, function = target.split(":")
    handler: Callable[[argparse.Namespace], int] = getattr(importlib.import_module(f".{module}", __package__), function)
    return handler


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser(HANDLERS)
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format=f"{PROG}: %(message)s",
        stream=sys.stderr,
    )
    if args.debug:
        # The SDK and httpx log every request at DEBUG; keep ours, not their headers.
        for noisy in ("openai", "httpx", "httpx2", "httpcore"):
            logging.getLogger(noisy).setLevel(logging.INFO)
    try:
        return _handler(args.handler)(args)
    except SummarizerError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"{PROG}: error: {redact(str(exc), os.environ.get('OPENAI_API_KEY'))}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        # `summarizer facts --schema | head`: the reader left; that is not an error of ours.
        # Point stdout at devnull so the interpreter's final flush does not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: one line, never a traceback by default
        if args.debug:
            traceback.print_exc()
        message = redact(f"{type(exc).__name__}: {exc}", os.environ.get("OPENAI_API_KEY"))
        print(f"{PROG}: internal error: {message} (run with --debug for details)", file=sys.stderr)
        return 1


def program() -> int:
    """The ``summarizer`` console script and ``python -m summarizer``: ``main``, then a quick exit."""
    _hear_ctrl_c()
    return _leaving(main())


def summarise_main() -> int:
    """The ``summarise`` console script: ``summarise FILE`` is ``summarizer summarise FILE``."""
    _hear_ctrl_c()
    return _leaving(main(["summarise", *sys.argv[1:]]))


def _hear_ctrl_c() -> None:
    """Ctrl-C while llama.cpp works leaves at once, with the one line; elsewhere it is Python's own.

    A KeyboardInterrupt raised in the middle of llama.cpp's work can land where Python drops it:
    in llama.cpp's log callback (ctypes prints it as "ignored"), in an import lock's weakref
    callback while the SDK loads beside the model. The command then ran on as if never told. And
    the exit would wait for a prompt read that cannot be stopped. Only where Python's default
    handler is in place: a parent that ignores SIGINT (a background job) is obeyed."""
    import signal

    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _on_ctrl_c)


def _on_ctrl_c(signum: int, frame: FrameType | None) -> None:
    local = sys.modules.get("summarizer.llm.local")
    if local is not None and (local.busy() or _inside(frame, local.log_callback_code())):
        print(f"{PROG}: interrupted", file=sys.stderr)
        _leave_now(130)
    raise KeyboardInterrupt


def _inside(frame: FrameType | None, code: CodeType) -> bool:
    """Whether ``frame`` runs ``code`` or is called from it."""
    while frame is not None:
        if frame.f_code is code:
            return True
        frame = frame.f_back
    return False


def _leaving(code: int) -> int:
    """The process is about to exit: hide its heap from the cycle collector first.

    Exiting, the interpreter runs the collector over the whole heap more than once: 0.4 s of a
    batch's wall and CPU here (the SDK's thousand pydantic classes, the batch's results), for
    garbage nobody waits for. Every file and database is closed by now, so nothing is lost.
    Not in ``main``: the tests call it again and again in one process, which must collect.
    """
    gc.freeze()
    # Looked up, not imported: a command that never loaded the embedded model pays nothing here.
    local = sys.modules.get("summarizer.llm.local")
    if local is not None and local.busy():
        _leave_now(code)
    return code


def _leave_now(code: int) -> None:
    """Exit without waiting for llama.cpp, busy in another thread (Ctrl-C during a prompt read or
    a batch's answer, an error before the request): a read cannot be stopped midway and may take
    seconds. The interpreter's own exit would wait for it, and freeing the model under it crashed.
    Answers, the batch's ledger and the cache are written by now; a prompt state being kept is
    let finish, so no half-written file is left."""
    import threading

    writer = getattr(sys.modules.get("summarizer.llm.prefix"), "WRITER_THREAD", None)
    for thread in threading.enumerate():
        if writer is not None and thread.name == writer:
            thread.join()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
