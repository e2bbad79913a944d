"""The translate task against a scripted endpoint: one call, parts, glossary, re-ask, scripts."""

from __future__ import annotations

import re
from collections.abc import Callable

import fakes
import pytest
from conftest import ROOT, SEED

from summarizer.errors import OutputInvalid, UsageError
from summarizer.tasks.translate import guillemets, source_text, translate
from summarizer.text.articles import load_article, parse_article, split_paragraphs
from summarizer.text.glossary import load_glossary
from summarizer.text.translit import to_latin

CORPUS = ROOT / "tests" / "data" / "translations"
SEED_RU = (CORPUS / "seed_ru.txt").read_text(encoding="utf-8").strip()
SEED_KK = (CORPUS / "seed_kk.txt").read_text(encoding="utf-8").strip()
GLOSSARY = CORPUS / "glossary.csv"
LONG = ROOT / "seeds" / "001_long_energy_forum.txt"
Answer = Callable[[str], tuple[str, str]]


def scripted(answer, *, context: int | None = None):  # type: ignore[no-untyped-def]
    return fakes.scripted(answer, model="gpt-4o-mini", context=context)


def replies(*texts: str) -> Answer:
    queue = list(texts)
    return lambda _: (queue.pop(0) if len(queue) > 1 else queue[0], "stop")


def test_a_good_answer_is_one_call_and_passes() -> None:
    llm, bodies = scripted(replies(SEED_KK))
    result = translate(load_article(SEED), llm, lang="kk")
    assert result.text == SEED_KK and result.cyrillic == SEED_KK
    assert (result.calls, result.chunks, result.retried, result.script, result.alphabet) == (
        1,
        1,
        0,
        "cyrl",
        "kazakh-cyrillic",
    )
    assert all(c.passed for c in result.checks), [c for c in result.checks if not c.passed]
    user = bodies[0]["messages"][-1]["content"]
    # The whole item goes along, header and source line included; the task comes after it.
    assert "date 2015-11-25 MOGILEV. KAZINFORM" in user and "Source: BELTA" in user
    assert user.rstrip().endswith("Translate the article above into Kazakh (Cyrillic script).")
    assert "Glossary" not in user


def test_only_the_glossary_terms_of_the_source_are_sent() -> None:
    llm, bodies = scripted(replies(SEED_RU))
    result = translate(load_article(SEED), llm, lang="ru", glossary=load_glossary(GLOSSARY))
    user = bodies[0]["messages"][-1]["content"]
    assert "- Yergali Bulegenov = Ергали Булегенов" in user
    assert "Aidar Zhunusbekov" not in user and "Aktau" not in user
    assert ("Vladimir Domanevsky", "Владимир Доманевский") in result.terms
    assert len(result.terms) == 10
    assert {c.name: c.passed for c in result.checks}["glossary"]


def test_failed_checks_are_asked_again_once_with_the_failures() -> None:
    llm, bodies = scripted(replies(SEED_RU, SEED_KK))  # Russian first, where Kazakh was asked for
    result = translate(load_article(SEED), llm, lang="kk")
    assert (result.calls, result.retried, result.text) == (2, 1, SEED_KK)
    retry = bodies[1]["messages"][-1]["content"]
    assert "rejected by the editor's checks" in retry and "- language: it reads as ru" in retry
    assert all(c.passed for c in result.checks)


def test_still_failing_after_the_re_ask_keeps_the_better_answer_and_says_so() -> None:
    llm, bodies = scripted(replies(SEED_KK.replace("2016", "2017"), "қазақ " * 40))
    result = translate(load_article(SEED), llm, lang="kk")
    assert len(bodies) == 2 and result.retried == 1
    assert result.text == SEED_KK.replace("2016", "2017")  # one failed check beats many
    assert [c.name for c in result.checks if not c.passed] == ["numbers"]


def test_cut_off_answer_is_asked_again() -> None:
    answers = iter([(SEED_KK[:400], "length"), (SEED_KK, "stop")])
    llm, bodies = scripted(lambda _: next(answers))
    result = translate(load_article(SEED), llm, lang="kk")
    assert len(bodies) == 2 and result.finish_reason == "stop"
    assert "complete: the model stopped at the token limit" in bodies[1]["messages"][-1]["content"]


def test_latin_script_is_transliterated_not_asked_for() -> None:
    llm, bodies = scripted(replies(SEED_KK))
    result = translate(load_article(SEED), llm, lang="kk", script="latn")
    assert result.text == to_latin(SEED_KK) and result.cyrillic == SEED_KK
    assert (result.script, result.alphabet) == ("latn", "kazakh-latin-2021")
    assert "Latin" not in bodies[0]["messages"][-1]["content"]
    assert result.text.startswith("date 2015-11-25 MOGİLİOV. QAZİNFORM")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lang": "ru", "script": "latn"}, "for Kazakh only"),
        ({"lang": "de"}, "cannot translate into 'de'"),
    ],
)
def test_bad_options_are_usage_errors(kwargs: dict[str, str], message: str) -> None:
    llm, bodies = scripted(replies(SEED_RU))
    with pytest.raises(UsageError, match=message):
        translate(load_article(SEED), llm, **kwargs)  # type: ignore[arg-type]
    assert bodies == []


def test_an_article_already_in_the_target_language_is_refused() -> None:
    llm, _ = scripted(replies(SEED_RU))
    with pytest.raises(UsageError, match="already in Russian"):
        translate(load_article(ROOT / "seeds" / "002_ru_almaty_transport.txt"), llm, lang="ru")


def test_two_empty_answers_are_an_error() -> None:
    llm, _ = scripted(replies("   "))
    with pytest.raises(OutputInvalid, match="empty translation twice"):
        translate(load_article(SEED), llm, lang="ru")


def test_long_article_goes_in_parts_with_context_and_their_own_terms(tmp_path) -> None:  # type: ignore[no-untyped-def]
    glossary_file = tmp_path / "g.csv"
    glossary_file.write_text(
        "en,ru,kk\nAskar Temirbekov,Аскар Темирбеков,Асқар Темірбеков\nPavlodar,Павлодар,Павлодар\n"
    )

    def answer(user: str) -> tuple[str, str]:
        part = re.search(r"part (\d+) of (\d+) of a longer", user)
        assert part, user[-300:]
        return f"Часть {part.group(1)}: перевод.\n\nПоследний абзац части {part.group(1)}.", "stop"

    article = load_article(LONG)
    llm, bodies = scripted(answer, context=6000)
    result = translate(article, llm, lang="ru", glossary=load_glossary(glossary_file))
    assert result.chunks > 3
    assert result.calls == 2 * result.chunks  # these fake answers fail their checks, so each part is re-asked
    firsts = [b["messages"][-1]["content"] for b in bodies if "rejected" not in b["messages"][-1]["content"]]
    assert len(firsts) == result.chunks
    # Each part is whole paragraphs of the source, in order, and carries the last translated paragraph.
    sent = [re.search(r"<article>\n(.*)\n</article>", u, re.S).group(1) for u in firsts]  # type: ignore[union-attr]
    assert "\n\n".join(sent) == source_text(article)
    assert "Последний абзац части 1." in firsts[1] and "Последний абзац части 1." not in firsts[2]
    assert "- Askar Temirbekov = Аскар Темирбеков" in firsts[0]
    assert any("Temirbekov" not in u for u in firsts)  # a part without the minister gets no such term
    assert len(split_paragraphs(result.text)) == 2 * result.chunks


def test_guillemets() -> None:
    assert guillemets('Он сказал: "Мы готовы", — и ушёл. “Да”') == "Он сказал: «Мы готовы», — и ушёл. «Да»"
    assert guillemets('один " непарный') == 'один " непарный'


def test_source_text_keeps_header_and_trailer_but_normalises_lines() -> None:
    article = parse_article(b"date 2015-11-25 MOGILEV. KAZINFORM One.\r\n\r\nTwo. Source: BELTA\r\n", name="x")
    assert source_text(article) == "date 2015-11-25 MOGILEV. KAZINFORM One.\n\nTwo. Source: BELTA"


def test_a_paragraph_longer_than_a_part_stays_one_paragraph() -> None:
    sentences = " ".join(f"Sentence number {i} says that the port handled more grain this year." for i in range(60))
    article = parse_article(f"First paragraph.\n\n{sentences}\n\nLast paragraph.".encode(), name="long")

    def echo(user: str) -> tuple[str, str]:
        return _sent(user), "stop"

    llm, bodies = scripted(echo, context=2500)
    result = translate(article, llm, lang="ru")
    assert result.chunks > 2
    parts = [_sent(b["messages"][-1]["content"]) for b in bodies if "rejected" not in b["messages"][-1]["content"]]
    # The long paragraph's pieces are joined with spaces: a break comes only after the first paragraph.
    assert all(p.count("\n\nSentence") == p.startswith("First paragraph.") for p in parts)
    assert result.cyrillic == source_text(article)  # the echoed parts join back into the same three paragraphs
    assert len(split_paragraphs(result.cyrillic)) == 3


def _sent(user: str) -> str:
    found = re.search(r"<article>\n(.*)\n</article>", user, re.S)
    assert found
    return found.group(1)
