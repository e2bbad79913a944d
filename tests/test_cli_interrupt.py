"""Ctrl-C while the embedded model loads or reads a prompt: one line, exit 130, no crash, no wait.

What went wrong before, each at some moment of the first seconds:
- the prompt is read ahead in a worker thread that llama.cpp cannot stop midway; the interpreter's
  exit waited for it (seconds on a long article), or freed the model under it (SIGSEGV);
- llama-cpp-python points file descriptors 1 and 2 at /dev/null while a model loads, for the
  whole process, so the "interrupted" line went there;
- a KeyboardInterrupt raised inside llama.cpp's log callback is dropped by ctypes, so the Ctrl-C
  went unheard and the command ran on.
The long seed's first part takes seconds to read on this hardware: the moments below, counted from
when llama.cpp's library is mapped, fall in the load, the read ahead and the request's own read; on
faster hardware some fall in the answer, which must end the same.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

LONG = ROOT / "seeds" / "001_long_energy_forum.txt"


def _started(pid: int) -> None:
    """Wait until the process has mapped llama.cpp's library: past the CLI's start, at the load."""
    deadline = time.monotonic() + 60
    while "libllama" not in Path(f"/proc/{pid}/maps").read_text():
        assert time.monotonic() < deadline, "the embedded model was never loaded"
        time.sleep(0.005)


@pytest.mark.local_model
@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads /proc to know the model is loading")
@pytest.mark.parametrize("after", [1.0, 2.5])  # seconds after llama.cpp was mapped: in the read
def test_ctrl_c_during_the_models_read_ends_at_once_with_one_line(tmp_path: Path, after: float) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_"))}
    env["SUMMARIZER_CACHE_DIR"] = str(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "summarizer", "summarise", str(LONG)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env, start_new_session=True,
        # As a shell runs a command in the foreground. A background job or a test runner's worker
        # may ignore SIGINT, and a child inherits that: it would never hear the Ctrl-C.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    _started(proc.pid)
    time.sleep(after)
    os.killpg(proc.pid, signal.SIGINT)  # what the terminal sends the foreground process group
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err.decode()
    assert err.decode() == "summarizer: interrupted\n"
    assert out == b""
    assert not list(tmp_path.rglob("*.partial"))  # no prompt state left half-written
