"""The seam to every model: the only package that imports ``openai``, ``httpx2``, ``aiohttp`` and
``llama_cpp``. Request and result types, the Protocols tasks type against, the one step driver,
the client (cache -> retries -> SDK), the embedded model, the cache, token counting, rate limits.

This ``__init__`` imports nothing: importing a module of the package must not pay for its siblings.
"""
