"""``summarizer memory`` and ``glossary`` from the shell, and translate reusing what was approved,
against a loopback endpoint that counts requests.

Texts: the seed (real Kazinform/BelTA item, 2015) and its hand-written Russian translation
(tests/data/translations/README.md); the "new paragraph" below is fictional, written for the tests.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fakes import FakeOpenAI, Reply

from summarizer.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_8ce9aa6233c040a4.txt"
SEED_RU = ROOT / "tests" / "data" / "translations" / "seed_ru.txt"
NEW_EN = "The delegation also visited the Mogilev drama theatre on Friday evening."
NEW_RU = "В пятницу вечером делегация также посетила Могилёвский драматический театр."


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SUMMARIZER_MEMORY", str(tmp_path / "house" / "memory.sqlite"))
    with FakeOpenAI(Reply(NEW_RU)) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        yield fake


def _add(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "memory", "add", str(SEED), str(SEED_RU), "--to", "ru", "--approver", "Aigerim")
    assert (code, err) == (0, "")
    assert out.startswith("stored 2 unit(s) en->ru;")


def test_an_approved_source_translates_with_no_request_and_the_approved_text(
    server: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    _add(capsys)
    code, out, _ = run(capsys, "translate", str(SEED), "--to", "ru", "--json")
    assert code == 0
    assert server.requests == []
    data = json.loads(out)
    assert data["translation"] == SEED_RU.read_text(encoding="utf-8").strip()
    assert data["calls"] == 0 and data["cached"] is False
    assert [(m["approved_by"], m["origin"]) for m in data["from_memory"]] == [("Aigerim", "cli")] * 2
    first = data["from_memory"][0]
    assert data["translation"][first["span"][0] : first["span"][1]].startswith("date 2015-11-25")
    assert all(c["passed"] for c in data["checks"] if c["name"] in ("paragraphs", "numbers", "names"))


def test_one_approved_paragraph_and_one_new_cost_one_request(
    server: FakeOpenAI, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _add(capsys)
    first_en = SEED.read_text(encoding="utf-8").split("\n\n")[0].strip()
    first_ru = SEED_RU.read_text(encoding="utf-8").split("\n\n")[0].strip()
    article = tmp_path / "second.txt"
    article.write_text(first_en + "\n\n" + NEW_EN + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "translate", str(article), "--to", "ru", "--json")
    assert code == 0
    assert len(server.requests) == 1
    sent = server.requests[0].body["messages"][-1]["content"]
    assert NEW_EN in sent and "Bulegenov" not in sent.split("<article>")[-1].split("</article>")[0]
    data = json.loads(out)
    assert data["translation"] == first_ru + "\n\n" + NEW_RU
    assert [m["source"] for m in data["from_memory"]] == [first_en]
    code, out, _ = run(capsys, "translate", str(article), "--to", "ru", "--no-memory", "--json")
    assert json.loads(out)["from_memory"] == []
    assert "Bulegenov" in server.requests[1].body["messages"][-1]["content"]  # the whole article, sent


def test_a_close_match_goes_into_the_prompt_as_an_example(
    server: FakeOpenAI, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _add(capsys)
    paragraph = SEED.read_text(encoding="utf-8").split("\n\n")[0].strip().replace("2015-11-25", "2016-01-14")
    article = tmp_path / "near.txt"
    article.write_text(paragraph + "\n", encoding="utf-8")
    run(capsys, "translate", str(article), "--to", "ru")
    sent = server.requests[0].body["messages"][-1]["content"]  # (the reply fails the checks: asked twice)
    assert "The house has approved these translations" in sent
    assert "=> date 2015-11-25 МОГИЛЁВ" in sent


def test_tmx_round_trip_gives_the_same_reuse(
    server: FakeOpenAI, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import xml.etree.ElementTree as ET

    _add(capsys)
    tmx = tmp_path / "house.tmx"
    assert run(capsys, "memory", "export", str(tmx))[0] == 0
    root = ET.parse(tmx).getroot()  # any TMX 1.4 reader: one tu per unit, tuv with xml:lang
    assert root.get("version") == "1.4" and root.find("header").get("srclang") == "en"
    tus = root.findall("body/tu")
    assert len(tus) == 2
    langs = [[t.get("{http://www.w3.org/XML/1998/namespace}lang") for t in tu.findall("tuv")] for tu in tus]
    assert langs == [["en", "ru"]] * 2
    assert {p.get("type"): p.text for p in tus[0].findall("prop")}["x-approver"] == "Aigerim"
    monkeypatch.setenv("SUMMARIZER_MEMORY", str(tmp_path / "empty.sqlite"))
    code, out, _ = run(capsys, "memory", "import", str(tmx))
    assert (code, out) == (0, f"imported 2 unit(s) from {tmx}\n")
    again = tmp_path / "again.tmx"
    run(capsys, "memory", "export", str(again))
    assert again.read_bytes() == tmx.read_bytes()  # lossless: the same units, the same bookkeeping
    code, out, _ = run(capsys, "translate", str(SEED), "--to", "ru")
    assert out.strip() == SEED_RU.read_text(encoding="utf-8").strip() and server.requests == []


_GOOD_TU = '<tu><tuv xml:lang="en"><seg>Hello.</seg></tuv><tuv xml:lang="ru"><seg>Привет.</seg></tuv></tu>'


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b'<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
         b'<tmx version="1.4"><header/><body><tu><tuv xml:lang="en"><seg>&b;</seg></tuv></tu></body></tmx>',
         "declares entities"),
        (b'<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
         b'<tmx version="1.4"><header/><body><tu><tuv xml:lang="en"><seg>&x;</seg></tuv></tu></body></tmx>',
         "declares entities"),
        ('<?xml version="1.0" encoding="windows-1251"?><tmx><body>' + _GOOD_TU + "</body></tmx>",
         "declares encoding windows-1251"),
        (("<tmx><body>" + _GOOD_TU + "</body></tmx>").encode("utf-16"), "not UTF-8"),
        (b'<tmx version="1.4"><body><tu><tuv xml:lang="en"><seg>Only one.</seg></tuv></tu></body></tmx>',
         "does not have two languages"),
        (b"<tmx><body><tu><tuv><seg>x</seg></tuv><tuv><seg>y</seg></tuv></tu></body></tmx>", "without a language"),
        (b"<html><body/></html>", "is not TMX"),
        (b"<tmx><body><tu>", "not well-formed"),
    ],  # fmt: skip
)
def test_a_hostile_or_invalid_tmx_is_refused_and_nothing_changes(
    data: bytes | str, says: str, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUMMARIZER_MEMORY", str(tmp_path / "memory.sqlite"))
    _add(capsys)
    bad = tmp_path / "bad.tmx"
    bad.write_bytes(data if isinstance(data, bytes) else data.encode("cp1251"))
    # A good unit first: a refused file stores none of its units, not the ones before the fault.
    code, out, err = run(capsys, "memory", "import", str(bad))
    assert (code, out) == (2, "")
    assert says in err and err.count("\n") == 1 and "Traceback" not in err
    assert "2 unit(s)" in run(capsys, "memory", "stats")[1]


def test_a_refused_file_stores_none_of_its_good_units(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUMMARIZER_MEMORY", str(tmp_path / "memory.sqlite"))
    bad = tmp_path / "half.tmx"
    bad.write_text('<tmx version="1.4"><body>' + _GOOD_TU * 3 + '<tu><tuv xml:lang="en"><seg>x</seg></tuv></tu>'
                   "</body></tmx>", encoding="utf-8")  # fmt: skip
    assert run(capsys, "memory", "import", str(bad))[0] == 2
    assert "0 unit(s)" in run(capsys, "memory", "stats")[1]


def test_stats_glossary_and_dismissals_from_the_shell(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUMMARIZER_MEMORY", str(tmp_path / "memory.sqlite"))
    _add(capsys)
    stats = json.loads(run(capsys, "memory", "stats", "--json")[1])
    assert stats["units"] == 2 and stats["pairs"][0]["source_lang"] == "en"
    listed = run(capsys, "glossary", "proposed")[1]
    number = next(line.split()[0] for line in listed.splitlines() if "Domanevsky = Доманевский" in line)
    assert run(capsys, "glossary", "accept", number, "--approver", "Aigerim")[1].startswith("accepted: Domanevsky")
    csv_file = tmp_path / "house.csv"
    assert run(capsys, "glossary", "export", str(csv_file))[0] == 0
    assert csv_file.read_text(encoding="utf-8") == "en,ru\nDomanevsky,Доманевский\n"
    code, _, err = run(capsys, "glossary", "accept", "999")
    assert code == 2 and "no glossary proposal 999" in err
    assert run(capsys, "memory", "dismissals")[1] == "no dismissals in force\n"
    code, _, err = run(capsys, "memory", "dismissals", "--revoke", "7")
    assert code == 2 and err.count("\n") == 1


def test_the_accepted_glossary_is_used_when_no_glossary_is_given_and_an_explicit_one_wins(
    server: FakeOpenAI, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _add(capsys)
    listed = run(capsys, "glossary", "proposed")[1]
    number = next(line.split()[0] for line in listed.splitlines() if "Domanevsky =" in line)
    run(capsys, "glossary", "accept", number, "--spelling", "Доманевский")
    article = tmp_path / "new.txt"
    article.write_text("MOGILEV. Vladimir Domanevsky opened a new school on Monday.\n", encoding="utf-8")
    run(capsys, "translate", str(article), "--to", "ru")
    assert "- Domanevsky = Доманевский" in server.requests[-1].body["messages"][-1]["content"]
    own = tmp_path / "own.csv"
    own.write_text("en,ru\nDomanevsky,Доманевскій\n", encoding="utf-8")
    run(capsys, "translate", str(article), "--to", "ru", "--glossary", str(own))
    sent = server.requests[-1].body["messages"][-1]["content"]
    assert "- Domanevsky = Доманевскій" in sent and "= Доманевский" not in sent


def test_a_corrupt_memory_is_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "memory.sqlite"
    broken.write_bytes(b"not sqlite " * 500)
    monkeypatch.setenv("SUMMARIZER_MEMORY", str(broken))
    for argv in (["memory", "stats"], ["translate", str(SEED), "--to", "ru"]):
        code, out, err = run(capsys, *argv)
        assert (code, out) == (1, "")
        assert err.startswith("summarizer: error: house memory") and err.count("\n") == 1


def test_a_misaligned_pair_is_refused_with_the_counts(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUMMARIZER_MEMORY", str(tmp_path / "memory.sqlite"))
    one = tmp_path / "one.txt"
    one.write_text(SEED_RU.read_text(encoding="utf-8").replace("\n\n", " "), encoding="utf-8")
    code, out, err = run(capsys, "memory", "add", str(SEED), str(one), "--to", "ru")
    assert (code, out) == (2, "")
    assert "nothing stored: the source has 2 paragraph(s) and the translation 1" in err


def test_a_batch_reuses_the_memory_and_no_memory_turns_it_off(
    server: FakeOpenAI, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _add(capsys)
    wire = tmp_path / "wire"
    wire.mkdir()
    (wire / "seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = run(capsys, "batch", str(wire), "--out", str(tmp_path / "out"), "--tasks", "translate:ru")
    assert code == 0 and server.requests == []
    (written,) = (tmp_path / "out").rglob("*.translate-ru.txt")
    assert written.read_text(encoding="utf-8").strip() == SEED_RU.read_text(encoding="utf-8").strip()
    (page,) = (tmp_path / "out" / "pages").rglob("*.html")
    assert "2 of 2 paragraph(s) from the house memory, sent to no model (approved by Aigerim at 20" in page.read_text()
    run(capsys, "batch", str(wire), "--out", str(tmp_path / "out2"), "--tasks", "translate:ru", "--no-memory")
    assert server.requests != []


def test_check_counts_a_dismissed_finding_as_passed_and_lists_the_dismissal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from summarizer.memory.dismissals import dismiss
    from summarizer.memory.store import HouseMemory

    path = tmp_path / "memory.sqlite"
    monkeypatch.setenv("SUMMARIZER_MEMORY", str(path))
    wrong = tmp_path / "seed.ru.txt"
    # 2016 as 2017: a finding of the numbers check to dismiss (an edit made for the test).
    wrong.write_text(SEED_RU.read_text(encoding="utf-8").replace("2016", "2017"), encoding="utf-8")
    code, out, _ = run(capsys, "check", str(SEED), str(wrong), "--to", "ru", "--json")
    assert code == 3
    (numbers,) = [c for c in json.loads(out)["checks"] if c["name"] == "numbers"]
    (finding,) = [f for f in numbers["findings"] if f["severity"] == "error"]
    with HouseMemory(path) as memory:
        dismiss(memory, check="numbers", kind=finding["kind"], expected=finding["expected"], found=finding["found"],
                scope="pair", source_lang="en", target_lang="ru", reason="the family's own spelling", who="Aigerim")
    code, out, _ = run(capsys, "check", str(SEED), str(wrong), "--to", "ru", "--json")
    assert code == 0
    (numbers,) = [c for c in json.loads(out)["checks"] if c["name"] == "numbers"]
    assert numbers["passed"] is True
    assert [f["severity"] for f in numbers["findings"]] == ["info"]
    assert "dismissed by Aigerim" in numbers["findings"][0]["message"]
    assert run(capsys, "check", str(SEED), str(wrong), "--to", "ru", "--no-memory")[0] == 3
    listed = run(capsys, "memory", "dismissals")[1]
    assert "numbers:missing_number '2016'" in listed and "by Aigerim" in listed and "en->ru" in listed


def test_a_batch_shows_a_dismissed_consistency_finding_as_dismissed(
    server: FakeOpenAI, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from summarizer.memory.dismissals import dismiss
    from summarizer.memory.store import HouseMemory

    wire = tmp_path / "wire"
    wire.mkdir()
    seed, ru = SEED.read_text(encoding="utf-8"), SEED_RU.read_text(encoding="utf-8")
    (wire / "a.txt").write_text(seed, encoding="utf-8")
    (wire / "b.txt").write_text(seed.replace("2015-11-25", "2015-11-26"), encoding="utf-8")
    # b's translation spells him another way (an edit made for the test).
    other = ru.replace("2015-11-25", "2015-11-26").replace("Булегенов", "Булегенев")
    server.default = lambda body: Reply(other if "2015-11-26" in body["messages"][-1]["content"] else ru)

    def consistency(out: Path) -> list[dict[str, object]]:
        run(capsys, "batch", str(wire), "--out", str(out), "--tasks", "translate:ru")
        report = json.loads((out / "report.json").read_text(encoding="utf-8"))
        return [f for item in report["items"] for c in item["checks"] if c["name"] == "consistency"
                for f in c["findings"]]  # fmt: skip

    first = consistency(tmp_path / "out1")
    assert first and {f["severity"] for f in first} == {"warning"}
    with HouseMemory(tmp_path / "house" / "memory.sqlite") as memory:
        for f in first:
            dismiss(memory, check="consistency", kind=str(f["kind"]), expected=f["expected"], found=f["found"],
                    scope="pair", source_lang="en", target_lang="ru", reason="both are his",
                    who="Aigerim")  # type: ignore[arg-type]
    again = consistency(tmp_path / "out2")  # the same answers, from the cache
    assert again and {f["severity"] for f in again} == {"info"}
    assert all("dismissed by Aigerim" in str(f["message"]) for f in again)


def test_a_part_whose_only_failure_is_dismissed_is_not_asked_again(
    server: FakeOpenAI, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from summarizer.memory.dismissals import dismiss
    from summarizer.memory.store import HouseMemory

    # Fictional, written for the test: "полтора миллиона" is 1.5 million, which the numbers check misses.
    article = tmp_path / "park.txt"
    article.write_text("PAVLODAR. KAZINFORM The region will spend 1.5 million tenge on a new park.\n", encoding="utf-8")
    server.default = Reply("ПАВЛОДАР. КАЗИНФОРМ Регион потратит полтора миллиона тенге на новый парк.")
    assert run(capsys, "translate", str(article), "--to", "ru")[0] == 0
    assert len(server.requests) == 2  # the false alarm: asked again
    with HouseMemory(tmp_path / "house" / "memory.sqlite") as memory:
        dismiss(memory, check="numbers", kind="missing_number", expected="1500000", found=None, scope="pair",
                source_lang="en", target_lang="ru", reason="полтора миллиона is 1.5 million", who="Aigerim")
    code, out, _ = run(capsys, "translate", str(article), "--to", "ru", "--json", "--cache-mode", "refresh")
    assert code == 0 and len(server.requests) == 3  # one more request, no re-ask
    (numbers,) = [c for c in json.loads(out)["checks"] if c["name"] == "numbers"]
    assert numbers["passed"] and numbers["findings"][0]["severity"] == "info"


def test_facts_use_the_house_glossary_when_none_is_given(
    server: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    _add(capsys)
    listed = run(capsys, "glossary", "proposed")[1]
    run(capsys, "glossary", "accept", next(li.split()[0] for li in listed.splitlines() if "Bulegenov =" in li))
    run(capsys, "facts", str(SEED), "--lang", "ru")  # the fake's answer is no facts JSON: only the request counts
    assert "Bulegenov = Булегенов" in "".join(m["content"] for m in server.requests[0].body["messages"])
    server.requests.clear()
    run(capsys, "facts", str(SEED), "--lang", "ru", "--no-memory")
    sent = "".join(m["content"] for m in server.requests[0].body["messages"])
    assert "Spell these names" not in sent


def test_a_tmx_from_another_tool_is_read(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # The shape OmegaT and Trados write (fictional segments, written for the test): a DOCTYPE
    # naming tmx14.dtd, regional language codes, TMX's own creationid/creationdate, no x- props.
    monkeypatch.setenv("SUMMARIZER_MEMORY", str(tmp_path / "memory.sqlite"))
    tmx = tmp_path / "omegat.tmx"
    tmx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx version="1.4">'
        '<header creationtool="OmegaT" o-tmf="OmegaT TMX" adminlang="EN-US" datatype="plaintext" '
        'segtype="paragraph" srclang="EN-US"/><body><tu creationid="translator" creationdate="20251103T101500Z">'
        '<tuv xml:lang="EN-US"><seg>The talks will continue tomorrow.</seg></tuv>'
        '<tuv xml:lang="RU-RU"><seg>Переговоры продолжатся завтра.</seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    assert run(capsys, "memory", "import", str(tmx))[0] == 0
    from summarizer.memory.store import HouseMemory

    with HouseMemory(tmp_path / "memory.sqlite") as memory:
        (unit,) = memory.units()
    assert (unit.source_lang, unit.target_lang, unit.approver, unit.approved_at, unit.origin) == (
        "en", "ru", "translator", "2025-11-03T10:15:00Z", "tmx")
