"""Letters and words of a Cyrillic answer (checks.script), scaffolding (checks.scaffold), marks."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import summarizer
from summarizer.checks.marks import marked
from summarizer.checks.scaffold import scaffolding_check
from summarizer.checks.script import (
    kazakh_words_check,
    latin_words_check,
    mixed_script_check,
    repeated_phrase_check,
)
from summarizer.checks.summary import language_checks
from summarizer.checks.verdict import Check, Finding


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Президент прибыл в Акorda для переговоров.", ["Акorda"]),
        ("Развитие культурно-хumanitarianных связей.", ["культурно-хumanitarianных"]),
    ],
)
def test_mixed_script_words_fail_with_their_spans(text: str, words: list[str]) -> None:
    check = mixed_script_check(text)
    assert not check.passed
    assert [text[a:b] for a, b in check.spans] == words


def test_a_latin_name_inflected_after_a_hyphen_is_not_mixed() -> None:
    assert mixed_script_check("China Daily-дің хабарлауынша, Twitter-дегі жазба.").passed


SOURCE = (
    "President Kassym-Jomart Tokayev met Chinese Ambassador Zhang Xiao in Astana, the China Daily and "
    "Air Niugini said, citing Kazakhstan's prospects."
)


@pytest.mark.parametrize(
    ("translation", "flagged"),
    [
        ("Президент Lukashenko встретился с послом.", ["Lukashenko"]),
        ("Посол Zhang Xiao прибыл в Астану.", ["Zhang", "Xiao"]),  # a person: a title stands before it
        ("Переговоры в Kazakhstan прошли успешно.", ["Kazakhstan"]),
        ("Обсудили prospects сотрудничества.", ["prospects"]),
        ("По данным China Daily и Air Niugini, в НАТО и BelTA.", []),  # house list, brand copied, acronyms
        ("Сообщение в Twitter.", []),
    ],
)
def test_latin_words(translation: str, flagged: list[str]) -> None:
    check = latin_words_check(translation, source=SOURCE)
    assert [translation[a:b] for a, b in check.spans] == flagged
    assert [f.found for f in check.findings] == flagged  # a finding per word, naming it
    assert check.passed is (not flagged)


def test_a_glossary_form_in_latin_is_allowed() -> None:
    assert latin_words_check("Компания Kazakhmys сообщила.", allowed=frozenset({"kazakhmys"})).passed
    assert not latin_words_check("Компания Kazakhmys сообщила.").passed


KAZAKH = (
    "Мемлекет басшысы Қасым-Жомарт Тоқаев Ақордада Үкімет отырысын өткізді. Отырыста елдің әлеуметтік-"
    "экономикалық дамуының негізгі бағыттары талқыланды және министрлерге нақты тапсырмалар берілді."
)
RUSSIAN_AS_KAZAKH = (
    "Глава государства провел заседание правительства. На заседании обсуждались основные направления "
    "социально-экономического развития страны, министрам даны конкретные поручения."
)
KYRGYZ_LIKE = (
    "Мамлекет башчысы өкмөттүн жыйынын өткөрдү. Жыйында өлкөнүн социалдык-экономикалык өнүгүүсүнүн "
    "негизги багыттары талкууланды жана министрлерге так тапшырмалар берилди жоопында жашып."
)


@pytest.mark.parametrize(("text", "passed"), [(KAZAKH, True), (RUSSIAN_AS_KAZAKH, False), (KYRGYZ_LIKE, False)])
def test_kazakh_words(text: str, passed: bool) -> None:
    check = kazakh_words_check(text)
    assert check.passed is passed, check.detail
    assert passed or check.spans


def test_a_phrase_three_times_apart_is_repetition() -> None:
    text = (
        "The article is about the meeting. The ministers met in Astana on Monday. The article is about "
        "the meeting. They signed two agreements. The article is about the meeting."
    )
    check = repeated_phrase_check(text)
    assert not check.passed and len(check.spans) == 3
    assert text[slice(*check.spans[0])] == "The article is about"
    assert repeated_phrase_check("The ministers met in Astana and signed two agreements on trade.").passed


@pytest.mark.parametrize(
    ("answer", "piece"),
    [
        ("<article>Floods hit Aktobe.</article>", "<article>"),
        ("Here is the translation:\nНаводнение в Актобе.", "Here is the translation:"),
        ("The article is between 15 words and no longer than one line.", "The article is between"),
        ("Вот перевод статьи:\nНаводнение.", "Вот перевод"),
        ("Summary: floods hit Aktobe.", "Summary:"),
    ],
)
def test_scaffolding_fails_with_its_span(answer: str, piece: str) -> None:
    check = scaffolding_check(answer)
    assert not check.passed
    assert answer[slice(*check.spans[0])].strip() == piece


@pytest.mark.parametrize(
    "answer", ["Floods hit Aktobe on Monday, officials said.", "Under article 5 of the constitution, it may sit."]
)
def test_honest_answers_have_no_scaffolding(answer: str) -> None:
    assert scaffolding_check(answer).passed


def test_kazakh_script_names_inside_russian_are_not_the_wrong_language() -> None:
    text = (
        "Председатель правления АО «Қазақстан темір жолы» и представители фонда «Самұрық-Қазына» обсудили "
        "развитие транзитных перевозок через Казахстан. Глава государства Қасым-Жомарт Тоқаев поручил "
        "ускорить работу."
    )
    assert all(c.passed for c in language_checks(text, "ru"))
    kazakh_sentence = text + " Бұл жұмыс биыл аяқталады деп күтілуде."
    assert not all(c.passed for c in language_checks(kazakh_sentence, "ru"))


def test_marks_escape_the_text_and_say_why() -> None:
    check = Check("names", False, 'mangled: "Ямарт" <x>', ((3, 8),))
    html = str(marked("<b>Ямарт & co", [check, Check("ok", True, "", ((0, 1),))]))
    assert html.startswith("&lt;b&gt;<mark title=")
    assert "&#34;Ямарт&#34; &lt;x&gt;" in html and ">Ямарт</mark> &amp; co" in html
    assert str(marked("abc", [Check("x", False, "", ((2, 9),))])) == "abc"  # a span off the text is ignored


def test_a_one_word_brand_passes_only_where_the_source_uses_it_as_one() -> None:
    source = "Thieves stole $26,750 from a Brink's worker, Lukashenko said."
    assert latin_words_check("Воры похитили 26 750 долларов у сотрудника Brink's.", source=source).passed
    assert not latin_words_check("Об этом сообщил Lukashenko.", source=source).passed


# Recorded from SmolLM2-135M (the embedded model), `summarizer summarise seeds/001_long_energy_forum.txt`,
# 2026-12-01: asked to combine the summaries of the story's two parts, it wrote this.
LONG_SEED_SUMMARY = (
    "The article above is part 1 of 2 of a longer article. It discusses the future of coal generation in "
    "Kazakhstan, focusing on renewable energy and the challenges of implementing new technologies."
)


def test_an_answer_that_echoes_our_prompt_is_scaffolding_whatever_the_wording() -> None:
    check = scaffolding_check(LONG_SEED_SUMMARY, "PAVLODAR. KAZINFORM Kazakhstan will need to attract ...")
    assert not check.passed
    assert LONG_SEED_SUMMARY[slice(*check.spans[0])] == "The article above is part"
    # what the source says itself is news, not an echo
    assert scaffolding_check(LONG_SEED_SUMMARY, "... as the article above is part of a series ...").passed


def test_the_echo_follows_the_prompt_templates_in_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    answer = "Write it the way a wire reporter would: the akimat opened the bridge."
    assert scaffolding_check(answer).passed  # the packaged prompts say no such thing
    (tmp_path / "summarise.j2").write_text(
        "{% block user %}{{ body }}\nWrite it the way a wire reporter would, in {{ language_name }}.{% endblock %}"
    )
    monkeypatch.setenv("SUMMARIZER_PROMPTS_DIR", str(tmp_path))
    check = scaffolding_check(answer)
    assert not check.passed and answer[slice(*check.spans[0])] == "Write it the way a wire reporter would"


_PATTERN_CALLS = frozenset({"search", "match", "fullmatch", "findall", "finditer", "sub", "subn", "split"})


def test_the_desk_never_reads_a_checks_sentence_back() -> None:
    """Marks come from findings: no module of ``serve`` puts a check's detail through a regular expression."""
    for path in sorted((Path(summarizer.__file__).parent / "serve").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"_QUOTED|_listed|_numbers_in", source), path.name
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _PATTERN_CALLS:
                arguments = " ".join(ast.unparse(a) for a in [*node.args, *(k.value for k in node.keywords)])
                assert "detail" not in arguments, f"{path.name}:{node.lineno}: {ast.unparse(node)}"


def test_marks_come_from_findings_and_say_which_one() -> None:
    text = "Посол Lukashenko и Zhang прибыли."
    html = str(marked(text, [latin_words_check(text, source=SOURCE)]))
    assert html.count("<mark") == 2 and 'title="latin_words: Lukashenko: left in Latin letters"' in html
    quiet = Check("x", True, "", findings=(Finding("note", "info", "for the record", span=(0, 5)),))
    assert str(marked(text, [quiet])) == text  # an info finding is not a fault to mark
