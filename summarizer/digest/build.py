"""The digest task: many articles, one email an editor's readers are glad to open.

Per article: a headline and a short summary (the summarise task, so they come through the
cache: a digest of articles already processed costs nothing), its source and date, and the
quality checks. An article that cannot be read or whose model call fails becomes a one-line
note in the digest instead of breaking it; zero readable articles is an input error.

Rendering is Jinja with autoescaping for HTML (anything from an article or a model is
escaped) and a plain-text twin; the HTML is built for mail clients: tables, inline CSS, no
external resources, a preheader line.
"""

from __future__ import annotations

import glob
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date as Date
from datetime import datetime
from pathlib import Path

from markupsafe import Markup

from .. import render
from ..checks.verdict import Check
from ..errors import BackendError, InputError, OutputInvalid, SummarizerError, UsageError
from ..facts.extract import extract_facts
from ..llm.chat import Usage
from ..llm.client import LLM
from ..tasks.summarise import summarise
from ..text.articles import Article, article_files, load_article
from .fallback import FALLBACKS, choose
from .window import article_time

__all__ = ["Digest", "DigestItem", "Failure", "LABELS", "build_digest", "expand_inputs", "render_html", "render_text"]

LABELS = {
    "en": {
        "title": "News digest",
        "stories": "story|stories",
        "intro": "Today's wire in {n} {stories}, the most important first.",
        "source": "Source",
        "facts": "Key facts",
        "not_included": "Not included",
        "top": "Top stories",
        "footer": "Summaries written by {model}. Check the original before you publish.",
    },
    "ru": {
        "title": "Дайджест новостей",
        "stories": "материал|материала|материалов",
        "intro": "Лента за день: {n} {stories}, главное — первым.",
        "source": "Источник",
        "facts": "Ключевые факты",
        "not_included": "Не вошли в дайджест",
        "top": "Главное",
        "footer": "Аннотации подготовлены моделью {model}. Перед публикацией сверьтесь с оригиналом.",
    },
    "kk": {
        "title": "Жаңалықтар дайджесі",
        "stories": "материал",
        "intro": "Күн жаңалықтары: {n} {stories}, маңыздысы — алдымен.",
        "source": "Дереккөз",
        "facts": "Негізгі деректер",
        "not_included": "Дайджестке енбеді",
        "top": "Басты жаңалықтар",
        "footer": "Аннотацияларды {model} моделі дайындады. Жарияламас бұрын түпнұсқамен салыстырыңыз.",
    },
}


@dataclass(frozen=True)
class DigestItem:
    article: Article
    headline: str
    summary: str
    facts: tuple[str, ...]
    topic: str
    checks: tuple[Check, ...]  # the headline's, then the summary's
    # What the editor sees when a check failed (``digest.fallback``): the fallback's label or
    # what to check, the summary with its failing spans marked, and whether the headline may
    # go into the subject line.
    note: str | None = None
    summary_html: Markup | None = None
    headline_passed: bool = True
    headline_checks: int = 0  # how many of ``checks`` are the headline's: stderr names whose check failed

    @property
    def importance(self) -> float:
        # No editor's judgement is available, so lead with what the wire itself gave most
        # substance: more key facts, then a longer article.
        return len(self.facts) * 1000 + len(self.article.body)


@dataclass(frozen=True)
class Failure:
    label: str
    reason: str


@dataclass(frozen=True)
class Digest:
    title: str
    subject: str
    date: str
    lang: str
    intro: str
    groups: tuple[tuple[str, tuple[DigestItem, ...]], ...]
    failures: tuple[Failure, ...]
    model: str
    usage: Usage

    @property
    def items(self) -> list[DigestItem]:
        return [item for _, items in self.groups for item in items]

    @property
    def labels(self) -> dict[str, str]:
        return LABELS[self.lang]


def expand_inputs(inputs: Iterable[str]) -> list[str]:
    """Files, directories and globs, in the order given; a directory contributes ``article_files``."""
    paths: list[str] = []
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            paths.extend(str(p) for p in article_files(path))
        elif any(ch in raw for ch in "*?[") and not path.exists():
            paths.extend(sorted(glob.glob(raw)))
        else:
            paths.append(raw)
    return paths


def build_digest(
    inputs: Iterable[str],
    llm: LLM,
    *,
    lang: str = "en",
    title: str | None = None,
    facts: bool | None = None,
    fallback: str = "lead",
    read: Callable[[str], Article] = load_article,
    since: datetime | None = None,
) -> Digest:
    """``facts``: add up to five key facts per article (default: yes, except on a tiny model
    such as the embedded one, which cannot produce the facts JSON: measured on the seed, it loops
    to the limit).
    ``fallback``: what an item whose headline or summary failed its checks shows
    (``digest.fallback``: ``lead``, the article's own headline and lead; ``none``, the model's
    text marked). ``read``: how an article is read (the caller's size limit and agencies)."""
    if fallback not in FALLBACKS:
        raise UsageError(f"unknown fallback {fallback!r}; choose one of {', '.join(FALLBACKS)}")
    with_facts = not llm.capabilities.tiny if facts is None else facts
    if lang not in LABELS:
        raise UsageError(f"unknown language {lang!r}; choose one of {', '.join(LABELS)}")
    labels = LABELS[lang]
    items: list[DigestItem] = []
    failures: list[Failure] = []
    usage = Usage()
    paths = expand_inputs(inputs)
    for path in paths:
        try:
            article = read(path)
        except InputError as exc:
            failures.append(Failure(path, str(exc)))
            continue
        if since is not None and ((when := article_time(article)) is None or when < since):
            continue
        try:
            headline = summarise(article, llm, lang=lang, length="headline")
            summary = summarise(article, llm, lang=lang, length="short")
        except (InputError, UsageError):
            raise
        except SummarizerError as exc:
            failures.append(Failure(path, str(exc)))
            continue
        usage = usage + headline.usage + summary.usage
        key_facts, topic = _key_facts(article, llm, lang) if with_facts else ((), None)
        shown = choose(
            article,
            headline.text.strip().strip('"«»').rstrip("."),
            headline.checks,
            summary.text,
            summary.checks,
            lang=lang,
            mode=fallback,
        )
        items.append(
            DigestItem(
                article=article,
                headline=shown.headline,
                summary=shown.summary,
                facts=key_facts,
                topic=topic or labels["top"],
                checks=headline.checks + summary.checks,
                note=shown.note,
                summary_html=shown.summary_html,
                headline_passed=shown.headline_passed,
                headline_checks=len(headline.checks),
            )
        )
    if not items:
        empty = f"no article pulled since {since.isoformat(timespec='minutes')}" if since and paths else "no input files"
        reasons = "; ".join(f"{f.label}: {f.reason}" for f in failures[:3]) or empty
        raise InputError(f"no readable articles for the digest ({reasons})")
    groups: dict[str, list[DigestItem]] = {}
    for item in sorted(items, key=lambda i: -i.importance):
        groups.setdefault(item.topic, []).append(item)
    ordered = tuple((topic, tuple(group)) for topic, group in groups.items())
    # A dateline without a year (--08-10) cannot date the digest; only full dates do.
    full = [d for i in items if (d := i.article.meta.date) and i.article.meta.year_known]
    day = max(full, default=Date.today().isoformat())
    heading = title or labels["title"]
    # The subject is built only from text that passed: the first headline fit for it.
    top = next((i.headline for _, group in ordered for i in group if i.headline_passed), None)
    return Digest(
        title=heading,
        subject=f"{heading}, {day}: {_shorten(top, 100)}" if top else f"{heading}, {day}",
        date=day,
        lang=lang,
        intro=labels["intro"].format(n=len(items), stories=plural(lang, len(items), labels["stories"])),
        groups=ordered,
        failures=tuple(failures),
        model=llm.model,
        usage=usage,
    )


def _key_facts(article: Article, llm: LLM, lang: str) -> tuple[tuple[str, ...], str | None]:
    """Up to five facts an editor scans first (people with roles, dates, organisations) and the
    article's first topic. Facts are extras: if the model cannot give them, the item stays."""
    try:
        found = extract_facts(article, llm, lang=lang)
    except (OutputInvalid, BackendError):
        return (), None
    lines = [f"{p.name} — {p.role}" if p.role else p.name for p in found.people]
    lines += [f"{d.what}: {d.qualifier + ' ' if d.qualifier not in ('on', 'in') else ''}{d.date}" for d in found.dates]
    lines += [o.name for o in found.organisations]
    topic = found.topics[0].name.capitalize() if found.topics else None
    return tuple(dict.fromkeys(lines))[:5], topic


def plural(lang: str, n: int, forms: str) -> str:
    """``forms`` is "one|many" (en), "one|few|many" (ru); Kazakh nouns after numerals stay singular."""
    options = forms.split("|")
    if lang == "ru" and len(options) == 3:
        if n % 10 == 1 and n % 100 != 11:
            return options[0]
        return options[1] if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else options[2]
    return options[0] if n == 1 or len(options) == 1 else options[-1]


def _shorten(text: str, limit: int) -> str:
    """Cut at a word boundary: inbox lists show about 80 characters of a subject."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def quality_warnings(digest: Digest) -> list[str]:
    """One line per failed check, naming whose it is: the headline's and the summary's share names."""
    return [
        f"{i.article.id}: {'headline' if n < i.headline_checks else 'summary'} check '{c.name}' failed: {c.detail}"
        for i in digest.items
        for n, c in enumerate(i.checks)
        if not c.passed
    ]


def render_html(digest: Digest) -> str:
    return render.render_html("digest.html.j2", d=digest, L=digest.labels)


def render_text(digest: Digest) -> str:
    return render.render_text("digest.txt.j2", d=digest, L=digest.labels)
