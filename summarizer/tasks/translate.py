"""The translate task: a whole wire item into Russian, Kazakh or English, checked, re-asked once if it fails.

The source may be in any language the model reads (``text.langid`` names it; an unidentified
one is sent as "the original language").

The model gets the article as received (wire header and source line included, so it translates
the dateline too). An article whose prompt and translation fit the model's context and one
answer's output budget goes in one call; a longer one is split on paragraph boundaries
(``split_to_budget``). Each part is sent with only the glossary terms that occur in it, and with
the previous part's last paragraph as already translated, so that names stay spelt one way.
A paragraph too long for one part is cut between sentences and its translated pieces are joined
back into one paragraph.

Every part's answer is checked against its source (``checks.translation.check_translation``). A part that
fails is asked again once, with the failures stated after the article; the better of the two
answers (fewer failed checks) is kept. The re-ask is a fresh prompt, not the conversation with
the first answer in it: that would not fit a small context next to a second answer, and a
looping first answer invites the same loop. The joined translation is checked once more as a
whole, and that verdict is what the caller sees. Kazakh in Latin script is the Cyrillic answer
run through ``translit.to_latin``: deterministic, never the model's own Latin.

With the house memory (``memory/``), a paragraph the house has approved before is not sent:
its approved translation is used as it is and listed in ``reused`` (where it stands, who
approved it, when); the paragraphs between are sent as before, and the closest approved
paragraphs go along as examples of the house's wording. The joined text is checked as a
whole all the same, and the memory's dismissals mark what an editor has already ruled out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

from ..checks.summary import looping
from ..checks.translation import REPETITION_LIMIT as _REPETITION_LIMIT
from ..checks.translation import check_translation
from ..checks.verdict import Check, failed
from ..errors import OutputInvalid, UsageError
from ..llm.chat import ChatRequest, ChatResult, Completer, Made, MadeBy, ModelInfo, Tally
from ..llm.steps import Steps
from ..llm.steps import run as run_steps
from ..llm.tokens import TokenCounter, split_to_budget
from ..memory.dismissals import dismissed
from ..memory.recall import Segment, recall
from ..memory.store import HouseMemory, Unit
from ..text.articles import Article, ArticleMeta, split_paragraphs
from ..text.glossary import Glossary
from ..text.provenance import without_header
from ..text.translit import ALPHABET_NAME, to_latin
from ..text.words import LETTERS
from .choices import LANGUAGES, SCRIPTS, TARGETS, source_name
from .prompts import Prompt, render

__all__ = ["SCRIPTS", "TARGETS", "Reused", "Translation", "reused_note", "translate", "translate_steps"]

ALPHABETS = {
    ("ru", "cyrl"): "russian-cyrillic",
    ("kk", "cyrl"): "kazakh-cyrillic",
    ("kk", "latn"): ALPHABET_NAME,
    ("en", "latn"): "latin",
}
# Tokens of translation per token of source, measured on the corpus's good translations of the
# same sources: en->ru 2.1-2.4 (cl100k) and 2.9-3.9 (SmolLM2's tokenizer), en->kk 3.3-3.8 and
# 3.7-4.7; ru<->kk from the parallel ru/kk pairs. Rounded up: too small a budget cuts the answer.
# Into English the count shrinks (cl100k spends 2-3 tokens on a Cyrillic word, 1-2 on an English
# one); 1.2 keeps a margin. Belarusian and Ukrainian into Russian are near word for word.
_EXPANSION = {
    ("en", "ru"): 4.2,
    ("en", "kk"): 5.0,
    ("ru", "kk"): 1.6,
    ("kk", "ru"): 1.3,
    ("ru", "en"): 1.2,
    ("kk", "en"): 1.2,
    ("be", "ru"): 1.6,
    ("uk", "ru"): 1.6,
}
_DEFAULT_EXPANSION = 5.0
_MAX_OUTPUT = 4096  # per answer: hosted models cap their output (gpt-4o-mini: 16k), servers often at 4k
_SAFETY = 0.9  # leave a tenth of the context free: token counts may be approximate (tokens.py)
_CONTEXT_CHARS = 600  # how much of the previous part's translation goes along as context
_DETAIL_CHARS = 100  # how much of each failed check's evidence a re-ask states


@dataclass(frozen=True)
class Reused:
    """A paragraph of the translation taken from the memory: where it is in ``cyrillic``, and the unit."""

    span: tuple[int, int]
    unit: Unit


@dataclass(frozen=True)
class Translation(MadeBy):
    article: Article
    text: str  # in the script asked for
    cyrillic: str  # what the model wrote (joined, quotes normalised): what the checks judged
    lang: str
    script: str
    alphabet: str
    made: Made
    retried: int  # parts asked again because their checks failed
    finish_reason: str
    terms: tuple[tuple[str, str], ...]  # glossary (source form, target form) pairs that were sent
    checks: tuple[Check, ...]
    reused: tuple[Reused, ...] = ()  # paragraphs from the house memory, sent to no model


@dataclass
class _Run:
    llm: ModelInfo
    article: Article
    source_lang: str
    lang: str
    glossary: Glossary | None
    tally: Tally = field(default_factory=Tally)
    retried: int = 0
    terms: dict[str, str] = field(default_factory=dict)
    examples: list[tuple[str, str]] = field(default_factory=list)  # close approved units (memory)
    memory: HouseMemory | None = None
    outlet: str = ""

    def dismissed(self, checks: tuple[Check, ...]) -> tuple[Check, ...]:
        """What the editors dismissed is no failure: not in the verdict, and no reason to re-ask."""
        if self.memory is None:
            return checks
        return dismissed(checks, self.memory, document=self.article.id, source_lang=self.source_lang,
                         target_lang=self.lang, outlet=self.outlet)  # fmt: skip

    def ask(self, prompt_messages: tuple[dict[str, str], ...], max_tokens: int, task: str) -> Steps[ChatResult]:
        # A loop is cut as it starts, by the rule the translation's checks fail it on (their words).
        request = ChatRequest(task=task, messages=prompt_messages, max_tokens=max_tokens, article=self.article.id,
                              watch=_looping)  # fmt: skip
        (result,) = yield [request]
        self.tally.add([result])
        return result


def _looping(text: str) -> bool:
    return looping(text, words=LETTERS, limit=_REPETITION_LIMIT)


def translate(
    article: Article,
    llm: Completer,
    *,
    lang: str,
    script: str = "cyrl",
    glossary: Glossary | None = None,
    memory: HouseMemory | None = None,
    outlet: str = "",
) -> Translation:
    """Translate one article through the sync client (see ``translate_steps``)."""
    steps = translate_steps(article, llm, lang=lang, script=script, glossary=glossary, memory=memory, outlet=outlet)
    return run_steps(steps, llm)


def translate_steps(
    article: Article,
    llm: ModelInfo,
    *,
    lang: str,
    script: str = "cyrl",
    glossary: Glossary | None = None,
    memory: HouseMemory | None = None,
    outlet: str = "",
) -> Steps[Translation]:
    """The translate task as model requests (parts go one after another: each carries the end of
    the previous part's translation, so names stay consistent)."""
    if lang not in TARGETS:
        raise UsageError(f"cannot translate into {lang!r}; choose one of {', '.join(TARGETS)}")
    if lang == "en" and script == "cyrl":
        script = "latn"  # --script picks Kazakh's alphabet; its default means "the usual one" for English
    if (lang, script) not in ALPHABETS:
        raise UsageError(f"--script {script} is for Kazakh only; {LANGUAGES[lang]} has one script")
    source_lang = article.language
    if source_lang == lang:
        raise UsageError(f"{article.path or article.id} is already in {LANGUAGES[lang]}; nothing to translate")
    source = source_text(article)
    run = _Run(llm, article, source_lang, lang, glossary, memory=memory, outlet=outlet)
    segments = [Segment(source, None)]
    if memory is not None:
        found = recall(memory, source_lang=source_lang, target_lang=lang, outlet=outlet)
        paragraphs = split_paragraphs(source)
        run.examples = [(u.source, u.target) for _, u in found.similar(paragraphs)]
        if any(found.exact(p) for p in paragraphs):
            segments = found.segments(paragraphs)
    pieces = [_chunks(s.text, run) if s.unit is None else [] for s in segments]
    total = sum(len(p) or 1 for p in pieces)
    cyrillic = ""
    reasons: list[str] = []
    reused: list[Reused] = []
    context = ""
    index = 0
    for segment, chunks in zip(segments, pieces, strict=True):
        if cyrillic:
            cyrillic += "\n\n"
        if segment.unit is not None:  # approved before: used as approved, sent nowhere
            index += 1
            reused.append(Reused((len(cyrillic), len(cyrillic) + len(segment.unit.target)), segment.unit))
            cyrillic += segment.unit.target
            context = _tail(segment.unit.target)
            continue
        for chunk, joiner in chunks:
            index += 1
            part = (index, total) if total > 1 else None
            text, reason = yield from _translate_part(chunk, run, part=part, context=context)
            cyrillic += text + joiner
            reasons.append(reason)
            context = _tail(split_paragraphs(text)[-1] if text.strip() else "")
    # A part cut at its token limit, or at a loop, leaves the whole incomplete.
    finish = next((r for r in ("length", "repetition") if r in reasons), reasons[-1] if reasons else "stop")
    checks = check_translation(
        source, cyrillic, source_lang=source_lang, target_lang=lang, glossary=glossary, finish_reason=finish
    )
    checks = run.dismissed(checks)
    return Translation(
        article=article,
        text=to_latin(cyrillic) if script == "latn" else cyrillic,
        cyrillic=cyrillic,
        lang=lang,
        script=script,
        alphabet=ALPHABETS[(lang, script)],
        made=_made(run, llm, parts=sum(map(len, pieces))),
        retried=run.retried,
        finish_reason=finish,
        terms=tuple(run.terms.items()),
        checks=checks,
        reused=tuple(reused),
    )


def _made(run: _Run, llm: ModelInfo, *, parts: int) -> Made:
    made = run.tally.made(llm, parts=parts)
    # Every paragraph from the memory: no call at all, which is not "answered by the cache".
    return made if run.tally.calls else replace(made, cached=False)


def reused_note(translation: Translation) -> str | None:
    """The line a page shows when paragraphs came from the house memory (None when none did)."""
    if not translation.reused:
        return None
    who = sorted({f"{r.unit.approver or 'unnamed'} at {r.unit.approved_at}" for r in translation.reused})
    total = len(split_paragraphs(translation.cyrillic))
    return (f"{len(translation.reused)} of {total} paragraph(s) from the house memory, sent to no model "
            f"(approved by {'; '.join(who[:3])}{' and others' if len(who) > 3 else ''})")  # fmt: skip


def source_text(article: Article) -> str:
    """The article as received, header and source line included, with the body's normalisation."""
    text = unicodedata.normalize("NFC", article.text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    return without_header(text) if article.meta.wire is not None else text


def _chunks(source: str, run: _Run) -> list[tuple[str, str]]:
    """The parts to send, each with what joins its translation to the next ("" after the last)."""
    counter = run.llm.counter()
    limit = int(run.llm.context_tokens() * _SAFETY)
    factor = _EXPANSION.get((run.source_lang, run.lang), _DEFAULT_EXPANSION)
    # A re-ask of a whole article shrinks its own output budget to fit (see _translate_part), so
    # the fit test needs no room for the failures; the parts below do keep some.
    whole = _prompt(source, run, part=None, context="")
    if counter.count_messages(whole.messages) + _output_budget(counter.count(source), factor) <= limit and (
        counter.count(source) * factor <= _MAX_OUTPUT - 64
    ):
        return [(source, "")]
    # Room for the instructions, every glossary term, and a full context paragraph.
    overhead = counter.count_messages(
        _prompt("", run, part=(99, 99), context="я" * _CONTEXT_CHARS, failures=_WORST_FAILURES).messages
    )
    if run.glossary is not None:
        overhead += sum(counter.count(f"- {s} = {t}\n") for s, t in _terms(source, run))
    budget = int(min((limit - overhead - 64) / (1 + factor), (_MAX_OUTPUT - 64) / factor))
    if budget < 64:
        raise UsageError(
            f"the model's context ({run.llm.context_tokens()} tokens) is too small to translate even one paragraph"
        )
    return _pack(split_paragraphs(source), budget, counter)


def _pack(paragraphs: list[str], budget: int, counter: TokenCounter) -> list[tuple[str, str]]:
    """Whole paragraphs per part; a paragraph longer than a part is cut between sentences, and its
    pieces are joined back with a space (not a paragraph break) in the part and in the translation."""
    units: list[tuple[str, bool]] = []  # (text, ends a paragraph)
    for paragraph in paragraphs:
        pieces = [p.replace("\n\n", " ") for p in split_to_budget([paragraph], budget, counter)]
        units.extend((piece, i == len(pieces) - 1) for i, piece in enumerate(pieces))
    parts: list[tuple[str, str]] = []
    text, used = "", 0
    for i, (unit, _) in enumerate(units):
        size = counter.count(unit) + 2
        if text and used + size > budget:
            parts.append((text, "\n\n" if units[i - 1][1] else " "))
            text, used = "", 0
        text += (("\n\n" if units[i - 1][1] else " ") if text else "") + unit
        used += size
    parts.append((text, ""))
    return parts


def _output_budget(source_tokens: int, factor: float) -> int:
    return min(_MAX_OUTPUT, int(source_tokens * factor) + 64)


def _translate_part(chunk: str, run: _Run, *, part: tuple[int, int] | None, context: str) -> Steps[tuple[str, str]]:
    prompt = _prompt(chunk, run, part=part, context=context)
    max_tokens = _output_budget(run.llm.counter().count(chunk), _EXPANSION.get((run.source_lang, run.lang), 5.0))
    task = f"translate part {part[0]}" if part else "translate"
    first = yield from run.ask(prompt.messages, max_tokens, task)
    text, checks = _judge(first, chunk, run)
    bad = failed(checks)
    if not bad:
        return text, first.finish_reason
    run.retried += 1
    failures = [(c.name, _shorten(c.detail)) for c in bad]
    retry = _prompt(chunk, run, part=part, context=context, failures=failures)
    room = int(run.llm.context_tokens() * _SAFETY) - run.llm.counter().count_messages(retry.messages)
    second = yield from run.ask(retry.messages, max(64, min(max_tokens, room)), f"{task} retry")
    text2, checks2 = _judge(second, chunk, run)
    if not text2 and not text:
        raise OutputInvalid(f"the model ({second.model}) returned an empty translation twice", raw=second.text)
    if text2 and len(failed(checks2)) <= len(bad):
        return text2, second.finish_reason
    return text, first.finish_reason


def _judge(result: ChatResult, chunk: str, run: _Run) -> tuple[str, tuple[Check, ...]]:
    # Russian and Kazakh quote with «»; English keeps the model's quotation marks.
    text = result.text.strip() if run.lang == "en" else guillemets(result.text.strip())
    checks = check_translation(
        chunk,
        text,
        source_lang=run.source_lang,
        target_lang=run.lang,
        glossary=run.glossary,
        finish_reason=result.finish_reason,
    )
    return text, run.dismissed(checks)


def _prompt(
    body: str,
    run: _Run,
    *,
    part: tuple[int, int] | None,
    context: str,
    failures: list[tuple[str, str]] | None = None,
) -> Prompt:
    terms = _terms(body, run)
    run.terms.update(terms)
    return render(
        "translate",
        body=body,
        meta=ArticleMeta(),  # the header is part of the text to translate, not a separate line
        lang=run.lang,
        language_name=LANGUAGES[run.lang],
        source_name=source_name(run.source_lang),
        terms=terms,
        context=context,
        part=part,
        failures=failures or [],
        examples=run.examples,
    )


def _shorten(detail: str) -> str:
    return detail if len(detail) <= _DETAIL_CHARS else detail[: _DETAIL_CHARS - 1] + "…"


# Room kept for a re-ask's list of failures when sizing parts (a typical list of four; a longer
# one shrinks the re-ask's output budget instead, see _translate_part).
_WORST_FAILURES = [(name, "missing or changed " * 5) for name in ("language", "vocabulary", "numbers", "glossary")]


def _terms(text: str, run: _Run) -> list[tuple[str, str]]:
    if run.glossary is None or not text:
        return []
    selected = run.glossary.select(text, lang=run.source_lang, target=run.lang)
    return [(t.form(run.source_lang), t.form(run.lang)) for t in selected]


def _tail(paragraph: str) -> str:
    """The end of a paragraph, cut at a sentence start, at most _CONTEXT_CHARS long."""
    if len(paragraph) <= _CONTEXT_CHARS:
        return paragraph
    tail = paragraph[-_CONTEXT_CHARS:]
    start = re.search(r"[.!?»]\s+(?=\S)", tail)
    return tail[start.end() :] if start else tail


_STRAIGHT = re.compile(r'"([^"\n]+)"')
_CURLY = re.compile(r"“([^”\n]+)”")


def guillemets(text: str) -> str:
    """Russian and Kazakh quote with «»: turn balanced "..." and “...” into «...»."""
    return _CURLY.sub(r"«\1»", _STRAIGHT.sub(r"«\1»", text))
