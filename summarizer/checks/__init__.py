"""Model-free verdicts on what a model wrote: summaries and translations, each check with its evidence.

This ``__init__`` imports nothing: importing a module of the package must not pay for its siblings.
"""
