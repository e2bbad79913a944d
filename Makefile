# Two entry points for a fresh machine (see README):
#   make demo   set up .venv and summarise the seed on the embedded model (no key, no network)
#   make test   set up .venv and run the test suite
# The first setup compiles llama.cpp (llama-cpp-python) once per machine while pip's wheel cache
# lasts, and only what the Python bindings load (LLAMA_CMAKE_ARGS below; docs/BENCHMARKS.md has
# where the build's time went). Keep pip's cache on; never add --no-cache-dir here.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SEED   := seeds/000_8ce9aa6233c040a4.txt
# No multimodal library (LLAVA_BUILD), and none of llama.cpp's "common" library, tools, tests or
# examples: the bindings load libllama and ggml only (scripts/llama_bindings_only.cmake).
# GGML_NATIVE=OFF: a -march=native build on a processor with AMX (Sapphire Rapids) crashed in its
# first decode here; AVX2/FMA/F16C run on every x86-64 machine this project meets, and a 135M model
# does not need more. A wheel in pip's cache built natively is found by the smoke test below.
LLAMA_CMAKE_ARGS ?= -DLLAVA_BUILD=OFF -DCMAKE_PROJECT_llama.cpp_INCLUDE=$(CURDIR)/scripts/llama_bindings_only.cmake \
	-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON

.PHONY: demo test setup clean screenshot browser desk-screenshot

screenshot: docs/digest-seed.png

$(STAMP): pyproject.toml scripts/llama_bindings_only.cmake
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS) $(CMAKE_ARGS)" $(BIN)/python -m pip install --quiet -e '.[local,html,serve,wire,test]'
	# pip's wheel cache is keyed on the source, not CMAKE_ARGS: a llama.cpp wheel built for another
	# processor is reused as it is. If it cannot decode one token here, drop it and build it again.
	$(BIN)/python scripts/llama_smoke.py || ( $(BIN)/python -m pip cache remove 'llama_cpp_python*' && \
	  CMAKE_ARGS="$(LLAMA_CMAKE_ARGS) $(CMAKE_ARGS)" $(BIN)/python -m pip install --quiet --force-reinstall --no-deps \
	  "llama-cpp-python==$$($(BIN)/python -c 'import importlib.metadata as m; print(m.version("llama-cpp-python"))')" && \
	  $(BIN)/python scripts/llama_smoke.py )
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/summarizer summarise $(SEED)

test: $(STAMP)
	@command -v chromium >/dev/null || $(MAKE) --no-print-directory browser || echo "no chromium (needs root to install): the desk's browser tests will be skipped"
	$(BIN)/python -m pytest -n auto

clean:
	rm -rf $(VENV) build dist *.egg-info

# The README's picture of the seed digest: replayed from the fixture cache (the embedded
# model's real answers), rendered by headless Chromium (apt-get install chromium).
docs/digest-seed.png: $(STAMP) tests/fixtures/cache.jsonl summarizer/templates/digest.html.j2
	tmp=$$(mktemp -d) && \
	SUMMARIZER_CACHE_DIR=$$tmp $(BIN)/summarizer cache import tests/fixtures/cache.jsonl && \
	SUMMARIZER_CACHE_DIR=$$tmp $(BIN)/summarizer digest $(SEED) --backend local --cache-mode replay --html $$tmp/digest.html; \
	$(BIN)/python scripts/screenshot.py $$tmp/digest.html $@ --height 640; rm -rf $$tmp

# The desk's browser tests drive Debian's chromium through Playwright's Python package (no browser
# download, never `playwright install`); without chromium they skip and say why. Needs root.
browser:
	command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver)

# The README's picture of the desk's review page, taken by the browser test itself.
desk-screenshot: $(STAMP) browser
	DESK_SCREENSHOT=docs/desk-review.png $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_serve_browser.py -k review
