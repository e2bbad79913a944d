"""ninjs out: every task's output as one IPTC ninjs 2.2 item, valid against IPTC's own schema.

The schema is IPTC's ``ninjs-schema_2.2.json`` as published in iptc/newsinjson (see
tests/data/README.md); ``jsonschema`` validates each item against it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SEED
from fakes import FakeOpenAI, Reply
from jsonschema import Draft202012Validator

from summarizer.cli.main import main
from summarizer.output.ninjs import source_uri
from summarizer.text.articles import load_article
from summarizer.wire.pull import FeedConfig, pull

DATA = Path(__file__).parent / "data"
SCHEMA = json.loads((DATA / "ninjs" / "ninjs-schema_2.2.json").read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
RUSSIAN = ("Казахстан и Беларусь запустят совместные машиностроительные проекты\n\n"
           "Казахстан и Беларусь в 2027 году запустят три совместных машиностроительных проекта, сообщило "
           "министерство промышленности в понедельник.\n\n"
           "Проекты охватывают тракторы, автобусы и сельскохозяйственную технику, общий объём инвестиций "
           "составит 120 миллионов долларов США.")  # fmt: skip


def valid(item: dict) -> dict:  # type: ignore[type-arg]
    errors = sorted(VALIDATOR.iter_errors(item), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    return item


@pytest.fixture
def pulled(tmp_path: Path) -> Path:
    report = pull([FeedConfig(name="kazinform-en", url=str(DATA / "wire" / "kazinform.rss"), agency="Kazinform",
                              full_text=False)], tmp_path / "inbox")  # fmt: skip
    return next(tmp_path / "inbox" / n for n in report.written if "machine" in (tmp_path / "inbox" / n).read_text())


@pytest.fixture
def endpoint(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    with FakeOpenAI() as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("SUMMARIZER_CACHE_MODE", "off")
        yield fake


def ninjs(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:  # type: ignore[type-arg]
    main([*argv, "--format", "ninjs"])
    return valid(json.loads(capsys.readouterr().out))


def test_a_translation_validates_and_links_to_its_source_item(
    pulled: Path, endpoint: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    endpoint.default = Reply(RUSSIAN)
    item = ninjs(capsys, "translate", str(pulled), "--to", "ru")
    source = load_article(pulled)
    assert source.meta.wire is not None
    assert item["language"] == "ru" and item["bodies"][0]["value"] == RUSSIAN
    assert item["headlines"] == [{"role": "main", "value": RUSSIAN.split("\n\n")[0]}]
    (association,) = item["associations"]
    assert association["name"] == "source" and association["uri"] == source.meta.wire.guid
    assert association["headlines"][0]["value"] == source.meta.title and association["language"] == "en"
    assert association["versioncreated"] == "2026-12-07T01:15:00+00:00"
    assert {"role": "source-guid", "value": source.meta.wire.guid} in item["altids"]
    assert {"name": "Kazinform", "role": "source"} in item["infosources"]
    assert {"name": "gpt-4o-mini", "role": "model"} in item["infosources"]
    assert "gpt-4o-mini" in item["ednote"] and "checks" in item["ednote"]
    # the model was given the story and its title, not the wire header's links and GUIDs
    sent = endpoint.requests[0].body["messages"][-1]["content"]
    assert source.meta.title in sent and "guid" not in sent and "inform.kz/en/" not in sent


def test_a_summary_carries_the_summary_as_its_description(
    endpoint: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    endpoint.default = Reply("Kazakhstan wants joint investment projects in Belarus, its ambassador said.")
    item = ninjs(capsys, "summarise", str(SEED))
    assert item["descriptions"][0] == {"role": "summary", "contenttype": "text/plain",
                                       "value": "Kazakhstan wants joint investment projects in Belarus, its ambassador said."}  # fmt: skip
    assert item["bodies"][0]["value"] == load_article(SEED).body  # the story under its summary, same language
    assert item["located"] == "Mogilev" and item["associations"][0]["uri"] == source_uri(load_article(SEED))
    assert item["digitalsourcetype"]["uri"].endswith("/trainedAlgorithmicMedia")


def test_a_headline_and_a_kazakh_latin_translation(endpoint: FakeOpenAI, capsys: pytest.CaptureFixture[str]) -> None:
    endpoint.default = Reply("Kazakhstan seeks joint projects in Belarus")
    assert ninjs(capsys, "headline", str(SEED))["headlines"][0]["value"] == "Kazakhstan seeks joint projects in Belarus"
    endpoint.default = Reply("Қазақстан Беларусьпен бірлескен жобаларды жүзеге асырғысы келеді.")
    item = ninjs(capsys, "translate", str(SEED), "--to", "kk", "--script", "latn")
    assert item["language"] == "kk-Latn" and item["bodies"][0]["value"].startswith("Qazaqstan")


def test_the_same_output_is_the_same_item_and_another_text_another(
    endpoint: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    endpoint.default = Reply("One summary.")
    first, again = ninjs(capsys, "summarise", str(SEED)), ninjs(capsys, "summarise", str(SEED))
    endpoint.default = Reply("Another summary.")
    other = ninjs(capsys, "summarise", str(SEED))
    assert first["uri"] == again["uri"] != other["uri"] and first["uri"].startswith("urn:summarizer:summary:en:")


def test_a_failed_check_is_named_in_the_ednote(endpoint: FakeOpenAI, capsys: pytest.CaptureFixture[str]) -> None:
    endpoint.default = Reply("Казахстан.")  # Russian where English was asked, and far too short
    item = ninjs(capsys, "summarise", str(SEED))
    assert "failed:" in item["ednote"] and "all passed" not in item["ednote"]


def test_batch_writes_an_item_beside_each_output(
    tmp_path: Path, endpoint: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    endpoint.default = Reply("Kazakhstan wants joint investment projects in Belarus, its ambassador said.")
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["batch", str(inputs), "--out", str(tmp_path / "out"), "--tasks", "summary", "--format", "ninjs"]) == 0
    (written,) = (tmp_path / "out" / "default").glob("*.ninjs.json")
    item = valid(json.loads(written.read_text(encoding="utf-8")))
    summary = (tmp_path / "out" / "default" / written.name.replace(".ninjs.json", ".txt")).read_text(encoding="utf-8")
    assert item["descriptions"][0]["value"] == summary.strip()


def test_facts_are_the_items_people_organisations_and_places(
    endpoint: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    answer = json.loads((DATA / "facts" / "seed_answer.json").read_text(encoding="utf-8"))
    endpoint.default = Reply(json.dumps(answer))
    item = ninjs(capsys, "facts", str(SEED))
    names = [p["name"] for p in item["people"]]
    assert "Yergali Bulegenov" in names and item["organisations"] and item["places"]
    assert item["language"] == "en" and "bodies" not in item
