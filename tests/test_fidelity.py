"""The translation checks, on the hand-written corpus and on single faults built here."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from conftest import ROOT

from summarizer.checks.translation import LENGTH_RATIO, check_translation
from summarizer.text.glossary import Glossary, load_glossary, parse_glossary

CORPUS = ROOT / "tests" / "data" / "translations"
CASES = sorted(CORPUS.glob("*.json"))
# The check that must fire for each authored fault; garbage and model outputs may trip several.
EXPECTED = {
    "wrong_language": {"language"},
    "number_changed": {"numbers"},
    "number_dropped": {"numbers"},
    "truncated": {"length_ratio"},
    "repetition_loop": {"no_repetition"},
    "untranslated": {"untranslated"},
    "paragraphs_merged": {"paragraphs"},
    "name_misspelled": {"glossary"},
    "garbage": {"language", "vocabulary", "no_repetition", "numbers"},
    "model_output": {"language", "vocabulary", "no_repetition", "numbers", "length_ratio", "paragraphs"},
}


def _case(path: Path) -> tuple[dict, str]:  # type: ignore[type-arg]
    case = json.loads(path.read_text(encoding="utf-8"))
    source = case.get("source") or (ROOT / case["source_file"]).read_text(encoding="utf-8")
    return case, source


def _failures(path: Path, glossary: Glossary | None) -> tuple[dict, set[str]]:  # type: ignore[type-arg]
    case, source = _case(path)
    checks = check_translation(
        source, case["translation"], source_lang="en", target_lang=case["lang"], glossary=glossary
    )
    return case, {c.name for c in checks if not c.passed}


def confusion(glossary: Glossary | None) -> dict[str, Counter[str]]:
    """fault -> {"cases", "caught", "by:<check>" ...}: the table the report quotes."""
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for path in CASES:
        case, failing = _failures(path, glossary)
        row = table[case["fault"]]
        row["cases"] += 1
        row["caught"] += bool(failing)
        row.update(f"by:{name}" for name in failing)
    return dict(table)


def _render(table: dict[str, Counter[str]]) -> str:
    lines = []
    for fault, row in sorted(table.items()):
        by = ", ".join(f"{k[3:]} {v}" for k, v in sorted(row.items()) if k.startswith("by:"))
        lines.append(f"{fault:18s} flagged {row['caught']}/{row['cases']}  ({by})")
    return "\n".join(lines)


def test_corpus_has_every_fault_and_good_cases() -> None:
    faults = Counter(json.loads(p.read_text(encoding="utf-8"))["fault"] for p in CASES)
    assert faults["none"] >= 8
    assert all(faults[fault] >= 8 for fault in EXPECTED if fault != "model_output")


@pytest.mark.parametrize("with_glossary", [True, False], ids=["glossary", "no-glossary"])
def test_corpus_confusion(with_glossary: bool) -> None:
    """>= 95 % of bad cases flagged and <= 5 % of good ones, with and without the glossary.

    Without a glossary the house spelling of a name is unknowable (Йергали and Ергали are both
    fair transliterations of Yergali), so ``name_misspelled`` cases only count with one.
    """
    table = confusion(load_glossary(CORPUS / "glossary.csv") if with_glossary else None)
    print(f"\nconfusion per fault ({'with' if with_glossary else 'without'} glossary):\n{_render(table)}")
    good = table.pop("none")
    if not with_glossary:
        table.pop("name_misspelled")
    bad_cases = sum(row["cases"] for row in table.values())
    caught = sum(row["caught"] for row in table.values())
    assert caught / bad_cases >= 0.95, _render(table)
    assert good["caught"] / good["cases"] <= 0.05, _render({"none": good})


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_each_case_is_judged_by_the_check_for_its_fault(path: Path) -> None:
    case, failing = _failures(path, load_glossary(CORPUS / "glossary.csv"))
    if case["label"] == "good":
        assert failing == set()
    else:
        assert failing & EXPECTED[case["fault"]], f"{case['fault']} flagged only by {failing or 'nothing'}"


SOURCE = "Kazakhstan and Belarus signed 3 agreements worth 24,500 dollars on Tuesday.\n\nBelTA reports."
GOOD_RU = "Казахстан и Беларусь во вторник подписали 3 соглашения на 24 500 долларов.\n\nСообщает БелТА."


def verdicts(translation: str, lang: str = "ru", **kw: object) -> dict[str, bool]:
    checks = check_translation(SOURCE, translation, source_lang="en", target_lang=lang, **kw)  # type: ignore[arg-type]
    return {c.name: c.passed for c in checks}


def test_a_good_translation_passes() -> None:
    assert all(verdicts(GOOD_RU).values())
    assert verdicts(GOOD_RU)["complete"] is True  # no model ran: judged by its ending, which is closed


def test_cut_off_by_the_token_limit() -> None:
    assert verdicts(GOOD_RU, finish_reason="length")["complete"] is False
    assert verdicts(GOOD_RU, finish_reason="stop")["complete"] is True


def test_empty_translation() -> None:
    assert verdicts("  \n") == {"not_empty": False}


@pytest.mark.parametrize(
    ("translation", "failing"),
    [
        (GOOD_RU.replace("Сообщает БелТА.", "It was reported by BelTA."), "untranslated"),
        (GOOD_RU.replace("24 500", "24,500"), "numbers"),  # English grouping: a Russian reader sees 24.5
        (GOOD_RU.replace("\n\n", " "), "paragraphs"),
        (GOOD_RU.replace("подписали", "подписали подписали подписали"), "no_repetition"),
        (GOOD_RU.replace("соглашения", "соглашенищения"), None),  # one odd word is not garbage
    ],
)
def test_single_faults(translation: str, failing: str | None) -> None:
    assert {name for name, ok in verdicts(translation).items() if not ok} == ({failing} if failing else set())


def test_names_and_acronyms_in_latin_are_not_untranslated() -> None:
    text = GOOD_RU.replace("Сообщает БелТА.", "Сообщает BelTA со ссылкой на OAO Mogilevliftmash и Air Astana.")
    assert verdicts(text)["untranslated"]


def test_kyrgyz_is_not_kazakh() -> None:
    kyrgyz = "Казакстан менен Беларусь шейшемби күнү 3 келишимге кол койду, 24 500 доллар.\n\nБелТА кабарлайт."
    result = {c.name: c for c in check_translation(SOURCE, kyrgyz, source_lang="en", target_lang="kk")}
    assert not result["language"].passed
    assert "Kazakh letter" in result["language"].detail


def test_a_russian_sentence_inside_kazakh() -> None:
    kazakh = (
        "Қазақстан мен Беларусь сейсенбіде 24 500 долларға 3 келісімге қол қойды, хотя стороны не смогли "
        "договориться о новых сроках поставки.\n\nБелТА хабарлайды."
    )
    result = {c.name: c for c in check_translation(SOURCE, kazakh, source_lang="en", target_lang="kk")}
    assert not result["language"].passed and "Russian words in a row" in result["language"].detail


def test_russian_left_in_a_translation_from_russian() -> None:
    source = "Аким города сообщил, что строительство новой линии начнётся в июне 2024 года."
    kazakh = "Қала әкімі строительство новой линии начнётся в июне 2024 жылы басталатынын айтты."
    result = {c.name: c for c in check_translation(source, kazakh, source_lang="ru", target_lang="kk")}
    assert not result["untranslated"].passed


def test_length_ratio_table_covers_both_directions() -> None:
    assert {("en", "ru"), ("en", "kk"), ("ru", "kk"), ("kk", "ru")} <= set(LENGTH_RATIO)
    assert verdicts(GOOD_RU[:30])["length_ratio"] is False


def findings(translation: str, name: str, lang: str = "ru", **kw: object) -> list[tuple[str | None, ...]]:
    """The failed check ``name``'s findings: (severity, judged words, source words, expected, found)."""
    checks = check_translation(SOURCE, translation, source_lang="en", target_lang=lang, **kw)  # type: ignore[arg-type]
    check = next(c for c in checks if c.name == name)
    assert not check.passed
    return [
        (f.severity, translation[slice(*f.span)] if f.span else None,
         SOURCE[slice(*f.source_span)] if f.source_span else None, f.expected, f.found)
        for f in check.findings
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("translation", "name", "wanted"),
    [
        (GOOD_RU.replace("24 500", "24,500"), "numbers", [("error", None, "24,500", "24500", None)]),
        (GOOD_RU.replace("во вторник ", ""), "numbers", [("error", None, "Tuesday", "Tuesday", None)]),
        (GOOD_RU.replace("Сообщает БелТА.", "It was reported by BelTA."), "untranslated",
         [("error", "It was reported by", None, None, "It was reported by")]),
        (GOOD_RU.replace("\n\n", " "), "paragraphs", [("error", None, None, "2", "1")]),
        (GOOD_RU[:30], "length_ratio", [("error", None, None, "0.75-1.5", "0.33")]),
        (GOOD_RU, "glossary", [("error", None, "Belarus", "Белоруссия", None)]),
    ],
)  # fmt: skip
def test_failed_checks_give_findings_with_their_places(
    translation: str, name: str, wanted: list[tuple[str | None, ...]]
) -> None:
    glossary = parse_glossary("en,ru\nBelarus,Белоруссия\n")
    assert findings(translation, name, glossary=glossary) == wanted


def test_a_cut_off_translation_says_so_in_a_finding() -> None:
    assert findings(GOOD_RU, "complete", finish_reason="length") == [("error", None, None, "stop", "length")]
