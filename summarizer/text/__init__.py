"""Language knowledge, no model: reading articles, words and stems, numbers, glossaries, language
identification, transliteration. Imports only the leaves (``errors``, ``config``, ``redact``).

This ``__init__`` imports nothing: importing a module of the package must not pay for its siblings.
"""
