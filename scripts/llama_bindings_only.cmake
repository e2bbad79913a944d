# Build only what llama-cpp-python's bindings load: libllama and ggml.
#
# llama-cpp-python forces LLAMA_BUILD_COMMON on, but the Python bindings never load llama.cpp's
# "common" library (argument parsing, downloads, an HTTP client, chat templates for the tools):
# it was 65% of the compile time of a first setup here (docs/BENCHMARKS.md). CMake runs this file
# right after llama.cpp's own project() call, before it reads the option, so the switch holds.
# Used by the Makefile through CMAKE_ARGS=-DCMAKE_PROJECT_llama.cpp_INCLUDE=<this file>.
set(LLAMA_BUILD_COMMON OFF CACHE BOOL "llama.cpp's common library: not used by the Python bindings" FORCE)
