"""``python -m summarizer`` is the ``summarizer`` command."""

from .cli.main import main

raise SystemExit(main())
