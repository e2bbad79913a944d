"""ninjs out: one IPTC ninjs 2.2 item per output, the shape AP's and TT's APIs and many CMSs take.

Beside the ``--json`` shapes (``shapes.py``), for the same results:

- ``uri``: a ``urn:summarizer:`` name derived from the source, the task, the language and the
  text, so the same output is the same item and a changed text a new one;
- ``headlines``: the headline task's text, or the source's own title when it is in the output's
  language (a translation's first line is the translated title);
- ``descriptions``: the summary (role ``summary``); ``bodies``: the translation, or the source's
  body under a summary in its own language; ``people``/``organisations``/``places``: the facts;
- ``language``, ``versioncreated``; the source's identifiers (GUID, link) as ``altids`` and the
  source item itself, with its headline, language and published time, as an ``association``
  named ``source``: a translation links to what it translates;
- ``infosources``: the agency the copy came from and the model that wrote the output;
  ``digitalsourcetype``: IPTC's ``trainedAlgorithmicMedia``, which a model's text is;
  ``ednote``: the model and every check's verdict, for the desk that receives it.

ninjs 2.2 allows no property of its own (its schema closes the object), so the model and the
checks go where the standard has room: ``infosources`` and ``ednote``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..checks.verdict import Check
    from ..text.articles import Article
    from .tasks import TaskSpec

__all__ = ["NINJS_MEDIA_TYPE", "NINJS_VERSION", "Output", "item_of", "ninjs_item", "source_uri", "verdicts"]

NINJS_VERSION = "2.2"
NINJS_MEDIA_TYPE = "application/ninjs+json"
_SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json"
_GENERATED = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"


def source_uri(article: Article) -> str:
    """The source's own identifier when it has a URI one (GUID, else link), else a name for its text."""
    wire = article.meta.wire
    for candidate in (wire.guid, wire.link) if wire else ():
        if candidate and ":" in candidate:
            return candidate
    digest = hashlib.sha256(article.text.encode("utf-8")).hexdigest()[:24]
    return f"urn:summarizer:article:{digest}"


@dataclass(frozen=True)
class Output:
    """What a ninjs item is made of: a task's result, or a document an editor approved."""

    task: str  # summary | headline | translate | facts
    kind: str  # summary | translation | facts
    article: Article
    text: str
    lang: str
    model: str
    backend: str
    checks: tuple[tuple[str, bool, bool], ...]  # (name, passed, has a warning) of each check
    script: str = "cyrl"
    facts: Any = None  # the facts' output model, for a facts item
    fallback: str | None = None  # the text is the article's own lead: the model's failed its checks
    approved: str | None = None  # "by NAME at TIME" once an editor approved the text


def verdicts(checks: Iterable[Check]) -> tuple[tuple[str, bool, bool], ...]:
    return tuple((c.name, c.passed, any(f.severity == "warning" for f in c.findings)) for c in checks)


def ninjs_item(
    spec: TaskSpec, result: Any, *, text: str | None = None, fallback: str | None = None, now: datetime | None = None
) -> dict[str, Any]:
    """``result`` of task ``spec`` (a summary, headline, translation or facts) as one ninjs item.
    ``text``: what is published instead of the model's text (a batch's fallback lead, which
    ``fallback`` then names)."""
    made = spec.made(result)
    out = Output(
        task=spec.name,
        kind=spec.kind,
        article=result.article,
        text=spec.text(result) if text is None else text,
        lang=str(getattr(result, "lang", None) or result.article.language),
        model=made.model,
        backend=made.backend,
        checks=verdicts(spec.checks(result)),
        script=getattr(result, "script", "cyrl"),
        facts=result.to_model() if spec.kind == "facts" else None,
        fallback=fallback,
    )
    return item_of(out, now=now)


def item_of(out: Output, *, now: datetime | None = None) -> dict[str, Any]:
    article, text = out.article, out.text
    # Kazakh in the 2021 Latin alphabet is its own BCP 47 tag; the CMS must not show it as Cyrillic.
    language = "kk-Latn" if out.lang == "kk" and out.script == "latn" else out.lang
    created = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    key = "\0".join((source_uri(article), out.task, language, text))
    item: dict[str, Any] = {
        "uri": f"urn:summarizer:{out.task}:{language}:{hashlib.sha256(key.encode('utf-8')).hexdigest()[:24]}",
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": _SCHEMA},
        "type": "text",
        "version": "1",
        "versioncreated": created,
        "firstcreated": created,
        "pubstatus": "usable",
        "language": language,
    }
    own_title = article.meta.title if article.language == out.lang else None
    if out.task == "headline":
        item["headlines"] = [{"role": "main", "value": text.strip()}]
    elif out.kind == "translation":
        first, _, rest = text.strip().partition("\n\n")
        if article.meta.title and rest:
            item["headlines"] = [{"role": "main", "value": first.strip()}]
        item["bodies"] = [{"role": "main", "contenttype": "text/plain", "value": text.strip()}]
    elif out.kind == "summary":
        if own_title:
            item["headlines"] = [{"role": "main", "value": own_title}]
        item["descriptions"] = [{"role": "summary", "contenttype": "text/plain", "value": text.strip()}]
        if article.language == out.lang:
            item["bodies"] = [{"role": "main", "contenttype": "text/plain", "value": article.body}]
    else:
        if own_title:
            item["headlines"] = [{"role": "main", "value": own_title}]
        item.update(_facts(out.facts))
    if article.meta.dateline:
        item["located"] = article.meta.dateline
    item.update(_source(article, out.model))
    item["ednote"] = _ednote(out)
    if out.fallback:
        # Not the model's text: the source's own words stand in for a summary that failed.
        item["infosources"] = [p for p in item["infosources"] if p["role"] != "model"]
        del item["digitalsourcetype"]
    return item


def _source(article: Article, model: str) -> dict[str, Any]:
    wire = article.meta.wire
    altids = []
    if wire and wire.guid:
        altids.append({"role": "source-guid", "value": wire.guid})
    if wire and wire.link:
        altids.append({"role": "source-link", "value": wire.link})
    source: dict[str, Any] = {"name": "source", "uri": source_uri(article), "type": "text"}
    if article.language != "und":
        source["language"] = article.language
    if article.meta.title:
        source["headlines"] = [{"role": "main", "value": article.meta.title}]
    published = wire.when("published") if wire else None
    if published is not None:
        source["versioncreated"] = published.astimezone(UTC).isoformat(timespec="seconds")
    agency = article.meta.agency or (wire.agency if wire else None)
    if agency:
        source["copyrightholder"] = agency
    parties = [{"name": agency, "role": "source"}] if agency else []
    parties.append({"name": model, "role": "model"})
    out: dict[str, Any] = {
        "associations": [source],
        "infosources": parties,
        "digitalsourcetype": {"name": "Created using a trained model", "uri": _GENERATED},
    }
    if altids:
        out["altids"] = altids
    return out


def _facts(out: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    people = [{"name": p.name, **({"rel": p.role} if p.role else {})} for p in out.people]
    organisations = [{"name": o.name, "literal": str(o.kind)} for o in out.organisations]
    places = [{"name": p.name, "literal": str(p.kind)} for p in out.places]
    for key, values in (("people", people), ("organisations", organisations), ("places", places)):
        if values:
            found[key] = values
    return found


def _ednote(out: Output) -> str:
    failed = [name for name, passed, _ in out.checks if not passed]
    warned = [name for name, passed, warning in out.checks if passed and warning]
    verdict = f"{len(out.checks)} checks: " + ("all passed" if not failed else f"failed: {', '.join(failed)}")
    if warned:
        verdict += f"; look first: {', '.join(warned)}"
    note = f"Written by the model {out.model} ({out.backend}). {verdict}."
    if out.fallback:
        shown = "the source article's own lead" if out.fallback == "lead" else out.fallback
        note = f"The model's text failed its checks; this is {shown}. {note}"
    if out.approved:
        note += f" Approved {out.approved}."
    return note
