"""``python -m summarizer`` is the ``summarizer`` command."""

from .cli.main import program

raise SystemExit(program())
