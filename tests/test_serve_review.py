"""What the review pages mark: paragraphs with offsets, marks cut into pieces, marks from check details."""

from __future__ import annotations

import pytest

from summarizer.serve.review import Mark, evidence_marks, layers, paragraphs, pieces, summary_marks, translation_marks
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


def test_translation_marks_from_check_details() -> None:
    source = "On 24,500 hectares in January, Yergali Bulegenov said."
    translation = "Қаңтарда 24 500 гектарда the big plan деді Йергали."
    glossary = parse_glossary("en,kk\nYergali Bulegenov,Ерғали Бұлегенов\n")
    checks = [
        {"name": "numbers", "passed": False, "detail": "missing or changed: 24500, month January"},
        {
            "name": "glossary",
            "passed": False,
            "detail": "1 of 1 terms not in their house spelling: Ерғали Бұлегенов (for Yergali Bulegenov)",
        },  # fmt: skip
        {"name": "untranslated", "passed": False, "detail": "3 Latin-script words in a row: 'the big plan'"},
        {"name": "language", "passed": True, "detail": "text is in kk 'ignored'"},
    ]
    left, right = translation_marks(source, translation, checks, glossary=glossary, source_lang="en", target_lang="kk")
    assert sorted(source[m.start : m.end] for m in left if m.kind == "missing") == [
        "24,500", "January", "Yergali Bulegenov"
    ]  # fmt: skip
    assert [translation[m.start : m.end] for m in right] == ["the big plan"]


def test_a_checks_own_spans_are_used() -> None:
    marks = summary_marks("abc def", [{"name": "x", "passed": False, "detail": "", "spans": [(4, 7)]}])
    assert [(m.start, m.end) for m in marks] == [(4, 7)]


def test_evidence_marks_and_a_fact_without_a_place() -> None:
    facts = {
        "people": [{"name": "A", "role": "minister", "evidence": {"text": "A", "start": 0, "end": 1}}],
        "topics": [{"name": "t", "evidence": {"text": "zz", "start": None, "end": None}}],
    }
    lines, marks = evidence_marks(facts)
    assert [(line.id, line.text) for line in lines] == [("people-0", "A — minister"), ("topics-0", "t")]
    assert [(m.start, m.end, m.label) for m in marks] == [(0, 1, "people-0")]
