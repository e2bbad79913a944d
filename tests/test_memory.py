"""The house memory's store: alignment, scopes, concurrent writers, a corrupt file, recall, dismissals.

Texts: the seed (real Kazinform/BelTA item, 2015) with its hand-written Russian translation
(tests/data/translations/README.md), and the fictional aktau_port case of the same corpus.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from summarizer.checks.verdict import Check, Finding
from summarizer.errors import StoreUnreadable
from summarizer.memory.align import Misaligned, align, key
from summarizer.memory.dismissals import dismiss, dismissals, dismissed, revoke
from summarizer.memory.recall import recall
from summarizer.memory.store import HouseMemory, open_memory
from summarizer.memory.terms import accept, candidates, export_csv, house_glossary, proposals, propose, reject
from summarizer.text.glossary import parse_glossary

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "tests" / "data" / "translations"
SEED = (ROOT / "seeds" / "000_8ce9aa6233c040a4.txt").read_text(encoding="utf-8")
SEED_RU = (TRANSLATIONS / "seed_ru.txt").read_text(encoding="utf-8")
AKTAU = json.loads((TRANSLATIONS / "aktau_port__ru__good__none.json").read_text(encoding="utf-8"))


@pytest.fixture
def memory(tmp_path: Path) -> HouseMemory:
    with HouseMemory(tmp_path / "memory.sqlite") as m:
        yield m  # type: ignore[misc]


def test_an_approved_pair_is_stored_paragraph_by_paragraph(memory: HouseMemory) -> None:
    units = memory.add_pair(AKTAU["source"], AKTAU["translation"], source_lang="en", target_lang="ru",
                            approver="Aigerim", origin="desk")  # fmt: skip
    assert len(units) == len(AKTAU["source"].strip().split("\n\n")) > 2
    stored = memory.units()
    assert [u.source for u in stored] == [u.source for u in units]
    assert stored[0].target.startswith("date 2023-06-20 АКТАУ")
    assert {(u.approver, u.origin, u.source_lang, u.target_lang) for u in stored} == {("Aigerim", "desk", "en", "ru")}
    assert stored[0].approved_at.endswith("Z")


def test_a_pair_whose_paragraphs_differ_in_number_stores_nothing(memory: HouseMemory) -> None:
    merged = json.loads((TRANSLATIONS / "aktau_port__ru__bad__paragraphs_merged.json").read_text(encoding="utf-8"))
    with pytest.raises(Misaligned, match="paragraph"):
        memory.add_pair(merged["source"], merged["translation"], source_lang="en", target_lang="ru")
    assert memory.units() == []


@pytest.mark.parametrize(
    ("a", "b"),
    [("He said \"yes\".", "He said «yes»."), ("two  spaces\nand a break", "two spaces and a break"),
     ("“curly”", '"curly"')],  # fmt: skip
)
def test_the_key_ignores_whitespace_and_quote_style(a: str, b: str) -> None:
    assert key(a) == key(b)
    assert key(a) != key(a + " more")


def test_align_pairs_each_paragraph_with_its_translation() -> None:
    pairs = align(SEED, SEED_RU)
    assert len(pairs) == 2
    assert "Bulegenov" in pairs[0].source and "Булегенов" in pairs[0].target


def test_an_outlets_unit_wins_for_that_outlet_only(memory: HouseMemory) -> None:
    memory.add_pair("Paragraph one.", "Абзац один.", source_lang="en", target_lang="ru")
    memory.add_pair("Paragraph one.", "Первый абзац.", source_lang="en", target_lang="ru", outlet="north")
    assert recall(memory, source_lang="en", target_lang="ru").exact("Paragraph one.").target == "Абзац один."
    assert recall(memory, source_lang="en", target_lang="ru", outlet="north").exact("Paragraph one.").target == (
        "Первый абзац."
    )
    assert recall(memory, source_lang="en", target_lang="kk").exact("Paragraph one.") is None


def test_approving_a_paragraph_again_takes_the_new_translation(memory: HouseMemory) -> None:
    memory.add_pair("Paragraph one.", "Абзац один.", source_lang="en", target_lang="ru", approver="A")
    memory.add_pair("Paragraph  one.", "Первый абзац.", source_lang="en", target_lang="ru", approver="B")
    (unit,) = memory.units()
    assert (unit.target, unit.approver) == ("Первый абзац.", "B")


def test_close_matches_are_found_and_exact_ones_are_not_examples(memory: HouseMemory) -> None:
    boiler = "The ambassador said this at a meeting with the governor, Kazinform correspondent reports."
    memory.add_pair(boiler, "Об этом посол сказал на встрече с губернатором, передает корреспондент Казинформа.",
                    source_lang="en", target_lang="ru")  # fmt: skip
    memory.add_pair("Unrelated sentence about grain.", "Про зерно.", source_lang="en", target_lang="ru")
    found = recall(memory, source_lang="en", target_lang="ru")
    near = found.similar(["The minister said this at a meeting with the governor, Kazinform correspondent reports."])
    assert [u.source for _, u in near] == [boiler]
    assert 75 <= near[0][0] < 100
    assert found.similar([boiler]) == []  # exact: reused, not shown as an example


def test_two_writers_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "memory.sqlite"
    HouseMemory(path).close()
    errors: list[BaseException] = []

    def approve(writer: int) -> None:
        try:
            with HouseMemory(path) as mine:  # a connection each, as two desk processes would have
                for n in range(40):
                    mine.add_pair(f"Writer {writer} paragraph {n}.", f"Автор {writer} абзац {n}.",
                                  source_lang="en", target_lang="ru", approver=f"editor{writer}")  # fmt: skip
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=approve, args=(w,)) for w in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with HouseMemory(path) as m:
        assert len(m.units()) == 80
        assert {u.approver for u in m.units()} == {"editor0", "editor1"}


def test_a_corrupt_store_is_one_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "memory.sqlite"
    path.write_bytes(b"this is not a database, it is a note someone saved here" * 100)
    with pytest.raises(StoreUnreadable, match="memory.sqlite cannot be read") as info:
        HouseMemory(path)
    assert info.value.exit_code == 1 and "\n" not in str(info.value)


def test_no_file_is_created_by_a_reader(tmp_path: Path) -> None:
    assert open_memory(tmp_path / "none.sqlite", create=False) is None
    assert not (tmp_path / "none.sqlite").exists()


# -- the glossary that grows ------------------------------------------------------------------


def test_an_approval_proposes_the_names_it_renders() -> None:
    found = dict(candidates(SEED, SEED_RU, source_lang="en"))
    assert found["Bulegenov"] == "Булегенов"
    assert found["Domanevsky"] == "Доманевский"  # the shortest rendering: not Доманевским
    assert "BelTA" not in found  # kept as written: nothing to learn


def test_a_russian_rendering_is_proposed_in_its_nominative() -> None:
    # The seed's translation writes only the inflected forms "в Беларуси" and "Могилевского".
    found = dict(candidates(SEED, SEED_RU, source_lang="en", target_lang="ru"))
    assert found["Belarus"] == "Беларусь"
    assert found["Bulegenov"] == "Булегенов" and found["Domanevsky"] == "Доманевский"


@pytest.mark.parametrize(
    ("word", "nominative"),
    [("Беларуси", "Беларусь"), ("Назарбаевой", "Назарбаева"), ("Минском", "Минск"), ("ООН", "ООН"),
     ("Лукашенко", "Лукашенко"), ("казахстанский", "казахстанский")],
)  # fmt: skip
def test_russian_nominative_keeps_gender_and_acronyms(word: str, nominative: str) -> None:
    from summarizer.text.langid import russian_nominative

    assert russian_nominative(word) == nominative


def test_accepted_proposals_are_the_house_glossary_and_export_as_the_csv_glossary_reads(memory: HouseMemory) -> None:
    assert propose(memory, SEED, SEED_RU, source_lang="en", target_lang="ru") >= 5
    assert propose(memory, SEED, SEED_RU, source_lang="en", target_lang="ru") == 0  # seen again, not new
    assert house_glossary(memory) is None
    by_name = {p.source_form: p for p in proposals(memory)}
    accept(memory, by_name["Domanevsky"].id, who="Aigerim")
    reject(memory, by_name["Belarus"].id, who="Aigerim")
    accept(memory, by_name["Bulegenov"].id, who="Aigerim", target_form="Бюлегенов")
    glossary = house_glossary(memory)
    assert glossary is not None
    assert sorted(t.form("ru") for t in glossary.terms) == ["Бюлегенов", "Доманевский"]
    again = parse_glossary(export_csv(glossary))
    assert again.languages == ("en", "ru")
    assert {t.forms for t in again.terms} == {t.forms for t in glossary.terms}
    assert "Belarus" not in {p.source_form for p in proposals(memory)}  # rejected: no longer proposed


def test_accepting_another_spelling_of_a_name_replaces_the_first(memory: HouseMemory) -> None:
    propose(memory, "Mr Borodavkin spoke.", "Выступил г-н Бородавким.", source_lang="en", target_lang="ru")
    propose(memory, "Mr Borodavkin spoke.", "Выступил г-н Бородавкин.", source_lang="en", target_lang="ru")
    first, second = sorted(proposals(memory), key=lambda p: p.id)
    accept(memory, first.id)
    accept(memory, second.id)
    glossary = house_glossary(memory)
    assert glossary is not None and [t.form("ru") for t in glossary.terms] == ["Бородавкин"]


# -- dismissals ---------------------------------------------------------------------------------


def _names_check() -> Check:
    finding = Finding("mangled_name", "error", "Borodavkin (closest: Бородавким)", span=(3, 12),
                      expected="Borodavkin", found="Бородавким")  # fmt: skip
    return Check.of("names", [finding], ok="all names there")


def test_a_dismissed_finding_is_info_and_the_check_passes(memory: HouseMemory) -> None:
    scope = dict(document="doc1", source_lang="en", target_lang="ru", outlet="north")
    (before,) = dismissed([_names_check()], memory, **scope)
    assert not before.passed
    rule = dismiss(memory, check="names", kind="mangled_name", expected="Borodavkin", found="Бородавким",
                   scope="pair", reason="his own spelling in our paper", who="Aigerim", source_lang="en",
                   target_lang="ru")  # fmt: skip
    (after,) = dismissed([_names_check()], memory, **scope)
    assert after.passed
    (finding,) = after.findings
    assert finding.severity == "info"
    assert "dismissed by Aigerim" in finding.message and "own spelling" in finding.message
    assert finding.span == (3, 12)  # still marked on the page
    (other_pair,) = dismissed([_names_check()], memory, **{**scope, "target_lang": "kk"})
    assert not other_pair.passed
    revoke(memory, rule)
    assert dismissals(memory) == []
    (revoked,) = dismissed([_names_check()], memory, **scope)
    assert not revoked.passed


@pytest.mark.parametrize(
    ("scope", "named", "elsewhere"),
    [("document", {"document": "doc1"}, {"document": "doc2"}), ("outlet", {"outlet": "north"}, {"outlet": "south"})],
)
def test_a_dismissal_keeps_to_its_scope(
    memory: HouseMemory, scope: str, named: dict[str, str], elsewhere: dict[str, str]
) -> None:
    dismiss(memory, check="names", kind="mangled_name", expected="Borodavkin", found="Бородавким", scope=scope,
            reason="checked", who="Aigerim", **named)  # fmt: skip
    base = dict(document="doc1", source_lang="en", target_lang="ru", outlet="north")
    assert dismissed([_names_check()], memory, **base)[0].passed
    assert not dismissed([_names_check()], memory, **{**base, **elsewhere})[0].passed


def test_a_dismissal_needs_a_reason_and_a_name(memory: HouseMemory) -> None:
    from summarizer.errors import UsageError

    with pytest.raises(UsageError, match="reason"):
        dismiss(memory, check="names", kind="k", expected="", found="", scope="pair", reason=" ", who="A",
                source_lang="en", target_lang="ru")  # fmt: skip


def test_a_reader_sees_what_another_connection_wrote(tmp_path: Path) -> None:
    path = tmp_path / "memory.sqlite"
    with HouseMemory(path) as desk, HouseMemory(path) as shell:
        assert recall(desk, source_lang="en", target_lang="ru").exact("Paragraph one.") is None
        shell.add_pair("Paragraph one.", "Абзац один.", source_lang="en", target_lang="ru")
        assert recall(desk, source_lang="en", target_lang="ru").exact("Paragraph one.").target == "Абзац один."
