"""The CLI as a user meets it: exit codes, one-line errors, a loopback endpoint, the cache."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SEED
from fakes import FakeOpenAI, Reply

from summarizer.cli.main import main
from summarizer.tasks.translate import source_text
from summarizer.text.articles import load_article

KEY = "sk-canary-9f8e7d6c5b4a39281706"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    with FakeOpenAI(Reply("Kazakhstan wants big joint investment projects in Belarus.")) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        yield fake


def _bad_files(tmp_path: Path) -> dict[str, Path]:
    files = {"empty": tmp_path / "empty.txt", "blank": tmp_path / "blank.txt", "binary": tmp_path / "x.bin"}
    files["empty"].write_bytes(b"")
    files["blank"].write_bytes(b"  \n\n\t ")
    files["binary"].write_bytes(bytes(range(256)) * 8)
    files["missing"] = tmp_path / "missing.txt"
    files["directory"] = tmp_path
    return files


@pytest.mark.parametrize("kind", ["empty", "blank", "binary", "missing", "directory"])
def test_bad_input_is_one_line_and_exit_2(kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "summarise", str(_bad_files(tmp_path)[kind]))
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("summarizer: error:")
    assert "Traceback" not in err


def test_bad_usage_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["summarise", str(SEED), "--lang", "de"])
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_endpoint_twice_sends_one_request(
    server: FakeOpenAI, capsys: pytest.CaptureFixture[str], clean_env: Path
) -> None:
    first = run(capsys, "summarise", str(SEED))
    second = run(capsys, "summarise", str(SEED))
    assert first == second == (0, "Kazakhstan wants big joint investment projects in Belarus.\n", "")
    assert len(server.requests) == 1
    sent = server.requests[0]
    assert sent.path == "/v1/chat/completions"
    assert sent.body["model"] == "gpt-4o-mini"
    assert "Yergali Bulegenov" in sent.body["messages"][-1]["content"]
    for path in clean_env.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


def test_json_output(server: FakeOpenAI, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "summarise", str(SEED), "--json", "--model", "my-vllm-model", "--length", "bullets")
    data = json.loads(out)
    assert code == 0
    assert data["summary"].startswith("Kazakhstan wants")
    assert (data["language"], data["length"], data["model"], data["backend"]) == (
        "en",
        "bullets",
        "my-vllm-model",
        "openai",
    )
    assert data["usage"] == {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}
    assert data["cached"] is False
    assert data["article"]["date"] == "2015-11-25" and data["article"]["agency"] == "Kazinform"
    assert {c["name"] for c in data["checks"]} >= {"language", "complete"}
    code, out, _ = run(capsys, "summarise", str(SEED), "--json", "--model", "my-vllm-model", "--length", "bullets")
    assert json.loads(out)["cached"] is True


def test_replay_with_empty_cache_is_exit_1_naming_cache_and_task(
    server: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "summarise", str(SEED), "--cache-mode", "replay")
    assert code == 1 and out == ""
    assert err.count("\n") == 1
    assert "cache.sqlite" in err and "'summarise'" in err
    assert server.requests == []


def test_rejected_key_is_clear_and_secret(server: FakeOpenAI, capsys: pytest.CaptureFixture[str]) -> None:
    server.default = Reply(f"Incorrect API key provided: {KEY}", status=401)
    code, _, err = run(capsys, "summarise", str(SEED))
    assert code == 1
    assert "rejected the API key" in err and "OPENAI_API_KEY" in err
    assert "canary" not in err
    assert len(server.requests) == 1


def test_unreachable_endpoint_names_url(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{port}/v1")
    monkeypatch.setenv("SUMMARIZER_TIMEOUT", "2")
    monkeypatch.setenv("SUMMARIZER_MAX_ATTEMPTS", "2")
    code, _, err = run(capsys, "summarise", str(SEED), "--cache-mode", "off")
    assert code == 1
    assert f"cannot reach http://127.0.0.1:{port}/v1" in err
    assert err.count("\n") == 1


def test_transient_faults_are_survived(server: FakeOpenAI, capsys: pytest.CaptureFixture[str]) -> None:
    server.script = [
        Reply("busy", status=429, headers={"retry-after": "0"}),
        Reply("oops", status=503),
        Reply(reset=True),
    ]
    code, out, _ = run(capsys, "summarise", str(SEED))
    assert code == 0 and out.startswith("Kazakhstan wants")
    assert len(server.requests) == 4


def test_strict_exits_3_when_a_check_fails(server: FakeOpenAI, capsys: pytest.CaptureFixture[str]) -> None:
    server.default = Reply("Казахстан хочет реализовать совместные проекты в Беларуси.")
    code, out, err = run(capsys, "summarise", str(SEED), "--lang", "kk", "--strict")
    assert code == 3
    assert out.startswith("Казахстан")  # the text is still shown
    assert "check 'language' failed" in err and "this is Russian" in err
    code, _, _ = run(capsys, "summarise", str(SEED), "--lang", "kk")
    assert code == 0


def test_cache_stats_and_clear(server: FakeOpenAI, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "summarise", str(SEED))
    code, out, _ = run(capsys, "cache", "stats", "--json")
    stats = json.loads(out)
    assert code == 0 and stats["entries"] == 1 and stats["by_provenance"] == {"recorded": 1}
    code, out, _ = run(capsys, "cache", "clear")
    assert code == 0 and "removed 1" in out
    assert json.loads(run(capsys, "cache", "stats", "--json")[1])["entries"] == 0


def test_stdin(server: FakeOpenAI, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SEED.read_bytes())))
    code, out, _ = run(capsys, "summarise", "-")
    assert code == 0 and out.startswith("Kazakhstan wants")


def test_python_dash_m_and_the_console_script(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    for command in ([sys.executable, "-m", "summarizer"], [str(Path(sys.executable).parent / "summarizer")]):
        done = subprocess.run(
            [*command, "summarise", str(tmp_path / "nope.txt")],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=60,
        )
        assert done.returncode == 2
        assert done.stderr == f"summarizer: error: {tmp_path / 'nope.txt'}: no such file\n"


def test_cp1251_and_html_reach_the_model_decoded_and_clean(
    server: FakeOpenAI, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from test_articles import HTML_PAGE

    ru = tmp_path / "ru.txt"
    ru.write_bytes((ROOT / "seeds" / "002_ru_almaty_transport.txt").read_text(encoding="utf-8").encode("cp1251"))
    page = tmp_path / "page.html"
    page.write_text(HTML_PAGE, encoding="utf-8")
    assert run(capsys, "summarise", str(ru))[0] == 0
    assert run(capsys, "summarise", str(page))[0] == 0
    ru_prompt, html_prompt = (r.body["messages"][-1]["content"] for r in server.requests)
    assert "Алматы" in ru_prompt
    assert "Yergali Bulegenov" in html_prompt
    assert "window.alert" not in html_prompt and "<p>" not in html_prompt


# -- facts ----------------------------------------------------------------------------------

SEED_ANSWER = json.loads((ROOT / "tests" / "data" / "facts" / "seed_answer.json").read_text(encoding="utf-8"))
INVENTED = {"speaker": "Yergali Bulegenov", "quote": "Kazakhstan will buy every lift Mogilev makes."}


@pytest.fixture
def facts_server(server: FakeOpenAI) -> FakeOpenAI:
    server.default = Reply(json.dumps({**SEED_ANSWER, "quotes": [*SEED_ANSWER["quotes"], INVENTED]}))
    return server


def test_facts_json_drops_an_invented_quote_and_says_so(
    facts_server: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "facts", str(SEED))
    data = json.loads(out)
    assert code == 0
    assert list(data) == [
        "article",
        "people",
        "organisations",
        "places",
        "dates",
        "quotes",
        "figures",
        "topics",
        "extraction",
    ]  # noqa: E501
    seed = SEED.read_text(encoding="utf-8")
    assert all(seed[q["evidence"]["start"] : q["evidence"]["end"]] == q["quote"] for q in data["quotes"])
    assert INVENTED["quote"] not in out and data["extraction"]["dropped"] == 1
    assert err.count("\n") == 1 and "1 fact(s) not supported by the article" in err
    assert "quote 'Kazakhstan will buy every lift Mogilev makes.': not verbatim in the article" in err


def test_facts_keep_ungrounded(facts_server: FakeOpenAI, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "facts", str(SEED), "--keep-ungrounded")
    (kept,) = [q for q in json.loads(out)["quotes"] if not q["evidence"]["grounded"]]
    assert code == 0 and kept["quote"] == INVENTED["quote"]
    assert (kept["evidence"]["start"], kept["evidence"]["end"], kept["evidence"]["alignment"]) == (None, None, "none")
    assert "kept with null offsets" in err


def test_facts_markdown(facts_server: FakeOpenAI, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "facts", str(SEED), "--format", "md")
    assert code == 0 and out.startswith("# Facts: 000_8ce9aa6233c040a4\n")
    assert "- **Yergali Bulegenov** (Ambassador Extraordinary" in out and "[113:200, exact]" in out
    assert "## Figures\n\n- none found" in out


def test_facts_schema_needs_no_article_and_no_model(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "facts", "--schema")
    schema = json.loads(out)
    assert code == 0 and schema["title"] == "FactsOut"
    assert {"article", "people", "quotes", "extraction"} <= set(schema["properties"])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["facts"], "give an article file"),
        (["facts", str(SEED), "--glossary", "/nonexistent/g.csv"], "glossary /nonexistent/g.csv: no such file"),
    ],
)
def test_facts_usage_errors_are_one_line(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "") and err.count("\n") == 1 and message in err


@pytest.mark.parametrize("kind", ["empty", "binary", "missing", "directory"])
def test_facts_bad_input(kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "facts", str(_bad_files(tmp_path)[kind]))
    assert (code, out) == (2, "") and err.count("\n") == 1 and "Traceback" not in err


# -- translate and check --------------------------------------------------------------------------

TRANSLATIONS = ROOT / "tests" / "data" / "translations"
SEED_KK = (TRANSLATIONS / "seed_kk.txt").read_text(encoding="utf-8")
GLOSSARY = str(TRANSLATIONS / "glossary.csv")


@pytest.fixture
def kazakh_server(server: FakeOpenAI) -> FakeOpenAI:
    server.default = Reply(SEED_KK)
    return server


def test_translate_to_kazakh_against_a_loopback_server(
    kazakh_server: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "translate", str(SEED), "--to", "kk", "--glossary", GLOSSARY)
    assert (code, out, err) == (0, SEED_KK.strip() + "\n", "")
    assert len(kazakh_server.requests) == 1
    sent = kazakh_server.requests[0].body["messages"][-1]["content"]
    assert "- Yergali Bulegenov = Ерғали Бұлегенов" in sent


def test_translate_to_kazakh_latin(kazakh_server: FakeOpenAI, capsys: pytest.CaptureFixture[str]) -> None:
    from summarizer.text.translit import to_latin

    code, out, _ = run(capsys, "translate", str(SEED), "--to", "kk", "--script", "latn", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["translation"] == to_latin(SEED_KK.strip())
    assert data["cyrillic"] == SEED_KK.strip()  # what the checks judged
    assert "Qazaqstan" in data["translation"] and "Қ" not in data["translation"]
    assert (data["language"], data["script"], data["alphabet"]) == ("kk", "latn", "kazakh-latin-2021")
    assert data["calls"] == 1 and data["retried"] == 0
    assert {c["name"]: c["passed"] for c in data["checks"]}["language"] is True


def test_strict_translation_against_a_server_that_returns_garbage(
    server: FakeOpenAI, capsys: pytest.CaptureFixture[str]
) -> None:
    garbage = (TRANSLATIONS / "seed__kk__bad__garbage.json").read_text(encoding="utf-8")
    server.default = Reply(json.loads(garbage)["translation"])
    code, out, err = run(capsys, "translate", str(SEED), "--to", "kk", "--strict")
    assert code == 3
    assert out.startswith("date 2015-11-25")  # the text is still shown to the editor
    assert "check 'no_repetition' failed" in err and "under --strict" in err
    assert len(server.requests) == 2  # asked once more with the failures stated
    assert "rejected by the editor's checks" in server.requests[1].body["messages"][-1]["content"]


def test_translate_re_ask_that_fixes_it(server: FakeOpenAI, capsys: pytest.CaptureFixture[str]) -> None:
    server.script = [Reply((TRANSLATIONS / "seed_ru.txt").read_text(encoding="utf-8"))]  # Russian, not Kazakh
    server.default = Reply(SEED_KK)
    code, out, err = run(capsys, "translate", str(SEED), "--to", "kk", "--strict")
    assert (code, out, err) == (0, SEED_KK.strip() + "\n", "")
    assert len(server.requests) == 2
    assert "- language: it reads as ru" in server.requests[1].body["messages"][-1]["content"]


def test_translate_bad_input_and_options(
    server: FakeOpenAI, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "translate", str(tmp_path / "nope.txt"), "--to", "ru")
    assert (code, out) == (2, "") and err.count("\n") == 1
    code, _, err = run(capsys, "translate", str(SEED), "--to", "ru", "--glossary", str(tmp_path / "g.csv"))
    assert code == 2 and "glossary" in err and "no such file" in err
    code, _, err = run(capsys, "translate", str(SEED), "--to", "ru", "--script", "latn")
    assert code == 2 and "Kazakh only" in err
    assert server.requests == []


@pytest.mark.parametrize(
    ("case", "code"),
    [("seed__kk__good__none", 0), ("seed__kk__bad__number_dropped", 3), ("seed__kk__bad__name_misspelled", 3)],
)
def test_check_exit_codes(case: str, code: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    translation = tmp_path / "t.txt"
    translation.write_text(json.loads((TRANSLATIONS / f"{case}.json").read_text(encoding="utf-8"))["translation"])
    got, out, err = run(capsys, "check", str(SEED), str(translation), "--to", "kk", "--glossary", GLOSSARY)
    assert got == code
    assert ("FAIL" in out) == (code == 3) and ("checks failed" in err) == (code == 3)


def test_check_json_lists_every_check_with_evidence(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(SEED), str(TRANSLATIONS / "seed_ru.txt"), "--to", "kk", "--json")
    data = json.loads(out)
    assert code == 3 and data["passed"] is False
    verdicts = {c["name"]: c for c in data["checks"]}
    assert not verdicts["language"]["passed"] and "this is Russian" in verdicts["language"]["detail"]
    assert verdicts["paragraphs"]["passed"] and verdicts["paragraphs"]["detail"] == "2 paragraphs for the source's 2"
    assert (data["source_language"], data["language"], data["glossary"]) == ("en", "kk", None)


def test_check_json_gives_each_failed_check_findings_with_their_places(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = (
        SEED_KK.replace("2016", "2061")
        .replace("Ерғали Бұлегенов", "Ергали Булегенов")
        .replace("Дипломаттың айтуынша", "the big plan of the diplomat", 1)
    )
    (tmp_path / "t.txt").write_text(broken, encoding="utf-8")
    argv = ["check", str(SEED), str(tmp_path / "t.txt"), "--to", "kk", "--glossary", GLOSSARY, "--json"]
    code, out, _ = run(capsys, *argv)
    source = source_text(load_article(SEED))  # the text the checks judge, and their offsets' frame
    failed = {c["name"]: c["findings"] for c in json.loads(out)["checks"] if not c["passed"]}
    assert code == 3 and set(failed) == {"numbers", "glossary", "untranslated"}
    assert all(f["severity"] == "error" for found in failed.values() for f in found)
    where = {n: [(f["expected"], f["found"], f["span"], f["source_span"]) for f in fs] for n, fs in failed.items()}
    (number, _, _, at), = where["numbers"]
    assert number == "2016" and source[at[0] : at[1]] == "2016"
    (house, _, _, at), = where["glossary"]
    assert house == "Ерғали Бұлегенов" and source[at[0] : at[1]] == "Yergali Bulegenov"
    (_, words, at, _), = where["untranslated"]
    assert words == "the big plan of the diplomat" == broken[at[0] : at[1]]


def test_check_bad_files_are_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", str(SEED), str(tmp_path / "missing.txt"), "--to", "ru")
    assert (code, out) == (2, "") and err.startswith("summarizer: error:") and err.count("\n") == 1


def test_summarise_in_russian_gets_the_vocabulary_check(server: FakeOpenAI, capsys: pytest.CaptureFixture[str]) -> None:
    server.default = Reply(
        "Перевалочность грузовищ в торговище возросталась, сообщил журналистникам портовик во вторничестве,"
        " и контейнерность на маршрутнике почти вдвоёмная."
    )
    code, out, err = run(capsys, "summarise", str(SEED), "--lang", "ru", "--json")
    assert code == 0
    checks = {c["name"]: c["passed"] for c in json.loads(out)["checks"]}
    assert checks["vocabulary"] is False and checks["language"] is True
    assert "check 'vocabulary' failed" in err


def test_a_closed_pipe_is_not_an_error(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    done = subprocess.run(
        f"'{sys.executable}' -m summarizer facts --schema | head -c 10",
        shell=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert done.stdout == '{\n  "$defs'[:10]
    assert "error" not in done.stderr and "Traceback" not in done.stderr


def test_the_console_script_exits_with_mains_code_and_leaves_the_heap_to_the_exit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gc

    from summarizer.cli import main as cli

    monkeypatch.setattr(cli, "main", lambda argv=None: 3)
    try:
        assert cli.program() == 3
        assert gc.get_freeze_count() > 0  # the exit's collections will not walk this heap again
    finally:
        gc.unfreeze()


def test_python_dash_m_is_the_console_script(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    done = subprocess.run(
        [sys.executable, "-m", "summarizer", "inspect", str(missing)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "nowhere.txt" in done.stderr
