"""Many articles x outlets x tasks, concurrently and resumably: jobs, the run, the OpenAI Batch API,
the dry run and prices, inputs, outlets, the ledger, the report and progress.

This ``__init__`` imports nothing: importing a module of the package must not pay for its siblings.
"""
