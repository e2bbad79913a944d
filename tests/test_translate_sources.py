"""Translations from sources beyond English, end to end through the CLI and a loopback endpoint.

A Belarusian item into Russian, a Kazakh item into English, each with its checks. The sources:
``tests/data/agency/be_telegraf_wages.txt`` (a real telegraf.by item, see tests/data/README.md)
and ``tests/data/translations/seed_kk.txt`` (a Kazakh translation of the real seed, written for
the project's tests). The endpoint's answers: ``tests/data/sources/*__written-for-tests.txt``
(a Russian translation of the Belarusian item, written for these tests) and the seed itself
(the real English Kazinform item the Kazakh text translates).
"""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, SEED
from fakes import FakeOpenAI, Reply

from summarizer.cli.main import main

BE = ROOT / "tests" / "data" / "agency" / "be_telegraf_wages.txt"
BE_RU = (ROOT / "tests" / "data" / "sources" / "be_telegraf_wages__ru__written-for-tests.txt").read_text(
    encoding="utf-8"
)
KK = ROOT / "tests" / "data" / "translations" / "seed_kk.txt"


@pytest.fixture
def endpoint(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    with FakeOpenAI() as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        monkeypatch.setenv("SUMMARIZER_CACHE_MODE", "off")
        yield fake


def translate(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    code = main(["translate", *argv, "--json"])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out else {}, err


def _checks(data: dict) -> dict[str, bool]:  # type: ignore[type-arg]
    return {c["name"]: c["passed"] for c in data["checks"]}


def test_belarusian_into_russian(endpoint: FakeOpenAI, capsys: pytest.CaptureFixture[str]) -> None:
    endpoint.default = Reply(BE_RU)
    code, data, err = translate(capsys, str(BE), "--to", "ru", "--strict")
    assert (code, err) == (0, ""), err
    assert data["article"]["language"] == "be"
    assert all(_checks(data).values()) and {"numbers", "length_ratio", "language", "paragraphs"} <= set(_checks(data))
    system = endpoint.requests[0].body["messages"][0]["content"]
    assert "from Belarusian into Russian" in system


def test_belarusian_left_untranslated_fails_its_checks(
    endpoint: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    endpoint.default = Reply(BE.read_text(encoding="utf-8"))  # the model echoed the source
    code, data, _ = translate(capsys, str(BE), "--to", "ru", "--strict")
    assert code == 3 and _checks(data)["language"] is False


def test_kazakh_into_english(endpoint: FakeOpenAI, capsys: pytest.CaptureFixture[str]) -> None:
    endpoint.default = Reply(SEED.read_text(encoding="utf-8"))
    code, data, err = translate(capsys, str(KK), "--to", "en", "--strict")
    assert (code, err) == (0, ""), err
    assert (data["language"], data["script"], data["alphabet"]) == ("en", "latn", "latin")
    assert data["article"]["language"] == "kk"
    checks = _checks(data)
    assert all(checks.values()) and {"numbers", "length_ratio", "untranslated", "language"} <= set(checks)
    sent = endpoint.requests[0].body["messages"]
    assert "from Kazakh into English" in sent[0]["content"] and "decimal point (11.4)" in sent[0]["content"]


def test_kazakh_left_in_an_english_translation_is_caught(
    endpoint: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    english = SEED.read_text(encoding="utf-8")
    kazakh_sentence = "Қазақстан Беларусьте ірі бірлескен инвестициялық жобаларды іске асыруға ниетті."
    endpoint.default = Reply(english.replace("Kazakhstan would like", kazakh_sentence + " Kazakhstan would like", 1))
    code, data, _ = translate(capsys, str(KK), "--to", "en", "--strict")
    assert code == 3 and _checks(data)["untranslated"] is False


def test_english_source_into_english_is_refused(endpoint: FakeOpenAI, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["translate", str(SEED), "--to", "en"])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "") and "already in English" in err and not endpoint.requests


def test_english_is_latin_whatever_the_kazakh_script_flag(
    endpoint: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    endpoint.default = Reply(SEED.read_text(encoding="utf-8"))
    code, data, _ = translate(capsys, str(KK), "--to", "en", "--script", "latn")
    assert (code, data["alphabet"], data["translation"]) == (0, "latin", SEED.read_text(encoding="utf-8").strip())


def test_facts_of_a_german_page_default_to_english() -> None:
    from summarizer.config import Settings
    from summarizer.facts.extract import facts_steps
    from summarizer.llm.plan import planning_model
    from summarizer.text.articles import load_article

    article = load_article(ROOT / "tests" / "data" / "agency" / "de_rnz_dpa_frankfurt.html")
    steps = facts_steps(article, planning_model(Settings.resolve(backend="openai")))
    (request, *_) = next(steps)
    assert article.language == "de" and "English" in request.messages[0]["content"]
