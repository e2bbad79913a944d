"""The editor's desk: ``summarizer serve``, web pages to review, correct and approve, and a JSON API.

``app`` (the Starlette application and uvicorn), ``api`` (the JSON API for a CMS), ``pages`` and
``boards`` (what editors see), ``desk`` (the library calls both share, on the async client),
``review`` (what the pages mark), ``store`` (drafts and approvals in SQLite), ``security``
(token, sessions, CSRF). Starlette and uvicorn are the ``[serve]`` extra: only ``cli/serve.py``
imports this package, and only when ``serve`` runs.
"""
