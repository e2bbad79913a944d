"""Prompt scaffolding in an answer: the model talking about its task instead of doing it.

Small models echo the prompt's fences (``<article>``), preface the answer ("Here is the
translation:"), or describe the instructions ("The article is between 15 words and no
longer..."). None of that may reach a reader, so it is a failed check (``no_scaffolding``) for
summaries and translations alike; the span of each piece is given so a report can mark it.

The patterns are anchored to how these phrases open an answer or a sentence, in the three
languages the tool writes.

Talk about the input is scaffolding too: "The article is about ...", "This text describes ...",
«В статье говорится ...», «Статья рассказывает о ...», «Мақалада ... айтылады» are the model
describing what it was given, not news; a reader of the summary has no article in front of
them. The forms are the ones that name the input itself ("the article", "this text", «в
статье», «мақалада») with a verb of telling, so a news item about a law's article ("article 5
of the constitution", «статья 5») or a newspaper's piece ("an article in The Guardian said",
«в статье The Guardian говорится») does not match; and a source that itself talks about an
article, a text or a story lets its translation do so (the check drops what the source says).

Beside the patterns, any five words in a row that the prompt templates in use say (their
literal text, outside the Jinja tags) are scaffolding: a small model that copies "The article
above is part 1 of 2 of a longer article" into its summary of a long story is echoing our own
instructions, whatever the wording of the prompts at the time.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..config import prompts_dir
from .verdict import Check, Finding

__all__ = ["scaffolding", "scaffolding_check"]

_PATTERNS = [
    # fences and role markers from the prompt or the chat template
    r"</?\s*(?:article|text|source|summary|translation|headline|instructions?|system|user|assistant)\s*>",
    r"</?(?:pre|code|p|div|span|br|html|body|s|b|i)\s*/?>",  # markup a model leaks (</pre>)
    # the prompt itself copied back
    r"\byou are an? (?:professional|helpful|experienced|news)\b[^\n]{0,80}",
    r"^\s*rules\s*:\s*$",
    r"\b(?:translate|summari[sz]e) (?:this|the) (?:news item|article|text)(?: above)?\b",
    r"\banswer with the (?:translation|summary|headline) only\b",
    r"<\|?(?:im_start|im_end|endoftext|eot_id)\|?>",
    r"^\s*(?:system|user|assistant)\s*:",
    # prefaces
    r"(?:^|\n)\s*(?:sure[,!]?\s*)?here(?:'s| is| are)\s+(?:the|a|an|your|my)\s+"
    r"(?:\w+\s+){0,3}(?:summary|translation|headline|article|text|version|bullet points?)\b[^\n]*?:?",
    r"(?:^|\n)\s*(?:summary|translation|headline|answer|output)\s*:\s",
    r"(?:^|\n)\s*(?:вот|ниже)\s+(?:\w+\s+){0,2}(?:перевод|краткое\s+содержание|резюме|аннотаци\w+|заголов\w+)",
    r"(?:^|\n)\s*(?:перевод|аннотация|заголовок|резюме)\s*:\s",
    r"(?:^|\n)\s*(?:міне|төменде)\s+(?:\w+\s+){0,2}(?:аударма\w*|түйіндеме\w*|аннотаци\w+|тақырып\w*)",
    r"(?:^|\n)\s*(?:аударма|түйіндеме|тақырып)\s*:\s",
    # talk about the instructions
    r"\bthe (?:article|summary|headline|text|translation) (?:is|should be|must be|has to be) "
    r"(?:between|no (?:longer|more|shorter)|at (?:most|least)|(?:less|more|fewer) than|under|over|\d+ words)",
    r"\b(?:between|at most|no more than|up to) \d+ (?:and \d+ )?words\b",
    r"\bin (?:one|a single|\d+) (?:sentence|line|words?)s?,? as (?:requested|instructed|asked)\b",
    r"\b(?:as an ai|i am an ai|i'm an ai|language model|i cannot|i can't|as requested|as instructed)\b",
    r"\b(?:the|these|my) instructions?\b",
    r"\b(?:this|the following) (?:summary|translation|headline) (?:is|was|has been) (?:written|provided|generated)\b",
    r"\b(?:в|на) (?:\d+|одн\w+) (?:слов\w*|предложени\w+)\b.{0,30}"
    r"\b(?:как|согласно) (?:просили|требуется|инструкци\w+)",
    r"\bинструкци\w+\b",
    r"\bнұсқау\w*\b",
]
_SCAFFOLD = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE | re.MULTILINE)

# The input, as a model names it when it describes it (not followed by a number: "article 5").
_INPUT_EN = r"(?:article|text|news item|news story|passage|excerpt)(?: above| below| provided| given)?"
_TELLS_EN = (
    r"(?:is|was) (?:\w+ )?(?:about|focused on|devoted to|dedicated to)|"
    r"(?:describes|discusses|covers|explains|highlights|mentions|reports|reports on|talks about|tells(?: us)?|"
    r"focuses on|deals with|says|states|notes|presents|provides|details|outlines|is discussing|is describing|"
    r"is talking about|concerns|revolves around)"
)
_ABOUT_INPUT = [
    # "The article is (also) about", "This text describes", "The news item talks about"
    rf"\b(?:the|this) (?:news )?{_INPUT_EN}(?!\s*\d) "
    rf"(?:also |mainly |mostly |then |further |primarily )?(?:{_TELLS_EN})\b",
    # "This story describes" (not "the story": a news item tells of a story)
    rf"\bthis (?:news )?(?:story|report|piece) (?:also |mainly )?(?:{_TELLS_EN})\b",
    r"\b(?:in|according to|from) (?:the|this) (?:news )?(?:article|text|passage|news item)"
    r"(?: above| provided)?(?!\s*\d)\b",
    r"^\s*(?:an? |the )?(?:article|text|story) (?:about|on|describing)\b",  # a headline that names its input
    # Russian: «В статье говорится», «В данном тексте рассказывается», «Статья рассказывает о»
    r"\b(?:в|во) (?:данн\w+ |это\w* |представленн\w+ |приведённ\w+ |исходн\w+ )?"
    r"(?:стать[еи]|текст[еа]|заметке|материале|новости|отрывке)\s+(?:также |же |вкратце )?"
    r"(?:говорится|рассказывается|речь ид[её]т|ид[её]т речь|описывается|сообщается|рассматривается|"
    r"обсуждается|упоминается|освещается|излагается|повествуется)",
    r"\b(?:данн\w+ |эт\w+ )?(?:статья|текст|заметка|новость|отрывок)\s+(?:также |же )?"
    r"(?:рассказывает|повествует|описывает|посвящ\w+|рассматривает|сообщает о|говорит о|освещает|"
    r"обсуждает|касается|затрагивает)",
    r"(?:^|[.!?…]\s+)(?:в )?(?:данн\w+|эт\w+) (?:стать\w+|текст\w*)\b",
    r"^\s*статья (?:о|об|про)\b",
    # Kazakh: «Мақалада ... айтылады», «Бұл мақала ...», «Мәтінде ... баяндалады»
    r"(?:^|[.!?…]\s+)(?:бұл |аталған |осы |берілген )?(?:мақала|мәтін|жаңалық)(?:да|ның|дың|ға|ге)?\b"
    r"[^.!?\n]{0,80}?\b(?:айтылады|айтылған|баяндалады|баяндалған|сөз болады|сөз етіледі|әңгімеленеді|"
    r"қарастырылады|сипатталады|жазылады|жазылған|туралы)",
    r"\b(?:бұл|осы|аталған|берілген) (?:мақала|мәтін)\w*",
]
_ABOUT = re.compile("|".join(f"(?:{p})" for p in _ABOUT_INPUT), re.IGNORECASE | re.MULTILINE)
# A source that itself talks about an article (a press review, a newspaper's piece) may have its
# translation or summary do so: the talk is then the news. A law's numbered article does not count.
_SOURCE_TALKS = re.compile(r"\barticles?\b(?!\s*\d)|\bстать(?:я|е|и|ю|ей|ёй)\b(?!\s*\d)|мақала", re.IGNORECASE)


_ECHO_WORDS = 5  # "in the article above" is four; no template sentence of five words is news copy
_WORD = re.compile(r"\w+")
_JINJA = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.DOTALL)


def scaffolding(text: str) -> list[tuple[int, int]]:
    """Spans of prompt scaffolding in ``text``: the patterns above, and runs of words that the
    prompt templates in use say."""
    spans = [(m.start(), m.end()) for m in _SCAFFOLD.finditer(text) if m.group().strip()]
    return _merged(spans + about_input(text) + _echoes(text, _prompt_phrases(str(prompts_dir()))))


def about_input(text: str, source: str = "") -> list[tuple[int, int]]:
    """Spans where ``text`` describes its input ("The article is about"), unless ``source`` itself
    talks about an article."""
    if source and _SOURCE_TALKS.search(source):
        return []
    return [(m.start() + len(m.group()) - len(m.group().lstrip(" .!?…\n")), m.end())
            for m in _ABOUT.finditer(text) if m.group().strip()]  # fmt: skip


def _echoes(text: str, phrases: frozenset[tuple[str, ...]]) -> list[tuple[int, int]]:
    words = list(_WORD.finditer(text))
    keys = [w.group().casefold() for w in words]
    return [
        (words[i].start(), words[i + _ECHO_WORDS - 1].end())
        for i in range(len(words) - _ECHO_WORDS + 1)
        if tuple(keys[i : i + _ECHO_WORDS]) in phrases
    ]


@lru_cache(maxsize=4)
def _prompt_phrases(directory: str) -> frozenset[tuple[str, ...]]:
    """Every run of five words in the literal text of the templates in ``directory`` (not across
    a Jinja tag: what a tag puts there differs from one request to the next)."""
    phrases: set[tuple[str, ...]] = set()
    for template in Path(directory).glob("*.j2"):
        for literal in _JINJA.split(template.read_text(encoding="utf-8")):
            words = [w.casefold() for w in _WORD.findall(literal)]
            phrases.update(tuple(words[i : i + _ECHO_WORDS]) for i in range(len(words) - _ECHO_WORDS + 1))
    return frozenset(phrases)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def scaffolding_check(text: str, source: str = "") -> Check:
    """``no_scaffolding``: fails on any piece of prompt scaffolding the source itself does not say
    (an article quoting "instructions" is not the model leaking its own)."""
    talk = set(about_input(text)) - set(about_input(text, source))  # what the source's own talk allows
    spans = [
        (a, b)
        for a, b in scaffolding(text)
        if text[a:b].strip().casefold() not in source.casefold() and not any(a <= s < b for s, _ in talk)
    ]
    found = [(span, " ".join(text[span[0] : span[1]].split())) for span in spans]
    pieces = list(dict.fromkeys(piece for _, piece in found))
    return Check.of(
        "no_scaffolding",
        [Finding("scaffolding", "error", f"talks about its task or echoes the prompt: '{piece}'", span=span,
                 found=piece) for span, piece in found],  # fmt: skip
        ok="no prompt scaffolding in the answer",
        detail="the answer talks about its task or echoes the prompt: " + "; ".join(f"'{p}'" for p in pieces[:5]),
    )
