"""The facts task: extraction, the answer's schema, grounding each fact to its span, merging parts.

This ``__init__`` imports nothing: importing a module of the package must not pay for its siblings.
"""
