"""Severities: an error is what must not go out as it is, a warning what to look at first.

Names a translator renders on purpose (checks.renderings) are warnings; everything that acts on
verdicts (the exit code of `check`, --strict, the batch's failed-check counts, the pages'
"passed") acts on errors only, and every place that shows a verdict shows its warnings.

The texts are fictional, written for the tests (modelled on wire copy about Kazakh railways,
officials and investment).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fakes import FakeOpenAI, Reply

from summarizer.checks.marks import marked
from summarizer.checks.names import names_check
from summarizer.checks.out import CheckOut
from summarizer.checks.translation import check_translation
from summarizer.checks.verdict import Check, Finding, failed, verdict_line, warned
from summarizer.cli.main import main

KTZ = ("Kazakhstan Temir Zholy's subsidiary KTZ Freight Transportation carried 3,300 tons of cargo to Mogilev on "
       "Monday, the company said.")  # fmt: skip
KTZ_KK = ("«Қазақстан темір жолы» еншілес компаниясы «ҚТЖ – Жүк тасымалы» дүйсенбі күні Могилевке 3 300 тонна жүк "
          "тасымалдады, деп хабарлады компания.")  # fmt: skip
KTZ_KK_BAD = KTZ_KK.replace("3 300", "3 000")


@pytest.mark.parametrize(
    ("source", "translation", "lang", "kinds"),
    [
        (KTZ, KTZ_KK, "kk", {"translated_name"}),
        (KTZ, "Дочерняя компания «Казахстан темир жолы» АО «КТЖ – Грузовые перевозки» доставила в Могилев 3300 тонн "
              "груза в понедельник, сообщила компания.", "ru", {"translated_name"}),
        ("Deputy akim Yerlan Tuleshov met the delegation in Aktobe on Monday.",
         "Әкімнің орынбасары Ерлан Төлешов дүйсенбіде Ақтөбеде делегацияны қарсы алды.", "kk", {"spelling_tradition"}),
        ("Investment in Kazakhstan grew by 12 percent in 2023, the minister said.",
         "2023 жылы елімізге салынған инвестиция 12 пайызға өсті, деді министр.", "kk", {"our_country"}),
        ("Investment in Kazakhstan grew by 12 percent in 2023, the minister said.",
         "В 2023 году инвестиции в нашу страну выросли на 12 процентов, сообщил министр.", "ru", {"our_country"}),
    ],
)  # fmt: skip
def test_a_name_a_translator_may_render_is_a_warning(source: str, translation: str, lang: str, kinds: set[str]) -> None:
    check = names_check(source, translation, source_lang="en", target_lang=lang)
    assert check.passed and check.severity == "warning"
    assert {f.kind for f in check.findings} == kinds and all(f.severity == "warning" for f in check.findings)
    assert "look:" in check.detail


@pytest.mark.parametrize(
    ("source", "translation", "lang"),
    [
        ("President Aleksandr Lukashenko met Kassym-Jomart Tokayev in Minsk.",
         "Президент Альберт Лукашенко встретился с Касым-Жомартом Токаевым в Минске.", "ru"),  # another first name
        ("Deputy akim Yerlan Koshanov met the delegation in Aktobe on Monday.",
         "Әкімнің орынбасары Ерлан Кашанов дүйсенбіде Ақтөбеде делегацияны қарсы алды.", "kk"),  # a for o
        ("Investment in Kazakhstan grew by 12 percent in 2023, the minister said.",
         "2023 жылы инвестиция 12 пайызға өсті, деді министр.", "kk"),  # the country simply gone
        # a person, after a title
        ("US Interior Secretary Ryan Zinke spoke in Washington.", "Министр США выступил в Вашингтоне.", "ru"),
    ],
)  # fmt: skip
def test_a_name_no_tradition_explains_stays_an_error(source: str, translation: str, lang: str) -> None:
    check = names_check(source, translation, source_lang="en", target_lang=lang)
    assert not check.passed and check.severity == "error"


def test_a_length_ratio_just_past_its_range_is_a_warning_and_far_past_an_error() -> None:
    source = "Floods hit the Aktobe region on Monday, the emergencies ministry said. " * 4

    def ratio(translation: str) -> Check:  # noqa: E306
        return {c.name: c for c in check_translation(source, translation, source_lang="en", target_lang="ru")}[
            "length_ratio"
        ]

    text = "Наводнение затронуло Актюбинскую область в понедельник, сообщило МЧС. "
    edge, far = ratio((text * 10)[: int(len(source) * 1.6)]), ratio(text)
    assert edge.passed and edge.severity == "warning"
    assert not far.passed and far.severity == "error"


def test_verdict_line_never_hides_a_warning() -> None:
    warn = Check.of("names", [Finding("translated_name", "warning", "Freight translated?")], ok="3 of 5 there")
    error = Check.of("numbers", [Finding("missing_number", "error", "3300 missing")], ok="all there")
    plain = Check("language", True, "kk")
    assert warn.passed and warned([warn, plain]) == [warn] and failed([warn, plain]) == []
    assert verdict_line([warn, plain]) == "All 2 checks passed, 1 warning"
    assert verdict_line([warn, error, plain]) == "1 of 3 checks failed, 1 warning"
    assert verdict_line([plain]) == "All 1 checks passed"
    assert CheckOut.of(warn).severity == "warning" and CheckOut.of(plain).severity is None
    # a verdict recorded before severities were written gets its gravest finding's
    old = {"name": "names", "passed": True, "findings": [{"kind": "k", "severity": "warning", "message": "m"}]}
    assert CheckOut.model_validate(old).severity == "warning"


def test_warnings_are_marked_in_their_own_colour() -> None:
    text = "Ерлан Төлешов"
    warn = Check.of("names", [Finding("spelling_tradition", "warning", "tradition?", span=(6, 13))], ok="ok")
    error = Check.of("latin_words", [Finding("latin_word", "error", "Latin", span=(0, 5))], ok="ok")
    html = str(marked(text, [warn, error]))
    assert 'class="warning">Төлешов</mark>' in html and 'class="fault">Ерлан</mark>' in html


def _files(tmp_path: Path, translation: str) -> tuple[str, str]:
    (tmp_path / "src.txt").write_text(KTZ + "\n", encoding="utf-8")
    (tmp_path / "kk.txt").write_text(translation + "\n", encoding="utf-8")
    return str(tmp_path / "src.txt"), str(tmp_path / "kk.txt")


def test_check_exits_0_with_warnings_alone_and_prints_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", *_files(tmp_path, KTZ_KK), "--to", "kk"]) == 0
    out, err = capsys.readouterr()
    assert "warn names:" in out and "Freight (of KTZ Freight Transportation) translated by meaning?" in out
    assert "FAIL" not in out and "All 16 checks passed, 2 warnings" in err
    assert main(["check", *_files(tmp_path, KTZ_KK), "--to", "kk", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    names = {c["name"]: c for c in data["checks"]}["names"]
    assert data["passed"] is True and names["passed"] is True and names["severity"] == "warning"


def test_check_exits_3_on_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", *_files(tmp_path, KTZ_KK_BAD), "--to", "kk"]) == 3
    out, err = capsys.readouterr()
    assert "FAIL numbers:" in out and "warn names:" in out and "1 of 16 checks failed, 2 warnings" in err


@pytest.mark.parametrize(("answer", "code"), [(KTZ_KK, 0), (KTZ_KK_BAD, 3)])
def test_strict_follows_errors_only(
    answer: str, code: int, tmp_path: Path, clean_env: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    source, _ = _files(tmp_path, answer)
    with FakeOpenAI(Reply(answer)) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        assert main(["translate", source, "--to", "kk", "--strict"]) == code
    err = capsys.readouterr().err
    assert "look before publishing: check 'names'" in err
    assert ("check 'numbers' failed" in err) == (code == 3)


def test_the_batch_counts_errors_only_and_its_pages_show_warnings(
    tmp_path: Path, clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, _ = _files(tmp_path, KTZ_KK)
    out = tmp_path / "out"
    with FakeOpenAI(Reply(KTZ_KK)) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        assert main(["batch", source, "--out", str(out), "--tasks", "translate:kk"]) == 0
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    (item,) = report["items"]
    assert item["failed_checks"] == [] and report["totals"]["with_failed_checks"] == 0
    assert {c["name"]: c.get("severity") for c in item["checks"]}["names"] == "warning"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "ok, look at warnings" in index and '<li class="warn">warning names:' in index
    page = next(out.rglob("pages/**/*.html")).read_text(encoding="utf-8")
    assert "passed, 2 warnings." in page and '<li class="warn">warning names:' in page


def test_the_desk_says_passed_with_warnings_and_marks_them(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pytest.importorskip("starlette", reason="the desk needs the [serve] extra")
    from test_serve_pages import csrf, open_desk, run_task

    with FakeOpenAI(Reply(KTZ_KK)) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")
        with open_desk() as desk:
            url = run_task(desk, text=KTZ, task="translate", to="kk")
            page = desk.get(url).text
            # 15 checks: `complete` too, since the model ran
            assert 'id="verdict">All 15 checks passed, 2 warnings' in page and 'class="warn" id="verdict"' in page
            assert '<li class="warn" data-check="names"><b>warning</b>' in page
            assert '<mark class="warning" title="names: Freight' in page  # on the source: what was rendered
            desk.post(url + "/recheck", data={"csrf": csrf(desk), "text": KTZ_KK_BAD})
            page = desk.get(url).text
            assert re.search(r"1 of 1\d checks failed, 2 warnings", page)
            assert '<li class="fail" data-check="numbers">' in page
