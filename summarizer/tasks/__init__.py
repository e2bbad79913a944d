"""One article -> model requests -> one result: prompts, structured output, summarise, translate.
Typed against ``llm.chat``'s Protocols, never the concrete client.

This ``__init__`` imports nothing: importing a module of the package must not pay for its siblings.
"""
