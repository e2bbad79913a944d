"""What the review pages mark: paragraphs with offsets, marks cut into pieces, marks from findings."""

from __future__ import annotations

import pytest

from summarizer.checks.marks import Mark, layers, merged, pieces
from summarizer.checks.out import CheckOut
from summarizer.checks.translation import check_translation
from summarizer.checks.verdict import Check, Finding
from summarizer.serve.review import evidence_marks, paragraphs, summary_marks, translation_marks
from summarizer.text.glossary import parse_glossary


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("One.\n\nTwo.", ["One.", "Two."]),
        ("  One.\n \n\nTwo.  \n", ["One.", "Two."]),
        ("One.\nTwo.\nThree.", ["One.", "Two.", "Three."]),  # no blank line: single lines part them
        ("Only one.", ["Only one."]),
    ],
)
def test_paragraphs_keep_their_offsets(text: str, wanted: list[str]) -> None:
    assert [text[s:e] for s, e in paragraphs(text)] == wanted


def test_pieces_cut_at_marks_and_the_first_of_overlapping_marks_wins() -> None:
    text = "abcdefghij"
    marks = [Mark(2, 5, "fault", "a"), Mark(4, 7, "term", "b")]
    cut = pieces(text, (0, 10), marks)
    assert [(p.text, p.mark.label if p.mark else None) for p in cut] == [
        ("ab", None), ("cde", "a"), ("fg", "b"), ("hij", None)
    ]  # fmt: skip


def test_layers_keep_every_overlapping_mark() -> None:
    cut = layers("abcdefghij", (0, 10), [Mark(2, 5, "evidence", "a"), Mark(4, 7, "evidence", "b")])
    assert [(p.text, p.labels) for p in cut] == [
        ("ab", ()), ("cd", ("a",)), ("e", ("a", "b")), ("fg", ("b",)), ("hij", ())
    ]  # fmt: skip


def test_translation_marks_come_from_the_findings() -> None:
    source = "On 24,500 hectares in January, Yergali Bulegenov said."
    translation = "Қаңтарда 24 500 гектарда the big plan деді Йергали."
    glossary = parse_glossary("en,kk\nYergali Bulegenov,Ерғали Бұлегенов\n")
    checks = [
        Check.of("numbers", [Finding("missing_number", "error", "24500 missing or changed", source_span=(3, 9)),
                             Finding("missing_month", "error", "month January missing or changed",
                                     source_span=(22, 29))], ok=""),
        Check.of("glossary", [Finding("glossary_term", "error", "house", source_span=(31, 48))], ok=""),
        Check.of("untranslated", [Finding("untranslated_run", "error", "3 words", span=(25, 37))], ok=""),
        Check("language", True, "text is in kk 'ignored'", findings=(Finding("x", "info", "", span=(0, 8)),)),
    ]  # fmt: skip
    stored = [CheckOut.of(c).model_dump(mode="json") for c in checks]  # as the desk's store keeps them
    left, right = translation_marks(source, translation, stored, glossary=glossary, source_lang="en", target_lang="kk")
    assert sorted(source[m.start : m.end] for m in left if m.kind == "missing") == [
        "24,500", "January", "Yergali Bulegenov"
    ]  # fmt: skip
    assert [(translation[m.start : m.end], m.label) for m in right] == [("the big plan", "untranslated")]
    assert [m.label for m in left if m.kind == "missing"][0] == "numbers: 24500 missing or changed"


def test_real_checks_mark_what_the_source_lost_and_the_translation_left() -> None:
    source = "On 24,500 hectares in January, Yergali Bulegenov said the plan would work."
    translation = "Қаңтарда гектарда the big plan of деді Ерғали Бұлегенов, жоспар жүзеге асады."
    glossary = parse_glossary("en,kk\nYergali Bulegenov,Ерғали Бұлегенов\n")
    checks = check_translation(source, translation, source_lang="en", target_lang="kk", glossary=glossary)
    left, right = translation_marks(source, translation, checks, glossary=glossary, source_lang="en", target_lang="kk")
    assert [source[m.start : m.end] for m in left if m.kind == "missing"] == ["24,500"]
    assert "the big plan of" in [translation[m.start : m.end] for m in right if m.kind == "fault"]


def test_a_checks_own_spans_are_used() -> None:
    marks = summary_marks("abc def", [{"name": "x", "passed": False, "detail": "", "spans": [(4, 7)]}])
    assert [(m.start, m.end) for m in marks] == [(4, 7)]


@pytest.mark.parametrize(
    ("marks", "wanted"),
    [
        ([Mark(0, 3, "fault", "a"), Mark(2, 5, "fault", "b")], [(0, 5, "a\nb")]),
        ([Mark(0, 3, "fault", "a"), Mark(1, 2, "fault", "a")], [(0, 3, "a")]),  # one reason once
        ([Mark(4, 6, "fault", "b"), Mark(0, 3, "fault", "a")], [(0, 3, "a"), (4, 6, "b")]),
    ],
)
def test_merged_marks(marks: list[Mark], wanted: list[tuple[int, int, str]]) -> None:
    assert [(m.start, m.end, m.label) for m in merged(marks)] == wanted


def test_evidence_marks_and_a_fact_without_a_place() -> None:
    facts = {
        "people": [{"name": "A", "role": "minister", "evidence": {"text": "A", "start": 0, "end": 1}}],
        "topics": [{"name": "t", "evidence": {"text": "zz", "start": None, "end": None}}],
    }
    lines, marks = evidence_marks(facts)
    assert [(line.id, line.text) for line in lines] == [("people-0", "A — minister"), ("topics-0", "t")]
    assert [(m.start, m.end, m.label) for m in marks] == [(0, 1, "people-0")]
