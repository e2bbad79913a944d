"""The command line's grammar: every subcommand, its arguments and their help.

Kept apart from ``cli/main.py`` (which runs the commands) so that each stays readable; the parser
knows nothing of what a command does, only which handler ``cli`` gave for it.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

from ..config import Backend, CacheMode
from ..output.tasks import CHECK_KINDS, TASKS
from ..tasks.choices import LANGUAGES

PROG = "summarizer"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line and exit 2, like every other bad input
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def build_parser(handlers: Mapping[str, str]) -> argparse.ArgumentParser:
    """The grammar of every subcommand; ``handlers`` maps a command to where its function lives."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks and retries")
    model = argparse.ArgumentParser(add_help=False)
    model.add_argument(
        "--backend",
        choices=[b.value for b in Backend],
        help="default: openai if OPENAI_API_KEY or OPENAI_BASE_URL is set, else local",
    )
    model.add_argument("--model", help="model name at the endpoint (default gpt-4o-mini; SUMMARIZER_MODEL)")
    model.add_argument(
        "--cache-mode", choices=[m.value for m in CacheMode], help="default readwrite (SUMMARIZER_CACHE_MODE)"
    )
    model.add_argument("--timeout", type=float, help="seconds per request (default 120; SUMMARIZER_TIMEOUT)")

    parser = _Parser(
        prog=PROG,
        description="Newsroom summaries, translations and facts from any OpenAI-compatible model, or the embedded one.",
        parents=[common],
    )
    parser.set_defaults(debug=False)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    # The tasks (output/tasks.py): a subcommand each, its options read from the task's parameters.
    tasks = {}
    for spec in TASKS.values():
        t = sub.add_parser(spec.command, aliases=list(spec.aliases), parents=[common, model], help=spec.help)
        t.add_argument("path", nargs="?" if spec.name == "facts" else None, help="article file, or - for stdin")
        for param in spec.params:
            t.add_argument(param.flag, dest=param.key, choices=list(param.choices), default=param.default,
                           required=param.required, help=param.help)  # fmt: skip
        if spec.uses_glossary:
            t.add_argument("--glossary", help="CSV of house spellings; header row names languages, e.g. en,ru,kk")
            t.add_argument("--no-memory", action="store_true", help="this run only: no house glossary, no approved "
                           "paragraphs reused, no dismissals")  # fmt: skip
        t.add_argument("--strict", action="store_true", help="exit 3 when a quality check fails")
        t.set_defaults(handler=handlers.get(spec.command, handlers["task"]), task=spec.name)
        tasks[spec.name] = t
    for spec in ("summary", "headline", "translate"):
        tasks[spec].add_argument("--json", action="store_true", help="print the result with its metadata and checks")
        tasks[spec].add_argument("--format", choices=["text", "json", "ninjs"], help="text (default), json (as "
                                 "--json) or ninjs: one IPTC ninjs 2.2 item")  # fmt: skip
        _review_options(tasks[spec])
    f = tasks["facts"]
    f.add_argument("--schema", action="store_true", help="print the JSON Schema of the output and exit")
    f.add_argument("--json", dest="format", action="store_const", const="json", help="JSON output (the default)")
    f.add_argument("--format", choices=["json", "md", "ninjs"], default="json",
                   help="json (default), md (Markdown) or ninjs (one IPTC ninjs 2.2 item)")  # fmt: skip
    f.add_argument(
        "--keep-ungrounded", action="store_true", help="keep facts not found in the article, with null offsets"
    )

    b = sub.add_parser("batch", parents=[common, model], help="many articles, many tasks, many outlets")
    b.add_argument("input", help="a folder of articles, a glob ('wire/*.txt'), or a JSONL file of {id, text}")
    b.add_argument("--out", required=True, help="output folder (also holds the job ledger: rerun to resume)")
    b.add_argument("--tasks", help="comma-separated, e.g. summary,summary:ru (default: each outlet's tasks)")
    b.add_argument("--outlets", help="TOML file of outlets (default: one English outlet named 'default')")
    b.add_argument("--concurrency", type=int, default=8, help="requests in flight (default 8)")
    b.add_argument("--rpm", type=int, help="requests per minute to stay under")
    b.add_argument("--tpm", type=int, help="tokens per minute to stay under (estimated before sending)")
    b.add_argument("--dry-run", action="store_true", help="count tokens and estimate the cost; send nothing")
    b.add_argument("--openai-batch", action="store_true", help="use OpenAI's Batch API (half price, within 24 h)")
    b.add_argument("--poll-seconds", type=float, default=30.0, help="--openai-batch: seconds between looks")
    b.add_argument("--pricing", help="pricing TOML (default SUMMARIZER_PRICING, else the built-in table)")
    b.add_argument("--format", choices=["text", "ninjs"], default="text",
                   help="ninjs: also write each output as an IPTC ninjs item, NAME.TASK.ninjs.json")  # fmt: skip
    b.add_argument("--shard", metavar="K/N", help="run only the K-th of N parts of the inputs (one per machine)")
    b.add_argument(
        "--fallback",
        choices=["lead", "none"],
        help="a summary that failed its checks: write the article's lead instead (lead, the default) or keep it (none)",
    )
    _review_options(b)
    b.add_argument("--no-memory", action="store_true", help="this run only: translate without the house memory")
    b.set_defaults(handler=handlers["batch"])

    e = sub.add_parser("eval", parents=[common], help="compare models on a corpus: check pass rates, seconds, cost")
    e.add_argument("corpus", nargs="?", help="a folder of articles or a JSONL file of {id, text} (default: the "
                   "shipped real agency items, tests/data/agency)")  # fmt: skip
    e.add_argument("--model", dest="candidates", action=_Candidate, default=[], metavar="NAME",
                   help="a model to compare (repeat for more); the --base-url after it says where it is")  # fmt: skip
    e.add_argument("--base-url", dest="candidates", action=_Candidate, default=[], metavar="URL",
                   help="the OpenAI-compatible endpoint of the --model before it")  # fmt: skip
    e.add_argument("--embedded", dest="candidates", action=_Candidate, nargs=0, default=[],
                   help="compare the embedded model too")  # fmt: skip
    e.add_argument("--tasks", default="summary", help="comma-separated, e.g. summary,headline,translate:ru "
                   "(default summary)")  # fmt: skip
    e.add_argument("--limit", type=int, metavar="N", help="only the first N articles of the corpus")
    e.add_argument("--out", metavar="DIR", help="where each model's batch (outputs, pages, report) is kept "
                   "(default: eval/ in the cache folder; a rerun resumes from it)")  # fmt: skip
    e.add_argument("--concurrency", type=int, default=4, help="requests in flight per endpoint (default 4)")
    e.add_argument("--pricing", help="pricing TOML (default SUMMARIZER_PRICING, else the built-in table)")
    e.add_argument("--dry-run", action="store_true", help="say what each model's run would send and cost; send nothing")
    e.add_argument("--json", action="store_true", help="print the results as JSON")
    e.add_argument("--html", metavar="FILE", help="write the table as an HTML page")
    e.add_argument("--cache-mode", choices=[m.value for m in CacheMode], help="default readwrite (SUMMARIZER_CACHE_MODE)")
    e.add_argument("--timeout", type=float, help="seconds per request (default 120; SUMMARIZER_TIMEOUT)")
    e.set_defaults(handler=handlers["eval"])

    m = sub.add_parser("merge-reports", help="one report for the output folders of a sharded batch")
    m.add_argument("folders", nargs="+", metavar="OUT", help="the --out folders of the shards")
    m.add_argument("--out", required=True, help="where the merged report.json and index.html go")
    m.set_defaults(handler=handlers["merge-reports"])

    d = sub.add_parser("digest", parents=[common, model], help="build (and send) a digest email of many articles")
    d.add_argument("inputs", nargs="+", metavar="PATH", help="article files, directories or globs")
    d.add_argument("--lang", choices=list(LANGUAGES), default="en", help="language of the digest (default en)")
    d.add_argument("--title", help="digest title (default: 'News digest' in the digest's language)")
    d.add_argument("--out", metavar="FILE.eml", help="write the email as an .eml file")
    d.add_argument("--html", metavar="FILE.html", help="write the HTML part to a file")
    d.add_argument("--send-to", nargs="+", default=[], metavar="ADDRESS", help="deliver via SUMMARIZER_SMTP_URL")
    d.add_argument("--since", metavar="SPAN", help="only articles pulled in the window: 24h, 90m, 7d, or an ISO time")
    d.add_argument("--strict", action="store_true", help="exit 3 (and send nothing) when a quality check fails")
    d.add_argument(
        "--fallback",
        choices=["lead", "none"],
        default="lead",
        help="an item that failed its checks shows the article's own headline and lead (default), "
        "or none: the model's text, marked",
    )
    d.set_defaults(handler=handlers["digest"])

    p = sub.add_parser("pull", parents=[common], help="pull new items from news feeds into an inbox folder")
    p.add_argument("feeds", metavar="FEEDS.toml", help="one [[feed]] table per feed: name, url, agency?, language?, "
                   "full_text?")  # fmt: skip
    p.add_argument("--into", required=True, metavar="DIR", help="the inbox folder (created if missing)")
    p.add_argument("--wait", type=float, default=300.0, help="seconds to wait for a pull already running (default 300)")
    p.add_argument("--feed-timeout", type=float, default=20.0, help="seconds per request (default 20)")
    p.add_argument("--host-delay", type=float, default=1.0, help="seconds between requests to one host (default 1)")
    p.set_defaults(handler=handlers["pull"])

    k = sub.add_parser("check", parents=[common], help="check a translation against its source (no model call)")
    k.add_argument("source", nargs="?", help="the source article file, or - for stdin")
    k.add_argument("translation", nargs="?", help="its translation, a file")
    k.add_argument("more", nargs="*", metavar="SOURCE TRANSLATION", help="more pairs, checked together for names "
                   "spelt two ways across them")  # fmt: skip
    k.add_argument("--pairs", metavar="DIR", help="a folder of pairs: each NAME.LANG.txt beside its source NAME.txt")
    k.add_argument(
        "--to", "--lang", dest="lang", choices=list(LANGUAGES), help="language of the translation (or summary)"
    )
    k.add_argument(
        "--kind",
        choices=list(CHECK_KINDS),
        default="translation",
        help="what the second file is: a translation (default; --to ru|kk) or a summary (faithful to the source?)",
    )
    k.add_argument("--glossary", help="CSV of house spellings to check names against")
    k.add_argument("--json", action="store_true", help="every check with its verdict and evidence, as JSON")
    k.add_argument("--no-memory", action="store_true", help="this run only: no house glossary, no dismissals")
    _review_options(k, model_options=True)
    k.set_defaults(handler=handlers["check"])

    i = sub.add_parser(
        "inspect",
        parents=[common],
        help="what the tool reads from an article (no model call): header, language, tokens",
    )
    i.add_argument("path", help="article file (text or a saved web page), or - for stdin")
    i.add_argument("--backend", choices=[b.value for b in Backend], help="whose tokens and context to count")
    i.add_argument("--model", help="model name whose tokens and context to count (SUMMARIZER_MODEL)")
    i.add_argument("--json", action="store_true", help="print it as JSON (the same article object as facts --json)")
    i.set_defaults(handler=handlers["inspect"])

    c = sub.add_parser("cache", parents=[common], help="inspect or clear the response cache")
    c.add_argument("action", choices=["stats", "clear", "export", "import"])
    c.add_argument("file", nargs="?", default="-", help="JSONL file for export/import (default stdout)")
    c.add_argument("--json", action="store_true", help="stats as JSON")
    c.set_defaults(handler=handlers["cache"])

    _memory_commands(sub, common, handlers)

    # The editor's desk (summarizer/serve, the [serve] extra).
    w = sub.add_parser("serve", parents=[common, model], help="the editor's desk: web pages and a JSON API")
    w.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1; any other needs "
                   "SUMMARIZER_SERVE_TOKEN)")  # fmt: skip
    w.add_argument("--port", type=int, default=8000, help="default 8000")
    w.add_argument("--inbox", metavar="DIR", help="a folder of articles editors can pick from")
    w.add_argument("--reports", metavar="DIR", help="a batch's --out folder, browsable and reviewable")
    w.add_argument("--glossary", help="the house glossary (CSV), offered on every form")
    w.add_argument("--feeds", metavar="FEEDS.toml", help="pull these feeds into --inbox in the background")
    w.add_argument("--pull-every", metavar="SPAN", default="10m", help="how often to pull --feeds (default 10m)")
    w.add_argument("--publish-url", metavar="URL", help="POST each approval to this CMS endpoint as signed ninjs "
                   "(SUMMARIZER_PUBLISH_URL; the secret in SUMMARIZER_PUBLISH_SECRET)")  # fmt: skip
    w.add_argument("--queue", type=int, metavar="N", help="requests that may wait for the embedded model, "
                   "which answers one at a time (default 8); more are refused with 503 and Retry-After")  # fmt: skip
    w.add_argument("--allowed-host", action="append", metavar="NAME[:PORT]", help="a name the desk answers to "
                   "behind a reverse proxy (repeat for more; SUMMARIZER_SERVE_HOSTS adds too)")  # fmt: skip
    w.set_defaults(handler=handlers["serve"])
    return parser


def _memory_commands(sub: Any, common: argparse.ArgumentParser, handlers: Mapping[str, str]) -> None:
    """``memory`` and ``glossary``: the house memory (summarizer/memory, cli/memory.py)."""
    mem = sub.add_parser("memory", parents=[common], help="the house memory: approved translations, TMX, dismissals")
    mem.add_argument("action", choices=["add", "stats", "export", "import", "dismissals"])
    mem.add_argument("source", nargs="?", help="add: the source article; export/import: the TMX file")
    mem.add_argument("translation", nargs="?", help="add: its approved translation, a file")
    mem.add_argument("--to", choices=list(LANGUAGES), help="add: the translation's language")
    mem.add_argument("--outlet", help="add: only this outlet reuses it (default: the whole house)")
    mem.add_argument("--approver", help="add: who approved it")
    mem.add_argument("--revoke", type=int, metavar="ID", help="dismissals: revoke this one")
    mem.add_argument("--json", action="store_true", help="stats or dismissals as JSON")
    mem.set_defaults(handler=handlers["memory"])
    g = sub.add_parser("glossary", parents=[common], help="the glossary learnt from approvals: review and export it")
    g.add_argument("action", choices=["proposed", "accept", "reject", "export"])
    g.add_argument("target", nargs="?", help="accept/reject: the proposal's number; export: FILE.csv")
    g.add_argument("--spelling", help="accept: the house spelling, when it is not the one proposed")
    g.add_argument("--approver", help="accept/reject: who decides")
    g.add_argument("--all", action="store_true", help="proposed: list accepted and rejected entries too")
    g.add_argument("--json", action="store_true", help="proposed: as JSON")
    g.set_defaults(handler=handlers["glossary"])


class _Candidate(argparse.Action):
    """``--model A --base-url U --model B --embedded``: a list of (model, base URL) in the order given,
    each ``--base-url`` belonging to the ``--model`` before it; ``--embedded`` is ``("", "embedded")``."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option: str | None = None) -> None:  # fmt: skip
        found: list[list[str | None]] = [list(c) for c in getattr(namespace, self.dest) or []]
        if option == "--embedded":
            found.append([None, "embedded"])
        elif option == "--model":
            found.append([values, None])
        elif found and found[-1][1] is None and found[-1][0] is not None:
            found[-1][1] = values
        else:  # an endpoint with no --model of its own: the configured model name there
            found.append([None, values])
        setattr(namespace, self.dest, [tuple(c) for c in found])


def _review_options(parser: argparse.ArgumentParser, *, model_options: bool = False) -> None:
    """``--review`` and the judge's model and endpoint (``facts/review.py``)."""
    meaning = "negation, swapped roles, wrong entity, changed quantity, omission"
    parser.add_argument("--review", action="store_true", help=f"ask a model to list meaning errors ({meaning}), "
                        "each quoted from both texts")  # fmt: skip
    parser.add_argument("--review-model", help="the judge's model (default: the configured one)")
    parser.add_argument("--review-base-url", help="the judge's OpenAI-compatible endpoint (default: the configured)")
    if model_options:  # check asks no model but the judge: it needs the model options for it
        parser.add_argument("--backend", choices=[b.value for b in Backend], help="the judge's backend")
        parser.add_argument("--model", help="the judge's model name at the endpoint (SUMMARIZER_MODEL)")
